#!/usr/bin/env bash
# Installs every Debian 12 package Gridshade needs to build, test, benchmark and document.
# Idempotent and quick when everything is present (no apt-get call at all then).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

PACKAGES=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config make
  # Qt 5.15 (the Qt of Debian 12's QGIS SDK) and Qt 6.4 for the renderer's Qt 6 build
  qtbase5-dev qt6-base-dev libgl-dev
  # benchmarks, the instruction-count gate, memory figures
  libbenchmark-dev valgrind time
  # docs and the numpy reference of Datashader's shading
  python3-sphinx python3-numpy python3-pil
  # the Python console package's optional inputs, tested by plugin.python_console
  python3-xarray python3-rioxarray python3-dask
  # the QGIS 3.22 SDK and runtime (plugin/, qgis_process, PyQGIS) and GDAL
  libqgis-dev qgis qgis-providers python3-qgis gdal-bin libgdal-dev xvfb xauth
  # GPU backend: Qt's private RHI headers, the Vulkan loader and headers, the GLSL to SPIR-V
  # compiler, and Mesa's software Vulkan (lavapipe) for the parity tests on machines without a GPU
  qtbase5-private-dev qt6-base-private-dev libvulkan-dev glslang-tools mesa-vulkan-drivers
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo > /dev/null; then SUDO="sudo -E"; else
    echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; fi
fi
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
