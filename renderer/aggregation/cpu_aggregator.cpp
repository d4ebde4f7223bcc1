// SPDX-License-Identifier: GPL-2.0-or-later
#include "cpu_aggregator.h"

#include "core/thread_pool.h"
#include "point_binner.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <new>

namespace gridshade
{

namespace
{

constexpr size_t BLOCK = size_t( 1 ) << 16;
// Points binned at a time into a small index buffer that stays in L1 cache.
constexpr size_t BIN_CHUNK = 2048;
constexpr uint32_t DROPPED = std::numeric_limits<uint32_t>::max();

bool cancelled( const std::atomic<bool> *cancel )
{
  return cancel && cancel->load( std::memory_order_relaxed );
}

struct Drops
{
    uint64_t nonFinite = 0;
    uint64_t outside = 0;
};

int threadsFor( const AggregateSettings &settings, size_t points )
{
  const int wanted = settings.threads > 0 ? settings.threads : ThreadPool::defaultThreadCount();
  // Below one block per thread, threads cost more than they save.
  const size_t useful = std::max<size_t>( 1, points / BLOCK );
  return static_cast<int>( std::min<size_t>( static_cast<size_t>( wanted ), useful ) );
}

// Splits [0, n) into `parts` contiguous ranges.
size_t rangeStart( size_t n, int parts, int i )
{
  return n / parts * i + std::min<size_t>( i, n % parts );
}

/*
 * Per-thread count grids are a few MiB each; handing them back and forth between renders spares
 * the allocation and, above all, the page faults of fresh memory on every render.
 */
class GridPool
{
  public:
    static GridPool &instance()
    {
      static GridPool pool;
      return pool;
    }

    std::unique_ptr<std::vector<uint32_t>> take()
    {
      std::lock_guard<std::mutex> lock( mMutex );
      if ( mFree.empty() )
        return std::make_unique<std::vector<uint32_t>>();
      std::unique_ptr<std::vector<uint32_t>> grid = std::move( mFree.back() );
      mFree.pop_back();
      return grid;
    }

    void give( std::unique_ptr<std::vector<uint32_t>> grid )
    {
      // Keep a few grids of up to 64 MiB (a 4096 x 4096 canvas); let bigger ones go.
      if ( grid->capacity() > ( size_t( 16 ) << 20 ) )
        return;
      std::lock_guard<std::mutex> lock( mMutex );
      if ( mFree.size() < 8 )
        mFree.push_back( std::move( grid ) );
    }

