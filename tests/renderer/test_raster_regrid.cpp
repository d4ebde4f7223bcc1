// SPDX-License-Identifier: GPL-2.0-or-later
// Canvas.raster kernels: hand-computed grids (Datashader's own formulas worked by hand), a
// brute-force reference built from exact cell overlaps, georeferencing of ramps, validity.
#include "regrid/raster_regrid.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace gridshade;

namespace
{

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

struct Out
{
    std::vector<double> v;
    std::vector<uint8_t> ok;
};

Out regrid( const std::vector<double> &src, int w, int h, RegridAxis x, RegridAxis y, int ow, int oh, RasterDownsample down,
            RasterUpsample up = RasterUpsample::Linear, const std::vector<uint8_t> *valid = nullptr )
{
  Out o { std::vector<double>( size_t( ow ) * oh ), std::vector<uint8_t>( size_t( ow ) * oh ) };
  const Status st = regridRaster( RegridSource { src.data(), valid ? valid->data() : nullptr, w, h }, x, y, ow, oh, down, up, o.v.data(), o.ok.data() );
  if ( !st )
    qWarning() << st.message();
  return o;
}

// The reference: every source cell with its exact overlap with the output pixel's footprint
// (clipped to the source), cells overlapping by less than 1e-10 left out as Datashader does.
bool bruteForce( const std::vector<double> &src, int w, int h, const RegridAxis &x, const RegridAxis &y, int i, int j, RasterDownsample down,
                 double &result )
{
  auto overlap = []( double a, double b, int cell ) { return std::max( 0.0, std::min( b, cell + 1.0 ) - std::max( a, double( cell ) ) ); };
  const double ax = x.offset + i * x.scale, bx = ax + x.scale, ay = y.offset + j * y.scale, by = ay + y.scale;
  const double cx = ( ax + bx ) / 2, cy = ( ay + by ) / 2;
  if ( cx < 0 || cx >= w || cy < 0 || cy >= h )
    return false;
  double sum = 0, weights = 0, best = 0;
  bool any = false;
  std::vector<std::pair<double, double>> modes;
  for ( int r = 0; r < h; ++r )
    for ( int c = 0; c < w; ++c )
    {
      const double ox = overlap( std::max( ax, 0.0 ), std::min( bx, double( w ) ), c );
      const double oy = overlap( std::max( ay, 0.0 ), std::min( by, double( h ) ), r );
      const double v = src[size_t( r ) * w + c];
      if ( ox < 1e-10 || oy < 1e-10 || !std::isfinite( v ) )
        continue;
      if ( down == RasterDownsample::First && !any )
        best = v;
      if ( down == RasterDownsample::Min )
        best = any ? std::min( best, v ) : v;
      if ( down == RasterDownsample::Max )
        best = any ? std::max( best, v ) : v;
      sum += ox * oy * v;
      weights += ox * oy;
      auto it = std::find_if( modes.begin(), modes.end(), [v]( const auto &m ) { return m.first == v; } );
      if ( it == modes.end() )
        modes.emplace_back( v, ox * oy );
      else
        it->second += ox * oy;
      any = true;
    }
  if ( !any )
    return false;
  result = best;
  if ( down == RasterDownsample::Mean )
    result = sum / weights;
  if ( down == RasterDownsample::Mode )
  {
    double top = -1;
    for ( const auto &[value, area] : modes )
      if ( area > top )
      {
        top = area;
        result = value;
      }
  }
  return true;
}

} // namespace

class TestRasterRegrid : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void handMean();
    void handFirstMinMaxMode();
    void handLinearAndNearest();
    void bruteForceDownsampling_data();
    void bruteForceDownsampling();
    void rampsStayGeoreferenced();
    void mixedAxes();
    void validity();
    void names();
    void errors();
};

