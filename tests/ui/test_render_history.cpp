// SPDX-License-Identifier: GPL-2.0-or-later
// RenderRecord from a renderStats map, its stage split and CSV row; RenderHistory's cap and
// export. Expected figures are worked out by hand from the maps below.
#include "render_history.h"

#include <QtTest>

using namespace gridshade;

class TestRenderHistory : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void pointsFromStats();
    void rasterFromStats();
    void gpuBytesFromEitherKey();
    void csvHeader();
    void csvRowQuotesAndBlanks();
    void capacityDropsOldest();
    void lastN();
    void csvExport();
};

namespace
{
// RFC 4180 reader for one line: the test's own, so that quoting is checked by parsing back.
QStringList parseCsvLine( const QString &line )
{
  QStringList fields;
  QString field;
  bool quoted = false;
  for ( int i = 0; i < line.size(); ++i )
  {
    const QChar c = line.at( i );
    if ( quoted )
    {
      if ( c == QLatin1Char( '"' ) && i + 1 < line.size() && line.at( i + 1 ) == QLatin1Char( '"' ) )
      {
        field += c;
        ++i;
      }
      else if ( c == QLatin1Char( '"' ) )
        quoted = false;
      else
        field += c;
    }
    else if ( c == QLatin1Char( '"' ) )
      quoted = true;
    else if ( c == QLatin1Char( ',' ) )
    {
      fields << field;
      field.clear();
    }
    else
      field += c;
  }
  fields << field;
  return fields;
}

RenderRecord named( const QString &layer )
{
  RenderRecord r;
  r.layer = layer;
  r.source = QStringLiteral( "points" );
  return r;
}
} // namespace

void TestRenderHistory::pointsFromStats()
{
  QVariantMap stats;
  stats.insert( QStringLiteral( "source" ), QStringLiteral( "points" ) );
  stats.insert( QStringLiteral( "backend" ), QStringLiteral( "gpu" ) );
  stats.insert( QStringLiteral( "device" ), QStringLiteral( "NVIDIA H100" ) );
  stats.insert( QStringLiteral( "backendNote" ), QString() );
  stats.insert( QStringLiteral( "width" ), 1024 );
  stats.insert( QStringLiteral( "height" ), 768 );
  stats.insert( QStringLiteral( "cacheMs" ), 1.5 );
  stats.insert( QStringLiteral( "aggregateMs" ), 20.0 );
  stats.insert( QStringLiteral( "shadeMs" ), 25.25 );
  stats.insert( QStringLiteral( "drawMs" ), 2 ); // an int, as older maps had
  stats.insert( QStringLiteral( "pointsTotal" ), static_cast<qulonglong>( 1000000 ) );
  stats.insert( QStringLiteral( "pointsInView" ), static_cast<qulonglong>( 523107 ) );
  stats.insert( QStringLiteral( "gpuResidentBytes" ), static_cast<qulonglong>( 16777216 ) );
  stats.insert( QStringLiteral( "gpuWorkBytes" ), static_cast<qulonglong>( 1048576 ) );
  stats.insert( QStringLiteral( "tag" ), QStringLiteral( "Z8" ) );

  const QDateTime before = QDateTime::currentDateTime();
  const RenderRecord r = RenderRecord::fromStats( stats );
  QVERIFY( r.time >= before && r.time <= QDateTime::currentDateTime() );
  QCOMPARE( r.source, QStringLiteral( "points" ) );
  QCOMPARE( r.tag, QStringLiteral( "Z8" ) );
  QCOMPARE( parseCsvLine( r.toCsvRow() ).at( 2 ), QStringLiteral( "Z8" ) );
  QVERIFY( !r.isRaster() );
  QCOMPARE( r.backend, QStringLiteral( "gpu" ) );
  QCOMPARE( r.device, QStringLiteral( "NVIDIA H100" ) );
  QCOMPARE( r.width, 1024 );
  QCOMPARE( r.height, 768 );
  QCOMPARE( r.readMs, -1.0 );
  QCOMPARE( r.regridMs, -1.0 );
  QCOMPARE( r.pointsTotal, 1000000LL );
  QCOMPARE( r.pointsInView, 523107LL );
  QCOMPARE( r.gpuBytes, 16777216LL + 1048576LL );
  QCOMPARE( r.rssBytes, -1LL );

  const auto stages = r.stages();
  QCOMPARE( stages.size(), 4 );
  QCOMPARE( stages.at( 0 ), qMakePair( QStringLiteral( "cache" ), 1.5 ) );
  QCOMPARE( stages.at( 1 ), qMakePair( QStringLiteral( "aggregate" ), 20.0 ) );
  QCOMPARE( stages.at( 2 ), qMakePair( QStringLiteral( "shade" ), 25.25 ) );
  QCOMPARE( stages.at( 3 ), qMakePair( QStringLiteral( "draw" ), 2.0 ) );
  QCOMPARE( r.totalMs(), 48.75 );
  // 1e6 points in 20 ms: 5e7 per second.
  QCOMPARE( r.pointsPerSecond(), 5e7 );
}

