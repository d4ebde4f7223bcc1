# SPDX-License-Identifier: GPL-2.0-or-later
"""plugin.package: the Debian package as a user installs it. CPack builds the .deb from this build;
it is unpacked into a throwaway root (as dpkg would install it under /), QGIS is pointed at that
root's Python plugin folder, and qgis_process enables, lists and runs the plugin from there.

usage: package_test.py SOURCE_DIR BUILD_DIR
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

SOURCE, BUILD = sys.argv[1], sys.argv[2]
PREFIX = os.environ.get("QGIS_PREFIX_PATH", "/usr")
QGIS_PROCESS = os.path.join(PREFIX, "bin/qgis_process.bin")
tmp = tempfile.mkdtemp(prefix="gridshade_package_")
failures = []


def check(condition, message, detail=""):
    print(("ok   " if condition else "FAIL ") + message + ("" if condition or not detail else "\n" + detail[-3000:]))
    if not condition:
        failures.append(message)


p = subprocess.run(["cpack", "-G", "DEB", "-C", "Release", "-B", os.path.join(tmp, "out")], cwd=BUILD, capture_output=True, text=True)
debs = glob.glob(os.path.join(tmp, "out", "gridshade_*_amd64.deb"))
check(p.returncode == 0 and len(debs) == 1, "cpack built %s" % [os.path.basename(d) for d in debs], p.stdout + p.stderr)
if debs:
    deb = debs[0]
    with open(os.path.join(SOURCE, "metadata.txt")) as f:
        version = re.search(r"^version=(.*)$", f.read(), re.M).group(1).strip()
    check(os.path.basename(deb) == "gridshade_%s_amd64.deb" % version, "named after metadata.txt's version %s" % version)
    depends = subprocess.run(["dpkg-deb", "-f", deb, "Depends"], capture_output=True, text=True).stdout
    with open(os.path.join(PREFIX, "include/qgis/qgsconfig.h")) as f:
        vi = int(re.search(r"^#define VERSION_INT (\d+)", f.read(), re.M).group(1))
    qgis = "%d.%d.%d" % (vi // 10000, vi // 100 % 100, vi % 100)
    check("libqgis-core%s" % qgis in depends and "qgis (>= %s)" % qgis in depends and "libqt5core5a" in depends,
          "Depends names the QGIS %s runtime and the shared libraries: %s" % (qgis, depends.strip()[:200]))
    root = os.path.join(tmp, "root")
    subprocess.run(["dpkg", "-x", deb, root], check=True)
    loader = os.path.join(root, "usr/share/qgis/python/plugins/gridshade_loader")
    desktop = os.path.join(root, "usr/lib/qgis/plugins/libgridshadeplugin.so")
    for path in (desktop, loader + "/__init__.py", loader + "/metadata.txt", loader + "/libgridshade.so", loader + "/gridshade/__init__.py"):
        check(os.path.isfile(path), "installs %s" % os.path.relpath(path, root))
    ldd = subprocess.run(["ldd", desktop], capture_output=True, text=True).stdout
    line = [l for l in ldd.splitlines() if "libgridshade.so" in l]
    check(line and os.path.realpath(loader) in os.path.realpath(line[0].split("=>")[1].split("(")[0].strip()),
          "the desktop plugin finds the library it was installed with: %s" % (line[0].strip() if line else "missing"))

    # qgis_process as a user runs it once the package is installed: a fresh profile, the system
    # plugin folder (here the unpacked root's), the loader enabled.
    env = dict(os.environ, QGIS_CUSTOM_CONFIG_PATH=os.path.join(tmp, "profile"), QT_QPA_PLATFORM="offscreen",
               QGIS_PLUGINPATH=os.path.join(root, "usr/share/qgis/python/plugins"))
    env.pop("GRIDSHADE_LIBRARY", None)
    run = lambda *args: subprocess.run([QGIS_PROCESS] + list(args), capture_output=True, text=True, env=env, timeout=120)
    p = run("plugins", "enable", "gridshade_loader")
    check(p.returncode == 0, "qgis_process plugins enable gridshade_loader", p.stdout + p.stderr)
    p = run("list")
    check(p.returncode == 0 and "gridshade:renderdensityimage" in p.stdout and "gridshade:readrasterwindow" in p.stdout,
          "qgis_process list shows the Gridshade algorithms", p.stdout + p.stderr)
    scene = os.path.join(tmp, "scene.gpkg")
    subprocess.run([os.path.join(BUILD, "tools/gridshade-scene-gpkg"), "--points", "20000", scene], check=True)
    png = os.path.join(tmp, "density.png")
    p = run("run", "gridshade:renderdensityimage", "--", "INPUT=" + scene, "WIDTH=256", "HEIGHT=192",
            "EXTENT=633129.6038867435,1259301.7395989073,5772795.863495652,6242424.965279775 [EPSG:3857]", "OUTPUT=" + png)
    check(p.returncode == 0 and os.path.getsize(png) > 0 if os.path.exists(png) else False,
          "qgis_process runs gridshade:renderdensityimage from the package", p.stdout + p.stderr)

print("%d failure(s)" % len(failures))
if not failures:
    shutil.rmtree(tmp, ignore_errors=True)
sys.exit(1 if failures else 0)
