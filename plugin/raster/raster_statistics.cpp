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
  const double m = mean();
  return std::sqrt( std::max( 0.0, sumOfSquares / valid - m * m ) );
}

void BandStatistics::merge( const BandStatistics &other )
{
  valid += other.valid;
  masked += other.masked;
  sum += other.sum;
  sumOfSquares += other.sumOfSquares;
  min = std::min( min, other.min );
  max = std::max( max, other.max );
}

namespace
{

// One worker: its own dataset, its own buffers, its own partial statistics.
struct Worker
{
    std::unique_ptr<RasterWindowReader> reader;
    RasterArray values;          // float64 path
    std::vector<float> values32; // float32 path
    std::vector<uint8_t> alpha;
    std::vector<BandStatistics> stats;
    Status status;
};

/*
 * Adds one strip's pixels. Without a mask (every band GMF_ALL_VALID) the loop has no branch
 * but the NaN test, so that it keeps up with reading.
 */
template<typename T>
void accumulate( const T *values, size_t pixels, const uint8_t *alpha, int bands, std::vector<BandStatistics> &stats )
{
  for ( int b = 0; b < bands; ++b )
  {
    BandStatistics &s = stats[b];
    const T *v = values + b * pixels;
    uint64_t valid = 0;
    double sum = 0, squares = 0, lo = s.min, hi = s.max;
    for ( size_t p = 0; p < pixels; ++p )
    {
      const double x = v[p];
      if ( ( alpha && alpha[p] == 0 ) || x != x )
        continue;
      ++valid;
      sum += x;
      squares += x * x;
      lo = x < lo ? x : lo;
      hi = x > hi ? x : hi;
    }
    s.valid += valid;
    s.masked += pixels - valid;
    s.sum += sum;
    s.sumOfSquares += squares;
    s.min = lo;
    s.max = hi;
  }
}

/*
 * GDAL's block cache is process-wide and holds up to 5 % of RAM by default. Streaming reads
 * each block once, and a VRT mosaic opens its source files many times over (each copy caching
 * its own blocks), so the cache alone would grow the process by hundreds of MiB. While a stream
 * runs the cache is capped at an eighth of a chunk (at least 2 MiB); the old limit comes back
 * afterwards. Other GDAL users of the process (QGIS renders) share the smaller cache meanwhile.
 */
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
  bool float32 = true, needMask = false;
  for ( int b : bands )
  {
    float32 = float32 && fitsFloat32( plan.dataType( b ) );
    needMask = needMask || plan.maskFlags( b ) != GMF_ALL_VALID;
  }

  std::vector<Worker> workers( threads );
  for ( Worker &w : workers )
  {
    w.reader = std::make_unique<RasterWindowReader>( gdalSource );
    w.stats.resize( bands.size() );
  }
  auto cancelled = [&] { return settings.cancel && settings.cancel->load(); };
  const int64_t chunkBytes = static_cast<int64_t>( chunks.empty() ? 0 : chunks[0].width * chunks[0].height ) * 4;
  const CacheCap cap( std::max<int64_t>( int64_t( 2 ) << 20, chunkBytes / 8 ) );
  for ( size_t c = 0; c < chunks.size(); ++c )
  {
    if ( cancelled() )
      return Status::error( QStringLiteral( "cancelled" ) );
    const PixelWindow &chunk = chunks[c];
    // Strips of whole native block rows, three per thread, so that the threads' float64 buffers
    // together hold a third of a chunk of pixels (3/4 of a chunk of float32 data, with masks).
    const int rows = static_cast<int>( chunk.height );
    const int blockRows = ( rows + blockHeight - 1 ) / blockHeight;
    const int strips = std::min( 3 * threads, blockRows );
    std::vector<std::thread> running;
    for ( int t = 0; t < std::min( threads, strips ); ++t )
    {
      running.emplace_back( [&, t] {
        Worker &w = workers[t];
        for ( int s = t; s < strips && w.status && !cancelled(); s += threads )
        {
          const int y0 = blockRows * s / strips * blockHeight, y1 = std::min( rows, blockRows * ( s + 1 ) / strips * blockHeight );
          if ( y1 <= y0 )
            continue;
          const PixelWindow strip { chunk.x, chunk.y + y0, chunk.width, double( y1 - y0 ) };
          const QSize size( static_cast<int>( strip.width ), static_cast<int>( strip.height ) );
          const size_t pixels = static_cast<size_t>( size.width() ) * size.height();
          w.status = float32 ? w.reader->readFloat32( bands, strip, w.values32 ) : w.reader->read( bands, strip, size, Resampling::Nearest, w.values );
          if ( w.status && needMask )
            w.status = w.reader->readMask( bands, strip, size, Resampling::Nearest, w.alpha );
          if ( !w.status )
            break;
          const uint8_t *alpha = needMask ? w.alpha.data() : nullptr;
          if ( float32 )
            accumulate( w.values32.data(), pixels, alpha, bands.size(), w.stats );
          else
            accumulate( w.values.values.data(), pixels, alpha, bands.size(), w.stats );
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
