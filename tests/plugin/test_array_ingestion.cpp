// SPDX-License-Identifier: GPL-2.0-or-later
// Zero-copy array ingestion: caller memory of every supported type, band- and pixel-interleaved,
// becomes a QGIS raster layer whose GDAL dataset points at that very memory (same address),
// whose pixels follow writes to the array, and whose geotransform, CRS and band order are kept.
#include "plugin_test_support.h"
#include "raster/array_ingestion.h"

#include <qgsapplication.h>
#include <qgsrasterblock.h>
#include <qgsrasterdataprovider.h>
#include <qgsrasterlayer.h>

#include <gdal.h>

#include <QtTest>

#include <cstring>

using namespace gridshade;

namespace
{
constexpr int W = 40, H = 30, B = 3;

// The value of band b at (row, col), small enough for every type.
double valueAt( int b, int r, int c )
{
  return b * 50 + ( r * 7 + c * 3 ) % 50;
}

// Where the value of band b at map row r, column c lies in the array; bottom-up arrays store
// the southernmost row first.
size_t indexOf( int b, int r, int c, bool pixelInterleaved, bool bottomUp )
{
  const size_t row = static_cast<size_t>( bottomUp ? H - 1 - r : r );
  return pixelInterleaved ? ( row * W + c ) * B + b : ( static_cast<size_t>( b ) * H + row ) * W + c;
}

template<typename T>
std::vector<T> makeArray( bool pixelInterleaved, bool bottomUp )
{
  std::vector<T> a( static_cast<size_t>( W ) * H * B );
  for ( int b = 0; b < B; ++b )
    for ( int r = 0; r < H; ++r )
      for ( int c = 0; c < W; ++c )
        a[indexOf( b, r, c, pixelInterleaved, bottomUp )] = static_cast<T>( valueAt( b, r, c ) );
  return a;
}
} // namespace

class TestArrayIngestion : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void types_data();
    void types();
    void errors();

  private:
    template<typename T>
    void check( GDALDataType type, bool pixelInterleaved, bool bottomUp );
};

void TestArrayIngestion::initTestCase()
{
  QVERIFY( test::startQgis() );
}

void TestArrayIngestion::cleanupTestCase()
{
  test::stopQgis();
}

void TestArrayIngestion::types_data()
{
  QTest::addColumn<int>( "type" );
  QTest::addColumn<bool>( "pixelInterleaved" );
  QTest::addColumn<bool>( "bottomUp" );
  for ( GDALDataType t : { GDT_Byte, GDT_UInt16, GDT_Int16, GDT_UInt32, GDT_Int32, GDT_Float32, GDT_Float64 } )
    for ( bool pixel : { false, true } )
      for ( bool bottomUp : { false, true } )
        QTest::newRow( qPrintable( QStringLiteral( "%1 %2 %3" )
                                     .arg( QString::fromLatin1( GDALGetDataTypeName( t ) ), pixel ? QStringLiteral( "pixel" ) : QStringLiteral( "band" ),
                                           bottomUp ? QStringLiteral( "bottom-up" ) : QStringLiteral( "top-down" ) ) ) )
          << int( t ) << pixel << bottomUp;
}

void TestArrayIngestion::types()
{
  QFETCH( int, type );
  QFETCH( bool, pixelInterleaved );
  QFETCH( bool, bottomUp );
  switch ( static_cast<GDALDataType>( type ) )
  {
    case GDT_Byte:
      check<uint8_t>( GDT_Byte, pixelInterleaved, bottomUp );
      break;
    case GDT_UInt16:
      check<uint16_t>( GDT_UInt16, pixelInterleaved, bottomUp );
      break;
    case GDT_Int16:
      check<int16_t>( GDT_Int16, pixelInterleaved, bottomUp );
      break;
    case GDT_Float32:
      check<float>( GDT_Float32, pixelInterleaved, bottomUp );
      break;
    case GDT_UInt32:
      check<uint32_t>( GDT_UInt32, pixelInterleaved, bottomUp );
      break;
    case GDT_Int32:
      check<int32_t>( GDT_Int32, pixelInterleaved, bottomUp );
      break;
    default:
      check<double>( GDT_Float64, pixelInterleaved, bottomUp );
      break;
  }
}

