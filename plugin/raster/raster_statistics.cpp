// SPDX-License-Identifier: GPL-2.0-or-later
#include "raster_statistics.h"

#include <QThread>

#include <gdal.h>

#include <cmath>
#include <memory>
#include <mutex>
#include <thread>

namespace gridshade
{

double BandStatistics::stddev() const
{
  if ( !valid )
    return std::numeric_limits<double>::quiet_NaN();
  return std::sqrt( std::max( 0.0, m2 / valid ) );
}

void BandStatistics::merge( const BandStatistics &other )
{
  masked += other.masked;
  min = std::min( min, other.min );
  max = std::max( max, other.max );
  if ( other.valid == 0 )
    return;
  const double n = static_cast<double>( valid ), m = static_cast<double>( other.valid );
  const double delta = other.runningMean - runningMean;
  runningMean += delta * m / ( n + m );
  m2 += other.m2 + delta * delta * n * m / ( n + m );
  valid += other.valid;
  sum += other.sum;
}

namespace
{

// One worker: its own dataset, its own buffers, its own partial statistics.
struct Worker
{
    std::unique_ptr<RasterWindowReader> reader;
    RasterArray values;          // float64 path
    std::vector<float> values32; // float32 path
    std::vector<uint8_t> alpha;    // every band's mask, band after band
    std::vector<uint8_t> bandMask; // one band's mask as read
    std::vector<BandStatistics> stats;
    Status status;
};

/*
 * Adds one strip's pixels, band by band, each with its own mask (null: all valid), in one pass:
 * count, minimum, maximum, and the sums of x - K and (x - K)^2 with K the strip's first valid
 * value ("shifted data"). K lies within the data, so the squares do not cancel the way raw
 * sums of squares do for values like epoch seconds; the strip then joins the band's statistics
 * by Chan's merge. A second pass for the squared deviations would cost as much again (4.3e9
 * pixels: 9 s of CPU on the 16 GiB mosaic). Without a mask the loop has no branch but the NaN test.
 */
template<typename T>
void accumulate( const T *values, size_t pixels, const std::vector<const uint8_t *> &masks, std::vector<BandStatistics> &stats )
{
  for ( size_t b = 0; b < stats.size(); ++b )
  {
    const T *v = values + b * pixels;
    const uint8_t *alpha = masks[b];
    size_t first = 0;
    while ( first < pixels && ( ( alpha && alpha[first] == 0 ) || v[first] != v[first] ) )
      ++first;
    BandStatistics strip;
    strip.masked = pixels; // unless a valid cell is found below
    if ( first < pixels )
    {
      const double shift = v[first];
      uint64_t valid = 0;
      double s1 = 0, s2 = 0, lo = shift, hi = shift;
      for ( size_t p = first; p < pixels; ++p )
      {
        const double x = v[p];
        if ( ( alpha && alpha[p] == 0 ) || x != x )
          continue;
        ++valid;
        const double d = x - shift;
        s1 += d;
        s2 += d * d;
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
      }
      strip.valid = valid;
      strip.masked = pixels - valid;
      strip.sum = shift * valid + s1;
      strip.runningMean = shift + s1 / valid;
      strip.m2 = std::max( 0.0, s2 - s1 * s1 / valid );
      strip.min = lo;
      strip.max = hi;
    }
    stats[b].merge( strip );
  }
}

/*
 * GDAL's block cache is process-wide and holds up to 5 % of RAM by default. Streaming reads
 * each block once, and a VRT mosaic opens its source files many times over (each copy caching
 * its own blocks), so an unbounded cache would grow the process by hundreds of MiB. But one
 * RasterIO of a strip walks its rows through every tile of a tile row: a cache smaller than
 * those tiles decodes each compressed tile again for every few rows (80 s instead of 21 s on the
 * 16 GiB mosaic with 4096 chunks and an eighth-of-a-chunk cache). So while a stream runs the
 * cache holds one STRIP_ROWS-high row across the chunk per thread (at most half a chunk, at
 * least 2 MiB); the old limit comes back afterwards.
 */
constexpr int STRIP_ROWS = 512;

class CacheCap
{
  public:
    explicit CacheCap( int64_t limit )
      : mOld( GDALGetCacheMax64() )
    {
      if ( limit < mOld )
        GDALSetCacheMax64( limit );
    }
    ~CacheCap() { GDALSetCacheMax64( mOld ); }
    CacheCap( const CacheCap & ) = delete;
    CacheCap &operator=( const CacheCap & ) = delete;

