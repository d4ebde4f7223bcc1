# SPDX-License-Identifier: GPL-2.0-or-later
"""plugin.qgis_process: both Gridshade algorithms through the real /usr/bin/qgis_process.bin.

Installs the plugin into a throwaway profile, writes a 20000-point scene with
gridshade-scene-gpkg, runs the algorithms and checks their outputs against an independent
NumPy computation over the points read back with OGR; then checks that bad input fails with a
clear message, a non-zero exit status and no crash.

usage: qgis_process_test.py SOURCE_DIR BUILD_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
SOURCE, BUILD = sys.argv[1], sys.argv[2]
QGIS_PROCESS = os.path.join(os.environ.get("QGIS_PREFIX_PATH", "/usr"), "bin/qgis_process.bin")  # Debian's 3.22 wrapper passes an option it rejects
EXTENT = (633129.6038867435, 1259301.7395989073, 5772795.863495652, 6242424.965279775)  # Z8, xmin,xmax,ymin,ymax
EXTENT_ARG = "EXTENT=%r,%r,%r,%r [EPSG:3857]" % EXTENT
failures = []


def check(condition, message, detail=""):
    print(("ok   " if condition else "FAIL ") + message + ("" if condition or not detail else "\n" + detail[-2000:]))
    if not condition:
        failures.append(message)


def qgis_process(alg, *args):
    cmd = [QGIS_PROCESS, "run", "gridshade:" + alg, "--"] + list(args)
    p = subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=120)
    return p.returncode, p.stdout + p.stderr


def geotransform_of(path):
    info = json.loads(subprocess.run(["gdalinfo", "-json", path], capture_output=True, text=True, check=True).stdout)
    return info


def read_bands(path):
    """All bands as a (bands, rows, cols) array. ReadRaster, not ReadAsArray: Debian 12's
    gdal_array is built for another NumPy ABI and crashes or misreads."""
    ds = gdal.Open(path)
    dtypes = {gdal.GDT_Byte: np.uint8, gdal.GDT_UInt32: np.uint32, gdal.GDT_Float64: np.float64}
    out = []
    for b in range(1, ds.RasterCount + 1):
        band = ds.GetRasterBand(b)
        out.append(np.frombuffer(band.ReadRaster(), dtype=dtypes[band.DataType]).reshape(ds.RasterYSize, ds.RasterXSize))
    return np.array(out)


def points(gpkg):
    ds = ogr.Open(gpkg)
    layer = ds.GetLayer(0)
    xs, ys, values, cats = [], [], [], []
    for f in layer:
        g = f.GetGeometryRef()
        xs.append(g.GetX())
        ys.append(g.GetY())
        values.append(f.GetField("value"))
        cats.append(f.GetField("cat"))
    return np.array(xs), np.array(ys), np.array(values), np.array(cats)


def grid_index(x, y, w, h):
    """Datashader's binning over the closed extent, written out independently of the engine."""
    xmin, xmax, ymin, ymax = EXTENT
    keep = (x >= xmin) & (x <= xmax) & (y >= ymin) & (y <= ymax)
    sx, sy = w / (xmax - xmin), h / (ymax - ymin)
    col = np.minimum((x[keep] * sx + (-xmin * sx)).astype(np.int64), w - 1)
    row = np.minimum((y[keep] * sy + (-ymin * sy)).astype(np.int64), h - 1)
    return keep, (h - 1 - row) * w + col


tmp = tempfile.mkdtemp(prefix="gridshade_qp_")
ENV = dict(os.environ, QGIS_CUSTOM_CONFIG_PATH=os.path.join(tmp, "config"), QT_QPA_PLATFORM="offscreen",
           GRIDSHADE_BUILD_DIR=BUILD)
subprocess.run(["bash", os.path.join(SOURCE, "scripts/install_plugin.sh")], env=ENV, check=True)
scene = os.path.join(tmp, "scene.gpkg")
subprocess.run([os.path.join(BUILD, "tools/gridshade-scene-gpkg"), "--points", "20000", scene], check=True)
x, y, values, cats = points(scene)
W, H = 256, 192
expected_gt = [EXTENT[0], (EXTENT[1] - EXTENT[0]) / W, 0.0, EXTENT[3], 0.0, -(EXTENT[3] - EXTENT[2]) / H]


