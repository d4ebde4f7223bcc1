#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs a command from a bundle of scripts/gpu_bundle.sh on a bare NVIDIA server, as root from the
# repository root: installs the glvnd and Vulkan loader packages carried in .gl/ (without the
# glvnd libraries in the system path the NVIDIA Vulkan driver refuses to create an instance),
# starts Xvfb (Qt creates Vulkan instances only through its xcb platform) and points Qt at the
# carried loader and platform plugin. Set GS_SKIP_DPKG=1 to leave / alone (local tests).
#
#   bash .gpubundle/run.sh /tmp/gsbundle/bin/gridshade-gpu-bench --benchmark_format=json
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: run.sh COMMAND [ARGS...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=/tmp/gsbundle
display=77

if [ "${GS_SKIP_DPKG:-0}" != 1 ]; then
  debs=(.gl/*.deb)
  if [ -e "${debs[0]}" ]; then
    for f in "${debs[@]}"; do dpkg -x "$f" /; done
    ldconfig
  else
    echo "run: no .gl/*.deb here (carry .gl); the Vulkan driver may refuse to start" >&2
  fi
fi

rm -rf "$root"
mkdir -p "$root"
tar -C "$root" -xJf "$here/bundle.tar.xz"
# Xvfb looks for xkbcomp and the keymaps at its compiled-in paths, not on PATH.
[ -x /usr/bin/xkbcomp ] || cp "$root/bin/xkbcomp" /usr/bin/xkbcomp
[ -d /usr/share/X11/xkb ] || { mkdir -p /usr/share/X11; cp -r "$root/xkb" /usr/share/X11/xkb; }

export LD_LIBRARY_PATH="$root/lib"
# A warm machine may keep the socket and lock of an earlier, killed Xvfb; they would fool the
# wait below. A live one is reused.
sock=/tmp/.X11-unix/X$display lock=/tmp/.X$display-lock
xvfb=
if [ -f "$lock" ] && kill -0 "$(tr -dc 0-9 < "$lock")" 2>/dev/null; then
  echo "run: reusing the X server on :$display"
else
  rm -f "$sock" "$lock"
  "$root/bin/Xvfb" ":$display" -screen 0 1024x768x24 -nolisten tcp -extension GLX \
    > /tmp/gsbundle-xvfb.log 2>&1 &
  xvfb=$!
  trap 'kill "$xvfb" 2>/dev/null && wait "$xvfb" 2>/dev/null || true' EXIT
  # Set-up, not a measurement: poll for the socket for up to 10 s.
  for _ in $(seq 100); do
    [ -S "$sock" ] && break
    kill -0 "$xvfb" 2>/dev/null || break
    sleep 0.1
  done
  [ -S "$sock" ] || { echo "run: Xvfb did not start:" >&2; cat /tmp/gsbundle-xvfb.log >&2; exit 1; }
fi

# Qt (and Vulkan's WSI probing) complain on every start without a runtime directory.
if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
  export XDG_RUNTIME_DIR=/tmp/gsbundle-runtime
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 0700 "$XDG_RUNTIME_DIR"
fi
export QT_VULKAN_LIB="$root/lib/libvulkan.so.1"  # Qt does not find the loader via LD_LIBRARY_PATH
export QT_QPA_PLATFORM=xcb QT_QPA_PLATFORM_PLUGIN_PATH="$root/plugins" DISPLAY=":$display"
# Name the NVIDIA driver explicitly (the loader does not search /usr/local/nvidia); without one,
# leave VK_DRIVER_FILES unset so the loader uses whatever drivers it finds.
if [ -z "${VK_DRIVER_FILES:-}" ]; then
  for icd in /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json \
             /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; do
    [ -f "$icd" ] && { export VK_DRIVER_FILES="$icd"; break; }
  done
fi
echo "run: Vulkan driver ${VK_DRIVER_FILES:-(none named: loader default search)}"
egl=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
if [ -f "$egl" ]; then export __EGL_VENDOR_LIBRARY_FILENAMES="$egl"; fi
if command -v nvidia-smi > /dev/null; then
  nvidia-smi --query-gpu=name,driver_version --format=csv || true
fi

export PATH="$root/bin:$PATH"
# Not exec: the EXIT trap must still stop Xvfb. The command's exit status is the script's.
rc=0
"$@" || rc=$?
exit "$rc"
