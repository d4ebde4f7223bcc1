// SPDX-License-Identifier: GPL-2.0-or-later
// Windowed reads and native block iteration through the QGIS raster provider, against GDAL's
// own C API on the same file as the independent reference. The fixture is written by the test
// with GDAL: a tiled float32 GeoTIFF (2 bands, 256 x 256 blocks, overviews 2, 4, 8) and a
// stripped one, with a deterministic DEM-like surface.
#include "plugin_test_support.h"
#include "raster/raster_window_reader.h"

#include <qgsapplication.h>
#include <qgsprocessingalgorithm.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingregistry.h>
#include <qgsrasterlayer.h>

#include <gdal.h>
#include <gdal_utils.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <random>

using namespace gridshade;

namespace
{

constexpr int W = 1000, H = 700;
constexpr double ORIGIN_X = 600000.0, ORIGIN_Y = 5200000.0, RES = 30.0;

double surface( int band, int col, int row )
{
  return band * 1000.0 + 120.0 * std::sin( col / 37.0 ) * std::cos( row / 53.0 ) + 0.01 * col - 0.02 * row;
}

// Writes the fixture with GDAL; returns an empty string or the error.
QString writeFixture( const QString &path, bool tiled )
{
  GDALAllRegister();
  GDALDriverH gtiff = GDALGetDriverByName( "GTiff" );
  const char *tiledOptions[] = { "TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", nullptr };
  const char *stripOptions[] = { "TILED=NO", "BLOCKYSIZE=8", nullptr };
  GDALDatasetH ds = GDALCreate( gtiff, path.toUtf8().constData(), W, H, 2, GDT_Float32, const_cast<char **>( tiled ? tiledOptions : stripOptions ) );
  if ( !ds )
    return QString::fromUtf8( CPLGetLastErrorMsg() );
  double gt[6] = { ORIGIN_X, RES, 0, ORIGIN_Y, 0, -RES };
  GDALSetGeoTransform( ds, gt );
  GDALSetProjection( ds, "EPSG:32632" );
  std::vector<float> row( W );
  for ( int b = 1; b <= 2; ++b )
    for ( int r = 0; r < H; ++r )
    {
      for ( int c = 0; c < W; ++c )
        row[c] = static_cast<float>( surface( b, c, r ) );
      if ( GDALRasterIO( GDALGetRasterBand( ds, b ), GF_Write, 0, r, W, 1, row.data(), W, 1, GDT_Float32, 0, 0 ) != CE_None )
        return QString::fromUtf8( CPLGetLastErrorMsg() );
    }
  if ( tiled )
  {
    int levels[] = { 2, 4, 8 };
    if ( GDALBuildOverviews( ds, "AVERAGE", 3, levels, 0, nullptr, nullptr, nullptr ) != CE_None )
      return QString::fromUtf8( CPLGetLastErrorMsg() );
  }
  GDALClose( ds );
  return QString();
}

// The reference: GDAL's RasterIO on its own handle, integer window, float64 buffer.
// GDAL's own read of the exact window from one level (-1 full resolution). Nearest, average and
// mode when shrinking through another code path than ours: gdal_translate -srcwin with the
// window in that level's pixels (a VRT source). Bilinear, cubic and enlarging reads as rasterio
// reads a window: RasterIO of the level's band with the exact window (the VRT would also take
// cells outside the window into its kernels and edges).
std::vector<double> gdalRead( const QString &path, int level, int band, int x, int y, int w, int h, int outW, int outH, const char *alg )
{
  const QByteArray open = level < 0 ? QByteArray( "OVERVIEW_LEVEL=NONE" ) : "OVERVIEW_LEVEL=" + QByteArray::number( level ) + " only";
  const char *openOptions[] = { open.constData(), nullptr };
  GDALDatasetH ds = GDALOpenEx( path.toUtf8().constData(), GDAL_OF_RASTER, nullptr, openOptions, nullptr );
  std::vector<double> v( static_cast<size_t>( outW ) * outH, -9999.0 ); // a failed reference read fails the comparison
  if ( !ds )
    return v;
  GDALDatasetH full = GDALOpen( path.toUtf8().constData(), GA_ReadOnly );
  const double fx = double( GDALGetRasterXSize( ds ) ) / GDALGetRasterXSize( full ), fy = double( GDALGetRasterYSize( ds ) ) / GDALGetRasterYSize( full );
  GDALClose( full );
  if ( QByteArray( alg ) == "bilinear" || QByteArray( alg ) == "cubic" || outW > w )
  {
    GDALRasterIOExtraArg extra;
    INIT_RASTERIO_EXTRA_ARG( extra );
    extra.bFloatingPointWindowValidity = TRUE;
    extra.dfXOff = x * fx;
    extra.dfYOff = y * fy;
    extra.dfXSize = w * fx;
    extra.dfYSize = h * fy;
    const int ix = int( std::floor( extra.dfXOff ) ), iy = int( std::floor( extra.dfYOff ) );
    const int iw = std::min( GDALGetRasterXSize( ds ), int( std::ceil( extra.dfXOff + extra.dfXSize ) ) ) - ix;
    const int ih = std::min( GDALGetRasterYSize( ds ), int( std::ceil( extra.dfYOff + extra.dfYSize ) ) ) - iy;
    GDALDatasetH plain = GDALOpen( path.toUtf8().constData(), GA_ReadOnly );
    GDALRasterBandH b = level < 0 ? GDALGetRasterBand( ds, band ) : GDALGetOverview( GDALGetRasterBand( plain, band ), level );
    extra.eResampleAlg = QByteArray( alg ) == "cubic" ? GRIORA_Cubic : QByteArray( alg ) == "bilinear" ? GRIORA_Bilinear : QByteArray( alg ) == "average" ? GRIORA_Average : QByteArray( alg ) == "mode" ? GRIORA_Mode : GRIORA_NearestNeighbour;
    const CPLErr err = GDALRasterIOEx( b, GF_Read, ix, iy, iw, ih, v.data(), outW, outH, GDT_Float64, 0, 0, &extra );
    GDALClose( plain );
    if ( err != CE_None )
      v.assign( v.size(), -9999.0 );
    GDALClose( ds );
    return v;
  }
  QList<QByteArray> args { "-of", "MEM", "-ot", "Float64", "-b", QByteArray::number( band ), "-r", alg, "-outsize", QByteArray::number( outW ),
                           QByteArray::number( outH ), "-srcwin", QByteArray::number( x * fx, 'g', 17 ), QByteArray::number( y * fy, 'g', 17 ),
                           QByteArray::number( w * fx, 'g', 17 ), QByteArray::number( h * fy, 'g', 17 ) };
  std::vector<char *> argv;
  for ( QByteArray &a : args )
    argv.push_back( a.data() );
  argv.push_back( nullptr );
  GDALTranslateOptions *options = GDALTranslateOptionsNew( argv.data(), nullptr );
  GDALDatasetH out = GDALTranslate( "", ds, options, nullptr );
  GDALTranslateOptionsFree( options );
  if ( out && GDALRasterIO( GDALGetRasterBand( out, 1 ), GF_Read, 0, 0, outW, outH, v.data(), outW, outH, GDT_Float64, 0, 0 ) != CE_None )
    v.assign( v.size(), -9999.0 );
  if ( out )
    GDALClose( out );
  GDALClose( ds );
  return v;
}

} // namespace

