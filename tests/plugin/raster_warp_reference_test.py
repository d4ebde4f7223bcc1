# SPDX-License-Identifier: GPL-2.0-or-later
"""plugin.raster_warp_reference: gridshade:readrasterwindow with TARGET_CRS against gdalwarp
(gdal.Warp onto exactly the same grid, -et 0), gridshade:rasterstatistics against numpy over full
reads with each band's own mask, and a clear error for each bad parameter (standalone PyQGIS,
Debian's /usr/bin/python3).

usage: raster_warp_reference_test.py SOURCE_DIR BUILD_DIR
"""
import csv
import os
import sys
import tempfile

SOURCE, BUILD = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyqgis_support  # noqa: E402

app = pyqgis_support.start(SOURCE, BUILD, "gridshade_warpref_")
check = pyqgis_support.Checks()
import numpy as np  # noqa: E402
from osgeo import gdal  # noqa: E402

lib = pyqgis_support.start_processing(check)
import processing  # noqa: E402
from qgis.core import QgsProcessingException, QgsProcessingFeedback  # noqa: E402
gdal.UseExceptions()
gdal.SetCacheMax(64 << 20)  # the test process stays well under 512 MiB (GDAL would take 5 % of RAM)
tmp = tempfile.mkdtemp(prefix="gridshade_warpref_data_")


def create(path, w, h, bands, dtype, gt, epsg="EPSG:32632", options=("TILED=YES",)):
    ds = gdal.GetDriverByName("GTiff").Create(path, w, h, bands, dtype, list(options))
    ds.SetGeoTransform(gt)
    ds.SetProjection(epsg)
    return ds


def make_rgba(path):
    """An RGBA uint8 raster (band 4 = alpha): a transparent disc and border, half-transparent ramp."""
    w, h = 600, 400
    r, c = np.mgrid[0:h, 0:w]
    ds = create(path, w, h, 4, gdal.GDT_Byte, (500000, 20, 0, 5300000, 0, -20), options=("TILED=YES", "PHOTOMETRIC=RGB", "ALPHA=YES"))
    for b, a in enumerate(((c * 3) % 256, (r * 5) % 256, ((r + c) * 7) % 256), start=1):
        ds.GetRasterBand(b).WriteArray(a.astype(np.uint8))
    alpha = np.full((h, w), 255, np.uint8)
    alpha[(r - 200) ** 2 + (c - 300) ** 2 < 90 ** 2] = 0
    alpha[:, :40] = 0
    alpha[300:, 450:] = (c[300:, 450:] - 450).clip(0, 255)
    ds.GetRasterBand(4).WriteArray(alpha)
    ds.GetRasterBand(4).SetColorInterpretation(gdal.GCI_AlphaBand)
    ds = None


def make_dem(path, overviews=False):
    """A UTM 32N float32 DEM, 10 m, 2000 x 2000 around lon 7.8, lat 46.85, nodata -9999 in a lake."""
    n = 2000
    r, c = np.ogrid[0:n, 0:n]  # broadcast: no full-size coordinate arrays
    z = 1500 + 900 * np.exp(-((c - 800) ** 2 + (r - 900) ** 2) / (2 * 300.0 ** 2)) + 60 * np.sin(c / 23.0) * np.cos(r / 31.0) + 8 * np.sin((c + r) / 3.0)
    z[(c - 1300) ** 2 + (r - 500) ** 2 < 120 ** 2] = -9999
    ds = create(path, n, n, 1, gdal.GDT_Float32, (395000, 10, 0, 5200000, 0, -10))
    ds.GetRasterBand(1).SetNoDataValue(-9999)
    ds.GetRasterBand(1).WriteArray(z.astype(np.float32))
    if overviews:
        ds.BuildOverviews("AVERAGE", [2, 4, 8, 16])
    ds = None


class Errors(QgsProcessingFeedback):
    """Keeps the errors an algorithm reports (processing.run raises a generic message)."""

    def __init__(self):
        super().__init__()
        self.lines = []

    def reportError(self, text, fatal=False):  # noqa: N802 - QGIS's name
        self.lines.append(text)


FEEDBACK = [None]


def run(alg, params):
    FEEDBACK[0] = Errors()
    return processing.run("gridshade:" + alg, params, feedback=FEEDBACK[0])


