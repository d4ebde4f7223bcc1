// SPDX-License-Identifier: GPL-2.0-or-later
#include "point_index.h"

#include "aggregation/point_binner.h"
#include "core/thread_pool.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

namespace gridshade
{

//! What an index's pointers look into: vectors of a built index, or a mapped file.
struct PointIndex::Storage
{
    std::vector<double> x, y;
    std::vector<Node> nodes;
    std::unique_ptr<QFile> file; //!< mapped; unmapped when the last index using it goes
};

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

// Widens a node's box to hold another box (a point is a box of no size).
void grow( PointIndex::Node &box, double xmin, double ymin, double xmax, double ymax )
{
  box.xmin = std::min( box.xmin, xmin );
  box.ymin = std::min( box.ymin, ymin );
  box.xmax = std::max( box.xmax, xmax );
  box.ymax = std::max( box.ymax, ymax );
}

} // namespace

PointIndex PointIndex::build( const PointColumns &points, uint32_t leafPoints )
{
  PointIndex index;
  auto st = std::make_shared<Storage>();
  index.mLeafPoints = std::max<uint32_t>( 1, leafPoints );
  const size_t n = points.size();
  const double *xs = points.x();
  const double *ys = points.y();
  const double inf = std::numeric_limits<double>::infinity();
  Node box { inf, inf, -inf, -inf, 0, 0 };
  size_t finite = 0;
  for ( size_t i = 0; i < n; ++i )
  {
    if ( !std::isfinite( xs[i] ) || !std::isfinite( ys[i] ) )
      continue;
    ++finite;
    grow( box, xs[i], ys[i], xs[i], ys[i] );
  }
  index.mNonFinite = n - finite;
  if ( finite == 0 )
    return index;
  index.mStorage = st;

  // Curve order: sort (key, source index) pairs; equal keys keep the source order.
  std::vector<std::pair<uint64_t, uint64_t>> keyed;
  keyed.reserve( finite );
  for ( size_t i = 0; i < n; ++i )
  {
    if ( std::isfinite( xs[i] ) && std::isfinite( ys[i] ) )
      keyed.emplace_back( spreadBits( quantise( xs[i], box.xmin, box.xmax ) ) | ( spreadBits( quantise( ys[i], box.ymin, box.ymax ) ) << 1 ), i );
  }
  std::sort( keyed.begin(), keyed.end() );
  st->x.resize( keyed.size() );
  st->y.resize( keyed.size() );
  for ( size_t k = 0; k < keyed.size(); ++k )
  {
    st->x[k] = xs[keyed[k].second];
    st->y[k] = ys[keyed[k].second];
  }
  std::vector<std::pair<uint64_t, uint64_t>>().swap( keyed );

  // Leaves: runs of leafPoints points with their tight boxes.
  const size_t count = st->x.size();
  for ( size_t begin = 0; begin < count; begin += index.mLeafPoints )
  {
    const size_t end = std::min<size_t>( count, begin + index.mLeafPoints );
    Node leaf { st->x[begin], st->y[begin], st->x[begin], st->y[begin], begin, end };
    for ( size_t i = begin + 1; i < end; ++i )
      grow( leaf, st->x[i], st->y[i], st->x[i], st->y[i] );
    st->nodes.push_back( leaf );
  }
  // Levels above: FANOUT consecutive nodes each, until one root.
  size_t levelBegin = 0, levelEnd = st->nodes.size();
  index.mLevelStarts.push_back( 0 );
  while ( levelEnd - levelBegin > 1 )
  {
    index.mLevelStarts.push_back( levelEnd );
    for ( size_t first = levelBegin; first < levelEnd; first += FANOUT )
    {
      const size_t last = std::min<size_t>( levelEnd, first + FANOUT );
      Node parent = st->nodes[first];
      parent.firstChild = static_cast<uint32_t>( first );
      parent.children = static_cast<uint32_t>( last - first );
      for ( size_t c = first + 1; c < last; ++c )
        grow( parent, st->nodes[c].xmin, st->nodes[c].ymin, st->nodes[c].xmax, st->nodes[c].ymax );
      parent.end = st->nodes[last - 1].end;
      st->nodes.push_back( parent );
    }
    levelBegin = levelEnd;
    levelEnd = st->nodes.size();
  }
  index.mX = st->x.data();
  index.mY = st->y.data();
  index.mCount = st->x.size();
  index.mNodes = st->nodes.data();
  index.mNodeCount = st->nodes.size();
  return index;
}

