# SPDX-License-Identifier: GPL-2.0-or-later
"""Runs inside the QGIS desktop (`qgis --code`), driven by desktop_docks_test.py: opens the three
Gridshade docks from the plugin's menu like a user, jumps to Z8 around the standard scene, runs
the sweep, makes the SSIM dock's three comparisons (a saved render, CPU vs GPU, a golden), saves
a screenshot of the main window, jumps to Z8 around the layer's extent (the default centre),
removes the density layer, adds another and starts a new project (the docks must follow),
writes the docks' values (JSON) into $GRIDSHADE_PROBE_OUT and quits QGIS.

Each step waits for its condition on a timer (the GUI keeps running); a step that does not
finish within the deadline is recorded as the failure.
"""
import json
import os
import time

from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication, QComboBox, QDockWidget, QLabel, QLineEdit, QPushButton, QTableWidget
from qgis.core import QgsApplication, QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject, QgsSettings
from qgis.utils import iface

OUT = os.environ["GRIDSHADE_PROBE_OUT"]
GOLDEN = os.environ["GRIDSHADE_PROBE_GOLDEN"]
DEADLINE_S = 150
DOCKS = {"zoom": "GridshadeZoomDock", "performance": "GridshadePerformanceDock", "ssim": "GridshadeSsimDock"}
state = {"step": 0, "started": time.monotonic(), "log": [], "comparisons": {}}


def dock(key):
    return iface.mainWindow().findChild(QDockWidget, DOCKS[key])


def label(key, name):
    d = dock(key)
    w = d.findChild(QLabel, name) if d else None
    return w.text() if w else None


def button(key, text):
    d = dock(key)
    for b in d.findChildren(QPushButton) if d else []:
        if b.text().replace("&", "") == text:
            return b
    return None


def gridshade_menu_actions():
    for action in iface.pluginMenu().actions():
        if action.menu() and action.text().replace("&", "") == "Gridshade":
            return {a.text().replace("&", ""): a for a in action.menu().actions()}
    return {}


def canvas_idle():
    return not iface.mapCanvas().isDrawing()


def open_docks():
    actions = gridshade_menu_actions()
    wanted = ["Zoom Dock", "Performance Dock", "SSIM Dock"]
    if not all(w in actions for w in wanted) or not canvas_idle():
        return False
    for w in wanted:
        if not actions[w].isChecked():
            actions[w].trigger()
    return all(dock(k) and dock(k).isVisible() for k in DOCKS)


def measure_layout():
    """The plugin's own first-time layout, as a new user gets it: each dock's content height
    against the height it is given (a tab is measured while raised)."""
    main = iface.mainWindow()
    layout = {}
    for k in ("performance", "ssim", "zoom"):
        dock(k).raise_()
        QApplication.processEvents()
        layout[k] = {"area": int(main.dockWidgetArea(dock(k))),
                     "tabifiedWith": [d.objectName() for d in main.tabifiedDockWidgets(dock(k))],
                     "contentHeight": dock(k).widget().widget().sizeHint().height(),
                     "viewportHeight": dock(k).widget().viewport().height()}
    layout["canvasWidth"] = iface.mapCanvas().width()
    state["layout"] = layout
    return True


def jump_z8():
    b = button("zoom", "Z8")
    if not b or not b.isEnabled():
        return False
    combo = dock("zoom").findChild(QComboBox, "centreCombo")
    state["defaultCentre"] = combo.currentText()
    # The standard scene (a choice kept for the goldens), whose brute-force counts the test knows.
    combo.setCurrentIndex(2)
    b.click()
    return True


def jump_layer_z8():
    """Z8 again, around the layer's extent (the default centre)."""
    dock("zoom").findChild(QComboBox, "centreCombo").setCurrentIndex(0)
    return jump_z8_again()


def jump_z8_again():
    b = button("zoom", "Z8")
    if not b or not b.isEnabled() or not canvas_idle():
        return False
    state["viewBefore"] = iface.mapCanvas().extent().toString()
    b.click()
    return True


def layer_z8_shown():
    if not canvas_idle() or iface.mapCanvas().extent().toString() == state["viewBefore"]:
        return False
    state["centres"] = centres()
    return True


