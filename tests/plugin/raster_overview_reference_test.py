# SPDX-License-Identifier: GPL-2.0-or-later
"""plugin.raster_overview_reference: gridshade:readrasterwindow against independent references
when GDAL reads through an overview (standalone PyQGIS, Debian's /usr/bin/python3).

The references never go through the plugin's own GDAL call: the overview's cells are read whole
with GDAL's Python bindings and resampled by hand in numpy (nearest: GDAL's documented pixel
rule; average: the area-weighted mean of the exact window, nodata left out), and
`gdal.Translate` with a fractional source window (a VRT source: another code path of GDAL).
A value-coded raster (each level filled with its own factor) shows which level was really read.

usage: raster_overview_reference_test.py SOURCE_DIR BUILD_DIR
"""
import os
import sys
import tempfile

SOURCE, BUILD = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyqgis_support  # noqa: E402

app = pyqgis_support.start(SOURCE, BUILD, "gridshade_ovref_")
check = pyqgis_support.Checks()
import numpy as np  # noqa: E402
from osgeo import gdal  # noqa: E402

lib = pyqgis_support.start_processing(check)
import processing  # noqa: E402
from qgis.core import QgsProcessingFeedback  # noqa: E402
gdal.UseExceptions()

N, RES, X0, Y0, NODATA = 2048, 10.0, 400000.0, 5200000.0, -9999.0
tmp = tempfile.mkdtemp(prefix="gridshade_ovref_data_")


def make_fixture(path):
    """The issue's fixture: 2048^2 float32 UTM 32N, 10 m, nodata -9999, 256^2 tiles, AVERAGE
    overviews 2, 4, 8, 16, with nodata areas (a disc, a band of rows, scattered cells)."""
    r, c = np.ogrid[0:N, 0:N]  # broadcast: no full-size coordinate arrays
    a = 800 + 300 * np.sin(c / 37.0) * np.cos(r / 53.0) + 40 * np.sin((c + 2 * r) / 7.0) + 0.01 * c
    a[(r - 700) ** 2 + (c - 1300) ** 2 < 180 ** 2] = NODATA
    a[96:104, 1200:1490] = NODATA
    a[(r * 7 + c * 13) % 97 == 0] = NODATA
    ds = gdal.GetDriverByName("GTiff").Create(path, N, N, 1, gdal.GDT_Float32,
                                              ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE"])
    ds.SetGeoTransform((X0, RES, 0, Y0, 0, -RES))
    ds.SetProjection("EPSG:32632")
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(NODATA)
    band.WriteArray(a.astype(np.float32))
    ds.BuildOverviews("AVERAGE", [2, 4, 8, 16])
    ds = None


def make_coded(path):
    """uint8 raster whose full resolution holds 1 and whose overview k holds its factor 2^(k+1)."""
    ds = gdal.GetDriverByName("GTiff").Create(path, N, N, 1, gdal.GDT_Byte, ["TILED=YES"])
    ds.SetGeoTransform((X0, RES, 0, Y0, 0, -RES))
    ds.SetProjection("EPSG:32632")
    ds.GetRasterBand(1).Fill(1)
    ds.BuildOverviews("NEAREST", [2, 4, 8, 16])
    for k in range(4):
        ds.GetRasterBand(1).GetOverview(k).Fill(2 ** (k + 1))
    ds = None


def level_cells(path, level):
    """All cells of a level (-1 full resolution) as float64, read whole by GDAL's bindings."""
    ds = gdal.Open(path)  # kept: a band does not keep its dataset alive in GDAL's bindings
    band = ds.GetRasterBand(1)
    if level >= 0:
        band = band.GetOverview(level)
    return band.ReadAsArray().astype(np.float64)


def nearest(cells, off, size, out):
    """GDAL's nearest rule on a fractional window: cell floor((i + 0.5) * size / out + off + 1e-10)."""
    idx = [np.minimum(np.floor((np.arange(out[k]) + 0.5) * size[k] / out[k] + off[k] + 1e-10).astype(int), cells.shape[1 - k] - 1)
           for k in (0, 1)]
    return cells[np.ix_(idx[1], idx[0])]


def weights(off, size, out, n):
    """Area overlap of output pixel i's interval [off + i s, off + (i + 1) s] with cell j: (out, n)."""
    s = size / out
    lo = off + np.arange(out) * s
    hi = lo + s
    j = np.arange(n)
    return np.clip(np.minimum(hi[:, None], j[None, :] + 1) - np.maximum(lo[:, None], j[None, :]), 0, None)


def average(cells, off, size, out):
    """Area-weighted mean over the exact window, nodata cells left out; NaN where none is valid."""
    wx = weights(off[0], size[0], out[0], cells.shape[1])
    wy = weights(off[1], size[1], out[1], cells.shape[0])
    valid = cells != NODATA
    v = np.where(valid, cells, 0.0)
    total = wy @ v @ wx.T
    weight = wy @ valid.astype(np.float64) @ wx.T
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, total / weight, np.nan)


