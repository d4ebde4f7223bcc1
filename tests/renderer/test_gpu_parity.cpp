// SPDX-License-Identifier: GPL-2.0-or-later
// The GPU aggregator against the CPU aggregator: counts bit for bit on the standard scene at the
// four standard zooms and on the CPU suite's edge cases; min/max exactly; sum/mean within the
// rounding bound of a reordered float64 sum. Residency, many segments, cancellation, fallback.
//
// Needs a Vulkan device: ctest runs it under xvfb-run with Qt's xcb platform, on Mesa's lavapipe
// where there is no GPU. Without a device every test is skipped with the reason.
#include "aggregation/aggregator.h"
#include "aggregation/cpu_aggregator.h"
#include "gpu/gpu_aggregator.h"
#include "scene/scene_generator.h"
#include "scene/standard_zooms.h"

#include "random_points.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace gridshade;
using namespace gridshade::testdata;

namespace
{

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

// The standard scene with a value column whose sums depend on the order of addition, and five
// categories plus some codes out of range.
PointColumns sceneWithColumns( size_t n )
{
  PointColumns points = SceneGenerator().generate( n );
  std::vector<double> values( n );
  std::vector<int32_t> categories( n );
  for ( size_t i = 0; i < n; ++i )
  {
    values[i] = i % 97 == 0 ? NaN : std::sin( static_cast<double>( i ) ) * 1e3 + 1e-7 * static_cast<double>( i );
    categories[i] = i % 101 == 0 ? 7 : static_cast<int32_t>( i % 5 );
  }
  points.setValues( std::move( values ) );
  points.setCategories( std::move( categories ), 5 );
  return points;
}

Status runGpu( const PointColumns &points, const Viewport &vp, Reduction r, Aggregate &out, const std::atomic<bool> *cancel = nullptr )
{
  AggregateSettings settings;
  settings.reduction = r;
  return GpuAggregator::aggregate( points, vp, settings, out, cancel );
}

Aggregate runCpu( const PointColumns &points, const Viewport &vp, Reduction r )
{
  AggregateSettings settings;
  settings.reduction = r;
  Aggregate out;
  const Status st = CpuAggregator::aggregate( points, vp, settings, out );
  if ( !st )
    qFatal( "CPU aggregation failed: %s", qPrintable( st.message() ) );
  return out;
}

bool sameStats( const AggregateStats &a, const AggregateStats &b )
{
  return a.total == b.total && a.inView == b.inView && a.droppedNonFinite == b.droppedNonFinite
         && a.droppedOutside == b.droppedOutside && a.droppedCategory == b.droppedCategory;
}

/*
 * Compares a GPU aggregate with the CPU's. Counts, min and max must be identical; a sum may
 * differ by the error bound of two different orders of n float64 additions,
 * 2 (n - 1) 2^-53 sum(|v|), and a mean by that over n plus the division's rounding.
 * Returns an empty string when they agree, else what differs first.
 */
QString compareWithCpu( const PointColumns &points, const Viewport &vp, Reduction r, const Aggregate &gpu )
{
  const Aggregate cpu = runCpu( points, vp, r );
  if ( !sameStats( cpu.stats(), gpu.stats() ) )
    return QStringLiteral( "stats differ: in view %1 vs %2, non-finite %3 vs %4, outside %5 vs %6, category %7 vs %8" )
      .arg( gpu.stats().inView ).arg( cpu.stats().inView ).arg( gpu.stats().droppedNonFinite ).arg( cpu.stats().droppedNonFinite )
      .arg( gpu.stats().droppedOutside ).arg( cpu.stats().droppedOutside ).arg( gpu.stats().droppedCategory ).arg( cpu.stats().droppedCategory );
  if ( gpu.isCount() )
  {
    for ( size_t i = 0; i < cpu.counts().size(); ++i )
      if ( cpu.counts()[i] != gpu.counts()[i] )
        return QStringLiteral( "count differs at cell %1: gpu %2, cpu %3" ).arg( i ).arg( gpu.counts()[i] ).arg( cpu.counts()[i] );
    return cpu.counts().size() == gpu.counts().size() ? QString() : QStringLiteral( "sizes differ" );
  }
  // Per pixel: number of non-NaN values and sum of their magnitudes, for the sum's bound.
  const size_t pixels = static_cast<size_t>( vp.pixelCount() );
  std::vector<double> magnitude( pixels, 0.0 );
  std::vector<uint32_t> valid( pixels, 0 );
  for ( size_t i = 0; i < points.size(); ++i )
  {
    const int64_t p = vp.pixelIndex( points.x()[i], points.y()[i] );
    if ( p >= 0 && !std::isnan( points.values()[i] ) )
    {
      magnitude[p] += std::fabs( points.values()[i] );
      ++valid[p];
    }
  }
  for ( size_t p = 0; p < pixels; ++p )
  {
    const double c = cpu.values()[p], g = gpu.values()[p];
    if ( std::isnan( c ) != std::isnan( g ) )
      return QStringLiteral( "pixel %1: gpu %2, cpu %3" ).arg( p ).arg( g ).arg( c );
    if ( std::isnan( c ) )
      continue;
    double bound = 0.0;
    if ( r == Reduction::Sum )
      bound = 2.0 * ( valid[p] - 1 ) * std::ldexp( 1.0, -53 ) * magnitude[p];
    else if ( r == Reduction::Mean )
      bound = 2.0 * ( valid[p] - 1 ) * std::ldexp( 1.0, -53 ) * magnitude[p] / valid[p] + 2.0 * std::ldexp( 1.0, -53 ) * std::fabs( c );
    if ( !( std::fabs( g - c ) <= bound ) )
      return QStringLiteral( "pixel %1 (%2 values): gpu %3, cpu %4, bound %5" ).arg( p ).arg( valid[p] ).arg( g, 0, 'g', 17 ).arg( c, 0, 'g', 17 ).arg( bound );
  }
  return QString();
}

} // namespace