def centres():
    """The canvas's centre and the density layer's extent centre, both in EPSG:3857."""
    density = [l for l in QgsProject.instance().mapLayers().values() if l.name() == "Density of the standard scene"][0]
    mercator = QgsCoordinateReferenceSystem("EPSG:3857")
    ms = iface.mapCanvas().mapSettings()
    view = QgsCoordinateTransform(ms.destinationCrs(), mercator, QgsProject.instance()).transform(ms.visibleExtent().center())
    layer = QgsCoordinateTransform(density.crs(), mercator, QgsProject.instance()).transform(density.extent().center())
    return {"view": [view.x(), view.y()], "layer": [layer.x(), layer.y()], "unitsPerPixel": ms.mapUnitsPerPixel()}


def z8_shown():
    return canvas_idle() and label("zoom", "zoomValue") == "8.00" and label("zoom", "pointsValue") not in (None, "", "–")


def sweep():
    b = button("zoom", "Sweep Z0–Z12")
    if not b or not b.isEnabled():
        return False
    b.click()
    return True


def sweep_done():
    status = label("zoom", "sweepStatus") or ""
    return status.startswith("Swept")


def click(key, name):
    b = dock(key).findChild(QPushButton, name)
    if not b or not b.isEnabled() or not b.isVisible():
        return False
    b.click()
    return True


def choose_reference(index):
    dock("ssim").findChild(QComboBox, "referenceCombo").setCurrentIndex(index)


def save_render():
    choose_reference(1)  # Saved render
    state["saved"] = label("ssim", "savedValue")
    return click("ssim", "saveButton")


def saved():
    return label("ssim", "savedValue") not in (state["saved"], None, "") and click("ssim", "compareButton")


def compare_backends():
    choose_reference(2)  # Other backend (CPU vs GPU)
    return click("ssim", "compareButton")


def compare_golden():
    choose_reference(0)  # Golden image file
    dock("ssim").findChild(QLineEdit, "goldenPath").setText(GOLDEN)
    return click("ssim", "compareButton")


def compared(name):
    """Done when the result (or an error) is shown; keeps it under \a name."""
    def check():
        if not dock("ssim").findChild(QPushButton, "compareButton").isEnabled():
            return False  # busy
        state["comparisons"][name] = {k: label("ssim", k) for k in ("ssimValue", "worstValue", "pixelsValue", "descriptionValue")}
        return True
    return check


