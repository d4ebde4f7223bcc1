# SPDX-License-Identifier: GPL-2.0-or-later
# The reference: a plain GDAL chunked loop, 4096 x 4096 chunks, per-chunk mean with numpy.
import sys, time
import numpy as np
from osgeo import gdal
ds = gdal.Open(sys.argv[1]); b = ds.GetRasterBand(1)
w, h, c = ds.RasterXSize, ds.RasterYSize, 4096
t0 = time.time(); total = 0.0
for y in range(0, h, c):
    for x in range(0, w, c):
        a = np.frombuffer(b.ReadRaster(x, y, min(c, w - x), min(c, h - y), buf_type=gdal.GDT_Float32), dtype=np.float32)
        total += float(a.mean())
print(f"plain GDAL loop: {time.time() - t0:.2f} s, sum of chunk means {total:.1f}")