def check_grid(path, bands, type_name):
    info = geotransform_of(path)
    check(info["size"] == [W, H], "%s: size %s == [%d, %d]" % (path, info["size"], W, H))
    check(info["geoTransform"] == expected_gt, "%s: geotransform %s == %s" % (path, info["geoTransform"], expected_gt))
    srs = osr.SpatialReference(wkt=info["coordinateSystem"]["wkt"])
    srs.AutoIdentifyEPSG()
    check(srs.GetAuthorityCode(None) == "3857", "%s: CRS is EPSG:3857" % path)
    check(len(info["bands"]) == bands and all(b["type"] == type_name for b in info["bands"]),
          "%s: %d bands of %s" % (path, bands, type_name))
    return info


# 1. The shaded image, as GeoTIFF and as PNG with world file and .aux.xml.
tif = os.path.join(tmp, "density.tif")
rc, out = qgis_process("renderdensityimage", "INPUT=" + scene, EXTENT_ARG, "WIDTH=%d" % W, "HEIGHT=%d" % H, "HOW=log", "OUTPUT=" + tif)
check(rc == 0, "renderdensityimage .tif exits 0", out)
if rc == 0:
    check_grid(tif, 4, "Byte")
    alpha = read_bands(tif)[3]
    keep, index = grid_index(x, y, W, H)
    occupied = np.zeros(W * H, bool)
    occupied[index] = True
    check(np.array_equal(alpha.ravel() > 0, occupied), "image alpha > 0 exactly where points fell")
png = os.path.join(tmp, "density.png")
rc, out = qgis_process("renderdensityimage", "INPUT=" + scene, EXTENT_ARG, "WIDTH=%d" % W, "HEIGHT=%d" % H, "OUTPUT=" + png)
check(rc == 0, "renderdensityimage .png exits 0", out)
check(os.path.exists(png[:-4] + ".pgw") and os.path.exists(png + ".aux.xml"), "PNG has .pgw and .aux.xml")
if rc == 0:
    check_grid(png, 4, "Byte")

# 2. Aggregates: count, mean, count_cat against NumPy.
keep, index = grid_index(x, y, W, H)
count_ref = np.bincount(index, minlength=W * H).reshape(H, W)
agg = os.path.join(tmp, "count.tif")
rc, out = qgis_process("aggregatepoints", "INPUT=" + scene, EXTENT_ARG, "WIDTH=%d" % W, "HEIGHT=%d" % H, "OUTPUT=" + agg)
check(rc == 0, "aggregatepoints count exits 0", out)
if rc == 0:
    check_grid(agg, 1, "UInt32")
    counts = read_bands(agg)[0]
    check(int(counts.sum()) == int(keep.sum()), "counts sum to the points in the extent (%d == %d)" % (counts.sum(), keep.sum()))
    check(np.array_equal(counts, count_ref), "count grid equals the NumPy grid pixel for pixel")
mean = os.path.join(tmp, "mean.tif")
rc, out = qgis_process("aggregatepoints", "INPUT=" + scene, EXTENT_ARG, "WIDTH=%d" % W, "HEIGHT=%d" % H,
                       "REDUCTION=mean", "VALUE_FIELD=value", "OUTPUT=" + mean)
check(rc == 0, "aggregatepoints mean exits 0", out)
if rc == 0:
    check_grid(mean, 1, "Float64")
    got = read_bands(mean)[0]
    sums = np.bincount(index, weights=values[keep], minlength=W * H).reshape(H, W)
    with np.errstate(invalid="ignore", divide="ignore"):
        ref = sums / count_ref
    check(np.array_equal(np.isnan(got), count_ref == 0), "mean is NaN exactly where no point fell")
    check(np.allclose(got[count_ref > 0], ref[count_ref > 0], rtol=1e-12), "mean equals the NumPy mean")
    mean_ds = gdal.Open(mean)  # keep the dataset alive while its band is used (GDAL's Python rule)
    check(np.isnan(mean_ds.GetRasterBand(1).GetNoDataValue()), "mean nodata is NaN")
    mean_ds = None
cat = os.path.join(tmp, "cat.tif")
rc, out = qgis_process("aggregatepoints", "INPUT=" + scene, EXTENT_ARG, "WIDTH=%d" % W, "HEIGHT=%d" % H,
                       "REDUCTION=count_cat", "CATEGORY_FIELD=cat", "OUTPUT=" + cat)
check(rc == 0, "aggregatepoints count_cat exits 0", out)
if rc == 0:
    check_grid(cat, 4, "UInt32")
    ds = gdal.Open(cat)
    per_cat = read_bands(cat)
    for c in range(4):
        ref = np.bincount(index[cats[keep] == c], minlength=W * H).reshape(H, W)
        check(np.array_equal(per_cat[c], ref) and ds.GetRasterBand(c + 1).GetDescription() == str(c),
              "count_cat band %d ('%s') equals the NumPy grid" % (c + 1, ds.GetRasterBand(c + 1).GetDescription()))

