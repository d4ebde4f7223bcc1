// SPDX-License-Identifier: GPL-2.0-or-later
// Datashader's point-to-pixel rule at the edges, the single north-up flip, web-map zoom levels.
#include "core/viewport.h"
#include "scene/standard_zooms.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>
#include <limits>

using namespace gridshade;

class TestViewport : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void edges_data();
    void edges();
    void roundingLikeDatashader();
    void validate();
    void forDevice_data();
    void forDevice();
    void webZoom();
};

void TestViewport::edges_data()
{
  QTest::addColumn<double>( "x" );
  QTest::addColumn<double>( "y" );
  QTest::addColumn<qint64>( "index" ); // north-up index into a 4x4 grid, -1 = dropped

  // Extent 0..4 x 0..4 on 4x4 pixels: one unit per pixel. Image row = 3 - floor(y).
  QTest::newRow( "xmin,ymin corner" ) << 0.0 << 0.0 << qint64( 3 * 4 + 0 );
  QTest::newRow( "xmax,ymax corner (clamped)" ) << 4.0 << 4.0 << qint64( 0 * 4 + 3 );
  QTest::newRow( "xmax,ymin corner" ) << 4.0 << 0.0 << qint64( 3 * 4 + 3 );
  QTest::newRow( "xmin,ymax corner" ) << 0.0 << 4.0 << qint64( 0 );
  QTest::newRow( "interior edge x=1,y=2" ) << 1.0 << 2.0 << qint64( 1 * 4 + 1 );
  QTest::newRow( "just below interior edge" ) << std::nextafter( 1.0, 0.0 ) << std::nextafter( 2.0, 0.0 ) << qint64( 2 * 4 + 0 );
  QTest::newRow( "centre" ) << 2.5 << 1.5 << qint64( 2 * 4 + 2 );
  QTest::newRow( "just outside xmin" ) << -1e-12 << 1.0 << qint64( -1 );
  QTest::newRow( "just outside xmax" ) << std::nextafter( 4.0, 5.0 ) << 1.0 << qint64( -1 );
  QTest::newRow( "just outside ymax" ) << 1.0 << std::nextafter( 4.0, 5.0 ) << qint64( -1 );
  QTest::newRow( "NaN x" ) << std::numeric_limits<double>::quiet_NaN() << 1.0 << qint64( -1 );
  QTest::newRow( "NaN y" ) << 1.0 << std::numeric_limits<double>::quiet_NaN() << qint64( -1 );
  QTest::newRow( "+inf" ) << std::numeric_limits<double>::infinity() << 1.0 << qint64( -1 );
  QTest::newRow( "-inf" ) << 1.0 << -std::numeric_limits<double>::infinity() << qint64( -1 );
}

void TestViewport::edges()
{
  QFETCH( double, x );
  QFETCH( double, y );
  QFETCH( qint64, index );
  const Viewport vp( Extent { 0, 0, 4, 4 }, 4, 4 );
  QCOMPARE( static_cast<qint64>( vp.pixelIndex( x, y ) ), index );
}

void TestViewport::roundingLikeDatashader()
{
  // Expected values computed in Python floats (the arithmetic of Datashader's numba kernel).
  // Extent [0, 0.3] on 3 columns: sx = 3 / 0.3 = 10.0; x = 0.3 (xmax) maps to 3.0 -> clamped to 2.
  const Viewport vp( Extent { 0.0, 0.0, 0.3, 0.3 }, 3, 3 );
  QCOMPARE( vp.scaleX(), 10.0 );
  QCOMPARE( vp.column( 0.1 ), 1 );
  QCOMPARE( vp.column( 0.2 ), 2 );
  QCOMPARE( vp.column( 0.3 ), 2 );
  // [0.1, 0.4] on 3 columns: 0.4 - 0.1 = 0.30000000000000004, sx = 9.999999999999998,
  // tx = -0.9999999999999999; the interior edge x = 0.2 maps to 0.9999999999999999, so it
  // lands in column 0, not 1, exactly as in Datashader.
  const Viewport shifted( Extent { 0.1, 0.0, 0.4, 1.0 }, 3, 1 );
  QCOMPARE( shifted.scaleX(), 9.999999999999998 );
  QCOMPARE( shifted.translateX(), -0.9999999999999999 );
  QCOMPARE( shifted.column( 0.2 ), 0 );
  QCOMPARE( shifted.column( 0.1 ), 0 );
  QCOMPARE( shifted.column( 0.4 ), 2 );
  // The one flip: grid row 0 (ymin) is the last image row.
  QCOMPARE( vp.imageRow( 0 ), 2 );
  QCOMPARE( vp.imageRow( 2 ), 0 );
  QCOMPARE( vp.imageRowCoordinate( 0.3 ), 0.0 );
  QCOMPARE( vp.imageRowCoordinate( 0.0 ), 3.0 );
}

