// SPDX-License-Identifier: GPL-2.0-or-later
// gridshade-render end to end: outputs, stats, exports, and clear errors for bad input.
#include "scene/scene_generator.h"

#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

namespace
{
struct Run
{
    int exitCode = -1;
    QString stdErr;
};

Run runTool( const QString &tool, const QStringList &args )
{
  QProcess p;
  p.start( tool, args );
  p.waitForFinished( 120000 );
  return Run { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromLocal8Bit( p.readAllStandardError() ) };
}

Run render( const QStringList &args )
{
  return runTool( QStringLiteral( GRIDSHADE_RENDER_TOOL ), args );
}

QByteArray fileBytes( const QString &path )
{
  QFile f( path );
  return f.open( QIODevice::ReadOnly ) ? f.readAll() : QByteArray();
}
} // namespace

class TestCli : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void sceneToPngStatsNpy();
    void pointIndex();
    void pointIndexErrors();
    void csvWithValues();
    void corruptPointsFile();
    void malformedCsv_data();
    void malformedCsv();
    void skipBadRows();
    void badArguments_data();
    void badArguments();

  private:
    QTemporaryDir mDir;
};

void TestCli::sceneToPngStatsNpy()
{
  const QString png = mDir.filePath( QStringLiteral( "out/z8.png" ) );
  const QString json = mDir.filePath( QStringLiteral( "z8.json" ) );
  const QString npy = mDir.filePath( QStringLiteral( "z8.npy" ) );
  const QString pts = mDir.filePath( QStringLiteral( "scene.bin" ) );
  const Run r = render( { QStringLiteral( "--scene" ), QStringLiteral( "20000" ), QStringLiteral( "--zoom" ), QStringLiteral( "Z4" ),
                          QStringLiteral( "--out" ), png, QStringLiteral( "--stats" ), json, QStringLiteral( "--npy" ), npy,
                          QStringLiteral( "--write-points" ), pts } );
  QVERIFY2( r.exitCode == 0, qPrintable( r.stdErr ) );
  const QImage img( png );
  QCOMPARE( img.size(), QSize( 1024, 768 ) );
  QFile f( json );
  QVERIFY( f.open( QIODevice::ReadOnly ) );
  const QJsonObject stats = QJsonDocument::fromJson( f.readAll() ).object();
  const QJsonObject points = stats.value( QStringLiteral( "points" ) ).toObject();
  QCOMPARE( points.value( QStringLiteral( "total" ) ).toInt(), 20000 );
  const int inView = points.value( QStringLiteral( "in_view" ) ).toInt();
  QCOMPARE( inView + points.value( QStringLiteral( "dropped_outside" ) ).toInt(), 20000 );
  QVERIFY( stats.value( QStringLiteral( "timings" ) ).toObject().contains( QStringLiteral( "aggregate_ms" ) ) );

  // The .npy holds uint32 counts, (768, 1024), summing to the points in view.
  QFile n( npy );
  QVERIFY( n.open( QIODevice::ReadOnly ) );
  const QByteArray bytes = n.readAll();
  QVERIFY( bytes.startsWith( QByteArray( "\x93NUMPY\x01\x00", 8 ) ) );
  const int headerLen = static_cast<uchar>( bytes[8] ) | ( static_cast<uchar>( bytes[9] ) << 8 );
  QVERIFY( ( 10 + headerLen ) % 64 == 0 );
  const QByteArray header = bytes.mid( 10, headerLen );
  QVERIFY( header.contains( "'descr': '<u4'" ) );
  QVERIFY( header.contains( "'shape': (768, 1024)" ) );
  QCOMPARE( bytes.size() - 10 - headerLen, 768 * 1024 * 4 );
  uint64_t sum = 0;
  for ( int i = 0; i < 768 * 1024; ++i )
  {
    uint32_t v;
    std::memcpy( &v, bytes.constData() + 10 + headerLen + 4 * i, 4 );
    sum += v;
  }
  QCOMPARE( sum, uint64_t( inView ) );

  // The written points are the scene, bit for bit.
  QFile p( pts );
  QVERIFY( p.open( QIODevice::ReadOnly ) );
  const QByteArray raw = p.readAll();
  QCOMPARE( raw.size(), 20000 * 16 );
  const gridshade::PointColumns scene = gridshade::SceneGenerator().generate( 20000 );
  double x0, y0;
  std::memcpy( &x0, raw.constData(), 8 );
  std::memcpy( &y0, raw.constData() + 8, 8 );
  QCOMPARE( x0, scene.x()[0] );
  QCOMPARE( y0, scene.y()[0] );
}

