#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Streaming benchmark of docs/raster_streaming.rst: a 64k x 64k float32 virtual raster (one
# 4096 x 4096 tile mosaicked 16 x 16 by a VRT, 16 GiB of pixels) streamed in 4096 x 4096 chunks,
# by a plain GDAL chunked loop (Python, numpy mean per chunk) and by gridshade:rasterstatistics
# through qgis_process; wall time and peak RSS of each, and qgis_process's own baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh qt5 > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 tests/bench/raster_stream/make_vrt.py "$work"
export QGIS_CUSTOM_CONFIG_PATH=$work/profile QT_QPA_PLATFORM=offscreen
bash scripts/install_plugin.sh > /dev/null
echo "== plain GDAL chunked loop"
/usr/bin/time -f 'wall %e s, peak RSS %M KiB' /usr/bin/python3 tests/bench/raster_stream/gdal_loop.py "$work/mosaic.vrt"
echo "== qgis_process start-up alone (the baseline)"
/usr/bin/time -f 'wall %e s, peak RSS %M KiB' /usr/bin/qgis_process.bin list > /dev/null
echo "== gridshade:rasterstatistics"
/usr/bin/time -f 'wall %e s, peak RSS %M KiB' /usr/bin/qgis_process.bin run gridshade:rasterstatistics -- \
  INPUT="$work/mosaic.vrt" CHUNK=4096 OUTPUT="$work/stats.csv" 2>&1 | grep -E 'MiB/s|wall'
cat "$work/stats.csv"
