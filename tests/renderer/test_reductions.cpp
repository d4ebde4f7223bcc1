// SPDX-License-Identifier: GPL-2.0-or-later
// Every reduction against a brute-force reference, thread-count independence, drop counts.
#include "aggregation/cpu_aggregator.h"
#include "scene/scene_generator.h"
#include "scene/standard_zooms.h"

#include "random_points.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace gridshade;

namespace
{

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

} // namespace

using namespace gridshade::testdata;

class TestReductions : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void reductions_data();
    void reductions();
    void dropCounts();
    void threadCountIndependence();
    void hand2x2();
    void errors();
    void cancel();
};

void TestReductions::reductions_data()
{
  QTest::addColumn<int>( "reduction" );
  QTest::addColumn<int>( "threads" );
  for ( Reduction r : { Reduction::Count, Reduction::Sum, Reduction::Mean, Reduction::Min, Reduction::Max, Reduction::CountCat } )
    for ( int t : { 1, 3 } )
      QTest::newRow( qPrintable( QStringLiteral( "%1, %2 threads" ).arg( reductionName( r ) ).arg( t ) ) ) << int( r ) << t;
}

void TestReductions::reductions()
{
  QFETCH( int, reduction );
  QFETCH( int, threads );
  const Extent e { -3.7, 10.2, 5.9, 17.45 };
  const int w = 37, h = 23;
  const Data d = randomData( 300000, e, w, 42 );
  PointColumns points = PointColumns::view( d.x.data(), d.y.data(), d.x.size() );
  points.setValuesView( d.v.data() );
  points.setCategoriesView( d.cat.data(), 3 );
  AggregateSettings settings;
  settings.reduction = static_cast<Reduction>( reduction );
  settings.threads = threads;
  Aggregate agg;
  const Status st = CpuAggregator::aggregate( points, Viewport( e, w, h ), settings, agg );
  QVERIFY2( st.isOk(), qPrintable( st.message() ) );

  // Brute force, sequentially in point order (Datashader's pandas order).
  const size_t pixels = static_cast<size_t>( w ) * h;
  std::vector<uint32_t> count( pixels, 0 ), cat( pixels * 3, 0 );
  std::vector<double> sum( pixels, NaN ), sum0( pixels, 0.0 ), mn( pixels, NaN ), mx( pixels, NaN );
  std::vector<uint32_t> valid( pixels, 0 );
  for ( size_t i = 0; i < d.x.size(); ++i )
  {
    const int64_t p = referencePixel( e, w, h, d.x[i], d.y[i] );
    if ( p < 0 )
      continue;
    ++count[p];
    if ( d.cat[i] >= 0 && d.cat[i] < 3 )
      ++cat[p * 3 + d.cat[i]];
    const double v = d.v[i];
    if ( std::isnan( v ) )
      continue;
    sum[p] = std::isnan( sum[p] ) ? v : sum[p] + v;
    sum0[p] += v;
    ++valid[p];
    if ( std::isnan( mn[p] ) || v < mn[p] )
      mn[p] = v;
    if ( std::isnan( mx[p] ) || v > mx[p] )
      mx[p] = v;
  }
  auto sameDoubles = []( const std::vector<double> &a, const std::vector<double> &b ) {
    for ( size_t i = 0; i < a.size(); ++i )
      if ( !( a[i] == b[i] || ( std::isnan( a[i] ) && std::isnan( b[i] ) ) ) )
        return false;
    return a.size() == b.size();
  };
  switch ( static_cast<Reduction>( reduction ) )
  {
    case Reduction::Count:
      QVERIFY( agg.counts() == count );
      break;
    case Reduction::CountCat:
      QVERIFY( agg.counts() == cat );
      break;
    case Reduction::Sum:
      QVERIFY( sameDoubles( agg.values(), sum ) );
      break;
    case Reduction::Mean:
    {
      std::vector<double> mean( pixels, NaN );
      for ( size_t p = 0; p < pixels; ++p )
        if ( valid[p] )
          mean[p] = sum0[p] / valid[p];
      QVERIFY( sameDoubles( agg.values(), mean ) );
      break;
    }
    case Reduction::Min:
      QVERIFY( sameDoubles( agg.values(), mn ) );
      break;
    case Reduction::Max:
      QVERIFY( sameDoubles( agg.values(), mx ) );
      break;
  }
}

void TestReductions::dropCounts()
{
  const std::vector<double> x { 0.5, NaN, 2.0, -1.0, 1.0, std::numeric_limits<double>::infinity(), 1.5 };
  const std::vector<double> y { 0.5, 0.5, 2.0, 0.5, 3.0, 1.0, NaN };
  Aggregate agg;
  QVERIFY( CpuAggregator::aggregate( PointColumns::view( x.data(), y.data(), x.size() ), Viewport( Extent { 0, 0, 2, 2 }, 2, 2 ),
                                     AggregateSettings(), agg ) );
  QCOMPARE( agg.stats().total, uint64_t( 7 ) );
  QCOMPARE( agg.stats().inView, uint64_t( 2 ) );
  QCOMPARE( agg.stats().droppedNonFinite, uint64_t( 3 ) );
  QCOMPARE( agg.stats().droppedOutside, uint64_t( 2 ) );
  // (0.5, 0.5) -> bottom-left pixel (image row 1); (2, 2) on xmax/ymax -> top-right.
  QCOMPARE( agg.counts(), ( std::vector<uint32_t> { 0, 1, 1, 0 } ) );
}