void TestCli::csvWithValues()
{
  const QString csv = mDir.filePath( QStringLiteral( "p.csv" ) );
  QFile f( csv );
  QVERIFY( f.open( QIODevice::WriteOnly ) );
  f.write( "lon,lat,v\n0.5,0.5,2\n0.5,0.5,4\n1.5,1.5,nan\n,1,1\n" );
  f.close();
  const QString npy = mDir.filePath( QStringLiteral( "mean.npy" ) );
  const Run r = render( { QStringLiteral( "--points" ), csv, QStringLiteral( "--x-column" ), QStringLiteral( "lon" ), QStringLiteral( "--y-column" ),
                          QStringLiteral( "lat" ), QStringLiteral( "--value-column" ), QStringLiteral( "v" ), QStringLiteral( "--reduction" ),
                          QStringLiteral( "mean" ), QStringLiteral( "--extent" ), QStringLiteral( "0,0,2,2" ), QStringLiteral( "--size" ),
                          QStringLiteral( "2x2" ), QStringLiteral( "--out" ), mDir.filePath( QStringLiteral( "mean.png" ) ),
                          QStringLiteral( "--npy" ), npy } );
  QVERIFY2( r.exitCode == 0, qPrintable( r.stdErr ) );
  QFile n( npy );
  QVERIFY( n.open( QIODevice::ReadOnly ) );
  const QByteArray bytes = n.readAll();
  const int headerLen = static_cast<uchar>( bytes[8] ) | ( static_cast<uchar>( bytes[9] ) << 8 );
  QVERIFY( bytes.mid( 10, headerLen ).contains( "'descr': '<f8'" ) );
  double v[4];
  std::memcpy( v, bytes.constData() + 10 + headerLen, 32 );
  // North-up: bottom-left pixel (row 1, col 0) holds the mean 3 of 2 and 4; the NaN-only pixel stays NaN.
  QCOMPARE( v[2], 3.0 );
  QVERIFY( std::isnan( v[1] ) );
  QVERIFY( std::isnan( v[0] ) );
}

namespace
{
QString writeText( const QString &path, const QByteArray &text )
{
  QFile f( path );
  if ( !f.open( QIODevice::WriteOnly ) )
    return QString();
  f.write( text );
  return path;
}

QJsonObject readJson( const QString &path )
{
  QFile f( path );
  return f.open( QIODevice::ReadOnly ) ? QJsonDocument::fromJson( f.readAll() ).object() : QJsonObject();
}
} // namespace

void TestCli::malformedCsv_data()
{
  QTest::addColumn<QByteArray>( "csv" );
  QTest::addColumn<QStringList>( "extra" );
  QTest::addColumn<QString>( "expected" ); // line number and the offending text
  QTest::newRow( "text cells" ) << QByteArray( "x,y\n1,2\nfoo,bar\n3,4\n" ) << QStringList() << QStringLiteral( "line 3: cell 1 'foo' is not a number: 'foo,bar'" );
  QTest::newRow( "too few cells" ) << QByteArray( "x,y\n1,2\n\n5\n" ) << QStringList() << QStringLiteral( "line 4: 1 cell(s), 2 needed: '5'" );
  QTest::newRow( "two dots" ) << QByteArray( "x,y\n1.2.3,4\n" ) << QStringList() << QStringLiteral( "line 2: cell 1 '1.2.3' is not a number" );
  QTest::newRow( "category text" ) << QByteArray( "x,y,c\n1,2,0\n1,2,red\n" ) << QStringList { QStringLiteral( "--category-column" ), QStringLiteral( "c" ), QStringLiteral( "--reduction" ), QStringLiteral( "count_cat" ) }
                                   << QStringLiteral( "line 3: category cell 3 'red' is not an integer >= 0" );
}

