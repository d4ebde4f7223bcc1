// SPDX-License-Identifier: GPL-2.0-or-later
// Rasters in the density layer: the canvas read against GDAL itself (full-resolution cells
// regridded by an exact-overlap brute force; overview pixels read straight from the overview
// band; gdalwarp onto the same canvas grid), the layer through QGIS's parallel job against
// goldens at Z0/Z4/Z8/Z12 of a generated DEM and against the engine called directly, options,
// project round trip and errors.
//
// Regenerate goldens on purpose only: GRIDSHADE_UPDATE_GOLDENS=1, then look at goldens/raster_layer/.
#include "layer/density_layer.h"
#include "qgis_compat.h"
#include "plugin_test_support.h"
#include "raster/raster_canvas_reader.h"
#include "shading/raster_shading.h"
#include "checks/ssim.h"
#include "scene/standard_zooms.h"

#include <qgsapplication.h>
#include <qgscoordinatetransform.h>
#include <qgsproject.h>

#include <gdal.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <functional>
#include <limits>

using namespace gridshade;

namespace
{

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr int DEM = 2048;

// A DEM-like surface: three mountains, ridges, a slope, fine ripples (unless \a smooth); NaN
// in a round lake.
double elevation( double c, double r, bool smooth = false )
{
  auto hill = [&]( double x, double y, double h, double s ) { return h * std::exp( -( ( c - x ) * ( c - x ) + ( r - y ) * ( r - y ) ) / ( 2 * s * s ) ); };
  if ( std::hypot( c - 1300.0, r - 700.0 ) < 150.0 )
    return NaN;
  return 400 + hill( 600, 800, 2200, 260 ) + hill( 1500, 1400, 1600, 180 ) + hill( 900, 1700, 900, 90 )
         + 60 * std::sin( c / 37.0 ) * std::cos( r / 53.0 ) + ( smooth ? 0.0 : 25 * std::sin( ( c + 2 * r ) / 11.0 ) ) + 0.2 * c;
}

// Writes a tiled float32 GeoTIFF of cells(c, r), NaN nodata, with AVERAGE overviews when asked.
QString writeRaster( const QString &path, int w, int h, const double gt[6], const char *crs, const std::function<double( int, int )> &cells,
                     bool overviews )
{
  GDALAllRegister();
  const char *options[] = { "TILED=YES", nullptr };
  GDALDatasetH ds = GDALCreate( GDALGetDriverByName( "GTiff" ), path.toUtf8().constData(), w, h, 1, GDT_Float32, const_cast<char **>( options ) );
  if ( !ds )
    return QString::fromUtf8( CPLGetLastErrorMsg() );
  GDALSetGeoTransform( ds, const_cast<double *>( gt ) );
  GDALSetProjection( ds, crs );
  GDALRasterBandH band = GDALGetRasterBand( ds, 1 );
  GDALSetRasterNoDataValue( band, NaN );
  std::vector<float> row( w );
  for ( int r = 0; r < h; ++r )
  {
    for ( int c = 0; c < w; ++c )
      row[c] = static_cast<float>( cells( c, r ) );
    if ( GDALRasterIO( band, GF_Write, 0, r, w, 1, row.data(), w, 1, GDT_Float32, 0, 0 ) != CE_None )
      return QString::fromUtf8( CPLGetLastErrorMsg() );
  }
  int levels[] = { 2, 4, 8, 16, 32, 64 };
  if ( overviews && GDALBuildOverviews( ds, "AVERAGE", 6, levels, 0, nullptr, nullptr, nullptr ) != CE_None )
    return QString::fromUtf8( CPLGetLastErrorMsg() );
  GDALClose( ds );
  return QString();
}

// Full-resolution cells of band 1 (float32 -> double, as GDAL converts them).
std::vector<double> readAll( const QString &path, int &w, int &h )
{
  GDALDatasetH ds = GDALOpen( path.toUtf8().constData(), GA_ReadOnly );
  w = GDALGetRasterXSize( ds );
  h = GDALGetRasterYSize( ds );
  std::vector<double> v( size_t( w ) * h );
  if ( GDALRasterIO( GDALGetRasterBand( ds, 1 ), GF_Read, 0, 0, w, h, v.data(), w, h, GDT_Float64, 0, 0 ) != CE_None )
    v.clear();
  GDALClose( ds );
  return v;
}

// The mean of the cells under one canvas pixel, by exact overlaps over the whole raster row
// and column ranges (independent of the reader's windows and decimation).
bool bruteMean( const std::vector<double> &cells, int w, int h, double ax, double bx, double ay, double by, double &out )
{
  const double cx = ( ax + bx ) / 2, cy = ( ay + by ) / 2;
  if ( cx < 0 || cx >= w || cy < 0 || cy >= h )
    return false;
  double sum = 0, weights = 0;
  for ( int r = std::max( 0, int( std::floor( ay ) ) ); r < std::min( h, int( std::ceil( by ) ) ); ++r )
    for ( int c = std::max( 0, int( std::floor( ax ) ) ); c < std::min( w, int( std::ceil( bx ) ) ); ++c )
    {
      const double o = std::max( 0.0, std::min( bx, c + 1.0 ) - std::max( ax, double( c ) ) ) * std::max( 0.0, std::min( by, r + 1.0 ) - std::max( ay, double( r ) ) );
      const double v = cells[size_t( r ) * w + c];
      if ( o > 1e-10 && std::isfinite( v ) )
      {
        sum += o * v;
        weights += o;
      }
    }
  if ( weights <= 0 )
    return false;
  out = sum / weights;
  return true;
}

// Values as grey levels over [lo, hi] (transparent where invalid), for SSIM between grids.
QImage grey( const std::vector<double> &v, const QSize &size, double lo, double hi )
{
  QImage img( size, QImage::Format_RGBA8888 );
  for ( int y = 0; y < size.height(); ++y )
    for ( int x = 0; x < size.width(); ++x )
    {
      const double d = v[size_t( y ) * size.width() + x];
      const int g = std::isfinite( d ) ? std::clamp( int( 255 * ( d - lo ) / ( hi - lo ) ), 0, 255 ) : 0;
      img.setPixelColor( x, y, std::isfinite( d ) ? QColor( g, g, g, 255 ) : QColor( 0, 0, 0, 0 ) );
    }
  return img;
}

} // namespace

