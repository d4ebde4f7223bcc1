// SPDX-License-Identifier: GPL-2.0-or-later
// Shading of count aggregates (Datashader's _interpolate on uint32 data).
//
// A pixel's colour depends only on its count, so each distinct count is coloured once:
//
//   dense table   counts within a range no larger than the image: one slot per value
//                 (the slot counts double as eq_hist's exact histogram)
//   sparse table  wider ranges (e.g. 1e7 points at Z0, a million in one pixel): the sorted
//                 distinct non-zero counts, found per pixel by binary search
//   per pixel     ShadeSettings::useValueTable off: the reference path the tables must equal
#include "color_lookup.h"
#include "core/thread_pool.h"
#include "shade_internal.h"
#include "shader.h"

#include <functional>
#include <mutex>

namespace gridshade
{

namespace
{

// Datashader: offset = min non-zero count (or span[0] cast to uint32); with a span the counts
// are clipped into it first (bounds truncated to uint32); then data -= offset in uint32.
struct CountOffset
{
    bool hasSpan = false;
    double spanMin = 0, spanMax = 0;
    uint32_t clipLo = 0, clipHi = 0, offset = 0;

    uint32_t operator()( uint32_t v ) const
    {
      if ( hasSpan )
        v = v < spanMin ? clipLo : ( v > spanMax ? clipHi : v );
      return v - offset;
    }
};

void parallelPixels( size_t pixels, const std::function<void( size_t, size_t )> &work )
{
  const int threads = pixels >= ( 1u << 16 ) ? ThreadPool::defaultThreadCount() : 1;
  ThreadPool::instance().run( threads, [&]( int t ) { work( pixels * t / threads, pixels * ( t + 1 ) / threads ); } );
}

// Smallest non-zero and largest count (0, 0 when all pixels are empty).
void countRange( const std::vector<uint32_t> &c, uint32_t &cmin, uint32_t &cmax )
{
  std::mutex mutex;
  cmin = std::numeric_limits<uint32_t>::max();
  cmax = 0;
  parallelPixels( c.size(), [&]( size_t begin, size_t end ) {
    uint32_t lo = std::numeric_limits<uint32_t>::max(), hi = 0;
    for ( size_t p = begin; p < end; ++p )
    {
      // An empty pixel (0) wraps to the largest value and so never becomes the minimum.
      lo = std::min( lo, c[p] - 1 );
      hi = std::max( hi, c[p] );
    }
    std::lock_guard<std::mutex> lock( mutex );
    cmin = std::min( cmin, lo + 1 );
    cmax = std::max( cmax, hi );
  } );
}

/*
 * Histogram of offset values over \a slots slots (slot 0: empty pixels, slot v + 1: value v),
 * per thread, then merged in parallel by slot ranges. With \a mayOverflow, values that do not
 * fit (v + 1 >= slots) are collected per thread in \a overflow instead; without, all must fit.
 */
void histogramOf( const std::vector<uint32_t> &c, const CountOffset &off, size_t slots, bool mayOverflow,
                  std::vector<uint32_t> &histogram, std::vector<std::vector<uint32_t>> &overflow )
{
  const int threads = c.size() >= ( 1u << 16 ) ? ThreadPool::defaultThreadCount() : 1;
  std::vector<std::vector<uint32_t>> parts( threads );
  overflow.assign( threads, {} );
  ThreadPool::instance().run( threads, [&]( int t ) {
    std::vector<uint32_t> &h = parts[t];
    h.assign( slots, 0u );
    const size_t begin = c.size() * t / threads, end = c.size() * ( t + 1 ) / threads;
    if ( !mayOverflow )
    {
      for ( size_t p = begin; p < end; ++p )
        ++h[c[p] ? off( c[p] ) + 1 : 0];
      return;
    }
    for ( size_t p = begin; p < end; ++p )
    {
      const size_t slot = c[p] ? static_cast<size_t>( off( c[p] ) ) + 1 : 0;
      if ( slot < slots )
        ++h[slot];
      else
        overflow[t].push_back( static_cast<uint32_t>( slot - 1 ) );
    }
  } );
  if ( threads == 1 )
  {
    histogram = std::move( parts[0] );
    return;
  }
  histogram.assign( slots, 0u );
  const int mergers = slots >= ( 1u << 16 ) ? threads : 1;
  ThreadPool::instance().run( mergers, [&]( int t ) {
    const size_t begin = slots * t / mergers, end = slots * ( t + 1 ) / mergers;
    for ( const std::vector<uint32_t> &h : parts )
      for ( size_t v = begin; v < end; ++v )
        histogram[v] += h[v];
  } );
}

void shadeDense( const std::vector<uint32_t> &c, const CountOffset &off, uint32_t dmax, const ShadeSettings &s, uint32_t *px )
{
  // Slot 0 is for empty pixels, slot v + 1 for offset value v.
  const size_t slots = static_cast<size_t>( dmax ) + 2;
  std::vector<uint32_t> histogram;
  std::vector<std::vector<uint32_t>> unused;
  histogramOf( c, off, slots, false, histogram, unused );
  const std::vector<uint32_t> pixelsPerValue( histogram.begin() + 1, histogram.end() );
  const ValueTransform tf = s.hasSpan ? ValueTransform( s.how ) : ValueTransform::fromValueCounts( s.how, pixelsPerValue );
  detail::Span span;
  if ( s.hasSpan )
    span = detail::fixedSpan( s );
  else
    for ( size_t v = 0; v <= dmax; ++v )
      if ( pixelsPerValue[v] )
        span.include( tf( static_cast<double>( v ) ) );
  const ColorLookup lookup( s.colormap, span.lo, span.hi, s.alpha, s.minAlpha );
  std::vector<uint32_t> table( slots, 0u );
  for ( size_t v = 0; v <= dmax; ++v )
    if ( pixelsPerValue[v] )
      table[v + 1] = lookup( tf( static_cast<double>( v ) ) );
  parallelPixels( c.size(), [&]( size_t begin, size_t end ) {
    for ( size_t p = begin; p < end; ++p )
      px[p] = table[c[p] ? off( c[p] ) + 1 : 0];
  } );
}

/*
 * Wide ranges: most pixels still hold small counts. Offset values below SMALL are counted in a
 * histogram (slot v + 1, slot 0 for empty pixels); only the few larger ones are sorted. Both
 * give the same sorted distinct values and pixel counts as sorting every pixel would.
 */
void shadeSparse( const std::vector<uint32_t> &c, const CountOffset &off, const ShadeSettings &s, uint32_t *px )
{
  constexpr uint32_t SMALL = 1u << 16;
  std::vector<uint32_t> histogram;
  std::vector<std::vector<uint32_t>> largeParts;
  histogramOf( c, off, SMALL + 1, true, histogram, largeParts );
  std::vector<uint32_t> large;
  for ( const std::vector<uint32_t> &part : largeParts )
    large.insert( large.end(), part.begin(), part.end() );
  std::sort( large.begin(), large.end() );
  std::vector<uint32_t> distinct;
  std::vector<uint32_t> pixelsPerDistinct;
  for ( uint32_t v = 0; v < SMALL; ++v )
  {
    if ( histogram[v + 1] )
    {
      distinct.push_back( v );
      pixelsPerDistinct.push_back( histogram[v + 1] );
    }
  }
  const size_t smallDistinct = distinct.size();
  for ( uint32_t v : large )
  {
    if ( distinct.size() == smallDistinct || distinct.back() != v )
    {
      distinct.push_back( v );
      pixelsPerDistinct.push_back( 0 );
    }
    ++pixelsPerDistinct.back();
  }
  const ValueTransform tf = s.hasSpan ? ValueTransform( s.how ) : ValueTransform::fromDistinctValues( s.how, distinct, pixelsPerDistinct );
  detail::Span span;
  if ( s.hasSpan )
    span = detail::fixedSpan( s );
  else
    for ( uint32_t v : distinct )
      span.include( tf( static_cast<double>( v ) ) );
  const ColorLookup lookup( s.colormap, span.lo, span.hi, s.alpha, s.minAlpha );
  std::vector<uint32_t> colours( distinct.size() );
  for ( size_t i = 0; i < distinct.size(); ++i )
    colours[i] = lookup( tf( static_cast<double>( distinct[i] ) ) );
  // Small values: a direct table; large ones: a binary search among the large distinct values.
  std::vector<uint32_t> smallColour( SMALL, 0u );
  for ( size_t i = 0; i < smallDistinct; ++i )
    smallColour[distinct[i]] = colours[i];
  const auto largeBegin = distinct.begin() + static_cast<std::ptrdiff_t>( smallDistinct );
  parallelPixels( c.size(), [&]( size_t begin, size_t end ) {
    for ( size_t p = begin; p < end; ++p )
    {
      if ( !c[p] )
        px[p] = 0u;
      else if ( const uint32_t v = off( c[p] ); v < SMALL )
        px[p] = smallColour[v];
      else
        px[p] = colours[std::lower_bound( largeBegin, distinct.end(), v ) - distinct.begin()];
    }
  } );
}

} // namespace

namespace detail
{

Status shadeCounts( const Aggregate &aggregate, const ShadeSettings &s, RgbaImage &out )
{
  const std::vector<uint32_t> &c = aggregate.counts();
  const size_t pixels = c.size();
  uint32_t *px = out.data();
  uint32_t cmin, cmax;
  countRange( c, cmin, cmax );
  if ( cmax == 0 )
  {
    std::fill( px, px + pixels, 0u ); // nothing to draw: Datashader returns an all-zero image
    return Status::ok();
  }
  if ( s.hasSpan && s.spanMin < 0.0 )
    return Status::error( QStringLiteral( "span minimum %1 is negative, which a count aggregate cannot hold: use a span >= 0" ).arg( s.spanMin ) );
  CountOffset off;
  off.hasSpan = s.hasSpan;
  off.spanMin = s.spanMin;
  off.spanMax = s.spanMax;
  off.clipLo = s.hasSpan ? static_cast<uint32_t>( s.spanMin ) : 0u;
  off.clipHi = s.hasSpan ? static_cast<uint32_t>( std::min( s.spanMax, 4294967295.0 ) ) : 0u;
  off.offset = s.hasSpan ? off.clipLo : cmin;
  const uint32_t dmax = off( cmax );

  if ( !s.useValueTable )
  {
    std::vector<double> d( pixels, 0.0 );
    std::vector<uint8_t> mask( pixels, 0 );
    for ( size_t p = 0; p < pixels; ++p )
    {
      mask[p] = c[p] == 0;
      if ( c[p] )
        d[p] = off( c[p] );
    }
    shadeField( d, mask, true, s, out );
  }
  else if ( dmax < std::max<size_t>( ValueTransform::EQ_HIST_BINS, pixels / 2 ) )
    shadeDense( c, off, dmax, s, px );
  else
    shadeSparse( c, off, s, px );
  return Status::ok();
}

} // namespace detail
} // namespace gridshade
