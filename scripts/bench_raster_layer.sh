#!/usr/bin/env bash
# Raster layer benchmark of docs/raster_layer.rst: 1024 x 768 renders of a 64k x 64k float32
# virtual raster (one 4096 x 4096 tile with AVERAGE overviews, mosaicked 16 x 16 by a VRT) at
# five zooms, mean regridding; medians of 5 repetitions.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh qt5 gridshade-bench-raster > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 tests/bench/raster_stream/make_vrt.py "$work" --overviews
GRIDSHADE_RASTER_BENCH_VRT="$work/mosaic.vrt" QT_QPA_PLATFORM=offscreen build/qt5/tests/bench/gridshade-bench-raster \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true "$@"
