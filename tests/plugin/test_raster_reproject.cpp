// SPDX-License-Identifier: GPL-2.0-or-later
// Reprojection of a raster window through GDAL's warper, against gdalwarp (GDAL's utility API)
// on the same GDAL-written fixture: geotransform within 1e-6, SSIM >= 0.99, the destination CRS
// exactly as given, and control points (3 x 3 markers written at known coordinates, projected
// with OGR) found within 0.5 pixel of where they belong.
#include "checks/ssim.h"
#include "plugin_test_support.h"
#include "qgis_compat.h"
#include "raster/raster_reprojector.h"

#include <qgsapplication.h>
#include <qgscoordinatereferencesystem.h>
#include <qgsprocessingalgorithm.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingregistry.h>

#include <gdal.h>
#include <cpl_conv.h>
#include <gdal_utils.h>
#include <ogr_srs_api.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace gridshade;

namespace
{

constexpr int W = 600, H = 400;
constexpr double X0 = 460000.0, Y0 = 5280000.0, RES = 30.0, NODATA = -9999.0, MARK = 5000.0;
const QList<QPoint> MARKERS { { 60, 50 }, { 300, 200 }, { 540, 60 }, { 100, 350 }, { 480, 330 } };

bool nearMarker( int c, int r )
{
  for ( const QPoint &m : MARKERS )
    if ( std::abs( c - m.x() ) <= 1 && std::abs( r - m.y() ) <= 1 )
      return true;
  return false;
}

QString writeFixture( const QString &path )
{
  GDALAllRegister();
  const char *options[] = { "TILED=YES", nullptr };
  GDALDatasetH ds = GDALCreate( GDALGetDriverByName( "GTiff" ), path.toUtf8().constData(), W, H, 1, GDT_Float32, const_cast<char **>( options ) );
  if ( !ds )
    return QString::fromUtf8( CPLGetLastErrorMsg() );
  double gt[6] = { X0, RES, 0, Y0, 0, -RES };
  GDALSetGeoTransform( ds, gt );
  GDALSetProjection( ds, "EPSG:32632" );
  GDALSetRasterNoDataValue( GDALGetRasterBand( ds, 1 ), NODATA );
  std::vector<float> row( W );
  for ( int r = 0; r < H; ++r )
  {
    for ( int c = 0; c < W; ++c )
    {
      double v = 1000.0 + 400.0 * std::sin( c / 40.0 ) * std::cos( r / 55.0 );
      if ( nearMarker( c, r ) )
        v = MARK;
      else if ( std::hypot( c - 200.0, r - 300.0 ) < 25.0 )
        v = NODATA;
      row[c] = static_cast<float>( v );
    }
    if ( GDALRasterIO( GDALGetRasterBand( ds, 1 ), GF_Write, 0, r, W, 1, row.data(), W, 1, GDT_Float32, 0, 0 ) != CE_None )
      return QString::fromUtf8( CPLGetLastErrorMsg() );
  }
  GDALClose( ds );
  return QString();
}

QString wktOf( const char *definition )
{
  OGRSpatialReferenceH srs = OSRNewSpatialReference( nullptr );
  OSRSetFromUserInput( srs, definition );
  char *wkt = nullptr;
  OSRExportToWkt( srs, &wkt );
  const QString result = QString::fromUtf8( wkt );
  CPLFree( wkt );
  OSRDestroySpatialReference( srs );
  return result;
}

} // namespace

class TestRasterReproject : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void suggestedGridMatchesGdalwarp_data();
    void suggestedGridMatchesGdalwarp();
    void ssimAgainstGdalwarp_data();
    void ssimAgainstGdalwarp();
    void controlPoints_data();
    void controlPoints();
    void errors();
    void processingTargetCrs();

  private:
    QTemporaryDir mDir;
    QString mPath;
};

void TestRasterReproject::initTestCase()
{
  QVERIFY( test::startQgis() );
  mPath = mDir.filePath( QStringLiteral( "utm_dem.tif" ) );
  QCOMPARE( writeFixture( mPath ), QString() );
}

