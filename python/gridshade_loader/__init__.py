# SPDX-License-Identifier: GPL-2.0-or-later
"""Gridshade loader: registers the C++ library's density layer type and processing provider.

qgis_process and standalone PyQGIS never load C++ plugins; they do load enabled Python plugins
with hasProcessingProvider=yes and call initProcessing(). This module only loads
libgridshade.so with ctypes and calls its extern "C" gridshade_register(), which is idempotent,
so the desktop C++ plugin and this loader may both be active.
"""
import ctypes
import os
import sys

_LIBRARY_NAME = "libgridshade.so"

# The console package `gridshade` is installed inside this folder: make `import gridshade` work
# in the QGIS Python console (and in standalone PyQGIS once this loader is imported).
_HERE = os.path.dirname(os.path.abspath(__file__))
if os.path.isdir(os.path.join(_HERE, "gridshade")) and _HERE not in sys.path:
    sys.path.append(_HERE)


def library_path():
    """$GRIDSHADE_LIBRARY, else the copy installed next to this file by scripts/install_plugin.sh."""
    return os.environ.get("GRIDSHADE_LIBRARY") or os.path.join(os.path.dirname(os.path.abspath(__file__)), _LIBRARY_NAME)


def _log(message, level):
    try:
        from qgis.core import QgsMessageLog
        QgsMessageLog.logMessage(message, "Gridshade", level)
    except Exception:  # logging must never break QGIS start-up
        pass


class GridshadeLoader:
    def __init__(self, iface=None):
        self._iface = iface
        self._lib = None

    def _register(self):
        if self._lib is not None:
            return
        path = library_path()
        if not os.path.isfile(path):
            _log("Gridshade library not found at {}: run scripts/install_plugin.sh or set GRIDSHADE_LIBRARY".format(path), 2)
            return
        try:
            # PyDLL keeps the GIL during the call: registration touches QGIS objects that SIP
            # wrappers may reference, so it must not run concurrently with Python code.
            lib = ctypes.PyDLL(path)
        except OSError as e:
            _log("Gridshade library {} could not be loaded ({}): rebuild it against this QGIS".format(path, e), 2)
            return
        lib.gridshade_register.restype = ctypes.c_int
        if lib.gridshade_register() != 1:
            _log("gridshade_register() failed: QGIS is not initialised", 2)
            return
        self._lib = lib

    def initProcessing(self):
        self._register()

    def initGui(self):
        self._register()

    def unload(self):
        if self._lib is not None:
            self._lib.gridshade_unregister()
            self._lib = None


def classFactory(iface):
    return GridshadeLoader(iface)
