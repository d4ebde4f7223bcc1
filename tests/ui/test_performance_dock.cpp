// SPDX-License-Identifier: GPL-2.0-or-later
// The performance dock headless: a render's figures as text, history and chart growth, the
// export and clear buttons, the chart's scale and that it paints something.
#include "performance_dock.h"

#include "dock_test_support.h"
#include "render_chart.h"

#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QtTest>

using namespace gridshade;

class TestPerformanceDock : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void dockIdentity();
    void pointsRecordLabels();
    void softwareDeviceLabels();
    void rasterRecordLabels();
    void noLayerClearsFigures();
    void historyAndChartCap();
    void exportAndClear();
    void scaleMs_data();
    void scaleMs();
    void paints();

  private:
    QString text( const char *name ) const { return mDock->findChild<QLabel *>( QLatin1String( name ) )->text(); }
    QPushButton *button( const QString &text ) const;
    RenderChart *chart() const { return mDock->findChild<RenderChart *>(); }

    PerformanceDock *mDock = nullptr;
};

namespace
{
constexpr qlonglong MIB = 1024 * 1024;

// The worked example: 0.0 + 20.1 + 25.3 + 2.8 = 48.2 ms; 1e6 points / 20.1 ms = 49.75 M/s.
RenderRecord gpuRecord()
{
  RenderRecord r;
  r.layer = QStringLiteral( "gps points" );
  r.source = QStringLiteral( "points" );
  r.backend = QStringLiteral( "gpu" );
  r.device = QStringLiteral( "NVIDIA H100" );
  r.width = 1024;
  r.height = 768;
  r.cacheMs = 0;
  r.aggregateMs = 20.1;
  r.shadeMs = 25.3;
  r.drawMs = 2.8;
  r.pointsTotal = 1000000;
  r.pointsInView = 523107;
  r.rssBytes = 4125 * MIB / 10;
  r.pointCacheBytes = 153 * MIB / 10;
  r.gpuBytes = 16 * MIB;
  return r;
}

RenderRecord timed( double shadeMs )
{
  RenderRecord r;
  r.source = QStringLiteral( "points" );
  r.shadeMs = shadeMs;
  return r;
}
} // namespace

QPushButton *TestPerformanceDock::button( const QString &label ) const
{
  return test::buttonWithText( mDock, label );
}

void TestPerformanceDock::initTestCase()
{
  test::pinEnglishLocale();
}

void TestPerformanceDock::init()
{
  mDock = test::shownDock<PerformanceDock>( 360, 560 );
}

void TestPerformanceDock::cleanup()
{
  delete mDock;
  mDock = nullptr;
}

void TestPerformanceDock::dockIdentity()
{
  QCOMPARE( mDock->objectName(), QStringLiteral( "GridshadePerformanceDock" ) );
  QCOMPARE( mDock->windowTitle(), QStringLiteral( "Gridshade Performance" ) );
  QVERIFY( mDock->isAreaAllowed( Qt::RightDockWidgetArea ) );
  QVERIFY( !mDock->isAreaAllowed( Qt::TopDockWidgetArea ) );
  QVERIFY( chart() );
  QCOMPARE( chart()->sizeHint(), QSize( 260, 90 ) );
  QCOMPARE( text( "layerValue" ), QStringLiteral( "no density layer selected" ) );
  QCOMPARE( text( "totalValue" ), QStringLiteral( "–" ) );
  QCOMPARE( text( "rendersValue" ), QStringLiteral( "0 recorded" ) );
}

void TestPerformanceDock::pointsRecordLabels()
{
  mDock->setLayerName( QStringLiteral( "gps points" ) );
  mDock->addRecord( gpuRecord() );
  QCOMPARE( text( "layerValue" ), QStringLiteral( "gps points" ) );
  QCOMPARE( text( "totalValue" ), QStringLiteral( "48.2 ms at 1024 × 768" ) );
  QCOMPARE( text( "splitValue" ), QStringLiteral( "cache 0.0 · aggregate 20.1 · shade 25.3 · draw 2.8 ms" ) );
  QCOMPARE( text( "backendValue" ), QStringLiteral( "GPU — NVIDIA H100" ) );
  QCOMPARE( text( "throughputValue" ), QStringLiteral( "1,000,000 points · 49.8 M points/s" ) );
  QCOMPARE( text( "memoryValue" ), QStringLiteral( "RSS 412.5 MiB · point cache 15.3 MiB · GPU 16.0 MiB" ) );
  QCOMPARE( text( "rendersValue" ), QStringLiteral( "1 recorded" ) );
}

