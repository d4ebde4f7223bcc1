#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""plugin.docs_console: the Python console example of docs/plugin.rst runs as written, in
standalone PyQGIS (Debian's /usr/bin/python3), on a project layer named "points" with the fields
the example names (price, kind). Every setOption/setOptions call of the example must return ""
(an error string is how a console user learns that a call did nothing), every other statement
must run, and the layer must end with the options of its last call and no lastError.

usage: docs_console_test.py SOURCE_DIR BUILD_DIR
"""
import ast
import ctypes
import os
import re
import sys

SOURCE, BUILD = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyqgis_support  # noqa: E402

app = pyqgis_support.start(SOURCE, BUILD, "gridshade_docs_console_")
check = pyqgis_support.Checks()
ctypes.PyDLL(os.path.join(BUILD, "plugin/libgridshade.so")).gridshade_register()
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProject, QgsVectorLayer  # noqa: E402

points = QgsVectorLayer("Point?crs=EPSG:3857&field=price:double&field=kind:string", "points", "memory")
features = []
for i in range(200):
    f = QgsFeature(points.fields())
    f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(946000 + 100 * (i % 20), 6007000 + 100 * (i // 20))))
    f.setAttributes([float(i), "k%d" % (i % 3)])
    features.append(f)
points.dataProvider().addFeatures(features)
QgsProject.instance().addMapLayer(points)

# The first Python block of the section "In the Python console".
text = open(os.path.join(SOURCE, "docs/plugin.rst"), encoding="utf-8").read()
section = text[text.index("In the Python console\n---"):]
block = re.search(r"\.\. code-block:: python\n\n((?:   .*\n|\n)+)", section).group(1)
code = "\n".join(line[3:] for line in block.splitlines())
names = {}
for statement in ast.parse(code).body:
    source = ast.get_source_segment(code, statement)
    call = statement.value if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call) else None
    if call is not None and isinstance(call.func, ast.Attribute) and call.func.attr in ("setOption", "setOptions"):
        result = eval(compile(ast.Expression(call), "plugin.rst", "eval"), names)
        check(result == "", "%s returns %r" % (source, result))
    else:
        try:
            exec(compile(ast.Module([statement], []), "plugin.rst", "exec"), names)
            check(True, "runs: %s" % source.splitlines()[0])
        except Exception as e:  # noqa: BLE001 - any error fails the example
            check(False, "%s raised %r" % (source, e))

density = names.get("density")
check(density is not None and "category=kind" in density.property("options"), "the layer has the options of the last call")
check(density is not None and density.property("lastError") == "", "no lastError: %r" % (density and density.property("lastError")))
density = names = None
sys.exit(check.finish(app))
