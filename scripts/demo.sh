#!/usr/bin/env bash
# The main job through QGIS itself: the standard scene (1e6 points, as a GeoPackage) rendered
# by `qgis_process run gridshade:renderdensityimage` at zoom Z8 (1024 x 768, EPSG:3857) to
# examples/output/density_demo.png (+ .pgw world file and .aux.xml CRS); prints OK.
# The profile is a throwaway one, so the user's QGIS settings are never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh qt5 > /dev/null
mkdir -p examples/output
scene=examples/output/scene_1e6.gpkg
[ -f "$scene" ] || build/qt5/tools/gridshade-scene-gpkg --points 1e6 "$scene"

profile_root=$(mktemp -d)
trap 'rm -rf "$profile_root"' EXIT
export QGIS_CUSTOM_CONFIG_PATH=$profile_root QT_QPA_PLATFORM=offscreen
bash scripts/install_plugin.sh > /dev/null

out=examples/output/density_demo.png
rm -f "$out" "${out%.png}.pgw" "$out.aux.xml"
# Debian's qgis_process wrapper passes --noversioncheck, which qgis_process 3.22 rejects: call
# the binary. Z8 is renderer/scene/standard_zooms.h's viewport (xmin,xmax,ymin,ymax [CRS]).
/usr/bin/qgis_process.bin run gridshade:renderdensityimage -- \
  INPUT="$PWD/$scene" \
  "EXTENT=633129.6038867435,1259301.7395989073,5772795.863495652,6242424.965279775 [EPSG:3857]" \
  WIDTH=1024 HEIGHT=768 HOW=eq_hist CMAP=fire OUTPUT="$PWD/$out"
[ -s "$out" ] || { echo "demo_qgis: $out was not written" >&2; exit 1; }
echo OK
