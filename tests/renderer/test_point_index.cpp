// SPDX-License-Identifier: GPL-2.0-or-later
// The point index against brute force: counts of the standard scene at Z0/Z4/Z8/Z12 and 20
// random viewports equal CpuAggregator's bit for bit, and random points with exact pixel-edge
// hits, NaN/inf and duplicates equal the plain formula of Datashader's rule (random_points.h);
// views whose edges lie on node boundaries; every leaf size; the shortcut is really taken.
#include "aggregation/aggregate_settings.h"
#include "aggregation/cpu_aggregator.h"
#include "index/point_index.h"
#include "random_points.h"
#include "scene/scene_generator.h"
#include "scene/standard_zooms.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

#include <random>

using namespace gridshade;

namespace
{

// Number of differing pixels, and the first one, between the index's counts and the CPU's.
QString compareWithCpu( const PointColumns &points, const PointIndex &index, const Viewport &vp, IndexTraversal *t = nullptr )
{
  AggregateSettings settings;
  settings.threads = 1;
  Aggregate cpu, idx;
  if ( !CpuAggregator::aggregate( points, vp, settings, cpu ) )
    return QStringLiteral( "CPU aggregation failed" );
  if ( Status s = index.aggregateCount( vp, idx, t ); !s )
    return s.message();
  int64_t differ = 0, first = -1;
  for ( int64_t i = 0; i < vp.pixelCount(); ++i )
  {
    if ( cpu.counts()[i] != idx.counts()[i] )
    {
      if ( first < 0 )
        first = i;
      ++differ;
    }
  }
  if ( differ )
    return QStringLiteral( "%1 pixels differ, first %2: cpu %3, index %4" ).arg( differ ).arg( first ).arg( cpu.counts()[first] ).arg( idx.counts()[first] );
  const AggregateStats &a = cpu.stats(), &b = idx.stats();
  if ( a.total != b.total || a.inView != b.inView || a.droppedNonFinite != b.droppedNonFinite || a.droppedOutside != b.droppedOutside )
    return QStringLiteral( "stats differ: cpu %1/%2/%3/%4, index %5/%6/%7/%8" )
      .arg( a.total ).arg( a.inView ).arg( a.droppedNonFinite ).arg( a.droppedOutside )
      .arg( b.total ).arg( b.inView ).arg( b.droppedNonFinite ).arg( b.droppedOutside );
  return QString();
}

} // namespace

class TestPointIndex : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void standardZooms_data();
    void standardZooms();
    void randomViewports();
    void edgesAndNonFinite_data();
    void edgesAndNonFinite();
    void viewOnNodeBoundaries();
    void emptyAndErrors();
    void fileRoundTrip();
    void corruptFiles();
    void randomCorruption();

  private:
    PointColumns mScene;
    PointIndex mIndex;
};

void TestPointIndex::initTestCase()
{
  mScene = SceneGenerator().generate( 1000000 );
  mIndex = PointIndex::build( mScene );
  QCOMPARE( mIndex.size() + mIndex.nonFinite(), mScene.size() );
  // Every point once, in curve order: the sorted coordinates are a permutation of the input.
  std::vector<std::pair<double, double>> a, b;
  for ( size_t i = 0; i < mScene.size(); ++i )
  {
    a.emplace_back( mScene.x()[i], mScene.y()[i] );
    b.emplace_back( mIndex.x()[i], mIndex.y()[i] );
  }
  std::sort( a.begin(), a.end() );
  std::sort( b.begin(), b.end() );
  QVERIFY( a == b );
}

void TestPointIndex::standardZooms_data()
{
  QTest::addColumn<int>( "zoom" );
  for ( int z : { 0, 4, 8, 12 } )
    QTest::newRow( qPrintable( QStringLiteral( "Z%1" ).arg( z ) ) ) << z;
}