void TestRasterReproject::cleanupTestCase()
{
  test::stopQgis();
}

void TestRasterReproject::suggestedGridMatchesGdalwarp_data()
{
  QTest::addColumn<QString>( "crs" );
  QTest::newRow( "EPSG:4326" ) << QStringLiteral( "EPSG:4326" );
  QTest::newRow( "EPSG:3857" ) << QStringLiteral( "EPSG:3857" );
}

void TestRasterReproject::suggestedGridMatchesGdalwarp()
{
  QFETCH( QString, crs );
  ReprojectionRequest request;
  request.dstCrsWkt = wktOf( crs.toUtf8().constData() );
  RasterArray out;
  std::vector<uint8_t> alpha;
  QVERIFY2( reprojectWindow( mPath, request, out, &alpha ), "reprojection failed" );
  QCOMPARE( out.crsWkt, request.dstCrsWkt ); // the CRS exactly as given
  GDALDatasetH ref = test::gdalwarp( mPath, { QStringLiteral( "-t_srs" ), crs } );
  QVERIFY( ref );
  double gt[6];
  GDALGetGeoTransform( ref, gt );
  QCOMPARE( out.width, GDALGetRasterXSize( ref ) );
  QCOMPARE( out.height, GDALGetRasterYSize( ref ) );
  for ( int i = 0; i < 6; ++i )
    QVERIFY2( std::fabs( out.transform.c[i] - gt[i] ) <= 1e-6 * std::max( 1.0, std::fabs( gt[i] ) ),
              qPrintable( QStringLiteral( "gt[%1]: %2 vs gdalwarp %3" ).arg( i ).arg( out.transform.c[i], 0, 'g', 17 ).arg( gt[i], 0, 'g', 17 ) ) );
  GDALClose( ref );
  // The nodata hole and the area outside the source are masked.
  const size_t masked = std::count( alpha.begin(), alpha.end(), uint8_t( 0 ) );
  QVERIFY( masked > 0 && masked < alpha.size() / 2 );
}

void TestRasterReproject::ssimAgainstGdalwarp_data()
{
  QTest::addColumn<QString>( "crs" );
  QTest::addColumn<int>( "method" );
  for ( const QString &crs : { QStringLiteral( "EPSG:4326" ), QStringLiteral( "EPSG:3857" ) } )
    for ( Resampling m : { Resampling::Nearest, Resampling::Bilinear, Resampling::Cubic, Resampling::Average } )
      QTest::newRow( qPrintable( crs + QLatin1Char( ' ' ) + resamplingName( m ) ) ) << crs << int( m );
}

