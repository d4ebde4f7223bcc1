// SPDX-License-Identifier: GPL-2.0-or-later
// Overview (level of detail) selection: the level our rule picks is the one GDAL's RasterIO reads
// (identical pixels at many scales), a read at 1/8 through the chosen overview reads far fewer
// bytes than a full-resolution read (counted by a virtual file system), and its result matches
// the full-resolution read averaged down to the same size (SSIM >= 0.99).
#include "checks/ssim.h"
#include "counting_vsi.h"
#include "plugin_test_support.h"
#include "raster/raster_window_reader.h"

#include <qgsapplication.h>
#include <qgsprocessingalgorithm.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingregistry.h>

#include <gdal.h>

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace gridshade;

namespace
{

constexpr int N = 2048;
constexpr double RES = 5.0;

QString writeFixture( const QString &path )
{
  GDALAllRegister();
  const char *options[] = { "TILED=YES", "COMPRESS=DEFLATE", "BLOCKXSIZE=256", "BLOCKYSIZE=256", nullptr };
  GDALDatasetH ds = GDALCreate( GDALGetDriverByName( "GTiff" ), path.toUtf8().constData(), N, N, 1, GDT_Float32, const_cast<char **>( options ) );
  if ( !ds )
    return QString::fromUtf8( CPLGetLastErrorMsg() );
  double gt[6] = { 400000.0, RES, 0, 5100000.0, 0, -RES };
  GDALSetGeoTransform( ds, gt );
  GDALSetProjection( ds, "EPSG:32632" );
  std::vector<float> row( N );
  for ( int r = 0; r < N; ++r )
  {
    for ( int c = 0; c < N; ++c )
      row[c] = static_cast<float>( 800.0 + 300.0 * std::sin( c / 150.0 ) * std::cos( r / 210.0 ) + 40.0 * std::sin( ( c + 2 * r ) / 17.0 ) );
    if ( GDALRasterIO( GDALGetRasterBand( ds, 1 ), GF_Write, 0, r, N, 1, row.data(), N, 1, GDT_Float32, 0, 0 ) != CE_None )
      return QString::fromUtf8( CPLGetLastErrorMsg() );
  }
  int levels[] = { 2, 4, 8, 16 };
  if ( GDALBuildOverviews( ds, "AVERAGE", 4, levels, 0, nullptr, nullptr, nullptr ) != CE_None )
    return QString::fromUtf8( CPLGetLastErrorMsg() );
  GDALClose( ds );
  return QString();
}

} // namespace

class TestRasterOverview : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void levels();
    void selectionMatchesGdal_data();
    void selectionMatchesGdal();
    void bytesAndSimilarity();
    void processingLevels();

  private:
    QTemporaryDir mDir;
    QString mPath;
};

void TestRasterOverview::initTestCase()
{
  QVERIFY( test::startQgis() );
  mPath = mDir.filePath( QStringLiteral( "dem_ovr.tif" ) );
  QCOMPARE( writeFixture( mPath ), QString() );
  test::CountingVsi::install();
}

void TestRasterOverview::cleanupTestCase()
{
  test::stopQgis();
}

void TestRasterOverview::levels()
{
  const RasterWindowReader reader( mPath );
  QCOMPARE( reader.overviewCount(), 4 );
  QCOMPARE( reader.overviewSize( -1 ), QSize( N, N ) );
  QCOMPARE( reader.overviewSize( 2 ), QSize( N / 8, N / 8 ) );
  // Finer than the raster or equal: full resolution. Coarser: the rule's thresholds at 1.2x.
  QCOMPARE( reader.selectOverviewLevel( RES ), -1 );
  QCOMPARE( reader.selectOverviewLevel( RES * 1.6 ), -1 ); // 2 >= 1.2 * 1.6
  QCOMPARE( reader.selectOverviewLevel( RES * 1.7 ), 0 );  // 2 < 2.04
  QCOMPARE( reader.selectOverviewLevel( RES * 7 ), 2 );    // 8 < 8.4
  QCOMPARE( reader.selectOverviewLevel( RES * 6 ), 1 );    // 8 >= 7.2
  QCOMPARE( reader.selectOverviewLevel( RES * 100 ), 3 );
  RasterArray out;
  QVERIFY( !reader.readLevel( 4, {}, PixelWindow { 0, 0, N, N }, QSize( 8, 8 ), Resampling::Nearest, out ) );
}

void TestRasterOverview::selectionMatchesGdal_data()
{
  QTest::addColumn<double>( "factor" );
  for ( double f : { 1.25, 1.5, 1.7, 2.0, 3.0, 3.4, 4.0, 5.0, 6.0, 7.0, 8.0, 9.5, 12.0, 16.0, 20.0, 32.0 } )
    QTest::newRow( qPrintable( QStringLiteral( "1/%1" ).arg( f ) ) ) << f;
}

void TestRasterOverview::selectionMatchesGdal()
{
  // GDAL's RasterIO chooses its overview itself; reading the level we select must give the same
  // pixels (nearest: any other level would give other values).
  QFETCH( double, factor );
  const RasterWindowReader reader( mPath );
  const int size = static_cast<int>( std::lround( N / factor ) );
  const int level = reader.selectOverviewLevel( RES * N / size );
  RasterArray byGdal, byLevel;
  QVERIFY( reader.read( { 1 }, PixelWindow { 0, 0, N, N }, QSize( size, size ), Resampling::Nearest, byGdal ) );
  QVERIFY( reader.readLevel( level, { 1 }, PixelWindow { 0, 0, N, N }, QSize( size, size ), Resampling::Nearest, byLevel ) );
  QVERIFY2( byGdal.values == byLevel.values, qPrintable( QStringLiteral( "level %1 is not GDAL's choice" ).arg( level ) ) );
}

