// SPDX-License-Identifier: GPL-2.0-or-later
#include "ssim.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>

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

/**
 * The SSIM map of two single-channel images, one row at a time. scipy's uniform_filter (rows,
 * then columns) and skimage's formula need only the 7 row-filtered rows around an output row,
 * so those rows of the five filtered quantities (a, b, a², b², ab) are kept in a ring and
 * nothing image-sized is allocated: a whole-image version held 14 float64 planes (112 bytes a
 * pixel, 130 MiB for a 1.2 Mpx canvas compared in the SSIM dock). Every sum is taken in the
 * order of the whole-image filter, so the figures are the same bit for bit.
 */
class SsimRows
{
  public:
    //! \a fetch(row, a, b) fills one row (\a w values) of each image.
    using Fetch = std::function<void( int, double *, double * )>;

    SsimRows( int w, int h, double range, Fetch fetch )
      : mW( w )
      , mH( h )
      , mC1( ( 0.01 * range ) * ( 0.01 * range ) )
      , mC2( ( 0.03 * range ) * ( 0.03 * range ) )
      , mFetch( std::move( fetch ) )
      , mA( w )
      , mB( w )
      , mProduct( w )
      , mFiltered( static_cast<size_t>( QUANTITIES ) * WIN * w )
      , mS( w )
    {
    }

    //! The SSIM of the next row (rows 0 to h - 1 in turn); valid until the next call.
    const double *next()
    {
      while ( mFilteredRows <= std::min( mH - 1, mRow + HALF ) )
        filterRow( mFilteredRows++ );
      const double np = WIN * WIN;
      const double covNorm = np / ( np - 1 );
      for ( int x = 0; x < mW; ++x )
      {
        double u[QUANTITIES];
        for ( int q = 0; q < QUANTITIES; ++q )
        {
          double s = 0;
          for ( int k = -HALF; k <= HALF; ++k )
            s += filtered( q, reflect( mRow + k, mH ) )[x];
          u[q] = s / WIN;
        }
        const double ux = u[0], uy = u[1], uxx = u[2], uyy = u[3], uxy = u[4];
        const double vx = covNorm * ( uxx - ux * ux );
        const double vy = covNorm * ( uyy - uy * uy );
        const double vxy = covNorm * ( uxy - ux * uy );
        const double a1 = 2 * ux * uy + mC1, a2 = 2 * vxy + mC2;
        const double b1 = ux * ux + uy * uy + mC1, b2 = vx + vy + mC2;
        mS[x] = ( a1 * a2 ) / ( b1 * b2 );
      }
      ++mRow;
      return mS.data();
    }

  private:
    static constexpr int QUANTITIES = 5;

    double *filtered( int q, int row ) { return mFiltered.data() + ( static_cast<size_t>( q ) * WIN + row % WIN ) * mW; }

    void filterRow( int row )
    {
      mFetch( row, mA.data(), mB.data() );
      for ( int q = 0; q < QUANTITIES; ++q )
      {
        for ( int x = 0; x < mW; ++x )
        {
          const double a = mA[x], b = mB[x];
          mProduct[x] = q == 0 ? a : q == 1 ? b : q == 2 ? a * a : q == 3 ? b * b : a * b;
        }
        double *out = filtered( q, row );
        for ( int x = 0; x < mW; ++x )
        {
          double s = 0;
          for ( int k = -HALF; k <= HALF; ++k )
            s += mProduct[reflect( x + k, mW )];
          out[x] = s / WIN;
        }
      }
    }

    const int mW, mH;
    const double mC1, mC2;
    const Fetch mFetch;
    std::vector<double> mA, mB, mProduct;
    std::vector<double> mFiltered; //!< QUANTITIES x WIN row-filtered rows, row r in slot r % WIN
    std::vector<double> mS;
    int mRow = 0;
    int mFilteredRows = 0;
};

//! skimage's figure: the mean of the SSIM map less a 3-pixel border, summed in row-major order.
class CroppedMean
{
  public:
    CroppedMean( int w, int h )
      : mW( w )
      , mH( h )
    {
    }
    void add( int y, const double *s )
    {
      if ( y < HALF || y >= mH - HALF )
        return;
      for ( int x = HALF; x < mW - HALF; ++x )
      {
        mSum += s[x];
        ++mCount;
      }
    }
    double mean() const { return mCount ? mSum / mCount : -1.0; }

  private:
    const int mW, mH;
    double mSum = 0;
    size_t mCount = 0;
};

} // namespace

