# SPDX-License-Identifier: GPL-2.0-or-later
"""plugin.array_ingestion_py: numpy arrays as QGIS raster layers from standalone PyQGIS
(Debian's /usr/bin/python3), through gridshade_loader.arrays: no copy (GDAL's dataset points at
the array's memory, a write shows in the next read), georeferencing and band order kept, the
array kept alive by the layer, clear errors.

usage: array_ingestion_test.py SOURCE_DIR BUILD_DIR
"""
import gc
import os
import sys

SOURCE, BUILD = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyqgis_support  # noqa: E402

app = pyqgis_support.start(SOURCE, BUILD, "gridshade_arrays_")
check = pyqgis_support.Checks()
import numpy as np  # noqa: E402
from osgeo import gdal  # noqa: E402
from qgis.core import QgsProject, QgsRectangle  # noqa: E402

from gridshade_loader.arrays import add_array, array_uri  # noqa: E402


def value(layer, band, row, col):
    block = layer.dataProvider().block(band, layer.extent(), layer.width(), layer.height())
    return block.value(row, col)


gt = (600000.0, 30.0, 0.0, 5200000.0, 0.0, -30.0)
for dtype in ("uint8", "uint16", "int16", "uint32", "int32", "float32", "float64"):
    for pixel in (False, True):
        shape = (20, 30, 3) if pixel else (3, 20, 30)
        a = (np.arange(np.prod(shape)) % 100).astype(dtype).reshape(shape)
        layer = add_array(a, gt, "EPSG:32632", name="a", pixel_interleaved=pixel)
        tag = "%s %s" % (dtype, "pixel" if pixel else "band")
        check("DATAPOINTER=%d," % a.__array_interface__["data"][0] in layer.source(), "%s: the dataset is built on the array's address" % tag)
        ds = gdal.Open(layer.source())
        check(ds is not None and ds.RasterCount == 3 and ds.GetGeoTransform() == gt, "%s: GDAL opens it with the transform" % tag)
        ds = None
        check(layer.extent() == QgsRectangle(600000, 5200000 - 20 * 30, 600000 + 30 * 30, 5200000), "%s: extent from the transform" % tag)
        check(layer.crs().authid() == "EPSG:32632", "%s: CRS kept" % tag)
        band3 = a[:, :, 2] if pixel else a[2]
        check(value(layer, 3, 7, 11) == float(band3[7, 11]), "%s: band 3 in place" % tag)
        band3[7, 11] = 42
        check(value(layer, 3, 7, 11) == 42.0, "%s: a write to the array shows (no copy)" % tag)

# The layer keeps the array alive after the caller lets go of it.
layer = add_array(np.full((10, 10), 5.0, dtype="float32"), gt, "EPSG:32632", name="owned")
gc.collect()
check(value(layer, 1, 3, 3) == 5.0, "the layer keeps its array alive")
QgsProject.instance().removeMapLayer(layer.id())

for bad, message in ((np.zeros((4, 4), dtype="int64"), "not supported"), (np.zeros((4, 4), dtype="float32")[:, ::2], "C-contiguous"),
                     (np.zeros((2, 2, 2, 2), dtype="float32"), "dimensions")):
    try:
        array_uri(bad, gt)
        check(False, "error for " + message)
    except (TypeError, ValueError) as e:
        check(message in str(e), "clear error: %s" % e)
try:
    add_array(np.zeros((4, 4), dtype="float32"), gt, "EPSG:999999")
    check(False, "error for an unknown CRS")
except ValueError as e:
    check("CRS" in str(e), "clear error: %s" % e)

layer = None
sys.exit(check.finish(app))