void TestViewport::validate()
{
  QVERIFY( Viewport( Extent { 0, 0, 1, 1 }, 10, 10 ).validate().isOk() );
  QVERIFY( !Viewport( Extent { 0, 0, 1, 1 }, 0, 10 ).validate().isOk() );
  QVERIFY( !Viewport( Extent { 0, 0, 1, 1 }, 10, -1 ).validate().isOk() );
  QVERIFY( !Viewport( Extent { 1, 0, 1, 1 }, 10, 10 ).validate().isOk() );
  QVERIFY( !Viewport( Extent { 0, 0, std::numeric_limits<double>::quiet_NaN(), 1 }, 10, 10 ).validate().isOk() );
  QVERIFY( !Viewport( Extent { 0, 0, 1, 1 }, 10, 10, 0.0 ).validate().isOk() );
  const Status s = Viewport( Extent { 0, 0, 1, 1 }, 0, 5 ).validate();
  QVERIFY2( s.message().contains( QStringLiteral( "0x5" ) ), qPrintable( s.message() ) );
}

void TestViewport::forDevice_data()
{
  QTest::addColumn<int>( "logicalWidth" );
  QTest::addColumn<int>( "logicalHeight" );
  QTest::addColumn<double>( "ratio" );
  QTest::newRow( "801x601 at 1.5 (rounded up)" ) << 801 << 601 << 1.5;
  QTest::newRow( "801x601 at 1.25 (rounded down)" ) << 801 << 601 << 1.25;
  QTest::newRow( "803x599 at 1.75" ) << 803 << 599 << 1.75;
  QTest::newRow( "1024x768 at 1.5 (exact)" ) << 1024 << 768 << 1.5;
  QTest::newRow( "801x601 at 2 (exact)" ) << 801 << 601 << 2.0;
  QTest::newRow( "801x601 at 1 (exact)" ) << 801 << 601 << 1.0;
}

// The device grid of a map drawn at a fractional ratio, against brute force: a position d
// device pixels from the top-left corner (a logical position d / ratio, which is where QGIS's
// painter puts it) must fall in column floor(d); exact sizes give Datashader's grid unchanged.
void TestViewport::forDevice()
{
  QFETCH( int, logicalWidth );
  QFETCH( int, logicalHeight );
  QFETCH( double, ratio );
  const int w = qRound( logicalWidth * ratio ), h = qRound( logicalHeight * ratio ); // as QSize * qreal
  const double unit = 611.49622628141; // map units per logical pixel
  const Extent logical { 1000.0, -5000.0, 1000.0 + logicalWidth * unit, -5000.0 + logicalHeight * unit };
  const Viewport vp = Viewport::forDevice( logical, logicalWidth, logicalHeight, w, h, ratio );
  QCOMPARE( vp.width(), w );
  QCOMPARE( vp.height(), h );
  QVERIFY( vp.validate() );
  QCOMPARE( vp.extent().xmin, logical.xmin );
  QCOMPARE( vp.extent().ymax, logical.ymax );
  if ( w == logicalWidth * ratio && h == logicalHeight * ratio )
  {
    const Viewport plain( logical, w, h, ratio );
    QVERIFY( vp.extent() == plain.extent() );
    QCOMPARE( vp.scaleX(), plain.scaleX() );
    QCOMPARE( vp.translateX(), plain.translateX() );
    QCOMPARE( vp.scaleY(), plain.scaleY() );
    QCOMPARE( vp.translateY(), plain.translateY() );
  }
  int wrong = 0;
  for ( int i = 0; i < 4000; ++i )
  {
    // Device positions 0.1 .. 0.9 into a pixel, over every column and row of the image.
    const double dx = ( i * 7919 ) % w + 0.1 + 0.8 * ( ( i * 31 ) % 97 ) / 96.0;
    const double dy = ( i * 104729 ) % h + 0.1 + 0.8 * ( ( i * 17 ) % 89 ) / 88.0;
    const double x = logical.xmin + dx / ratio * unit, y = logical.ymax - dy / ratio * unit;
    const int64_t expected = static_cast<int64_t>( std::floor( dy ) ) * w + static_cast<int64_t>( std::floor( dx ) );
    wrong += vp.pixelIndex( x, y ) != expected;
  }
  QCOMPARE( wrong, 0 );
}

// The resolutions of renderer/resources/scenes.json give back their zoom levels, and halving the
// resolution adds one level.
void TestViewport::webZoom()
{
  QFile f( QStringLiteral( GRIDSHADE_SOURCE_DIR "/renderer/resources/scenes.json" ) );
  QVERIFY( f.open( QIODevice::ReadOnly ) );
  const QJsonObject viewports = QJsonDocument::fromJson( f.readAll() ).object().value( QStringLiteral( "viewports" ) ).toObject();
  QCOMPARE( viewports.size(), 4 );
  for ( const QString &name : viewports.keys() )
  {
    const QJsonObject v = viewports.value( name ).toObject();
    const double res = v.value( QStringLiteral( "res_m_per_px" ) ).toDouble();
    const int zoom = v.value( QStringLiteral( "zoom" ) ).toInt();
    QVERIFY2( std::abs( standard::zoomForResolution( res ) - zoom ) < 1e-12, qPrintable( name ) );
    QVERIFY( std::abs( standard::zoomForResolution( res / 2 ) - ( zoom + 1 ) ) < 1e-12 );
  }
  QVERIFY( std::isnan( standard::zoomForResolution( 0.0 ) ) );
  QVERIFY( std::isnan( standard::zoomForResolution( -1.0 ) ) );
}

QTEST_APPLESS_MAIN( TestViewport )
#include "test_viewport.moc"