void TestCli::malformedCsv()
{
  // A malformed row is an error naming the file, the line and the row (exit 2), and nothing is written.
  QFETCH( QByteArray, csv );
  QFETCH( QStringList, extra );
  QFETCH( QString, expected );
  const QString path = writeText( mDir.filePath( QStringLiteral( "bad.csv" ) ), csv );
  const QString png = mDir.filePath( QStringLiteral( "bad.png" ) );
  const Run r = render( QStringList { QStringLiteral( "--points" ), path, QStringLiteral( "--out" ), png } + extra );
  QCOMPARE( r.exitCode, 2 );
  QVERIFY2( r.stdErr.contains( path ) && r.stdErr.contains( expected ), qPrintable( r.stdErr ) );
  QVERIFY( !QFile::exists( png ) );
}

void TestCli::skipBadRows()
{
  // Empty cells and nan/inf are numbers that are not finite: dropped and counted, never errors.
  // With --skip-bad-rows malformed rows are left out and reported: count and first line numbers.
  QByteArray csv = "x,y\n";
  int good = 0, nonFinite = 0;
  QList<int> bad;
  for ( int i = 0; i < 40; ++i )
  {
    const int line = i + 2;
    if ( i % 7 == 3 )
    {
      csv += "oops,1\n";
      bad << line;
    }
    else if ( i % 11 == 5 )
    {
      csv += i % 2 ? "nan,1\n" : ",1\n";
      ++nonFinite;
    }
    else
    {
      csv += QByteArray::number( 0.5 + i % 10 ) + "," + QByteArray::number( 0.5 + i / 10 ) + "\n";
      ++good;
    }
  }
  const QString path = writeText( mDir.filePath( QStringLiteral( "skip.csv" ) ), csv );
  const QString png = mDir.filePath( QStringLiteral( "skip.png" ) ), json = mDir.filePath( QStringLiteral( "skip.json" ) );
  const QStringList args { QStringLiteral( "--points" ), path, QStringLiteral( "--extent" ), QStringLiteral( "0,0,10,4" ), QStringLiteral( "--size" ),
                           QStringLiteral( "10x4" ), QStringLiteral( "--out" ), png, QStringLiteral( "--stats" ), json };
  QCOMPARE( render( args ).exitCode, 2 );
  const Run r = render( args + QStringList { QStringLiteral( "--skip-bad-rows" ) } );
  QCOMPARE( r.exitCode, 0 );
  const QJsonObject points = readJson( json ).value( QStringLiteral( "points" ) ).toObject();
  QCOMPARE( points.value( QStringLiteral( "rows_skipped" ) ).toInt(), bad.size() );
  QCOMPARE( points.value( QStringLiteral( "total" ) ).toInt(), good + nonFinite );
  QCOMPARE( points.value( QStringLiteral( "dropped_non_finite" ) ).toInt(), nonFinite );
  QCOMPARE( points.value( QStringLiteral( "in_view" ) ).toInt(), good );
  const QJsonArray lines = points.value( QStringLiteral( "first_skipped_lines" ) ).toArray();
  QCOMPARE( lines.size(), std::min( int( bad.size() ), 10 ) );
  for ( int i = 0; i < lines.size(); ++i )
    QCOMPARE( lines[i].toInt(), bad[i] );
  QVERIFY2( r.stdErr.contains( QStringLiteral( "skipped %1 malformed row(s)" ).arg( bad.size() ) ) && r.stdErr.contains( QString::number( bad[0] ) ), qPrintable( r.stdErr ) );
}