void TestRasterRegrid::handMean()
{
  // 4 x 2 -> 2 x 1: blocks of 2 x 2.
  const std::vector<double> src { 1, 2, 3, 4, 5, 6, 7, 8 };
  Out o = regrid( src, 4, 2, { 0, 2 }, { 0, 2 }, 2, 1, RasterDownsample::Mean );
  QCOMPARE( o.v, ( std::vector<double> { ( 1 + 2 + 5 + 6 ) / 4.0, ( 3 + 4 + 7 + 8 ) / 4.0 } ) );
  // 3 -> 2 along x (Datashader's scale 1.5): [0, 1.5) = cell 0 + half of cell 1, and so on.
  o = regrid( { 1, 2, 3 }, 3, 1, { 0, 1.5 }, { 0, 1 }, 2, 1, RasterDownsample::Mean );
  QCOMPARE( o.v[0], ( 1 * 1.0 + 2 * 0.5 ) / 1.5 );
  QCOMPARE( o.v[1], ( 2 * 0.5 + 3 * 1.0 ) / 1.5 );
  // A NaN cell is left out and its area with it.
  o = regrid( { 1, NaN, 3, 5 }, 4, 1, { 0, 4 }, { 0, 1 }, 1, 1, RasterDownsample::Mean );
  QCOMPARE( o.v[0], 3.0 );
}

void TestRasterRegrid::handFirstMinMaxMode()
{
  // 3 x 3 -> 1 x 1; first scans rows top to bottom, each west to east.
  const std::vector<double> src { NaN, 4, 4, 2, 9, 2, 2, -1, 7 };
  QCOMPARE( regrid( src, 3, 3, { 0, 3 }, { 0, 3 }, 1, 1, RasterDownsample::First ).v[0], 4.0 );
  QCOMPARE( regrid( src, 3, 3, { 0, 3 }, { 0, 3 }, 1, 1, RasterDownsample::Min ).v[0], -1.0 );
  QCOMPARE( regrid( src, 3, 3, { 0, 3 }, { 0, 3 }, 1, 1, RasterDownsample::Max ).v[0], 9.0 );
  QCOMPARE( regrid( src, 3, 3, { 0, 3 }, { 0, 3 }, 1, 1, RasterDownsample::Mode ).v[0], 2.0 );
  // Mode by area: over [0.5, 3) the value 1 covers 0.5 + 1 cells, the value 8 one cell.
  QCOMPARE( regrid( { 8, 1, 1, 0 }, 4, 1, { 0.5, 2.5 }, { 0, 1 }, 1, 1, RasterDownsample::Mode ).v[0], 1.0 );
  // Over [0, 2.5): 8 covers 1, 1 covers 1.5 cells: 1 wins; over [0, 2): a tie goes to 8, met first.
  QCOMPARE( regrid( { 8, 3, 1, 1 }, 4, 1, { 0, 2 }, { 0, 1 }, 1, 1, RasterDownsample::Mode ).v[0], 8.0 );
  // min/max ignore areas: a sliver of 0.25 of the last cell counts fully.
  QCOMPARE( regrid( { 1, 2, 3, 100 }, 4, 1, { 0, 3.25 }, { 0, 1 }, 1, 1, RasterDownsample::Max ).v[0], 100.0 );
}

void TestRasterRegrid::handLinearAndNearest()
{
  // 2 x 2 -> 4 x 4 over the same extent: pixel centres at 0.25, 0.75, 1.25, 1.75 cells, i.e.
  // -0.25 (clamped to the edge), 0.25, 0.75, 1.25 (clamped) between cell centres.
  const std::vector<double> src { 0, 1, 2, 3 };
  const Out lin = regrid( src, 2, 2, { 0, 0.5 }, { 0, 0.5 }, 4, 4, RasterDownsample::Mean, RasterUpsample::Linear );
  const std::vector<double> along { 0, 0.25, 0.75, 1 };
  for ( int r = 0; r < 4; ++r )
    for ( int c = 0; c < 4; ++c )
      QCOMPARE( lin.v[r * 4 + c], along[c] + 2 * along[r] );
  const Out near = regrid( src, 2, 2, { 0, 0.5 }, { 0, 0.5 }, 4, 4, RasterDownsample::Mean, RasterUpsample::Nearest );
  for ( int r = 0; r < 4; ++r )
    for ( int c = 0; c < 4; ++c )
      QCOMPARE( near.v[r * 4 + c], src[( r / 2 ) * 2 + c / 2] );
  // Next to an invalid cell, linear falls back to the nearest of the four cells.
  const Out hole = regrid( { 0, 1, 2, NaN }, 2, 2, { 0, 0.5 }, { 0, 0.5 }, 4, 4, RasterDownsample::Mean, RasterUpsample::Linear );
  QCOMPARE( hole.v[1 * 4 + 1], 0.0 ); // nearest is the top-left cell
  QVERIFY( !hole.ok[2 * 4 + 2] );      // nearest is the NaN cell
  QCOMPARE( hole.v[2 * 4 + 1], 2.0 );
}