// A software Vulkan device (Mesa's lavapipe) is named as such, never as a GPU; so is the
// note of an auto render that skipped it.
void TestPerformanceDock::softwareDeviceLabels()
{
  RenderRecord r = gpuRecord();
  r.device = QStringLiteral( "llvmpipe (LLVM 15.0.6, 256 bits) (software Vulkan on the CPU; Vulkan 1.3.230, driver 0.0.1)" );
  r.softwareDevice = true;
  mDock->addRecord( r );
  QVERIFY2( text( "backendValue" ).startsWith( QStringLiteral( "Software Vulkan (CPU) — llvmpipe" ) ), qPrintable( text( "backendValue" ) ) );
  QVERIFY( !text( "backendValue" ).contains( QStringLiteral( "GPU" ) ) );
  RenderRecord skipped = gpuRecord();
  skipped.backend = QStringLiteral( "cpu" );
  skipped.device = QStringLiteral( "CPU, 2 threads" );
  skipped.backendNote = QStringLiteral( "auto skips llvmpipe: a software Vulkan device is slower than the CPU backend" );
  mDock->addRecord( skipped );
  QCOMPARE( text( "backendValue" ), QStringLiteral( "CPU (auto skips llvmpipe: a software Vulkan device is slower than the CPU backend)" ) );
  // From the layer's figures, as the plugin delivers them.
  QVERIFY( RenderRecord::fromStats( { { QStringLiteral( "backend" ), QStringLiteral( "gpu" ) }, { QStringLiteral( "softwareDevice" ), true } } ).softwareDevice );
  QVERIFY( !RenderRecord::fromStats( { { QStringLiteral( "backend" ), QStringLiteral( "gpu" ) } } ).softwareDevice );
}

void TestPerformanceDock::rasterRecordLabels()
{
  mDock->setLayerName( QStringLiteral( "dem" ) );
  RenderRecord r;
  r.source = QStringLiteral( "raster" );
  r.backend = QStringLiteral( "cpu" );
  r.backendNote = QStringLiteral( "rasters are regridded on the CPU" );
  r.readMs = 12;
  r.regridMs = 8.5;
  r.shadeMs = 3;
  r.rssBytes = 2 * MIB;
  mDock->addRecord( r );
  // No size known: the total alone; the unknown draw time is left out of the split.
  QCOMPARE( text( "totalValue" ), QStringLiteral( "23.5 ms" ) );
  QCOMPARE( text( "splitValue" ), QStringLiteral( "read 12.0 · regrid 8.5 · shade 3.0 ms" ) );
  QCOMPARE( text( "backendValue" ), QStringLiteral( "CPU (rasters are regridded on the CPU)" ) );
  QCOMPARE( mDock->findChild<QLabel *>( QStringLiteral( "backendValue" ) )->toolTip(), r.backendNote );
  QCOMPARE( text( "throughputValue" ), QStringLiteral( "raster, no points" ) );
  QCOMPARE( text( "memoryValue" ), QStringLiteral( "RSS 2.0 MiB" ) );

  // A points render without aggregation time shows the count but no rate.
  RenderRecord p = timed( 1 );
  p.pointsTotal = 1234;
  mDock->addRecord( p );
  QCOMPARE( text( "throughputValue" ), QStringLiteral( "1,234 points" ) );
  QCOMPARE( text( "memoryValue" ), QStringLiteral( "–" ) );
  QCOMPARE( text( "backendValue" ), QStringLiteral( "–" ) );
  QCOMPARE( text( "rendersValue" ), QStringLiteral( "2 recorded" ) );
}

void TestPerformanceDock::noLayerClearsFigures()
{
  mDock->setLayerName( QStringLiteral( "gps points" ) );
  mDock->addRecord( gpuRecord() );
  QVERIFY( text( "totalValue" ) != QStringLiteral( "–" ) );
  mDock->setLayerName( QString() );
  QCOMPARE( text( "layerValue" ), QStringLiteral( "no density layer selected" ) );
  for ( const char *name : { "totalValue", "splitValue", "backendValue", "throughputValue", "memoryValue" } )
    QCOMPARE( text( name ), QStringLiteral( "–" ) );
  // The history is of all layers and survives.
  QCOMPARE( mDock->history().size(), 1 );
}

void TestPerformanceDock::historyAndChartCap()
{
  RenderChart *c = chart();
  // The oldest renders are slow, so a chart showing them instead of the newest would say 1000.
  const int extra = 5;
  for ( int i = 0; i < c->maxBars() + extra; ++i )
    mDock->addRecord( timed( i < extra ? 999 : i ) );
  QCOMPARE( mDock->history().size(), c->maxBars() + extra );
  QCOMPARE( c->barCount(), c->maxBars() );
  QCOMPARE( text( "rendersValue" ), QStringLiteral( "%1 recorded" ).arg( c->maxBars() + extra ) );
  QCOMPARE( c->scaleMs(), 50.0 );

  c->setMaxBars( 10 );
  QCOMPARE( c->barCount(), 10 );
}

