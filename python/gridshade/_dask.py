# SPDX-License-Identifier: GPL-2.0-or-later
"""dask-backed DataArrays larger than memory: written window by window to a tiled GeoTIFF with
overviews, then added as a layer. The array is never computed whole: each window of the plan is
computed on its own, written tile by tile and flushed out of GDAL's block cache before the next
one, so the memory held at any time is about one window (one source chunk when the chunks are
multiples of the tile size)."""
import ctypes
import math
import os

from ._arrays import _COPY_TO, ZERO_COPY_DTYPES, qgis_crs, set_metadata
from ._errors import GridshadeError, require
from ._xarray import crs_of, placement

_TILES = (512, 256)  # GeoTIFF tile sizes tried, largest first


def tile_size(chunks_y, chunks_x):
    """The largest of 512 and 256 that divides every chunk but the last along both axes (so each
    chunk covers whole tiles), else 512."""
    inner = list(chunks_y[:-1]) + list(chunks_x[:-1])
    for t in _TILES:
        if all(c % t == 0 for c in inner):
            return t
    return _TILES[0]


def chunk_plan(chunks_y, chunks_x, tile):
    """Windows (row0, row1, col0, col1) that tile the array with no gap or overlap, aligned to the
    GeoTIFF tiles: the source chunks, each boundary rounded to a whole tile. When the tile size
    divides the chunks, these are the chunks themselves."""
    def edges(chunks):
        total = sum(chunks)
        out = [0]
        for c in chunks:
            edge = min(total, int(math.ceil((out[-1] + c) / tile)) * tile) if out[-1] + c < total else total
            if edge > out[-1]:
                out.append(edge)
        return out
    ys, xs = edges(chunks_y), edges(chunks_x)
    return [(ys[i], ys[i + 1], xs[j], xs[j + 1]) for i in range(len(ys) - 1) for j in range(len(xs) - 1)]


class _TileWriter:
    """Writes windows into GeoTIFF bands one tile at a time, each flushed out of GDAL's block
    cache at once (else the cache keeps a second copy of the window until it is full: 5 % of the
    RAM by default). A C-contiguous window is written straight from its memory; any other (rows
    flipped from south-up) through one tile-sized buffer that is reused."""

    def __init__(self, dtype, tile):
        import numpy as np
        self.tile = tile
        self.scratch = np.empty(tile * tile, dtype=dtype)

    def write(self, bands, row0, col0, values):
        """Writes \a values (band, y, x) at (row0, col0) of \a bands."""
        _, h, w = values.shape
        item = values.dtype.itemsize
        whole = memoryview(values).cast("B") if values.flags["C_CONTIGUOUS"] else None
        for b, band in enumerate(bands):
            for r in range(0, h, self.tile):
                for c in range(0, w, self.tile):
                    th, tw = min(self.tile, h - r), min(self.tile, w - c)
                    if whole is not None:
                        start = ((b * h + r) * w + c) * item
                        ok = band.WriteRaster(col0 + c, row0 + r, tw, th, whole[start:], buf_pixel_space=item, buf_line_space=w * item)
                    else:
                        piece = self.scratch[:th * tw].reshape(th, tw)
                        piece[...] = values[b, r:r + th, c:c + tw]
                        ok = band.WriteRaster(col0 + c, row0 + r, tw, th, memoryview(piece))
                    if ok != 0:
                        raise GridshadeError("GDAL could not write the GeoTIFF: %s" % _gdal().GetLastErrorMsg())
                    band.FlushCache()