def read_window(params):
    params = dict(params)
    params.setdefault("OUTPUT", os.path.join(tmp, "w_%d.tif" % len(os.listdir(tmp))))
    result = run("readrasterwindow", params)
    ds = gdal.Open(result["OUTPUT"])
    values = np.stack([ds.GetRasterBand(b + 1).ReadAsArray().astype(np.float64) for b in range(ds.RasterCount)])
    return values, ds.GetGeoTransform(), result


KEEP = []  # GDAL's bindings: a band does not keep its dataset alive


def gdalwarp(src, dst_srs, bounds, width, height, method, **extra):
    """gdal.Warp onto exactly that grid, exact transformation (-et 0), float64."""
    out = gdal.Warp("/vsimem/ref_%d.tif" % np.random.randint(1 << 30), src, dstSRS=dst_srs, outputBounds=bounds, width=width, height=height,
                    resampleAlg=method, errorThreshold=0, outputType=gdal.GDT_Float64, **extra)
    KEEP.append(out)
    return out


def extent(bounds, epsg):
    return "%r,%r,%r,%r [%s]" % (bounds[0], bounds[2], bounds[1], bounds[3], epsg)


def raises(call, fragment):
    """call() fails, and the error QGIS reports names \a fragment."""
    try:
        call()
    except QgsProcessingException as e:
        # Errors of prepareAlgorithm() reach the feedback; those of processAlgorithm() the exception.
        errors = " | ".join(FEEDBACK[0].lines + [str(e)])
        check(fragment in errors, "clear error (%s): %s" % (fragment, errors))
        return
    check(False, "expected an error with %r" % fragment)


# 1. The alpha band is applied when reprojecting, as gdalwarp applies it.
rgba = os.path.join(tmp, "rgba.tif")
make_rgba(rgba)
ref = gdal.Warp("/vsimem/rgba4326.tif", rgba, dstSRS="EPSG:4326", errorThreshold=0, resampleAlg="near")
gt, w, h = ref.GetGeoTransform(), ref.RasterXSize, ref.RasterYSize
bounds = (gt[0], gt[3] + h * gt[5], gt[0] + w * gt[1], gt[3])
got, got_gt, result = read_window({"INPUT": rgba, "TARGET_CRS": "EPSG:4326", "EXTENT": extent(bounds, "EPSG:4326"), "WIDTH": w, "HEIGHT": h})
ref_alpha = ref.GetRasterBand(4).ReadAsArray()
transparent = int(np.count_nonzero(ref_alpha == 0))
empty = np.isnan(got[0])
check(transparent > 1000 and int(np.count_nonzero(empty)) == transparent and np.array_equal(empty, ref_alpha == 0),
      "RGBA to EPSG:4326: %d empty pixels, gdalwarp %d transparent, same pixels" % (np.count_nonzero(empty), transparent))
same = all(np.array_equal(got[b][~empty], ref.GetRasterBand(b + 1).ReadAsArray()[~empty]) for b in range(3))
check(same, "RGBA to EPSG:4326: the colour bands equal gdalwarp's where it is opaque")
ref = None

# 2. Bilinear and cubic equal gdalwarp near 1:1 and when shrinking (the warp sees the whole request).
dem = os.path.join(tmp, "dem.tif")
make_dem(dem)
for srs, bounds, size in (("EPSG:3857", (862000, 5912000, 871000, 5921000), (600, 600)),
                          ("EPSG:4326", (7.75, 46.82, 7.85, 46.90), (800, 640)),
                          ("EPSG:3857", (862000, 5912000, 871000, 5921000), (250, 250))):
    for method in ("bilinear", "cubic", "average", "nearest"):
        got, _, result = read_window({"INPUT": dem, "TARGET_CRS": srs, "EXTENT": extent(bounds, srs), "WIDTH": size[0], "HEIGHT": size[1],
                                      "RESAMPLING": method})
        ref = gdalwarp(dem, srs, bounds, size[0], size[1], "near" if method == "nearest" else method).GetRasterBand(1).ReadAsArray()
        ref = np.where(ref == -9999, np.nan, ref)
        diff = np.abs(got[0] - ref)
        nodata = int(np.count_nonzero(np.isnan(got[0]) != np.isnan(ref)))
        worst = float(np.nanmax(diff)) if np.isfinite(diff).any() else 0.0
        check(nodata == 0 and worst <= 1e-6, "%s %s %dx%d: largest difference from gdalwarp -et 0 %.3g m, %d nodata differences"
              % (method, srs, size[0], size[1], worst, nodata))