class TestGpuParity : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void standardScene_data();
    void standardScene();
    void edgeCases_data();
    void edgeCases();
    void hand2x2();
    void manySegmentsAndCancel();
    void residency();
    void fallbackToCpu();
    void autoSkipsSoftwareDevice();
    void autoLeavesSoftwareDeviceClosed();
    void cleanupTestCase();

  private:
    PointColumns mScene;
};

void TestGpuParity::initTestCase()
{
  const GpuStatus st = GpuAggregator::status();
  if ( !st.available )
    QSKIP( qPrintable( QStringLiteral( "no usable Vulkan device: %1" ).arg( st.reason ) ) );
  qInfo( "GPU: %s; 64-bit atomics: %s; device-local memory %llu MiB", qPrintable( st.device ), st.valueReductions ? "yes" : "no",
         static_cast<unsigned long long>( st.deviceLocalBytes >> 20 ) );
  mScene = sceneWithColumns( 1000000 );
}

void TestGpuParity::standardScene_data()
{
  QTest::addColumn<int>( "zoom" );
  QTest::addColumn<int>( "reduction" );
  for ( int z : { 0, 4, 8, 12 } )
    for ( Reduction r : { Reduction::Count, Reduction::CountCat, Reduction::Sum, Reduction::Mean, Reduction::Min, Reduction::Max } )
      QTest::newRow( qPrintable( QStringLiteral( "Z%1 %2" ).arg( z ).arg( reductionName( r ) ) ) ) << z << int( r );
}

void TestGpuParity::standardScene()
{
  QFETCH( int, zoom );
  QFETCH( int, reduction );
  const Reduction r = static_cast<Reduction>( reduction );
  if ( reductionNeedsValues( r ) && !GpuAggregator::status().valueReductions )
    QSKIP( "this device has no 64-bit buffer atomics" );
  const Viewport vp = standard::viewport( zoom );
  Aggregate gpu;
  const Status st = runGpu( mScene, vp, r, gpu );
  QVERIFY2( st, qPrintable( st.message() ) );
  QCOMPARE( gpu.stats().backend, QStringLiteral( "gpu" ) );
  QVERIFY( gpu.stats().inView > 0 );
  const QString diff = compareWithCpu( mScene, vp, r, gpu );
  QVERIFY2( diff.isEmpty(), qPrintable( diff ) );
}

void TestGpuParity::edgeCases_data()
{
  QTest::addColumn<double>( "xmin" );
  QTest::addColumn<double>( "ymin" );
  QTest::addColumn<double>( "xmax" );
  QTest::addColumn<double>( "ymax" );
  QTest::addColumn<int>( "width" );
  QTest::addColumn<int>( "height" );
  // The CPU suite's odd extent, Web Mercator metres far from the origin (where float32 would
  // move points across bins), degrees, a single pixel, a tall strip and a grid of 1 column.
  QTest::newRow( "odd 37x23" ) << -3.7 << 5.9 << 10.2 << 17.45 << 37 << 23;
  QTest::newRow( "3857 far east" ) << 19000000.0 << -7500000.0 << 19000731.5 << -7499622.25 << 1024 << 768;
  QTest::newRow( "4326 degrees" ) << 8.49 << 47.35 << 8.51 << 47.37 << 640 << 480;
  QTest::newRow( "one pixel" ) << 0.0 << 0.0 << 1.0 << 1.0 << 1 << 1;
  QTest::newRow( "tall strip" ) << -1e-3 << -1e3 << 1e-3 << 1e3 << 3 << 997;
  QTest::newRow( "one column" ) << 100.0 << 200.0 << 101.0 << 300.0 << 1 << 64;
}