void TestRasterRegrid::bruteForceDownsampling_data()
{
  QTest::addColumn<int>( "method" );
  for ( RasterDownsample m : { RasterDownsample::Mean, RasterDownsample::Min, RasterDownsample::Max, RasterDownsample::First, RasterDownsample::Mode } )
    QTest::newRow( qPrintable( downsampleName( m ) ) ) << int( m );
}

void TestRasterRegrid::bruteForceDownsampling()
{
  QFETCH( int, method );
  const auto down = static_cast<RasterDownsample>( method );
  std::mt19937 rng( 7 );
  // Dyadic placements keep every weight exact, so the two sums agree to the last bit.
  const double offsets[] = { -3.5, -0.25, 0, 0.75, 2.125 };
  const double scales[] = { 1.25, 1.5, 2, 2.75, 4.375 };
  const int w = 29, h = 17;
  std::vector<double> src( w * h );
  for ( double &v : src )
    v = ( rng() % 9 == 0 ) ? NaN : double( rng() % ( down == RasterDownsample::Mode ? 4 : 1000 ) );
  int compared = 0;
  for ( double ox : offsets )
    for ( double sx : scales )
    {
      const RegridAxis x { ox, sx }, y { -ox / 2, scales[( compared / 5 ) % 5] };
      const int ow = 12, oh = 9;
      const Out o = regrid( src, w, h, x, y, ow, oh, down );
      for ( int j = 0; j < oh; ++j )
        for ( int i = 0; i < ow; ++i )
        {
          double expected = 0;
          const bool ok = bruteForce( src, w, h, x, y, i, j, down, expected );
          QCOMPARE( bool( o.ok[j * ow + i] ), ok );
          if ( ok )
            QCOMPARE( o.v[j * ow + i], expected );
          else
            QVERIFY( std::isnan( o.v[j * ow + i] ) );
          ++compared;
        }
    }
  QCOMPARE( compared, 25 * 12 * 9 );
}

void TestRasterRegrid::rampsStayGeoreferenced()
{
  // A ramp equal to each cell's centre coordinate: linear interpolation at a pixel centre, and
  // the mean over a footprint of whole cells, both give the output pixel's centre coordinate
  // (Datashader's index-space formulas would be off by up to half a cell).
  const int w = 40, h = 40;
  std::vector<double> src( w * h );
  for ( int r = 0; r < h; ++r )
    for ( int c = 0; c < w; ++c )
      src[r * w + c] = ( c + 0.5 ) + 1000 * ( r + 0.5 );
  for ( const auto &[ox, sx, oy, sy, down] : std::vector<std::tuple<double, double, double, double, bool>> {
          { 1, 3, 2, 5, true }, { 4, 2, 0, 3, true }, { 3.3, 0.37, 4.1, 0.6, false }, { 0.9, 0.01, 0.7, 0.013, false } } )
  {
    const int ow = 8, oh = 6;
    const Out o = regrid( src, w, h, { ox, sx }, { oy, sy }, ow, oh, RasterDownsample::Mean, RasterUpsample::Linear );
    for ( int j = 0; j < oh; ++j )
      for ( int i = 0; i < ow; ++i )
      {
        const double expected = ( ox + ( i + 0.5 ) * sx ) + 1000 * ( oy + ( j + 0.5 ) * sy );
        QVERIFY2( std::abs( o.v[j * ow + i] - expected ) < 1e-9,
                  qPrintable( QStringLiteral( "%1 at %2,%3 (%4): expected %5" ).arg( o.v[j * ow + i] ).arg( i ).arg( j ).arg( down ).arg( expected ) ) );
      }
  }
}

