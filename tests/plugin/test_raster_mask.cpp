// SPDX-License-Identifier: GPL-2.0-or-later
// Nodata and masks become alpha: every kind GDAL knows (nodata value, NaN nodata, an internal
// per-dataset TIFF mask, an alpha band, different nodata per band), checked against the shape
// each fixture was written with and against GDAL's own mask bands; valid pixels keep their
// colour; and a golden overlay of a masked DEM shaded by the point pipeline (SSIM >= 0.99).
//
// Regenerate on purpose only: GRIDSHADE_UPDATE_GOLDENS=1, then look at goldens/raster/.
#include "plugin_test_support.h"
#include "raster/raster_window_reader.h"
#include "shading/raster_shading.h"

#include <qgsapplication.h>
#include <qgsprocessingalgorithm.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingregistry.h>

#include <cpl_conv.h>
#include <gdal.h>

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <functional>

using namespace gridshade;

namespace
{

constexpr int W = 320, H = 224;
constexpr double NODATA = -9999.0, NODATA2 = -8888.0;

double surface( int col, int row )
{
  return 500.0 + 120.0 * std::sin( col / 23.0 ) * std::cos( row / 31.0 ) + 0.8 * col - 0.5 * row;
}
bool inHole( int col, int row ) // a circular hole
{
  return std::hypot( col - 100.0, row - 90.0 ) < 40.0;
}
bool inStripe( int col, int ) // a vertical stripe
{
  return col >= 200 && col < 216;
}
bool inBox( int col, int row ) // a rectangle
{
  return col >= 240 && col < 300 && row >= 20 && row < 120;
}

enum class Kind
{
  Nodata,      // float32, nodata -9999 in the hole
  NanNodata,   // float32, nodata NaN, NaN in the stripe
  DatasetMask, // float32, internal per-dataset mask, 0 in the box
  Alpha,       // RGBA byte, alpha 0 in the hole and 128 in the box
  PerBand,     // a VRT of 2 bands, nodata -9999 in the hole of band 1, -8888 in the box of band 2
               // (GeoTIFF has one nodata value for all bands; VRT bands have their own)
  AllValid,
};

// The alpha each fixture was written with: the independent reference at full resolution.
uint8_t expectedAlpha( Kind kind, int c, int r )
{
  switch ( kind )
  {
    case Kind::Nodata:
      return inHole( c, r ) ? 0 : 255;
    case Kind::NanNodata:
      return inStripe( c, r ) ? 0 : 255;
    case Kind::DatasetMask:
      return inBox( c, r ) ? 0 : 255;
    case Kind::Alpha:
      return inHole( c, r ) ? 0 : ( inBox( c, r ) ? 128 : 255 );
    case Kind::PerBand:
      return inHole( c, r ) || inBox( c, r ) ? 0 : 255;
    case Kind::AllValid:
      return 255;
  }
  return 255;
}

QString writeFixture( const QString &requested, Kind kind )
{
  // The per-band case writes the pixels to a GeoTIFF and the nodata values to a VRT over it.
  const QString path = kind == Kind::PerBand ? requested + QStringLiteral( ".base.tif" ) : requested;
  GDALAllRegister();
  const bool rgba = kind == Kind::Alpha;
  const int bands = rgba ? 4 : ( kind == Kind::PerBand ? 2 : 1 );
  const char *rgbaOptions[] = { "TILED=YES", "PHOTOMETRIC=RGB", "ALPHA=YES", nullptr };
  const char *options[] = { "TILED=YES", nullptr };
  if ( kind == Kind::DatasetMask )
    CPLSetConfigOption( "GDAL_TIFF_INTERNAL_MASK", "YES" );
  GDALDatasetH ds = GDALCreate( GDALGetDriverByName( "GTiff" ), path.toUtf8().constData(), W, H, bands, rgba ? GDT_Byte : GDT_Float32,
                                const_cast<char **>( rgba ? rgbaOptions : options ) );
  if ( !ds )
    return QString::fromUtf8( CPLGetLastErrorMsg() );
  double gt[6] = { 700000.0, 10.0, 0, 5300000.0, 0, -10.0 };
  GDALSetGeoTransform( ds, gt );
  GDALSetProjection( ds, "EPSG:32632" );
  std::vector<float> row( W );
  for ( int b = 1; b <= bands; ++b )
  {
    GDALRasterBandH band = GDALGetRasterBand( ds, b );
    if ( kind == Kind::Nodata )
      GDALSetRasterNoDataValue( band, NODATA );
    if ( kind == Kind::NanNodata )
      GDALSetRasterNoDataValue( band, std::nan( "" ) );
    for ( int r = 0; r < H; ++r )
    {
      for ( int c = 0; c < W; ++c )
      {
        double v = surface( c, r );
        if ( rgba )
          v = b == 4 ? expectedAlpha( kind, c, r ) : std::fmod( v * ( b + 1 ), 256.0 );
        else if ( kind == Kind::Nodata && inHole( c, r ) )
          v = NODATA;
        else if ( kind == Kind::NanNodata && inStripe( c, r ) )
          v = std::nan( "" );
        else if ( kind == Kind::PerBand && b == 1 && inHole( c, r ) )
          v = NODATA;
        else if ( kind == Kind::PerBand && b == 2 && inBox( c, r ) )
          v = NODATA2;
        row[c] = static_cast<float>( v );
      }
      if ( GDALRasterIO( band, GF_Write, 0, r, W, 1, row.data(), W, 1, GDT_Float32, 0, 0 ) != CE_None )
        return QString::fromUtf8( CPLGetLastErrorMsg() );
    }
  }
  if ( kind == Kind::DatasetMask )
  {
    if ( GDALCreateDatasetMaskBand( ds, GMF_PER_DATASET ) != CE_None )
      return QString::fromUtf8( CPLGetLastErrorMsg() );
    GDALRasterBandH mask = GDALGetMaskBand( GDALGetRasterBand( ds, 1 ) );
    std::vector<uint8_t> m( W );
    for ( int r = 0; r < H; ++r )
    {
      for ( int c = 0; c < W; ++c )
        m[c] = inBox( c, r ) ? 0 : 255;
      if ( GDALRasterIO( mask, GF_Write, 0, r, W, 1, m.data(), W, 1, GDT_Byte, 0, 0 ) != CE_None )
        return QString::fromUtf8( CPLGetLastErrorMsg() );
    }
    CPLSetConfigOption( "GDAL_TIFF_INTERNAL_MASK", nullptr );
  }
  if ( kind == Kind::PerBand )
  {
    GDALDatasetH vrt = GDALCreateCopy( GDALGetDriverByName( "VRT" ), requested.toUtf8().constData(), ds, FALSE, nullptr, nullptr, nullptr );
    if ( !vrt )
      return QString::fromUtf8( CPLGetLastErrorMsg() );
    GDALSetRasterNoDataValue( GDALGetRasterBand( vrt, 1 ), NODATA );
    GDALSetRasterNoDataValue( GDALGetRasterBand( vrt, 2 ), NODATA2 );
    GDALClose( vrt );
  }
  GDALClose( ds );
  return QString();
}

// GDAL's own mask band of \a band read with the same arguments: the second reference.
std::vector<uint8_t> gdalMask( const QString &path, int band, int outW, int outH, GDALRIOResampleAlg alg )
{
  GDALDatasetH ds = GDALOpen( path.toUtf8().constData(), GA_ReadOnly );
  std::vector<uint8_t> m( static_cast<size_t>( outW ) * outH, 77 );
  GDALRasterIOExtraArg extra;
  INIT_RASTERIO_EXTRA_ARG( extra );
  extra.eResampleAlg = alg;
  if ( GDALRasterIOEx( GDALGetMaskBand( GDALGetRasterBand( ds, band ) ), GF_Read, 0, 0, W, H, m.data(), outW, outH, GDT_Byte, 0, 0, &extra ) != CE_None )
    m.assign( m.size(), 77 );
  GDALClose( ds );
  return m;
}

} // namespace

