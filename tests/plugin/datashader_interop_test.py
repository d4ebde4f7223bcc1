#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""plugin.datashader_interop: Datashader outputs on the map, from standalone PyQGIS.

Datashader is not a Debian package, so the inputs are built with xarray the way Datashader
builds them (cell-centre coordinates, rows from south to north, counts as uint32, shaded images
as packed uint32 RGBA); when Datashader itself is importable its own outputs are checked too.

- add_aggregate: the density layer reads the aggregate's memory (by address, and a write shows),
  and rendered on the aggregate's own grid it is pixel for pixel the density layer of the same
  points (brute-force counts = our aggregation), shaded by our pipeline; 0 draws nothing.
- add_image: the overlay reads the image's memory, and rendered on the image's grid every pixel
  is the image's RGBA (premultiplied by QGIS), on two CRSs: placement exact (< 0.5 px).
- a project saved with these layers reopens them as unavailable, not on stray memory.
- errors: categorical aggregates, non-RGBA images, no CRS, unknown options.

usage: datashader_interop_test.py SOURCE_DIR BUILD_DIR
"""
import importlib.util
import os
import sys
import tempfile
from urllib.parse import parse_qsl

SOURCE, BUILD = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyqgis_support  # noqa: E402

app = pyqgis_support.start(SOURCE, BUILD, "gridshade_datashader_")
check = pyqgis_support.Checks()
if importlib.util.find_spec("xarray") is None:
    print("skip: python3-xarray is not installed (the test command installs it)")
    sys.exit(check.finish(app))

import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402
from qgis.core import (QgsCoordinateReferenceSystem, QgsFeature, QgsGeometry, QgsMapRendererSequentialJob,  # noqa: E402
                       QgsMapSettings, QgsPointXY, QgsProject, QgsRectangle, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor, QImage  # noqa: E402

import gridshade  # noqa: E402

W, H = 160, 120


def raises(call, fragment, kind=None):
    check.raises(call, fragment, kind or gridshade.GridshadeError)


def render(layer, x_range, y_range, crs):
    """The layer alone on the W x H grid of the ranges, as straight-alpha RGBA bytes (H, W, 4)
    and premultiplied ARGB32 (H, W) words."""
    s = QgsMapSettings()
    s.setLayers([layer])
    s.setDestinationCrs(QgsCoordinateReferenceSystem(crs))
    s.setOutputSize(QSize(W, H))
    s.setExtent(QgsRectangle(x_range[0], y_range[0], x_range[1], y_range[1]))
    s.setBackgroundColor(QColor(0, 0, 0, 0))
    job = QgsMapRendererSequentialJob(s)
    job.start()
    job.waitForFinished()
    image = job.renderedImage().convertToFormat(QImage.Format_ARGB32_Premultiplied)
    words = np.frombuffer(image.constBits().asstring(image.sizeInBytes()), dtype=np.uint32).reshape(H, image.bytesPerLine() // 4)[:, :W]
    return words.copy()


def centres(lo, hi, n):
    """Datashader's cell centres of n cells over [lo, hi]."""
    step = (hi - lo) / n
    return lo + step * (np.arange(n) + 0.5)


def aggregate_like_datashader(xs, ys, x_range, y_range):
    """Counts on the W x H grid, rows from south to north, by brute force (each point's cell by
    floor of its offset in cells; the max edge belongs to the last cell)."""
    sx, sy = W / (x_range[1] - x_range[0]), H / (y_range[1] - y_range[0])
    inside = (xs >= x_range[0]) & (xs <= x_range[1]) & (ys >= y_range[0]) & (ys <= y_range[1])
    cx = np.minimum(((xs[inside] - x_range[0]) * sx).astype(np.int64), W - 1)
    cy = np.minimum(((ys[inside] - y_range[0]) * sy).astype(np.int64), H - 1)
    counts = np.zeros((H, W), dtype=np.uint32)
    np.add.at(counts, (cy, cx), 1)
    return xr.DataArray(counts, dims=("y", "x"), coords={"y": centres(*y_range, H), "x": centres(*x_range, W)},
                        name="count", attrs={"x_range": x_range, "y_range": y_range})


def points_layer(xs, ys, crs):
    layer = QgsVectorLayer("Point?crs=%s" % crs, "points", "memory")
    features = []
    for x, y in zip(xs, ys):
        f = QgsFeature()
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(x), float(y))))
        features.append(f)
    layer.dataProvider().addFeatures(features)
    QgsProject.instance().addMapLayer(layer)
    return layer


def raster_option(layer):
    return dict(parse_qsl(layer.property("options")))["raster"]


def address(a):
    return a.__array_interface__["data"][0]


