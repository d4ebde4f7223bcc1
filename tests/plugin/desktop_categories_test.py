#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""count_cat in the real QGIS desktop, under Xvfb, with the plugin installed by
scripts/install_plugin.sh into a throwaway profile: desktop_categories_probe.py (run by
`qgis --code`) adds a count_cat density layer through Plugins > Gridshade > Add Density Layer...
on a project holding a point layer, and quits QGIS with File > Exit. Three runs:

refused    the standard scene (GeoPackage, 200,000 points), category `fid`: one distinct value
           per point, which once hung QGIS for hours. The dialog must propose `cat` (4 values)
           and warn about `fid`; after OK the point-cache task must end with lastError naming
           `fid` and the category limit, the legend must say that no category is drawn, and
           QGIS must then quit.
exit       the same, but File > Exit right after OK, while the points may still be read.
exit_long  a CSV of 500,000 points (read by QGIS's feature iterator for about a second) with the
           proposed category, and File > Exit right after OK, while the task reads.

Each run must end with QGIS exiting by itself (exit code 0) within EXIT_DEADLINE_S of the
first File > Exit, without asking about the point-cache task (reading can always be redone).
The deadline only tells a hang from an exit: a clean exit takes about a second.

Usage: desktop_categories_test.py <source dir> <build dir>
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

SOURCE, BUILD = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import desktop_support  # noqa: E402

POINTS = 200000
CSV_POINTS = 500000
EXIT_DEADLINE_S = 60
tmp = tempfile.mkdtemp(prefix="gridshade_categories_")
profile_root, scene, env = desktop_support.install(SOURCE, BUILD, tmp, POINTS)

# The CSV: x, y in EPSG:3857 around the standard scene, and a text class of five values.
csv = os.path.join(tmp, "points.csv")
with open(csv, "w", encoding="utf-8") as f:
    f.write("x,y,kind\n")
    for i in range(CSV_POINTS):
        f.write("%d,%d,k%d\n" % (700000 + (i * 7919) % 500000, 5800000 + (i * 104729) % 400000, i % 5))

app = desktop_support.start_pyqgis(BUILD, tmp)
from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsRectangle, QgsReferencedRectangle, QgsVectorLayer  # noqa: E402


def write_project(path, layer):
    QgsProject.instance().clear()
    assert layer.isValid(), layer.source()
    QgsProject.instance().addMapLayer(layer)
    crs = QgsCoordinateReferenceSystem("EPSG:3857")
    QgsProject.instance().setCrs(crs)
    QgsProject.instance().viewSettings().setDefaultViewExtent(QgsReferencedRectangle(QgsRectangle(*desktop_support.Z8), crs))
    assert QgsProject.instance().write(path)


projects = {"scene": os.path.join(tmp, "scene.qgz"), "csv": os.path.join(tmp, "csv.qgz")}
write_project(projects["scene"], QgsVectorLayer(scene + "|layername=scene", "scene", "ogr"))
write_project(projects["csv"], QgsVectorLayer("file://%s?type=csv&xField=x&yField=y&crs=EPSG:3857&spatialIndex=no&subsetIndex=no&watchFile=no"
                                              % csv, "points", "delimitedtext"))
desktop_support.stop_pyqgis(app, BUILD)

failures = []


def check(ok, message):
    if not ok:
        failures.append(message)


def run(mode, project):
    out = os.path.join(tmp, "out_" + mode)
    os.makedirs(out)
    run_env = dict(env, GRIDSHADE_PROBE_OUT=out, GRIDSHADE_PROBE_MODE=mode)
    qgis = subprocess.Popen(["xvfb-run", "-a", "-s", "-screen 0 1024x768x24", desktop_support.QGIS, "--noversioncheck", "--nologo",
                             "--project", project, "--code", os.path.join(SOURCE, "tests/plugin/desktop_categories_probe.py")],
                            env=run_env, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    values_path = os.path.join(out, "values.json")
    # Poll, with a bounded deadline, for "the probe asked QGIS to quit" and then "QGIS is gone".
    started = time.time()
    while qgis.poll() is None and time.time() - started < 240:
        values = json.load(open(values_path, encoding="utf-8")) if os.path.isfile(values_path) else {}
        if "exitAt" in values and time.time() - values["exitAt"] > EXIT_DEADLINE_S:
            break
        time.sleep(0.5)
    hung = qgis.poll() is None
    ended = time.time()
    if hung:
        os.killpg(qgis.pid, 9)
    log = qgis.communicate()[0]
    values = json.load(open(values_path, encoding="utf-8")) if os.path.isfile(values_path) else {}
    print("%s: probe log:%s" % (mode, "\n  ".join([""] + values.get("log", []))))
    print(json.dumps({k: v for k, v in values.items() if k not in ("log", "fields")}, indent=1, ensure_ascii=False)[:3000])
    if not values:
        failures.append("%s: the probe wrote nothing (QGIS exit %s):\n%s" % (mode, qgis.returncode, log[-3000:]))
        return values
    check("timeout" not in values, "%s: the probe timed out at step '%s'" % (mode, values.get("timeout")))
    check(not hung, "%s: QGIS had not exited %.0f s after File > Exit (killed)" % (mode, ended - values.get("exitAt", started)))
    if not hung:
        print("%s: QGIS exited %.1f s after File > Exit, code %d" % (mode, ended - values["exitAt"], qgis.returncode))
        check(qgis.returncode == 0, "%s: QGIS exited with %d:\n%s" % (mode, qgis.returncode, log[-3000:]))
    check(values.get("taskPrompts", 0) == 0, "%s: QGIS asked whether to cancel the point-cache task on exit" % mode)
    check(values.get("colormapEnabled") is False, "%s: the colormap stays enabled for count_cat" % mode)
    return values


refused = run("refused", projects["scene"])
if refused:
    check(refused.get("proposed") == "cat", "refused: the dialog proposes %r as the category, not 'cat'" % refused.get("proposed"))
    check("'fid'" in refused.get("warning", "") and "feature id" in refused.get("warning", ""),
          "refused: no warning for fid: %r" % refused.get("warning"))
    error = refused.get("lastError") or ""
    check("'fid'" in error and "more than 1024 distinct values" in error and "of %d features" % POINTS in error,
          "refused: lastError %r does not name fid and the limit" % error)
    legend = refused.get("legend") or []
    check(len(legend) == 1 and "none drawn" in legend[0], "refused: the legend shows %r" % legend)

exit_now = run("exit", projects["scene"])
if exit_now:
    check(exit_now.get("category") == "fid", "exit: the layer's category is %r, not fid" % exit_now.get("category"))

exit_long = run("exit_long", projects["csv"])
if exit_long:
    check(exit_long.get("proposed") == "kind", "exit_long: the dialog proposes %r, not 'kind'" % exit_long.get("proposed"))
    check(any("Reading points" in t for t in exit_long.get("activeTasksAtExit", [])),
          "exit_long: the points were not being read at File > Exit (tasks %s): the test proves nothing" % exit_long.get("activeTasksAtExit"))

print("\n".join("FAIL " + f for f in failures) or "ok   count_cat on fid is refused at once, and QGIS quits during a build")
if not failures:
    shutil.rmtree(tmp, ignore_errors=True)
sys.exit(1 if failures else 0)