Q_DECLARE_METATYPE( Kind )

class TestRasterMask : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void masks_data();
    void masks();
    void validColoursUnchanged();
    void goldenOverlay();
    void processingAppliesMask();

  private:
    QString fixture( Kind kind ) const
    {
      return mDir.filePath( QStringLiteral( "fixture_%1.%2" ).arg( int( kind ) ).arg( kind == Kind::PerBand ? QStringLiteral( "vrt" ) : QStringLiteral( "tif" ) ) );
    }
    QTemporaryDir mDir;
};

void TestRasterMask::initTestCase()
{
  QVERIFY( test::startQgis() );
  for ( Kind k : { Kind::Nodata, Kind::NanNodata, Kind::DatasetMask, Kind::Alpha, Kind::PerBand, Kind::AllValid } )
    QCOMPARE( writeFixture( fixture( k ), k ), QString() );
}

void TestRasterMask::cleanupTestCase()
{
  test::stopQgis();
}

void TestRasterMask::masks_data()
{
  QTest::addColumn<Kind>( "kind" );
  QTest::addColumn<int>( "flags" );
  QTest::newRow( "nodata value" ) << Kind::Nodata << int( GMF_NODATA );
  QTest::newRow( "NaN nodata" ) << Kind::NanNodata << int( GMF_NODATA );
  QTest::newRow( "internal per-dataset mask" ) << Kind::DatasetMask << int( GMF_PER_DATASET );
  QTest::newRow( "alpha band" ) << Kind::Alpha << int( GMF_ALPHA | GMF_PER_DATASET );
  QTest::newRow( "nodata per band" ) << Kind::PerBand << int( GMF_NODATA );
  QTest::newRow( "all valid" ) << Kind::AllValid << int( GMF_ALL_VALID );
}