class TestRasterWindow : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void openThroughProvider();
    void sweepAddsUp();
    void blocksCoverOnce_data();
    void blocksCoverOnce();
    void gdalParity_data();
    void gdalParity();
    void extentRead();
    void errors();
    void processingAlgorithm();

  private:
    QTemporaryDir mDir;
    QString mTiled;
    QString mStripped;
    std::unique_ptr<QgsRasterLayer> mLayer;
};

void TestRasterWindow::initTestCase()
{
  QVERIFY( test::startQgis() );
  mTiled = mDir.filePath( QStringLiteral( "dem_tiled.tif" ) );
  mStripped = mDir.filePath( QStringLiteral( "dem_strips.tif" ) );
  QCOMPARE( writeFixture( mTiled, true ), QString() );
  QCOMPARE( writeFixture( mStripped, false ), QString() );
  mLayer = std::make_unique<QgsRasterLayer>( mTiled, QStringLiteral( "dem" ), QStringLiteral( "gdal" ) );
  QVERIFY( mLayer->isValid() );
}

void TestRasterWindow::cleanupTestCase()
{
  mLayer.reset();
  test::stopQgis();
}

void TestRasterWindow::openThroughProvider()
{
  const RasterWindowReader reader( mLayer->dataProvider() );
  QVERIFY2( reader.status(), qPrintable( reader.status().message() ) );
  QCOMPARE( reader.width(), W );
  QCOMPARE( reader.height(), H );
  QCOMPARE( reader.bandCount(), 2 );
  QCOMPARE( reader.nativeBlockSize(), QSize( 256, 256 ) );
  QCOMPARE( reader.transform().c[0], ORIGIN_X );
  QCOMPARE( reader.transform().c[5], -RES );
  QVERIFY( reader.crsWkt().contains( QStringLiteral( "32632" ) ) );
}