class TestRasterLayer : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void fullResolutionMatchesBruteForce();
    void decimatedReadIsTheOverview();
    void decimationReadsItsLevel();
    void reprojectionMatchesGdalwarp_data();
    void reprojectionMatchesGdalwarp();
    void goldens_data();
    void goldens();
    void options();
    void projectRoundTrip();
    void overridesCrsAndNodata();
    void errors();

  private:
    QTemporaryDir mDir;
    QString mDem;     // EPSG:3857, 2048 x 2048 at the Z9 resolution around the scene centre, overviews
    QString mGeo;     // EPSG:4326, 1600 x 1200 at 0.00125 degrees, no overviews
    double mDemGt[6];
};

void TestRasterLayer::initTestCase()
{
  QVERIFY( test::startQgis() );
  QVERIFY( mDir.isValid() );
  const Extent z8 = standard::viewport( 8 ).extent();
  const double res = standard::resolution( 9 ), cx = ( z8.xmin + z8.xmax ) / 2, cy = ( z8.ymin + z8.ymax ) / 2;
  const double gt[6] = { cx - DEM / 2 * res, res, 0, cy + DEM / 2 * res, 0, -res };
  std::copy( gt, gt + 6, mDemGt );
  mDem = mDir.filePath( QStringLiteral( "dem.tif" ) );
  const QString e = writeRaster( mDem, DEM, DEM, gt, "EPSG:3857", []( int c, int r ) { return elevation( c, r ); }, true );
  QVERIFY2( e.isEmpty(), qPrintable( e ) );
  const double geoGt[6] = { 7.0, 0.00125, 0, 48.2, 0, -0.00125 };
  mGeo = mDir.filePath( QStringLiteral( "geo.tif" ) );
  const QString e2 = writeRaster( mGeo, 1600, 1200, geoGt, "EPSG:4326", []( int c, int r ) { return elevation( c * 1.25, r * 1.5, true ); }, false );
  QVERIFY2( e2.isEmpty(), qPrintable( e2 ) );
}