check("datashader" not in sys.modules, "import gridshade does not import Datashader")

# --- an aggregate as a density layer ---------------------------------------------------------
rng = np.random.default_rng(7)
x_range, y_range = (1000000.0, 1160000.0), (6000000.0, 6120000.0)  # 1 km cells in EPSG:3857
xs = np.concatenate([rng.normal(1060000, 20000, 15000), rng.uniform(*x_range, 3000)])
ys = np.concatenate([rng.normal(6050000, 15000, 15000), rng.uniform(*y_range, 3000)])
agg = aggregate_like_datashader(xs, ys, x_range, y_range)
total = int(agg.values.sum())
density = gridshade.add_aggregate(agg, crs="EPSG:3857", cmap="fire", how="eq_hist")
check(density.property("lastError") == "", "aggregate: the density layer opens it (%s)" % density.property("lastError"))
uri = raster_option(density)
check("DATAPOINTER=%d," % (address(agg.values) + (H - 1) * W * 4) in uri and "LINEOFFSET=-%d" % (W * 4) in uri,
      "aggregate: the layer reads the aggregate's memory, from its last (northernmost) row")
check(density.crs().authid() == "EPSG:3857", "aggregate: the CRS given")
extent = density.extent()
err = max(abs(extent.xMinimum() - x_range[0]), abs(extent.xMaximum() - x_range[1]), abs(extent.yMinimum() - y_range[0]),
          abs(extent.yMaximum() - y_range[1])) / 1000.0
check(err < 1e-6, "aggregate: extent = the aggregate's ranges (error %.2g px)" % err)
check(density.customProperty("gridshade/meta/x_range") == str(x_range), "aggregate: attributes kept")

shaded = render(density, x_range, y_range, "EPSG:3857")
counts = np.flipud(agg.values)  # north-up, as rendered
alpha = shaded >> 24
check(np.array_equal(alpha == 0, counts == 0), "aggregate: empty cells (0) draw nothing, every other cell draws (%d cells)"
      % int((counts > 0).sum()))
# Our own aggregation of the same points, on the same grid, through the point pipeline.
points = points_layer(xs, ys, "EPSG:3857")
reference = gridshade._datashader._density_layer("layer=%s&how=eq_hist&cmap=fire" % points.id(), "points")
QgsProject.instance().addMapLayer(reference)
expected = render(reference, x_range, y_range, "EPSG:3857")
stats = reference.property("renderStats")
check(stats.get("pointsInView") == total, "points: the %d points of the aggregate in view (%s)" % (total, stats.get("pointsInView")))
differing = int((expected != shaded).sum())
check(differing == 0, "aggregate: pixel for pixel the density layer of the same points (%d of %d differ)" % (differing, W * H))
# No copy: a write to the aggregate shows at the next render.
before = render(density, x_range, y_range, "EPSG:3857")
agg.values[:] = 0
agg.values[0, 0] = 5  # the south-west cell
after = render(density, x_range, y_range, "EPSG:3857")
check((after >> 24).sum() > 0 and (after[H - 1, 0] >> 24) > 0 and int(((after >> 24) > 0).sum()) == 1 and not np.array_equal(before, after),
      "aggregate: a write to the array shows at the next render (one cell left, bottom-left)")

# Float aggregates (mean, sum): NaN is empty, values are shaded.
means = xr.DataArray(np.where(agg.values > 0, 1.5, np.nan), dims=("y", "x"), coords=agg.coords, name="mean")
means.values[:] = np.nan
means.values[10:20, 30:50] = np.linspace(1, 9, 200).reshape(10, 20)
mean_layer = gridshade.add_aggregate(means, crs="EPSG:3857", how="linear")
drawn = (render(mean_layer, x_range, y_range, "EPSG:3857") >> 24) > 0
check(np.array_equal(drawn, ~np.isnan(np.flipud(means.values))), "float aggregate: NaN cells draw nothing, the rest draw")
check("nodata" not in dict(parse_qsl(mean_layer.property("options"))), "float aggregate: no nodata value (NaN is missing)")