void TestRasterWindow::sweepAddsUp()
{
  // Rows of random heights cut into windows of random widths: read each at full resolution,
  // put it back in place, and compare with one read of the whole raster.
  const RasterWindowReader reader( mLayer->dataProvider() );
  RasterArray whole;
  QVERIFY( reader.read( { 1 }, PixelWindow { 0, 0, W, H }, QSize( W, H ), Resampling::Nearest, whole ) );
  std::vector<double> assembled( static_cast<size_t>( W ) * H, std::nan( "" ) );
  std::mt19937 rng( 5 );
  std::uniform_int_distribution<int> size( 1, 300 );
  int64_t pixels = 0, windows = 0;
  for ( int y = 0; y < H; )
  {
    const int h = std::min( size( rng ), H - y );
    for ( int x = 0; x < W; )
    {
      const int w = std::min( size( rng ), W - x );
      RasterArray part;
      QVERIFY( reader.read( { 1 }, PixelWindow { double( x ), double( y ), double( w ), double( h ) }, QSize( w, h ), Resampling::Nearest, part ) );
      for ( int r = 0; r < h; ++r )
        for ( int c = 0; c < w; ++c )
          assembled[static_cast<size_t>( y + r ) * W + x + c] = part.at( 0, r, c );
      pixels += int64_t( w ) * h;
      ++windows;
      x += w;
    }
    y += h;
  }
  QCOMPARE( pixels, int64_t( W ) * H );
  QVERIFY( windows > 20 );
  QVERIFY( assembled == whole.values );
  // And the whole read is the surface itself (float32 of it).
  QCOMPARE( whole.at( 0, 123, 456 ), static_cast<double>( static_cast<float>( surface( 1, 456, 123 ) ) ) );
}

void TestRasterWindow::blocksCoverOnce_data()
{
  QTest::addColumn<bool>( "tiled" );
  QTest::addColumn<QSize>( "chunk" );
  QTest::addColumn<QSize>( "expectedStep" );
  QTest::newRow( "tiled, chunk 256" ) << true << QSize( 256, 256 ) << QSize( 256, 256 );
  QTest::newRow( "tiled, chunk 300x600 -> 512x768" ) << true << QSize( 300, 600 ) << QSize( 512, 768 );
  QTest::newRow( "tiled, chunk 1 -> one block" ) << true << QSize( 1, 1 ) << QSize( 256, 256 );
  QTest::newRow( "strips of 8 rows, chunk 1000x100 -> 1000x104" ) << false << QSize( 1000, 100 ) << QSize( 1000, 104 );
}