# 3. OVERVIEW with TARGET_CRS: gdalwarp's own choice by default, a forced level when given.
dem_ovr = os.path.join(tmp, "dem_ovr.tif")
make_dem(dem_ovr, overviews=True)
bounds, srs = (862000, 5912000, 871000, 5921000), "EPSG:3857"
for overview, options, level in ((-1, {}, None), (3, {"overviewLevel": 2}, 3), (0, {"overviewLevel": "NONE"}, 0)):
    got, _, result = read_window({"INPUT": dem_ovr, "TARGET_CRS": srs, "EXTENT": extent(bounds, srs), "WIDTH": 100, "HEIGHT": 100,
                                  "RESAMPLING": "average", "OVERVIEW": overview})
    ref = gdalwarp(dem_ovr, srs, bounds, 100, 100, "average", **options).GetRasterBand(1).ReadAsArray()
    ref = np.where(ref == -9999, np.nan, ref)
    worst = float(np.nanmax(np.abs(got[0] - ref)))
    expected_level = 2 if level is None else level  # 9000 m over 100 px: 90 m per pixel ~ 6 cells: gdalwarp takes the 1/4 overview
    check(worst <= 1e-6 and np.array_equal(np.isnan(got[0]), np.isnan(ref)) and result["OVERVIEW_LEVEL"] == expected_level,
          "OVERVIEW %d with TARGET_CRS: largest difference from gdalwarp %s %.3g, OVERVIEW_LEVEL %s (expected %d)"
          % (overview, options or "(AUTO)", worst, result["OVERVIEW_LEVEL"], expected_level))
    window = [float(v) for v in result["WINDOW"].split(",")]
    check(len(window) == 4 and window[2] > 0 and window[3] > 0, "OVERVIEW %d: WINDOW %s describes the source window" % (overview, result["WINDOW"]))
other, _, _ = read_window({"INPUT": dem_ovr, "TARGET_CRS": srs, "EXTENT": extent(bounds, srs), "WIDTH": 100, "HEIGHT": 100,
                           "RESAMPLING": "average", "OVERVIEW": 4})
check(float(np.nanmax(np.abs(other[0] - got[0]))) > 0.1, "OVERVIEW 4 gives other values than OVERVIEW 0: the parameter is honoured")

# 4. Sizes: HEIGHT alone keeps the aspect, as gdalwarp -ts 0 100 (with and without reprojecting).
got, gt, _ = read_window({"INPUT": dem, "TARGET_CRS": srs, "EXTENT": extent((862000, 5912000, 871000, 5916500), srs), "WIDTH": 0, "HEIGHT": 100})
check(got.shape[1:] == (100, 200), "WIDTH=0 HEIGHT=100 when reprojecting a 9000 x 4500 m extent: %s (200 x 100 expected)" % (got.shape[1:],))
got, gt, _ = read_window({"INPUT": dem, "EXTENT": extent((400000, 5190000, 410000, 5195000), "EPSG:32632"), "WIDTH": 0, "HEIGHT": 100})
check(got.shape[1:] == (100, 200), "WIDTH=0 HEIGHT=100 without reprojecting: %s" % (got.shape[1:],))

# 5. BANDS as qgis_process users write it.
full = gdal.Open(rgba)
for bands in ("3,1", "3;1", ["3", "1"], [3, 1]):
    got, _, _ = read_window({"INPUT": rgba, "BANDS": bands, "APPLY_MASK": False})
    check(got.shape[0] == 2 and np.array_equal(got[0], full.GetRasterBand(3).ReadAsArray()) and np.array_equal(got[1], full.GetRasterBand(1).ReadAsArray()),
          "BANDS=%r reads bands 3 then 1" % (bands,))
full = None
raises(lambda: read_window({"INPUT": rgba, "BANDS": "3,x"}), "'x' is not a band number")

# 6. Clear errors, before anything is read.
raises(lambda: read_window({"INPUT": dem, "TARGET_CRS": "EPSG:999999"}), "EPSG:999999")
raises(lambda: read_window({"INPUT": dem, "TARGET_CRS": "EPSG:3857", "EXTENT": extent((0, 0, 100000, 100000), "EPSG:3857")}), "does not overlap")
raises(lambda: read_window({"INPUT": dem, "TARGET_CRS": "EPSG:3857", "APPLY_MASK": False}), "APPLY_MASK=false cannot be combined with TARGET_CRS")
raises(lambda: read_window({"INPUT": dem, "WIDTH": 40000, "HEIGHT": 40000}), "2^30 pixels")
# Under 2^30 pixels but more than half the memory available: 4 bands of 32768^2 float64 (32 GiB).
with open("/proc/meminfo") as meminfo:
    available = int([line.split()[1] for line in meminfo if line.startswith("MemAvailable:")][0]) * 1024