void TestRasterLayer::cleanupTestCase()
{
  test::stopQgis();
}

void TestRasterLayer::fullResolutionMatchesBruteForce()
{
  // A canvas finer than 2 cells per pixel reads full-resolution cells: every pixel is the
  // area-weighted mean of the cells under it, computed here over the whole raster.
  int w = 0, h = 0;
  const std::vector<double> cells = readAll( mDem, w, h );
  const RasterWindowReader reader( mDem );
  CanvasGrid canvas;
  const double x0 = mDemGt[0] + 1100.3 * mDemGt[1], y1 = mDemGt[3] + 500.7 * mDemGt[5]; // fractional corner
  canvas.size = QSize( 317, 211 );
  const double px = 1.37 * mDemGt[1]; // 1.37 cells per pixel
  canvas.extent = QgsRectangle( x0, y1 - canvas.size.height() * px, x0 + canvas.size.width() * px, y1 );
  CanvasRaster out;
  QVERIFY( readRasterOnCanvas( reader, canvas, CanvasRasterOptions(), out ) );
  QCOMPARE( out.decimation, 1 );
  int compared = 0;
  for ( int j = 0; j < canvas.size.height(); ++j )
    for ( int i = 0; i < canvas.size.width(); ++i )
    {
      double expected = 0;
      const bool ok = bruteMean( cells, w, h, 1100.3 + i * 1.37, 1100.3 + ( i + 1 ) * 1.37, 500.7 + j * 1.37, 500.7 + ( j + 1 ) * 1.37, expected );
      const size_t k = size_t( j ) * canvas.size.width() + i;
      QCOMPARE( out.alpha[k] != 0, ok );
      if ( ok )
        QVERIFY2( std::abs( out.values[k] - expected ) < 1e-9 * std::max( 1.0, std::abs( expected ) ),
                  qPrintable( QStringLiteral( "%1,%2: %3 vs %4" ).arg( i ).arg( j ).arg( out.values[k] ).arg( expected ) ) );
      compared += ok;
    }
  QVERIFY( compared > canvas.size.width() * canvas.size.height() / 2 ); // the lake is in view
  QVERIFY( compared < canvas.size.width() * canvas.size.height() );
}

void TestRasterLayer::decimatedReadIsTheOverview()
{
  // The whole DEM on 256 x 256 pixels is 8 cells per pixel: read at 1/8, which GDAL serves from
  // the 1/8 overview, pixel for pixel, so the canvas shows exactly that overview's pixels.
  const RasterWindowReader reader( mDem );
  CanvasGrid canvas;
  canvas.size = QSize( 256, 256 );
  canvas.extent = QgsRectangle( mDemGt[0], mDemGt[3] + DEM * mDemGt[5], mDemGt[0] + DEM * mDemGt[1], mDemGt[3] );
  CanvasRaster out;
  QVERIFY( readRasterOnCanvas( reader, canvas, CanvasRasterOptions(), out ) );
  QCOMPARE( out.decimation, 8 );
  QCOMPARE( out.readSize, QSize( 256, 256 ) );
  GDALDatasetH ds = GDALOpen( mDem.toUtf8().constData(), GA_ReadOnly );
  GDALRasterBandH ov = GDALGetOverview( GDALGetRasterBand( ds, 1 ), 2 );
  QCOMPARE( GDALGetRasterBandXSize( ov ), 256 );
  std::vector<double> expected( 256 * 256 );
  QCOMPARE( GDALRasterIO( ov, GF_Read, 0, 0, 256, 256, expected.data(), 256, 256, GDT_Float64, 0, 0 ), CE_None );
  GDALClose( ds );
  for ( size_t k = 0; k < expected.size(); ++k )
  {
    QCOMPARE( std::isnan( out.values[k] ), std::isnan( expected[k] ) );
    if ( !std::isnan( expected[k] ) )
      QCOMPARE( out.values[k], expected[k] );
  }
}