void TestCli::badArguments_data()
{
  QTest::addColumn<QStringList>( "args" );
  QTest::addColumn<int>( "code" );
  QTest::addColumn<QString>( "message" );
  const QString out = QStringLiteral( "/tmp/gridshade-never-written.png" );
  QTest::newRow( "no out" ) << QStringList { QStringLiteral( "--scene" ), QStringLiteral( "10" ) } << 2 << QStringLiteral( "--out" );
  QTest::newRow( "bad zoom" ) << QStringList { QStringLiteral( "--zoom" ), QStringLiteral( "Z99" ), QStringLiteral( "--out" ), out } << 2 << QStringLiteral( "Z99" );
  QTest::newRow( "bad how" ) << QStringList { QStringLiteral( "--how" ), QStringLiteral( "sqrt" ), QStringLiteral( "--out" ), out } << 2 << QStringLiteral( "sqrt" );
  QTest::newRow( "bad cmap" ) << QStringList { QStringLiteral( "--cmap" ), QStringLiteral( "notacolour" ), QStringLiteral( "--out" ), out } << 2 << QStringLiteral( "notacolour" );
  QTest::newRow( "zero size" ) << QStringList { QStringLiteral( "--extent" ), QStringLiteral( "0,0,1,1" ), QStringLiteral( "--size" ), QStringLiteral( "0x10" ), QStringLiteral( "--out" ), out } << 2 << QStringLiteral( "0x10" );
  QTest::newRow( "bad extent" ) << QStringList { QStringLiteral( "--extent" ), QStringLiteral( "0,0,a,1" ), QStringLiteral( "--out" ), out } << 2 << QStringLiteral( "'a'" );
  QTest::newRow( "span with eq_hist" ) << QStringList { QStringLiteral( "--span" ), QStringLiteral( "0,10" ), QStringLiteral( "--out" ), out } << 2 << QStringLiteral( "eq_hist" );
  QTest::newRow( "missing file" ) << QStringList { QStringLiteral( "--points" ), QStringLiteral( "/nonexistent.csv" ), QStringLiteral( "--out" ), out } << 1 << QStringLiteral( "does not exist" );
  QTest::newRow( "sum without values" ) << QStringList { QStringLiteral( "--scene" ), QStringLiteral( "10" ), QStringLiteral( "--reduction" ), QStringLiteral( "sum" ), QStringLiteral( "--out" ), out } << 1 << QStringLiteral( "value column" );
  QTest::newRow( "unknown option" ) << QStringList { QStringLiteral( "--frobnicate" ), QStringLiteral( "--out" ), out } << 2 << QStringLiteral( "frobnicate" );
}

void TestCli::corruptPointsFile()
{
  const QString bin = mDir.filePath( QStringLiteral( "corrupt.bin" ) );
  QFile f( bin );
  QVERIFY( f.open( QIODevice::WriteOnly ) );
  f.write( QByteArray( 21, '\x7f' ) ); // not a whole number of float64 x, y pairs
  f.close();
  const QString png = mDir.filePath( QStringLiteral( "corrupt.png" ) );
  Run r = render( { QStringLiteral( "--points" ), bin, QStringLiteral( "--out" ), png } );
  QCOMPARE( r.exitCode, 2 ); // malformed input
  QVERIFY2( r.stdErr.contains( QStringLiteral( "multiple of 16" ) ), qPrintable( r.stdErr ) );
  QVERIFY( !QFile::exists( png ) );
  r = render( { QStringLiteral( "--points" ), mDir.filePath( QStringLiteral( "z8.npy" ) ), QStringLiteral( "--out" ), png } );
  QCOMPARE( r.exitCode, 1 );
  QVERIFY2( r.stdErr.contains( QStringLiteral( "unknown points file type" ) ), qPrintable( r.stdErr ) );
  // A CSV without the named column.
  const QString csv = mDir.filePath( QStringLiteral( "nocol.csv" ) );
  QFile c( csv );
  QVERIFY( c.open( QIODevice::WriteOnly ) );
  c.write( "a,b\n1,2\n" );
  c.close();
  r = render( { QStringLiteral( "--points" ), csv, QStringLiteral( "--out" ), png } );
  QCOMPARE( r.exitCode, 1 );
  QVERIFY2( r.stdErr.contains( QStringLiteral( "no column 'x'" ) ), qPrintable( r.stdErr ) );
}