void TestPointIndex::standardZooms()
{
  QFETCH( int, zoom );
  IndexTraversal t;
  const Viewport vp = standard::viewport( zoom );
  const QString diff = compareWithCpu( mScene, mIndex, vp, &t );
  QVERIFY2( diff.isEmpty(), qPrintable( diff ) );
  qInfo( "Z%d: %llu nodes visited, %llu taken whole (%llu points), %llu leaves and %llu points scanned", zoom,
         static_cast<unsigned long long>( t.nodesVisited ), static_cast<unsigned long long>( t.nodesWhole ),
         static_cast<unsigned long long>( t.pointsWhole ), static_cast<unsigned long long>( t.leavesScanned ),
         static_cast<unsigned long long>( t.pointsScanned ) );
  // The dense zooms take whole nodes; every point in view is either in one or scanned.
  if ( zoom == 0 )
    QVERIFY( t.nodesWhole > 0 && t.pointsScanned < mScene.size() );
  // Any number of threads gives the same grid and the same traversal.
  Aggregate one;
  IndexTraversal t1;
  QVERIFY( mIndex.aggregateCount( vp, one, &t1, nullptr, 1 ) );
  for ( int threads : { 2, 3, 7 } )
  {
    Aggregate many;
    IndexTraversal tn;
    QVERIFY( mIndex.aggregateCount( vp, many, &tn, nullptr, threads ) );
    QVERIFY2( many.counts() == one.counts(), qPrintable( QStringLiteral( "%1 threads" ).arg( threads ) ) );
    QCOMPARE( many.stats().inView, one.stats().inView );
    QCOMPARE( tn.pointsScanned, t1.pointsScanned );
    QCOMPARE( tn.nodesWhole, t1.nodesWhole );
  }
}

void TestPointIndex::randomViewports()
{
  std::mt19937_64 rng( 16 );
  const double half = SceneGenerator::HALF_WORLD;
  std::uniform_real_distribution<double> centre( -half, half ), logSize( std::log( 1e3 ), std::log( 4e7 ) );
  std::uniform_int_distribution<int> side( 7, 1200 );
  for ( int i = 0; i < 20; ++i )
  {
    // Around the scene's centre half of the time, where the points are dense.
    const bool dense = i % 2 == 0;
    const double cx = dense ? SceneGenerator::CENTER_X + centre( rng ) * 1e-3 : centre( rng );
    const double cy = dense ? SceneGenerator::CENTER_Y + centre( rng ) * 1e-3 : centre( rng ) * 0.8;
    const double w = std::exp( logSize( rng ) ), h = w * std::uniform_real_distribution<double>( 0.3, 2.0 )( rng );
    const Viewport vp( Extent { cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2 }, side( rng ), side( rng ) );
    const QString diff = compareWithCpu( mScene, mIndex, vp );
    QVERIFY2( diff.isEmpty(), qPrintable( QStringLiteral( "viewport %1: %2" ).arg( i ).arg( diff ) ) );
  }
}

void TestPointIndex::edgesAndNonFinite_data()
{
  QTest::addColumn<int>( "leafPoints" );
  for ( int leaf : { 1, 7, 64, 256, 5000 } )
    QTest::newRow( qPrintable( QStringLiteral( "leaf %1" ).arg( leaf ) ) ) << leaf;
}