void TestRasterWindow::blocksCoverOnce()
{
  QFETCH( bool, tiled );
  QFETCH( QSize, chunk );
  QFETCH( QSize, expectedStep );
  const RasterWindowReader reader( tiled ? mTiled : mStripped );
  QVERIFY( reader.status() );
  const QSize native = reader.nativeBlockSize();
  const std::vector<PixelWindow> blocks = reader.blocks( chunk );
  std::vector<int> cover( static_cast<size_t>( W ) * H, 0 );
  for ( const PixelWindow &b : blocks )
  {
    // Aligned to the native grid, whole native blocks except at the right and bottom edges.
    QCOMPARE( std::fmod( b.x, native.width() ), 0.0 );
    QCOMPARE( std::fmod( b.y, native.height() ), 0.0 );
    QVERIFY( b.width == expectedStep.width() || b.x + b.width == W );
    QVERIFY( b.height == expectedStep.height() || b.y + b.height == H );
    for ( int r = int( b.y ); r < int( b.y + b.height ); ++r )
      for ( int c = int( b.x ); c < int( b.x + b.width ); ++c )
        ++cover[static_cast<size_t>( r ) * W + c];
  }
  QVERIFY( std::all_of( cover.begin(), cover.end(), []( int n ) { return n == 1; } ) );
  const size_t expected = static_cast<size_t>( ( W + expectedStep.width() - 1 ) / expectedStep.width() ) * ( ( H + expectedStep.height() - 1 ) / expectedStep.height() );
  QCOMPARE( blocks.size(), expected );
}

void TestRasterWindow::gdalParity_data()
{
  QTest::addColumn<int>( "method" );
  QTest::addColumn<QRect>( "window" );
  QTest::addColumn<QSize>( "out" );
  const QList<QPair<QString, QRect>> windows { { QStringLiteral( "full" ), QRect( 0, 0, W, H ) },
                                               { QStringLiteral( "inner" ), QRect( 137, 91, 512, 384 ) },
                                               { QStringLiteral( "edge" ), QRect( 700, 500, 300, 200 ) } };
  const QList<QPair<QString, QSize>> outs { { QStringLiteral( "1/8" ), QSize( 0, 0 ) }, { QStringLiteral( "1/3" ), QSize( 1, 1 ) },
                                            { QStringLiteral( "x2.5" ), QSize( 2, 2 ) } };
  for ( Resampling m : { Resampling::Nearest, Resampling::Bilinear, Resampling::Cubic, Resampling::Average, Resampling::Mode } )
    for ( const auto &w : windows )
      for ( const auto &o : outs )
      {
        // Output sizes relative to the window: 1/8 (overviews), 1/3 (between levels), 2.5x (upsampling).
        const double f = o.second.width() == 0 ? 0.125 : ( o.second.width() == 1 ? 1.0 / 3.0 : 2.5 );
        const QSize out( std::max( 1, int( w.second.width() * f ) ), std::max( 1, int( w.second.height() * f ) ) );
        if ( f > 1 && w.second.width() > 600 )
          continue; // keep the upsampled cases small
        QTest::newRow( qPrintable( QStringLiteral( "%1 %2 %3" ).arg( resamplingName( m ), w.first, o.first ) ) ) << int( m ) << w.second << out;
      }
}

