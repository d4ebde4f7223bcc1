// SPDX-License-Identifier: GPL-2.0-or-later
#include "spread.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace gridshade
{

std::vector<uint8_t> Spread::circleMask( int px )
{
  const int w = 2 * px + 1;
  std::vector<uint8_t> mask( static_cast<size_t>( w ) * w, 0 );
  for ( int i = -px; i <= px; ++i )
    for ( int j = -px; j <= px; ++j )
      mask[static_cast<size_t>( i + px ) * w + ( j + px )] = std::sqrt( static_cast<double>( i * i + j * j ) ) <= px + 0.5;
  return mask;
}

uint32_t Spread::over( uint32_t src, uint32_t dst )
{
  // datashader.composite.over, channel values scaled to [0, 1] and truncated back.
  const double sr = RgbaImage::red( src ) / 255.0, sg = RgbaImage::green( src ) / 255.0;
  const double sb = RgbaImage::blue( src ) / 255.0, sa = RgbaImage::alpha( src ) / 255.0;
  const double dr = RgbaImage::red( dst ) / 255.0, dg = RgbaImage::green( dst ) / 255.0;
  const double db = RgbaImage::blue( dst ) / 255.0, da = RgbaImage::alpha( dst ) / 255.0;
  const double factor = 1 - sa;
  const double a = sa + da * factor;
  if ( a == 0 )
    return 0u;
  const double r = ( sr * sa + dr * da * factor ) / a;
  const double g = ( sg * sa + dg * da * factor ) / a;
  const double b = ( sb * sa + db * da * factor ) / a;
  return RgbaImage::pack( static_cast<uint8_t>( static_cast<uint32_t>( r * 255 ) ), static_cast<uint8_t>( static_cast<uint32_t>( g * 255 ) ),
                          static_cast<uint8_t>( static_cast<uint32_t>( b * 255 ) ), static_cast<uint8_t>( static_cast<uint32_t>( a * 255 ) ) );
}

RgbaImage Spread::spread( const RgbaImage &image, int px )
{
  if ( px <= 0 || image.isNull() )
    return image;
  const std::vector<uint8_t> mask = circleMask( px );
  const int w = 2 * px + 1;
  const int W = image.width(), H = image.height();
  RgbaImage out( W, H );
  uint32_t *dst = out.data();
  const uint32_t *src = image.constData();
  // Bottom-up rows = Datashader's south-to-north grid order; it matters for "over".
  for ( int y = H - 1; y >= 0; --y )
  {
    for ( int x = 0; x < W; ++x )
    {
      const uint32_t el = src[static_cast<size_t>( y ) * W + x];
      if ( RgbaImage::alpha( el ) == 0 )
        continue;
      for ( int i = 0; i < w; ++i )
      {
        // Mask row i is grid offset i - px, i.e. image offset px - i (the mask is symmetric).
        const int yy = y + px - i;
        if ( yy < 0 || yy >= H )
          continue;
        for ( int j = 0; j < w; ++j )
        {
          const int xx = x + j - px;
          if ( !mask[static_cast<size_t>( i ) * w + j] || xx < 0 || xx >= W )
            continue;
          uint32_t &o = dst[static_cast<size_t>( yy ) * W + xx];
          o = o == 0 ? el : over( el, o );
        }
      }
    }
  }
  return out;
}

Aggregate Spread::spreadCounts( const Aggregate &aggregate, int px )
{
  if ( px <= 0 || aggregate.reduction() != Reduction::Count )
    return aggregate;
  const std::vector<uint8_t> mask = circleMask( px );
  const int w = 2 * px + 1;
  const int W = aggregate.width(), H = aggregate.height();
  Aggregate out;
  out.reset( Reduction::Count, W, H );
  out.stats() = aggregate.stats();
  const std::vector<uint32_t> &src = aggregate.counts();
  std::vector<uint32_t> &dst = out.counts();
  for ( int y = 0; y < H; ++y )
    for ( int x = 0; x < W; ++x )
    {
      const uint32_t el = src[static_cast<size_t>( y ) * W + x];
      if ( el == 0 )
        continue;
      for ( int i = 0; i < w; ++i )
        for ( int j = 0; j < w; ++j )
        {
          const int yy = y + i - px, xx = x + j - px;
          if ( mask[static_cast<size_t>( i ) * w + j] && yy >= 0 && yy < H && xx >= 0 && xx < W )
            dst[static_cast<size_t>( yy ) * W + xx] += el;
        }
    }
  return out;
}

double Spread::density( const RgbaImage &image, int px )
{
  const int W = image.width(), H = image.height();
  const uint32_t *a = image.constData();
  uint64_t count = 0, withNeighbours = 0;
  for ( int y = 0; y < H; ++y )
    for ( int x = 0; x < W; ++x )
    {
      if ( !RgbaImage::alpha( a[static_cast<size_t>( y ) * W + x] ) )
        continue;
      ++count;
      int neighbours = 0;
      for ( int i = std::max( 0, y - px ); i < std::min( y + px + 1, H ) && neighbours < 2; ++i )
        for ( int j = std::max( 0, x - px ); j < std::min( x + px + 1, W ) && neighbours < 2; ++j )
          neighbours += RgbaImage::alpha( a[static_cast<size_t>( i ) * W + j] ) != 0;
      // The pixel itself is always one of its neighbours.
      if ( neighbours > 1 )
        ++withNeighbours;
    }
  return count ? static_cast<double>( withNeighbours ) / count : INFINITY;
}

int Spread::dynspreadRadius( const RgbaImage &image, double threshold, int maxPx )
{
  int chosen = 0;
  for ( int px = 1; px <= maxPx; ++px )
  {
    chosen = px;
    if ( density( image, px * 2 ) > threshold )
    {
      chosen = px - 1;
      break;
    }
  }
  return chosen;
}

RgbaImage Spread::dynspread( const RgbaImage &image, double threshold, int maxPx )
{
  const int px = dynspreadRadius( image, threshold, maxPx );
  return px >= 1 ? spread( image, px ) : image;
}

} // namespace gridshade