void TestRasterOverview::bytesAndSimilarity()
{
  // A 1/8 read of the whole raster: through the selected overview against the full resolution.
  const QString counted = QString::fromLatin1( test::CountingVsi::PREFIX ) + mPath.mid( 1 );
  const QSize out( N / 8, N / 8 );
  uint64_t fullBytes = 0, overviewBytes = 0;
  RasterArray full, viaOverview;
  {
    const RasterWindowReader reader( counted );
    QVERIFY2( reader.status(), qPrintable( reader.status().message() ) );
    test::CountingVsi::reset();
    QVERIFY( reader.readLevel( -1, { 1 }, PixelWindow { 0, 0, N, N }, QSize( N, N ), Resampling::Nearest, full ) );
    fullBytes = test::CountingVsi::bytesRead();
  }
  {
    const RasterWindowReader reader( counted );
    const int level = reader.selectOverviewLevel( RES * 8 );
    QCOMPARE( level, 2 );
    test::CountingVsi::reset();
    QVERIFY( reader.readLevel( level, { 1 }, PixelWindow { 0, 0, N, N }, out, Resampling::Average, viaOverview ) );
    overviewBytes = test::CountingVsi::bytesRead();
  }
  const double saved = 1.0 - double( overviewBytes ) / double( fullBytes );
  qInfo( "bytes read: full resolution %llu, overview 1/8 %llu: %.1f %% less", static_cast<unsigned long long>( fullBytes ),
         static_cast<unsigned long long>( overviewBytes ), 100.0 * saved );
  QVERIFY( fullBytes > 1000000 );
  QVERIFY2( saved >= 0.60, qPrintable( QString::number( saved ) ) );

  // The full-resolution read averaged over 8 x 8 pixels, our own box filter.
  std::vector<double> boxed( static_cast<size_t>( out.width() ) * out.height() ), got( boxed.size() );
  for ( int r = 0; r < out.height(); ++r )
    for ( int c = 0; c < out.width(); ++c )
    {
      double sum = 0;
      for ( int y = 0; y < 8; ++y )
        for ( int x = 0; x < 8; ++x )
          sum += full.at( 0, r * 8 + y, c * 8 + x );
      boxed[static_cast<size_t>( r ) * out.width() + c] = sum / 64.0;
      got[static_cast<size_t>( r ) * out.width() + c] = viaOverview.at( 0, r, c );
    }
  const auto [lo, hi] = std::minmax_element( boxed.begin(), boxed.end() );
  const double ssim = Ssim::compare( got, boxed, out.width(), out.height(), *hi - *lo );
  qInfo( "SSIM of the overview read against the averaged full-resolution read: %.6f", ssim );
  QVERIFY2( ssim >= 0.99, qPrintable( QString::number( ssim ) ) );
}

void TestRasterOverview::processingLevels()
{
  // gridshade:readrasterwindow reports the level it read: GDAL's choice at 1/7 is the third
  // overview (8x); OVERVIEW forces a level, and its pixels are that level's.
  const QgsProcessingAlgorithm *alg = QgsApplication::processingRegistry()->algorithmById( QStringLiteral( "gridshade:readrasterwindow" ) );
  QVERIFY( alg );
  const RasterWindowReader reader( mPath );
  for ( int overview : { -1, 0, 1, 4 } )
  {
    const QString output = mDir.filePath( QStringLiteral( "level_%1.tif" ).arg( overview + 1 ) );
    const QVariantMap params { { QStringLiteral( "INPUT" ), mPath }, { QStringLiteral( "WIDTH" ), 292 }, { QStringLiteral( "HEIGHT" ), 292 },
                               { QStringLiteral( "OVERVIEW" ), overview }, { QStringLiteral( "OUTPUT" ), output } };
    QgsProcessingContext context;
    QgsProcessingFeedback feedback;
    bool ok = false;
    const QVariantMap results = alg->run( params, context, &feedback, &ok );
    QVERIFY( ok );
    const int expectedLevel = overview < 0 ? 3 : overview;
    QCOMPARE( results.value( QStringLiteral( "OVERVIEW_LEVEL" ) ).toInt(), expectedLevel );
    RasterArray expected;
    QVERIFY( reader.readLevel( expectedLevel - 1, { 1 }, PixelWindow { 0, 0, N, N }, QSize( 292, 292 ), Resampling::Nearest, expected ) );
    GDALDatasetH ds = GDALOpen( output.toUtf8().constData(), GA_ReadOnly );
    std::vector<double> got( expected.values.size() );
    QCOMPARE( GDALRasterIO( GDALGetRasterBand( ds, 1 ), GF_Read, 0, 0, 292, 292, got.data(), 292, 292, GDT_Float64, 0, 0 ), CE_None );
    GDALClose( ds );
    QVERIFY( got == expected.values );
  }
}

GRIDSHADE_QGIS_TEST_MAIN( TestRasterOverview )
#include "test_raster_overview.moc"