namespace
{

// The file's layout: docs/index-format.rst. Little-endian throughout; sections 64-byte aligned.
constexpr char MAGIC[8] = { 'G', 'S', 'P', 'T', 'I', 'D', 'X', '\0' };
constexpr uint32_t VERSION = 1;
constexpr uint32_t ORDER_MARK = 0x01020304;
constexpr uint64_t ALIGN = 64;

struct FileHeader
{
    char magic[8];
    uint32_t version;
    uint32_t byteOrder;
    uint64_t pointCount;
    uint64_t nonFinite;
    uint64_t nodeCount;
    uint32_t leafPoints;
    uint32_t fanout;
    uint32_t levelCount;
    uint32_t reserved;
    uint64_t xOffset, yOffset, nodesOffset, levelsOffset;
    uint64_t crsOffset, crsBytes;
    uint64_t sourceOffset, sourceBytes;
    uint64_t fileBytes;
};
static_assert( sizeof( FileHeader ) == 128, "the header is 128 bytes on disk" );
static_assert( sizeof( PointIndex::Node ) == 56, "a node is 56 bytes on disk" );

uint64_t aligned( uint64_t offset )
{
  return ( offset + ALIGN - 1 ) / ALIGN * ALIGN;
}

} // namespace

Status PointIndex::write( const QString &path, const QString &crsWkt, const QString &source ) const
{
  const QByteArray crs = crsWkt.toUtf8(), src = source.toUtf8();
  FileHeader h {};
  std::memcpy( h.magic, MAGIC, sizeof( MAGIC ) );
  h.version = VERSION;
  h.byteOrder = ORDER_MARK;
  h.pointCount = mCount;
  h.nonFinite = mNonFinite;
  h.nodeCount = mNodeCount;
  h.leafPoints = mLeafPoints;
  h.fanout = FANOUT;
  h.levelCount = static_cast<uint32_t>( mLevelStarts.size() );
  h.xOffset = aligned( sizeof( FileHeader ) );
  h.yOffset = aligned( h.xOffset + mCount * sizeof( double ) );
  h.nodesOffset = aligned( h.yOffset + mCount * sizeof( double ) );
  h.levelsOffset = aligned( h.nodesOffset + mNodeCount * sizeof( Node ) );
  h.crsOffset = aligned( h.levelsOffset + mLevelStarts.size() * sizeof( uint64_t ) );
  h.crsBytes = static_cast<uint64_t>( crs.size() );
  h.sourceOffset = h.crsOffset + h.crsBytes;
  h.sourceBytes = static_cast<uint64_t>( src.size() );
  h.fileBytes = h.sourceOffset + h.sourceBytes;

  // QSaveFile writes beside the target and renames on commit(): never a half-written index.
  QSaveFile file( path );
  if ( !file.open( QIODevice::WriteOnly ) )
    return Status::error( QStringLiteral( "cannot write the point index %1: %2" ).arg( path, file.errorString() ) );
  uint64_t at = 0;
  auto put = [&]( uint64_t offset, const void *data, uint64_t bytes ) {
    static const char zeros[ALIGN] = {};
    while ( at < offset )
    {
      const uint64_t pad = std::min<uint64_t>( ALIGN, offset - at );
      file.write( zeros, static_cast<qint64>( pad ) );
      at += pad;
    }
    const char *p = static_cast<const char *>( data );
    for ( uint64_t done = 0; done < bytes; )
    {
      const qint64 chunk = static_cast<qint64>( std::min<uint64_t>( bytes - done, uint64_t( 1 ) << 26 ) );
      if ( file.write( p + done, chunk ) != chunk )
        return false;
      done += static_cast<uint64_t>( chunk );
    }
    at += bytes;
    return true;
  };
  const bool ok = put( 0, &h, sizeof( h ) ) && put( h.xOffset, mX, mCount * sizeof( double ) ) && put( h.yOffset, mY, mCount * sizeof( double ) )
                  && put( h.nodesOffset, mNodes, mNodeCount * sizeof( Node ) )
                  && put( h.levelsOffset, mLevelStarts.data(), mLevelStarts.size() * sizeof( uint64_t ) )
                  && put( h.crsOffset, crs.constData(), h.crsBytes ) && put( h.sourceOffset, src.constData(), h.sourceBytes );
  if ( !ok || !file.commit() )
    return Status::error( QStringLiteral( "cannot write the point index %1: %2" ).arg( path, file.errorString() ) );
  return Status::ok();
}

