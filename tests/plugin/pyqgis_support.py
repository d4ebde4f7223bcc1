# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared start of the standalone PyQGIS tests (Debian's /usr/bin/python3): a throwaway profile,
the built library for the `gridshade` package, an offscreen QgsApplication, and the ok/FAIL
check list that decides the exit status."""
import os
import sys
import tempfile

#: The QGIS the tests run against: Debian's (/usr) or a second version's prefix (CMake sets it).
PREFIX = os.environ.get("QGIS_PREFIX_PATH", "/usr")
#: Its qgis_process program (Debian's qgis_process wrapper passes an option 3.22 rejects).
QGIS_PROCESS = os.path.join(PREFIX, "bin/qgis_process.bin")
#: Its desktop program.
QGIS_DESKTOP = os.path.join(PREFIX, "bin/qgis")


def start(source, build, prefix):
    """Starts QGIS for a test named by \a prefix; returns the QgsApplication."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QGIS_CUSTOM_CONFIG_PATH"] = tempfile.mkdtemp(prefix=prefix)
    os.environ["GRIDSHADE_LIBRARY"] = os.path.join(build, "plugin/libgridshade.so")
    sys.path.insert(0, os.path.join(source, "python"))
    from qgis.core import QgsApplication
    QgsApplication.setPrefixPath(PREFIX, True)
    app = QgsApplication([], False)
    app.initQgis()
    return app


def start_processing(check):
    """Initialises QGIS's processing framework and registers Gridshade's provider through the
    library, as the Python loader does; returns the library (for gridshade_unregister())."""
    import ctypes
    sys.path.append(os.path.join(PREFIX, "share/qgis/python/plugins"))
    from processing.core.Processing import Processing
    Processing.initialize()
    lib = ctypes.PyDLL(os.environ["GRIDSHADE_LIBRARY"])
    check(lib.gridshade_register() == 1, "gridshade registered")
    return lib


class Checks:
    """ok/FAIL lines and the failures among them."""

    def __init__(self):
        self.failures = []

    def __call__(self, condition, message):
        print(("ok   " if condition else "FAIL ") + message)
        if not condition:
            self.failures.append(message)

    def raises(self, call, fragment, kind):
        """Checks that call() raises \a kind with \a fragment in its message."""
        try:
            call()
        except kind as e:
            self(fragment in str(e), "clear error (%s): %s" % (fragment, e))
            return
        except Exception as e:  # noqa: BLE001 - a wrong kind of error is a failure too
            self(False, "expected %s with %r, got %r" % (kind.__name__, fragment, e))
            return
        self(False, "expected an error with %r" % fragment)

    def finish(self, app):
        """Removes the layers before QGIS goes (providers must not outlive it), exits QGIS and
        returns the exit status."""
        import gc
        from qgis.core import QgsProject
        QgsProject.instance().removeAllMapLayers()
        gc.collect()
        # Unregistered before QGIS goes, as a plugin's unload does (QGIS 3.40 crashes at exit
        # removing a layer type still registered then); a second call is harmless.
        import ctypes
        if os.environ.get("GRIDSHADE_LIBRARY"):
            ctypes.PyDLL(os.environ["GRIDSHADE_LIBRARY"]).gridshade_unregister()
        app.exitQgis()
        print("%d failures" % len(self.failures))
        return 1 if self.failures else 0
