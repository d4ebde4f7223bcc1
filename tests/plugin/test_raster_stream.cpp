// SPDX-License-Identifier: GPL-2.0-or-later
// Streaming statistics of rasters larger than what is read at once: the result equals brute
// force over one whole read (any chunk size, any thread count), a VRT mosaic of one tile
// repeated (a virtual raster far larger than the tile) streams within bounded memory (peak RSS
// measured), and cancellation stops it.
#include "plugin_test_support.h"
#include "raster/raster_statistics.h"

#include <qgsapplication.h>
#include <qgsprocessingalgorithm.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingregistry.h>

#include <gdal.h>

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace gridshade;

namespace
{

constexpr int W = 1000, H = 700;
constexpr double NODATA = -9999.0;

double surface( int band, int c, int r )
{
  return band * 100.0 + 50.0 * std::sin( c / 29.0 ) * std::cos( r / 41.0 ) + 0.001 * c * r;
}

QString writeFixture( const QString &path )
{
  GDALAllRegister();
  const char *options[] = { "TILED=YES", nullptr };
  GDALDatasetH ds = GDALCreate( GDALGetDriverByName( "GTiff" ), path.toUtf8().constData(), W, H, 2, GDT_Float32, const_cast<char **>( options ) );
  if ( !ds )
    return QString::fromUtf8( CPLGetLastErrorMsg() );
  double gt[6] = { 0, 1, 0, 0, 0, -1 };
  GDALSetGeoTransform( ds, gt );
  std::vector<float> row( W );
  for ( int b = 1; b <= 2; ++b )
  {
    GDALSetRasterNoDataValue( GDALGetRasterBand( ds, b ), NODATA );
    for ( int r = 0; r < H; ++r )
    {
      for ( int c = 0; c < W; ++c )
        row[c] = static_cast<float>( std::hypot( c - 500.0, r - 350.0 ) < 60.0 ? NODATA : surface( b, c, r ) );
      if ( GDALRasterIO( GDALGetRasterBand( ds, b ), GF_Write, 0, r, W, 1, row.data(), W, 1, GDT_Float32, 0, 0 ) != CE_None )
        return QString::fromUtf8( CPLGetLastErrorMsg() );
    }
  }
  GDALClose( ds );
  return QString();
}

// A VRT mosaic of \a n x \a n copies of \a tile (size t x t).
QString writeMosaic( const QString &vrtPath, const QString &tile, int t, int n )
{
  QFile f( vrtPath );
  if ( !f.open( QIODevice::WriteOnly ) )
    return f.errorString();
  QString xml = QStringLiteral( "<VRTDataset rasterXSize=\"%1\" rasterYSize=\"%1\">\n"
                                "  <GeoTransform>0, 1, 0, 0, 0, -1</GeoTransform>\n"
                                "  <BlockXSize>256</BlockXSize><BlockYSize>256</BlockYSize>\n"
                                "  <VRTRasterBand dataType=\"Float32\" band=\"1\">\n" ).arg( t * n );
  for ( int i = 0; i < n; ++i )
    for ( int j = 0; j < n; ++j )
      xml += QStringLiteral( "    <SimpleSource><SourceFilename relativeToVRT=\"0\">%1</SourceFilename><SourceBand>1</SourceBand>"
                             "<SrcRect xOff=\"0\" yOff=\"0\" xSize=\"%2\" ySize=\"%2\"/><DstRect xOff=\"%3\" yOff=\"%4\" xSize=\"%2\" ySize=\"%2\"/></SimpleSource>\n" )
               .arg( tile ).arg( t ).arg( j * t ).arg( i * t );
  xml += QStringLiteral( "  </VRTRasterBand>\n</VRTDataset>\n" );
  f.write( xml.toUtf8() );
  return QString();
}

// A memory figure of this process from /proc/self/status (VmHWM: the peak since the last reset,
// VmRSS: now), in bytes (Linux).
uint64_t statusBytes( const char *key )
{
  QFile status( QStringLiteral( "/proc/self/status" ) );
  if ( !status.open( QIODevice::ReadOnly ) )
    return 0;
  for ( const QByteArray &line : status.readAll().split( '\n' ) )
    if ( line.startsWith( key ) )
      return line.mid( static_cast<int>( qstrlen( key ) ) ).trimmed().split( ' ' ).value( 0 ).toULongLong() * 1024;
  return 0;
}

bool resetPeakRss()
{
  QFile clear( QStringLiteral( "/proc/self/clear_refs" ) );
  return clear.open( QIODevice::WriteOnly ) && clear.write( "5" ) == 1;
}

} // namespace

