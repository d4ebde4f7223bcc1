// SPDX-License-Identifier: GPL-2.0-or-later
#include "shader.h"

#include "color_lookup.h"
#include "spread.h"
#include "thread_pool.h"
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
  const size_t pixels = c.size();
  const int threads = pixels >= ( 1u << 16 ) ? ThreadPool::defaultThreadCount() : 1;
  auto rangeOf = [&]( int t, size_t &begin, size_t &end ) {
    begin = pixels * t / threads;
    end = pixels * ( t + 1 ) / threads;
  };
  std::vector<uint32_t> mins( threads, std::numeric_limits<uint32_t>::max() ), maxs( threads, 0 );
  ThreadPool::instance().run( threads, [&]( int t ) {
    size_t begin, end;
    rangeOf( t, begin, end );
    uint32_t lo = std::numeric_limits<uint32_t>::max(), hi = 0;
    for ( size_t p = begin; p < end; ++p )
    {
      // Empty pixels (0) must not be the minimum: map them to the largest value.
      const uint32_t v = c[p];
      lo = std::min( lo, v - 1 );
      hi = std::max( hi, v );
    }
    mins[t] = lo + 1;
    maxs[t] = hi;
  } );
  const uint32_t cmin = *std::min_element( mins.begin(), mins.end() );
  const uint32_t cmax = *std::max_element( maxs.begin(), maxs.end() );
  uint32_t *px = out.data();
  if ( cmax == 0 )
  {
    std::fill( px, px + pixels, 0u ); // nothing to draw: Datashader returns an all-zero image
    return Status::ok();
  }
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
  // count once. pixelsPerValue doubles as eq_hist's exact histogram. Slot 0 of `table` is
  // for empty pixels, slot v + 1 for offset value v.
  const size_t slots = static_cast<size_t>( dmax ) + 2;
  std::vector<std::vector<uint32_t>> partial( threads );
  ThreadPool::instance().run( threads, [&]( int t ) {
    size_t begin, end;
    rangeOf( t, begin, end );
    partial[t].assign( slots, 0u );
    uint32_t *h = partial[t].data();
    for ( size_t p = begin; p < end; ++p )
      ++h[c[p] ? offsetValue( c[p] ) + 1 : 0];
  } );
  std::vector<uint32_t> pixelsPerValue( partial[0].begin() + 1, partial[0].end() );
  for ( int t = 1; t < threads; ++t )
    for ( size_t v = 0; v + 1 < slots; ++v )
      pixelsPerValue[v] += partial[t][v + 1];
  const ValueTransform tf = s.hasSpan ? ValueTransform( s.how ) : ValueTransform::fromValueCounts( s.how, pixelsPerValue );
  Span span;
  if ( s.hasSpan )
    span = fixedSpan( s );
  else
    for ( size_t v = 0; v <= dmax; ++v )
      if ( pixelsPerValue[v] )
        span.include( tf( static_cast<double>( v ) ) );
  const ColorLookup lookup( s.colormap, span.lo, span.hi, s.alpha, s.minAlpha );
  std::vector<uint32_t> table( slots, 0u );
  for ( size_t v = 0; v <= dmax; ++v )
    if ( pixelsPerValue[v] )
      table[v + 1] = lookup( tf( static_cast<double>( v ) ) );
  ThreadPool::instance().run( threads, [&]( int t ) {
    size_t begin, end;
    rangeOf( t, begin, end );
    if ( s.hasSpan )
    {
      for ( size_t p = begin; p < end; ++p )
        px[p] = c[p] ? table[offsetValue( c[p] ) + 1] : 0u;
    }
    else
    {
      // Without a span the slot is c - offset + 1, and 0 for an empty pixel (branch-free).
      const uint32_t shift = offset - 1;
      for ( size_t p = begin; p < end; ++p )
        px[p] = table[c[p] ? c[p] - shift : 0];
    }
  } );
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
  {
    std::fill( out.data(), out.data() + pixels, 0u );
    return Status::ok();
  }
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
    out.prepare( aggregate.width(), aggregate.height() );
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
