#!/usr/bin/env bash
# Installs every Debian 12 package Gridshade needs to build, test, benchmark and document.
# Idempotent and quick when everything is present (no apt-get call at all then).
#
# QGIS: 3.40 LTR, the primary target, from Debian's own bookworm-backports suite, pinned so that
# only QGIS's packages come from there. QGIS 3.22 (bookworm main) stays supported and tested:
# its runtime libraries have versioned package names and install beside 3.40's; its headers,
# programs, providers, resources and PyQGIS are unpacked (dpkg -x) into $QGIS322_PREFIX for the
# second test leg (scripts/build.sh qt5-322).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

QGIS340=3.40.6+dfsg-1~bpo12+1
QGIS322=3.22.16+dfsg-1
QGIS322_PREFIX=${GRIDSHADE_QGIS322_PREFIX:-/opt/gridshade/qgis-3.22}

PACKAGES=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config make dpkg-dev
  # Qt 5.15 (the Qt of Debian 12's QGIS SDKs) and Qt 6.4 for the renderer's Qt 6 build
  qtbase5-dev qt6-base-dev libgl-dev
  # benchmarks, the instruction-count gate, memory figures
  libbenchmark-dev valgrind time
  # docs and the numpy reference of Datashader's shading
  python3-sphinx python3-numpy python3-pil
  # the Python console package's optional inputs, tested by plugin.python_console
  python3-xarray python3-rioxarray python3-dask
  # GDAL and the desktop tests' X server
  gdal-bin libgdal-dev xvfb xauth
  # GPU backend: Qt's private RHI headers, the Vulkan loader and headers, the GLSL to SPIR-V
  # compiler, and Mesa's software Vulkan (lavapipe) for the parity tests on machines without a GPU
  qtbase5-private-dev qt6-base-private-dev libvulkan-dev glslang-tools mesa-vulkan-drivers
)
# QGIS 3.40 LTR: SDK, runtime, providers, PyQGIS (from bookworm-backports, see the pin below).
QGIS_PACKAGES=(libqgis-dev qgis qgis-providers python3-qgis)
# QGIS 3.22's runtime libraries, beside 3.40's.
QGIS322_LIBS=(libqgis-3d3.22.16 libqgis-analysis3.22.16 libqgis-app3.22.16 libqgis-core3.22.16 libqgis-gui3.22.16
              libqgis-native3.22.16 libqgis-server3.22.16 libqgispython3.22.16)
# QGIS 3.22's packages that would replace 3.40's: unpacked into the prefix instead.
QGIS322_UNPACKED=(libqgis-dev qgis qgis-common qgis-providers qgis-providers-common python3-qgis python3-qgis-common)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo > /dev/null; then SUDO="sudo -E"; else SUDO="need-root"; fi
fi
run_root() {
  if [ "$SUDO" = "need-root" ]; then echo "setup: need root (or sudo) for: $*" >&2; exit 1; fi
  $SUDO "$@"
}

installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]; }
version_of() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true; }

missing=()
for p in "${PACKAGES[@]}" "${QGIS322_LIBS[@]}"; do
  installed "$p" || missing+=("$p")
done
qgis_missing=()
for p in "${QGIS_PACKAGES[@]}"; do
  [ "$(version_of "$p")" = "$QGIS340" ] && installed "$p" || qgis_missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ] || [ ${#qgis_missing[@]} -gt 0 ]; then
  # bookworm-backports, and a pin: nothing comes from it unless it is QGIS (priority 100 is
  # backports' own default; QGIS's packages get 990 there, so their 3.40 versions win).
  sources=/etc/apt/sources.list.d/gridshade-bookworm-backports.sources
  if [ ! -f "$sources" ]; then
    printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      | run_root tee "$sources" > /dev/null
  fi
  pin=/etc/apt/preferences.d/gridshade-qgis
  if [ ! -f "$pin" ]; then
    printf 'Package: *\nPin: release n=bookworm-backports\nPin-Priority: 100\n\nPackage: qgis qgis-* libqgis* python3-qgis python3-qgis-common\nPin: release n=bookworm-backports\nPin-Priority: 990\n' \
      | run_root tee "$pin" > /dev/null
  fi
  echo "setup: installing ${missing[*]} ${qgis_missing[*]}"
  run_root apt-get update -q
  run_root apt-get install -y -q --no-install-recommends "${missing[@]}" "${QGIS_PACKAGES[@]/%/=$QGIS340}"
fi

# QGIS 3.22's SDK, programs, providers, resources and PyQGIS in a prefix (once).
if [ ! -f "$QGIS322_PREFIX/.complete-$QGIS322" ]; then
  echo "setup: unpacking QGIS $QGIS322 into $QGIS322_PREFIX"
  debs=$(mktemp -d)
  chmod 777 "$debs" # apt's download user writes there
  (cd "$debs" && run_root apt-get download -q "${QGIS322_UNPACKED[@]/%/=$QGIS322}") || {
    run_root apt-get update -q
    (cd "$debs" && run_root apt-get download -q "${QGIS322_UNPACKED[@]/%/=$QGIS322}")
  }
  run_root rm -rf "$QGIS322_PREFIX"
  run_root mkdir -p "$QGIS322_PREFIX"
  for deb in "$debs"/*.deb; do
    run_root dpkg -x "$deb" "$QGIS322_PREFIX"
  done
  run_root touch "$QGIS322_PREFIX/.complete-$QGIS322"
  rm -rf "$debs"
fi

# The prefix's development symlinks (libqgispython.so -> libqgispython.so.3.22.16, ...) are
# relative, but the versioned libraries they name were installed into /usr/lib by the runtime
# packages above: point each dangling one at the installed library. QGIS loads its Python
# support through such a name (libraryPath()/qgispython), so without this qgis_process and the
# desktop on 3.22 run without Python plugins.
for link in "$QGIS322_PREFIX"/usr/lib/lib*.so; do
  [ -L "$link" ] && [ ! -e "$link" ] || continue
  target=$(readlink "$link")
  case "$target" in /*) continue ;; esac
  # (GRASS's libqgisgrass8 is not installed and not needed: its link stays dangling.)
  if [ -e "/usr/lib/$target" ]; then run_root ln -sfn "/usr/lib/$target" "$link"; fi
done
