// SPDX-License-Identifier: GPL-2.0-or-later
#include "standard_zooms.h"

#include "scene_generator.h"

#include <cmath>

namespace gridshade
{
namespace standard
{

QStringList zoomNames()
{
  return { QStringLiteral( "Z0" ), QStringLiteral( "Z4" ), QStringLiteral( "Z8" ), QStringLiteral( "Z12" ) };
}

double resolution( int zoom )
{
  return SceneGenerator::WORLD_WIDTH / ( 256.0 * std::ldexp( 1.0, zoom ) );
}

double zoomForResolution( double metresPerPixel )
{
  if ( !( metresPerPixel > 0 ) || !std::isfinite( metresPerPixel ) )
    return std::nan( "" );
  return std::log2( SceneGenerator::WORLD_WIDTH / ( 256.0 * metresPerPixel ) );
}

Viewport viewport( int zoom, int width, int height )
{
  const double res = resolution( zoom );
  const double halfW = width * res / 2;
  const double halfH = height * res / 2;
  const Extent e { SceneGenerator::CENTER_X - halfW, SceneGenerator::CENTER_Y - halfH, SceneGenerator::CENTER_X + halfW,
                   SceneGenerator::CENTER_Y + halfH };
  return Viewport( e, width, height );
}

bool viewportByName( const QString &name, Viewport &out )
{
  const QString n = name.trimmed().toUpper();
  if ( !n.startsWith( QLatin1Char( 'Z' ) ) )
    return false;
  bool ok = false;
  const int zoom = n.mid( 1 ).toInt( &ok );
  if ( !ok || zoom < 0 || zoom > 24 )
    return false;
  out = viewport( zoom );
  return true;
}

} // namespace standard
} // namespace gridshade
