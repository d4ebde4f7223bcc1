// SPDX-License-Identifier: GPL-2.0-or-later
#include "alignment.h"

#include "core/viewport.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gridshade
{

GeoTransform GeoTransform::fromExtent( const Extent &extent, int width, int height )
{
  GeoTransform t;
  t.c[0] = extent.xmin;
  t.c[1] = extent.width() / width;
  t.c[2] = 0.0;
  t.c[3] = extent.ymax;
  t.c[4] = 0.0;
  t.c[5] = -extent.height() / height;
  return t;
}

void GeoTransform::apply( double col, double row, double &x, double &y ) const
{
  x = c[0] + col * c[1] + row * c[2];
  y = c[3] + col * c[4] + row * c[5];
}

bool GeoTransform::invert( double x, double y, double &col, double &row ) const
{
  const double det = c[1] * c[5] - c[2] * c[4];
  if ( det == 0.0 || !std::isfinite( det ) )
    return false;
  const double dx = x - c[0], dy = y - c[3];
  col = ( dx * c[5] - dy * c[2] ) / det;
  row = ( dy * c[1] - dx * c[4] ) / det;
  return true;
}

double validateAlignment( const Extent &extent, const GeoTransform &transform, int width, int height )
{
  const Viewport vp( extent, width, height );
  if ( !vp.validate() )
    return std::numeric_limits<double>::infinity();
  constexpr int STEPS = 16;
  double worst = 0.0;
  for ( int i = 0; i <= STEPS; ++i )
  {
    for ( int j = 0; j <= STEPS; ++j )
    {
      // Corners (offset 0) and centres (offset 0.5) spread over the whole image.
      for ( double offset : { 0.0, 0.5 } )
      {
        const double col = std::min( width * double( i ) / STEPS + offset, double( width ) );
        const double row = std::min( height * double( j ) / STEPS + offset, double( height ) );
        double x, y;
        transform.apply( col, row, x, y );
        if ( !std::isfinite( x ) || !std::isfinite( y ) )
          return std::numeric_limits<double>::infinity();
        worst = std::max( { worst, std::abs( vp.columnCoordinate( x ) - col ), std::abs( vp.imageRowCoordinate( y ) - row ) } );
      }
    }
  }
  return worst;
}

} // namespace gridshade
