# SPDX-License-Identifier: GPL-2.0-or-later
"""xarray / rioxarray DataArrays as QGIS raster layers: georeferencing from rioxarray or from
evenly spaced cell-centre coordinates, values viewed in place through _arrays."""
from ._arrays import add_view, prepare
from ._errors import GridshadeError, require

_Y_NAMES = ("y", "lat", "latitude")
_X_NAMES = ("x", "lon", "longitude")
# Relative tolerance on the spacing of float coordinates (written as float32 by many tools).
_SPACING_TOLERANCE = 1e-5


def _step(values, dim):
    """The constant step of a 1-D coordinate, or an error naming what is wrong with it."""
    import numpy as np
    v = np.asarray(values, dtype="float64")
    if v.size < 2:
        raise GridshadeError("the '%s' coordinate has %d value(s): the cell size cannot be told; "
                             "give a rioxarray transform (da.rio.write_transform) instead" % (dim, v.size))
    d = np.diff(v)
    if not (np.all(d > 0) or np.all(d < 0)):
        # The first step against the coordinate's overall direction.
        bad = int(np.argmax(d * np.sign(v[-1] - v[0]) <= 0))
        raise GridshadeError("the '%s' coordinate is not monotonic (at index %d: %r then %r): sort it, e.g. da.sortby('%s')"
                             % (dim, bad, float(v[bad]), float(v[bad + 1]), dim))
    step = (v[-1] - v[0]) / (v.size - 1)
    if np.max(np.abs(d - step)) > _SPACING_TOLERANCE * abs(step):
        raise GridshadeError("the '%s' coordinate is not evenly spaced (steps from %r to %r): regrid it first, "
                             "e.g. with rioxarray's da.rio.reproject" % (dim, float(d.min()), float(d.max())))
    return float(v[0]), step


def crs_of(da, crs):
    """The CRS: the argument, else rioxarray's, else a 'crs' or 'spatial_ref' attribute."""
    if crs is not None:
        return crs
    try:
        import rioxarray  # noqa: F401 - registers the .rio accessor
        if da.rio.crs is not None:
            return da.rio.crs.to_wkt()
    except ImportError:
        pass
    for source in (da.attrs, da.coords["spatial_ref"].attrs if "spatial_ref" in da.coords else {}):
        for key in ("crs_wkt", "spatial_ref", "crs"):
            if isinstance(source.get(key), str) and source[key]:
                return source[key]
    raise GridshadeError("the DataArray has no CRS: pass crs='EPSG:…', or write one with "
                         "da.rio.write_crs('EPSG:…') (rioxarray: sudo apt-get install python3-rioxarray)")


def placement(da, purpose):
    """Where a (…, y, x) DataArray lies: (transform, bottom_up, x_reversed), with GDAL's
    north-up geotransform of the cell edges from the evenly spaced cell-centre coordinates.
    bottom_up: rows run south to north (y ascending, as Datashader and NetCDF store them), which
    is viewed flipped without a copy; x_reversed: columns run east to west, which needs one."""
    xr = require("xarray", purpose)
    if not isinstance(da, xr.DataArray):
        raise GridshadeError("%s takes an xarray.DataArray, not %s" % (purpose, type(da).__name__))
    dims = tuple(str(d) for d in da.dims)
    if len(dims) < 2 or dims[-2] not in _Y_NAMES or dims[-1] not in _X_NAMES:
        raise GridshadeError("the DataArray has dims %s: give (y, x) or (band, y, x) (also lat/lon); "
                             "e.g. da.transpose('band', 'y', 'x')" % (dims,))
    ydim, xdim = dims[-2], dims[-1]
    if xdim not in da.coords or ydim not in da.coords:
        raise GridshadeError("the DataArray has no '%s'/'%s' coordinates to place it: assign cell-centre coordinates "
                             "(da.assign_coords(...)) or use add_array with a transform" % (xdim, ydim))
    x0, dx = _step(da.coords[xdim].values, xdim)
    y0, dy = _step(da.coords[ydim].values, ydim)
    bottom_up = dy > 0
    if bottom_up:
        y0, dy = y0 + dy * (da.sizes[ydim] - 1), -dy
    x_reversed = dx < 0
    if x_reversed:
        x0, dx = x0 + dx * (da.sizes[xdim] - 1), -dx
    transform = (x0 - dx / 2, dx, 0.0, y0 - dy / 2, 0.0, dy)
    return transform, bottom_up, x_reversed


def viewable(da, purpose, copy):
    """(values, transform, bottom_up): \a da's values as GDAL can view them in place (or, with
    \a copy, the explicit copy: columns running east to west flipped, dtypes converted), with
    the north-up geotransform and whether the rows are stored south to north."""
    import numpy as np
    transform, bottom_up, x_reversed = placement(da, purpose)
    values = da.values
    if x_reversed:
        if not copy:
            raise GridshadeError("the '%s' coordinate runs east to west: pass copy=True to show a flipped copy" % da.dims[-1])
        values = np.ascontiguousarray(np.flip(values, axis=-1))
    values, _ = prepare(values, copy)
    return values, transform, bottom_up


def add_dataarray(da, crs=None, name=None, copy=False, project=None):
    """Adds \a da, an xarray DataArray with dims (y, x) or (band, y, x) (also lat/lon,
    latitude/longitude), as a raster layer viewing its memory, and returns the layer.

    Georeferencing comes from the evenly spaced cell-centre coordinates of its x and y dims;
    the CRS from \a crs, else rioxarray (da.rio.crs), else a crs/spatial_ref attribute. Rows may
    run either way (south to north is viewed flipped, still without a copy); columns must run
    west to east: otherwise, or when the values are not C-contiguous or of a dtype GDAL reads in
    place, copy=True shows a flipped/converted copy. The attributes are kept as layer metadata."""
    xr = require("xarray", "add_dataarray")
    if isinstance(da, xr.DataArray) and da.chunks is not None:
        raise GridshadeError("'%s' is dask-backed: use gridshade.add_dask(da, path) to write it chunk by chunk to a "
                             "GeoTIFF, or .compute() it first when it fits in memory" % (da.name or "the DataArray"))
    if isinstance(da, xr.DataArray) and da.ndim not in (2, 3):
        raise GridshadeError("the DataArray has dims %s: give (y, x) or (band, y, x) (also lat/lon)" % (tuple(da.dims),))
    values, transform, bottom_up = viewable(da, "add_dataarray", copy)
    attrs = {str(k): v for k, v in da.attrs.items()}
    layer_name = name or (str(da.name) if da.name is not None else attrs.get("long_name", "DataArray"))
    # The layer keeps the values (the DataArray's own buffer, or the copy) alive.
    return add_view(values, transform, bottom_up, crs_of(da, crs), layer_name, project=project, metadata=attrs)
