# SPDX-License-Identifier: GPL-2.0-or-later
"""Runs inside the QGIS desktop (`qgis --code`), driven by desktop_categories_test.py: adds a
count_cat density layer as a new user would (Plugins > Gridshade > Add Density Layer..., reduction
count_cat), notes the category field the dialog proposes, then picks the GeoPackage's `fid` (one
distinct value per point), notes the warning the dialog shows for it, and presses OK.

$GRIDSHADE_PROBE_MODE:
  refused    waits until the point-cache task has finished and the canvas is idle, notes the
             layer's lastError and its legend, then quits QGIS.
  exit       quits QGIS at once, while the points may still be read.
  exit_long  keeps the proposed field (the project's layer is a large CSV, read by QGIS's
             feature iterator for about a second) and quits QGIS at once, while the points are read.

Quitting is File > Exit. Should QGIS ask about active tasks, the probe answers Yes (cancel them)
and quits again, as a user would. It writes what it saw to $GRIDSHADE_PROBE_OUT/values.json
(with the wall-clock time of the first exit) before quitting; a step that does not finish within
the deadline is recorded as the failure.
"""
import json
import os
import time

from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtWidgets import QApplication, QComboBox, QDialog, QDialogButtonBox, QLabel, QMessageBox
from qgis.core import QgsApplication, QgsProject, QgsSettings
from qgis.utils import iface

OUT = os.environ["GRIDSHADE_PROBE_OUT"]
MODE = os.environ["GRIDSHADE_PROBE_MODE"]
DEADLINE_S = 120
state = {"step": 0, "started": time.monotonic(), "log": [], "values": {}}


def write_values(**extra):
    values = dict(state["values"], log=state["log"], **extra)
    with open(os.path.join(OUT, "values.json"), "w", encoding="utf-8") as f:
        json.dump(values, f, indent=1, ensure_ascii=False)


def add_action():
    for action in iface.pluginMenu().actions():
        if action.menu() and action.text().replace("&", "") == "Gridshade":
            for a in action.menu().actions():
                if a.text().replace("&", "").startswith("Add Density Layer"):
                    return a
    return None


def dialog():
    w = QApplication.activeModalWidget()
    return w if isinstance(w, QDialog) and w.windowTitle() == "Add Density Layer" else None


def open_dialog():
    a = add_action()
    if not a or iface.mapCanvas().isDrawing():
        return False
    QTimer.singleShot(0, a.trigger)  # exec() runs its own event loop; the steps go on inside it
    return True


def choose_count_cat():
    d = dialog()
    if not d:
        return False
    reduction = d.findChild(QComboBox, "reduction")
    reduction.setCurrentIndex(reduction.findData("count_cat"))
    category = d.findChild(QComboBox, "categoryField")
    state["values"]["proposed"] = category.currentData()
    state["values"]["fields"] = [category.itemData(i) for i in range(category.count())]
    state["values"]["colormapEnabled"] = d.findChild(QComboBox, "colormap").isEnabled()
    return True


def choose_fid():
    d = dialog()
    category = d.findChild(QComboBox, "categoryField")
    if MODE != "exit_long":
        category.setCurrentIndex(category.findData("fid"))
    state["values"]["category"] = category.currentData()
    state["values"]["warning"] = d.findChild(QLabel, "message").text()
    ok = d.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok)
    state["values"]["okEnabled"] = ok.isEnabled()
    if ok.isEnabled():
        ok.click()
    else:
        d.reject()
    return True


def density_layer():
    for layer in QgsProject.instance().mapLayers().values():
        if layer.type() == layer.PluginLayer:
            return layer
    return None


def added():
    return dialog() is None and density_layer() is not None


def settled():
    return QgsApplication.taskManager().countActiveTasks() == 0 and not iface.mapCanvas().isDrawing()


def note_layer():
    layer = density_layer()
    state["values"]["lastError"] = layer.property("lastError")
    model = iface.layerTreeView().layerTreeModel()
    node = QgsProject.instance().layerTreeRoot().findLayer(layer.id())
    state["values"]["legend"] = [n.data(Qt.DisplayRole) for n in model.layerLegendNodes(node)]
    return True


def answer_task_prompt():
    """A user asked "Do you want to try canceling these active tasks?" says Yes and quits again."""
    w = QApplication.activeModalWidget()
    if isinstance(w, QMessageBox) and w.windowTitle() == "Active Tasks":
        state["log"].append("%.1f s: QGIS asked about active tasks: %s" % (time.monotonic() - state["started"], w.text().replace("\n", " ")))
        state["values"]["taskPrompts"] = state["values"].get("taskPrompts", 0) + 1
        w.button(QMessageBox.Yes).click()
        QTimer.singleShot(500, exit_qgis)
    QTimer.singleShot(200, answer_task_prompt)


def exit_qgis():
    iface.actionExit().trigger()


def quit_qgis():
    QgsProject.instance().setDirty(False)
    QgsSettings().setValue("askToSaveMemoryLayers", False, QgsSettings.App)
    write_values(exitAt=time.time(), activeTasksAtExit=[t.description() for t in QgsApplication.taskManager().activeTasks()])
    answer_task_prompt()
    QTimer.singleShot(0, exit_qgis)
    return True


STEPS = [("open Add Density Layer from the menu", open_dialog), ("choose count_cat", choose_count_cat),
         ("choose the category field and press OK", choose_fid), ("the layer is in the project", added)]
if MODE == "refused":
    STEPS += [("the task and the render are done", settled), ("note lastError and the legend", note_layer)]
STEPS += [("quit", quit_qgis)]


def tick():
    name, step = STEPS[state["step"]]
    try:
        done = step()
    except Exception as e:  # noqa: BLE001 - reported to the test, which fails
        state["log"].append("%s raised %r" % (name, e))
        done = False
    if done:
        state["log"].append("%.1f s: %s" % (time.monotonic() - state["started"], name))
        state["step"] += 1
        if state["step"] == len(STEPS):
            return
    elif time.monotonic() - state["started"] > DEADLINE_S:
        state["values"]["timeout"] = name
        quit_qgis()
        return
    QTimer.singleShot(100, tick)


iface.mainWindow().setGeometry(QApplication.primaryScreen().geometry())
QTimer.singleShot(500, tick)