Status PointIndex::open( const QString &path, PointIndex &out )
{
  auto fail = [&]( const QString &what ) { return Status::error( QStringLiteral( "point index %1: %2" ).arg( path, what ) ); };
  auto st = std::make_shared<Storage>();
  st->file = std::make_unique<QFile>( path );
  if ( !st->file->open( QIODevice::ReadOnly ) )
    return fail( QStringLiteral( "cannot open: %1" ).arg( st->file->errorString() ) );
  const uint64_t size = static_cast<uint64_t>( st->file->size() );
  if ( size < sizeof( FileHeader ) )
    return fail( QStringLiteral( "%1 bytes, shorter than the 128-byte header (not an index, or truncated)" ).arg( size ) );
  const uchar *base = st->file->map( 0, static_cast<qint64>( size ) );
  if ( !base )
    return fail( QStringLiteral( "cannot map: %1" ).arg( st->file->errorString() ) );
  FileHeader h;
  std::memcpy( &h, base, sizeof( h ) );
  if ( std::memcmp( h.magic, MAGIC, sizeof( MAGIC ) ) != 0 )
    return fail( QStringLiteral( "not a Gridshade point index (wrong magic bytes)" ) );
  if ( h.byteOrder != ORDER_MARK )
    return fail( QStringLiteral( "written with another byte order" ) );
  if ( h.version != VERSION )
    return fail( QStringLiteral( "format version %1; this build reads version %2" ).arg( h.version ).arg( VERSION ) );
  if ( h.fileBytes != size )
    return fail( QStringLiteral( "%1 bytes, the header says %2 (truncated or appended to)" ).arg( size ).arg( h.fileBytes ) );
  // Every section inside the file, computed without overflow (counts are bounded by the size).
  auto section = [&]( uint64_t offset, uint64_t count, uint64_t itemBytes, const char *name, bool alignedStart ) -> QString {
    if ( count > size / std::max<uint64_t>( 1, itemBytes ) || offset > size || count * itemBytes > size - offset
         || ( alignedStart && offset % 8 != 0 ) )
      return QStringLiteral( "the %1 section (offset %2, %3 items) lies outside the file" ).arg( QLatin1String( name ) ).arg( offset ).arg( count );
    return QString();
  };
  for ( const QString &problem : { section( h.xOffset, h.pointCount, sizeof( double ), "x", true ),
                                   section( h.yOffset, h.pointCount, sizeof( double ), "y", true ),
                                   section( h.nodesOffset, h.nodeCount, sizeof( Node ), "node", true ),
                                   section( h.levelsOffset, h.levelCount, sizeof( uint64_t ), "level", true ),
                                   section( h.crsOffset, h.crsBytes, 1, "CRS", false ), section( h.sourceOffset, h.sourceBytes, 1, "source", false ) } )
    if ( !problem.isEmpty() )
      return fail( problem );
  if ( h.leafPoints < 1 || h.fanout < 2 || h.nodeCount > std::numeric_limits<uint32_t>::max() || ( h.pointCount > 0 ) != ( h.nodeCount > 0 )
       || ( h.nodeCount > 0 ) != ( h.levelCount > 0 ) )
    return fail( QStringLiteral( "inconsistent header (%1 points, %2 nodes, %3 levels, leaves of %4)" ).arg( h.pointCount ).arg( h.nodeCount ).arg( h.levelCount ).arg( h.leafPoints ) );

  // The tree: levels in order, the root alone on the last; children before their parent and
  // within bounds, point ranges within the points, so that no traversal can leave the file.
  std::vector<uint64_t> levels( h.levelCount );
  std::memcpy( levels.data(), base + h.levelsOffset, levels.size() * sizeof( uint64_t ) );
  for ( size_t l = 0; l < levels.size(); ++l )
  {
    if ( ( l == 0 && levels[0] != 0 ) || ( l > 0 && levels[l] <= levels[l - 1] ) || levels[l] >= h.nodeCount )
      return fail( QStringLiteral( "level %1 starts at node %2, out of order or outside the %3 nodes" ).arg( l ).arg( levels[l] ).arg( h.nodeCount ) );
  }
  if ( !levels.empty() && levels.back() != h.nodeCount - 1 )
    return fail( QStringLiteral( "the last level holds %1 nodes, not one root" ).arg( h.nodeCount - levels.back() ) );
  const Node *nodes = reinterpret_cast<const Node *>( base + h.nodesOffset );
  const uint64_t firstInner = levels.size() > 1 ? levels[1] : h.nodeCount;
  // Each level's children follow on from one another and cover the level below exactly: a tree,
  // so that no damaged file can make a traversal visit a node twice.
  uint64_t nextChild = 0;
  size_t level = 0;
  for ( uint64_t i = 0; i < h.nodeCount; ++i )
  {
    const Node &n = nodes[i];
    const bool leaf = i < firstInner;
    if ( level + 1 < levels.size() && levels[level + 1] == i )
      ++level;
    if ( !leaf && i == levels[level] )
      nextChild = levels[level - 1];
    const uint64_t levelBelowEnd = leaf ? 0 : levels[level];
    const uint64_t levelEnd = level + 1 < levels.size() ? levels[level + 1] : h.nodeCount;
    const uint64_t childrenEnd = uint64_t( n.firstChild ) + n.children;
    const bool rangeOk = n.begin <= n.end && n.end <= h.pointCount;
    const bool shapeOk = leaf ? n.children == 0 && n.end - n.begin <= h.leafPoints
                              : n.children >= 1 && n.children <= h.fanout && n.firstChild == nextChild && childrenEnd <= levelBelowEnd
                                  && ( i + 1 != levelEnd || childrenEnd == levelBelowEnd );
    if ( !leaf )
      nextChild = childrenEnd;
    const bool boxOk = n.xmin <= n.xmax && n.ymin <= n.ymax; // false for NaN
    if ( !rangeOk || !shapeOk || !boxOk )
      return fail( QStringLiteral( "node %1 is corrupt (points %2-%3, %4 children from %5)" ).arg( i ).arg( n.begin ).arg( n.end ).arg( n.children ).arg( n.firstChild ) );
  }

  PointIndex index;
  index.mStorage = st;
  index.mX = reinterpret_cast<const double *>( base + h.xOffset );
  index.mY = reinterpret_cast<const double *>( base + h.yOffset );
  index.mCount = h.pointCount;
  index.mNodes = nodes;
  index.mNodeCount = h.nodeCount;
  index.mLevelStarts = std::move( levels );
  index.mNonFinite = h.nonFinite;
  index.mLeafPoints = h.leafPoints;
  index.mCrsWkt = QString::fromUtf8( reinterpret_cast<const char *>( base + h.crsOffset ), static_cast<int>( h.crsBytes ) );
  index.mSource = QString::fromUtf8( reinterpret_cast<const char *>( base + h.sourceOffset ), static_cast<int>( h.sourceBytes ) );
  out = std::move( index );
  return Status::ok();
}

Extent PointIndex::extent() const
{
  if ( mNodeCount == 0 )
    return Extent();
  const Node &root = mNodes[mNodeCount - 1];
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
        binner.binBlock( mX + first, mY + first, pixels, n );
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
  while ( level > 0 && mNodeCount > 0 )
  {
    const size_t begin = mLevelStarts[level - 1];
    const size_t end = level == mLevelStarts.size() ? mNodeCount : mLevelStarts[level];
    if ( end - begin >= static_cast<size_t>( 16 * threads ) || level == 1 )
      break;
    --level;
  }
  const size_t workBegin = mNodeCount == 0 ? 0 : mLevelStarts[level - 1];
  const size_t workEnd = mNodeCount == 0 ? 0 : level == mLevelStarts.size() ? mNodeCount : mLevelStarts[level];
  threads = static_cast<int>( std::min<size_t>( threads, std::max<size_t>( 1, workEnd - workBegin ) ) );

  std::vector<std::vector<uint32_t>> grids( threads );
  std::vector<IndexTraversal> counters( threads );
  std::vector<uint64_t> whole( threads, 0 );
  std::atomic<size_t> next { workBegin };
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
