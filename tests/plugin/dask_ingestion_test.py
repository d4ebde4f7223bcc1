#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""plugin.dask_ingestion: gridshade.add_dask writes a dask-backed DataArray window by window to a
tiled GeoTIFF with overviews and adds it as a layer, from standalone PyQGIS.

- the peak memory of the whole path (measured as the process's peak RSS, reset just before) stays
  within 1.5 x one chunk, for an array six chunks large: it is never computed whole;
- the windows are the chunks (chunks that are multiples of the 512 px tile), the file is tiled
  512 x 512, every value read back by GDAL equals the array's (rows from south to north flipped);
- the overviews are the 2 x 2 means of the level above; placement from the centre coordinates;
- the chunk plan for chunks that are not tile multiples covers the array once, on tile edges;
- progress is reported, creation options reach GDAL, and errors are clear.

usage: dask_ingestion_test.py SOURCE_DIR BUILD_DIR
"""
import importlib.util
import os
import sys
import tempfile
import time

SOURCE, BUILD = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyqgis_support  # noqa: E402

app = pyqgis_support.start(SOURCE, BUILD, "gridshade_dask_")
check = pyqgis_support.Checks()
if importlib.util.find_spec("xarray") is None or importlib.util.find_spec("dask") is None:
    print("skip: python3-xarray or python3-dask is not installed (the test command installs them)")
    sys.exit(check.finish(app))

import dask.array as dsa  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402
from osgeo import gdal  # noqa: E402
from qgis.core import QgsPointXY, QgsRaster  # noqa: E402

import gridshade  # noqa: E402
from gridshade._dask import chunk_plan  # noqa: E402

CHUNK_H, CHUNK_W = 2048, 4096  # 64 MiB of float64: a realistic dask chunk (dask's default is 128 MiB)
H, W = 2 * CHUNK_H, 3 * CHUNK_W
CELL = 10.0
X0, Y0 = 600000.0, 5100000.0  # south-west corner, EPSG:32632


def values_at(rows, cols):
    """The array's value at its own (row, column): row 0 is the southernmost (y ascending)."""
    return np.add.outer(np.asarray(rows, dtype="float64") * W, np.asarray(cols, dtype="float64"))


def block(block_info=None):
    (r0, r1), (c0, c1) = block_info[None]["array-location"]
    return values_at(np.arange(r0, r1), np.arange(c0, c1))


def lazy():
    data = dsa.map_blocks(block, chunks=(tuple(_split(H, CHUNK_H)), tuple(_split(W, CHUNK_W))), dtype="float64")
    return xr.DataArray(data, dims=("y", "x"), name="ramp", attrs={"units": "m"},
                        coords={"y": Y0 + CELL * (np.arange(H) + 0.5), "x": X0 + CELL * (np.arange(W) + 0.5)})


def _split(n, c):
    return [c] * (n // c) + ([n % c] if n % c else [])


def memory():
    return {line.split(":")[0]: int(line.split()[1]) * 1024 for line in open("/proc/self/status") if line.startswith(("VmHWM", "VmRSS"))}


def raises(call, fragment, kind=None):
    check.raises(call, fragment, kind or gridshade.GridshadeError)


out = tempfile.mkdtemp(prefix="gridshade_dask_out_")
# Warm-up on a small array: modules, GDAL's driver and QGIS's provider are loaded before measuring.
small = xr.DataArray(dsa.zeros((600, 700), chunks=512), dims=("y", "x"), coords={"y": np.arange(600.0)[::-1], "x": np.arange(700.0)})
gridshade.add_dask(small, os.path.join(out, "small.tif"), crs="EPSG:32632", creation_options=["PREDICTOR=3"])
check(gdal.Open(os.path.join(out, "small.tif")).GetMetadata("IMAGE_STRUCTURE").get("PREDICTOR") == "3",
      "creation_options reach GDAL (PREDICTOR=3)")

da = lazy()
fractions = []
open("/proc/self/clear_refs", "w").write("5")  # the peak RSS starts again from the current RSS
before = memory()["VmRSS"]
started = time.monotonic()
layer = gridshade.add_dask(da, os.path.join(out, "ramp.tif"), crs="EPSG:32632", progress=fractions.append)
seconds = time.monotonic() - started
peak = memory()["VmHWM"] - before
chunk_bytes = CHUNK_H * CHUNK_W * 8
print("add_dask: %.1f s, peak memory above the start %.1f MiB for chunks of %.1f MiB (array %.1f MiB)"
      % (seconds, peak / 2**20, chunk_bytes / 2**20, H * W * 8 / 2**20))
check(peak <= 1.5 * chunk_bytes, "bounded memory: peak %.2f chunks <= 1.5 (the array is %d chunks)" % (peak / chunk_bytes, H * W * 8 // chunk_bytes))
check(fractions and fractions[-1] == 1.0 and fractions == sorted(fractions), "progress from %.2f to 1.0 in %d steps" % (fractions[0], len(fractions)))
check(layer.isValid() and layer.customProperty("gridshade/meta/gridshade_windows") == "6"
      and layer.customProperty("gridshade/meta/gridshade_tile") == "512", "the windows are the 6 chunks, the tiles 512 px")
check(layer.customProperty("gridshade/meta/units") == "m", "attributes kept as metadata")

ds = gdal.Open(os.path.join(out, "ramp.tif"))
band = ds.GetRasterBand(1)
check(band.GetBlockSize() == [512, 512] and ds.GetMetadata("IMAGE_STRUCTURE").get("COMPRESSION") == "DEFLATE",
      "a tiled (512 x 512), DEFLATE-compressed GeoTIFF")
check(ds.GetGeoTransform() == (X0, CELL, 0.0, Y0 + H * CELL, 0.0, -CELL), "the geotransform, north-up, from the centre coordinates")
same = True
for r in range(0, H, 512):
    got = np.frombuffer(band.ReadRaster(0, r, W, 512), dtype="float64").reshape(512, W)
    same &= np.array_equal(got, values_at(H - 1 - np.arange(r, r + 512), np.arange(W)))
    band.FlushCache()  # GDAL's cache would keep the whole file (its limit is 5 % of the RAM)
check(same, "every value read back equals the array's (rows flipped to north-up)")
check(band.GetOverviewCount() == 5 and band.GetOverview(4).XSize == W // 32, "overviews at 2 to 32 (down to about the tile size)")
ov = band.GetOverview(0)
got = np.frombuffer(ov.ReadRaster(100, 200, 64, 32), dtype="float64").reshape(32, 64)
full = np.frombuffer(band.ReadRaster(200, 400, 128, 64), dtype="float64").reshape(64, 128)
check(np.allclose(got, full.reshape(32, 2, 64, 2).mean(axis=(1, 3)), rtol=0, atol=1e-9), "overview 1: the 2 x 2 means of the full resolution")
ov2 = band.GetOverview(1)
got2 = np.frombuffer(ov2.ReadRaster(50, 100, 32, 16), dtype="float64").reshape(16, 32)
check(np.allclose(got2, got.reshape(16, 2, 32, 2).mean(axis=(1, 3)), rtol=0, atol=1e-9), "overview 2: the 2 x 2 means of overview 1")
ds = None
r = layer.dataProvider().identify(QgsPointXY(X0 + CELL * 11.5, Y0 + CELL * 7.5), QgsRaster.IdentifyFormatValue)
check(r.results().get(1) == float(values_at([7], [11])[0, 0]), "the layer: cell (7, 11) from the south-west identifies at its centre")

plan = chunk_plan(tuple(_split(3000, 700)), tuple(_split(2000, 700)), 512)
rows = sorted({(p[0], p[1]) for p in plan})
cols = sorted({(p[2], p[3]) for p in plan})
covers = all(a[1] == b[0] for a, b in zip(rows, rows[1:])) and rows[0][0] == 0 and rows[-1][1] == 3000 and cols[-1][1] == 2000
on_tiles = all(e % 512 == 0 for p in plan for e in p if e not in (3000, 2000))
check(covers and on_tiles and len(plan) == len(rows) * len(cols), "chunks of 700: the plan covers the array once, on 512 px tile edges (%d windows)"
      % len(plan))

raises(lambda: gridshade.add_dask(small.compute(), os.path.join(out, "x.tif"), crs="EPSG:32632"), "not dask-backed")
raises(lambda: gridshade.add_dask(small.expand_dims(("a", "b")), os.path.join(out, "x.tif"), crs="EPSG:32632"), "dims")
raises(lambda: gridshade.add_dask(small, os.path.join(out, "x.tif")), "no CRS")

layer = None
sys.exit(check.finish(app))
