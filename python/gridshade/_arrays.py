# SPDX-License-Identifier: GPL-2.0-or-later
"""numpy arrays as QGIS raster layers through the raster toolkit's zero-copy ingestion: GDAL's
MEM driver reads the array's own memory (DATAPOINTER), and the layer keeps the array alive."""
import ctypes
import os

from ._errors import GridshadeError

# GDALDataType codes of the dtypes that GDAL 3.6 reads in place and QGIS 3.22 draws (the C++
# side accepts these).
ZERO_COPY_DTYPES = {"uint8": 1, "uint16": 2, "int16": 3, "uint32": 4, "int32": 5, "float32": 6, "float64": 7}
# The explicit copy path: what other dtypes become.
_COPY_TO = {"bool": "uint8", "int8": "int16", "int64": "float64", "uint64": "float64", "float16": "float32"}
_SUPPORTED = "uint8, uint16, int16, uint32, int32, float32 or float64"
_KEEP = {}  # layer id -> array: the memory lives as long as the layer
_LIB = None


def library_path():
    """$GRIDSHADE_LIBRARY, else libgridshade.so of the loader this package was installed with."""
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("GRIDSHADE_LIBRARY") or os.path.join(os.path.dirname(here), "libgridshade.so")


def _lib():
    global _LIB
    if _LIB is None:
        path = library_path()
        if not os.path.isfile(path):
            raise GridshadeError("the Gridshade library is not at %s: install the plugin (scripts/install_plugin.sh) "
                                 "or set GRIDSHADE_LIBRARY" % path)
        _LIB = ctypes.PyDLL(path)
        _LIB.gridshade_array_uri.restype = ctypes.c_int
        _LIB.gridshade_array_uri.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                             ctypes.c_int, ctypes.POINTER(ctypes.c_double), ctypes.c_char_p, ctypes.c_int]
        _LIB.gridshade_register.restype = ctypes.c_int
    return _LIB


def prepare(array, copy):
    """\a array itself when GDAL can read it in place, else (with copy=True) a C-contiguous copy
    in a type GDAL reads; returns (array, copied)."""
    import numpy as np
    name = array.dtype.name
    if name in ZERO_COPY_DTYPES and array.flags["C_CONTIGUOUS"]:
        return array, False
    target = name if name in ZERO_COPY_DTYPES else _COPY_TO.get(name)
    if target is None:
        raise GridshadeError("arrays of %s cannot be shown: use %s" % (array.dtype, _SUPPORTED))
    if not copy:
        reason = ("is not C-contiguous (a slice, a transpose or a flip)" if name in ZERO_COPY_DTYPES
                  else "has dtype %s, which GDAL cannot read in place" % name)
        size = array.size * np.dtype(target).itemsize
        raise GridshadeError("the array %s: pass copy=True to show a %s copy (%s), or numpy.ascontiguousarray(a)"
                             % (reason, target, "%.1f MiB" % (size / 2**20) if size >= 2**20 else "%d bytes" % size))
    return np.ascontiguousarray(array, dtype=target), True


def array_uri(array, transform, pixel_interleaved=False, bottom_up=False):
    """The GDAL MEM open string viewing a C-contiguous 2-D (y, x) or 3-D array: (band, y, x), or
    (y, x, band) with pixel_interleaved. bottom_up: the rows are stored south to north (the
    view starts at the last row and steps back; still no copy); the transform stays north-up's."""
    if array.dtype.name not in ZERO_COPY_DTYPES:
        raise GridshadeError("arrays of %s are not supported in place: use %s" % (array.dtype, _SUPPORTED))
    if not array.flags["C_CONTIGUOUS"]:
        raise GridshadeError("the array is not C-contiguous: pass numpy.ascontiguousarray(a) (an explicit copy)")
    if array.ndim == 2:
        bands, height, width = 1, array.shape[0], array.shape[1]
    elif array.ndim == 3 and pixel_interleaved:
        height, width, bands = array.shape
    elif array.ndim == 3:
        bands, height, width = array.shape
    else:
        raise GridshadeError("the array has %d dimensions: give (y, x), (band, y, x) or (y, x, band)" % array.ndim)
    gt = (ctypes.c_double * 6)(*[float(v) for v in transform])
    out = ctypes.create_string_buffer(1024)
    ok = _lib().gridshade_array_uri(array.__array_interface__["data"][0], ZERO_COPY_DTYPES[array.dtype.name], width, height, bands,
                                    1 if pixel_interleaved else 0, 1 if bottom_up else 0, gt, out, len(out))
    if not ok:
        raise GridshadeError(out.value.decode())
    return out.value.decode()


