// SPDX-License-Identifier: GPL-2.0-or-later
#include "shader.h"

#include "color_lookup.h"
#include "spread.h"
#include "value_transform.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>

namespace gridshade
{

namespace
{

constexpr uint32_t VALUE_TABLE_LIMIT = 1u << 22;

struct Span
{
    double lo = std::numeric_limits<double>::quiet_NaN();
    double hi = std::numeric_limits<double>::quiet_NaN();

    // np.nanmin / np.nanmax
    void include( double t )
    {
      if ( std::isnan( t ) )
        return;
      lo = std::isnan( lo ) ? t : std::min( lo, t );
      hi = std::isnan( hi ) ? t : std::max( hi, t );
    }
};

// With a fixed span Datashader transforms [0, span[1] - span[0]] for the colour knots.
Span fixedSpan( const ShadeSettings &s )
{
  const ValueTransform tf( s.how );
  return Span { tf( 0.0 ), tf( s.spanMax - s.spanMin ) };
}

/*
 * Pixel-by-pixel path, for float aggregates and for counts whose range is too wide for a
 * value table:  d (offset values) + mask -> t = how(d) -> span of t -> colour per pixel.
 */
void shadeField( const std::vector<double> &d, const std::vector<uint8_t> &mask, bool integer, const ShadeSettings &s,
                 RgbaImage &out )
{
  const ValueTransform tf = s.hasSpan ? ValueTransform( s.how ) : ValueTransform::fromValues( s.how, d, mask, integer );
  std::vector<double> t( d.size(), std::numeric_limits<double>::quiet_NaN() );
  Span span;
  for ( size_t p = 0; p < d.size(); ++p )
  {
    if ( !mask[p] )
    {
      t[p] = tf( d[p] );
      span.include( t[p] );
    }
  }
  if ( s.hasSpan )
    span = fixedSpan( s );
  const ColorLookup lookup( s.colormap, span.lo, span.hi, s.alpha, s.minAlpha );
  uint32_t *px = out.data();
  for ( size_t p = 0; p < d.size(); ++p )
    px[p] = mask[p] ? 0u : lookup( t[p] );
}

} // namespace

namespace detail
{

Status shadeCounts( const Aggregate &aggregate, const ShadeSettings &s, RgbaImage &out )
{
  const std::vector<uint32_t> &c = aggregate.counts();
  uint32_t cmin = std::numeric_limits<uint32_t>::max();
  uint32_t cmax = 0;
  for ( uint32_t v : c )
  {
    if ( v )
    {
      cmin = std::min( cmin, v );
      cmax = std::max( cmax, v );
    }
  }
  if ( cmax == 0 )
    return Status::ok(); // nothing to draw: Datashader returns an all-zero image
  if ( s.hasSpan && s.spanMin < 0.0 )
    return Status::error( QStringLiteral( "span minimum %1 is negative, which a count aggregate cannot hold: use a span >= 0" ).arg( s.spanMin ) );

  // Datashader: offset = min non-zero (or span[0] cast to uint32), values clipped into the
  // span first, then data -= offset in uint32.
  const double upper = std::min( s.spanMax, 4294967295.0 );
  const uint32_t clipLo = s.hasSpan ? static_cast<uint32_t>( s.spanMin ) : 0u;
  const uint32_t clipHi = s.hasSpan ? static_cast<uint32_t>( upper ) : 0u;
  const uint32_t offset = s.hasSpan ? clipLo : cmin;
  auto offsetValue = [&]( uint32_t v ) -> uint32_t {
    if ( s.hasSpan )
      v = v < s.spanMin ? clipLo : ( v > s.spanMax ? clipHi : v );
    return v - offset;
  };
  const uint32_t dmax = offsetValue( cmax );
  const size_t pixels = c.size();
  uint32_t *px = out.data();

  if ( !s.useValueTable || dmax >= VALUE_TABLE_LIMIT )
  {
    std::vector<double> d( pixels, 0.0 );
    std::vector<uint8_t> mask( pixels, 0 );
    for ( size_t p = 0; p < pixels; ++p )
    {
      mask[p] = c[p] == 0;
      if ( c[p] )
        d[p] = offsetValue( c[p] );
    }
    shadeField( d, mask, true, s, out );
    return Status::ok();
  }

  // Value table: the colour of a pixel depends only on its count, so colour each distinct
  // count once. pixelsPerValue doubles as eq_hist's exact histogram.
  std::vector<uint32_t> pixelsPerValue( static_cast<size_t>( dmax ) + 1, 0u );
  for ( uint32_t v : c )
    if ( v )
      ++pixelsPerValue[offsetValue( v )];
  const ValueTransform tf = s.hasSpan ? ValueTransform( s.how ) : ValueTransform::fromValueCounts( s.how, pixelsPerValue );
  Span span;
  if ( s.hasSpan )
    span = fixedSpan( s );
  else
    for ( size_t v = 0; v <= dmax; ++v )
      if ( pixelsPerValue[v] )
        span.include( tf( static_cast<double>( v ) ) );
  const ColorLookup lookup( s.colormap, span.lo, span.hi, s.alpha, s.minAlpha );
  std::vector<uint32_t> table( static_cast<size_t>( dmax ) + 1, 0u );
  for ( size_t v = 0; v <= dmax; ++v )
    if ( pixelsPerValue[v] )
      table[v] = lookup( tf( static_cast<double>( v ) ) );
  for ( size_t p = 0; p < pixels; ++p )
    px[p] = c[p] ? table[offsetValue( c[p] )] : 0u;
  return Status::ok();
}

Status shadeFloats( const Aggregate &aggregate, const ShadeSettings &s, RgbaImage &out )
{
  const std::vector<double> &v = aggregate.values();
  const size_t pixels = v.size();
  std::vector<uint8_t> mask( pixels, 0 );
  double vmin = std::numeric_limits<double>::quiet_NaN();
  for ( size_t p = 0; p < pixels; ++p )
  {
    mask[p] = std::isnan( v[p] );
    if ( !mask[p] && !( vmin <= v[p] ) )
      vmin = v[p];
  }
  if ( std::isnan( vmin ) )
    return Status::ok();
  const double offset = s.hasSpan ? s.spanMin : vmin;
  std::vector<double> d( pixels, 0.0 );
  for ( size_t p = 0; p < pixels; ++p )
  {
    if ( mask[p] )
      continue;
    double x = v[p];
    if ( s.hasSpan )
      x = x < s.spanMin ? s.spanMin : ( x > s.spanMax ? s.spanMax : x );
    d[p] = x - offset;
  }
  shadeField( d, mask, false, s, out );
  return Status::ok();
}

} // namespace detail

Status Shader::shade( const Aggregate &aggregate, const ShadeSettings &settings, RgbaImage &out )
{
  if ( Status st = settings.validate(); !st )
    return st;
  if ( aggregate.width() <= 0 || aggregate.height() <= 0 )
    return Status::error( QStringLiteral( "cannot shade an empty %1x%2 aggregate" ).arg( aggregate.width() ).arg( aggregate.height() ) );
  try
  {
    out = RgbaImage( aggregate.width(), aggregate.height() );
    Status st;
    switch ( aggregate.reduction() )
    {
      case Reduction::Count:
        st = detail::shadeCounts( aggregate, settings, out );
        break;
      case Reduction::CountCat:
        st = detail::shadeCategories( aggregate, settings, out );
        break;
      default:
        st = detail::shadeFloats( aggregate, settings, out );
        break;
    }
    if ( !st )
      return st;
    if ( settings.spreadPx > 0 )
      out = Spread::spread( out, settings.spreadPx );
    if ( settings.dynspread )
      out = Spread::dynspread( out, settings.dynspreadThreshold, settings.dynspreadMaxPx );
    return Status::ok();
  }
  catch ( const std::bad_alloc & )
  {
    return Status::error( QStringLiteral( "out of memory shading a %1x%2 aggregate" ).arg( aggregate.width() ).arg( aggregate.height() ) );
  }
}

} // namespace gridshade
