// SPDX-License-Identifier: GPL-2.0-or-later
#include "point_index.h"

#include "aggregation/point_binner.h"
#include "core/thread_pool.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace gridshade
{

namespace
{

// Spreads the 32 bits of v over the even bits of a 64-bit word.
uint64_t spreadBits( uint32_t v )
{
  uint64_t x = v;
  x = ( x | ( x << 16 ) ) & 0x0000FFFF0000FFFFull;
  x = ( x | ( x << 8 ) ) & 0x00FF00FF00FF00FFull;
  x = ( x | ( x << 4 ) ) & 0x0F0F0F0F0F0F0F0Full;
  x = ( x | ( x << 2 ) ) & 0x3333333333333333ull;
  x = ( x | ( x << 1 ) ) & 0x5555555555555555ull;
  return x;
}

// Position of v in [lo, hi] on 2^32 steps; the order only has to keep points that are close
// together, so rounding here never affects a result (the boxes are computed from the points).
uint32_t quantise( double v, double lo, double hi )
{
  const double span = hi - lo;
  if ( !( span > 0 ) )
    return 0;
  const double t = ( v - lo ) / span * 4294967295.0;
  return t <= 0 ? 0u : t >= 4294967295.0 ? 4294967295u : static_cast<uint32_t>( t );
}

} // namespace

PointIndex PointIndex::build( const PointColumns &points, uint32_t leafPoints )
{
  PointIndex index;
  index.mLeafPoints = std::max<uint32_t>( 1, leafPoints );
  const size_t n = points.size();
  const double *xs = points.x();
  const double *ys = points.y();
  std::vector<uint64_t> finite;
  finite.reserve( n );
  Extent box { std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
               -std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity() };
  for ( size_t i = 0; i < n; ++i )
  {
    if ( !std::isfinite( xs[i] ) || !std::isfinite( ys[i] ) )
      continue;
    finite.push_back( i );
    box.xmin = std::min( box.xmin, xs[i] );
    box.xmax = std::max( box.xmax, xs[i] );
    box.ymin = std::min( box.ymin, ys[i] );
    box.ymax = std::max( box.ymax, ys[i] );
  }
  index.mNonFinite = n - finite.size();
  if ( finite.empty() )
    return index;

  // Curve order: sort (key, source index) pairs; equal keys keep the source order.
  std::vector<std::pair<uint64_t, uint64_t>> keyed( finite.size() );
  for ( size_t k = 0; k < finite.size(); ++k )
  {
    const uint64_t i = finite[k];
    keyed[k] = { spreadBits( quantise( xs[i], box.xmin, box.xmax ) ) | ( spreadBits( quantise( ys[i], box.ymin, box.ymax ) ) << 1 ), i };
  }
  std::vector<uint64_t>().swap( finite );
  std::sort( keyed.begin(), keyed.end() );
  index.mX.resize( keyed.size() );
  index.mY.resize( keyed.size() );
  for ( size_t k = 0; k < keyed.size(); ++k )
  {
    index.mX[k] = xs[keyed[k].second];
    index.mY[k] = ys[keyed[k].second];
  }
  std::vector<std::pair<uint64_t, uint64_t>>().swap( keyed );

  // Leaves: runs of leafPoints points with their tight boxes.
  const size_t count = index.mX.size();
  for ( size_t begin = 0; begin < count; begin += index.mLeafPoints )
  {
    const size_t end = std::min<size_t>( count, begin + index.mLeafPoints );
    Node leaf { index.mX[begin], index.mY[begin], index.mX[begin], index.mY[begin], begin, end };
    for ( size_t i = begin + 1; i < end; ++i )
    {
      leaf.xmin = std::min( leaf.xmin, index.mX[i] );
      leaf.xmax = std::max( leaf.xmax, index.mX[i] );
      leaf.ymin = std::min( leaf.ymin, index.mY[i] );
      leaf.ymax = std::max( leaf.ymax, index.mY[i] );
    }
    index.mNodes.push_back( leaf );
  }
  // Levels above: FANOUT consecutive nodes each, until one root.
  size_t levelBegin = 0, levelEnd = index.mNodes.size();
  index.mLevelStarts.push_back( 0 );
  while ( levelEnd - levelBegin > 1 )
  {
    index.mLevelStarts.push_back( levelEnd );
    for ( size_t first = levelBegin; first < levelEnd; first += FANOUT )
    {
      const size_t last = std::min<size_t>( levelEnd, first + FANOUT );
      Node parent = index.mNodes[first];
      parent.firstChild = static_cast<uint32_t>( first );
      parent.children = static_cast<uint32_t>( last - first );
      for ( size_t c = first + 1; c < last; ++c )
      {
        const Node &child = index.mNodes[c];
        parent.xmin = std::min( parent.xmin, child.xmin );
        parent.xmax = std::max( parent.xmax, child.xmax );
        parent.ymin = std::min( parent.ymin, child.ymin );
        parent.ymax = std::max( parent.ymax, child.ymax );
      }
      parent.end = index.mNodes[last - 1].end;
      index.mNodes.push_back( parent );
    }
    levelBegin = levelEnd;
    levelEnd = index.mNodes.size();
  }
  return index;
}

Extent PointIndex::extent() const
{
  if ( mNodes.empty() )
    return Extent();
  const Node &root = mNodes.back();
  return Extent { root.xmin, root.ymin, root.xmax, root.ymax };
}

void PointIndex::traverse( uint32_t root, const Viewport &viewport, uint32_t *grid, IndexTraversal &t, uint64_t &whole ) const
{
  const Extent &v = viewport.extent();
  const PointBinner binner( viewport );
  constexpr size_t BLOCK = 1024;
  uint32_t pixels[BLOCK];
  std::vector<uint32_t> stack { root };
  while ( !stack.empty() )
  {
    const Node &node = mNodes[stack.back()];
    stack.pop_back();
    ++t.nodesVisited;
    if ( node.xmax < v.xmin || node.xmin > v.xmax || node.ymax < v.ymin || node.ymin > v.ymax )
      continue;
    const bool inside = v.xmin <= node.xmin && node.xmax <= v.xmax && v.ymin <= node.ymin && node.ymax <= v.ymax;
    if ( inside )
    {
      // Monotone bin rule: both corners in one pixel means every point of the box is there.
      const int column = viewport.column( node.xmin );
      const int row = viewport.gridRow( node.ymin );
      if ( column == viewport.column( node.xmax ) && row == viewport.gridRow( node.ymax ) )
      {
        const uint64_t n = node.end - node.begin;
        grid[static_cast<size_t>( viewport.imageRow( row ) ) * viewport.width() + column] += static_cast<uint32_t>( n );
        whole += n;
        ++t.nodesWhole;
        t.pointsWhole += n;
        continue;
      }
    }
    if ( node.children == 0 )
    {
      // The CPU aggregator's kernel; points not kept land in the grid's dummy slots.
      ++t.leavesScanned;
      for ( uint64_t first = node.begin; first < node.end; first += BLOCK )
      {
        const size_t n = static_cast<size_t>( std::min<uint64_t>( BLOCK, node.end - first ) );
        binner.binBlock( mX.data() + first, mY.data() + first, pixels, n );
        for ( size_t i = 0; i < n; ++i )
          ++grid[pixels[i]];
        t.pointsScanned += n;
      }
      continue;
    }
    for ( uint32_t c = 0; c < node.children; ++c )
      stack.push_back( node.firstChild + c );
  }
}

Status PointIndex::aggregateCount( const Viewport &viewport, Aggregate &out, IndexTraversal *traversal, const std::atomic<bool> *cancel,
                                   int threads ) const
{
  if ( viewport.width() <= 0 || viewport.height() <= 0 || !viewport.extent().isValid() )
    return Status::error( QStringLiteral( "invalid viewport for the point index" ) );
  out.reset( Reduction::Count, viewport.width(), viewport.height() );
  const size_t pixels = static_cast<size_t>( viewport.pixelCount() );
  threads = std::max( 1, threads > 0 ? threads : ThreadPool::defaultThreadCount() );

  // The work: the nodes of the highest level with enough of them to share out (every node of a
  // level, the level's boxes together cover every point), taken one at a time by the threads.
  size_t level = mLevelStarts.size();
  while ( level > 0 && mNodes.size() > 0 )
  {
    const size_t begin = mLevelStarts[level - 1];
    const size_t end = level == mLevelStarts.size() ? mNodes.size() : mLevelStarts[level];
    if ( end - begin >= static_cast<size_t>( 16 * threads ) || level == 1 )
      break;
    --level;
  }
  const size_t workBegin = mNodes.empty() ? 0 : mLevelStarts[level - 1];
  const size_t workEnd = mNodes.empty() ? 0 : level == mLevelStarts.size() ? mNodes.size() : mLevelStarts[level];
  threads = static_cast<int>( std::min<size_t>( threads, std::max<size_t>( 1, workEnd - workBegin ) ) );

  std::vector<std::vector<uint32_t>> grids( threads );
  std::vector<IndexTraversal> counters( threads );
  std::vector<uint64_t> whole( threads, 0 );
  std::atomic<size_t> next { workBegin };
  bool stopped = false;
  const bool ok = ThreadPool::instance().run( threads, [&]( int t ) {
    std::vector<uint32_t> &grid = t == 0 ? out.counts() : grids[t];
    grid.assign( pixels + PointBinner::DUMMY_SLOTS, 0u );
    for ( size_t node = next++; node < workEnd; node = next++ )
    {
      if ( cancel && cancel->load( std::memory_order_relaxed ) )
        return;
      traverse( static_cast<uint32_t>( node ), viewport, grid.data(), counters[t], whole[t] );
    }
  } );
  if ( !ok )
    return Status::error( QStringLiteral( "point index aggregation failed (out of memory?)" ) );
  if ( cancel && cancel->load() )
    stopped = true;
  if ( stopped )
    return Status::error( QStringLiteral( "cancelled" ) );
  ThreadPool::instance().run( threads, [&]( int t ) {
    uint32_t *dst = out.counts().data();
    const size_t begin = pixels * t / threads, end = pixels * ( t + 1 ) / threads;
    for ( int g = 1; g < threads; ++g )
    {
      const uint32_t *src = grids[g].data();
      for ( size_t p = begin; p < end; ++p )
        dst[p] += src[p];
    }
  } );
  IndexTraversal sum;
  uint64_t scannedKept = 0;
  for ( int t = 0; t < threads; ++t )
  {
    sum.nodesVisited += counters[t].nodesVisited;
    sum.nodesWhole += counters[t].nodesWhole;
    sum.pointsWhole += counters[t].pointsWhole;
    sum.leavesScanned += counters[t].leavesScanned;
    sum.pointsScanned += counters[t].pointsScanned;
    const std::vector<uint32_t> &grid = t == 0 ? out.counts() : grids[t];
    uint64_t notKept = 0;
    for ( uint32_t k = 0; k < PointBinner::DUMMY_SLOTS; ++k )
      notKept += grid[pixels + k];
    scannedKept += counters[t].pointsScanned - notKept;
    scannedKept += whole[t];
  }
  out.counts().resize( pixels );
  if ( traversal )
    *traversal = sum;
  AggregateStats &stats = out.stats();
  stats.total = size() + mNonFinite;
  stats.inView = scannedKept;
  stats.droppedNonFinite = mNonFinite;
  stats.droppedOutside = size() - scannedKept;
  stats.backend = QStringLiteral( "cpu" );
  stats.device = QStringLiteral( "CPU, point index, %1 threads" ).arg( threads );
  return Status::ok();
}

} // namespace gridshade