// Points on every pixel edge and on the view's edges, many at the same place (whole nodes sit
// exactly on edges), NaN and infinite coordinates: against the plain formula.
void TestPointIndex::edgesAndNonFinite()
{
  QFETCH( int, leafPoints );
  const Extent e { -3.0, 10.0, 17.0, 25.0 };
  const int w = 40, h = 30;
  testdata::Data d = testdata::randomData( 60000, e, w, 7 );
  for ( int k = 0; k <= w; ++k )
    for ( int j = 0; j <= h; j += 5 )
      for ( int copy = 0; copy < ( k % 4 == 0 ? 600 : 3 ); ++copy )
      {
        d.x.push_back( e.xmin + e.width() * k / w );
        d.y.push_back( e.ymin + e.height() * j / h );
      }
  // One ulp outside the view next to points on its edges, in the same leaves: a box that
  // reaches past the edge by any amount must not be taken whole.
  const double inf = std::numeric_limits<double>::infinity();
  for ( int j = 0; j <= h; j += 3 )
    for ( int copy = 0; copy < 400; ++copy )
    {
      const bool out = copy % 2;
      const double y = e.ymin + e.height() * j / h;
      d.x.push_back( out ? std::nextafter( e.xmax, inf ) : e.xmax );
      d.y.push_back( y );
      d.x.push_back( out ? std::nextafter( e.xmin, -inf ) : e.xmin );
      d.y.push_back( y );
      d.x.push_back( e.xmin + e.width() * j / h );
      d.y.push_back( out ? std::nextafter( e.ymax, inf ) : e.ymax );
    }
  const PointColumns points = PointColumns::view( d.x.data(), d.y.data(), d.x.size() );
  const PointIndex index = PointIndex::build( points, static_cast<uint32_t>( leafPoints ) );
  const Viewport vp( e, w, h );
  std::vector<uint32_t> reference( static_cast<size_t>( w ) * h, 0 );
  for ( size_t i = 0; i < d.x.size(); ++i )
  {
    const int64_t p = testdata::referencePixel( e, w, h, d.x[i], d.y[i] );
    if ( p >= 0 )
      ++reference[p];
  }
  Aggregate agg;
  IndexTraversal t;
  QVERIFY( index.aggregateCount( vp, agg, &t ) );
  QVERIFY( agg.counts() == reference );
  // 600 points at one spot fill whole leaves of up to 256 points, which are then taken at once.
  if ( leafPoints <= 256 )
    QVERIFY( t.nodesWhole > 0 );
  const QString diff = compareWithCpu( points, index, vp );
  QVERIFY2( diff.isEmpty(), qPrintable( diff ) );
}

// Views whose edges are exactly the boxes of nodes: a box edge on the view's edge is inside.
void TestPointIndex::viewOnNodeBoundaries()
{
  const PointIndex index = PointIndex::build( mScene, 64 );
  std::mt19937_64 rng( 3 );
  std::uniform_int_distribution<size_t> pick( 0, index.size() / 64 - 1 );
  for ( int i = 0; i < 12; ++i )
  {
    // Two leaves' runs of points: their joint box, as tight as the points.
    const size_t a = pick( rng ) * 64, b = pick( rng ) * 64;
    Extent e { index.x()[a], index.y()[a], index.x()[a], index.y()[a] };
    for ( size_t leaf : { a, b } )
      for ( size_t j = leaf; j < leaf + 64; ++j )
      {
        e.xmin = std::min( e.xmin, index.x()[j] );
        e.xmax = std::max( e.xmax, index.x()[j] );
        e.ymin = std::min( e.ymin, index.y()[j] );
        e.ymax = std::max( e.ymax, index.y()[j] );
      }
    if ( !e.isValid() )
      continue;
    const Viewport vp( e, 1 + i * 37, 1 + i * 23 );
    const QString diff = compareWithCpu( mScene, index, vp );
    QVERIFY2( diff.isEmpty(), qPrintable( QStringLiteral( "view %1: %2" ).arg( i ).arg( diff ) ) );
  }
}

void TestPointIndex::emptyAndErrors()
{
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> x { nan, 1.0 }, y { 2.0, nan };
  const PointIndex index = PointIndex::build( PointColumns::view( x.data(), y.data(), 2 ) );
  QCOMPARE( index.size(), size_t( 0 ) );
  QCOMPARE( index.nonFinite(), uint64_t( 2 ) );
  Aggregate agg;
  QVERIFY( index.aggregateCount( Viewport( Extent { 0, 0, 4, 4 }, 4, 4 ), agg ) );
  QCOMPARE( agg.stats().droppedNonFinite, uint64_t( 2 ) );
  QCOMPARE( agg.stats().inView, uint64_t( 0 ) );
  QVERIFY( !index.aggregateCount( Viewport( Extent { 0, 0, 0, 4 }, 4, 4 ), agg ) );
  std::atomic<bool> cancel { true };
  QVERIFY( !mIndex.aggregateCount( standard::viewport( 8 ), agg, nullptr, &cancel ) );
}

