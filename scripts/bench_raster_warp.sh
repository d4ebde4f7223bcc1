#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Reprojection and streaming benchmark of docs/performance.rst: the 64k x 64k float32 virtual
# raster of the streaming benchmark (16 GiB of pixels, no overviews, EPSG:3857) reprojected whole
# to EPSG:4326 at 1024 x 1024 by gridshade:readrasterwindow and by gdalwarp onto the same grid
# (-et 0, gdalwarp's default 64 MiB of warp memory); then gridshade:rasterstatistics with the
# default chunk and with 16384 on the same mosaic of a DEFLATE-compressed tile. Wall time and
# peak RSS of each, and qgis_process's own baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh qt5 > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/plain" "$work/deflate"
/usr/bin/python3 tests/bench/raster_stream/make_vrt.py "$work/plain"
/usr/bin/python3 tests/bench/raster_stream/make_vrt.py "$work/deflate" --deflate
export QGIS_CUSTOM_CONFIG_PATH=$work/profile QT_QPA_PLATFORM=offscreen
bash scripts/install_plugin.sh > /dev/null
measure() { /usr/bin/time -f "  wall %e s, peak RSS %M KiB" "$@" 2>&1 | grep -E 'wall|MiB/s|reprojected' || true; }
echo "== qgis_process start-up alone (the baseline)"
measure /usr/bin/qgis_process.bin list
echo "== gridshade:readrasterwindow TARGET_CRS=EPSG:4326 1024 x 1024"
measure /usr/bin/qgis_process.bin run gridshade:readrasterwindow -- INPUT="$work/plain/mosaic.vrt" TARGET_CRS=EPSG:4326 \
  WIDTH=1024 HEIGHT=1024 OUTPUT="$work/ours.tif"
read -r xmin ymin xmax ymax < <(/usr/bin/python3 -c "
from osgeo import gdal
d = gdal.Open('$work/ours.tif'); g = d.GetGeoTransform()
print('%.17g %.17g %.17g %.17g' % (g[0], g[3] + d.RasterYSize * g[5], g[0] + d.RasterXSize * g[1], g[3]))")
echo "== gdalwarp onto the same grid"
measure gdalwarp -q -overwrite -t_srs EPSG:4326 -te "$xmin" "$ymin" "$xmax" "$ymax" -ts 1024 1024 -et 0 -ot Float64 \
  "$work/plain/mosaic.vrt" "$work/gdalwarp.tif"
/usr/bin/python3 -c "
import numpy as np
from osgeo import gdal
a = gdal.Open('$work/ours.tif').ReadAsArray(); b = gdal.Open('$work/gdalwarp.tif').ReadAsArray()
print('  largest difference from gdalwarp: %g, NaN differences: %d' % (np.nanmax(np.abs(a - b)), np.count_nonzero(np.isnan(a) != np.isnan(b))))"
for chunk in 4096 16384; do
  echo "== gridshade:rasterstatistics CHUNK=$chunk, DEFLATE tiles"
  measure /usr/bin/qgis_process.bin run gridshade:rasterstatistics -- INPUT="$work/deflate/mosaic.vrt" CHUNK=$chunk OUTPUT="$work/stats.csv"
done