def _release_freed_memory():
    """Hands memory that is free but still held by glibc's heap back to the system: the
    compressor's small buffers pin the heap between windows, so without it the resident size
    grows by about a window each time although nothing is alive."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _gdal():
    from osgeo import gdal
    return gdal


def _halve_into(parent, nodata, out):
    """Writes into \a out the 2 x 2 means of \a parent (y, x), ignoring NaN and nodata, over an
    odd edge too; \a out is ((h + 1) // 2, (w + 1) // 2)."""
    import numpy as np
    total = np.zeros(out.shape, dtype="float64")
    count = np.zeros(out.shape, dtype="uint8")
    for dy in (0, 1):
        for dx in (0, 1):
            part = parent[dy::2, dx::2]
            valid = ~np.isnan(part) if part.dtype.kind == "f" else np.ones(part.shape, bool)
            if nodata is not None:
                valid &= part != nodata
            total[:part.shape[0], :part.shape[1]] += np.where(valid, part, 0)
            count[:part.shape[0], :part.shape[1]] += valid
    with np.errstate(invalid="ignore", divide="ignore"):
        total /= count
    empty = count == 0
    if out.dtype.kind == "f":
        total[empty] = np.nan if nodata is None else nodata
        out[...] = total
    else:
        total[empty] = 0 if nodata is None else nodata
        out[...] = np.rint(total)


def _overviews(ds, dtype, nodata, tile):
    """Adds overviews by factors of 2 down to about one tile, each level made from the level
    above one output tile at a time (its 2 x 2 parent tiles read one by one into a reused
    buffer), so the memory is a few tiles whatever the raster's size."""
    import numpy as np
    gdal = _gdal()
    factors = []
    f = 2
    while max(ds.RasterXSize, ds.RasterYSize) / (f // 2) > tile:
        factors.append(f)
        f *= 2
    if not factors:
        return 0
    if ds.BuildOverviews("NONE", factors) != 0:
        raise GridshadeError("GDAL could not add overviews to the GeoTIFF: %s" % gdal.GetLastErrorMsg())
    gdal_type = ds.GetRasterBand(1).DataType
    parent_buf = np.empty(tile * tile, dtype=dtype)
    child_buf = np.empty(tile * tile, dtype=dtype)
    for b in range(1, ds.RasterCount + 1):
        band = ds.GetRasterBand(b)
        for level in range(len(factors)):
            parent = band if level == 0 else band.GetOverview(level - 1)
            child = band.GetOverview(level)
            for r in range(0, child.YSize, tile):
                for c in range(0, child.XSize, tile):
                    th, tw = min(tile, child.YSize - r), min(tile, child.XSize - c)
                    out = child_buf[:th * tw].reshape(th, tw)
                    # The parent's tiles under this child tile, each giving a quarter of it.
                    for pr in range(2 * r, min(parent.YSize, 2 * (r + th)), tile):
                        for pc in range(2 * c, min(parent.XSize, 2 * (c + tw)), tile):
                            ph, pw = min(tile, parent.YSize - pr), min(tile, parent.XSize - pc)
                            values = parent_buf[:ph * pw].reshape(ph, pw)
                            parent.ReadRaster(pc, pr, pw, ph, buf_type=gdal_type, buf_obj=values)
                            parent.FlushCache()
                            oy, ox = (pr - 2 * r) // 2, (pc - 2 * c) // 2
                            _halve_into(values, nodata, out[oy:oy + (ph + 1) // 2, ox:ox + (pw + 1) // 2])
                    if child.WriteRaster(c, r, tw, th, memoryview(out)) != 0:
                        raise GridshadeError("GDAL could not write an overview: %s" % gdal.GetLastErrorMsg())
                    child.FlushCache()
            _release_freed_memory()
    return len(factors)


def _creation_options(tile, compress, extra):
    """GeoTIFF creation options: tiled, BigTIFF when needed, \a compress (DEFLATE at level 1 by
    default: about 4 x faster to write than GDAL's level 6 for a few per cent more bytes), then
    the caller's \a extra options, which win."""
    options = {"TILED": "YES", "BLOCKXSIZE": str(tile), "BLOCKYSIZE": str(tile), "BIGTIFF": "IF_SAFER", "COMPRESS": compress}
    if compress.upper() == "DEFLATE":
        options["ZLEVEL"] = "1"
    for item in extra or ():
        key, _, value = str(item).partition("=")
        options[key.upper()] = value
    return ["%s=%s" % kv for kv in options.items()]


def add_dask(da, path, crs=None, name=None, project=None, compress="DEFLATE", overviews=True, nodata=None, progress=None,
             creation_options=None):
    """Writes \\a da, a dask-backed DataArray with dims (y, x) or (band, y, x), to the tiled
    GeoTIFF \\a path (with overviews) window by window, never computing it whole, then adds the
    file as a raster layer and returns it.

    The windows follow the dask chunks, rounded to whole 512 (or 256) pixel tiles; with chunks
    that are multiples of the tile the peak memory is about one chunk. Placement and CRS come as
    for add_dataarray; \\a nodata (else rioxarray's or a _FillValue / nodata attribute) is written
    to the file. \\a progress, if given, is called with a fraction 0..1 after each window."""
    dask = require("dask", "add_dask")
    xr = require("xarray", "add_dask")
    import numpy as np
    from qgis.core import QgsProject, QgsRasterLayer
    gdal = _gdal()
    if not isinstance(da, xr.DataArray):
        raise GridshadeError("add_dask takes an xarray.DataArray, not %s" % type(da).__name__)
    if da.chunks is None:
        raise GridshadeError("the DataArray is not dask-backed: use add_dataarray, which shows it without a copy")
    if da.ndim not in (2, 3):
        raise GridshadeError("the DataArray has dims %s: give (y, x) or (band, y, x) (also lat/lon)" % (tuple(da.dims),))
    transform, bottom_up, x_reversed = placement(da, "add_dask")
    target = qgis_crs(crs_of(da, crs))
    name_of_type = da.dtype.name if da.dtype.name in ZERO_COPY_DTYPES else _COPY_TO.get(da.dtype.name)
    if name_of_type is None:
        raise GridshadeError("arrays of %s cannot be written: use uint8, uint16, int16, uint32, int32, float32 or float64" % da.dtype)
    dtype = np.dtype(name_of_type)
    if nodata is None:
        nodata = _nodata_of(da)
    data = da.data if da.ndim == 3 else da.data[None]
    bands, height, width = data.shape
    tile = tile_size(data.chunks[1], data.chunks[2])
    plan = chunk_plan(data.chunks[1], data.chunks[2], tile)
    options = _creation_options(tile, compress, creation_options)
    if os.path.exists(path):
        gdal.GetDriverByName("GTiff").Delete(path)
    ds = gdal.GetDriverByName("GTiff").Create(path, width, height, bands, ZERO_COPY_DTYPES[dtype.name], options)
    if ds is None:
        raise GridshadeError("GDAL could not create %s: %s" % (path, gdal.GetLastErrorMsg()))
    try:
        ds.SetGeoTransform(transform)
        ds.SetProjection(target.toWkt(target.WKT_PREFERRED_GDAL))
        band_list = [ds.GetRasterBand(b + 1) for b in range(bands)]
        if nodata is not None:
            for band in band_list:
                band.SetNoDataValue(float(nodata))
        writer = _TileWriter(dtype, tile)
        # One window is one task chain: computed in this thread unless the caller chose a
        # scheduler (a distributed Client), so no second chunk is held by a worker thread.
        scheduler = dask.config.get("scheduler", None) or "synchronous"
        for i, (r0, r1, c0, c1) in enumerate(plan):
            # The window in the array's own rows/columns (reversed when stored south-up / east-west).
            rows = slice(height - r1, height - r0) if bottom_up else slice(r0, r1)
            cols = slice(width - c1, width - c0) if x_reversed else slice(c0, c1)
            values = data[:, rows, cols].compute(scheduler=scheduler)
            if bottom_up:
                values = values[:, ::-1, :]
            if x_reversed:
                values = values[:, :, ::-1]
            if values.dtype != dtype:
                values = values.astype(dtype)
            writer.write(band_list, r0, c0, values)
            del values
            ds.FlushCache()
            _release_freed_memory()
            if progress:
                progress((i + 1) / len(plan) * (0.9 if overviews else 1.0))
        del writer
        levels = _overviews(ds, dtype, nodata, tile) if overviews else 0
        ds.FlushCache()
    finally:
        ds = None
    if progress:
        progress(1.0)
    layer = QgsRasterLayer(path, name or (str(da.name) if da.name is not None else os.path.basename(path)), "gdal")
    if not layer.isValid():
        raise GridshadeError("QGIS could not open the written GeoTIFF %s: %s" % (path, layer.error().summary()))
    attrs = {str(k): v for k, v in da.attrs.items()}
    attrs.update({"gridshade_tile": tile, "gridshade_windows": len(plan), "gridshade_overviews": levels})
    set_metadata(layer, attrs)
    (project or QgsProject.instance()).addMapLayer(layer)
    return layer


def _nodata_of(da):
    try:
        import rioxarray  # noqa: F401 - registers the .rio accessor
        if da.rio.nodata is not None:
            return da.rio.nodata
    except ImportError:
        pass
    for key in ("_FillValue", "nodata", "missing_value"):
        if key in da.attrs:
            return da.attrs[key]
    return None