void TestGpuParity::edgeCases()
{
  QFETCH( double, xmin );
  QFETCH( double, ymin );
  QFETCH( double, xmax );
  QFETCH( double, ymax );
  QFETCH( int, width );
  QFETCH( int, height );
  const Extent e { xmin, ymin, xmax, ymax };
  const Data d = randomData( 200000, e, width, 7 );
  PointColumns points = PointColumns::view( d.x.data(), d.y.data(), d.x.size() );
  points.setValuesView( d.v.data() );
  points.setCategoriesView( d.cat.data(), 3 );
  const Viewport vp( e, width, height );
  const bool values = GpuAggregator::status().valueReductions;
  for ( Reduction r : { Reduction::Count, Reduction::CountCat, Reduction::Sum, Reduction::Mean, Reduction::Min, Reduction::Max } )
  {
    if ( reductionNeedsValues( r ) && !values )
      continue;
    Aggregate gpu;
    const Status st = runGpu( points, vp, r, gpu );
    QVERIFY2( st, qPrintable( st.message() ) );
    const QString diff = compareWithCpu( points, vp, r, gpu );
    QVERIFY2( diff.isEmpty(), qPrintable( reductionName( r ) + QStringLiteral( ": " ) + diff ) );
  }
  // The GPU counts also match the brute-force formula, independently of the CPU engine.
  Aggregate gpu;
  QVERIFY( runGpu( points, vp, Reduction::Count, gpu ) );
  std::vector<uint32_t> reference( static_cast<size_t>( vp.pixelCount() ), 0 );
  for ( size_t i = 0; i < d.x.size(); ++i )
  {
    const int64_t p = referencePixel( e, width, height, d.x[i], d.y[i] );
    if ( p >= 0 )
      ++reference[p];
  }
  QVERIFY( gpu.counts() == reference );
}

void TestGpuParity::hand2x2()
{
  // The CPU suite's hand-computed grid, on the GPU: points on xmax/ymax go to the last pixel,
  // NaN values are skipped, non-finite and outside points are counted apart.
  const std::vector<double> x { 0.0, 0.5, 1.0, 1.9, 2.0, NaN, -1.0, std::numeric_limits<double>::infinity() };
  const std::vector<double> y { 0.0, 1.5, 0.2, 1.0, 2.0, 0.5, 0.5, 1.0 };
  const std::vector<double> v { 1.0, 2.0, 4.0, 8.0, NaN, 1.0, 1.0, 1.0 };
  PointColumns points = PointColumns::view( x.data(), y.data(), x.size() );
  points.setValuesView( v.data() );
  const Viewport vp( Extent { 0, 0, 2, 2 }, 2, 2 );
  Aggregate agg;
  QVERIFY( runGpu( points, vp, Reduction::Count, agg ) );
  QCOMPARE( agg.counts(), ( std::vector<uint32_t> { 1, 2, 1, 1 } ) );
  QCOMPARE( agg.stats().droppedNonFinite, uint64_t( 2 ) );
  QCOMPARE( agg.stats().droppedOutside, uint64_t( 1 ) );
  QCOMPARE( agg.stats().inView, uint64_t( 5 ) );
  if ( !GpuAggregator::status().valueReductions )
    return;
  QVERIFY( runGpu( points, vp, Reduction::Sum, agg ) );
  QCOMPARE( agg.values(), ( std::vector<double> { 2.0, 8.0, 1.0, 4.0 } ) );
  QVERIFY( runGpu( points, vp, Reduction::Max, agg ) );
  QCOMPARE( agg.values(), ( std::vector<double> { 2.0, 8.0, 1.0, 4.0 } ) );
  const std::vector<double> empty { NaN, NaN };
  points.setValuesView( empty.data() );
  QVERIFY( runGpu( points.prefix( 2 ), vp, Reduction::Min, agg ) );
  QVERIFY( std::isnan( agg.values()[0] ) && std::isnan( agg.values()[2] ) );
}