def finish():
    values = {key: {w.objectName(): w.text() for w in dock(key).findChildren(QLabel) if w.objectName().endswith(("Value", "Status"))}
              for key in DOCKS if dock(key)}
    table = dock("zoom").findChild(QTableWidget, "sweepTable")
    values["sweepTable"] = [[table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
                            for r in range(table.rowCount())]
    e = iface.mapCanvas().mapSettings().visibleExtent()
    values["canvasExtent"] = [e.xMinimum(), e.yMinimum(), e.xMaximum(), e.yMaximum()]
    values["canvasPixel"] = iface.mapCanvas().mapSettings().mapUnitsPerPixel()
    values["visible"] = {key: bool(dock(key) and dock(key).isVisible()) for key in DOCKS}
    values["comparisons"] = state["comparisons"]
    values["defaultCentre"] = state.get("defaultCentre")
    values["layout"] = state.get("layout")
    QApplication.processEvents()
    iface.mainWindow().grab().save(os.path.join(OUT, "qgis_docks.png"))
    # The Performance dock shares a tab with the Zoom dock: its own picture, with its tab raised.
    dock("performance").raise_()
    QApplication.processEvents()
    iface.mainWindow().grab().save(os.path.join(OUT, "qgis_docks_performance.png"))
    dock("zoom").raise_()
    QApplication.processEvents()
    state["values"] = values
    state["lifecycle"] = {}
    return True


def dock_state():
    """What each dock shows about the followed layer, and which of its buttons are enabled."""
    return {key: {"layer": label(key, "layerValue"),
                  "enabled": sorted(b.objectName() for b in dock(key).findChildren(QPushButton) if b.isEnabled() and b.objectName())}
            for key in DOCKS}


def remove_density():
    for layer in list(QgsProject.instance().mapLayers().values()):
        if layer.name() == "Density of the standard scene":
            QgsProject.instance().removeMapLayer(layer.id())
    return True


def add_density():
    scene = QgsProject.instance().mapLayersByName("scene")[0]
    layer = QgsApplication.pluginLayerRegistry().createLayer("gridshade_density", "layer=%s&how=log" % scene.id())
    layer.setName("Second density")
    QgsProject.instance().addMapLayer(layer)
    return True


def new_project():
    iface.newProject(False)
    return True


def record(name):
    def step():
        QApplication.processEvents()
        state["lifecycle"][name] = dock_state()
        return True
    return step


def write_values():
    values = state["values"]
    values["centres"] = state.get("centres")
    values["lifecycle"] = state["lifecycle"]
    values["log"] = state["log"]
    values["mappings"] = {k: v for k, v in state["mappings"].items() if k in ("open the docks from the menu", "backends compared", "screenshot")}
    with open(os.path.join(OUT, "values.json"), "w", encoding="utf-8") as f:
        json.dump(values, f, indent=1, ensure_ascii=False)
    return True


STEPS = [("open the docks from the menu", open_docks), ("measure the docks", measure_layout), ("jump to Z8", jump_z8), ("Z8 rendered", z8_shown),
         ("start the sweep", sweep), ("sweep done", sweep_done),
         ("save the current render", save_render), ("compare with the saved render", saved), ("saved compared", compared("saved")),
         ("compare CPU with GPU", compare_backends), ("backends compared", compared("backends")),
         ("compare with the golden", compare_golden), ("golden compared", compared("golden")), ("screenshot", finish),
         ("jump to Z8 around the layer's extent", jump_layer_z8), ("layer's Z8 shown", layer_z8_shown),
         ("remove the density layer", remove_density), ("docks after the removal", record("removed")),
         ("add another density layer", add_density), ("docks after the addition", record("added")),
         ("start a new project", new_project), ("docks in the new project", record("new project")),
         ("write the values", write_values)]


def memory():
    """This QGIS process's resident memory now and at its peak (MiB), for the step log: where the
    desktop's memory goes (docs/performance.rst, "Memory of the test suite")."""
    fields = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                fields[key] = int(value.split()[0]) // 1024
    return "RSS %(VmRSS)d MiB (anon %(RssAnon)d, file %(RssFile)d), peak %(VmHWM)d MiB" % fields


def mappings(top=12):
    """The largest parts of this process's resident memory (MiB): anonymous memory, and the files
    mapped into it (libraries, fonts, the GeoPackage), from /proc/self/smaps."""
    sizes, current = {}, None
    with open("/proc/self/smaps", encoding="utf-8", errors="replace") as f:
        for line in f:
            first = line.split(None, 1)[0]
            if not first.endswith(":") or "-" in first:
                parts = line.split()
                current = parts[5] if len(parts) > 5 else "[anonymous]"
            elif first == "Rss:":
                sizes[current] = sizes.get(current, 0) + int(line.split()[1])
    biggest = sorted(sizes.items(), key=lambda kv: -kv[1])[:top]
    return {os.path.basename(k) if k.startswith("/") else k: round(v / 1024, 1) for k, v in biggest}


def tick():
    name, step = STEPS[state["step"]]
    try:
        done = step()
    except Exception as e:  # noqa: BLE001 - reported to the test, which fails
        state["log"].append("%s raised %r" % (name, e))
        done = False
    if done:
        state["log"].append("%.1f s: %s; %s" % (time.monotonic() - state["started"], name, memory()))
        state.setdefault("mappings", {})[name] = mappings()
        state["step"] += 1
        if state["step"] == len(STEPS):
            quit_qgis()
            return
    elif time.monotonic() - state["started"] > DEADLINE_S:
        with open(os.path.join(OUT, "values.json"), "w", encoding="utf-8") as f:
            json.dump({"timeout": name, "log": state["log"]}, f, indent=1)
        quit_qgis()
        return
    QTimer.singleShot(200, tick)


def quit_qgis():
    QgsProject.instance().setDirty(False)
    # The scene lies in a temporary folder: QGIS would ask whether to keep such layers.
    QgsSettings().setValue("askToSaveMemoryLayers", False, QgsSettings.App)
    iface.actionExit().trigger()


# No window manager under Xvfb to maximise the window: fill the screen by hand.
iface.mainWindow().setGeometry(QApplication.primaryScreen().geometry())
QTimer.singleShot(500, tick)