void TestCli::badArguments()
{
  QFETCH( QStringList, args );
  QFETCH( int, code );
  QFETCH( QString, message );
  const Run r = render( args );
  QCOMPARE( r.exitCode, code );
  QVERIFY2( r.stdErr.contains( message ), qPrintable( r.stdErr ) );
  QVERIFY( !QFile::exists( QStringLiteral( "/tmp/gridshade-never-written.png" ) ) );
}

// gridshade-index build, then gridshade-render --index: the same counts (.npy) and image as the
// render of the points themselves, for the scene and for a CSV, with the traversal in the stats.
void TestCli::pointIndex()
{
  const QString index = mDir.filePath( QStringLiteral( "scene.gspidx" ) );
  const Run built = runTool( QStringLiteral( GRIDSHADE_INDEX_TOOL ), { QStringLiteral( "build" ), QStringLiteral( "--scene" ), QStringLiteral( "50000" ),
                                                                       QStringLiteral( "--leaf" ), QStringLiteral( "32" ), QStringLiteral( "--out" ), index } );
  QVERIFY2( built.exitCode == 0, qPrintable( built.stdErr ) );
  for ( const QString &zoom : { QStringLiteral( "Z0" ), QStringLiteral( "Z8" ), QStringLiteral( "Z12" ) } )
  {
    const QString direct = mDir.filePath( QStringLiteral( "direct" ) ), indexed = mDir.filePath( QStringLiteral( "indexed" ) );
    Run r = render( { QStringLiteral( "--scene" ), QStringLiteral( "50000" ), QStringLiteral( "--zoom" ), zoom, QStringLiteral( "--out" ), direct + QStringLiteral( ".png" ),
                      QStringLiteral( "--npy" ), direct + QStringLiteral( ".npy" ) } );
    QVERIFY2( r.exitCode == 0, qPrintable( r.stdErr ) );
    r = render( { QStringLiteral( "--index" ), index, QStringLiteral( "--zoom" ), zoom, QStringLiteral( "--out" ), indexed + QStringLiteral( ".png" ),
                  QStringLiteral( "--npy" ), indexed + QStringLiteral( ".npy" ), QStringLiteral( "--stats" ), indexed + QStringLiteral( ".json" ) } );
    QVERIFY2( r.exitCode == 0, qPrintable( r.stdErr ) );
    QVERIFY2( fileBytes( direct + QStringLiteral( ".npy" ) ) == fileBytes( indexed + QStringLiteral( ".npy" ) ), qPrintable( zoom ) );
    QVERIFY2( fileBytes( direct + QStringLiteral( ".png" ) ) == fileBytes( indexed + QStringLiteral( ".png" ) ), qPrintable( zoom ) );
    const QJsonObject stats = QJsonDocument::fromJson( fileBytes( indexed + QStringLiteral( ".json" ) ) ).object();
    const QJsonObject traversal = stats.value( QStringLiteral( "index" ) ).toObject();
    const double inView = stats.value( QStringLiteral( "points" ) ).toObject().value( QStringLiteral( "in_view" ) ).toDouble();
    QVERIFY2( traversal.value( QStringLiteral( "points_whole" ) ).toDouble() + traversal.value( QStringLiteral( "points_scanned" ) ).toDouble() >= inView,
              QJsonDocument( traversal ).toJson().constData() );
    QCOMPARE( stats.value( QStringLiteral( "settings" ) ).toObject().value( QStringLiteral( "source" ) ).toString(), index );
  }
  // From a CSV with a malformed-free header x,y, including a NaN cell.
  const QString csv = mDir.filePath( QStringLiteral( "few.csv" ) );
  QFile f( csv );
  QVERIFY( f.open( QIODevice::WriteOnly ) );
  f.write( "x,y\n0.5,0.5\n1,1\nnan,0.2\n1.5,0.25\n2,2\n" );
  f.close();
  const QString csvIndex = mDir.filePath( QStringLiteral( "few.gspidx" ) );
  const Run fromCsv = runTool( QStringLiteral( GRIDSHADE_INDEX_TOOL ), { QStringLiteral( "build" ), QStringLiteral( "--points" ), csv, QStringLiteral( "--out" ), csvIndex } );
  QVERIFY2( fromCsv.exitCode == 0, qPrintable( fromCsv.stdErr ) );
  const QStringList view { QStringLiteral( "--extent" ), QStringLiteral( "0,0,2,2" ), QStringLiteral( "--size" ), QStringLiteral( "2x2" ) };
  Run r = render( QStringList { QStringLiteral( "--points" ), csv, QStringLiteral( "--out" ), mDir.filePath( QStringLiteral( "c1.png" ) ), QStringLiteral( "--npy" ),
                                mDir.filePath( QStringLiteral( "c1.npy" ) ) } + view );
  QVERIFY2( r.exitCode == 0, qPrintable( r.stdErr ) );
  r = render( QStringList { QStringLiteral( "--index" ), csvIndex, QStringLiteral( "--out" ), mDir.filePath( QStringLiteral( "c2.png" ) ), QStringLiteral( "--npy" ),
                            mDir.filePath( QStringLiteral( "c2.npy" ) ) } + view );
  QVERIFY2( r.exitCode == 0, qPrintable( r.stdErr ) );
  QCOMPARE( fileBytes( mDir.filePath( QStringLiteral( "c1.npy" ) ) ), fileBytes( mDir.filePath( QStringLiteral( "c2.npy" ) ) ) );
}