template<typename T>
void TestArrayIngestion::check( GDALDataType type, bool pixelInterleaved, bool bottomUp )
{
  std::vector<T> data = makeArray<T>( pixelInterleaved, bottomUp );
  ArrayRaster array;
  array.data = data.data();
  array.type = type;
  array.width = W;
  array.height = H;
  array.bands = B;
  array.pixelInterleaved = pixelInterleaved;
  array.bottomUp = bottomUp;
  const double gt[6] = { 2600000.5, 10.0, 0, 1200000.25, 0, -10.0 };
  std::memcpy( array.geoTransform, gt, sizeof gt );
  array.crs = QStringLiteral( "EPSG:2056" );
  array.bandNames = QStringList { QStringLiteral( "red" ), QStringLiteral( "green" ), QStringLiteral( "blue" ) };
  array.metadata.insert( QStringLiteral( "units" ), QStringLiteral( "m" ) );
  Status st;
  std::unique_ptr<QgsRasterLayer> layer = createArrayLayer( array, QStringLiteral( "array" ), st );
  QVERIFY2( layer, qPrintable( st.message() ) );
  QCOMPARE( layer->width(), W );
  QCOMPARE( layer->height(), H );
  QCOMPARE( layer->bandCount(), B );
  QCOMPARE( layer->crs().authid(), QStringLiteral( "EPSG:2056" ) );
  QCOMPARE( layer->extent(), QgsRectangle( gt[0], gt[3] + H * gt[5], gt[0] + W * gt[1], gt[3] ) );
  QCOMPARE( layer->customProperty( QStringLiteral( "gridshade/meta/units" ) ).toString(), QStringLiteral( "m" ) );
  QCOMPARE( layer->customProperty( QStringLiteral( "gridshade/bandNames" ) ).toStringList().value( 2 ), QStringLiteral( "blue" ) );

  // Same address: GDAL's MEM dataset behind the layer points at our memory (at its northernmost
  // row: the last one of a bottom-up array).
  GDALDatasetH ds = GDALOpen( layer->source().toUtf8().constData(), GA_ReadOnly );
  QVERIFY( ds );
  const T *north = data.data() + ( bottomUp ? indexOf( 0, 0, 0, pixelInterleaved, true ) : 0 );
  QCOMPARE( static_cast<const void *>( GDALGetInternalHandle( ds, "MEMORY1" ) ), static_cast<const void *>( north ) );
  GDALClose( ds );

  // Every band in order, through QGIS's provider.
  auto bandValue = [&]( int b, int r, int c ) {
    std::unique_ptr<QgsRasterBlock> block( layer->dataProvider()->block( b + 1, layer->extent(), W, H ) );
    return block->value( r, c );
  };
  for ( int b = 0; b < B; ++b )
    for ( int r : { 0, 17, H - 1 } )
      QCOMPARE( bandValue( b, r, 23 ), valueAt( b, r, 23 ) );
  // No copy: a write to the array shows in the next read.
  data[indexOf( 2, 17, 23, pixelInterleaved, bottomUp )] = static_cast<T>( 7 );
  QCOMPARE( bandValue( 2, 17, 23 ), 7.0 );
}

void TestArrayIngestion::errors()
{
  std::vector<int64_t> ints( 4 );
  ArrayRaster array;
  array.data = ints.data();
  array.type = GDT_Int64;
  array.width = array.height = 2;
  Status st;
  QVERIFY( !createArrayLayer( array, QStringLiteral( "x" ), st ) );
  QVERIFY2( st.message().contains( QStringLiteral( "not supported" ) ), qPrintable( st.message() ) );
  array.type = GDT_Float32;
  array.data = nullptr;
  QVERIFY( !createArrayLayer( array, QStringLiteral( "x" ), st ) );
  array.data = ints.data();
  array.crs = QStringLiteral( "EPSG:999999" );
  QVERIFY( !createArrayLayer( array, QStringLiteral( "x" ), st ) );
  QVERIFY2( st.message().contains( QStringLiteral( "CRS" ) ), qPrintable( st.message() ) );
  char out[16];
  QCOMPARE( gridshade_array_uri( ints.data(), GDT_Float32, 2, 2, 1, 0, 0, nullptr, out, sizeof out ), 0 ); // too small for the uri
}

GRIDSHADE_QGIS_TEST_MAIN( TestArrayIngestion )
#include "test_array_ingestion.moc"
