#!/usr/bin/env bash
# The engine alone (no QGIS): render the built-in standard scene (1e6 points) at zoom Z8 to
# examples/output/density_demo.png (with its stats as JSON) and print OK.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh qt5 gridshade-render > /dev/null
mkdir -p examples/output
build/qt5/tools/gridshade-render --scene 1000000 --zoom Z8 --how eq_hist --cmap fire \
  --out examples/output/density_demo.png --stats examples/output/density_demo.json
echo OK