class Log(QgsProcessingFeedback):
    """Keeps what the algorithm reports."""

    def __init__(self):
        super().__init__()
        self.lines = []

    def pushInfo(self, text):  # noqa: N802 - QGIS's name
        self.lines.append(text)


def read(path, extent=None, width=0, height=0, resampling="nearest", overview=-1, mask=True):
    feedback = Log()
    log = feedback.lines
    out = os.path.join(tmp, "out_%d.tif" % len(os.listdir(tmp)))
    params = {"INPUT": path, "WIDTH": width, "HEIGHT": height, "RESAMPLING": resampling, "OVERVIEW": overview,
              "APPLY_MASK": mask, "OUTPUT": out}
    if extent:
        params["EXTENT"] = "%r,%r,%r,%r [EPSG:32632]" % extent
    result = processing.run("gridshade:readrasterwindow", params, feedback=feedback)
    ds = gdal.Open(result["OUTPUT"])
    return ds.GetRasterBand(1).ReadAsArray().astype(np.float64), ds.GetGeoTransform(), result, log


def compare(tag, got, want, tolerance):
    both = ~np.isnan(got) & ~np.isnan(want)
    nodata_diff = int(np.count_nonzero(np.isnan(got) != np.isnan(want)))
    worst = float(np.max(np.abs(got[both] - want[both]))) if both.any() else 0.0
    check(got.shape == want.shape and nodata_diff == 0 and worst <= tolerance,
          "%s: shape %s, %d nodata differences, largest difference %.3g (tolerance %g)" % (tag, got.shape, nodata_diff, worst, tolerance))
    return worst


fixture = os.path.join(tmp, "dem.tif")
make_fixture(fixture)

# 1. The whole-pixel window (100, 100, 1000, 1000) at 1/10: GDAL reads the 1/8 overview
#    (level 2), where the window is (12.5, 12.5, 125, 125).
extent = (X0 + 100 * RES, X0 + 1100 * RES, Y0 - 1100 * RES, Y0 - 100 * RES)
ov8 = level_cells(fixture, 2)
for method, reference, tol in (("average", average, 1e-3), ("nearest", nearest, 0.0)):
    got, gt, result, log = read(fixture, extent, 100, 100, method)
    want = reference(ov8, (12.5, 12.5), (125.0, 125.0), (100, 100))
    if method == "nearest":
        want = np.where(want == NODATA, np.nan, want)
    compare("whole-pixel window (100,100,1000,1000) -> 100x100 %s through the 1/8 overview" % method, got, want, tol)
    shifted = reference(ov8, (13.0, 13.0), (125.0, 125.0), (100, 100))
    shifted = np.where(shifted == NODATA, np.nan, shifted)
    check(np.nanmax(np.abs(got - shifted)) > 1.0, "%s: the old, shifted window (13, 13, 125, 125) would differ (by %.1f)"
          % (method, np.nanmax(np.abs(got - shifted))))
    check(abs(gt[0] - extent[0]) < 1e-6 and abs(gt[1] - 100.0) < 1e-9, "%s: geotransform starts at column 100, 100 m pixels" % method)
    check(result["OVERVIEW_LEVEL"] == 3, "%s: OVERVIEW_LEVEL %s == 3 (the 1/8 overview)" % (method, result["OVERVIEW_LEVEL"]))

# The same read by another GDAL code path: gdal.Translate with a fractional source window on the
# 1/8 level (a VRT source), average.
ds8 = gdal.OpenEx(fixture, open_options=["OVERVIEW_LEVEL=2"])
translated = gdal.Translate("/vsimem/t.tif", ds8, srcWin=[12.5, 12.5, 125, 125], width=100, height=100, resampleAlg="average",
                            outputType=gdal.GDT_Float64)
