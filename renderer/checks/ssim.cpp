// SPDX-License-Identifier: GPL-2.0-or-later
#include "ssim.h"

#include <algorithm>
#include <cmath>

namespace gridshade
{

namespace
{

constexpr int WIN = 7;
constexpr int HALF = WIN / 2;

// scipy.ndimage 'reflect' (half-sample symmetric): d c b a | a b c d | d c b a
int reflect( int i, int n )
{
  while ( i < 0 || i >= n )
    i = i < 0 ? -i - 1 : 2 * n - i - 1;
  return i;
}

// Separable 7-tap mean filter, as scipy's uniform_filter: rows then columns.
std::vector<double> uniformFilter( const std::vector<double> &in, int w, int h )
{
  std::vector<double> tmp( in.size() ), out( in.size() );
  for ( int y = 0; y < h; ++y )
    for ( int x = 0; x < w; ++x )
    {
      double s = 0;
      for ( int k = -HALF; k <= HALF; ++k )
        s += in[static_cast<size_t>( y ) * w + reflect( x + k, w )];
      tmp[static_cast<size_t>( y ) * w + x] = s / WIN;
    }
  for ( int y = 0; y < h; ++y )
    for ( int x = 0; x < w; ++x )
    {
      double s = 0;
      for ( int k = -HALF; k <= HALF; ++k )
        s += tmp[static_cast<size_t>( reflect( y + k, h ) ) * w + x];
      out[static_cast<size_t>( y ) * w + x] = s / WIN;
    }
  return out;
}

std::vector<double> ssimMap( const std::vector<double> &a, const std::vector<double> &b, int w, int h, double range )
{
  const size_t n = a.size();
  std::vector<double> aa( n ), bb( n ), ab( n );
  for ( size_t i = 0; i < n; ++i )
  {
    aa[i] = a[i] * a[i];
    bb[i] = b[i] * b[i];
    ab[i] = a[i] * b[i];
  }
  const std::vector<double> ux = uniformFilter( a, w, h ), uy = uniformFilter( b, w, h );
  const std::vector<double> uxx = uniformFilter( aa, w, h ), uyy = uniformFilter( bb, w, h ), uxy = uniformFilter( ab, w, h );
  const double np = WIN * WIN;
  const double covNorm = np / ( np - 1 );
  const double c1 = ( 0.01 * range ) * ( 0.01 * range );
  const double c2 = ( 0.03 * range ) * ( 0.03 * range );
  std::vector<double> s( n );
  for ( size_t i = 0; i < n; ++i )
  {
    const double vx = covNorm * ( uxx[i] - ux[i] * ux[i] );
    const double vy = covNorm * ( uyy[i] - uy[i] * uy[i] );
    const double vxy = covNorm * ( uxy[i] - ux[i] * uy[i] );
    const double a1 = 2 * ux[i] * uy[i] + c1, a2 = 2 * vxy + c2;
    const double b1 = ux[i] * ux[i] + uy[i] * uy[i] + c1, b2 = vx + vy + c2;
    s[i] = ( a1 * a2 ) / ( b1 * b2 );
  }
  return s;
}

double croppedMean( const std::vector<double> &s, int w, int h )
{
  double sum = 0;
  size_t count = 0;
  for ( int y = HALF; y < h - HALF; ++y )
    for ( int x = HALF; x < w - HALF; ++x )
    {
      sum += s[static_cast<size_t>( y ) * w + x];
      ++count;
    }
  return count ? sum / count : -1.0;
}

} // namespace

double Ssim::compare( const std::vector<double> &a, const std::vector<double> &b, int width, int height, double dataRange )
{
  if ( width < WIN || height < WIN || a.size() != b.size() || a.size() != static_cast<size_t>( width ) * height || !( dataRange > 0 ) )
    return -1.0;
  return croppedMean( ssimMap( a, b, width, height, dataRange ), width, height );
}

namespace
{

//! Per pixel of two same-size RGBA images: the mean SSIM over channels and the largest deficit.
struct ChannelMaps
{
    std::vector<double> meanSsim;
    std::vector<double> deficit;
    double ssim = 0; //!< skimage's figure: mean over channels of the cropped means
};

ChannelMaps channelMaps( const QImage &a, const QImage &b )
{
  const int w = a.width(), h = a.height();
  ChannelMaps m;
  m.meanSsim.assign( static_cast<size_t>( w ) * h, 0.0 );
  m.deficit.assign( m.meanSsim.size(), 0.0 );
  for ( int ch = 0; ch < 4; ++ch )
  {
    std::vector<double> ca( m.deficit.size() ), cb( m.deficit.size() );
    for ( int y = 0; y < h; ++y )
    {
      const uchar *ra = a.constScanLine( y ), *rb = b.constScanLine( y );
      for ( int x = 0; x < w; ++x )
      {
        ca[static_cast<size_t>( y ) * w + x] = ra[4 * x + ch];
        cb[static_cast<size_t>( y ) * w + x] = rb[4 * x + ch];
      }
    }
    const std::vector<double> s = ssimMap( ca, cb, w, h, 255.0 );
    m.ssim += croppedMean( s, w, h ) / 4;
    for ( size_t i = 0; i < s.size(); ++i )
    {
      m.deficit[i] = std::max( m.deficit[i], 1.0 - s[i] );
      m.meanSsim[i] += s[i] / 4;
    }
  }
  return m;
}

QImage deficitImage( const std::vector<double> &deficit, int w, int h )
{
  QImage diff( w, h, QImage::Format_Grayscale8 );
  for ( int y = 0; y < h; ++y )
  {
    uchar *row = diff.scanLine( y );
    for ( int x = 0; x < w; ++x )
      row[x] = static_cast<uchar>( 255.0 * ( 1.0 - std::clamp( deficit[static_cast<size_t>( y ) * w + x], 0.0, 1.0 ) ) );
  }
  return diff;
}

} // namespace

double Ssim::compareImages( const QImage &imageA, const QImage &imageB, QImage *diff )
{
  if ( imageA.size() != imageB.size() || imageA.width() < WIN || imageA.height() < WIN )
    return -1.0;
  const ChannelMaps m = channelMaps( imageA.convertToFormat( QImage::Format_RGBA8888 ), imageB.convertToFormat( QImage::Format_RGBA8888 ) );
  if ( diff )
    *diff = deficitImage( m.deficit, imageA.width(), imageA.height() );
  return m.ssim;
}

SsimReport Ssim::report( const QImage &imageA, const QImage &imageB, int block )
{
  SsimReport r;
  if ( imageA.size() != imageB.size() || imageA.width() < WIN || imageA.height() < WIN || block < 1 )
    return r;
  const QImage a = imageA.convertToFormat( QImage::Format_RGBA8888 );
  const QImage b = imageB.convertToFormat( QImage::Format_RGBA8888 );
  const int w = a.width(), h = a.height();
  const ChannelMaps m = channelMaps( a, b );
  r.ssim = m.ssim;
  r.diff = deficitImage( m.deficit, w, h );
  r.differingPixels = 0;
  for ( int y = 0; y < h; ++y )
  {
    const quint32 *ra = reinterpret_cast<const quint32 *>( a.constScanLine( y ) );
    const quint32 *rb = reinterpret_cast<const quint32 *>( b.constScanLine( y ) );
    for ( int x = 0; x < w; ++x )
      r.differingPixels += ra[x] != rb[x];
  }
  // Blocks tile the image from the top left (the last row and column of blocks may be
  // narrower); the worst is the first, in scan order, with the lowest mean.
  for ( int by = 0; by < h; by += block )
    for ( int bx = 0; bx < w; bx += block )
    {
      const int bw = std::min( block, w - bx ), bh = std::min( block, h - by );
      double sum = 0;
      for ( int y = by; y < by + bh; ++y )
        for ( int x = bx; x < bx + bw; ++x )
          sum += m.meanSsim[static_cast<size_t>( y ) * w + x];
      const double mean = sum / ( static_cast<double>( bw ) * bh );
      if ( r.worst.isNull() || mean < r.worstSsim )
      {
        r.worst = QRect( bx, by, bw, bh );
        r.worstSsim = mean;
      }
    }
  return r;
}

} // namespace gridshade