# --- a shaded image as an RGBA overlay, on two CRSs ------------------------------------------
for crs, xr_, yr_ in (("EPSG:3857", x_range, y_range), ("EPSG:4326", (8.0, 9.6), (46.0, 47.2))):
    rgba = rng.integers(0, 256, size=(H, W, 4), dtype=np.uint8)
    rgba[..., 3] = rng.choice(np.array([0, 128, 255], dtype=np.uint8), size=(H, W))
    packed = rgba.view(np.uint32).reshape(H, W)  # Datashader's packing: R in the low byte
    img = xr.DataArray(packed, dims=("y", "x"), coords={"y": centres(*yr_, H), "x": centres(*xr_, W)}, name="shaded")
    overlay = gridshade.add_image(img, crs=crs)
    check("DATAPOINTER=%d," % (address(img.values) + (H - 1) * W * 4) in overlay.source(),
          "%s image: the overlay reads the image's memory, from its last row" % crs)
    e = overlay.extent()
    px = (xr_[1] - xr_[0]) / W
    err = max(abs(e.xMinimum() - xr_[0]), abs(e.xMaximum() - xr_[1]), abs(e.yMinimum() - yr_[0]), abs(e.yMaximum() - yr_[1])) / px
    check(err < 1e-6, "%s image: extent = the image's ranges (error %.2g px)" % (crs, err))
    got = render(overlay, xr_, yr_, crs)
    north = np.flipud(rgba).astype(np.int64)
    a = north[..., 3]
    want = [np.rint(north[..., k] * a / 255.0) for k in range(3)]
    got_c = [(got >> s) & 255 for s in (16, 8, 0)]  # premultiplied ARGB32: R, G, B
    worst = max(int(np.abs(g.astype(np.int64) - w).max()) for g, w in zip(got_c, want))
    check(np.array_equal((got >> 24).astype(np.int64), a) and worst <= 1,
          "%s image: every pixel is the image's RGBA at its own place (alpha exact, colour within %d/255)" % (crs, worst))
    rgba[0, 0] = (255, 0, 0, 255)  # the south-west pixel, in memory
    got = render(overlay, xr_, yr_, crs)
    check(int(got[H - 1, 0]) == 0xFFFF0000, "%s image: a write to the image shows at the next render" % crs)
    # keep rgba alive until here: packed (and the layer) view its memory
    del rgba

# --- a project saved with console layers reopens them unavailable ---------------------------
project_path = os.path.join(tempfile.mkdtemp(prefix="gridshade_ds_project_"), "console.qgs")
check(QgsProject.instance().write(project_path), "the project with console layers is saved")
reopened = QgsProject()
reopened.read(project_path)
by_name = {l.name(): l for l in reopened.mapLayers().values()}
check(not by_name["shaded"].isValid(), "reopened: the image overlay is unavailable (not read from stray memory)")
check("Python session" in (by_name["count"].property("lastError") or ""), "reopened: the aggregate's density layer says why it draws nothing: %s"
      % by_name["count"].property("lastError"))
reopened.removeAllMapLayers()

# --- errors ----------------------------------------------------------------------------------
cat = xr.concat([agg, agg], dim="cat").transpose("y", "x", "cat")
raises(lambda: gridshade.add_aggregate(cat, crs="EPSG:3857"), "categorical")
raises(lambda: gridshade.add_image(means, crs="EPSG:3857"), "packed uint32 RGBA")
raises(lambda: gridshade.add_aggregate(agg), "no CRS")
raises(lambda: gridshade.add_aggregate(np.zeros((4, 4, 2))), "xarray.DataArray")
raises(lambda: gridshade.add_aggregate(agg, crs="EPSG:3857", colour="red"), "unknown option")
check("datashader" not in sys.modules, "add_aggregate and add_image did not import Datashader")

# --- real Datashader, when it is importable ---------------------------------------------------
if not gridshade.is_datashader_available():
    print("skip real Datashader: it is not importable (not a Debian 12 package; pip install --user datashader to run this part)")
else:
    import datashader as ds  # noqa: E402
    import datashader.transfer_functions as tf  # noqa: E402
    import pandas as pd  # noqa: E402
    df = pd.DataFrame({"x": xs, "y": ys})
    real = ds.Canvas(plot_width=W, plot_height=H, x_range=x_range, y_range=y_range).points(df, "x", "y")
    check(np.array_equal(real.values, aggregate_like_datashader(xs, ys, x_range, y_range).values),
          "Datashader: its counts equal the brute-force aggregate")
    layer = gridshade.add_aggregate(real, crs="EPSG:3857", cmap="fire")
    check(int((render(layer, x_range, y_range, "EPSG:3857") != expected).sum()) == 0,
          "Datashader: its aggregate renders as the density layer of the points")
    image = tf.shade(real)
    overlay = gridshade.add_image(image, crs="EPSG:3857")
    got = render(overlay, x_range, y_range, "EPSG:3857")
    straight = np.flipud(np.asarray(image.values)).view(np.uint8).reshape(H, W, 4).astype(np.int64)
    check(np.array_equal((got >> 24).astype(np.int64), straight[..., 3]), "Datashader: the shaded image's alpha, pixel for pixel")

density = mean_layer = reference = overlay = None
sys.exit(check.finish(app))