void TestPerformanceDock::exportAndClear()
{
  QPushButton *exportButton = button( QStringLiteral( "Export CSV…" ) );
  QPushButton *clearButton = button( QStringLiteral( "Clear" ) );
  QVERIFY( exportButton && clearButton );
  QVERIFY( !exportButton->isEnabled() );

  QSignalSpy spy( mDock, &PerformanceDock::exportRequested );
  QTest::mouseClick( exportButton, Qt::LeftButton );
  QCOMPARE( spy.count(), 0 );

  mDock->setLayerName( QStringLiteral( "gps points" ) );
  mDock->addRecord( gpuRecord() );
  QVERIFY( exportButton->isEnabled() );
  QTest::mouseClick( exportButton, Qt::LeftButton );
  QCOMPARE( spy.count(), 1 );

  QTest::mouseClick( clearButton, Qt::LeftButton );
  QCOMPARE( mDock->history().size(), 0 );
  QCOMPARE( chart()->barCount(), 0 );
  QVERIFY( !exportButton->isEnabled() );
  QCOMPARE( text( "rendersValue" ), QStringLiteral( "0 recorded" ) );
  QCOMPARE( text( "totalValue" ), QStringLiteral( "–" ) );
  QCOMPARE( text( "layerValue" ), QStringLiteral( "gps points" ) );
}

void TestPerformanceDock::scaleMs_data()
{
  QTest::addColumn<QVector<double>>( "totals" );
  QTest::addColumn<double>( "scale" );
  QTest::newRow( "empty" ) << QVector<double>() << 1.0;
  QTest::newRow( "37" ) << QVector<double> { 37 } << 50.0;
  QTest::newRow( "120" ) << QVector<double> { 120 } << 200.0;
  QTest::newRow( "0.8" ) << QVector<double> { 0.8 } << 1.0;
  QTest::newRow( "exact 50" ) << QVector<double> { 50 } << 50.0;
  QTest::newRow( "exact 100" ) << QVector<double> { 100 } << 100.0;
  QTest::newRow( "1.01" ) << QVector<double> { 1.01 } << 2.0;
  QTest::newRow( "2.5" ) << QVector<double> { 2.5 } << 5.0;
  QTest::newRow( "4999" ) << QVector<double> { 4999 } << 5000.0;
  QTest::newRow( "0.013" ) << QVector<double> { 0.013 } << 0.02;
  QTest::newRow( "slowest of several" ) << QVector<double> { 10, 37, 3 } << 50.0;
  QTest::newRow( "zero" ) << QVector<double> { 0 } << 1.0;
  QTest::newRow( "unknown" ) << QVector<double> { -1 } << 1.0;
}

void TestPerformanceDock::scaleMs()
{
  QFETCH( QVector<double>, totals );
  QFETCH( double, scale );
  RenderChart c;
  QVector<RenderRecord> records;
  for ( const double t : totals )
    records << timed( t );
  c.setRecords( records );
  QCOMPARE( c.barCount(), totals.size() );
  QCOMPARE( c.scaleMs(), scale );
}

void TestPerformanceDock::paints()
{
  // Empty, then degenerate times, then real renders: none may crash.
  QVERIFY( !mDock->grab().isNull() );
  mDock->addRecord( timed( 0 ) );
  mDock->addRecord( timed( -5 ) );
  QVERIFY( !mDock->grab().isNull() );

  for ( int i = 0; i < 3; ++i )
    mDock->addRecord( gpuRecord() );
  const QImage image = chart()->grab().toImage().convertToFormat( QImage::Format_RGB32 );
  QVERIFY( !image.isNull() );
  QSet<QRgb> colours;
  int shadePixels = 0;
  for ( int y = 0; y < image.height(); ++y )
    for ( int x = 0; x < image.width(); ++x )
    {
      colours.insert( image.pixel( x, y ) );
      shadePixels += image.pixel( x, y ) == RenderChart::stageColor( 2 ).rgb();
    }
  QVERIFY( colours.size() > 1 );
  // Three bars of about half the plot's height in the shade colour: far more than the legend's
  // 8 x 8 swatch alone.
  QVERIFY2( shadePixels > 3 * 64, qPrintable( QString::number( shadePixels ) ) );
  // The 20 ms aggregate, 25 ms shade and 3 ms draw stages show in their colours (bars and
  // legend); cache is 0 ms but still has its legend swatch.
  for ( int s = 0; s < 4; ++s )
    QVERIFY2( colours.contains( RenderChart::stageColor( s ).rgb() ), qPrintable( QStringLiteral( "stage %1" ).arg( s ) ) );
}

QTEST_MAIN( TestPerformanceDock )
#include "test_performance_dock.moc"
