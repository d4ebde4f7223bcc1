#!/usr/bin/env bash
# Configures and builds one flavour: `build.sh qt5 [targets...]` (everything, against the system's
# QGIS 3.40), `build.sh qt5-322` (the plugin and its tests against QGIS 3.22, unpacked by setup.sh
# into /opt/gridshade/qgis-3.22) or `build.sh qt6` (renderer/ and its tests against Qt 6).
# Incremental; ccache keeps rebuilds of a fresh clone fast.
set -euo pipefail
cd "$(dirname "$0")/.."
# Paths below the clone are hashed relative to it, so another clone (CI's) hits the same cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(pwd)}
flavour=${1:-qt5}
shift || true
case "$flavour" in
  qt5) options=(-DGRIDSHADE_QT6=OFF) ;;
  qt5-322) options=(-DGRIDSHADE_QT6=OFF -DGRIDSHADE_BUILD_BENCH=OFF
                   -DGRIDSHADE_QGIS_PREFIX="${GRIDSHADE_QGIS322_PREFIX:-/opt/gridshade/qgis-3.22}/usr") ;;
  qt6) options=(-DGRIDSHADE_QT6=ON -DGRIDSHADE_BUILD_BENCH=OFF) ;;
  *) echo "build.sh: unknown flavour '$flavour' (qt5, qt5-322 or qt6)" >&2; exit 2 ;;
esac
cmake -S . -B "build/$flavour" -G Ninja -DCMAKE_BUILD_TYPE=Release "${options[@]}" > "build-$flavour-configure.log" 2>&1 \
  || { cat "build-$flavour-configure.log"; exit 1; }
rm -f "build-$flavour-configure.log"
if [ $# -gt 0 ]; then
  cmake --build "build/$flavour" --target "$@"
else
  cmake --build "build/$flavour"
fi