void TestRasterRegrid::mixedAxes()
{
  // x halves (mean of pairs), y doubles (linear): reduce columns, then interpolate rows.
  const std::vector<double> src { 0, 2, 4, 6, 10, 12, 14, 16 };
  const Out o = regrid( src, 4, 2, { 0, 2 }, { 0, 0.5 }, 2, 4, RasterDownsample::Mean, RasterUpsample::Linear );
  const std::vector<double> top { 1, 5 }, bottom { 11, 15 }, t { 0, 0.25, 0.75, 1 };
  for ( int r = 0; r < 4; ++r )
    for ( int c = 0; c < 2; ++c )
      QCOMPARE( o.v[r * 2 + c], top[c] + t[r] * ( bottom[c] - top[c] ) );
}

void TestRasterRegrid::validity()
{
  const std::vector<double> src { 1, 2, 3, 4 };
  const std::vector<uint8_t> mask { 255, 0, 255, 255 };
  // Centres outside the source are invalid; the masked cell is left out.
  const Out o = regrid( src, 4, 1, { -2, 1.5 }, { 0, 1 }, 5, 1, RasterDownsample::Max, RasterUpsample::Linear, &mask );
  // centres: -1.25 (out), 0.25, 1.75, 3.25, 4.75 (out); x scale 1.5 downsamples.
  QCOMPARE( o.ok, ( std::vector<uint8_t> { 0, 255, 255, 255, 0 } ) );
  QCOMPARE( o.v[1], 1.0 ); // [-0.5, 1): cell 0 only
  QCOMPARE( o.v[2], 3.0 ); // [1, 2.5): cells 1 (masked) and 2
  QCOMPARE( o.v[3], 4.0 );
  const Out none = regrid( { NaN, NaN }, 2, 1, { 0, 2 }, { 0, 1 }, 1, 1, RasterDownsample::Mean );
  QCOMPARE( none.ok[0], uint8_t( 0 ) );
  QVERIFY( std::isnan( none.v[0] ) );
}

void TestRasterRegrid::names()
{
  RasterDownsample d;
  QVERIFY( parseDownsample( QStringLiteral( " Mode" ), d ) && d == RasterDownsample::Mode );
  QVERIFY( !parseDownsample( QStringLiteral( "median" ), d ) );
  RasterUpsample u;
  QVERIFY( parseUpsample( QStringLiteral( "NEAREST" ), u ) && u == RasterUpsample::Nearest );
  QVERIFY( !parseUpsample( QStringLiteral( "cubic" ), u ) );
}

void TestRasterRegrid::errors()
{
  double out = 0;
  uint8_t ok = 0;
  const double v = 1;
  QVERIFY( !regridRaster( RegridSource { &v, nullptr, 0, 1 }, {}, {}, 1, 1, RasterDownsample::Mean, RasterUpsample::Linear, &out, &ok ) );
  QVERIFY( !regridRaster( RegridSource { &v, nullptr, 1, 1 }, {}, {}, 0, 1, RasterDownsample::Mean, RasterUpsample::Linear, &out, &ok ) );
  QVERIFY( !regridRaster( RegridSource { &v, nullptr, 1, 1 }, { 0, -1 }, {}, 1, 1, RasterDownsample::Mean, RasterUpsample::Linear, &out, &ok ) );
  QVERIFY( !regridRaster( RegridSource { &v, nullptr, 1, 1 }, { NaN, 1 }, {}, 1, 1, RasterDownsample::Mean, RasterUpsample::Linear, &out, &ok ) );
}

QTEST_GUILESS_MAIN( TestRasterRegrid )
#include "test_raster_regrid.moc"