void TestRasterMask::masks()
{
  QFETCH( Kind, kind );
  QFETCH( int, flags );
  const RasterWindowReader reader( fixture( kind ) );
  QVERIFY( reader.status() );
  QCOMPARE( reader.maskFlags( 1 ), flags );
  // The bands whose masks count: the data bands (for RGBA, the colour bands carry the alpha mask).
  const QList<int> bands = kind == Kind::Alpha ? QList<int> { 1, 2, 3 } : ( kind == Kind::PerBand ? QList<int> { 1, 2 } : QList<int> { 1 } );
  std::vector<uint8_t> alpha;
  QVERIFY( reader.readMask( bands, PixelWindow { 0, 0, W, H }, QSize( W, H ), Resampling::Nearest, alpha ) );
  int masked = 0;
  for ( int r = 0; r < H; ++r )
    for ( int c = 0; c < W; ++c )
    {
      const uint8_t want = expectedAlpha( kind, c, r );
      if ( alpha[static_cast<size_t>( r ) * W + c] != want )
        QFAIL( qPrintable( QStringLiteral( "pixel %1,%2: alpha %3, written %4" ).arg( c ).arg( r ).arg( alpha[static_cast<size_t>( r ) * W + c] ).arg( want ) ) );
      masked += want == 0;
    }
  QVERIFY( kind == Kind::AllValid || masked > 500 );
  // Downsampled by 4 with average and by 3 with nearest: GDAL's own mask bands, read alike
  // (per band, combined by the minimum).
  for ( auto [method, alg, outW, outH] : { std::tuple { Resampling::Average, GRIORA_Average, W / 4, H / 4 },
                                           std::tuple { Resampling::Nearest, GRIORA_NearestNeighbour, W / 3, H / 3 } } )
  {
    QVERIFY( reader.readMask( bands, PixelWindow { 0, 0, W, H }, QSize( outW, outH ), method, alpha ) );
    std::vector<uint8_t> expected( alpha.size(), 255 );
    for ( int b : bands )
    {
      const std::vector<uint8_t> m = gdalMask( fixture( kind ), b, outW, outH, alg );
      for ( size_t p = 0; p < expected.size(); ++p )
        expected[p] = std::min( expected[p], m[p] );
    }
    QVERIFY2( alpha == expected, qPrintable( resamplingName( method ) ) );
  }
}

void TestRasterMask::validColoursUnchanged()
{
  // With a fixed span, masking changes nothing but the masked pixels.
  const RasterWindowReader reader( fixture( Kind::Nodata ) );
  RasterArray values;
  std::vector<uint8_t> alpha;
  QVERIFY( reader.read( { 1 }, PixelWindow { 0, 0, W, H }, QSize( W, H ), Resampling::Nearest, values ) );
  QVERIFY( reader.readMask( { 1 }, PixelWindow { 0, 0, W, H }, QSize( W, H ), Resampling::Nearest, alpha ) );
  ShadeSettings s;
  s.how = How::Linear;
  s.hasSpan = true;
  s.spanMin = 200;
  s.spanMax = 900;
  s.colormap = Colormap::named( QStringLiteral( "viridis" ) );
  // The unmasked reference: the hole filled with a valid value instead of nodata.
  std::vector<double> filled = values.values;
  for ( double &v : filled )
    if ( v == NODATA )
      v = 500.0;
  RgbaImage masked, plain;
  QVERIFY( shadeRaster( values.values.data(), alpha.data(), W, H, s, masked ) );
  QVERIFY( shadeRaster( filled.data(), nullptr, W, H, s, plain ) );
  for ( size_t p = 0; p < alpha.size(); ++p )
  {
    if ( alpha[p] == 0 )
      QCOMPARE( masked.constData()[p], 0u );
    else
      QCOMPARE( masked.constData()[p], plain.constData()[p] );
  }
  // Partial alpha (the alpha band's 128 box) scales alpha only.
  const RasterWindowReader rgba( fixture( Kind::Alpha ) );
  QVERIFY( rgba.readMask( { 1 }, PixelWindow { 0, 0, W, H }, QSize( W, H ), Resampling::Nearest, alpha ) );
  QVERIFY( shadeRaster( filled.data(), alpha.data(), W, H, s, masked ) );
  const size_t inBoxPixel = static_cast<size_t>( 50 ) * W + 260;
  QCOMPARE( int( RgbaImage::alpha( masked.constData()[inBoxPixel] ) ), 128 );
  QCOMPARE( int( RgbaImage::red( masked.constData()[inBoxPixel] ) ), int( RgbaImage::red( plain.constData()[inBoxPixel] ) ) );
}