double Ssim::compare( const std::vector<double> &a, const std::vector<double> &b, int width, int height, double dataRange )
{
  if ( width < WIN || height < WIN || a.size() != b.size() || a.size() != static_cast<size_t>( width ) * height || !( dataRange > 0 ) )
    return -1.0;
  SsimRows rows( width, height, dataRange, [&]( int y, double *ra, double *rb ) {
    std::copy_n( a.begin() + static_cast<size_t>( y ) * width, width, ra );
    std::copy_n( b.begin() + static_cast<size_t>( y ) * width, width, rb );
  } );
  CroppedMean mean( width, height );
  for ( int y = 0; y < height; ++y )
    mean.add( y, rows.next() );
  return mean.mean();
}

namespace
{

/**
 * Streams the four channels of two same-size RGBA8888 images through SsimRows together and
 * returns skimage's figure (the mean over channels of the cropped means). Per pixel, the mean
 * SSIM over channels and the largest deficit are used at once: the deficit becomes \a diff's
 * row (white = identical) and the mean is summed into \a blockSums (\a block x \a block
 * tiles from the top left, row-major), so neither is kept as an image.
 */
double compareChannels( const QImage &a, const QImage &b, QImage *diff, int block, std::vector<double> *blockSums )
{
  const int w = a.width(), h = a.height();
  std::vector<std::unique_ptr<SsimRows>> channels;
  std::vector<CroppedMean> means;
  for ( int ch = 0; ch < 4; ++ch )
  {
    channels.push_back( std::make_unique<SsimRows>( w, h, 255.0, [&a, &b, ch, w]( int y, double *ra, double *rb ) {
      const uchar *pa = a.constScanLine( y ), *pb = b.constScanLine( y );
      for ( int x = 0; x < w; ++x )
      {
        ra[x] = pa[4 * x + ch];
        rb[x] = pb[4 * x + ch];
      }
    } ) );
    means.emplace_back( w, h );
  }
  if ( diff )
    *diff = QImage( w, h, QImage::Format_Grayscale8 );
  const int blocksX = blockSums ? ( w + block - 1 ) / block : 0;
  if ( blockSums )
    blockSums->assign( static_cast<size_t>( blocksX ) * ( ( h + block - 1 ) / block ), 0.0 );
  std::vector<double> meanSsim( w ), deficit( w );
  for ( int y = 0; y < h; ++y )
  {
    std::fill( meanSsim.begin(), meanSsim.end(), 0.0 );
    std::fill( deficit.begin(), deficit.end(), 0.0 );
    for ( int ch = 0; ch < 4; ++ch )
    {
      const double *s = channels[ch]->next();
      means[ch].add( y, s );
      for ( int x = 0; x < w; ++x )
      {
        deficit[x] = std::max( deficit[x], 1.0 - s[x] );
        meanSsim[x] += s[x] / 4;
      }
    }
    if ( diff )
    {
      uchar *row = diff->scanLine( y );
      for ( int x = 0; x < w; ++x )
        row[x] = static_cast<uchar>( 255.0 * ( 1.0 - std::clamp( deficit[x], 0.0, 1.0 ) ) );
    }
    if ( blockSums )
    {
      double *sums = blockSums->data() + static_cast<size_t>( y / block ) * blocksX;
      for ( int x = 0; x < w; ++x )
        sums[x / block] += meanSsim[x];
    }
  }
  double ssim = 0;
  for ( const CroppedMean &mean : means )
    ssim += mean.mean() / 4;
  return ssim;
}

} // namespace

double Ssim::compareImages( const QImage &imageA, const QImage &imageB, QImage *diff )
{
  if ( imageA.size() != imageB.size() || imageA.width() < WIN || imageA.height() < WIN )
    return -1.0;
  return compareChannels( imageA.convertToFormat( QImage::Format_RGBA8888 ), imageB.convertToFormat( QImage::Format_RGBA8888 ), diff, 0, nullptr );
}

SsimReport Ssim::report( const QImage &imageA, const QImage &imageB, int block )
{
  SsimReport r;
  if ( imageA.size() != imageB.size() || imageA.width() < WIN || imageA.height() < WIN || block < 1 )
    return r;
  const QImage a = imageA.convertToFormat( QImage::Format_RGBA8888 );
  const QImage b = imageB.convertToFormat( QImage::Format_RGBA8888 );
  const int w = a.width(), h = a.height();
  std::vector<double> blockSums;
  r.ssim = compareChannels( a, b, &r.diff, block, &blockSums );
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
  const int blocksX = ( w + block - 1 ) / block;
  for ( int by = 0; by < h; by += block )
    for ( int bx = 0; bx < w; bx += block )
    {
      const int bw = std::min( block, w - bx ), bh = std::min( block, h - by );
      const double sum = blockSums[static_cast<size_t>( by / block ) * blocksX + bx / block];
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
