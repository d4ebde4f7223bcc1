// SPDX-License-Identifier: GPL-2.0-or-later
// SSIM against scikit-image's structural_similarity and against closed forms.
#include "checks/ssim.h"

#include <QtTest>

using namespace gridshade;

namespace
{
// The two patterns of the scikit-image reference run (see knownValues()).
std::vector<double> patternA( int w, int h )
{
  std::vector<double> v;
  for ( int y = 0; y < h; ++y )
    for ( int x = 0; x < w; ++x )
      v.push_back( ( ( x * 7 + y * 3 ) % 11 ) * 20.0 );
  return v;
}

std::vector<double> patternB( int w, int h )
{
  std::vector<double> v;
  for ( int y = 0; y < h; ++y )
    for ( int x = 0; x < w; ++x )
      v.push_back( ( ( x * 5 + y * 2 ) % 9 ) * 25.0 + ( x == y ? 10.0 : 0.0 ) );
  return v;
}
} // namespace

class TestSsim : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void identical();
    void constantImages();
    void knownValues();
    void images();
    void report();
};

void TestSsim::identical()
{
  const std::vector<double> a = patternA( 16, 12 );
  QCOMPARE( Ssim::compare( a, a, 16, 12, 255.0 ), 1.0 );
}

void TestSsim::constantImages()
{
  // Constant images a and b: zero variances, so SSIM = (2ab + C1) / (a^2 + b^2 + C1).
  const double a = 100.0, b = 140.0, c1 = ( 0.01 * 255 ) * ( 0.01 * 255 );
  const std::vector<double> ia( 20 * 10, a ), ib( 20 * 10, b );
  QVERIFY( std::abs( Ssim::compare( ia, ib, 20, 10, 255.0 ) - ( 2 * a * b + c1 ) / ( a * a + b * b + c1 ) ) < 1e-12 );
}

void TestSsim::knownValues()
{
  // Reference values from scikit-image 0.19.3 (Debian python3-skimage), computed as
  //   structural_similarity(a, b, data_range=255)
  // on the same 16x12 patterns built with numpy; c = a with 37 added to rows 3..5, columns 4..8.
  const std::vector<double> a = patternA( 16, 12 ), b = patternB( 16, 12 );
  QVERIFY( std::abs( Ssim::compare( a, b, 16, 12, 255.0 ) - 0.04065614891242304 ) < 1e-9 );
  std::vector<double> c = a;
  for ( int y = 3; y < 6; ++y )
    for ( int x = 4; x < 9; ++x )
      c[y * 16 + x] += 37;
  QVERIFY( std::abs( Ssim::compare( a, c, 16, 12, 255.0 ) - 0.9773696004984648 ) < 1e-9 );
  // Too small for a 7x7 window, or mismatched sizes.
  QCOMPARE( Ssim::compare( std::vector<double>( 36, 1.0 ), std::vector<double>( 36, 1.0 ), 6, 6, 255.0 ), -1.0 );
}

void TestSsim::images()
{
  QImage a( 32, 24, QImage::Format_RGBA8888 );
  a.fill( QColor( 10, 20, 30, 255 ) );
  QImage b = a;
  QImage diff;
  QCOMPARE( Ssim::compareImages( a, b, &diff ), 1.0 );
  QCOMPARE( diff.pixelColor( 5, 5 ), QColor( 255, 255, 255 ) );
  for ( int y = 8; y < 16; ++y )
    for ( int x = 8; x < 16; ++x )
      b.setPixelColor( x, y, QColor( 250, 20, 30, 255 ) );
  const double s = Ssim::compareImages( a, b, &diff );
  QVERIFY( s < 0.95 && s > 0.0 );
  QVERIFY( diff.pixelColor( 12, 12 ).red() < 255 );
  QCOMPARE( Ssim::compareImages( a, QImage( 10, 10, QImage::Format_RGBA8888 ) ), -1.0 );
}

// A patch changed inside one 16 x 16 block: that block is the worst, the others (away from the
// patch's 3-pixel window reach) are identical, and the differing pixels are the patch's.
void TestSsim::report()
{
  QImage a( 64, 48, QImage::Format_RGBA8888 );
  for ( int y = 0; y < a.height(); ++y )
    for ( int x = 0; x < a.width(); ++x )
      a.setPixelColor( x, y, QColor( ( x * 7 + y * 3 ) % 200, ( x * y ) % 150, 40, 255 ) );
  QImage b = a;
  for ( int y = 20; y < 27; ++y )
    for ( int x = 37; x < 43; ++x )
      b.setPixelColor( x, y, QColor( 255, 255, 255, 255 ) );
  const SsimReport r = Ssim::report( a, b, 16 );
  QCOMPARE( r.ssim, Ssim::compareImages( a, b ) );
  QCOMPARE( r.worst, QRect( 32, 16, 16, 16 ) );
  QVERIFY( r.worstSsim < 0.9 );
  QCOMPARE( r.differingPixels, qint64( 7 * 6 ) );
  QCOMPARE( r.diff.size(), a.size() );
  QCOMPARE( r.diff.pixelColor( 2, 2 ), QColor( 255, 255, 255 ) );
  QVERIFY( r.diff.pixelColor( 40, 23 ).red() < 128 );

  // Edge blocks are clipped; identical images have no worse block than 1.
  const SsimReport same = Ssim::report( a, a, 40 );
  QCOMPARE( same.ssim, 1.0 );
  QCOMPARE( same.worstSsim, 1.0 );
  QCOMPARE( same.worst, QRect( 0, 0, 40, 40 ) );
  QCOMPARE( same.differingPixels, qint64( 0 ) );
  QCOMPARE( Ssim::report( a, a.copy( 0, 0, 32, 32 ) ).ssim, -1.0 );
  QVERIFY( Ssim::report( a, a.copy( 0, 0, 32, 32 ) ).worst.isNull() );
}

QTEST_APPLESS_MAIN( TestSsim )
#include "test_ssim.moc"