// Written and opened again (memory-mapped), the index gives the same counts, extent, CRS and
// source; the write leaves no temporary file behind.
void TestPointIndex::fileRoundTrip()
{
  QTemporaryDir dir;
  const QString path = dir.filePath( QStringLiteral( "scene.gspidx" ) );
  const QString wkt = QStringLiteral( "PROJCRS[\"WGS 84 / Pseudo-Mercator\"] (é)" );
  const QString source = QStringLiteral( "scene seed 20240601, 1000000 points" );
  QVERIFY( mIndex.write( path, wkt, source ) );
  QCOMPARE( QDir( dir.path() ).entryList( QDir::Files ), QStringList { QStringLiteral( "scene.gspidx" ) } );
  PointIndex opened;
  const Status s = PointIndex::open( path, opened );
  QVERIFY2( s, qPrintable( s.message() ) );
  QCOMPARE( opened.size(), mIndex.size() );
  QCOMPARE( opened.nodeCount(), mIndex.nodeCount() );
  QCOMPARE( opened.crsWkt(), wkt );
  QCOMPARE( opened.source(), source );
  QVERIFY( opened.extent() == mIndex.extent() );
  for ( int zoom : { 0, 8, 12 } )
  {
    const QString diff = compareWithCpu( mScene, opened, standard::viewport( zoom ) );
    QVERIFY2( diff.isEmpty(), qPrintable( QStringLiteral( "Z%1 from the file: %2" ).arg( zoom ).arg( diff ) ) );
  }
  // An empty index (only non-finite points) round-trips too.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> x { nan }, y { 1.0 };
  QVERIFY( PointIndex::build( PointColumns::view( x.data(), y.data(), 1 ) ).write( path, QString(), QString() ) );
  QVERIFY( PointIndex::open( path, opened ) );
  QCOMPARE( opened.size(), size_t( 0 ) );
  QCOMPARE( opened.nonFinite(), uint64_t( 1 ) );
}

namespace
{

QByteArray smallIndexFile( const QString &path )
{
  std::vector<double> x, y;
  std::mt19937_64 rng( 5 );
  std::uniform_real_distribution<double> u( 0.0, 100.0 );
  for ( int i = 0; i < 10000; ++i )
  {
    x.push_back( u( rng ) );
    y.push_back( u( rng ) );
  }
  PointIndex::build( PointColumns::view( x.data(), y.data(), x.size() ), 16 ).write( path, QStringLiteral( "EPSG:3857" ), QStringLiteral( "test" ) );
  QFile f( path );
  f.open( QIODevice::ReadOnly );
  return f.readAll();
}

void writeBytes( const QString &path, const QByteArray &bytes )
{
  QFile f( path );
  f.open( QIODevice::WriteOnly | QIODevice::Truncate );
  f.write( bytes );
}

template<typename T>
void poke( QByteArray &bytes, size_t offset, T value )
{
  std::memcpy( bytes.data() + offset, &value, sizeof( T ) );
}

template<typename T>
T peek( const QByteArray &bytes, size_t offset )
{
  T v;
  std::memcpy( &v, bytes.constData() + offset, sizeof( T ) );
  return v;
}

} // namespace

