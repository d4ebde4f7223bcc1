// SPDX-License-Identifier: GPL-2.0-or-later
// linear, log, cbrt, eq_hist and the colormap kinds against values computed by hand.
#include "aggregation/cpu_aggregator.h"
#include "scene/scene_generator.h"
#include "scene/standard_zooms.h"
#include "shading/shader.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace gridshade;

namespace
{

Aggregate countGrid( int w, int h, const std::vector<uint32_t> &counts )
{
  Aggregate a;
  a.reset( Reduction::Count, w, h );
  a.counts() = counts;
  return a;
}

ShadeSettings grayRamp( How how )
{
  ShadeSettings s;
  s.how = how;
  s.colormap = Colormap::fromColors( { Rgb { 0, 0, 0 }, Rgb { 255, 255, 255 } } );
  return s;
}

uint32_t gray( uint8_t v )
{
  return RgbaImage::pack( v, v, v, 255 );
}

RgbaImage shade( const Aggregate &a, const ShadeSettings &s )
{
  RgbaImage img;
  const Status st = Shader::shade( a, s, img );
  if ( !st )
    qWarning() << st.message();
  return img;
}

std::vector<uint32_t> pixels( const RgbaImage &img )
{
  return std::vector<uint32_t>( img.constData(), img.constData() + img.pixelCount() );
}

} // namespace

class TestShading : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void how_data();
    void how();
    void singleColorAlphaRamp();
    void floatAggregate();
    void span();
    void allEqualTakesLastColour();
    void emptyIsTransparent();
    void eqHistBinnedPath();
    void valueTableEqualsPixelPath();
    void categorical();
    void errors();
};

void TestShading::how_data()
{
  QTest::addColumn<int>( "how" );
  QTest::addColumn<int>( "one" );   // grey level of count 2 (d = 1)
  QTest::addColumn<int>( "three" ); // grey level of count 4 (d = 3)
  // Counts {0, 1, 2, 4}: empty masked, offset 1, d = {0, 1, 3}; black-white ramp over span.
  // linear: span [0, 3]: 255 * 1/3 = 85.
  QTest::newRow( "linear" ) << int( How::Linear ) << 85 << 255;
  // log: t = log1p(d) = {0, ln 2, ln 4}: 255 * ln2 / ln4 = 127.5 -> 127.
  QTest::newRow( "log" ) << int( How::Log ) << 127 << 255;
  // cbrt: t = d^(1/3) = {0, 1, 1.44225}: 255 / 1.44225 = 176.8 -> 176.
  QTest::newRow( "cbrt" ) << int( How::Cbrt ) << 176 << 255;
  // eq_hist (exact integer path): values 0..3 with pixel counts {1, 1, 0, 1}: cdf {1, 2, 2, 3} / 3;
  // t = {1/3, 2/3, 1}; span [1/3, 1]: 255 * (2/3 - 1/3) / (2/3) = 127.49999999999999 -> 127.
  QTest::newRow( "eq_hist" ) << int( How::EqHist ) << 127 << 255;
}

void TestShading::how()
{
  QFETCH( int, how );
  QFETCH( int, one );
  QFETCH( int, three );
  const RgbaImage img = shade( countGrid( 2, 2, { 0, 1, 2, 4 } ), grayRamp( static_cast<How>( how ) ) );
  QCOMPARE( pixels( img ), ( std::vector<uint32_t> { 0u, gray( 0 ), gray( one ), gray( three ) } ) );
}

void TestShading::singleColorAlphaRamp()
{
  // Alpha knots 40..255 (216) over linspace(0, 3, 216); d = 1 falls at 71.67 knots:
  // 40 + 215 / 3 = 111.67 -> 111.
  ShadeSettings s = grayRamp( How::Linear );
  s.colormap = Colormap::singleColor( Rgb { 255, 0, 0 } );
  const RgbaImage img = shade( countGrid( 2, 2, { 0, 1, 2, 4 } ), s );
  QCOMPARE( pixels( img ), ( std::vector<uint32_t> { 0u, RgbaImage::pack( 255, 0, 0, 40 ), RgbaImage::pack( 255, 0, 0, 111 ),
                                                     RgbaImage::pack( 255, 0, 0, 255 ) } ) );
}

void TestShading::floatAggregate()
{
  Aggregate a;
  a.reset( Reduction::Sum, 2, 2 );
  a.values() = { std::numeric_limits<double>::quiet_NaN(), -1.5, 0.5, 2.5 };
  // offset -1.5 -> d = {0, 2, 4}; linear: 255 * 2/4 = 127.5 -> 127.
  const RgbaImage img = shade( a, grayRamp( How::Linear ) );
  QCOMPARE( pixels( img ), ( std::vector<uint32_t> { 0u, gray( 0 ), gray( 127 ), gray( 255 ) } ) );
}

void TestShading::span()
{
  // span [2, 10]: counts clipped into it, offset 2: d = {0, 0, 2}; knots over [0, 8]:
  // 255 * 2/8 = 63.75 -> 63.
  ShadeSettings s = grayRamp( How::Linear );
  s.hasSpan = true;
  s.spanMin = 2;
  s.spanMax = 10;
  const RgbaImage img = shade( countGrid( 2, 2, { 0, 1, 2, 4 } ), s );
  QCOMPARE( pixels( img ), ( std::vector<uint32_t> { 0u, gray( 0 ), gray( 0 ), gray( 63 ) } ) );
}