# 2b. Enum parameters: what `qgis_process help` lists (indexes) is accepted, and so are the names,
#     on both QGIS versions; both give the same grid as the other form.
p = subprocess.run([QGIS_PROCESS, "help", "gridshade:aggregatepoints"], capture_output=True, text=True, env=ENV, timeout=120)
listed = p.stdout.replace(" ", "")
check(p.returncode == 0 and "1:cpu" in listed and "2:mean" in listed, "help lists BACKEND and REDUCTION options with their indexes")
forms = {}
for form, args in (("names", ["BACKEND=cpu", "REDUCTION=mean"]), ("indexes", ["BACKEND=1", "REDUCTION=2"])):
    path = os.path.join(tmp, "enum_%s.tif" % form)
    rc, out = qgis_process("aggregatepoints", "INPUT=" + scene, EXTENT_ARG, "WIDTH=%d" % W, "HEIGHT=%d" % H, "VALUE_FIELD=value",
                           "OUTPUT=" + path, *args)
    results = out.split("Results")[-1].replace("\t", " ")
    check(rc == 0 and "BACKEND: cpu" in results, "aggregatepoints with %s %s exits 0 on the CPU" % (form, args), out)
    forms[form] = read_bands(path)[0] if rc == 0 else None
check(forms["names"] is not None and forms["indexes"] is not None and np.array_equal(forms["names"], forms["indexes"], equal_nan=True),
      "BACKEND=1 REDUCTION=2 gives the grid of BACKEND=cpu REDUCTION=mean")
for bad in ("BACKEND=7", "BACKEND=fast", "REDUCTION=-1"):
    rc, out = qgis_process("aggregatepoints", "INPUT=" + scene, EXTENT_ARG, "OUTPUT=" + os.path.join(tmp, "badenum.tif"), bad)
    check(0 < rc < 128 and bad.split("=")[0] in out, "%s is refused naming the parameter (rc %d)" % (bad, rc), out)

# 3. Bad input: non-zero exit, a message naming the problem, no crash (a signal gives rc < 0).
lines = os.path.join(tmp, "lines.gpkg")
ds = ogr.GetDriverByName("GPKG").CreateDataSource(lines)
sr = osr.SpatialReference()
sr.ImportFromEPSG(3857)
layer = ds.CreateLayer("lines", sr, ogr.wkbLineString)
f = ogr.Feature(layer.GetLayerDefn())
f.SetGeometry(ogr.CreateGeometryFromWkt("LINESTRING (700000 5800000, 800000 5900000)"))
layer.CreateFeature(f)
ds = None
garbage = os.path.join(tmp, "garbage.gpkg")
with open(garbage, "wb") as fh:
    fh.write(b"not a geopackage" * 100)
bad_cases = [
    ("a line layer", "aggregatepoints", ["INPUT=" + lines], ["point"]),
    ("a missing field", "aggregatepoints", ["INPUT=" + scene, "REDUCTION=mean", "VALUE_FIELD=nope"], ["nope"]),
    ("a missing value field", "aggregatepoints", ["INPUT=" + scene, "REDUCTION=sum"], ["VALUE_FIELD"]),
    ("a missing file", "renderdensityimage", ["INPUT=" + os.path.join(tmp, "missing.gpkg")], ["INPUT"]),
    ("an unreadable file", "renderdensityimage", ["INPUT=" + garbage], ["INPUT"]),
    ("a zero width", "renderdensityimage", ["INPUT=" + scene, "WIDTH=0"], ["WIDTH"]),
    ("a bad colormap", "renderdensityimage", ["INPUT=" + scene, "CMAP=nosuchmap"], ["nosuchmap"]),
    ("a .png aggregate", "aggregatepoints", ["INPUT=" + scene], [".tif"]),
]
for what, alg, args, words in bad_cases:
    suffix = ".png" if what == "a .png aggregate" else ".tif"
    rc, out = qgis_process(alg, *(args + [EXTENT_ARG, "OUTPUT=" + os.path.join(tmp, "bad" + suffix)]))
    clear = all(w.lower() in out.lower() for w in words)
    said = [l.strip() for l in out.splitlines() if l.strip() and not l.startswith(("QStandardPaths", "<string>", "0..."))]
    check(0 < rc < 128 and clear, "%s fails cleanly (rc %d): %s" % (what, rc, said[-1] if said else ""), out)

print("%d failure(s)" % len(failures))
if not failures:
    shutil.rmtree(tmp, ignore_errors=True)  # kept on failure, for a look at the outputs
sys.exit(1 if failures else 0)