void TestRasterReproject::ssimAgainstGdalwarp()
{
  QFETCH( QString, crs );
  QFETCH( int, method );
  // A window inside the footprint at a chosen size: our warped VRT against gdalwarp -te -ts -r.
  ReprojectionRequest request;
  request.dstCrsWkt = wktOf( crs.toUtf8().constData() );
  RasterArray whole;
  QVERIFY( reprojectWindow( mPath, request, whole ) );
  const double *g = whole.transform.c;
  const double xmin = g[0] + 0.2 * whole.width * g[1], xmax = g[0] + 0.8 * whole.width * g[1];
  const double ymax = g[3] + 0.2 * whole.height * g[5], ymin = g[3] + 0.8 * whole.height * g[5];
  request.hasExtent = true;
  request.extent = QgsRectangle( xmin, ymin, xmax, ymax );
  request.size = QSize( 300, 200 );
  request.method = static_cast<Resampling>( method );
  RasterArray out;
  QVERIFY( reprojectWindow( mPath, request, out ) );
  const QString r = resamplingName( request.method ) == QLatin1String( "nearest" ) ? QStringLiteral( "near" ) : resamplingName( request.method );
  GDALDatasetH ref = test::gdalwarp( mPath, { QStringLiteral( "-t_srs" ), crs, QStringLiteral( "-r" ), r, QStringLiteral( "-et" ), QStringLiteral( "0" ),
                                         QStringLiteral( "-te" ), QString::number( xmin, 'g', 17 ), QString::number( ymin, 'g', 17 ),
                                         QString::number( xmax, 'g', 17 ), QString::number( ymax, 'g', 17 ), QStringLiteral( "-ts" ),
                                         QStringLiteral( "300" ), QStringLiteral( "200" ), QStringLiteral( "-dstnodata" ), QStringLiteral( "nan" ) } );
  QVERIFY( ref );
  std::vector<double> expected( 300 * 200 );
  QCOMPARE( GDALRasterIO( GDALGetRasterBand( ref, 1 ), GF_Read, 0, 0, 300, 200, expected.data(), 300, 200, GDT_Float64, 0, 0 ), CE_None );
  GDALClose( ref );
  // SSIM over the pixels valid in both (NaN -> 0 in both, so masks must agree too).
  std::vector<double> a = out.values, b = expected;
  int disagree = 0;
  for ( size_t p = 0; p < a.size(); ++p )
  {
    disagree += std::isnan( a[p] ) != std::isnan( b[p] );
    if ( std::isnan( a[p] ) || std::isnan( b[p] ) )
      a[p] = b[p] = 0.0;
  }
  QVERIFY2( disagree <= 6, qPrintable( QStringLiteral( "%1 pixels masked in one only" ).arg( disagree ) ) );
  const double ssim = Ssim::compare( a, b, 300, 200, MARK );
  qInfo( "SSIM against gdalwarp %.6f, %d pixels masked in one only", ssim, disagree );
  QVERIFY2( ssim >= 0.99, qPrintable( QStringLiteral( "SSIM %1" ).arg( ssim ) ) );
}

void TestRasterReproject::controlPoints_data()
{
  QTest::addColumn<QString>( "crs" );
  QTest::newRow( "EPSG:4326" ) << QStringLiteral( "EPSG:4326" );
  QTest::newRow( "EPSG:3857" ) << QStringLiteral( "EPSG:3857" );
}

void TestRasterReproject::controlPoints()
{
  QFETCH( QString, crs );
  ReprojectionRequest request;
  request.dstCrsWkt = wktOf( crs.toUtf8().constData() );
  // Bilinear spreads each marker smoothly, so that its weighted centroid is sub-pixel exact.
  request.method = Resampling::Bilinear;
  RasterArray out;
  QVERIFY( reprojectWindow( mPath, request, out ) );
  OGRSpatialReferenceH srcSrs = OSRNewSpatialReference( nullptr ), dstSrs = OSRNewSpatialReference( nullptr );
  OSRSetFromUserInput( srcSrs, "EPSG:32632" );
  OSRSetFromUserInput( dstSrs, crs.toUtf8().constData() );
  OSRSetAxisMappingStrategy( srcSrs, OAMS_TRADITIONAL_GIS_ORDER );
  OSRSetAxisMappingStrategy( dstSrs, OAMS_TRADITIONAL_GIS_ORDER );
  OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation( srcSrs, dstSrs );
  QVERIFY( ct );
  double worst = 0;
  for ( const QPoint &m : MARKERS )
  {
    double x = X0 + ( m.x() + 0.5 ) * RES, y = Y0 - ( m.y() + 0.5 ) * RES;
    QVERIFY( OCTTransform( ct, 1, &x, &y, nullptr ) );
    double col, row;
    QVERIFY( out.transform.invert( x, y, col, row ) );
    // The marker's centroid in the output, weighted by its height above the terrain (at most
    // 1400), searched around the expected place.
    double sc = 0, sr = 0, n = 0;
    for ( int r = int( row ) - 6; r <= int( row ) + 6; ++r )
      for ( int c = int( col ) - 6; c <= int( col ) + 6; ++c )
      {
        const double v = r >= 0 && c >= 0 && r < out.height && c < out.width ? out.at( 0, r, c ) : 0.0;
        if ( v > 2000.0 )
        {
          sc += ( c + 0.5 ) * ( v - 2000.0 );
          sr += ( r + 0.5 ) * ( v - 2000.0 );
          n += v - 2000.0;
        }
      }
    QVERIFY2( n > 0, qPrintable( QStringLiteral( "marker %1,%2 not found" ).arg( m.x() ).arg( m.y() ) ) );
    worst = std::max( worst, std::hypot( sc / n - col, sr / n - row ) );
  }
  OCTDestroyCoordinateTransformation( ct );
  OSRDestroySpatialReference( srcSrs );
  OSRDestroySpatialReference( dstSrs );
  qInfo( "%s: worst control point error %.3f px", qPrintable( crs ), worst );
  QVERIFY2( worst <= 0.5, qPrintable( QString::number( worst ) ) );
}