void TestRasterLayer::decimationReadsItsLevel()
{
  // A value-coded raster: 1 at full resolution, each overview filled with its own factor (2, 4,
  // ... 64), 2000 x 1500 so that overview factors are not exact powers of two on y. Whatever
  // the canvas, the mean of a constant is that constant, so every cell drawn tells which level
  // GDAL really read: it must be the level of the decimation the layer reports (64 at most).
  const QString path = mDir.filePath( QStringLiteral( "coded.tif" ) );
  const double gt[6] = { 400000, 10, 0, 5200000, 0, -10 };
  QVERIFY( writeRaster( path, 2000, 1500, gt, "EPSG:32632", []( int, int ) { return 1.0; }, true ).isEmpty() );
  GDALDatasetH ds = GDALOpen( path.toUtf8().constData(), GA_Update );
  for ( int k = 0; k < 6; ++k )
    QCOMPARE( GDALFillRaster( GDALGetOverview( GDALGetRasterBand( ds, 1 ), k ), double( 2 << k ), 0 ), CE_None );
  GDALClose( ds );
  const RasterWindowReader reader( path );
  int cases = 0;
  for ( double cellsPerPixel : { 1.3, 1.99, 2.0, 2.5, 3.99, 4.7, 7.3, 8.0, 9.6, 16.2, 23.0, 40.0, 70.0 } )
    for ( double shift : { 0.0, 0.37, 0.5 } )
    {
      CanvasGrid canvas;
      canvas.size = QSize( 211, 157 );
      const double px = cellsPerPixel * gt[1], x0 = gt[0] + ( 3.0 + shift ) * gt[1], y1 = gt[3] - ( 5.0 + shift ) * gt[1];
      canvas.extent = QgsRectangle( x0, y1 - canvas.size.height() * px, x0 + canvas.size.width() * px, y1 );
      CanvasRaster out;
      QVERIFY( readRasterOnCanvas( reader, canvas, CanvasRasterOptions(), out ) );
      const double expected = std::min( out.decimation, 64 );
      int drawn = 0;
      for ( size_t k = 0; k < out.values.size(); ++k )
        if ( out.alpha[k] )
        {
          QVERIFY2( out.values[k] == expected, qPrintable( QStringLiteral( "%1 cells/px, shift %2: decimation %3 but a cell of level value %4" )
                                                              .arg( cellsPerPixel ).arg( shift ).arg( out.decimation ).arg( out.values[k] ) ) );
          ++drawn;
        }
      QVERIFY( drawn > 0 );
      ++cases;
    }
  QCOMPARE( cases, 39 );
}

void TestRasterLayer::reprojectionMatchesGdalwarp_data()
{
  QTest::addColumn<int>( "pixelsAcross" );
  QTest::addColumn<QString>( "method" );
  QTest::addColumn<int>( "agg" );
  QTest::addColumn<int>( "decimation" );
  QTest::newRow( "mean, full resolution" ) << 600 << QStringLiteral( "average" ) << int( RasterDownsample::Mean ) << 1;
  QTest::newRow( "mean, 1/4" ) << 160 << QStringLiteral( "average" ) << int( RasterDownsample::Mean ) << 4;
  QTest::newRow( "max, full resolution" ) << 600 << QStringLiteral( "max" ) << int( RasterDownsample::Max ) << 1;
  QTest::newRow( "linear, upsampled" ) << 1200 << QStringLiteral( "bilinear" ) << int( RasterDownsample::Mean ) << 1;
}

