#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The diagnostics docks in the real QGIS desktop, under Xvfb, with the plugin installed by
scripts/install_plugin.sh into a throwaway profile: QGIS opens a project holding a density
layer of the standard scene (1e6 points, the plugin goldens' layer), and desktop_docks_probe.py
(run by `qgis --code`) opens the Zoom, Performance and SSIM docks from the plugin's menu, jumps
to Z8, sweeps Z0-Z12, compares the view with a saved render, CPU with GPU and
goldens/plugin/density_z8.png, saves a screenshot of the window, then removes the density
layer, adds another one and starts a new project.

Asserts: the three docks exist and are visible, show the Z8 zoom level, points in view equal to
a brute-force count on the scene, a render's time split, four sweep rows with the brute-force
counts of each standard zoom, an SSIM of the Z8 render against its golden >= 0.98, SSIM 1 with no
differing pixel against the saved render and between CPU and GPU, that the plugin's first-time
layout fits the 1600 x 1000 screen without a dock that scrolls, that the Z8 jump centres on
the layer's extent by default, that the docks let go of a removed layer (no layer named, the
layer's buttons disabled), follow a new one and let go again after Project > New, and that QGIS
quits cleanly
(the plugin unloads its docks and keeps their visibility for the next session). The screenshots
are the user guide's pictures: GRIDSHADE_UPDATE_DOCS=1 copies them to
docs/_static/diagnostics_docks.png and performance_dock.png (look at them first).

Usage: desktop_docks_test.py <source dir> <build dir>
"""
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile

import numpy as np

SOURCE, BUILD = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import desktop_support  # noqa: E402

POINTS = 1000000
DOCKS_KEYS = ("zoom", "performance", "ssim")
tmp = tempfile.mkdtemp(prefix="gridshade_docks_")
profile_root, scene, env = desktop_support.install(SOURCE, BUILD, tmp, POINTS)
# The standard viewports (renderer/resources/scenes.json).
with open(os.path.join(SOURCE, "renderer/resources/scenes.json"), encoding="utf-8") as f:
    VIEWPORTS = json.load(f)["viewports"]

app = desktop_support.start_pyqgis(BUILD, tmp)
from qgis.core import QgsProject, QgsVectorLayer  # noqa: E402
project = os.path.join(tmp, "density.qgz")
desktop_support.write_density_project(scene, project, options="how=eq_hist&cmap=fire")
# Brute-force counts of the points in each standard view (Datashader's inclusive rule).
points = QgsVectorLayer(scene + "|layername=scene", "scene", "ogr")
# Filled in place: a list of 1e6 coordinate tuples first would add about 110 MiB to this process.
xy = np.empty((points.featureCount(), 2))
for i, f in enumerate(points.getFeatures()):
    p = f.geometry().asPoint()
    xy[i] = (p.x(), p.y())
assert i + 1 == len(xy), "read %d of %d points" % (i + 1, len(xy))


def count_in(e):
    return int(((xy[:, 0] >= e[0]) & (xy[:, 0] <= e[2]) & (xy[:, 1] >= e[1]) & (xy[:, 1] <= e[3])).sum())


in_view = {name: count_in(v["extent"]) for name, v in VIEWPORTS.items()}
del points
desktop_support.stop_pyqgis(app, BUILD)

out = os.path.join(tmp, "out")
os.makedirs(out)
env.update(GRIDSHADE_PROBE_OUT=out, GRIDSHADE_PROBE_GOLDEN=os.path.join(SOURCE, "goldens/plugin/density_z8.png"))
run = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", desktop_support.QGIS, "--noversioncheck", "--nologo",
                      "--project", project, "--code", os.path.join(SOURCE, "tests/plugin/desktop_docks_probe.py")],
                     env=env, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300, text=True)

failures = []
values_path = os.path.join(out, "values.json")
values = json.load(open(values_path, encoding="utf-8")) if os.path.isfile(values_path) else {}
print("probe log:", "\n  ".join([""] + values.get("log", [])))
print("largest parts of QGIS's resident memory (MiB):", json.dumps(values.get("mappings"), indent=1))
print("peak RSS of this test process: %d MiB" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024))
if not values:
    failures.append("the probe wrote nothing (QGIS exit %d):\n%s" % (run.returncode, run.stdout[-3000:]))
elif "timeout" in values:
    failures.append("the probe timed out at step '%s'" % values["timeout"])
else:
    print(json.dumps({k: values[k] for k in ("zoom", "performance", "ssim")}, indent=1, ensure_ascii=False))

    def check(ok, message):
        if not ok:
            failures.append(message)

    check(all(values["visible"].values()), "docks not all visible: %s" % values["visible"])
    zoom, perf, ssim = values["zoom"], values["performance"], values["ssim"]
    check(zoom.get("zoomValue") == "8.00", "zoom level %r, expected 8.00" % zoom.get("zoomValue"))
    # QGIS may omit group separators (its locale option): compare the digits.
    # The render's extent is the canvas's to within a pixel (QGIS 3.40 renders the canvas image a
    # fraction of a pixel smaller than visibleExtent() says: 6 of 1e6 points differed on its edges):
    # the count must lie between brute force on the extent one pixel smaller and one larger.
    e, px = values["canvasExtent"], values["canvasPixel"]
    inner = count_in([e[0] + px, e[1] + px, e[2] - px, e[3] - px])
    outer = count_in([e[0] - px, e[1] - px, e[2] + px, e[3] + px])
    shown = zoom.get("pointsValue", "").replace(",", "").split(" of ")
    check(len(shown) == 2 and shown[1].split()[0] == str(POINTS) and inner <= int(shown[0]) <= outer,
          "points in view %r, brute force on the canvas's extent %d (%d to %d within a pixel) of %d"
          % (zoom.get("pointsValue"), count_in(e), inner, outer, POINTS))
    check(zoom.get("layerValue") == "Density of the standard scene", "zoom dock follows %r" % zoom.get("layerValue"))
    rows = values["sweepTable"]
    check([r[0] for r in rows] == ["Z0", "Z4", "Z8", "Z12"], "sweep rows %s" % rows)
    for r in rows:
        if r and r[0] in in_view:
            check(r[-1].replace(",", "") == str(in_view[r[0]]), "sweep %s: %r points in view, brute force %d" % (r[0], r[-1], in_view[r[0]]))
            check(all(c not in ("", "–") for c in r[1:]), "sweep %s has empty figures: %s" % (r[0], r))
    for key in ("totalValue", "splitValue", "backendValue", "throughputValue", "memoryValue", "rendersValue"):
        check(perf.get(key) not in (None, "", "–"), "performance %s is %r" % (key, perf.get(key)))
    check("aggregate" in perf.get("splitValue", ""), "performance split %r names no aggregate stage" % perf.get("splitValue"))
    try:
        s = float(ssim.get("ssimValue", "nan"))
    except ValueError:
        s = float("nan")
    check(s >= 0.98, "SSIM with the golden %r (%s)" % (ssim.get("ssimValue"), ssim.get("descriptionValue")))
    # The same view rendered again, and on the other backend (Mesa's lavapipe under Xvfb): the
    # counts are identical, so are the pictures.
    comparisons = values.get("comparisons", {})
    print("comparisons:", json.dumps(comparisons, indent=1, ensure_ascii=False))
    for name in ("saved", "backends"):
        c = comparisons.get(name, {})
        check(c.get("ssimValue") == "1.000000" and (c.get("pixelsValue") or "").startswith("0 of"),
              "%s comparison: %s" % (name, c))
    # Mesa's llvmpipe (no GPU here) is named a software device, a real GPU a GPU.
    backends = comparisons.get("backends", {}).get("descriptionValue", "")
    device_kind = "software Vulkan (CPU) llvmpipe" if "llvmpipe" in backends else "GPU"
    check(device_kind in backends, "CPU vs GPU names no %s: %s" % (device_kind, comparisons.get("backends")))
    # auto leaves a software Vulkan device alone and says why.
    if "llvmpipe" in backends:
        check(perf.get("backendValue", "").startswith("CPU (auto skips llvmpipe"), "performance backend %r" % perf.get("backendValue"))
    # The first-time layout fits a 1600 x 1000 window: no dock needs to scroll, the canvas keeps
    # most of the width.
    layout = values.get("layout") or {}
    print("layout:", json.dumps(layout))
    for key in DOCKS_KEYS:
        d = layout.get(key)
        check(d and d["contentHeight"] <= d["viewportHeight"], "the %s dock scrolls in a 1600 x 1000 window: %s" % (key, d))
    check(layout.get("canvasWidth", 0) >= 800, "the canvas is %s px wide beside the docks" % layout.get("canvasWidth"))
    # The jump centres on the user's data by default, not on the standard scene's place.
    check(values.get("defaultCentre") == "Layer extent", "default centre %r" % values.get("defaultCentre"))
    c = values.get("centres") or {}
    if c:
        off = max(abs(a - b) for a, b in zip(c["view"], c["layer"])) / c["unitsPerPixel"]
        check(off <= 1.0, "the Z8 jump is %.1f px from the layer's extent centre: %s" % (off, c))
    else:
        failures.append("no centres recorded")
    # The docks follow the project's density layers: none left, none shown and nothing to click.
    layer_buttons = {"zoom": {"zoomButton0", "zoomButton4", "zoomButton8", "zoomButton12", "sweepButton"},
                     "ssim": {"saveButton", "compareButton"}}
    lifecycle = values.get("lifecycle", {})
    print("lifecycle:", json.dumps(lifecycle, indent=1, ensure_ascii=False))
    for moment, expected in (("removed", None), ("added", "Second density"), ("new project", None)):
        docks = lifecycle.get(moment)
        if not docks:
            failures.append("no dock state after '%s'" % moment)
            continue
        for key, d in docks.items():
            shown = d["layer"] if expected else d["layer"] == "no density layer selected"
            check(shown == (expected or True), "%s: the %s dock shows %r" % (moment, key, d["layer"]))
            enabled = layer_buttons.get(key, set()) & set(d["enabled"])
            if expected:
                check(key != "zoom" or "zoomButton8" in enabled, "%s: the zoom dock's buttons are off: %s" % (moment, d["enabled"]))
            else:
                check(not enabled, "%s: the %s dock still has %s enabled" % (moment, key, sorted(enabled)))
    check(run.returncode == 0, "QGIS exited with %d:\n%s" % (run.returncode, run.stdout[-3000:]))
    # Unloading the plugin at exit keeps the docks' visibility for the next session.
    ini = open(os.path.join(profile_root, "profiles/default/QGIS/QGIS3.ini"), encoding="utf-8").read()
    for key in ("zoom", "performance", "ssim"):
        check("docks\\%s\\visible=true" % key in ini, "the %s dock's visibility was not saved for the next session" % key)

# The window with the Zoom tab raised, and with the Performance tab raised.
for shot_name, picture in (("qgis_docks.png", "diagnostics_docks.png"), ("qgis_docks_performance.png", "performance_dock.png")):
    shot = os.path.join(out, shot_name)
    if not os.path.isfile(shot):
        failures.append("no screenshot %s" % shot_name)
        continue
    artifacts = os.path.join(BUILD, "test-artifacts/desktop")
    os.makedirs(artifacts, exist_ok=True)
    shutil.copy(shot, os.path.join(artifacts, picture))
    if os.environ.get("GRIDSHADE_UPDATE_DOCS") == "1" and not failures:
        shutil.copy(shot, os.path.join(SOURCE, "docs/_static", picture))
        print("wrote docs/_static/%s: look at it before committing" % picture)
print("\n".join("FAIL " + f for f in failures) or "ok   the three docks show their figures in the desktop")
if not failures:
    shutil.rmtree(tmp, ignore_errors=True)
sys.exit(1 if failures else 0)
