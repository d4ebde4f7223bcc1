# SPDX-License-Identifier: GPL-2.0-or-later
"""plugin.pyqgis_processing: standalone PyQGIS (Debian's /usr/bin/python3) with Gridshade loaded
through ctypes, as the Python loader does: processing.run() of renderdensityimage, and a density
plugin layer created from a uri, added to a project and rendered by QgsMapRendererSequentialJob.

usage: pyqgis_processing_test.py SOURCE_DIR BUILD_DIR
"""
import ctypes
import os
import shutil
import subprocess
import sys
import tempfile

SOURCE, BUILD = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix="gridshade_pyqgis_")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QGIS_CUSTOM_CONFIG_PATH"] = os.path.join(tmp, "config")
scene = os.path.join(tmp, "scene.gpkg")
subprocess.run([os.path.join(BUILD, "tools/gridshade-scene-gpkg"), "--points", "20000", scene], check=True)

from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsMapRendererSequentialJob,  # noqa: E402
                       QgsMapSettings, QgsProject, QgsRectangle)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

PREFIX = os.environ.get("QGIS_PREFIX_PATH", "/usr")  # the QGIS under test (CMake sets it)
QgsApplication.setPrefixPath(PREFIX, True)
app = QgsApplication([], False)
app.initQgis()
sys.path.append(os.path.join(PREFIX, "share/qgis/python/plugins"))
import processing  # noqa: E402
from processing.core.Processing import Processing  # noqa: E402

Processing.initialize()
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


lib = ctypes.PyDLL(os.path.join(BUILD, "plugin/libgridshade.so"))
check(lib.gridshade_register() == 1, "gridshade_register() returns 1")
check(lib.gridshade_register() == 1, "a second gridshade_register() is harmless")
check(QgsApplication.processingRegistry().providerById("gridshade") is not None, "provider 'gridshade' registered")

Z8 = (633129.6038867435, 5772795.863495652, 1259301.7395989073, 6242424.965279775)  # xmin, ymin, xmax, ymax
out = os.path.join(tmp, "density.png")
result = processing.run("gridshade:renderdensityimage", {
    "INPUT": scene, "EXTENT": "%r,%r,%r,%r [EPSG:3857]" % (Z8[0], Z8[2], Z8[1], Z8[3]),
    "WIDTH": 512, "HEIGHT": 384, "HOW": "eq_hist", "CMAP": "fire", "OUTPUT": out})
check(result["OUTPUT"] == out and os.path.getsize(out) > 0, "processing.run wrote %s" % out)
check(result["POINTS_IN_EXTENT"] == 10021, "POINTS_IN_EXTENT %s == 10021" % result["POINTS_IN_EXTENT"])

layer = QgsApplication.pluginLayerRegistry().createLayer(
    "gridshade_density", "source=%s|layername=scene&provider=ogr&how=log" % scene)
check(layer is not None and layer.isValid(), "density plugin layer created from a uri")
QgsProject.instance().addMapLayer(layer)
settings = QgsMapSettings()
settings.setLayers([layer])
settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
settings.setExtent(QgsRectangle(*Z8))
settings.setOutputSize(QSize(256, 192))
settings.setBackgroundColor(QColor(0, 0, 0, 0))  # so that painted pixels are the layer's
job = QgsMapRendererSequentialJob(settings)
job.start()
job.waitForFinished()
image = job.renderedImage()
painted = sum(1 for yy in range(image.height()) for xx in range(image.width()) if image.pixelColor(xx, yy).alpha() > 0)
check(not image.isNull() and 0 < painted < 256 * 192, "rendered image has %d painted pixels" % painted)
check(len(job.errors()) == 0, "job.errors() is empty: %s" % [e.message for e in job.errors()])

# The console snippets of docs/plugin.rst: options through Q_INVOKABLE / Q_PROPERTY, no bindings.
check(layer.property("lastError") == "", "lastError is empty: %r" % layer.property("lastError"))
check(layer.setOption("how", "sqrt") != "", "an invalid option value is refused with a message")
check("how=log" in layer.property("options"), "a refused option changes nothing")
check(layer.setOption("cmap", "viridis") == "", "setOption('cmap', 'viridis') is accepted")
check(layer.setOption("how", "linear") == "", "setOption('how', 'linear') is accepted")
check("cmap=viridis" in layer.property("options") and "how=linear" in layer.property("options"),
      "options now %s" % layer.property("options"))
check(layer.prepareCache("EPSG:3857") is True, "prepareCache('EPSG:3857') accepted")
job = QgsMapRendererSequentialJob(settings)
job.start()
job.waitForFinished()
recoloured = job.renderedImage()
check(len(job.errors()) == 0, "re-render after setOption has no errors")
changed = sum(1 for yy in range(0, 192, 2) for xx in range(0, 256, 2) if recoloured.pixel(xx, yy) != image.pixel(xx, yy))
check(changed > 0, "the new colormap and scaling changed %d sampled pixels" % changed)

QgsProject.instance().removeAllMapLayers()
lib.gridshade_unregister()
check(QgsApplication.processingRegistry().providerById("gridshade") is None, "gridshade_unregister() removes the provider")
app.exitQgis()
print("%d failure(s)" % len(failures))
if not failures:
    shutil.rmtree(tmp, ignore_errors=True)  # kept on failure, for a look at the outputs
sys.exit(1 if failures else 0)