def add_array(array, transform, crs, name="array", pixel_interleaved=False, copy=False, project=None, metadata=None):
    """Adds a raster layer viewing \a array's memory (no copy) to \a project (the current one by
    default) and returns it.

    \a transform is GDAL's geotransform (x0, dx, rx, y0, ry, dy) or an affine.Affine (rasterio,
    rioxarray); a positive dy (rows from south to north, the origin at the bottom-left corner)
    is shown north-up by a flipped view, without a copy. \a crs is anything QGIS reads (an EPSG
    code, WKT, a PROJ string). Arrays that are not C-contiguous or not of a dtype GDAL reads in
    place raise an error unless copy=True, which shows a converted copy instead. \a metadata (a
    dict) is kept on the layer (see set_metadata)."""
    array, _ = prepare(array, copy)
    height = array.shape[1] if array.ndim == 3 and not pixel_interleaved else array.shape[0] if array.ndim else 0
    transform, bottom_up = north_up(gdal_transform(transform), height)
    return add_view(array, transform, bottom_up, crs, name, pixel_interleaved=pixel_interleaved, project=project, metadata=metadata)


def add_view(array, transform, bottom_up, crs, name, pixel_interleaved=False, project=None, metadata=None, renderer=None):
    """The raster layer over \a array (as prepare() left it) with its north-up GDAL \a transform,
    read bottom-up when its rows are stored south to north: the one place every in-place layer
    is made. \a renderer, if given, makes the layer's renderer from its data provider; the
    layer keeps \a array alive and is added to \a project (the current one by default)."""
    from qgis.core import QgsProject, QgsRasterLayer
    target = qgis_crs(crs)
    layer = QgsRasterLayer(array_uri(array, transform, pixel_interleaved, bottom_up), name, "gdal")
    if not layer.isValid():
        raise GridshadeError("GDAL could not open the array as a raster: %s" % layer.error().summary())
    layer.setCrs(target)
    if renderer is not None:
        layer.setRenderer(renderer(layer.dataProvider()))
    if metadata:
        set_metadata(layer, metadata)
    keep_alive(layer, array)
    (project or QgsProject.instance()).addMapLayer(layer)
    return layer


def qgis_crs(crs):
    """A valid QgsCoordinateReferenceSystem from an EPSG code, WKT or a PROJ string, or an error."""
    from qgis.core import QgsCoordinateReferenceSystem
    target = QgsCoordinateReferenceSystem()
    if crs is None or not target.createFromUserInput(str(crs)) or not target.isValid():
        raise GridshadeError("the CRS %r is not one QGIS knows: give an EPSG code such as 'EPSG:4326', WKT or a PROJ string" % (crs,))
    return target


def north_up(transform, height):
    """(transform, bottom_up): a south-up geotransform (dy > 0, no rotation) becomes the north-up
    one of the same cells, to be read bottom-up."""
    x0, dx, rx, y0, ry, dy = transform
    if dy > 0 and rx == 0 and ry == 0:
        return (x0, dx, rx, y0 + dy * height, ry, -dy), True
    return transform, False


def gdal_transform(transform):
    """GDAL's 6-tuple from itself or from an affine.Affine (a, b, c, d, e, f)."""
    if hasattr(transform, "to_gdal"):
        return tuple(transform.to_gdal())
    values = tuple(float(v) for v in transform)
    if len(values) != 6:
        raise GridshadeError("the transform has %d numbers: give GDAL's six (x0, dx, rx, y0, ry, dy) or an affine.Affine" % len(values))
    return values


def keep_alive(layer, obj):
    """Ties \a obj (the memory a layer reads) to \a layer's lifetime."""
    layer_id = layer.id()
    _KEEP[layer_id] = obj
    layer.willBeDeleted.connect(lambda: _KEEP.pop(layer_id, None))


def kept(layer_id):
    """The object kept alive for a layer (None when none): for tests and diagnostics."""
    return _KEEP.get(layer_id)


def set_metadata(layer, attributes):
    """Keeps \a attributes on \a layer: each as a custom property "gridshade/meta/<key>" (saved in
    the project) and all as keywords of the layer's metadata (Layer Properties > Metadata)."""
    md = layer.metadata()
    words = []
    for key, value in attributes.items():
        layer.setCustomProperty("gridshade/meta/%s" % key, str(value))
        words.append("%s=%s" % (key, value))
    if "long_name" in attributes or "title" in attributes:
        md.setTitle(str(attributes.get("title", attributes.get("long_name"))))
    if "description" in attributes:
        md.setAbstract(str(attributes["description"]))
    md.addKeywords("attributes", words)
    layer.setMetadata(md)