void TestRasterReproject::errors()
{
  ReprojectionRequest request;
  RasterArray out;
  QVERIFY( reprojectWindow( mPath, request, out ).message().contains( QStringLiteral( "no destination CRS" ) ) );
  request.dstCrsWkt = wktOf( "EPSG:4326" );
  request.bands = { 2 };
  QVERIFY( reprojectWindow( mPath, request, out ).message().contains( QStringLiteral( "band 2" ) ) );
  request.bands = {};
  QVERIFY( reprojectWindow( mDir.filePath( QStringLiteral( "missing.tif" ) ), request, out ).message().contains( QStringLiteral( "cannot open" ) ) );
}

void TestRasterReproject::processingTargetCrs()
{
  // gridshade:readrasterwindow with TARGET_CRS: the same grid and values as reprojectWindow(),
  // written with the target CRS.
  const QgsProcessingAlgorithm *alg = QgsApplication::processingRegistry()->algorithmById( QStringLiteral( "gridshade:readrasterwindow" ) );
  QVERIFY( alg );
  const QString output = mDir.filePath( QStringLiteral( "warped.tif" ) );
  const QVariantMap params { { QStringLiteral( "INPUT" ), mPath }, { QStringLiteral( "TARGET_CRS" ), QStringLiteral( "EPSG:3857" ) },
                             { QStringLiteral( "RESAMPLING" ), QStringLiteral( "bilinear" ) }, { QStringLiteral( "OUTPUT" ), output } };
  QgsProcessingContext context;
  QgsProcessingFeedback feedback;
  bool ok = false;
  alg->run( params, context, &feedback, &ok );
  QVERIFY( ok );
  ReprojectionRequest request;
  request.dstCrsWkt = QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:3857" ) ).toWkt( qgiscompat::WKT_PREFERRED_GDAL );
  request.method = Resampling::Bilinear;
  RasterArray expected;
  QVERIFY( reprojectWindow( mPath, request, expected ) );
  GDALDatasetH ds = GDALOpen( output.toUtf8().constData(), GA_ReadOnly );
  QVERIFY( ds );
  QCOMPARE( GDALGetRasterXSize( ds ), expected.width );
  double gt[6];
  GDALGetGeoTransform( ds, gt );
  QCOMPARE( gt[0], expected.transform.c[0] );
  QCOMPARE( gt[5], expected.transform.c[5] );
  OGRSpatialReferenceH srs = OSRNewSpatialReference( GDALGetProjectionRef( ds ) );
  QCOMPARE( QString::fromLatin1( OSRGetAuthorityCode( srs, nullptr ) ), QStringLiteral( "3857" ) );
  OSRDestroySpatialReference( srs );
  std::vector<double> got( expected.values.size() );
  QCOMPARE( GDALRasterIO( GDALGetRasterBand( ds, 1 ), GF_Read, 0, 0, expected.width, expected.height, got.data(), expected.width, expected.height,
                          GDT_Float64, 0, 0 ), CE_None );
  GDALClose( ds );
  for ( size_t p = 0; p < got.size(); ++p )
    QVERIFY( got[p] == expected.values[p] || ( std::isnan( got[p] ) && std::isnan( expected.values[p] ) ) );
}

GRIDSHADE_QGIS_TEST_MAIN( TestRasterReproject )
#include "test_raster_reproject.moc"