class TestRasterStream : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void matchesBruteForce_data();
    void matchesBruteForce();
    void boundedMemory();
    void cancel();
    void processingAlgorithm();

  private:
    QTemporaryDir mDir;
    QString mPath;
};

void TestRasterStream::initTestCase()
{
  QVERIFY( test::startQgis() );
  mPath = mDir.filePath( QStringLiteral( "stats.tif" ) );
  QCOMPARE( writeFixture( mPath ), QString() );
}

void TestRasterStream::cleanupTestCase()
{
  test::stopQgis();
}

void TestRasterStream::matchesBruteForce_data()
{
  QTest::addColumn<QSize>( "chunk" );
  QTest::addColumn<int>( "threads" );
  QTest::newRow( "chunk 256, 1 thread" ) << QSize( 256, 256 ) << 1;
  QTest::newRow( "chunk 300x600, 2 threads" ) << QSize( 300, 600 ) << 2;
  QTest::newRow( "chunk 1, 3 threads" ) << QSize( 1, 1 ) << 3;
  QTest::newRow( "one chunk, 4 threads" ) << QSize( 4096, 4096 ) << 4;
}

void TestRasterStream::matchesBruteForce()
{
  QFETCH( QSize, chunk );
  QFETCH( int, threads );
  StreamSettings settings;
  settings.chunk = chunk;
  settings.threads = threads;
  double lastProgress = -1;
  settings.progress = [&]( double p ) {
    QVERIFY( p > lastProgress );
    lastProgress = p;
  };
  std::vector<BandStatistics> stats;
  QVERIFY( streamStatistics( mPath, settings, stats ) );
  QCOMPARE( lastProgress, 100.0 );
  QCOMPARE( int( stats.size() ), 2 );
  // Brute force: every pixel from the formula the fixture was written with (as float32).
  for ( int b = 1; b <= 2; ++b )
  {
    uint64_t valid = 0, masked = 0;
    double sum = 0, squares = 0, lo = INFINITY, hi = -INFINITY;
    for ( int r = 0; r < H; ++r )
      for ( int c = 0; c < W; ++c )
      {
        if ( std::hypot( c - 500.0, r - 350.0 ) < 60.0 )
        {
          ++masked;
          continue;
        }
        const double v = static_cast<float>( surface( b, c, r ) );
        ++valid;
        sum += v;
        squares += v * v;
        lo = std::min( lo, v );
        hi = std::max( hi, v );
      }
    const BandStatistics &s = stats[b - 1];
    QCOMPARE( s.band, b );
    QCOMPARE( s.valid, valid );
    QCOMPARE( s.masked, masked );
    QCOMPARE( s.min, lo );
    QCOMPARE( s.max, hi );
    QVERIFY( std::fabs( s.sum - sum ) <= 1e-9 * std::fabs( sum ) );
    const double mean = sum / valid;
    QVERIFY( std::fabs( s.stddev() - std::sqrt( squares / valid - mean * mean ) ) <= 1e-6 );
  }
}