void TestRasterWindow::gdalParity()
{
  QFETCH( int, method );
  QFETCH( QRect, window );
  QFETCH( QSize, out );
  static const char *algs[] = { "near", "bilinear", "cubic", "average", "mode" };
  const RasterWindowReader reader( mLayer->dataProvider() );
  RasterArray got;
  const PixelWindow pw { double( window.x() ), double( window.y() ), double( window.width() ), double( window.height() ) };
  QVERIFY( reader.read( { 2, 1 }, pw, out, static_cast<Resampling>( method ), got ) );
  QCOMPARE( got.bands, ( QList<int> { 2, 1 } ) );
  for ( int i = 0; i < 2; ++i )
  {
    // The level GDAL picks is checked against GDAL itself by plugin.raster_overview_reference.
    const int level = reader.levelRead( pw, out );
    const std::vector<double> expected = gdalRead( mTiled, level, got.bands[i], window.x(), window.y(), window.width(), window.height(), out.width(), out.height(), algs[method] );
    const std::vector<double> band( got.values.begin() + static_cast<std::ptrdiff_t>( i * expected.size() ),
                                    got.values.begin() + static_cast<std::ptrdiff_t>( ( i + 1 ) * expected.size() ) );
    // Bilinear and cubic interpolate in float32 inside GDAL: one pixel in a thousand may differ in
    // its last bit between two reads of the same cells (seen: 1.2e-4 of 1997.1).
    const double tolerance = method == int( Resampling::Bilinear ) || method == int( Resampling::Cubic ) ? 1e-7 : 0.0;
    bool same = band.size() == expected.size();
    for ( size_t k = 0; same && k < band.size(); ++k )
      same = std::isnan( band[k] ) ? std::isnan( expected[k] ) : std::fabs( band[k] - expected[k] ) <= tolerance * std::fabs( expected[k] );
    QVERIFY2( same, qPrintable( QStringLiteral( "band %1 differs from GDAL's read of the exact window on level %2" ).arg( got.bands[i] ).arg( level ) ) );
  }
  // The returned grid's geotransform: the window's corner, pixels scaled by window / output.
  QCOMPARE( got.transform.c[0], ORIGIN_X + window.x() * RES );
  QCOMPARE( got.transform.c[3], ORIGIN_Y - window.y() * RES );
  QVERIFY( std::fabs( got.transform.c[1] - RES * window.width() / out.width() ) < 1e-9 );
  QVERIFY( std::fabs( got.transform.c[5] + RES * window.height() / out.height() ) < 1e-9 );
}

void TestRasterWindow::extentRead()
{
  // A map extent on pixel edges reads exactly the pixel window it covers.
  const RasterWindowReader reader( mLayer->dataProvider() );
  const QgsRectangle extent( ORIGIN_X + 100 * RES, ORIGIN_Y - 300 * RES, ORIGIN_X + 356 * RES, ORIGIN_Y - 44 * RES );
  PixelWindow window;
  QVERIFY( reader.windowForExtent( extent, window ) );
  QCOMPARE( window, ( PixelWindow { 100, 44, 256, 256 } ) );
  RasterArray byExtent, byWindow;
  QVERIFY( reader.read( { 1 }, extent, QSize( 64, 64 ), Resampling::Average, byExtent ) );
  QVERIFY( reader.read( { 1 }, window, QSize( 64, 64 ), Resampling::Average, byWindow ) );
  QVERIFY( byExtent.values == byWindow.values );
  double x, y;
  byExtent.transform.apply( 64, 64, x, y );
  QCOMPARE( x, extent.xMaximum() );
  QCOMPARE( y, extent.yMinimum() );
}

void TestRasterWindow::errors()
{
  const RasterWindowReader reader( mLayer->dataProvider() );
  RasterArray out;
  Status st = reader.read( { 3 }, PixelWindow { 0, 0, 10, 10 }, QSize( 10, 10 ), Resampling::Nearest, out );
  QVERIFY2( st.message().contains( QStringLiteral( "band 3" ) ), qPrintable( st.message() ) );
  st = reader.read( {}, PixelWindow { 990, 0, 20, 10 }, QSize( 10, 10 ), Resampling::Nearest, out );
  QVERIFY2( st.message().contains( QStringLiteral( "not inside" ) ), qPrintable( st.message() ) );
  st = reader.read( {}, PixelWindow { 0, 0, 10, 10 }, QSize( 0, 10 ), Resampling::Nearest, out );
  QVERIFY2( st.message().contains( QStringLiteral( "empty" ) ), qPrintable( st.message() ) );
  const RasterWindowReader missing( mDir.filePath( QStringLiteral( "nope.tif" ) ) );
  QVERIFY2( missing.status().message().contains( QStringLiteral( "cannot open" ) ), qPrintable( missing.status().message() ) );
  QFile corrupt( mDir.filePath( QStringLiteral( "corrupt.tif" ) ) );
  QVERIFY( corrupt.open( QIODevice::WriteOnly ) );
  corrupt.write( "II*\0garbage" );
  corrupt.close();
  const RasterWindowReader bad( corrupt.fileName() );
  QVERIFY( !bad.status() );
  QVERIFY( bad.blocks( QSize( 64, 64 ) ).empty() );
  Resampling m;
  QVERIFY( parseResampling( QStringLiteral( " Average " ), m ) && m == Resampling::Average );
  QVERIFY( !parseResampling( QStringLiteral( "lanczos" ), m ) );
}