void TestRenderHistory::rasterFromStats()
{
  QVariantMap stats;
  stats.insert( QStringLiteral( "source" ), QStringLiteral( "raster" ) );
  stats.insert( QStringLiteral( "backend" ), QStringLiteral( "cpu" ) );
  stats.insert( QStringLiteral( "readMs" ), 12 );
  stats.insert( QStringLiteral( "regridMs" ), 8.5 );
  stats.insert( QStringLiteral( "shadeMs" ), 3.0 );
  stats.insert( QStringLiteral( "width" ), 800 );
  stats.insert( QStringLiteral( "height" ), 600 );
  const RenderRecord r = RenderRecord::fromStats( stats );
  QVERIFY( r.isRaster() );
  const auto stages = r.stages();
  QCOMPARE( stages.size(), 4 );
  QCOMPARE( stages.at( 0 ), qMakePair( QStringLiteral( "read" ), 12.0 ) );
  QCOMPARE( stages.at( 1 ), qMakePair( QStringLiteral( "regrid" ), 8.5 ) );
  QCOMPARE( stages.at( 2 ), qMakePair( QStringLiteral( "shade" ), 3.0 ) );
  QCOMPARE( stages.at( 3 ), qMakePair( QStringLiteral( "draw" ), -1.0 ) );
  // The unknown draw time is left out of the total.
  QCOMPARE( r.totalMs(), 23.5 );
  QVERIFY( r.hasTimes() );
  QCOMPARE( r.pointsTotal, -1LL );
  QCOMPARE( r.pointsPerSecond(), -1.0 );
  QCOMPARE( r.gpuBytes, -1LL );
  QCOMPARE( r.cacheMs, -1.0 );

  const RenderRecord empty = RenderRecord::fromStats( {} );
  QVERIFY( !empty.hasTimes() );
  QCOMPARE( empty.totalMs(), 0.0 );
  QCOMPARE( empty.width, 0 );
}

void TestRenderHistory::gpuBytesFromEitherKey()
{
  QVariantMap stats;
  stats.insert( QStringLiteral( "gpuWorkBytes" ), static_cast<qulonglong>( 4096 ) );
  QCOMPARE( RenderRecord::fromStats( stats ).gpuBytes, 4096LL );
  stats.clear();
  stats.insert( QStringLiteral( "gpuResidentBytes" ), 8192.0 );
  QCOMPARE( RenderRecord::fromStats( stats ).gpuBytes, 8192LL );

  // Points known but no aggregation time: no throughput rather than a division by zero.
  stats.insert( QStringLiteral( "pointsTotal" ), 10 );
  stats.insert( QStringLiteral( "aggregateMs" ), 0.0 );
  QCOMPARE( RenderRecord::fromStats( stats ).pointsPerSecond(), -1.0 );
}

void TestRenderHistory::csvHeader()
{
  const QString header = RenderRecord::csvHeader();
  QCOMPARE( header, QStringLiteral( "time,layer,render,source,backend,device,width,height,cache_ms,aggregate_ms,read_ms,regrid_ms,shade_ms,draw_ms,"
                                    "total_ms,points_total,points_in_view,points_per_s,rss_bytes,point_cache_bytes,gpu_bytes" ) );
  QVERIFY( !header.contains( QLatin1Char( '\n' ) ) );
}