if available < 60 * 2 ** 30:
    raises(lambda: read_window({"INPUT": rgba, "WIDTH": 32768, "HEIGHT": 32768}), "memory available")
else:
    print("skip the memory-available case: %.0f GiB available, more than the 32 GiB case needs twice" % (available / 2 ** 30))


# 7. Statistics: each band with its own mask, a stable standard deviation; numpy over full reads.
def statistics(path, bands=None):
    out = os.path.join(tmp, "stats_%d.csv" % len(os.listdir(tmp)))
    params = {"INPUT": path, "OUTPUT": out}
    if bands:
        params["BANDS"] = bands
    run("rasterstatistics", params)
    with open(out) as f:
        return {int(row["band"]): row for row in csv.DictReader(f)}


def reference(path, band):
    ds = gdal.Open(path)
    b = ds.GetRasterBand(band)
    values = b.ReadAsArray().astype(np.float64)
    valid = (b.GetMaskBand().ReadAsArray() != 0) & ~np.isnan(values)
    return values[valid]


def compare_stats(tag, row, values):
    n = values.size
    ok = int(row["valid"]) == n
    for key, want in (("mean", values.mean()), ("stddev", values.std()), ("min", values.min()), ("max", values.max())):
        got = float(row[key])
        ok = ok and abs(got - want) <= 1e-9 * max(1.0, abs(want)) + (1e-9 if key == "stddev" else 0)
    check(ok, "%s: valid %s (numpy %d), mean %s (%.10g), stddev %s (%.10g)" % (tag, row["valid"], n, row["mean"], values.mean(), row["stddev"], values.std()))


together = statistics(rgba)
alone = statistics(rgba, "4")
for b in (1, 2, 3, 4):
    compare_stats("RGBA band %d read with all four" % b, together[b], reference(rgba, b))
compare_stats("RGBA band 4 alone", alone[4], reference(rgba, 4))

# Two bands with different nodata values, through a VRT.
parts = []
for k, nodata in ((1, 0.0), (2, 7.0)):
    p = os.path.join(tmp, "part%d.tif" % k)
    ds = create(p, 500, 500, 1, gdal.GDT_Float32, (400000, 10, 0, 5200000, 0, -10))
    r, c = np.mgrid[0:500, 0:500]
    a = ((r * 13 + c * 7 * k) % (50 * k)).astype(np.float32)
    ds.GetRasterBand(1).WriteArray(a)
    ds.GetRasterBand(1).SetNoDataValue(nodata)
    ds = None
    parts.append(p)
vrt = gdal.BuildVRT(os.path.join(tmp, "two.vrt"), parts, separate=True)
vrt = None
two = statistics(os.path.join(tmp, "two.vrt"))
for b in (1, 2):
    compare_stats("2-band VRT, band %d with its own nodata" % b, two[b], reference(os.path.join(tmp, "two.vrt"), b))
check(int(two[1]["valid"]) != int(two[2]["valid"]), "the two bands report different valid counts (%s, %s)" % (two[1]["valid"], two[2]["valid"]))

# Epoch seconds: 1.7e9 plus a fraction; sums of squares lose every digit here.
epoch = os.path.join(tmp, "epoch.tif")
ds = create(epoch, 1000, 1000, 1, gdal.GDT_Float64, (400000, 10, 0, 5200000, 0, -10))
ds.GetRasterBand(1).WriteArray(1.7e9 + (np.arange(1000 * 1000).reshape(1000, 1000) % 1000) / 1000.0)
ds = None
values = reference(epoch, 1)
row = statistics(epoch)[1]
check(abs(float(row["stddev"]) - values.std()) <= 1e-6 * values.std() and abs(float(row["mean"]) - values.mean()) <= 1e-12 * values.mean(),
      "epoch seconds: stddev %s (numpy %.10g), mean %s (numpy %.17g)" % (row["stddev"], values.std(), row["mean"], values.mean()))

gdal.Unlink("/vsimem/rgba4326.tif")
del KEEP[:]
lib.gridshade_unregister()
sys.exit(check.finish(app))
