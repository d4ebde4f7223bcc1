# SPDX-License-Identifier: GPL-2.0-or-later
"""Gridshade for the Python console and standalone PyQGIS: put numpy arrays and xarray /
rioxarray DataArrays on the map as QGIS layers, aligned and without copies.

    import gridshade
    layer = gridshade.add_array(dem, (2600000, 10, 0, 1200000, 0, -10), "EPSG:2056", name="dem")
    layer = gridshade.add_dataarray(rioxarray.open_rasterio("dem.tif").squeeze())

Optional packages (xarray, rioxarray, dask, datashader) are imported only by the calls that
need them; a missing one raises MissingPackageError saying how to install it.
"""
from ._arrays import ZERO_COPY_DTYPES, add_array, array_uri
from ._errors import GridshadeError, MissingPackageError
from ._xarray import add_dataarray

__all__ = ["add_array", "add_dataarray", "array_uri", "is_datashader_available", "GridshadeError", "MissingPackageError",
           "ZERO_COPY_DTYPES"]


def is_datashader_available():
    """Whether Datashader can be imported (without importing it)."""
    import importlib.util
    return importlib.util.find_spec("datashader") is not None
