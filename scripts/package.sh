#!/usr/bin/env bash
# Builds dist/gridshade_<version>_amd64.deb: the desktop plugin and the Python loader (with the
# library and the console package) where QGIS finds them system-wide, depending on the QGIS
# runtime of the build (QGIS 3.40 LTR; `package.sh qt5-322` makes one for QGIS 3.22).
#   sudo apt install ./dist/gridshade_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=${1:-qt5}
bash scripts/setup.sh
bash scripts/build.sh "$flavour" gridshade_qgis gridshade_desktop
# dpkg-shlibdeps (CPack's SHLIBDEPS) comes with dpkg-dev.
if ! dpkg-query -W -f='${Status}' dpkg-dev 2>/dev/null | grep -q "install ok installed"; then
  echo "package: dpkg-dev is needed (apt-get install dpkg-dev)" >&2
  exit 1
fi
mkdir -p dist
(cd "build/$flavour" && cpack -G DEB -C Release -B "$PWD/../../dist/cpack" > cpack.log 2>&1 && mv -f ../../dist/cpack/gridshade_*_amd64.deb ../../dist/) || { cat "build/$flavour/cpack.log"; exit 1; }
ls dist/gridshade_*_amd64.deb
