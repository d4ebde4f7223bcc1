// SPDX-License-Identifier: GPL-2.0-or-later
// gridshade-render end to end: outputs, stats, exports, and clear errors for bad input.
#include "scene_generator.h"

#include <QFile>
#include <QImage>
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

Run render( const QStringList &args )
{
  QProcess p;
  p.start( QStringLiteral( GRIDSHADE_RENDER_TOOL ), args );
  p.waitForFinished( 120000 );
  return Run { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromLocal8Bit( p.readAllStandardError() ) };
}
} // namespace

class TestCli : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void sceneToPngStatsNpy();
    void csvWithValues();
    void corruptPointsFile();
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
  QCOMPARE( r.exitCode, 1 );
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

QTEST_APPLESS_MAIN( TestCli )
#include "test_cli.moc"
