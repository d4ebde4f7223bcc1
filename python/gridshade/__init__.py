# SPDX-License-Identifier: GPL-2.0-or-later
"""Gridshade for the Python console and standalone PyQGIS: put numpy arrays and xarray /
rioxarray DataArrays on the map as QGIS layers, aligned and without copies.

    import gridshade
    layer = gridshade.add_array(dem, (2600000, 10, 0, 1200000, 0, -10), "EPSG:2056", name="dem")
    layer = gridshade.add_dataarray(rioxarray.open_rasterio("dem.tif").squeeze())
    layer = gridshade.add_aggregate(canvas.points(df, "x", "y"), crs="EPSG:3857", cmap="fire")
    layer = gridshade.add_image(datashader.transfer_functions.shade(agg), crs="EPSG:3857")
    layer = gridshade.add_dask(rioxarray.open_rasterio("big.tif", chunks=2048), "/data/big_copy.tif")

Optional packages (xarray, rioxarray, dask, datashader) are imported only by the calls that
need them; a missing one raises MissingPackageError saying how to install it.
"""
from ._arrays import ZERO_COPY_DTYPES, add_array, array_uri
from ._dask import add_dask
from ._datashader import add_aggregate, add_image
from ._errors import GridshadeError, MissingPackageError
from ._xarray import add_dataarray

__all__ = ["add_array", "add_dataarray", "add_aggregate", "add_image", "add_dask", "array_uri", "is_datashader_available",
           "GridshadeError", "MissingPackageError", "ZERO_COPY_DTYPES"]


def is_datashader_available():
    """Whether Datashader can be imported (without importing it)."""
    import importlib.util
    return importlib.util.find_spec("datashader") is not None
