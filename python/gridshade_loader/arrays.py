# SPDX-License-Identifier: GPL-2.0-or-later
"""Zero-copy numpy arrays as QGIS raster layers (the raster toolkit's array ingestion).

    from gridshade_loader.arrays import add_array
    layer = add_array(dem, (2600000, 10, 0, 1200000, 0, -10), "EPSG:2056", name="dem")

The layer's GDAL dataset views the array's memory (no copy): later writes to the array show at
the next render. The layer keeps the array alive until it is deleted.
"""
import ctypes

from . import library_path

_DTYPES = {"uint8": 1, "uint16": 2, "int16": 3, "float32": 6, "float64": 7}  # GDALDataType values
_KEEP = {}  # layer id -> array: the memory must live as long as the layer
_LIB = None


def _lib():
    global _LIB
    if _LIB is None:
        _LIB = ctypes.PyDLL(library_path())
        _LIB.gridshade_array_uri.restype = ctypes.c_int
        _LIB.gridshade_array_uri.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                             ctypes.POINTER(ctypes.c_double), ctypes.c_char_p, ctypes.c_int]
    return _LIB


def array_uri(array, transform, pixel_interleaved=False):
    """The GDAL MEM open string viewing a C-contiguous 2-D (y, x) or 3-D array: (band, y, x), or
    (y, x, band) with pixel_interleaved."""
    if array.dtype.name not in _DTYPES:
        raise TypeError("arrays of %s are not supported: use uint8, uint16, int16, float32 or float64" % array.dtype)
    if not array.flags["C_CONTIGUOUS"]:
        raise ValueError("the array is not C-contiguous: pass numpy.ascontiguousarray(a) (an explicit copy)")
    if array.ndim == 2:
        bands, height, width = 1, array.shape[0], array.shape[1]
    elif array.ndim == 3 and pixel_interleaved:
        height, width, bands = array.shape
    elif array.ndim == 3:
        bands, height, width = array.shape
    else:
        raise ValueError("the array has %d dimensions: give (y, x), (band, y, x) or (y, x, band)" % array.ndim)
    gt = (ctypes.c_double * 6)(*[float(v) for v in transform])
    out = ctypes.create_string_buffer(1024)
    ok = _lib().gridshade_array_uri(array.__array_interface__["data"][0], _DTYPES[array.dtype.name], width, height, bands,
                                    1 if pixel_interleaved else 0, gt, out, len(out))
    if not ok:
        raise ValueError(out.value.decode())
    return out.value.decode()


def add_array(array, transform, crs, name="array", pixel_interleaved=False, project=None):
    """Adds a raster layer viewing \a array's memory, with a GDAL-order geotransform
    (x0, dx, rx, y0, ry, dy) and a CRS (an EPSG code, WKT or PROJ string), to \a project (the
    current one by default). Returns the layer."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsRasterLayer
    layer = QgsRasterLayer(array_uri(array, transform, pixel_interleaved), name, "gdal")
    if not layer.isValid():
        raise ValueError("GDAL could not open the array as a raster: %s" % layer.error().summary())
    target = QgsCoordinateReferenceSystem(crs)
    if not target.isValid():
        raise ValueError("the CRS %r is not one QGIS knows: give an EPSG code, WKT or a PROJ string" % (crs,))
    layer.setCrs(target)
    layer_id = layer.id()
    _KEEP[layer_id] = array
    layer.willBeDeleted.connect(lambda: _KEEP.pop(layer_id, None))
    (project or QgsProject.instance()).addMapLayer(layer)
    return layer