void TestRasterStream::boundedMemory()
{
  // A 2048 x 2048 float32 tile (16 MiB), mosaicked 6 x 6 by a VRT: a 576 MiB virtual raster,
  // streamed in 2048 x 2048 chunks on 2 threads. Peak RSS growth must stay within 1.5 x one
  // chunk of the raster's type (24 MiB).
  const int tileSize = 2048, n = 6;
  const QString tile = mDir.filePath( QStringLiteral( "tile.tif" ) );
  {
    const char *options[] = { "TILED=YES", nullptr };
    GDALDatasetH ds = GDALCreate( GDALGetDriverByName( "GTiff" ), tile.toUtf8().constData(), tileSize, tileSize, 1, GDT_Float32, const_cast<char **>( options ) );
    std::vector<float> row( tileSize );
    for ( int r = 0; r < tileSize; ++r )
    {
      for ( int c = 0; c < tileSize; ++c )
        row[c] = static_cast<float>( ( c * 7 + r * 3 ) % 1000 );
      QCOMPARE( GDALRasterIO( GDALGetRasterBand( ds, 1 ), GF_Write, 0, r, tileSize, 1, row.data(), tileSize, 1, GDT_Float32, 0, 0 ), CE_None );
    }
    GDALClose( ds );
  }
  const QString vrt = mDir.filePath( QStringLiteral( "mosaic.vrt" ) );
  QCOMPARE( writeMosaic( vrt, tile, tileSize, n ), QString() );
  if ( !resetPeakRss() )
    QSKIP( "this kernel cannot reset the peak RSS (/proc/self/clear_refs)" );
  const uint64_t before = statusBytes( "VmRSS:" );
  StreamSettings settings;
  settings.chunk = QSize( tileSize, tileSize );
  settings.threads = 2;
  std::vector<BandStatistics> stats;
  QVERIFY( streamStatistics( vrt, settings, stats ) );
  const uint64_t growth = statusBytes( "VmHWM:" ) - before;
  const uint64_t chunkBytes = uint64_t( tileSize ) * tileSize * 4;
  qInfo( "peak RSS growth %.1f MiB for a %.0f MiB virtual raster (one chunk: %.1f MiB)", growth / 1048576.0,
         double( tileSize ) * n * tileSize * n * 4 / 1048576.0, chunkBytes / 1048576.0 );
  QCOMPARE( stats[0].valid, uint64_t( tileSize ) * tileSize * n * n );
  QVERIFY2( growth <= chunkBytes * 3 / 2, qPrintable( QStringLiteral( "%1 bytes" ).arg( growth ) ) );
}

void TestRasterStream::cancel()
{
  std::atomic<bool> stop { true };
  StreamSettings settings;
  settings.chunk = QSize( 256, 256 );
  settings.cancel = &stop;
  std::vector<BandStatistics> stats;
  const Status st = streamStatistics( mPath, settings, stats );
  QVERIFY( !st );
  QVERIFY( st.message().contains( QStringLiteral( "cancelled" ) ) );
  QVERIFY( !streamStatistics( mDir.filePath( QStringLiteral( "none.tif" ) ), StreamSettings(), stats ) );
}

void TestRasterStream::processingAlgorithm()
{
  // gridshade:rasterstatistics writes one CSV row per band, equal to streamStatistics().
  const QgsProcessingAlgorithm *alg = QgsApplication::processingRegistry()->algorithmById( QStringLiteral( "gridshade:rasterstatistics" ) );
  QVERIFY( alg );
  const QString csv = mDir.filePath( QStringLiteral( "stats.csv" ) );
  QgsProcessingContext context;
  QgsProcessingFeedback feedback;
  bool ok = false;
  const QVariantMap results = alg->run( { { QStringLiteral( "INPUT" ), mPath }, { QStringLiteral( "CHUNK" ), 300 }, { QStringLiteral( "OUTPUT" ), csv } },
                                        context, &feedback, &ok );
  QVERIFY( ok );
  QVERIFY( results.value( QStringLiteral( "MIB_PER_SECOND" ) ).toDouble() > 0 );
  std::vector<BandStatistics> expected;
  QVERIFY( streamStatistics( mPath, StreamSettings(), expected ) );
  QFile f( csv );
  QVERIFY( f.open( QIODevice::ReadOnly ) );
  const QList<QByteArray> lines = f.readAll().trimmed().split( '\n' );
  QCOMPARE( lines.size(), 3 );
  QCOMPARE( lines[0], QByteArray( "band,valid,masked,min,max,mean,stddev,sum" ) );
  for ( int b = 0; b < 2; ++b )
  {
    const QList<QByteArray> cells = lines[b + 1].split( ',' );
    QCOMPARE( cells[0].toInt(), b + 1 );
    QCOMPARE( cells[1].toULongLong(), expected[b].valid );
    QCOMPARE( cells[3].toDouble(), expected[b].min );
    QVERIFY( std::fabs( cells[5].toDouble() - expected[b].mean() ) <= 1e-9 * std::fabs( expected[b].mean() ) );
  }
}

GRIDSHADE_QGIS_TEST_MAIN( TestRasterStream )
#include "test_raster_stream.moc"
