# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the 64k x 64k float32 virtual raster of the streaming benchmark: one 4096 x 4096
# float32 tile (tiled GeoTIFF), mosaicked 16 x 16 by a VRT (16 GiB of pixels), in EPSG:3857
# with 1 m pixels. `--overviews` also builds the tile's AVERAGE overviews (1/2 .. 1/64), which
# the VRT's decimated reads use (the raster layer benchmark); `--deflate` writes the tile
# DEFLATE-compressed (decoding then costs more than reading: the statistics cache benchmark).
import math, struct, sys
from osgeo import gdal
out = sys.argv[1]
overviews = "--overviews" in sys.argv[2:]
deflate = "--deflate" in sys.argv[2:]
t, n = 4096, 16
tile = out + "/tile.tif"
ds = gdal.GetDriverByName("GTiff").Create(tile, t, t, 1, gdal.GDT_Float32, ["TILED=YES"] + (["COMPRESS=DEFLATE"] if deflate else []))
ds.SetGeoTransform((0, 1, 0, 0, 0, -1))
b = ds.GetRasterBand(1)

for r in range(t):
    b.WriteRaster(0, r, t, 1, struct.pack("%df" % t, *[float((c * 7 + r * 3) % 1000) for c in range(t)]))
if overviews:
    ds.BuildOverviews("AVERAGE", [2, 4, 8, 16, 32, 64])
ds = None
srcs = "".join(
    f'<SimpleSource><SourceFilename relativeToVRT="0">{tile}</SourceFilename><SourceBand>1</SourceBand>'
    f'<SrcRect xOff="0" yOff="0" xSize="{t}" ySize="{t}"/><DstRect xOff="{j*t}" yOff="{i*t}" xSize="{t}" ySize="{t}"/></SimpleSource>'
    for i in range(n) for j in range(n))
open(out + "/mosaic.vrt", "w").write(
    f'<VRTDataset rasterXSize="{t*n}" rasterYSize="{t*n}"><SRS>EPSG:3857</SRS><GeoTransform>0, 1, 0, 0, 0, -1</GeoTransform>'
    f'<BlockXSize>256</BlockXSize><BlockYSize>256</BlockYSize>'
    f'<VRTRasterBand dataType="Float32" band="1">{srcs}</VRTRasterBand></VRTDataset>')