void TestGpuParity::manySegmentsAndCancel()
{
  // 4096-point segments: the 1e6-point scene becomes 245 dispatches in 31 frames.
  GpuAggregator::shutdown();
  qputenv( "GRIDSHADE_GPU_SEGMENT_POINTS", "4096" );
  for ( Reduction r : { Reduction::Count, Reduction::CountCat, Reduction::Min } )
  {
    if ( reductionNeedsValues( r ) && !GpuAggregator::status().valueReductions )
      continue;
    Aggregate gpu;
    const Status st = runGpu( mScene, standard::viewport( 8 ), r, gpu );
    QVERIFY2( st, qPrintable( st.message() ) );
    const QString diff = compareWithCpu( mScene, standard::viewport( 8 ), r, gpu );
    QVERIFY2( diff.isEmpty(), qPrintable( reductionName( r ) + QStringLiteral( ": " ) + diff ) );
  }
  // Cancelled before it starts: the first frame runs, then the render stops.
  std::atomic<bool> stop { true };
  Aggregate agg;
  const Status st = runGpu( mScene, standard::viewport( 8 ), Reduction::Count, agg, &stop );
  QVERIFY( !st );
  QVERIFY2( st.message().contains( QStringLiteral( "cancelled" ) ), qPrintable( st.message() ) );
  // And the next render is whole again.
  QVERIFY( runGpu( mScene, standard::viewport( 8 ), Reduction::Count, agg ) );
  QVERIFY( compareWithCpu( mScene, standard::viewport( 8 ), Reduction::Count, agg ).isEmpty() );
  qunsetenv( "GRIDSHADE_GPU_SEGMENT_POINTS" );
  GpuAggregator::shutdown();
}

void TestGpuParity::residency()
{
  GpuAggregator::releaseResidentPoints();
  QCOMPARE( GpuAggregator::status().residentBytes, uint64_t( 0 ) );
  Aggregate agg;
  {
    const PointColumns points = SceneGenerator().generate( 300000 );
    QVERIFY( runGpu( points, standard::viewport( 4 ), Reduction::Count, agg ) );
    const uint64_t resident = GpuAggregator::status().residentBytes;
    QVERIFY2( resident >= 300000 * 16, qPrintable( QString::number( resident ) ) );
    // A second render and a prefix reuse the buffers; nothing new is uploaded.
    QVERIFY( runGpu( points, standard::viewport( 8 ), Reduction::Count, agg ) );
    QVERIFY( runGpu( points.prefix( 1000 ), standard::viewport( 8 ), Reduction::Count, agg ) );
    QCOMPARE( agg.stats().total, uint64_t( 1000 ) );
    QVERIFY( compareWithCpu( points.prefix( 1000 ), standard::viewport( 8 ), Reduction::Count, agg ).isEmpty() );
    QCOMPARE( GpuAggregator::status().residentBytes, resident );
    // Other points are uploaded beside them.
    const PointColumns other = SceneGenerator().generate( 1000 );
    QVERIFY( runGpu( other, standard::viewport( 8 ), Reduction::Count, agg ) );
    QVERIFY( GpuAggregator::status().residentBytes > resident );
  }
  // Both PointColumns are gone: the next call frees their buffers and keeps only its own
  // (3 points: two columns of 24 bytes, each rounded up to 32).
  const std::vector<double> x { 1.0, 2.0, 3.0 }, y { 1.0, 2.0, 3.0 };
  QVERIFY( runGpu( PointColumns::view( x.data(), y.data(), 3 ), standard::viewport( 8 ), Reduction::Count, agg ) );
  QCOMPARE( GpuAggregator::status().residentBytes, uint64_t( 64 ) );
}

void TestGpuParity::fallbackToCpu()
{
  // A 1 MiB budget cannot hold 1e6 points: that render runs on the CPU, with the reason.
  GpuAggregator::shutdown();
  qputenv( "GRIDSHADE_GPU_MEMORY_MB", "1" );
  AggregateSettings settings;
  settings.backend = Backend::Gpu;
  Aggregate agg;
  QVERIFY( Aggregator::aggregate( mScene, standard::viewport( 8 ), settings, agg ) );
  QCOMPARE( agg.stats().backend, QStringLiteral( "cpu" ) );
  QVERIFY2( agg.stats().backendNote.contains( QStringLiteral( "budget" ) ), qPrintable( agg.stats().backendNote ) );
  QVERIFY( compareWithCpu( mScene, standard::viewport( 8 ), Reduction::Count, agg ).isEmpty() );
  // Small enough points still go to the GPU.
  QVERIFY( Aggregator::aggregate( mScene.prefix( 1000 ), standard::viewport( 8 ), settings, agg ) );
  QCOMPARE( agg.stats().backend, QStringLiteral( "gpu" ) );
  qunsetenv( "GRIDSHADE_GPU_MEMORY_MB" );
  GpuAggregator::shutdown();

  // The environment variable overrides the setting.
  qputenv( "GRIDSHADE_BACKEND", "cpu" );
  QVERIFY( Aggregator::aggregate( mScene, standard::viewport( 8 ), settings, agg ) );
  QCOMPARE( agg.stats().backend, QStringLiteral( "cpu" ) );
  QVERIFY( agg.stats().backendNote.isEmpty() );
  qunsetenv( "GRIDSHADE_BACKEND" );
}

