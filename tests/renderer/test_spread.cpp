// SPDX-License-Identifier: GPL-2.0-or-later
// spread masks, "over" spreading, count spreading and dynspread.
#include "shading/spread.h"

#include <QtTest>

using namespace gridshade;

class TestSpread : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void circleMasks();
    void spreadImage();
    void overOperator();
    void spreadCounts();
    void dynspread();
};

void TestSpread::circleMasks()
{
  // sqrt(dx^2 + dy^2) <= px + 0.5: px = 1 keeps the full 3x3 square (sqrt 2 = 1.41 <= 1.5).
  QCOMPARE( Spread::circleMask( 1 ), std::vector<uint8_t>( 9, 1 ) );
  // px = 2: 5x5 without its four corners (sqrt 8 = 2.83 > 2.5; sqrt 5 = 2.24 keeps the rest).
  const std::vector<uint8_t> expected { 0, 1, 1, 1, 0, //
                                        1, 1, 1, 1, 1, //
                                        1, 1, 1, 1, 1, //
                                        1, 1, 1, 1, 1, //
                                        0, 1, 1, 1, 0 };
  QCOMPARE( Spread::circleMask( 2 ), expected );
  // px = 3: 7x7; (3, 1) at sqrt 10 = 3.16 kept, (3, 2) at sqrt 13 = 3.61 dropped.
  const std::vector<uint8_t> m3 = Spread::circleMask( 3 );
  QCOMPARE( int( m3[0 * 7 + 2] ), 1 );
  QCOMPARE( int( m3[0 * 7 + 1] ), 0 );
  QCOMPARE( int( std::count( m3.begin(), m3.end(), 1 ) ), 37 );
}

void TestSpread::spreadImage()
{
  RgbaImage img( 7, 7 );
  const uint32_t red = RgbaImage::pack( 255, 0, 0, 255 );
  img.data()[3 * 7 + 3] = red;
  const RgbaImage out = Spread::spread( img, 2 );
  const std::vector<uint8_t> mask = Spread::circleMask( 2 );
  for ( int y = 0; y < 7; ++y )
    for ( int x = 0; x < 7; ++x )
    {
      const bool inMask = x >= 1 && x <= 5 && y >= 1 && y <= 5 && mask[( y - 1 ) * 5 + ( x - 1 )];
      QCOMPARE( out.pixel( x, y ), inMask ? red : 0u );
    }
  // The input is untouched, and px = 0 is the identity.
  QCOMPARE( img.pixel( 2, 3 ), 0u );
  QCOMPARE( Spread::spread( img, 0 ).constData(), img.constData() );
}

void TestSpread::overOperator()
{
  // Opaque source wins; transparent source leaves the destination.
  const uint32_t blue = RgbaImage::pack( 0, 0, 255, 255 );
  QCOMPARE( Spread::over( RgbaImage::pack( 255, 0, 0, 255 ), blue ), RgbaImage::pack( 255, 0, 0, 255 ) );
  QCOMPARE( Spread::over( RgbaImage::pack( 9, 9, 9, 0 ), blue ), blue );
  // Half-transparent white over opaque black: sa = 51/255 = 0.2, a = 1, r = 0.2 -> 0.2 * 255 = 51.
  QCOMPARE( Spread::over( RgbaImage::pack( 255, 255, 255, 51 ), RgbaImage::pack( 0, 0, 0, 255 ) ), RgbaImage::pack( 51, 51, 51, 255 ) );
  QCOMPARE( Spread::over( 0u, 0u ), 0u );
}

void TestSpread::spreadCounts()
{
  Aggregate a;
  a.reset( Reduction::Count, 3, 3 );
  a.counts() = { 0, 0, 0, 0, 2, 0, 0, 0, 1 };
  const Aggregate s = Spread::spreadCounts( a, 1 );
  // "add": every pixel within the 3x3 mask of the 2 gets 2, those near the 1 also get 1.
  QCOMPARE( s.counts(), ( std::vector<uint32_t> { 2, 2, 2, 2, 3, 3, 2, 3, 3 } ) );
}

void TestSpread::dynspread()
{
  // Isolated pixels far apart: density 0 at every radius, so dynspread goes to max_px.
  RgbaImage sparse( 40, 40 );
  sparse.data()[5 * 40 + 5] = RgbaImage::pack( 1, 2, 3, 255 );
  sparse.data()[30 * 40 + 30] = RgbaImage::pack( 1, 2, 3, 255 );
  QCOMPARE( Spread::density( sparse, 2 ), 0.0 );
  QCOMPARE( Spread::dynspreadRadius( sparse, 0.5, 3 ), 3 );
  // Two neighbours 3 px apart: no neighbour within 2 px (px = 1), both within 4 px (px = 2).
  RgbaImage pair( 20, 20 );
  pair.data()[10 * 20 + 5] = RgbaImage::pack( 1, 2, 3, 255 );
  pair.data()[10 * 20 + 8] = RgbaImage::pack( 1, 2, 3, 255 );
  QCOMPARE( Spread::density( pair, 2 ), 0.0 );
  QCOMPARE( Spread::density( pair, 4 ), 1.0 );
  QCOMPARE( Spread::dynspreadRadius( pair, 0.5, 3 ), 1 );
  // A full image is dense at once: no spreading; an empty one has density inf: none either.
  RgbaImage full( 10, 10 );
  std::fill( full.data(), full.data() + 100, RgbaImage::pack( 1, 1, 1, 255 ) );
  QCOMPARE( Spread::dynspreadRadius( full, 0.5, 3 ), 0 );
  QCOMPARE( Spread::dynspreadRadius( RgbaImage( 10, 10 ), 0.5, 3 ), 0 );
}

QTEST_APPLESS_MAIN( TestSpread )
#include "test_spread.moc"
