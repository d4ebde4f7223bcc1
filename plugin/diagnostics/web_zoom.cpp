// SPDX-License-Identifier: GPL-2.0-or-later
#include "web_zoom.h"

#include "scene/scene_generator.h"
#include "scene/standard_zooms.h"

#include <qgscoordinatetransform.h>
#include <qgsexception.h>
#include <qgsmaplayer.h>
#include <qgsmapsettings.h>

#include <cmath>

namespace gridshade
{
namespace webzoom
{

namespace
{
QgsCoordinateReferenceSystem webMercator()
{
  return QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:3857" ) );
}
} // namespace

double level( const QgsMapSettings &settings )
{
  try
  {
    // One pixel step right of the centre, along the screen's x axis (rotation included).
    const QgsMapToPixel &m2p = settings.mapToPixel();
    const QSize size = settings.outputSize();
    const QgsPointXY c = m2p.toMapCoordinates( size.width() / 2.0, size.height() / 2.0 );
    const QgsPointXY r = m2p.toMapCoordinates( size.width() / 2.0 + 1.0, size.height() / 2.0 );
    const QgsCoordinateTransform ct( settings.destinationCrs(), webMercator(), settings.transformContext() );
    const QgsPointXY c3857 = ct.transform( c ), r3857 = ct.transform( r );
    // Logical pixels, as web maps count CSS pixels: a HiDPI canvas keeps its zoom level.
    return standard::zoomForResolution( std::hypot( r3857.x() - c3857.x(), r3857.y() - c3857.y() ) );
  }
  catch ( const QgsCsException & )
  {
    return std::nan( "" );
  }
}

QgsPointXY sceneCentre()
{
  return QgsPointXY( SceneGenerator::CENTER_X, SceneGenerator::CENTER_Y );
}

QgsPointXY layerCentre( const QgsMapLayer &layer, const QgsCoordinateTransformContext &context )
{
  try
  {
    const QgsCoordinateTransform ct( layer.crs(), webMercator(), context );
    return ct.transform( layer.extent().center() );
  }
  catch ( const QgsCsException & )
  {
    return QgsPointXY();
  }
}

QgsPointXY viewCentre( const QgsMapSettings &settings )
{
  try
  {
    const QgsCoordinateTransform ct( settings.destinationCrs(), webMercator(), settings.transformContext() );
    return ct.transform( settings.visibleExtent().center() );
  }
  catch ( const QgsCsException & )
  {
    return QgsPointXY();
  }
}

QgsRectangle extentAt( int zoom, const QgsPointXY &centre3857, const QSize &size, const QgsCoordinateReferenceSystem &crs,
                       const QgsCoordinateTransformContext &context )
{
  if ( size.isEmpty() || centre3857.isEmpty() )
    return QgsRectangle();
  const double res = standard::resolution( zoom );
  try
  {
    // The map's units per pixel: the length, in the map's CRS, of one 3857 pixel step at the
    // centre (exact for 3857, the local scale elsewhere).
    const QgsCoordinateTransform ct( webMercator(), crs, context );
    const QgsPointXY c = ct.transform( centre3857 );
    const QgsPointXY r = ct.transform( QgsPointXY( centre3857.x() + res, centre3857.y() ) );
    const double unitsPerPixel = std::hypot( r.x() - c.x(), r.y() - c.y() );
    if ( !( unitsPerPixel > 0 ) || !std::isfinite( unitsPerPixel ) )
      return QgsRectangle();
    const double halfW = size.width() * unitsPerPixel / 2, halfH = size.height() * unitsPerPixel / 2;
    return QgsRectangle( c.x() - halfW, c.y() - halfH, c.x() + halfW, c.y() + halfH );
  }
  catch ( const QgsCsException & )
  {
    return QgsRectangle();
  }
}

} // namespace webzoom
} // namespace gridshade
