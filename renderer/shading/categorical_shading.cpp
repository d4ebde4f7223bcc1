// SPDX-License-Identifier: GPL-2.0-or-later
// count_cat shading: Datashader's _colorize and _interpolate_alpha.
#include "shader.h"

#include "numpy_compat.h"
#include "value_transform.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gridshade
{

namespace
{

uint8_t truncated( double v )
{
  return std::isnan( v ) || v <= 0.0 ? 0 : ( v >= 255.0 ? 255 : static_cast<uint8_t>( static_cast<int>( v ) ) );
}

/*
 * Alpha from the per-pixel totals. Datashader masks zero totals (the field becomes float and
 * eq_hist takes its binned path) unless no pixel is empty, in which case the totals stay
 * integers and eq_hist may count values exactly.
 */
std::vector<uint8_t> alphaFromTotals( const std::vector<uint64_t> &total, const ShadeSettings &s )
{
  const size_t pixels = total.size();
  std::vector<uint8_t> mask( pixels, 0 );
  uint64_t minTotal = std::numeric_limits<uint64_t>::max();
  uint64_t minPositive = std::numeric_limits<uint64_t>::max();
  for ( uint64_t t : total )
  {
    minTotal = std::min( minTotal, t );
    if ( t )
      minPositive = std::min( minPositive, t );
  }
  const bool hasEmpty = minTotal == 0;
  bool integer = !hasEmpty;
  double offset = static_cast<double>( minTotal );
  if ( s.hasSpan )
    offset = static_cast<double>( static_cast<uint64_t>( s.spanMin ) );
  else if ( hasEmpty && minPositive != std::numeric_limits<uint64_t>::max() )
    offset = static_cast<double>( minPositive );
  std::vector<double> d( pixels, 0.0 );
  for ( size_t p = 0; p < pixels; ++p )
  {
    mask[p] = hasEmpty && total[p] == 0;
    double x = static_cast<double>( total[p] );
    if ( s.hasSpan && !mask[p] )
    {
      // Datashader clips in place: integer totals (no empty pixel) receive the bounds truncated
      // to integers, float totals the bounds themselves; the comparison is against the bounds.
      const double lo = integer ? std::trunc( s.spanMin ) : s.spanMin;
      const double hi = integer ? std::trunc( s.spanMax ) : s.spanMax;
      x = x < s.spanMin ? lo : ( x > s.spanMax ? hi : x );
    }
    d[p] = x - offset;
  }
  const ValueTransform tf = s.hasSpan ? ValueTransform( s.how ) : ValueTransform::fromValues( s.how, d, mask, integer );
  std::vector<double> scaled( pixels, std::numeric_limits<double>::quiet_NaN() );
  double lo = std::numeric_limits<double>::quiet_NaN();
  double hi = lo;
  for ( size_t p = 0; p < pixels; ++p )
  {
    if ( mask[p] )
      continue;
    scaled[p] = tf( d[p] );
    if ( !std::isnan( scaled[p] ) )
    {
      lo = std::isnan( lo ) ? scaled[p] : std::min( lo, scaled[p] );
      hi = std::isnan( hi ) ? scaled[p] : std::max( hi, scaled[p] );
    }
  }
  if ( s.hasSpan )
  {
    lo = tf( 0.0 );
    hi = tf( s.spanMax - s.spanMin );
  }
  const numpy::Interp ramp( { lo, hi }, { static_cast<double>( s.minAlpha ), static_cast<double>( s.alpha ) }, 0.0, 255.0 );
  std::vector<uint8_t> a( pixels, 0 );
  for ( size_t p = 0; p < pixels; ++p )
    a[p] = mask[p] ? 0 : truncated( ramp( scaled[p] ) );
  return a;
}

} // namespace

namespace detail
{

Status shadeCategories( const Aggregate &aggregate, const ShadeSettings &s, RgbaImage &out )
{
  const int categories = aggregate.categoryCount();
  if ( categories == 0 )
  {
    std::fill( out.data(), out.data() + out.pixelCount(), 0u );
    return Status::ok();
  }
  const std::vector<Rgb> key = s.colorKey.empty() ? defaultColorKey() : s.colorKey;
  if ( static_cast<int>( key.size() ) < categories )
    return Status::error( QStringLiteral( "insufficient colours provided (%1) for the categories available (%2): give one colour per category" )
                            .arg( key.size() )
                            .arg( categories ) );
  const std::vector<uint32_t> &c = aggregate.counts();
  const size_t pixels = static_cast<size_t>( aggregate.pixelCount() );
  // Datashader subtracts the minimum over the whole array (the colour baseline) before mixing.
  const uint32_t baseline = c.empty() ? 0u : *std::min_element( c.begin(), c.end() );
  int64_t sumR = 0, sumG = 0, sumB = 0;
  for ( int k = 0; k < categories; ++k )
  {
    sumR += key[k].r;
    sumG += key[k].g;
    sumB += key[k].b;
  }
  // Pixels whose baseline-subtracted counts are all zero take the plain average colour.
  const Rgb average { truncated( static_cast<double>( sumR ) / categories ), truncated( static_cast<double>( sumG ) / categories ),
                      truncated( static_cast<double>( sumB ) / categories ) };
  std::vector<uint64_t> total( pixels, 0 );
  std::vector<Rgb> mixed( pixels );
  for ( size_t p = 0; p < pixels; ++p )
  {
    const uint32_t *cell = c.data() + p * categories;
    uint64_t colorTotal = 0;
    int64_t r = 0, g = 0, b = 0;
    for ( int k = 0; k < categories; ++k )
    {
      const uint64_t v = cell[k] - baseline;
      total[p] += cell[k];
      colorTotal += v;
      r += static_cast<int64_t>( v ) * key[k].r;
      g += static_cast<int64_t>( v ) * key[k].g;
      b += static_cast<int64_t>( v ) * key[k].b;
    }
    if ( colorTotal == 0 )
      mixed[p] = average;
    else
      mixed[p] = Rgb { truncated( static_cast<double>( r ) / static_cast<double>( colorTotal ) ),
                       truncated( static_cast<double>( g ) / static_cast<double>( colorTotal ) ),
                       truncated( static_cast<double>( b ) / static_cast<double>( colorTotal ) ) };
  }
  const std::vector<uint8_t> alpha = alphaFromTotals( total, s );
  uint32_t *px = out.data();
  for ( size_t p = 0; p < pixels; ++p )
    px[p] = total[p] == 0 ? 0u : RgbaImage::pack( mixed[p].r, mixed[p].g, mixed[p].b, alpha[p] );
  return Status::ok();
}

} // namespace detail
} // namespace gridshade