void TestRasterWindow::processingAlgorithm()
{
  // gridshade:readrasterwindow: an extent given in another CRS is mapped to the raster's,
  // read at 64 x 48 with average resampling, written as Float64 GeoTIFF: equal to GDAL reading
  // the same pixel window.
  const QgsProcessingAlgorithm *alg = QgsApplication::processingRegistry()->algorithmById( QStringLiteral( "gridshade:readrasterwindow" ) );
  QVERIFY( alg );
  const QString output = mDir.filePath( QStringLiteral( "window.tif" ) );
  QVariantMap params;
  params.insert( QStringLiteral( "INPUT" ), mTiled );
  params.insert( QStringLiteral( "EXTENT" ), QStringLiteral( "%1,%2,%3,%4 [EPSG:32632]" )
                                              .arg( ORIGIN_X + 200 * RES, 0, 'f', 3 ).arg( ORIGIN_X + 712 * RES, 0, 'f', 3 )
                                              .arg( ORIGIN_Y - 500 * RES, 0, 'f', 3 ).arg( ORIGIN_Y - 116 * RES, 0, 'f', 3 ) );
  params.insert( QStringLiteral( "WIDTH" ), 64 );
  params.insert( QStringLiteral( "HEIGHT" ), 48 );
  params.insert( QStringLiteral( "RESAMPLING" ), QStringLiteral( "average" ) );
  params.insert( QStringLiteral( "BANDS" ), QVariantList { 2 } );
  params.insert( QStringLiteral( "OUTPUT" ), output );
  QgsProcessingContext context;
  QgsProcessingFeedback feedback;
  bool ok = false;
  const QVariantMap results = alg->run( params, context, &feedback, &ok );
  QVERIFY( ok );
  QCOMPARE( results.value( QStringLiteral( "WINDOW" ) ).toString(), QStringLiteral( "200,116,512,384" ) );
  GDALDatasetH ds = GDALOpen( output.toUtf8().constData(), GA_ReadOnly );
  QVERIFY( ds );
  QCOMPARE( GDALGetRasterXSize( ds ), 64 );
  QCOMPARE( GDALGetRasterCount( ds ), 1 );
  double gt[6];
  GDALGetGeoTransform( ds, gt );
  QCOMPARE( gt[0], ORIGIN_X + 200 * RES );
  QCOMPARE( gt[1], RES * 8 );
  std::vector<double> written( 64 * 48 );
  QCOMPARE( GDALRasterIO( GDALGetRasterBand( ds, 1 ), GF_Read, 0, 0, 64, 48, written.data(), 64, 48, GDT_Float64, 0, 0 ), CE_None );
  GDALClose( ds );
  const int level = results.value( QStringLiteral( "OVERVIEW_LEVEL" ) ).toInt() - 1;
  QVERIFY( written == gdalRead( mTiled, level, 2, 200, 116, 512, 384, 64, 48, "average" ) );

  // Bad input: an extent outside the raster.
  params.insert( QStringLiteral( "EXTENT" ), QStringLiteral( "0,10,0,10 [EPSG:32632]" ) );
  QgsProcessingFeedback quiet;
  alg->run( params, context, &quiet, &ok );
  QVERIFY( !ok );
}

GRIDSHADE_QGIS_TEST_MAIN( TestRasterWindow )
#include "test_raster_window.moc"