void TestRasterLayer::reprojectionMatchesGdalwarp()
{
  // A 4326 raster on a 3857 canvas, against gdalwarp of the full-resolution file onto the same
  // grid with the warper's equivalent method.
  QFETCH( int, pixelsAcross );
  QFETCH( QString, method );
  QFETCH( int, agg );
  QFETCH( int, decimation );
  const QgsCoordinateReferenceSystem geo( QStringLiteral( "EPSG:4326" ) ), merc( QStringLiteral( "EPSG:3857" ) );
  const QgsCoordinateTransform toMerc( geo, merc, QgsProject::instance()->transformContext() );
  const QgsRectangle inGeo( 7.3, 47.0, 8.7, 48.0 );
  CanvasGrid canvas;
  canvas.extent = toMerc.transformBoundingBox( inGeo );
  canvas.size = QSize( pixelsAcross, static_cast<int>( std::lround( pixelsAcross * canvas.extent.height() / canvas.extent.width() ) ) );
  canvas.sameCrs = false;
  canvas.crsWkt = merc.toWkt( qgiscompat::WKT_PREFERRED_GDAL );
  canvas.sourceExtent = toMerc.transformBoundingBox( canvas.extent, Qgis::TransformDirection::Reverse );
  CanvasRasterOptions options;
  options.down = static_cast<RasterDownsample>( agg );
  const RasterWindowReader reader( mGeo );
  CanvasRaster out;
  QVERIFY( readRasterOnCanvas( reader, canvas, options, out ) );
  QCOMPARE( out.decimation, decimation );

  const QStringList args { QStringLiteral( "-t_srs" ), QStringLiteral( "EPSG:3857" ), QStringLiteral( "-te" ),
                           QString::number( canvas.extent.xMinimum(), 'g', 17 ), QString::number( canvas.extent.yMinimum(), 'g', 17 ),
                           QString::number( canvas.extent.xMaximum(), 'g', 17 ), QString::number( canvas.extent.yMaximum(), 'g', 17 ),
                           QStringLiteral( "-ts" ), QString::number( canvas.size.width() ), QString::number( canvas.size.height() ),
                           QStringLiteral( "-r" ), method };
  GDALDatasetH warped = static_cast<GDALDatasetH>( test::gdalwarp( mGeo, args ) );
  QVERIFY( warped );
  QCOMPARE( QSize( GDALGetRasterXSize( warped ), GDALGetRasterYSize( warped ) ), canvas.size );
  std::vector<double> expected( size_t( canvas.size.width() ) * canvas.size.height() );
  QCOMPARE( GDALRasterIO( GDALGetRasterBand( warped, 1 ), GF_Read, 0, 0, canvas.size.width(), canvas.size.height(), expected.data(),
                          canvas.size.width(), canvas.size.height(), GDT_Float64, 0, 0 ),
            CE_None );
  GDALClose( warped );
  long long maskDisagree = 0;
  for ( size_t k = 0; k < expected.size(); ++k )
    maskDisagree += std::isfinite( expected[k] ) != ( out.alpha[k] != 0 );
  QVERIFY2( maskDisagree <= static_cast<long long>( expected.size() / 200 ), qPrintable( QString::number( maskDisagree ) ) );
  const double ssim = Ssim::compareImages( grey( out.values, canvas.size, 0, 3000 ), grey( expected, canvas.size, 0, 3000 ) );
  qInfo( "%s: SSIM %.6f, %lld of %zu mask differences", QTest::currentDataTag(), ssim, maskDisagree, expected.size() );
  QVERIFY2( ssim >= 0.99, qPrintable( QString::number( ssim, 'f', 6 ) ) );
}

void TestRasterLayer::goldens_data()
{
  QTest::addColumn<int>( "zoom" );
  QTest::addColumn<int>( "decimation" );
  // Cells per pixel: Z0 512, Z4 32, Z8 2, Z12 1/8.
  QTest::newRow( "Z0" ) << 0 << 512;
  QTest::newRow( "Z4" ) << 4 << 32;
  QTest::newRow( "Z8" ) << 8 << 2;
  QTest::newRow( "Z12" ) << 12 << 1;
}