void TestRenderHistory::csvRowQuotesAndBlanks()
{
  RenderRecord r = named( QStringLiteral( "pts, \"north\"" ) );
  r.time = QDateTime( QDate( 2024, 5, 6 ), QTime( 7, 8, 9, 123 ), Qt::UTC );
  r.backend = QStringLiteral( "gpu" );
  r.device = QStringLiteral( "NVIDIA H100" );
  r.width = 1024;
  r.height = 768;
  r.cacheMs = 0;
  r.aggregateMs = 20.1;
  r.shadeMs = 25.3;
  r.pointsTotal = 1000000;
  r.rssBytes = 432537600;

  const QString row = r.toCsvRow();
  QVERIFY( !row.contains( QLatin1Char( '\n' ) ) );
  QVERIFY( row.contains( QStringLiteral( ",\"pts, \"\"north\"\"\"," ) ) );
  const QStringList header = RenderRecord::csvHeader().split( QLatin1Char( ',' ) );
  const QStringList fields = parseCsvLine( row );
  QCOMPARE( fields.size(), header.size() );
  QMap<QString, QString> byName;
  for ( int i = 0; i < header.size(); ++i )
    byName.insert( header.at( i ), fields.at( i ) );

  QCOMPARE( byName.value( QStringLiteral( "time" ) ), QStringLiteral( "2024-05-06T07:08:09.123Z" ) );
  QCOMPARE( byName.value( QStringLiteral( "layer" ) ), QStringLiteral( "pts, \"north\"" ) );
  QCOMPARE( byName.value( QStringLiteral( "render" ) ), QStringLiteral( "canvas" ) );
  QCOMPARE( byName.value( QStringLiteral( "source" ) ), QStringLiteral( "points" ) );
  QCOMPARE( byName.value( QStringLiteral( "device" ) ), QStringLiteral( "NVIDIA H100" ) );
  QCOMPARE( byName.value( QStringLiteral( "width" ) ), QStringLiteral( "1024" ) );
  QCOMPARE( byName.value( QStringLiteral( "cache_ms" ) ), QStringLiteral( "0.000" ) );
  QCOMPARE( byName.value( QStringLiteral( "aggregate_ms" ) ), QStringLiteral( "20.100" ) );
  QCOMPARE( byName.value( QStringLiteral( "shade_ms" ) ), QStringLiteral( "25.300" ) );
  QCOMPARE( byName.value( QStringLiteral( "total_ms" ) ), QStringLiteral( "45.400" ) );
  QCOMPARE( byName.value( QStringLiteral( "points_total" ) ), QStringLiteral( "1000000" ) );
  QCOMPARE( byName.value( QStringLiteral( "rss_bytes" ) ), QStringLiteral( "432537600" ) );
  // 1e6 / 0.0201 s = 49751243.78...
  QCOMPARE( byName.value( QStringLiteral( "points_per_s" ) ), QStringLiteral( "49751244" ) );
  for ( const char *blank : { "read_ms", "regrid_ms", "draw_ms", "points_in_view", "point_cache_bytes", "gpu_bytes" } )
    QVERIFY2( byName.value( QLatin1String( blank ) ).isEmpty(), blank );

  // Nothing known at all: every figure blank, plain text unquoted.
  RenderRecord none = named( QStringLiteral( "plain" ) );
  const QStringList noneFields = parseCsvLine( none.toCsvRow() );
  QCOMPARE( noneFields.size(), header.size() );
  QCOMPARE( none.toCsvRow().section( QLatin1Char( ',' ), 1, 2 ), QStringLiteral( "plain,canvas" ) );
  for ( int i = 6; i < noneFields.size(); ++i )
    QVERIFY2( noneFields.at( i ).isEmpty(), qPrintable( header.at( i ) ) );
}

void TestRenderHistory::capacityDropsOldest()
{
  RenderHistory history( 3 );
  QCOMPARE( history.capacity(), 3 );
  for ( int i = 0; i < 5; ++i )
    history.add( named( QStringLiteral( "r%1" ).arg( i ) ) );
  QCOMPARE( history.size(), 3 );
  QCOMPARE( history.records().at( 0 ).layer, QStringLiteral( "r2" ) );
  QCOMPARE( history.records().at( 1 ).layer, QStringLiteral( "r3" ) );
  QCOMPARE( history.records().at( 2 ).layer, QStringLiteral( "r4" ) );
  history.clear();
  QCOMPARE( history.size(), 0 );
  QCOMPARE( RenderHistory().capacity(), RenderHistory::DEFAULT_CAPACITY );
}

void TestRenderHistory::lastN()
{
  RenderHistory history;
  for ( int i = 0; i < 4; ++i )
    history.add( named( QStringLiteral( "r%1" ).arg( i ) ) );
  const QVector<RenderRecord> two = history.last( 2 );
  QCOMPARE( two.size(), 2 );
  QCOMPARE( two.at( 0 ).layer, QStringLiteral( "r2" ) );
  QCOMPARE( two.at( 1 ).layer, QStringLiteral( "r3" ) );
  QCOMPARE( history.last( 10 ).size(), 4 );
  QCOMPARE( history.last( 10 ).at( 0 ).layer, QStringLiteral( "r0" ) );
  QVERIFY( history.last( 0 ).isEmpty() );
  QVERIFY( history.last( -1 ).isEmpty() );
}

void TestRenderHistory::csvExport()
{
  RenderHistory history;
  QCOMPARE( history.toCsv(), RenderRecord::csvHeader() + QLatin1Char( '\n' ) );
  RenderRecord a = named( QStringLiteral( "a" ) );
  a.shadeMs = 1;
  RenderRecord b = named( QStringLiteral( "b" ) );
  b.shadeMs = 2;
  history.add( a );
  history.add( b );
  const QStringList lines = history.toCsv().split( QLatin1Char( '\n' ) );
  QCOMPARE( lines.size(), 4 ); // header, two rows, empty after the final '\n'
  QCOMPARE( lines.at( 0 ), RenderRecord::csvHeader() );
  QCOMPARE( lines.at( 1 ), a.toCsvRow() );
  QCOMPARE( lines.at( 2 ), b.toCsvRow() );
  QVERIFY( lines.at( 3 ).isEmpty() );
  QVERIFY( !history.toCsv().contains( QLatin1Char( '\r' ) ) );
}

QTEST_GUILESS_MAIN( TestRenderHistory )
#include "test_render_history.moc"
