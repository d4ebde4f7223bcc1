// SPDX-License-Identifier: GPL-2.0-or-later
// validateAlignment on a metric (EPSG:3857) and a geographic (EPSG:4326) extent.
#include "checks/alignment.h"
#include "core/viewport.h"
#include "scene/standard_zooms.h"

#include <QtTest>

using namespace gridshade;

class TestAlignment : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void aligned_data();
    void aligned();
    void misaligned();
    void pixelCentresBinToTheirPixel();
};

void TestAlignment::aligned_data()
{
  QTest::addColumn<double>( "xmin" );
  QTest::addColumn<double>( "ymin" );
  QTest::addColumn<double>( "xmax" );
  QTest::addColumn<double>( "ymax" );
  QTest::addColumn<int>( "width" );
  QTest::addColumn<int>( "height" );
  const Extent z12 = standard::viewport( 12 ).extent();
  QTest::newRow( "EPSG:3857 metres (Z12)" ) << z12.xmin << z12.ymin << z12.xmax << z12.ymax << 1024 << 768;
  QTest::newRow( "EPSG:4326 degrees (Zurich)" ) << 8.3 << 47.25 << 8.7 << 47.55 << 800 << 600;
}

void TestAlignment::aligned()
{
  QFETCH( double, xmin );
  QFETCH( double, ymin );
  QFETCH( double, xmax );
  QFETCH( double, ymax );
  QFETCH( int, width );
  QFETCH( int, height );
  const Extent e { xmin, ymin, xmax, ymax };
  // A transform built the way a GIS builds one: top-left origin, pixel size from the extent.
  const GeoTransform t = GeoTransform::fromExtent( e, width, height );
  const double error = validateAlignment( e, t, width, height );
  QVERIFY2( error < 0.5, qPrintable( QString::number( error ) ) );
  QVERIFY2( error < 1e-6, qPrintable( QString::number( error ) ) );
}

void TestAlignment::misaligned()
{
  const Extent e { 8.3, 47.25, 8.7, 47.55 };
  GeoTransform t = GeoTransform::fromExtent( e, 800, 600 );
  t.c[0] += 0.75 * t.c[1]; // origin shifted by 0.75 px
  QVERIFY( std::abs( validateAlignment( e, t, 800, 600 ) - 0.75 ) < 1e-6 );
  GeoTransform flipped = GeoTransform::fromExtent( e, 800, 600 );
  flipped.c[3] = e.ymin; // south-up grid read as north-up: rows mirrored
  flipped.c[5] = -flipped.c[5];
  QVERIFY( validateAlignment( e, flipped, 800, 600 ) > 100 );
  QVERIFY( std::isinf( validateAlignment( Extent { 0, 0, 0, 0 }, t, 800, 600 ) ) );
}

void TestAlignment::pixelCentresBinToTheirPixel()
{
  // The centre of every transform pixel must be binned into that very pixel (north-up).
  const Extent e { 8.3, 47.25, 8.7, 47.55 };
  const int w = 64, h = 48;
  const GeoTransform t = GeoTransform::fromExtent( e, w, h );
  const Viewport vp( e, w, h );
  for ( int row = 0; row < h; ++row )
    for ( int col = 0; col < w; ++col )
    {
      double x, y;
      t.apply( col + 0.5, row + 0.5, x, y );
      QCOMPARE( vp.pixelIndex( x, y ), static_cast<int64_t>( row ) * w + col );
    }
}

QTEST_APPLESS_MAIN( TestAlignment )
#include "test_alignment.moc"