want = translated.GetRasterBand(1).ReadAsArray().astype(np.float64)
want = np.where(want == NODATA, np.nan, want)
got, _, _, _ = read(fixture, extent, 100, 100, "average")
compare("whole-pixel window, average: equal to gdal.Translate -srcwin 12.5 12.5 125 125 on the 1/8 level", got, want, 1e-3)
del translated, ds8  # before QGIS exits

# 2. A fractional window through an overview: x 400009..410011 is (0.9, 1000.2) px; at 200 px
#    GDAL gets the whole-pixel window (0, 1002) and reads the 1/4 overview (factor 5.01).
fext = (X0 + 9, X0 + 10011, Y0 - 10011, Y0 - 9)
for method, reference, tol in (("average", average, 1e-3), ("nearest", nearest, 0.0)):
    got, _, result, _ = read(fixture, fext, 200, 200, method)
    cells = level_cells(fixture, 1)
    want = reference(cells, (0.9 / 4, 0.9 / 4), (1000.2 / 4, 1000.2 / 4), (200, 200))
    if method == "nearest":
        want = np.where(want == NODATA, np.nan, want)
    compare("fractional window (0.9, 1000.2) -> 200 %s through the 1/4 overview" % method, got, want, tol)
    check(result["OVERVIEW_LEVEL"] == 2, "fractional %s: OVERVIEW_LEVEL %s == 2" % (method, result["OVERVIEW_LEVEL"]))

# A whole-pixel read at full resolution (no overview): average over exact 10x10 blocks.
full = level_cells(fixture, -1)
got, _, result, _ = read(fixture, extent, 100, 100, "average", overview=0)
compare("OVERVIEW=0 average (100,100,1000,1000) -> 100: the full-resolution 10x10 means", got,
        average(full, (100.0, 100.0), (1000.0, 1000.0), (100, 100)), 1e-3)

# 3. Forced levels with APPLY_MASK: the mask comes from the same level and window as the data.
for overview in (0, 1, 2):
    got, _, result, _ = read(fixture, None, 256, 256, "nearest", overview=overview)
    cells = level_cells(fixture, overview - 1)
    want = nearest(cells, (0.0, 0.0), (float(cells.shape[1]), float(cells.shape[0])), (256, 256))
    nodata = int(np.count_nonzero(want == NODATA))
    want = np.where(want == NODATA, np.nan, want)
    worst = compare("OVERVIEW=%d nearest 256x256 with APPLY_MASK: %d nodata cells as in that level" % (overview, nodata), got, want, 0.0)
    check(not np.any(got == NODATA), "OVERVIEW=%d: no -9999 left unmasked" % overview)
    check(result["OVERVIEW_LEVEL"] == overview, "OVERVIEW=%d: OVERVIEW_LEVEL %s" % (overview, result["OVERVIEW_LEVEL"]))

# 4. The level reported is the level read, near every threshold: output sizes around 1.2 x each
#    factor, for whole-pixel and fractional windows (x 400009..410011 is 1002 whole pixels).
coded = os.path.join(tmp, "coded.tif")
make_coded(coded)
cases = 0
for ext, pixels in (((X0, X0 + 10000, Y0 - 10000, Y0), 1000), (fext, 1002)):
    for factor in (2, 4, 8, 16):
        threshold = int(pixels * 1.2 / factor)  # 601 for 1002 pixels at 1/2: the case
        for width in (threshold - 1, threshold, threshold + 1, threshold + 2, pixels // factor):
            got, _, result, log = read(coded, ext, width, width, "nearest", mask=False)
            values = np.unique(got)
            level = result["OVERVIEW_LEVEL"]
            seen = int(values[0]) if values.size == 1 else -1
            expected_log = "read at full resolution" if level == 0 else "read from overview %d" % level
            check(seen == (2 ** level if level > 0 else 1) and any(expected_log in line for line in log),
                  "window of %d px at %d: OVERVIEW_LEVEL %d, every value %s, log %r" % (pixels, width, level, values[:3].tolist(), log[-1:]))
            cases += 1
check(cases == 40, "%d threshold cases" % cases)

lib.gridshade_unregister()
sys.exit(check.finish(app))
