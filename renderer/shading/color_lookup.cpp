// SPDX-License-Identifier: GPL-2.0-or-later
#include "color_lookup.h"

#include "core/rgba_image.h"

#include <cmath>

namespace gridshade
{

namespace
{

// numpy's float -> uint8 astype after nan_to_num: NaN becomes 0, the rest truncates.
uint8_t toByte( double v )
{
  if ( std::isnan( v ) || v <= 0.0 )
    return 0;
  if ( v >= 255.0 )
    return 255;
  return static_cast<uint8_t>( static_cast<int>( v ) );
}

} // namespace

ColorLookup::ColorLookup( const Colormap &colormap, double lo, double hi, int alpha, int minAlpha )
  : mSingle( colormap.kind() == Colormap::Kind::SingleColor )
  , mColor( colormap.color() )
  , mAlpha( static_cast<uint8_t>( alpha ) )
{
  if ( mSingle )
  {
    std::vector<double> aspan;
    for ( int a = minAlpha; a <= alpha; ++a )
      aspan.push_back( a );
    const int n = static_cast<int>( aspan.size() );
    mA = std::make_unique<numpy::Interp>( numpy::linspace( lo, hi, n ), std::move( aspan ), 0.0, 255.0 );
    return;
  }
  const std::vector<Rgb> &colors = colormap.colors();
  const int n = static_cast<int>( colors.size() );
  const std::vector<double> knots = numpy::linspace( lo, hi, n );
  std::vector<double> r( n ), g( n ), b( n );
  for ( int i = 0; i < n; ++i )
  {
    r[i] = colors[i].r;
    g[i] = colors[i].g;
    b[i] = colors[i].b;
  }
  mR = std::make_unique<numpy::Interp>( knots, r, 255.0, r.back() );
  mG = std::make_unique<numpy::Interp>( knots, g, 255.0, g.back() );
  mB = std::make_unique<numpy::Interp>( knots, b, 255.0, b.back() );
}

uint32_t ColorLookup::operator()( double t ) const
{
  if ( std::isnan( t ) )
    return 0u;
  if ( mSingle )
  {
    // An empty alpha ramp (min_alpha > alpha) has no knots: np.interp would fail, we go transparent.
    const double a = mA->xp().empty() ? 0.0 : ( *mA )( t );
    return RgbaImage::pack( mColor.r, mColor.g, mColor.b, toByte( a ) );
  }
  return RgbaImage::pack( toByte( ( *mR )( t ) ), toByte( ( *mG )( t ) ), toByte( ( *mB )( t ) ), mAlpha );
}

} // namespace gridshade