void TestCli::pointIndexErrors()
{
  const QString index = mDir.filePath( QStringLiteral( "small.gspidx" ) );
  const QString png = mDir.filePath( QStringLiteral( "x.png" ) );
  QCOMPARE( runTool( QStringLiteral( GRIDSHADE_INDEX_TOOL ), { QStringLiteral( "build" ), QStringLiteral( "--scene" ), QStringLiteral( "1000" ), QStringLiteral( "--out" ), index } ).exitCode, 0 );
  Run r = render( { QStringLiteral( "--index" ), index, QStringLiteral( "--reduction" ), QStringLiteral( "mean" ), QStringLiteral( "--out" ), png } );
  QVERIFY2( r.exitCode == 1 && r.stdErr.contains( QStringLiteral( "count only" ) ), qPrintable( r.stdErr ) );
  r = render( { QStringLiteral( "--index" ), index, QStringLiteral( "--scene" ), QStringLiteral( "10" ), QStringLiteral( "--out" ), png } );
  QVERIFY2( r.exitCode == 2 && r.stdErr.contains( QStringLiteral( "leave out --points and --scene" ) ), qPrintable( r.stdErr ) );
  const QString cut = mDir.filePath( QStringLiteral( "cut.gspidx" ) );
  QFile f( cut );
  QVERIFY( f.open( QIODevice::WriteOnly ) );
  f.write( fileBytes( index ).left( 500 ) );
  f.close();
  r = render( { QStringLiteral( "--index" ), cut, QStringLiteral( "--out" ), png } );
  QVERIFY2( r.exitCode == 1 && r.stdErr.contains( cut ) && r.stdErr.contains( QStringLiteral( "truncated" ) ), qPrintable( r.stdErr ) );
  r = runTool( QStringLiteral( GRIDSHADE_INDEX_TOOL ), { QStringLiteral( "build" ), QStringLiteral( "--out" ), index } );
  QVERIFY2( r.exitCode == 2 && r.stdErr.contains( QStringLiteral( "exactly one of --scene" ) ), qPrintable( r.stdErr ) );
  r = runTool( QStringLiteral( GRIDSHADE_INDEX_TOOL ), { QStringLiteral( "build" ), QStringLiteral( "--scene" ), QStringLiteral( "10" ), QStringLiteral( "--leaf" ), QStringLiteral( "0" ), QStringLiteral( "--out" ), index } );
  QVERIFY2( r.exitCode == 2 && r.stdErr.contains( QStringLiteral( "--leaf" ) ), qPrintable( r.stdErr ) );
}

QTEST_APPLESS_MAIN( TestCli )
#include "test_cli.moc"