void TestRasterLayer::goldens()
{
  // The layer through QGIS's parallel job: equal to the engine called directly, and to the
  // reviewed golden.
  QFETCH( int, zoom );
  QFETCH( int, decimation );
  std::unique_ptr<DensityLayer> layer = test::createDensityLayer( QStringLiteral( "raster=%1&how=linear&cmap=viridis" ).arg( mDem ) );
  QVERIFY2( layer->lastError().isEmpty(), qPrintable( layer->lastError() ) );
  const Viewport vp = standard::viewport( zoom );
  const Extent &e = vp.extent();
  const QgsRectangle extent( e.xmin, e.ymin, e.xmax, e.ymax );
  QStringList errors;
  const QgsMapSettings settings = test::mapSettings( { layer.get() }, extent, QSize( vp.width(), vp.height() ) );
  const QImage image = test::straightRgba( test::render( settings, test::Job::Parallel, &errors ) );
  QVERIFY2( errors.isEmpty(), qPrintable( errors.join( '\n' ) ) );
  QCOMPARE( layer->renderStats().value( QStringLiteral( "decimation" ) ).toInt(), decimation );

  const RasterWindowReader reader( mDem );
  CanvasGrid canvas;
  canvas.extent = settings.visibleExtent(); // the extent QGIS renders (its own rounding)
  canvas.size = QSize( vp.width(), vp.height() );
  CanvasRaster direct;
  QVERIFY( readRasterOnCanvas( reader, canvas, CanvasRasterOptions(), direct ) );
  ShadeSettings shading;
  shading.how = How::Linear;
  shading.colormap = Colormap::named( QStringLiteral( "viridis" ) );
  RgbaImage shaded;
  QVERIFY( shadeRaster( direct.values.data(), direct.alpha.data(), canvas.size.width(), canvas.size.height(), shading, shaded ) );
  QCOMPARE( test::differingPixels( image, test::straightRgba( shaded.view() ) ), 0LL );
  QVERIFY( test::litPixels( image ) > 0 );

  const QString problem = test::compareGolden( image, QStringLiteral( "raster_layer/dem_z%1.png" ).arg( zoom ), 0.99 );
  QVERIFY2( problem.isEmpty(), qPrintable( problem ) );
}

void TestRasterLayer::options()
{
  DensitySettings s;
  QVERIFY( DensitySettings::fromUri( QStringLiteral( "raster=/x/dem.tif&band=2&agg=MAX&interpolate=nearest&how=log" ), s ) );
  QCOMPARE( s.raster, QStringLiteral( "/x/dem.tif" ) );
  QCOMPARE( s.band, 2 );
  QCOMPARE( s.agg, RasterDownsample::Max );
  QCOMPARE( s.interpolate, RasterUpsample::Nearest );
  DensitySettings again;
  QVERIFY( DensitySettings::fromUri( s.toUri(), again ) );
  QCOMPARE( again.toUri(), s.toUri() );
  QVERIFY( !s.toUri().contains( QStringLiteral( "reduction" ) ) );
  QVERIFY( !DensitySettings::fromUri( QStringLiteral( "raster=a.tif&agg=median" ), s ) );
  QVERIFY( !DensitySettings::fromUri( QStringLiteral( "raster=a.tif&interpolate=cubic" ), s ) );

  // Changing the method re-renders with it.
  std::unique_ptr<DensityLayer> layer = test::createDensityLayer( QStringLiteral( "raster=%1" ).arg( mDem ) );
  QCOMPARE( layer->setOption( QStringLiteral( "agg" ), QStringLiteral( "min" ) ), QString( "" ) );
  QCOMPARE( layer->settings().agg, RasterDownsample::Min );
  QVERIFY( layer->extent().contains( QgsPointXY( mDemGt[0] + 10, mDemGt[3] - 10 ) ) );
  QCOMPARE( layer->crs().authid(), QStringLiteral( "EPSG:3857" ) );
}

void TestRasterLayer::projectRoundTrip()
{
  QgsProject *project = QgsProject::instance();
  project->clear();
  DensityLayer *layer = test::createDensityLayer( QStringLiteral( "raster=%1&agg=mode&interpolate=nearest&cmap=fire" ).arg( mDem ), QStringLiteral( "DEM" ) ).release();
  project->addMapLayer( layer );
  const QString path = mDir.filePath( QStringLiteral( "raster.qgs" ) );
  QVERIFY( project->write( path ) );
  const QString options = layer->options();
  const QgsRectangle extent = layer->extent();
  project->clear();
  QVERIFY( project->read( path ) );
  const QList<QgsMapLayer *> layers = project->mapLayersByName( QStringLiteral( "DEM" ) );
  QCOMPARE( layers.size(), 1 );
  auto *restored = qobject_cast<DensityLayer *>( layers.first() );
  QVERIFY( restored );
  QCOMPARE( restored->options(), options );
  QCOMPARE( restored->extent(), extent );
  project->clear();
}