// Each kind of damage gives an error naming the file and what is wrong, never a crash.
void TestPointIndex::corruptFiles()
{
  QTemporaryDir dir;
  const QString good = dir.filePath( QStringLiteral( "good.gspidx" ) ), bad = dir.filePath( QStringLiteral( "bad.gspidx" ) );
  const QByteArray bytes = smallIndexFile( good );
  const uint64_t points = peek<uint64_t>( bytes, 16 ), nodes = peek<uint64_t>( bytes, 32 ), nodesAt = peek<uint64_t>( bytes, 72 );
  QCOMPARE( points, uint64_t( 10000 ) );
  struct Case
  {
      const char *name;
      QByteArray bytes;
      const char *expected;
  };
  std::vector<Case> cases;
  cases.push_back( { "one byte short", bytes.left( bytes.size() - 1 ), "truncated" } );
  cases.push_back( { "cut inside the header", bytes.left( 100 ), "shorter than the 128-byte header" } );
  QByteArray b = bytes;
  b[0] = 'X';
  cases.push_back( { "magic", b, "wrong magic" } );
  b = bytes;
  poke<uint32_t>( b, 8, 2 );
  cases.push_back( { "version", b, "format version 2" } );
  b = bytes;
  poke<uint32_t>( b, 12, 0x04030201 );
  cases.push_back( { "byte order", b, "byte order" } );
  b = bytes;
  poke<uint64_t>( b, 80, static_cast<uint64_t>( bytes.size() ) - 8 ); // levels past the end
  cases.push_back( { "level section", b, "level section" } );
  b = bytes;
  poke<uint64_t>( b, 16, points * 1000 ); // more points than the file holds
  cases.push_back( { "point count", b, "x section" } );
  b = bytes;
  poke<uint64_t>( b, nodesAt + 40, points + 1 ); // leaf 0 ends past the points
  cases.push_back( { "leaf range", b, "node 0 is corrupt" } );
  b = bytes;
  poke<uint32_t>( b, nodesAt + ( nodes - 1 ) * 56 + 48, static_cast<uint32_t>( nodes - 1 ) ); // the root its own child
  cases.push_back( { "root's children", b, QStringLiteral( "node %1 is corrupt" ).arg( nodes - 1 ).toUtf8().constData() } );
  b = bytes;
  poke<double>( b, nodesAt + 3 * 56, std::numeric_limits<double>::quiet_NaN() ); // a NaN box
  cases.push_back( { "NaN box", b, "node 3 is corrupt" } );
  for ( const Case &c : cases )
  {
    writeBytes( bad, c.bytes );
    PointIndex index;
    const Status s = PointIndex::open( bad, index );
    QVERIFY2( !s, c.name );
    QVERIFY2( s.message().contains( bad ) && s.message().contains( QString::fromUtf8( c.expected ) ),
              qPrintable( QStringLiteral( "%1: %2" ).arg( QLatin1String( c.name ), s.message() ) ) );
    QCOMPARE( index.size(), size_t( 0 ) );
  }
  PointIndex index;
  const Status missing = PointIndex::open( dir.filePath( QStringLiteral( "missing.gspidx" ) ), index );
  QVERIFY( !missing && missing.message().contains( QStringLiteral( "cannot open" ) ) );
  QVERIFY( PointIndex::open( good, index ) );
}

// Random damage to the header, the nodes and the levels: open() refuses the file or the index
// aggregates without reading outside it (the counts of a damaged file may be wrong).
void TestPointIndex::randomCorruption()
{
  QTemporaryDir dir;
  const QString good = dir.filePath( QStringLiteral( "good.gspidx" ) ), bad = dir.filePath( QStringLiteral( "bad.gspidx" ) );
  const QByteArray bytes = smallIndexFile( good );
  const uint64_t nodesAt = peek<uint64_t>( bytes, 72 );
  std::mt19937_64 rng( 11 );
  std::uniform_int_distribution<int> which( 0, 2 ), byte( 0, 255 );
  int refused = 0, opened = 0;
  for ( int i = 0; i < 300; ++i )
  {
    QByteArray b = bytes;
    for ( int k = 0; k < 1 + i % 4; ++k )
    {
      const int area = which( rng );
      const uint64_t lo = area == 0 ? 0 : area == 1 ? nodesAt : nodesAt;
      const uint64_t hi = area == 0 ? 128 : static_cast<uint64_t>( b.size() );
      const uint64_t at = lo + rng() % ( hi - lo );
      b[static_cast<int>( at )] = static_cast<char>( byte( rng ) );
    }
    writeBytes( bad, b );
    PointIndex index;
    if ( !PointIndex::open( bad, index ) )
    {
      ++refused;
      continue;
    }
    ++opened;
    Aggregate agg;
    index.aggregateCount( Viewport( Extent { 0, 0, 100, 100 }, 37, 23 ), agg );
    QCOMPARE( agg.counts().size(), size_t( 37 * 23 ) );
  }
  qInfo( "300 damaged files: %d refused, %d opened and aggregated", refused, opened );
  QCOMPARE( refused + opened, 300 );
}

QTEST_GUILESS_MAIN( TestPointIndex )
#include "test_point_index.moc"
