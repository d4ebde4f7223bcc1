# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared set-up of the tests that drive the real QGIS desktop under Xvfb: a throwaway profile
with the plugin installed by scripts/install_plugin.sh, a standard-scene GeoPackage, and a
project holding a density layer of it (written by PyQGIS, which needs the layer type registered
to write the layer).
"""
import ctypes
import os
import subprocess

Z8 = (633129.6038867435, 5772795.863495652, 1259301.7395989073, 6242424.965279775)
#: The QGIS desktop under test: Debian's, or a second version's in a prefix (CMake sets it).
QGIS = os.path.join(os.environ.get("QGIS_PREFIX_PATH", "/usr"), "bin/qgis")


def install(source, build, tmp, points):
    """Profile root, scene GeoPackage path and the environment for running QGIS on them."""
    profile_root = os.path.join(tmp, "config")
    env = dict(os.environ, QGIS_CUSTOM_CONFIG_PATH=profile_root)
    scene = os.path.join(tmp, "scene.gpkg")
    subprocess.run([os.path.join(build, "tools/gridshade-scene-gpkg"), "--points", str(points), scene], check=True, env=env)
    subprocess.run(["bash", os.path.join(source, "scripts/install_plugin.sh")], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    without_bundled_python_plugins(os.path.join(profile_root, "profiles/default/QGIS/QGIS3.ini"))
    return profile_root, scene, env


#: Python plugins that QGIS ships and enables by default; the desktop tests use none of them.
BUNDLED_PYTHON_PLUGINS = ("processing", "MetaSearch", "db_manager", "grassprovider")


def without_bundled_python_plugins(ini):
    """Disables QGIS's bundled Python plugins in the throwaway profile: on QGIS 3.40 they take
    about 41 MiB of the desktop's resident memory (docs/performance.rst, "Memory of the test
    suite") and the desktop tests exercise none of them (Processing is tested through
    qgis_process and PyQGIS). The Gridshade plugins stay enabled."""
    with open(ini, encoding="utf-8") as f:
        lines = f.read().splitlines()
    keys = {"%s=" % name for name in BUNDLED_PYTHON_PLUGINS}
    lines = [line for line in lines if not any(line.startswith(k) for k in keys)]
    at = lines.index("[PythonPlugins]") + 1 if "[PythonPlugins]" in lines else None
    if at is None:
        lines += ["", "[PythonPlugins]"]
        at = len(lines)
    lines[at:at] = ["%s=false" % name for name in BUNDLED_PYTHON_PLUGINS]
    with open(ini, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def start_pyqgis(build, tmp):
    """A headless QgsApplication in its own profile, with the density layer type registered."""
    os.environ.update(QT_QPA_PLATFORM="offscreen", QGIS_CUSTOM_CONFIG_PATH=os.path.join(tmp, "writer"))
    from qgis.core import QgsApplication
    app = QgsApplication([], False)
    app.initQgis()
    ctypes.PyDLL(os.path.join(build, "plugin/libgridshade.so")).gridshade_register()
    return app


def stop_pyqgis(app, build):
    """Unregisters the plugin (as its unload does: QGIS 3.40 crashes at exit removing a layer
    type still registered then) and exits QGIS."""
    from qgis.core import QgsProject
    QgsProject.instance().clear()
    ctypes.PyDLL(os.path.join(build, "plugin/libgridshade.so")).gridshade_unregister()
    app.exitQgis()


def write_density_project(scene, project, options="how=log&cmap=fire", extent=Z8):
    """Writes a project (EPSG:3857, opening on \a extent) with the scene hidden and a density
    layer of it on top; returns the density layer (still in the project)."""
    from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsProject, QgsRectangle,
                           QgsReferencedRectangle, QgsVectorLayer)
    points = QgsVectorLayer(scene + "|layername=scene", "scene", "ogr")
    QgsProject.instance().addMapLayer(points)
    density = QgsApplication.pluginLayerRegistry().createLayer("gridshade_density", "layer=%s&%s" % (points.id(), options))
    density.setName("Density of the standard scene")
    QgsProject.instance().addMapLayer(density)
    QgsProject.instance().layerTreeRoot().findLayer(points.id()).setItemVisibilityChecked(False)
    crs = QgsCoordinateReferenceSystem("EPSG:3857")
    QgsProject.instance().setCrs(crs)
    QgsProject.instance().viewSettings().setDefaultViewExtent(QgsReferencedRectangle(QgsRectangle(*extent), crs))
    assert QgsProject.instance().write(project)
    return density