void TestRasterLayer::overridesCrsAndNodata()
{
  // crs=: a raster without a CRS (as arrays from the Python console are) draws exactly as the
  // same cells with that CRS in the file, on its own CRS and warped onto another.
  const QString bare = mDir.filePath( QStringLiteral( "bare.tif" ) );
  const QString withCrs = mDir.filePath( QStringLiteral( "with_crs.tif" ) );
  auto cells = []( int c, int r ) { return elevation( c, r ); };
  QVERIFY( writeRaster( bare, 512, 512, mDemGt, "", cells, false ).isEmpty() );
  QVERIFY( writeRaster( withCrs, 512, 512, mDemGt, "EPSG:3857", cells, false ).isEmpty() );
  std::unique_ptr<DensityLayer> assigned = test::createDensityLayer( QStringLiteral( "raster=%1&crs=EPSG:3857&how=linear" ).arg( bare ) );
  std::unique_ptr<DensityLayer> reference = test::createDensityLayer( QStringLiteral( "raster=%1&how=linear" ).arg( withCrs ) );
  QCOMPARE( assigned->lastError(), QString() );
  QCOMPARE( assigned->crs().authid(), QStringLiteral( "EPSG:3857" ) );
  const QgsRectangle e = reference->extent();
  const QgsRectangle view( e.xMinimum() + e.width() * 0.1, e.yMinimum() + e.height() * 0.2, e.xMaximum() - e.width() * 0.3, e.yMaximum() );
  for ( const QString &crs : { QStringLiteral( "EPSG:3857" ), QStringLiteral( "EPSG:4326" ) } )
  {
    const QgsCoordinateTransform toMap( QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:3857" ) ), QgsCoordinateReferenceSystem( crs ), QgsProject::instance() );
    const QgsRectangle mapView = toMap.transformBoundingBox( view );
    const QImage drawn = test::render( test::mapSettings( { assigned.get() }, mapView, QSize( 300, 260 ), crs ), test::Job::Parallel );
    QVERIFY( test::litPixels( test::straightRgba( drawn ) ) > 300 * 260 / 2 );
    QCOMPARE( drawn, test::render( test::mapSettings( { reference.get() }, mapView, QSize( 300, 260 ), crs ), test::Job::Parallel ) );
  }

  // nodata=: a value drawn as nothing, also in GDAL's decimated reads (4 x 4 cells per pixel, float32 means:
  // each pixel is the mean of the block's non-zero cells, computed here; transparent when all
  // of them are 0), as a count aggregate's empty cells must be.
  const QString zeros = mDir.filePath( QStringLiteral( "zeros.tif" ) );
  auto count = []( int c, int r ) { return ( c / 3 + r / 5 ) % 3 == 0 || ( c < 8 && r < 8 ) ? 0.0 : double( ( c * 7 + r * 3 ) % 11 + 1 ); };
  const double gt[6] = { 0, 1, 0, 64, 0, -1 };
  QVERIFY( writeRaster( zeros, 64, 64, gt, "EPSG:3857", count, false ).isEmpty() );
  RasterOverrides overrides;
  overrides.hasNodata = true;
  overrides.nodata = 0;
  const RasterWindowReader reader( zeros, overrides );
  CanvasGrid canvas;
  canvas.size = QSize( 16, 16 );
  canvas.extent = QgsRectangle( 0, 0, 64, 64 );
  CanvasRaster out;
  QVERIFY( readRasterOnCanvas( reader, canvas, CanvasRasterOptions(), out ) );
  QCOMPARE( out.decimation, 4 );
  for ( int j = 0; j < 16; ++j )
    for ( int i = 0; i < 16; ++i )
    {
      double sum = 0;
      int n = 0;
      for ( int r = 4 * j; r < 4 * j + 4; ++r )
        for ( int c = 4 * i; c < 4 * i + 4; ++c )
          if ( count( c, r ) != 0 )
          {
            sum += count( c, r );
            ++n;
          }
      const size_t k = size_t( j ) * 16 + i;
      QCOMPARE( out.alpha[k] != 0, n > 0 );
      if ( n > 0 )
        QVERIFY2( std::abs( out.values[k] - sum / n ) < 1e-5, qPrintable( QStringLiteral( "%1,%2: %3 vs %4" ).arg( i ).arg( j ).arg( out.values[k] ).arg( sum / n ) ) );
    }
  QVERIFY( !QFile::exists( zeros + QStringLiteral( ".aux.xml" ) ) ); // the file was not touched

  // Options: kept in the uri; refused where they mean nothing.
  DensitySettings s;
  QVERIFY( DensitySettings::fromUri( QStringLiteral( "raster=a.tif&crs=EPSG%3A2056&nodata=-9999" ), s ) );
  QCOMPARE( s.rasterCrs, QStringLiteral( "EPSG:2056" ) );
  QVERIFY( s.hasNodata && s.nodata == -9999 );
  DensitySettings again;
  QVERIFY( DensitySettings::fromUri( s.toUri(), again ) );
  QCOMPARE( again.toUri(), s.toUri() );
  AggregateSettings aggregation;
  ShadeSettings shading;
  QVERIFY( DensitySettings::fromUri( QStringLiteral( "source=/x.gpkg&nodata=0" ), s ) );
  const Status st = s.toEngine( aggregation, shading );
  QVERIFY2( !st && st.message().contains( QStringLiteral( "raster source" ) ), qPrintable( st.message() ) );
  std::unique_ptr<DensityLayer> wrong = test::createDensityLayer( QStringLiteral( "raster=%1&crs=EPSG:999999" ).arg( bare ) );
  QVERIFY2( wrong->lastError().contains( QStringLiteral( "not a CRS" ) ), qPrintable( wrong->lastError() ) );
}

void TestRasterLayer::errors()
{
  // Each bad input draws nothing and says why, through the job's errors.
  const Viewport vp = standard::viewport( 8, 64, 48 );
  const QgsRectangle extent( vp.extent().xmin, vp.extent().ymin, vp.extent().xmax, vp.extent().ymax );
  struct Case
  {
      QString uri, expected;
  };
  const QList<Case> cases {
    { QStringLiteral( "raster=%1/missing.tif" ).arg( mDir.path() ), QStringLiteral( "cannot open raster" ) },
    { QStringLiteral( "raster=%1&band=3" ).arg( mDem ), QStringLiteral( "band 3 does not exist" ) },
    { QStringLiteral( "raster=%1&source=/x.gpkg" ).arg( mDem ), QStringLiteral( "not both" ) },
  };
  QFile corrupt( mDir.filePath( QStringLiteral( "corrupt.tif" ) ) );
  QVERIFY( corrupt.open( QIODevice::WriteOnly ) );
  corrupt.write( "II*\0this is not a tiff" );
  corrupt.close();
  QList<Case> all = cases;
  all.append( { QStringLiteral( "raster=%1" ).arg( corrupt.fileName() ), QStringLiteral( "cannot open raster" ) } );
  for ( const Case &c : all )
  {
    std::unique_ptr<DensityLayer> layer = test::createDensityLayer( c.uri );
    QStringList errors;
    const QImage image = test::render( test::mapSettings( { layer.get() }, extent, QSize( 64, 48 ) ), test::Job::Parallel, &errors );
    QVERIFY2( errors.join( ' ' ).contains( c.expected ), qPrintable( c.uri + QStringLiteral( ": " ) + errors.join( ' ' ) ) );
    QCOMPARE( test::litPixels( test::straightRgba( image ) ), 0LL );
  }
  // A rotated map is refused with the reason, not drawn wrongly.
  std::unique_ptr<DensityLayer> layer = test::createDensityLayer( QStringLiteral( "raster=%1" ).arg( mDem ) );
  QgsMapSettings rotated = test::mapSettings( { layer.get() }, extent, QSize( 64, 48 ) );
  rotated.setRotation( 30 );
  QStringList errors;
  test::render( rotated, test::Job::Parallel, &errors );
  QVERIFY2( errors.join( ' ' ).contains( QStringLiteral( "rotated" ) ), qPrintable( errors.join( ' ' ) ) );
}

GRIDSHADE_QGIS_TEST_MAIN( TestRasterLayer )
#include "test_raster_layer.moc"