  private:
    std::mutex mMutex;
    std::vector<std::unique_ptr<std::vector<uint32_t>>> mFree;
};

/*
 * count: each thread bins a contiguous slice of the points into its own grid; integer sums
 * make the merge exact in any order.
 *
 *   points  [ t0 slice | t1 slice | ... ]  -> grid0, grid1, ...  -> out = grid0 + grid1 + ...
 */
bool aggregateCount( const PointColumns &points, const Viewport &vp, int threads, Aggregate &out,
                     const std::atomic<bool> *cancel )
{
  const size_t n = points.size();
  const size_t pixels = static_cast<size_t>( vp.pixelCount() );
  const PointBinner binner( vp );
  // Each grid ends with the binner's dummy slots, which collect the points that are not kept.
  // Thread 0 counts straight into the output; the others into pooled grids merged afterwards.
  std::vector<std::unique_ptr<std::vector<uint32_t>>> grids( threads );
  for ( int t = 1; t < threads; ++t )
    grids[t] = GridPool::instance().take();
  std::vector<Drops> drops( threads );
  const bool ok = ThreadPool::instance().run( threads, [&]( int t ) {
    std::vector<uint32_t> &mine = t == 0 ? out.counts() : *grids[t];
    mine.assign( pixels + PointBinner::DUMMY_SLOTS, 0u );
    uint32_t *grid = mine.data();
    std::vector<uint32_t> index( BIN_CHUNK );
    const size_t end = rangeStart( n, threads, t + 1 );
    uint64_t nonFinite = 0;
    for ( size_t b = rangeStart( n, threads, t ); b < end; b += BIN_CHUNK )
    {
      if ( ( b & ( BLOCK - 1 ) ) < BIN_CHUNK && cancelled( cancel ) )
        break;
      const size_t count = std::min( end - b, BIN_CHUNK );
      nonFinite += binner.binBlock( points.x() + b, points.y() + b, index.data(), count );
      for ( size_t i = 0; i < count; ++i )
        ++grid[index[i]];
    }
    uint64_t notKept = 0;
    for ( uint32_t k = 0; k < PointBinner::DUMMY_SLOTS; ++k )
      notKept += grid[pixels + k];
    drops[t].nonFinite = nonFinite;
    drops[t].outside = notKept - nonFinite;
  } );
  if ( ok && !cancelled( cancel ) )
  {
    ThreadPool::instance().run( threads, [&]( int t ) {
      uint32_t *dst = out.counts().data();
      const size_t begin = rangeStart( pixels, threads, t );
      const size_t end = rangeStart( pixels, threads, t + 1 );
      for ( int g = 1; g < threads; ++g )
      {
        const uint32_t *src = grids[g]->data();
        for ( size_t p = begin; p < end; ++p )
          dst[p] += src[p];
      }
    } );
  }
  for ( int t = 1; t < threads; ++t )
    GridPool::instance().give( std::move( grids[t] ) );
  out.counts().resize( pixels );
  if ( !ok || cancelled( cancel ) )
    return false;
  for ( const Drops &d : drops )
  {
    out.stats().droppedNonFinite += d.nonFinite;
    out.stats().droppedOutside += d.outside;
  }
  return true;
}

// Pass 1 of the ordered reductions: the pixel of every point, DROPPED when not kept.
bool binPoints( const PointColumns &points, const Viewport &vp, int threads, bool checkCategories,
                std::vector<uint32_t> &bins, AggregateStats &stats, const std::atomic<bool> *cancel )
{
  const size_t n = points.size();
  bins.resize( n );
  const PointBinner binner( vp );
  std::vector<Drops> drops( threads );
  std::vector<uint64_t> badCategory( threads, 0 );
  const bool ok = ThreadPool::instance().run( threads, [&]( int t ) {
    // Only count_cat drops points for their category; other reductions ignore the column.
    const int32_t *cats = checkCategories ? points.categories() : nullptr;
    const int32_t categoryCount = points.categoryCount();
    const size_t end = rangeStart( n, threads, t + 1 );
    for ( size_t b = rangeStart( n, threads, t ); b < end; b += BLOCK )
    {
      if ( cancelled( cancel ) )
        return;
      const size_t count = std::min( end - b, BLOCK );
      uint32_t *out = bins.data() + b;
      drops[t].nonFinite += binner.binBlock( points.x() + b, points.y() + b, out, count );
      for ( size_t i = 0; i < count; ++i )
      {
        if ( out[i] >= binner.dummyBase() )
        {
          ++drops[t].outside;
          out[i] = DROPPED;
        }
        else if ( cats && ( cats[b + i] < 0 || cats[b + i] >= categoryCount ) )
        {
          ++badCategory[t];
          out[i] = DROPPED;
        }
      }
    }
  } );
  if ( !ok || cancelled( cancel ) )
    return false;
  for ( int t = 0; t < threads; ++t )
  {
    // drops[t].outside counted every point not kept, the non-finite ones included.
    stats.droppedNonFinite += drops[t].nonFinite;
    stats.droppedOutside += drops[t].outside - drops[t].nonFinite;
    stats.droppedCategory += badCategory[t];
  }
  return true;
}

/*
 * Pass 2: thread t owns the pixels [p0, p1) and walks all bins in point order, so every pixel
 * sees its points in exactly Datashader's sequential order, whatever the thread count.
 *
 *   bins    [ 7 | 3 | X | 7 | 9 | ... ]   (X = dropped)
 *   thread0 owns pixels 0..4   -> applies point 1
 *   thread1 owns pixels 5..9   -> applies points 0, 3, 4 in that order
 */
template<typename Apply>
bool reduceInOrder( const std::vector<uint32_t> &bins, size_t pixels, int threads, const std::atomic<bool> *cancel,
                    Apply apply )
{
  const size_t n = bins.size();
  const bool ok = ThreadPool::instance().run( threads, [&]( int t ) {
    const uint32_t p0 = static_cast<uint32_t>( rangeStart( pixels, threads, t ) );
    const uint32_t span = static_cast<uint32_t>( rangeStart( pixels, threads, t + 1 ) ) - p0;
    for ( size_t b = 0; b < n; b += BLOCK )
    {
      if ( cancelled( cancel ) )
        return;
      const size_t blockEnd = std::min( n, b + BLOCK );
      for ( size_t i = b; i < blockEnd; ++i )
      {
        // Unsigned wrap-around turns the two range tests into one (DROPPED never passes).
        if ( bins[i] - p0 < span )
          apply( i, bins[i] );
      }
    }
  } );
  return ok && !cancelled( cancel );
}

bool aggregateOrdered( const PointColumns &points, const Viewport &vp, Reduction reduction, int threads,
                       Aggregate &out, const std::atomic<bool> *cancel )
{
  std::vector<uint32_t> bins;
  if ( !binPoints( points, vp, threads, reduction == Reduction::CountCat, bins, out.stats(), cancel ) )
    return false;
  const size_t pixels = static_cast<size_t>( vp.pixelCount() );
  const double *v = points.values();
  double *agg = out.values().data();
  switch ( reduction )
  {
    case Reduction::CountCat:
    {
      const int32_t *cats = points.categories();
      const size_t c = static_cast<size_t>( points.categoryCount() );
      uint32_t *grid = out.counts().data();
      return reduceInOrder( bins, pixels, threads, cancel, [&]( size_t i, uint32_t p ) { ++grid[p * c + cats[i]]; } );
    }
    case Reduction::Sum:
      // Datashader's sum: NaN values are skipped, a pixel stays NaN until its first value.
      return reduceInOrder( bins, pixels, threads, cancel, [&]( size_t i, uint32_t p ) {
        if ( !std::isnan( v[i] ) )
          agg[p] = std::isnan( agg[p] ) ? v[i] : agg[p] + v[i];
      } );
    case Reduction::Min:
      return reduceInOrder( bins, pixels, threads, cancel, [&]( size_t i, uint32_t p ) {
        if ( !std::isnan( v[i] ) && ( std::isnan( agg[p] ) || v[i] < agg[p] ) )
          agg[p] = v[i];
      } );
    case Reduction::Max:
      return reduceInOrder( bins, pixels, threads, cancel, [&]( size_t i, uint32_t p ) {
        if ( !std::isnan( v[i] ) && ( std::isnan( agg[p] ) || v[i] > agg[p] ) )
          agg[p] = v[i];
      } );
    case Reduction::Mean:
    {
      // Datashader's mean: a sum starting at zero and a count of non-NaN values, divided.
      std::vector<double> sums( pixels, 0.0 );
      std::vector<uint32_t> counts( pixels, 0u );
      if ( !reduceInOrder( bins, pixels, threads, cancel, [&]( size_t i, uint32_t p ) {
             if ( !std::isnan( v[i] ) )
             {
               sums[p] += v[i];
               ++counts[p];
             }
           } ) )
        return false;
      for ( size_t p = 0; p < pixels; ++p )
        agg[p] = counts[p] ? sums[p] / counts[p] : std::numeric_limits<double>::quiet_NaN();
      return true;
    }
    case Reduction::Count:
      break;
  }
  return false;
}

} // namespace

Status CpuAggregator::aggregate( const PointColumns &points, const Viewport &viewport, const AggregateSettings &settings,
                                 Aggregate &out, const std::atomic<bool> *cancel )
{
  if ( Status s = validateAggregation( points, viewport, settings ); !s )
    return s;
  try
  {
    out.reset( settings.reduction, viewport.width(), viewport.height(), points.categoryCount() );
    const int threads = threadsFor( settings, points.size() );
    const bool done = settings.reduction == Reduction::Count
                        ? aggregateCount( points, viewport, threads, out, cancel )
                        : aggregateOrdered( points, viewport, settings.reduction, threads, out, cancel );
    if ( !done )
      return Status::error( cancelled( cancel ) ? QStringLiteral( "aggregation cancelled" )
                                                : QStringLiteral( "aggregation failed: out of memory" ) );
    AggregateStats &st = out.stats();
    st.total = points.size();
    st.inView = st.total - st.droppedNonFinite - st.droppedOutside - st.droppedCategory;
    st.backend = QStringLiteral( "cpu" );
    st.device = QStringLiteral( "CPU, %1 threads" ).arg( threads );
    return Status::ok();
  }
  catch ( const std::bad_alloc & )
  {
    return Status::error( QStringLiteral( "out of memory aggregating %1 points onto %2x%3 pixels" )
                            .arg( points.size() )
                            .arg( viewport.width() )
                            .arg( viewport.height() ) );
  }
}

} // namespace gridshade
