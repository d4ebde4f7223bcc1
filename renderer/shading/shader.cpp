// SPDX-License-Identifier: GPL-2.0-or-later
#include "shader.h"

#include "color_lookup.h"
#include "core/thread_pool.h"
#include "shade_internal.h"
#include "spread.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>

namespace gridshade
{

namespace detail
{

/*
 * Pixel-by-pixel path, for float aggregates and for counts whose range is too wide for a
 * value table:  d (offset values) + mask -> t = how(d) -> span of t -> colour per pixel.
 */
void shadeField( const std::vector<double> &d, const std::vector<uint8_t> &mask, bool integer, const ShadeSettings &s,
                 RgbaImage &out )
{
  const ValueTransform tf = s.hasSpan ? ValueTransform( s.how ) : ValueTransform::fromValues( s.how, d, mask, integer );
  std::vector<double> t( d.size(), std::numeric_limits<double>::quiet_NaN() );
  // Pixels are independent: transform them in parallel slices, each with its own span (min and
  // max merge exactly, so the result does not depend on the slicing).
  const size_t n = d.size();
  const int slices = static_cast<int>( std::min<size_t>( std::max<size_t>( n / 65536, 1 ), ThreadPool::defaultThreadCount() * 4 ) );
  std::vector<Span> spans( slices );
  ThreadPool::instance().run( slices, [&]( int i ) {
    for ( size_t p = n * i / slices; p < n * ( i + 1 ) / slices; ++p )
      if ( !mask[p] )
      {
        t[p] = tf( d[p] );
        spans[i].include( t[p] );
      }
  } );
  Span span;
  for ( const Span &part : spans )
  {
    span.include( part.lo );
    span.include( part.hi );
  }
  if ( s.hasSpan )
    span = fixedSpan( s );
  const ColorLookup lookup( s.colormap, span.lo, span.hi, s.alpha, s.minAlpha );
  uint32_t *px = out.data();
  ThreadPool::instance().run( slices, [&]( int i ) {
    for ( size_t p = n * i / slices; p < n * ( i + 1 ) / slices; ++p )
      px[p] = mask[p] ? 0u : lookup( t[p] );
  } );
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
