#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""plugin.python_console: the `gridshade` console package from standalone PyQGIS (Debian's
/usr/bin/python3): numpy arrays and xarray/rioxarray DataArrays become raster layers that read
the arrays' own memory (proven by address and by a write showing), placed so that each cell's
centre identifies to that cell's value on two CRSs, attributes kept as metadata, the explicit
copy path, and errors a console user can act on. Optional packages that are absent are skipped
with the reason; the package itself, installed by scripts/install_plugin.sh, imports through
the loader.

usage: python_console_test.py SOURCE_DIR BUILD_DIR
"""
import gc
import importlib.util
import os
import subprocess
import sys
import tempfile

SOURCE, BUILD = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyqgis_support  # noqa: E402

app = pyqgis_support.start(SOURCE, BUILD, "gridshade_console_")
check = pyqgis_support.Checks()
import numpy as np  # noqa: E402
from qgis.core import QgsPointXY, QgsRaster  # noqa: E402

import gridshade  # noqa: E402


def raises(call, fragment, kind=None):
    check.raises(call, fragment, kind or gridshade.GridshadeError)


def identify(layer, x, y, band=1):
    r = layer.dataProvider().identify(QgsPointXY(x, y), QgsRaster.IdentifyFormatValue)
    return r.results().get(band) if r.isValid() else None


def address(a):
    return a.__array_interface__["data"][0]


check("datashader" not in sys.modules and "xarray" not in sys.modules, "import gridshade imports no optional package")
check(gridshade.is_datashader_available() == (importlib.util.find_spec("datashader") is not None),
      "is_datashader_available() tells whether Datashader is importable")

# --- numpy --------------------------------------------------------------------------------
gt = (600000.0, 30.0, 0.0, 5200000.0, 0.0, -30.0)
a = np.arange(20 * 30, dtype="float32").reshape(20, 30)
layer = gridshade.add_array(a, gt, "EPSG:32632", name="a")
check("DATAPOINTER=%d," % address(a) in layer.source(), "numpy: the layer reads the array's memory (its address)")
check(identify(layer, 600000 + 30 * 11.5, 5200000 - 30 * 7.5) == float(a[7, 11]), "numpy: cell (7, 11) at its centre")
a[7, 11] = -5
check(identify(layer, 600000 + 30 * 11.5, 5200000 - 30 * 7.5) == -5.0, "numpy: a write to the array shows (no copy)")
raises(lambda: gridshade.add_array(a[:, ::2], gt, "EPSG:32632"), "copy=True")
raises(lambda: gridshade.add_array(np.zeros((4, 4), dtype="int64"), gt, "EPSG:32632"), "copy=True")
ints = np.arange(16, dtype="int64").reshape(4, 4)
copied = gridshade.add_array(ints, gt, "EPSG:32632", copy=True)
check("DATAPOINTER=%d," % address(ints) not in copied.source(), "numpy: copy=True shows a copy of an int64 array")
check(identify(copied, 600000 + 30 * 2.5, 5200000 - 30 * 1.5) == 6.0, "numpy: the copy holds the values")
raises(lambda: gridshade.add_array(a, gt, "EPSG:999999"), "CRS")
# The layer keeps its array alive after the caller lets go of it.
kept = gridshade.add_array(np.full((10, 10), 5.0, dtype="float32"), gt, "EPSG:32632", name="owned")
gc.collect()
check(identify(kept, 600000 + 45, 5200000 - 45) == 5.0, "numpy: the layer keeps its array alive")

# --- xarray / rioxarray ---------------------------------------------------------------------
if importlib.util.find_spec("xarray") is None:
    print("skip xarray: python3-xarray is not installed")
else:
    import xarray as xr

    def grid(crs_step, x0, y0, ny=40, nx=50, dtype="float64"):
        v = (np.arange(ny * nx) % 997).astype(dtype).reshape(ny, nx)
        return xr.DataArray(v, dims=("y", "x"), coords={"y": y0 - crs_step * np.arange(ny), "x": x0 + crs_step * np.arange(nx)},
                            name="elevation", attrs={"units": "m", "long_name": "Elevation", "description": "a test grid"})

    # Two CRSs: UTM metres and geographic degrees. Each cell centre must identify to its value,
    # and the extent must be the centres +- half a cell (alignment well within 0.5 px).
    for crs, step, x0, y0 in (("EPSG:32632", 25.0, 500012.5, 5300012.5), ("EPSG:4326", 0.01, 8.005, 47.995)):
        da = grid(step, x0, y0)
        layer = gridshade.add_dataarray(da, crs=crs)
        check("DATAPOINTER=%d," % address(da.values) in layer.source(), "%s: the layer reads the DataArray's buffer" % crs)
        e = layer.extent()
        err = max(abs(e.xMinimum() - (x0 - step / 2)), abs(e.yMaximum() - (y0 + step / 2)),
                  abs(e.xMaximum() - (x0 + step * 49.5)), abs(e.yMinimum() - (y0 - step * 39.5))) / step
        check(err < 1e-6, "%s: extent = centres +- half a cell (error %.2g px)" % (crs, err))
        hits = all(identify(layer, float(da.x[j]), float(da.y[i])) == float(da.values[i, j]) for i, j in ((0, 0), (7, 11), (39, 49), (20, 3)))
        check(hits, "%s: cell centres identify to their values" % crs)
        check(layer.crs().authid() == crs, "%s: CRS kept" % crs)
    check(layer.customProperty("gridshade/meta/units") == "m", "attributes kept as custom properties")
    check(layer.metadata().title() == "Elevation" and "units=m" in layer.metadata().keywords().get("attributes", []),
          "attributes kept in the layer metadata (title, keywords)")
    check(layer.name() == "elevation", "the layer is named after the DataArray")

    bands = xr.DataArray(np.stack([grid(25.0, 500012.5, 5300012.5).values * k for k in (1, 2, 3)]), dims=("band", "y", "x"),
                         coords={"band": [1, 2, 3], "y": 5300012.5 - 25 * np.arange(40), "x": 500012.5 + 25 * np.arange(50)})
    layer = gridshade.add_dataarray(bands, crs="EPSG:32632")
    check(layer.bandCount() == 3 and identify(layer, 500012.5 + 25 * 11, 5300012.5 - 25 * 7, band=2) == float(bands.values[1, 7, 11]),
          "(band, y, x): three bands, band 2 in place")

    # Rows from south to north (Datashader's and NetCDF's order): viewed flipped, in place. The
    # view starts at the last row in memory, the northernmost.
    north_up = grid(25.0, 500012.5, 5300012.5)
    south_up = north_up.isel(y=slice(None, None, -1)).copy()
    flipped = gridshade.add_dataarray(south_up, crs="EPSG:32632")
    check("DATAPOINTER=%d," % (address(south_up.values) + 39 * 50 * 8) in flipped.source(),
          "south-up rows: the layer reads the DataArray's buffer from its last row")
    check(all(identify(flipped, 500012.5 + 25 * j, 5300012.5 - 25 * i) == float(north_up.values[i, j]) for i, j in ((0, 0), (7, 11), (39, 49))),
          "south-up rows: cell centres identify to their values")
    check(flipped.extent() == layer.extent(), "south-up rows: the same extent as the north-up grid")
    south_up.values[-1 - 7, 11] = -1
    check(identify(flipped, 500012.5 + 25 * 11, 5300012.5 - 25 * 7) == -1.0, "south-up rows: a write shows (no copy)")
    # Columns from east to west: refused, or flipped by an explicit copy.
    east_west = north_up.isel(x=slice(None, None, -1)).copy()
    raises(lambda: gridshade.add_dataarray(east_west, crs="EPSG:32632"), "copy=True")
    mirrored = gridshade.add_dataarray(east_west, crs="EPSG:32632", copy=True)
    check(identify(mirrored, 500012.5 + 25 * 11, 5300012.5 - 25 * 7) == float(north_up.values[7, 11]), "copy=True flips columns to west-east")

    raises(lambda: gridshade.add_dataarray(north_up.transpose("x", "y"), crs="EPSG:32632"), "dims")
    raises(lambda: gridshade.add_dataarray(north_up), "no CRS")
    shuffled = north_up.assign_coords(x=north_up.x.values[[1, 0] + list(range(2, 50))])
    raises(lambda: gridshade.add_dataarray(shuffled, crs="EPSG:32632"), "not monotonic")
    uneven = north_up.assign_coords(x=north_up.x.values + np.linspace(0, 3, 50) ** 2)
    raises(lambda: gridshade.add_dataarray(uneven, crs="EPSG:32632"), "not evenly spaced")
    raises(lambda: gridshade.add_dataarray(np.zeros((3, 3))), "xarray.DataArray")

    if importlib.util.find_spec("rioxarray") is None:
        print("skip rioxarray: python3-rioxarray is not installed")
    else:
        import rioxarray  # noqa: F401
        geo = grid(0.01, 8.005, 47.995).rio.write_crs("EPSG:4326")
        check(gridshade.add_dataarray(geo).crs().authid() == "EPSG:4326", "rioxarray: the CRS comes from da.rio.crs")

    if importlib.util.find_spec("dask") is None:
        print("skip dask: python3-dask is not installed")
    else:
        raises(lambda: gridshade.add_dataarray(north_up.chunk({"y": 10}), crs="EPSG:32632"), "add_dask")

# A missing optional package: its name and the Debian package that provides it.
saved = sys.modules.get("xarray")
sys.modules["xarray"] = None  # makes `import xarray` fail as if it were not installed
raises(lambda: gridshade.add_dataarray(None), "sudo apt-get install python3-xarray", gridshade.MissingPackageError)
if saved is not None:
    sys.modules["xarray"] = saved
else:
    del sys.modules["xarray"]

# Installed by scripts/install_plugin.sh, the package imports through the loader.
profile = tempfile.mkdtemp(prefix="gridshade_profile_")
subprocess.run(["bash", os.path.join(SOURCE, "scripts/install_plugin.sh"), profile], check=True, stdout=subprocess.DEVNULL,
               env=dict(os.environ, GRIDSHADE_BUILD_DIR=BUILD))
plugins = os.path.join(profile, "python/plugins")
probe = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, %r); import gridshade_loader, gridshade; print(gridshade.__file__)"
                        % plugins], capture_output=True, text=True, env={k: v for k, v in os.environ.items() if k != "GRIDSHADE_LIBRARY"})
check(probe.returncode == 0 and probe.stdout.strip().startswith(plugins), "installed: `import gridshade` after the loader (%s)"
      % (probe.stdout.strip() or probe.stderr.strip()[-300:]))

layer = kept = copied = flipped = mirrored = None
sys.exit(check.finish(app))
