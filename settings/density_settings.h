// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "aggregation/cpu_aggregator.h"
#include "core/status.h"
#include "regrid/raster_regrid.h"
#include "shading/shade_settings.h"

#include <QString>

class QDomDocument;
class QDomElement;

namespace gridshade
{

/**
 * \brief Everything a density layer needs to know besides its points: where the points come
 * from, the reduction and its fields, and the shading options.
 *
 * The layer uri is the same set of options as URL query items, for example
 * `source=/data/points.gpkg|layername=pts&provider=ogr&reduction=mean&value=price&cmap=viridis`
 * or `layer=<project layer id>&how=log`; a raster instead of points:
 * `raster=/data/dem.tif&band=1&agg=mean&interpolate=linear&how=linear` (Datashader's
 * Canvas.raster options), with `crs=EPSG:32632` and `nodata=0` replacing what the raster says of
 * itself (arrays from the Python console carry no CRS). Unknown keys are an error (typos must
 * not pass silently). A plain
 * value; any thread.
 */
struct DensitySettings
{
    QString layerId;                       //!< a point layer of the project, or
    QString source;                        //!< a provider uri (with providerKey)
    QString providerKey = QStringLiteral( "ogr" );
    Reduction reduction = Reduction::Count;
    QString valueField;                    //!< for sum, mean, min, max
    QString categoryField;                 //!< for count_cat
    How how = How::EqHist;
    QString colormap = QStringLiteral( "fire" );
    bool hasSpan = false;
    double spanMin = 0.0;
    double spanMax = 0.0;
    int alpha = 255;
    int minAlpha = 40;
    int spreadPx = 0;
    bool dynspread = false;
    double opacity = 1.0;
    Backend backend = Backend::Auto;       //!< where to aggregate; GRIDSHADE_BACKEND overrides
    QString raster;                        //!< a GDAL raster (path, VRT, /vsi...) instead of points
    int band = 1;                          //!< the raster band drawn
    RasterDownsample agg = RasterDownsample::Mean;       //!< raster cells -> one pixel
    RasterUpsample interpolate = RasterUpsample::Linear; //!< one raster cell -> several pixels
    QString rasterCrs;                     //!< the raster's CRS when it has none (or a wrong one): EPSG code, WKT, PROJ
    bool hasNodata = false;                //!< a raster value drawn as nothing (e.g. a count aggregate's 0)
    double nodata = 0;

    bool isRaster() const { return !raster.isEmpty(); }

    static Status fromUri( const QString &uri, DensitySettings &out );
    QString toUri() const;

    void writeXml( QDomElement &element ) const;
    static Status readXml( const QDomElement &element, DensitySettings &out );

    //! Validates and converts to the engine's settings; the message names the bad option.
    Status toEngine( AggregateSettings &aggregation, ShadeSettings &shading ) const;
};

} // namespace gridshade
