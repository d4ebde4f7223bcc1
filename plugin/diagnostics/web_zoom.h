// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <qgspointxy.h>
#include <qgsrectangle.h>

#include <QSize>

class QgsMapSettings;
class QgsMapLayer;
class QgsCoordinateReferenceSystem;
class QgsCoordinateTransformContext;

namespace gridshade
{

/**
 * \brief Web-map zoom levels of a map view, and views at a given level: the arithmetic behind
 * the Zoom dock. Levels are those of the standard viewports (renderer/resources/scenes.json):
 * EPSG:3857 metres per pixel 40075016.68557849 / (256 * 2^Z), measured at the view's centre
 * along the screen's x axis.
 *
 * Pure functions of their arguments (no project access); GUI thread or any other.
 */
namespace webzoom
{
//! The zoom level of \a settings (fractional; NaN when the centre cannot be put in EPSG:3857).
double level( const QgsMapSettings &settings );

//! The standard scene's centre (lon 8.5, lat 47.4) in EPSG:3857.
QgsPointXY sceneCentre();

//! The centre of \a layer's extent in EPSG:3857 (an invalid point when it cannot be transformed).
QgsPointXY layerCentre( const QgsMapLayer &layer, const QgsCoordinateTransformContext &context );

//! The centre of the view of \a settings in EPSG:3857 (an invalid point when it cannot be transformed).
QgsPointXY viewCentre( const QgsMapSettings &settings );

/**
 * The extent, in \a crs, of a view of \a size pixels at zoom \a zoom around \a centre3857: its
 * level() is \a zoom and its centre is \a centre3857. Null when the centre or the scale cannot
 * be transformed into \a crs.
 */
QgsRectangle extentAt( int zoom, const QgsPointXY &centre3857, const QSize &size, const QgsCoordinateReferenceSystem &crs,
                       const QgsCoordinateTransformContext &context );
} // namespace webzoom

} // namespace gridshade