void TestReductions::threadCountIndependence()
{
  const PointColumns scene = SceneGenerator().generate( 400000, 1 );
  std::vector<double> values( scene.size() );
  for ( size_t i = 0; i < values.size(); ++i )
    values[i] = std::sin( static_cast<double>( i ) ) * 1e3 + 1e-7 * i; // sums sensitive to order
  PointColumns points = scene;
  points.setValues( values );
  for ( Reduction r : { Reduction::Count, Reduction::Sum, Reduction::Mean, Reduction::Max } )
  {
    AggregateSettings one;
    one.reduction = r;
    one.threads = 1;
    Aggregate reference;
    QVERIFY( CpuAggregator::aggregate( points, standard::viewport( 8 ), one, reference ) );
    for ( int t : { 2, 3, 7, 16 } )
    {
      AggregateSettings many = one;
      many.threads = t;
      Aggregate agg;
      QVERIFY( CpuAggregator::aggregate( points, standard::viewport( 8 ), many, agg ) );
      QVERIFY2( agg.counts() == reference.counts(), qPrintable( reductionName( r ) ) );
      QVERIFY2( std::memcmp( agg.values().data(), reference.values().data(), agg.values().size() * 8 ) == 0, qPrintable( reductionName( r ) ) );
      QCOMPARE( agg.stats().droppedOutside, reference.stats().droppedOutside );
    }
  }
}

void TestReductions::hand2x2()
{
  // Datashader's own style of test: a 2x2 grid over [0, 2] x [0, 2], checked exactly by hand.
  const std::vector<double> x { 0.0, 0.5, 1.0, 1.9, 2.0 };
  const std::vector<double> y { 0.0, 1.5, 0.2, 1.0, 2.0 };
  const std::vector<double> v { 1.0, 2.0, 4.0, 8.0, NaN };
  PointColumns points = PointColumns::view( x.data(), y.data(), x.size() );
  points.setValuesView( v.data() );
  const Viewport vp( Extent { 0, 0, 2, 2 }, 2, 2 );
  Aggregate agg;
  QVERIFY( CpuAggregator::aggregate( points, vp, AggregateSettings(), agg ) );
  // North-up: top row = y in [1, 2]: (0.5, 1.5) left; (1.9, 1.0) and (2, 2) right.
  QCOMPARE( agg.counts(), ( std::vector<uint32_t> { 1, 2, 1, 1 } ) );
  AggregateSettings sum;
  sum.reduction = Reduction::Sum;
  QVERIFY( CpuAggregator::aggregate( points, vp, sum, agg ) );
  QCOMPARE( agg.values(), ( std::vector<double> { 2.0, 8.0, 1.0, 4.0 } ) );
  sum.reduction = Reduction::Mean;
  QVERIFY( CpuAggregator::aggregate( points, vp, sum, agg ) );
  QCOMPARE( agg.values(), ( std::vector<double> { 2.0, 8.0, 1.0, 4.0 } ) );
}

void TestReductions::errors()
{
  const std::vector<double> x { 1.0 }, y { 1.0 };
  const PointColumns points = PointColumns::view( x.data(), y.data(), 1 );
  Aggregate agg;
  AggregateSettings s;
  s.reduction = Reduction::Sum;
  Status st = CpuAggregator::aggregate( points, Viewport( Extent { 0, 0, 2, 2 }, 2, 2 ), s, agg );
  QVERIFY( !st.isOk() );
  QVERIFY2( st.message().contains( QStringLiteral( "value column" ) ), qPrintable( st.message() ) );
  s.reduction = Reduction::CountCat;
  st = CpuAggregator::aggregate( points, Viewport( Extent { 0, 0, 2, 2 }, 2, 2 ), s, agg );
  QVERIFY2( st.message().contains( QStringLiteral( "category" ) ), qPrintable( st.message() ) );
  st = CpuAggregator::aggregate( points, Viewport( Extent { 0, 0, 2, 2 }, 0, 0 ), AggregateSettings(), agg );
  QVERIFY2( st.message().contains( QStringLiteral( "canvas size" ) ), qPrintable( st.message() ) );
  // Empty input: fine, all zero.
  QVERIFY( CpuAggregator::aggregate( PointColumns(), Viewport( Extent { 0, 0, 2, 2 }, 2, 2 ), AggregateSettings(), agg ) );
  QCOMPARE( agg.counts(), ( std::vector<uint32_t>( 4, 0 ) ) );
}

void TestReductions::cancel()
{
  const PointColumns points = SceneGenerator().generate( 300000, 1 );
  std::atomic<bool> stop { true };
  Aggregate agg;
  const Status st = CpuAggregator::aggregate( points, standard::viewport( 8 ), AggregateSettings(), agg, &stop );
  QVERIFY( !st.isOk() );
  QVERIFY( st.message().contains( QStringLiteral( "cancelled" ) ) );
}

QTEST_APPLESS_MAIN( TestReductions )
#include "test_reductions.moc"