  private:
    int64_t mOld;
};

bool fitsFloat32( GDALDataType type )
{
  return type == GDT_Byte || type == GDT_Int16 || type == GDT_UInt16 || type == GDT_Float32;
}

} // namespace

Status streamStatistics( const QString &gdalSource, const StreamSettings &settings, std::vector<BandStatistics> &out )
{
  const RasterWindowReader plan( gdalSource );
  if ( !plan.status() )
    return plan.status();
  QList<int> bands = settings.bands;
  if ( bands.isEmpty() )
    for ( int b = 1; b <= plan.bandCount(); ++b )
      bands << b;
  for ( int b : bands )
    if ( b < 1 || b > plan.bandCount() )
      return Status::error( QStringLiteral( "band %1 does not exist: the raster has bands 1..%2" ).arg( b ).arg( plan.bandCount() ) );
  const std::vector<PixelWindow> chunks = plan.blocks( settings.chunk );
  const int blockHeight = std::max( 1, plan.nativeBlockSize().height() );
  const int threads = std::max( 1, settings.threads > 0 ? settings.threads : QThread::idealThreadCount() );
  bool float32 = true;
  std::vector<bool> needMask;
  for ( int b : bands )
  {
    float32 = float32 && fitsFloat32( plan.dataType( b ) );
    needMask.push_back( plan.maskFlags( b ) != GMF_ALL_VALID );
  }

  std::vector<Worker> workers( threads );
  for ( Worker &w : workers )
  {
    w.reader = std::make_unique<RasterWindowReader>( gdalSource );
    w.stats.resize( bands.size() );
  }
  auto cancelled = [&] { return settings.cancel && settings.cancel->load(); };
  // Strips are cut every STRIP_ROWS rows (a multiple of the native block height): the tiles of
  // the files under a VRT are not visible through it, and 256 or 512 rows are the usual heights,
  // so no tile row is cut across two strips. The cache holds, for each thread, one such row of
  // tiles across the chunk, so that a strip decodes each of its tiles once.
  const int stripRows = blockHeight * std::max( 1, ( STRIP_ROWS + blockHeight - 1 ) / blockHeight );
  int64_t pixelBytes = 0;
  for ( int b : bands )
    pixelBytes += GDALGetDataTypeSizeBytes( plan.dataType( b ) );
  const int64_t chunkWidth = static_cast<int64_t>( chunks.empty() ? 0 : chunks[0].width );
  const int64_t chunkBytes = chunkWidth * static_cast<int64_t>( chunks.empty() ? 0 : chunks[0].height ) * pixelBytes;
  const int64_t working = int64_t( threads ) * chunkWidth * STRIP_ROWS * pixelBytes;
  const CacheCap cap( std::max<int64_t>( int64_t( 2 ) << 20, std::min( working, chunkBytes / 2 ) ) );
  for ( size_t c = 0; c < chunks.size(); ++c )
  {
    if ( cancelled() )
      return Status::error( QStringLiteral( "cancelled" ) );
    const PixelWindow &chunk = chunks[c];
    // Strips of whole native block rows, three per thread, so that the threads' float64 buffers
    // together hold a third of a chunk of pixels (3/4 of a chunk of float32 data, with masks).
    const int rows = static_cast<int>( chunk.height );
    const int blockRows = ( rows + stripRows - 1 ) / stripRows;
    const int strips = std::min( 3 * threads, blockRows );
    std::vector<std::thread> running;
    for ( int t = 0; t < std::min( threads, strips ); ++t )
    {
      running.emplace_back( [&, t] {
        Worker &w = workers[t];
        for ( int s = t; s < strips && w.status && !cancelled(); s += threads )
        {
          const int y0 = blockRows * s / strips * stripRows, y1 = std::min( rows, blockRows * ( s + 1 ) / strips * stripRows );
          if ( y1 <= y0 )
            continue;
          const PixelWindow strip { chunk.x, chunk.y + y0, chunk.width, double( y1 - y0 ) };
          const QSize size( static_cast<int>( strip.width ), static_cast<int>( strip.height ) );
          const size_t pixels = static_cast<size_t>( size.width() ) * size.height();
          w.status = float32 ? w.reader->readFloat32( bands, strip, w.values32 ) : w.reader->read( bands, strip, size, Resampling::Nearest, w.values );
          // Each band's own mask: the nodata of band 2 says nothing about band 1.
          w.alpha.resize( pixels * bands.size() );
          std::vector<const uint8_t *> masks( bands.size(), nullptr );
          for ( int b = 0; b < bands.size() && w.status; ++b )
            if ( needMask[b] )
            {
              w.status = w.reader->readMask( { bands[b] }, strip, size, Resampling::Nearest, w.bandMask );
              std::copy( w.bandMask.begin(), w.bandMask.end(), w.alpha.begin() + b * pixels );
              masks[b] = w.alpha.data() + b * pixels;
            }
          if ( !w.status )
            break;
          if ( float32 )
            accumulate( w.values32.data(), pixels, masks, w.stats );
          else
            accumulate( w.values.values.data(), pixels, masks, w.stats );
        }
      } );
    }
    for ( std::thread &t : running )
      t.join();
    for ( const Worker &w : workers )
      if ( !w.status )
        return w.status;
    if ( settings.progress )
      settings.progress( 100.0 * ( c + 1 ) / chunks.size() );
  }
  if ( cancelled() )
    return Status::error( QStringLiteral( "cancelled" ) );
  out.assign( bands.size(), BandStatistics() );
  for ( int b = 0; b < bands.size(); ++b )
  {
    out[b].band = bands[b];
    for ( const Worker &w : workers )
      out[b].merge( w.stats[b] );
  }
  return Status::ok();
}

} // namespace gridshade