// auto never aggregates on a software Vulkan device (lavapipe: the CPU emulating a GPU, slower
// than the CPU backend); gpu does, and says so. On a real GPU auto takes it.
void TestGpuParity::autoSkipsSoftwareDevice()
{
  const GpuStatus st = GpuAggregator::status();
  // Mesa's software rasteriser, whatever our code thinks of it.
  if ( st.device.startsWith( QLatin1String( "llvmpipe" ) ) )
    QVERIFY2( st.software, qPrintable( st.device ) );
  AggregateSettings settings;
  settings.backend = Backend::Gpu;
  Aggregate agg;
  QVERIFY( Aggregator::aggregate( mScene, standard::viewport( 8 ), settings, agg ) );
  QCOMPARE( agg.stats().backend, QStringLiteral( "gpu" ) );
  QCOMPARE( agg.stats().softwareDevice, st.software );
  QCOMPARE( agg.stats().device, st.device );
  QCOMPARE( st.device.contains( QLatin1String( "software Vulkan" ) ), st.software );

  settings.backend = Backend::Auto;
  QVERIFY( Aggregator::aggregate( mScene, standard::viewport( 8 ), settings, agg ) );
  if ( st.software )
  {
    QCOMPARE( agg.stats().backend, QStringLiteral( "cpu" ) );
    QVERIFY2( agg.stats().backendNote.contains( QStringLiteral( "software Vulkan" ) ) && agg.stats().backendNote.contains( st.name ),
              qPrintable( agg.stats().backendNote ) );
    QVERIFY( compareWithCpu( mScene, standard::viewport( 8 ), Reduction::Count, agg ).isEmpty() );
  }
  else
  {
    QCOMPARE( agg.stats().backend, QStringLiteral( "gpu" ) );
    QVERIFY( agg.stats().backendNote.isEmpty() );
  }
  qInfo( "auto on %s: %s backend%s%s", qPrintable( st.device ), qPrintable( agg.stats().backend ),
         agg.stats().backendNote.isEmpty() ? "" : ", ", qPrintable( agg.stats().backendNote ) );
}

// auto decides from the device it would choose, without opening it: a software device it
// refuses is never handed to Qt RHI (lavapipe opened costs 33.5 MiB of host memory and compiles
// the shaders). The chosen device is the one that opening gives.
void TestGpuParity::autoLeavesSoftwareDeviceClosed()
{
  GpuAggregator::shutdown();
  const GpuStatus chosen = GpuAggregator::device();
  QVERIFY2( chosen.available, qPrintable( chosen.reason ) );
  AggregateSettings settings;
  settings.backend = Backend::Auto;
  Aggregate agg;
  QVERIFY( Aggregator::aggregate( mScene, standard::viewport( 8 ), settings, agg ) );
  const GpuStatus afterAuto = GpuAggregator::status( false );
  if ( chosen.software )
  {
    QCOMPARE( agg.stats().backend, QStringLiteral( "cpu" ) );
    QVERIFY2( !afterAuto.available, qPrintable( afterAuto.device ) ); // no context was created
  }
  else
    QVERIFY( afterAuto.available );
  const GpuStatus opened = GpuAggregator::status();
  QVERIFY2( opened.available, qPrintable( opened.reason ) );
  QCOMPARE( opened.device, chosen.device );
  QCOMPARE( opened.name, chosen.name );
  QCOMPARE( opened.software, chosen.software );
  QCOMPARE( opened.valueReductions, chosen.valueReductions );
  QCOMPARE( opened.deviceLocalBytes, chosen.deviceLocalBytes );
  QCOMPARE( GpuAggregator::device().device, opened.device );
}

void TestGpuParity::cleanupTestCase()
{
  GpuAggregator::shutdown();
}

QTEST_MAIN( TestGpuParity )
#include "test_gpu_parity.moc"