void TestRasterMask::goldenOverlay()
{
  // The nodata DEM and the per-band file, read at 1/2 with average, masked and shaded
  // (eq_hist, viridis) over a grey checker so that transparency shows, against reviewed goldens.
  for ( Kind kind : { Kind::Nodata, Kind::PerBand } )
  {
    const RasterWindowReader reader( fixture( kind ) );
    RasterArray values;
    std::vector<uint8_t> alpha;
    const QSize size( W / 2, H / 2 );
    QVERIFY( reader.read( { 1 }, PixelWindow { 0, 0, W, H }, size, Resampling::Average, values ) );
    QVERIFY( reader.readMask( kind == Kind::PerBand ? QList<int> { 1, 2 } : QList<int> { 1 }, PixelWindow { 0, 0, W, H }, size, Resampling::Average, alpha ) );
    ShadeSettings s;
    s.colormap = Colormap::named( QStringLiteral( "viridis" ) );
    RgbaImage shaded;
    QVERIFY( shadeRaster( values.values.data(), alpha.data(), size.width(), size.height(), s, shaded ) );
    QImage canvas( size, QImage::Format_RGBA8888 );
    for ( int y = 0; y < size.height(); ++y )
      for ( int x = 0; x < size.width(); ++x )
        canvas.setPixelColor( x, y, ( ( x / 8 + y / 8 ) % 2 ) ? QColor( 200, 200, 200 ) : QColor( 150, 150, 150 ) );
    {
      QPainter painter( &canvas );
      painter.drawImage( 0, 0, shaded.view() );
    }
    const QString name = kind == Kind::Nodata ? QStringLiteral( "mask_nodata.png" ) : QStringLiteral( "mask_per_band.png" );
    const QString problem = test::compareGolden( canvas, QStringLiteral( "raster/" ) + name, 0.99 );
    QVERIFY2( problem.isEmpty(), qPrintable( problem ) );
  }
}

void TestRasterMask::processingAppliesMask()
{
  // gridshade:readrasterwindow with APPLY_MASK: nodata pixels come out NaN, the rest as read;
  // without it the nodata value itself comes through.
  const QgsProcessingAlgorithm *alg = QgsApplication::processingRegistry()->algorithmById( QStringLiteral( "gridshade:readrasterwindow" ) );
  QVERIFY( alg );
  for ( bool apply : { true, false } )
  {
    const QString output = mDir.filePath( QStringLiteral( "masked_%1.tif" ).arg( apply ) );
    const QVariantMap params { { QStringLiteral( "INPUT" ), fixture( Kind::Nodata ) }, { QStringLiteral( "APPLY_MASK" ), apply },
                               { QStringLiteral( "OUTPUT" ), output } };
    QgsProcessingContext context;
    QgsProcessingFeedback feedback;
    bool ok = false;
    alg->run( params, context, &feedback, &ok );
    QVERIFY( ok );
    GDALDatasetH ds = GDALOpen( output.toUtf8().constData(), GA_ReadOnly );
    QVERIFY( ds );
    std::vector<double> v( static_cast<size_t>( W ) * H );
    QCOMPARE( GDALRasterIO( GDALGetRasterBand( ds, 1 ), GF_Read, 0, 0, W, H, v.data(), W, H, GDT_Float64, 0, 0 ), CE_None );
    GDALClose( ds );
    for ( int r = 0; r < H; ++r )
      for ( int c = 0; c < W; ++c )
      {
        const double got = v[static_cast<size_t>( r ) * W + c];
        if ( !inHole( c, r ) )
          QCOMPARE( got, static_cast<double>( static_cast<float>( surface( c, r ) ) ) );
        else if ( apply )
          QVERIFY( std::isnan( got ) );
        else
          QCOMPARE( got, NODATA );
      }
  }
}

GRIDSHADE_QGIS_TEST_MAIN( TestRasterMask )
#include "test_raster_mask.moc"
