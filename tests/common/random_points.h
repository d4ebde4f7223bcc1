// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// Test data shared by the CPU and GPU reduction suites: random points over and around an extent
// with exact edge hits, NaN/inf coordinates, NaN values and out-of-range categories, and the
// brute-force reference of Datashader's bin rule.

#include "core/extent.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace gridshade::testdata
{

// The brute-force reference: Datashader's rule written out plainly, one point at a time,
// straight from the formula (independent of Viewport and PointBinner).
inline int64_t referencePixel( const Extent &e, int w, int h, double x, double y )
{
  if ( !( e.xmin <= x && x <= e.xmax && e.ymin <= y && y <= e.ymax ) )
    return -1;
  const double sx = w / ( e.xmax - e.xmin ), sy = h / ( e.ymax - e.ymin );
  int64_t c = static_cast<int64_t>( x * sx + ( -e.xmin * sx ) );
  int64_t r = static_cast<int64_t>( y * sy + ( -e.ymin * sy ) );
  if ( c == w )
    c = w - 1;
  if ( r == h )
    r = h - 1;
  return ( h - 1 - r ) * w + c;
}

struct Data
{
    std::vector<double> x, y, v;
    std::vector<int32_t> cat;
};

// Random points over and around the extent, with exact edge hits, NaN/inf and NaN values.
inline Data randomData( size_t n, const Extent &e, int w, uint32_t seed )
{
  std::mt19937_64 rng( seed );
  std::uniform_real_distribution<double> ux( e.xmin - 0.1 * e.width(), e.xmax + 0.1 * e.width() );
  std::uniform_real_distribution<double> uy( e.ymin - 0.1 * e.height(), e.ymax + 0.1 * e.height() );
  std::uniform_real_distribution<double> uv( -100.0, 100.0 );
  std::uniform_int_distribution<int> pick( 0, 19 );
  Data d;
  for ( size_t i = 0; i < n; ++i )
  {
    double x = ux( rng ), y = uy( rng );
    switch ( pick( rng ) )
    {
      case 0: x = e.xmin; break;
      case 1: x = e.xmax; break;
      case 2: y = e.ymax; break;
      case 3: x = e.xmin + e.width() * ( static_cast<int>( uv( rng ) + 100 ) % w ) / w; break; // interior bin edge
      case 4: x = std::numeric_limits<double>::quiet_NaN(); break;
      case 5: y = std::numeric_limits<double>::infinity(); break;
      default: break;
    }
    d.x.push_back( x );
    d.y.push_back( y );
    d.v.push_back( pick( rng ) == 7 ? std::numeric_limits<double>::quiet_NaN() : uv( rng ) );
    d.cat.push_back( pick( rng ) == 3 ? 5 : pick( rng ) % 3 ); // 5 is out of range for 3 categories
  }
  return d;
}

} // namespace gridshade::testdata