void TestShading::allEqualTakesLastColour()
{
  for ( How how : { How::Linear, How::Log, How::Cbrt, How::EqHist } )
  {
    const RgbaImage img = shade( countGrid( 3, 1, { 5, 0, 5 } ), grayRamp( how ) );
    QCOMPARE( pixels( img ), ( std::vector<uint32_t> { gray( 255 ), 0u, gray( 255 ) } ) );
  }
}

void TestShading::emptyIsTransparent()
{
  const RgbaImage img = shade( countGrid( 4, 4, std::vector<uint32_t>( 16, 0 ) ), ShadeSettings() );
  QCOMPARE( pixels( img ), std::vector<uint32_t>( 16, 0u ) );
}

void TestShading::eqHistBinnedPath()
{
  // Counts {1, 2, 70001} span 70000 >= 65536, so eq_hist bins: 65536 bins over [0, 70000],
  // d = {0, 1, 70000} land in bins 0, 0 and 65535. Kept centres c0 = 70000/65536/2 and
  // c1 = 70000 - c0, cdf {2/3, 1}. d = 0 and 1 lie left of c0 (0.534): t = 2/3; d = 70000 is right
  // of c1: t = 1. span [2/3, 1]: the two low pixels take the first colour, the top the last.
  const RgbaImage img = shade( countGrid( 3, 1, { 1, 2, 70001 } ), grayRamp( How::EqHist ) );
  QCOMPARE( pixels( img ), ( std::vector<uint32_t> { gray( 0 ), gray( 0 ), gray( 255 ) } ) );
}

void TestShading::valueTableEqualsPixelPath()
{
  // The value table is an optimisation: it must give the same bytes as pixel-by-pixel shading,
  // on the standard scene, on a copy with one count raised past 65,536 so that eq_hist takes
  // its binned path, and on one whose range exceeds the image size (sparse distinct values),
  // for every how and colormap kind.
  Aggregate agg;
  QVERIFY( CpuAggregator::aggregate( SceneGenerator().generate( 1000000 ), standard::viewport( 8 ), AggregateSettings(), agg ) );
  Aggregate wide = agg;
  wide.counts()[12345] = 200000; // forces eq_hist's 65,536-bin path (dense table)
  Aggregate huge = agg;
  huge.counts()[12345] = 3000000; // a range wider than the image: the sparse table
  for ( const Aggregate *a : { &agg, &wide, &huge } )
    for ( How how : { How::Linear, How::Log, How::Cbrt, How::EqHist } )
      for ( const QString &cmap : { QStringLiteral( "fire" ), QStringLiteral( "viridis" ), QStringLiteral( "#3080ff" ) } )
      {
        ShadeSettings s;
        s.how = how;
        QVERIFY( Colormap::parse( cmap, s.colormap ) );
        const RgbaImage fast = shade( *a, s );
        s.useValueTable = false;
        const RgbaImage slow = shade( *a, s );
        QVERIFY2( pixels( fast ) == pixels( slow ), qPrintable( howName( how ) + QLatin1Char( ' ' ) + cmap ) );
      }
}

void TestShading::categorical()
{
  // Two categories red and blue; pixel 0: 3 red + 1 blue; pixel 1: empty; pixel 2: 2 blue.
  Aggregate a;
  a.reset( Reduction::CountCat, 3, 1, 2 );
  a.counts() = { 3, 1, 0, 0, 0, 2 };
  ShadeSettings s;
  s.how = How::Linear;
  s.colorKey = { Rgb { 255, 0, 0 }, Rgb { 0, 0, 255 } };
  const RgbaImage img = shade( a, s );
  // Colour: count-weighted mean of the key (3*255/4 = 191.25 -> 191; 1*255/4 = 63.75 -> 63).
  // Alpha: totals {4, 0, 2}, empty masked, offset 2, d = {2, 0}, linear ramp 40..255 over [0, 2].
  QCOMPARE( pixels( img ), ( std::vector<uint32_t> { RgbaImage::pack( 191, 0, 63, 255 ), 0u, RgbaImage::pack( 0, 0, 255, 40 ) } ) );
  s.colorKey = { Rgb { 255, 0, 0 } };
  RgbaImage out;
  QVERIFY( !Shader::shade( a, s, out ).isOk() ); // one colour for two categories
}

void TestShading::errors()
{
  RgbaImage out;
  ShadeSettings s;
  s.hasSpan = true;
  s.spanMin = 0;
  s.spanMax = 10;
  Status st = Shader::shade( countGrid( 2, 1, { 1, 2 } ), s, out ); // eq_hist with a span
  QVERIFY( st.message().contains( QStringLiteral( "eq_hist" ) ) );
  s.how = How::Linear;
  s.spanMin = -1;
  st = Shader::shade( countGrid( 2, 1, { 1, 2 } ), s, out );
  QVERIFY( st.message().contains( QStringLiteral( "negative" ) ) );
  ShadeSettings bad;
  bad.alpha = 300;
  QVERIFY( !Shader::shade( countGrid( 2, 1, { 1, 2 } ), bad, out ).isOk() );
  QVERIFY( !Shader::shade( Aggregate(), ShadeSettings(), out ).isOk() );
}

QTEST_APPLESS_MAIN( TestShading )
#include "test_shading.moc"
