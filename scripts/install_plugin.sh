#!/usr/bin/env bash
# Installs the built libgridshade.so with the Python loader (python/gridshade_loader) and the
# desktop plugin (libgridshadeplugin.so: menu, toolbar, dialogs) into a QGIS profile and enables
# both, so that the desktop, qgis_process and PyQGIS all see the density layer type and the
# `gridshade` processing provider.
#   scripts/install_plugin.sh [profile_dir]
# profile_dir defaults to $QGIS_CUSTOM_CONFIG_PATH/profiles/default, else
# ~/.local/share/QGIS/QGIS3/profiles/default. GRIDSHADE_BUILD_DIR picks the build (build/qt5).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${GRIDSHADE_BUILD_DIR:-$root/build/qt5}
if [ $# -gt 0 ]; then
  profile=$1
elif [ -n "${QGIS_CUSTOM_CONFIG_PATH:-}" ]; then
  profile=$QGIS_CUSTOM_CONFIG_PATH/profiles/default
else
  profile=$HOME/.local/share/QGIS/QGIS3/profiles/default
fi
lib=$build/plugin/libgridshade.so
if [ ! -f "$lib" ]; then
  echo "install_plugin: $lib not found: build first (scripts/build.sh qt5)" >&2
  exit 1
fi

dest=$profile/python/plugins/gridshade_loader
mkdir -p "$dest" "$profile/QGIS"
# Copy, never symlink: a rebuild must not change a running QGIS's library under it.
cp -f "$lib" "$dest/libgridshade.so.new" && mv -f "$dest/libgridshade.so.new" "$dest/libgridshade.so"
cp -f "$root"/python/gridshade_loader/*.py "$dest/"
# The console package (`import gridshade`), which the loader puts on sys.path.
mkdir -p "$dest/gridshade"
cp -f "$root"/python/gridshade/*.py "$dest/gridshade/"

# metadata.txt: the top-level one is the single source of truth (version, description, ...);
# only the name and the processing flag differ for the loader.
sed -e 's/^name=.*/name=Gridshade loader/' -e 's/^hasProcessingProvider=.*/hasProcessingProvider=yes/' \
  "$root/metadata.txt" > "$dest/metadata.txt"
grep -q '^hasProcessingProvider=' "$dest/metadata.txt" || echo 'hasProcessingProvider=yes' >> "$dest/metadata.txt"

# The desktop plugin: its own folder (QGIS tries every .so of a plugin search path as a plugin),
# finding libgridshade.so next to the loader through its RUNPATH.
desktop=$profile/gridshade/desktop
mkdir -p "$desktop"
cp -f "$build/plugin/libgridshadeplugin.so" "$desktop/libgridshadeplugin.so.new" && mv -f "$desktop/libgridshadeplugin.so.new" "$desktop/libgridshadeplugin.so"

# Enable both: merge the keys into QGIS3.ini, keeping everything else.
/usr/bin/python3 - "$profile/QGIS/QGIS3.ini" "$desktop" <<'PY'
import sys
path, desktop = sys.argv[1], sys.argv[2]
try:
    lines = open(path, encoding="utf-8").read().splitlines()
except FileNotFoundError:
    lines = []


def merge(lines, section, key, value):
    out, current, done = [], None, False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            if current == section and not done:
                out.append(f"{key}={value}")
                done = True
            current = stripped
        elif current == section and stripped.split("=", 1)[0].strip() == key:
            continue  # replaced below
        out.append(line)
    if not done:
        if current != section:
            if out and out[-1].strip():
                out.append("")
            out.append(section)
        out.append(f"{key}={value}")
    return out


def existing(lines, section, key):
    current = None
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("["):
            current = stripped
        elif current == section and stripped.split("=", 1)[0].strip() == key:
            return stripped.split("=", 1)[1].strip()
    return ""


lines = merge(lines, "[PythonPlugins]", "gridshade_loader", "true")
lines = merge(lines, "[Plugins]", "libgridshadeplugin", "true")
# QGIS reads this setting as one string split at '|': keep other paths the user set.
paths = [p for p in existing(lines, "[plugins]", "searchPathsForPlugins").split("|") if p and p != desktop]
lines = merge(lines, "[plugins]", "searchPathsForPlugins", "|".join(paths + [desktop]))
open(path, "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
echo "install_plugin: installed into $dest and $desktop (enabled in $profile/QGIS/QGIS3.ini)"
