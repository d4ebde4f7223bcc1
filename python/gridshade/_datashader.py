# SPDX-License-Identifier: GPL-2.0-or-later
"""Datashader outputs on the map: an aggregate (counts or values on a grid) as a density layer
that Gridshade shades, and a shaded Image (packed RGBA) as an overlay reading the image's memory.

Neither imports Datashader: both take the xarray DataArrays that Datashader returns (an Image is
a DataArray subclass), so DataArrays of the same shape built without Datashader work the same."""
import sys
from urllib.parse import quote

from ._arrays import _lib, add_view, array_uri, keep_alive, qgis_crs, set_metadata
from ._errors import GridshadeError, require
from ._xarray import crs_of, viewable

DENSITY_LAYER_TYPE = "gridshade_density"
# Density options a caller may set for an aggregate (the rest are fixed by the aggregate itself).
_SHADING_OPTIONS = ("how", "cmap", "span", "alpha", "min_alpha", "spread", "dynspread", "opacity", "agg", "interpolate")


def _density_layer(uri, name):
    """A Gridshade density layer from its options, registering the layer type if needed."""
    from qgis.core import QgsApplication
    registry = QgsApplication.pluginLayerRegistry()
    if registry.pluginLayerType(DENSITY_LAYER_TYPE) is None and _lib().gridshade_register() != 1:
        raise GridshadeError("the Gridshade density layer type could not be registered: is QGIS initialised?")
    layer = registry.createLayer(DENSITY_LAYER_TYPE, uri)
    if layer is None:
        raise GridshadeError("QGIS refused the density layer options %s" % uri)
    layer.setName(name)
    return layer


def _grid(agg, purpose, copy):
    """The values of a 2-D (y, x) DataArray in a form GDAL views in place, with placement."""
    xr = require("xarray", purpose)
    if not isinstance(agg, xr.DataArray):
        raise GridshadeError("%s takes an xarray.DataArray (what Datashader returns), not %s" % (purpose, type(agg).__name__))
    if agg.ndim == 3:
        raise GridshadeError("the aggregate has dims %s: a categorical aggregate (count_cat, by) has a category axis; "
                             "pick one category (agg.sel(%s=...)) or add them up (agg.sum('%s'))"
                             % (tuple(agg.dims), agg.dims[-1], agg.dims[-1]))
    if agg.ndim != 2:
        raise GridshadeError("%s takes a 2-D (y, x) DataArray; this one has dims %s" % (purpose, tuple(agg.dims)))
    return viewable(agg, purpose, copy)


def add_aggregate(agg, crs=None, name=None, project=None, copy=False, **options):
    """Adds a Datashader aggregate (a 2-D DataArray with dims (y, x) and evenly spaced cell-centre
    coordinates, such as Canvas.points(...) returns) as a Gridshade density layer, and returns it.

    The layer reads the aggregate's memory in place and shades it with Gridshade's pipeline at
    every render, regridding it onto the canvas as Canvas.raster does. For integer aggregates
    (counts) 0 is "no data", as in Datashader's shade; for float aggregates NaN is. The CRS
    comes from \\a crs, else rioxarray, else a crs attribute. \\a options are density layer
    options: how, cmap, span ("lo,hi" or a pair), alpha, min_alpha, spread, dynspread, opacity,
    agg (cells -> pixel, default mean), interpolate (cell -> pixels, default nearest)."""
    from qgis.core import QgsProject
    if type(agg).__name__ == "Image":  # Datashader's shaded image class, told without importing it
        raise GridshadeError("this is a shaded Datashader Image (colours, not values): use add_image")
    values, transform, bottom_up = _grid(agg, "add_aggregate", copy)
    target = qgis_crs(crs_of(agg, crs))
    unknown = sorted(set(options) - set(_SHADING_OPTIONS))
    if unknown:
        raise GridshadeError("unknown option(s) %s: use %s" % (", ".join(unknown), ", ".join(_SHADING_OPTIONS)))
    settings = {"agg": "mean", "interpolate": "nearest", "how": "eq_hist"}
    settings.update({k: ("%r,%r" % tuple(v) if k == "span" and not isinstance(v, str) else v) for k, v in options.items()})
    settings["raster"] = array_uri(values, transform, bottom_up=bottom_up)
    settings["crs"] = target.toWkt()
    if values.dtype.kind in "ui":
        settings["nodata"] = "0"
    uri = "&".join("%s=%s" % (k, quote(str(v), safe="")) for k, v in settings.items())
    layer_name = name or (str(agg.name) if agg.name is not None else "Datashader aggregate")
    layer = _density_layer(uri, layer_name)
    error = layer.property("lastError")
    if error:
        raise GridshadeError("the density layer could not use the aggregate: %s" % error)
    set_metadata(layer, {str(k): v for k, v in agg.attrs.items()})
    keep_alive(layer, values)
    (project or QgsProject.instance()).addMapLayer(layer)
    return layer


def add_image(img, crs=None, name=None, project=None, copy=False):
    """Adds a Datashader shaded Image (a 2-D DataArray of packed uint32 RGBA, dims (y, x), as
    tf.shade, tf.stack and tf.spread return) as an RGBA raster layer whose pixels are a view of
    the image's memory, placed from its cell-centre coordinates, and returns it."""
    import numpy as np
    from qgis.core import QgsMultiBandColorRenderer
    values, transform, bottom_up = _grid(img, "add_image", copy)
    if values.dtype != np.uint32:
        raise GridshadeError("add_image takes a shaded image of packed uint32 RGBA (tf.shade's output), not %s values: "
                             "for an aggregate use add_aggregate" % values.dtype)
    if sys.byteorder != "little":
        raise GridshadeError("packed RGBA images are read as R, G, B, A bytes, which needs a little-endian machine")
    # The same memory seen as bytes: (y, x, [R, G, B, A]), pixel-interleaved bands; the view
    # keeps the image's buffer alive with the layer.
    rgba = values.view(np.uint8).reshape(values.shape + (4,))
    layer_name = name or (str(img.name) if img.name is not None else "Datashader image")

    def colours(provider):
        # Bands as they are (no contrast stretch); band 4 is straight alpha, which QGIS premultiplies.
        renderer = QgsMultiBandColorRenderer(provider, 1, 2, 3)
        renderer.setAlphaBand(4)
        return renderer

    return add_view(rgba, transform, bottom_up, crs_of(img, crs), layer_name, pixel_interleaved=True, project=project,
                    metadata={str(k): v for k, v in img.attrs.items()}, renderer=colours)
