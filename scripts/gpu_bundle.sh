#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Packs Debian-built programs so that they run on a bare GPU server (no Qt, no X server, no
# Vulkan loader there): the programs, every library they, Qt's xcb platform plugin and Xvfb load,
# the Vulkan loader, Xvfb, xkbcomp and the xkb data. Writes OUTDIR/bundle.tar.xz (compressed, so
# that it fits the 64 MiB the device tool carries) and OUTDIR/run.sh (the launcher,
# scripts/gpu_remote_run.sh). See docs/gpu.rst.
#
#   bash scripts/gpu_bundle.sh .gpubundle build/qt5/tests/bench/gridshade-gpu-bench
#   # then, on the device: bash .gpubundle/run.sh /tmp/gsbundle/bin/gridshade-gpu-bench
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: gpu_bundle.sh OUTDIR EXECUTABLE..." >&2; exit 2; }
out=$1
shift
exes=()
for e in "$@"; do
  [ -x "$e" ] || { echo "gpu_bundle: not an executable: $e" >&2; exit 2; }
  exes+=("$(realpath "$e")")
done
cd "$(dirname "$0")/.."
repo=$PWD
mkdir -p "$out"
out=$(realpath "$out")

qtplugins=/usr/lib/x86_64-linux-gnu/qt5/plugins
qxcb=$qtplugins/platforms/libqxcb.so
[ -f "$qxcb" ] || { echo "gpu_bundle: $qxcb missing (apt-get install qtbase5-dev / libqt5gui5)" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,lib,plugins/platforms}
cp -L "${exes[@]}" /usr/bin/Xvfb /usr/bin/xkbcomp "$stage/bin/"
cp -L "$qxcb" "$stage/plugins/platforms/"
# The GL integrations are only loaded if something asks Qt for OpenGL; small, so carried along.
glint=()
if [ -d "$qtplugins/xcbglintegrations" ]; then
  mkdir -p "$stage/plugins/xcbglintegrations"
  cp -L "$qtplugins"/xcbglintegrations/*.so "$stage/plugins/xcbglintegrations/"
  glint=("$qtplugins"/xcbglintegrations/*.so)
fi

# ldd prints the whole closure. Leave out glibc and the GCC runtime: the server's newer copies
# serve, and glibc's pieces must all come from one build (ld-linux has no "=>" path, so awk
# skips it anyway).
for f in "${exes[@]}" "$qxcb" "${glint[@]}" /usr/bin/Xvfb /usr/bin/xkbcomp; do
  if ldd "$f" | grep -q 'not found'; then
    echo "gpu_bundle: unresolved libraries for $f:" >&2; ldd "$f" | grep 'not found' >&2; exit 1
  fi
  ldd "$f"
done | awk '/=> \// { print $3 }' | sort -u \
  | grep -Ev '/(libc|libm|libmvec|libpthread|libdl|librt|libresolv|libutil|libanl|ld-linux-x86-64|libgcc_s|libstdc\+\+)\.so' \
  > "$stage/liblist"
while read -r lib; do cp -L "$lib" "$stage/lib/"; done < "$stage/liblist"
# Qt dlopen()s the Vulkan loader (no ldd entry); copy the real file under its soname.
# (awk reads to the end: an early exit would kill ldconfig with SIGPIPE, fatal under pipefail.)
vk=$(ldconfig -p | awk '/libvulkan\.so\.1 .*x86-64/ && !vk { vk = $NF } END { print vk }')
[ -n "$vk" ] || { echo "gpu_bundle: libvulkan.so.1 not found (apt-get install libvulkan1)" >&2; exit 1; }
cp -L "$vk" "$stage/lib/libvulkan.so.1"
cp -rL /usr/share/X11/xkb "$stage/xkb"
rm "$stage/liblist"

echo "gpu_bundle: $(find "$stage/lib" -type f | wc -l) libraries, $(du -sh "$stage" | cut -f1) uncompressed"
rm -rf "${out:?}/bin" "${out:?}/lib" "${out:?}/plugins" "${out:?}/xkb" "${out:?}/bundle.tar.xz"
XZ_OPT=${XZ_OPT:--6 -T0} tar -C "$stage" -cJf "$out/bundle.tar.xz" bin lib plugins xkb
cp "$repo/scripts/gpu_remote_run.sh" "$out/run.sh"

# The bundle and the loader debs travel as untracked files that git must ignore.
exclude=$(git -C "$repo" rev-parse --git-path info/exclude)
case $exclude in /*) ;; *) exclude=$repo/$exclude ;; esac
mkdir -p "$(dirname "$exclude")"
for p in /.gpubundle/ /.gl/; do
  grep -qxF "$p" "$exclude" 2>/dev/null || echo "$p" >> "$exclude"
done
echo "gpu_bundle: $(du -h "$out/bundle.tar.xz" | cut -f1) in $out/bundle.tar.xz, launcher $out/run.sh"
