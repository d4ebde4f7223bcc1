// SPDX-License-Identifier: GPL-2.0-or-later
#include "raster_regrid.h"

#include "core/thread_pool.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>
#include <vector>

namespace gridshade
{

namespace
{

// Datashader's tolerance for "this edge is on a cell boundary".
constexpr double EPS = 1e-10;
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

/*
 * Per output index of one axis, the source cells it reads.
 *
 *   downsampling:  cells lo..hi, weights wLo (first), wHi (last), 1 between
 *      a=offset+i*scale         b=a+scale
 *        |<------------------------>|
 *   +----+-----+-----+-----+-----+--+--+
 *   |  lo|     |     |     |     |hi   |
 *   upsampling:    cells lo, hi (= lo + 1, or lo at the edge) and the fraction t between
 *   their centres (linear), or the one cell lo under the pixel centre (nearest).
 */
struct AxisCell
{
    int lo = 0, hi = 0;
    double wLo = 1.0, wHi = 1.0; // downsampling weights; upsampling: wHi is t
    bool inside = false;         // the pixel centre lies on the source
};

std::vector<AxisCell> downsampleAxis( const RegridAxis &axis, int outCount, int srcCount )
{
  std::vector<AxisCell> cells( outCount );
  for ( int i = 0; i < outCount; ++i )
  {
    AxisCell &c = cells[i];
    const double a = axis.offset + i * axis.scale, b = a + axis.scale, centre = a + axis.scale / 2;
    c.inside = centre >= 0.0 && centre < srcCount;
    if ( !c.inside )
      continue;
    // The part of the footprint on the source; Datashader's rules for its two partial cells.
    const double a0 = std::max( a, 0.0 ), b0 = std::min( b, static_cast<double>( srcCount ) );
    c.lo = static_cast<int>( std::floor( a0 ) );
    c.hi = static_cast<int>( std::floor( b0 ) );
    c.wLo = 1.0 - ( a0 - c.lo );
    c.wHi = b0 - c.hi;
    if ( c.wHi < EPS )
    {
      c.wHi = 1.0;
      if ( c.hi > c.lo )
        --c.hi;
    }
    c.hi = std::min( c.hi, srcCount - 1 );
  }
  return cells;
}

std::vector<AxisCell> upsampleAxis( const RegridAxis &axis, int outCount, int srcCount, RasterUpsample method )
{
  std::vector<AxisCell> cells( outCount );
  for ( int i = 0; i < outCount; ++i )
  {
    AxisCell &c = cells[i];
    const double centre = axis.offset + ( i + 0.5 ) * axis.scale;
    c.inside = centre >= 0.0 && centre < srcCount;
    if ( !c.inside )
      continue;
    if ( method == RasterUpsample::Nearest )
    {
      c.lo = c.hi = std::min( static_cast<int>( std::floor( centre ) ), srcCount - 1 );
      c.wHi = 0.0;
      continue;
    }
    // Between cell centres: coordinate centre - 0.5; clamped to the edge cells.
    const double u = centre - 0.5;
    c.lo = static_cast<int>( std::floor( u ) );
    c.wHi = u - c.lo;
    if ( c.lo < 0 )
    {
      c.lo = 0;
      c.wHi = 0.0;
    }
    c.hi = std::min( c.lo + 1, srcCount - 1 );
  }
  return cells;
}

class Kernel
{
  public:
    Kernel( const RegridSource &src, RasterDownsample down, RasterUpsample up )
      : mSrc( src ), mDown( down ), mUp( up )
    {}

    bool valid( int row, int col, double &v ) const
    {
      const size_t k = static_cast<size_t>( row ) * mSrc.width + col;
      v = mSrc.values[k];
      return std::isfinite( v ) && ( !mSrc.valid || mSrc.valid[k] != 0 );
    }

    bool reduce( const AxisCell &cx, const AxisCell &cy, std::vector<std::pair<double, double>> &modes, double &result ) const;
    bool interpolate( const AxisCell &cx, const AxisCell &cy, double &result ) const;

  private:
    const RegridSource &mSrc;
    RasterDownsample mDown;
    RasterUpsample mUp;
};

bool Kernel::reduce( const AxisCell &cx, const AxisCell &cy, std::vector<std::pair<double, double>> &modes, double &result ) const
{
  double sum = 0.0, weights = 0.0, best = 0.0;
  bool any = false;
  modes.clear();
  for ( int r = cy.lo; r <= cy.hi; ++r )
  {
    const double wy = r == cy.lo ? cy.wLo : r == cy.hi ? cy.wHi : 1.0;
    for ( int c = cx.lo; c <= cx.hi; ++c )
    {
      double v;
      if ( !valid( r, c, v ) )
        continue;
      const double w = wy * ( c == cx.lo ? cx.wLo : c == cx.hi ? cx.wHi : 1.0 );
      switch ( mDown )
      {
        case RasterDownsample::Mean:
          sum += w * v;
          weights += w;
          break;
        case RasterDownsample::Min:
          best = any ? std::min( best, v ) : v;
          break;
        case RasterDownsample::Max:
          best = any ? std::max( best, v ) : v;
          break;
        case RasterDownsample::First:
          result = v;
          return true;
        case RasterDownsample::Mode:
        {
          auto it = std::find_if( modes.begin(), modes.end(), [v]( const auto &m ) { return m.first == v; } );
          if ( it == modes.end() )
            modes.emplace_back( v, w );
          else
            it->second += w;
          break;
        }
      }
      any = true;
    }
  }
  if ( !any )
    return false;
  if ( mDown == RasterDownsample::Mean )
  {
    if ( weights < EPS )
      return false;
    result = sum / weights;
  }
  else if ( mDown == RasterDownsample::Mode )
  {
    double top = -1.0;
    for ( const auto &[value, area] : modes )
      if ( area > top )
      {
        top = area;
        result = value;
      }
  }
  else
    result = best;
  return true;
}

bool Kernel::interpolate( const AxisCell &cx, const AxisCell &cy, double &result ) const
{
  double v00, v01, v10, v11;
  const bool ok00 = valid( cy.lo, cx.lo, v00 );
  if ( mUp == RasterUpsample::Nearest )
  {
    result = v00;
    return ok00;
  }
  const bool ok01 = valid( cy.lo, cx.hi, v01 ), ok10 = valid( cy.hi, cx.lo, v10 ), ok11 = valid( cy.hi, cx.hi, v11 );
  const double tx = cx.wHi, ty = cy.wHi;
  if ( ok00 && ok01 && ok10 && ok11 )
  {
    const double top = v00 + tx * ( v01 - v00 ), bottom = v10 + tx * ( v11 - v10 );
    result = top + ty * ( bottom - top );
    return true;
  }
  // Datashader's fallback next to invalid cells: the nearest of the four, valid or not.
  const bool right = tx >= 0.5, down = ty >= 0.5;
  result = down ? ( right ? v11 : v10 ) : ( right ? v01 : v00 );
  return down ? ( right ? ok11 : ok10 ) : ( right ? ok01 : ok00 );
}

// Runs one pass over the output grid: \a reduce chooses the kernel for both axes.
bool runPass( const Kernel &kernel, const std::vector<AxisCell> &xs, const std::vector<AxisCell> &ys, bool reduce, double *out, uint8_t *outValid,
              const std::atomic<bool> *cancel )
{
  const int w = static_cast<int>( xs.size() ), h = static_cast<int>( ys.size() );
  const int bands = std::max( 1, std::min( h, ThreadPool::defaultThreadCount() * 4 ) );
  return ThreadPool::instance().run( bands, [&]( int band ) {
    std::vector<std::pair<double, double>> modes;
    for ( int r = band * h / bands; r < ( band + 1 ) * h / bands; ++r )
    {
      if ( cancel && cancel->load( std::memory_order_relaxed ) )
        return;
      for ( int c = 0; c < w; ++c )
      {
        double v = NaN;
        const bool ok = xs[c].inside && ys[r].inside && ( reduce ? kernel.reduce( xs[c], ys[r], modes, v ) : kernel.interpolate( xs[c], ys[r], v ) );
        const size_t k = static_cast<size_t>( r ) * w + c;
        out[k] = ok ? v : NaN;
        outValid[k] = ok ? 255 : 0;
      }
    }
  } );
}

} // namespace

QString downsampleName( RasterDownsample method )
{
  switch ( method )
  {
    case RasterDownsample::Mean:
      return QStringLiteral( "mean" );
    case RasterDownsample::Min:
      return QStringLiteral( "min" );
    case RasterDownsample::Max:
      return QStringLiteral( "max" );
    case RasterDownsample::First:
      return QStringLiteral( "first" );
    case RasterDownsample::Mode:
      return QStringLiteral( "mode" );
  }
  return QString();
}

bool parseDownsample( const QString &name, RasterDownsample &method )
{
  for ( RasterDownsample m : { RasterDownsample::Mean, RasterDownsample::Min, RasterDownsample::Max, RasterDownsample::First, RasterDownsample::Mode } )
    if ( downsampleName( m ) == name.trimmed().toLower() )
    {
      method = m;
      return true;
    }
  return false;
}

QString upsampleName( RasterUpsample method )
{
  return method == RasterUpsample::Nearest ? QStringLiteral( "nearest" ) : QStringLiteral( "linear" );
}

bool parseUpsample( const QString &name, RasterUpsample &method )
{
  for ( RasterUpsample m : { RasterUpsample::Nearest, RasterUpsample::Linear } )
    if ( upsampleName( m ) == name.trimmed().toLower() )
    {
      method = m;
      return true;
    }
  return false;
}

Status regridRaster( const RegridSource &source, const RegridAxis &x, const RegridAxis &y, int outWidth, int outHeight, RasterDownsample down,
                     RasterUpsample up, double *out, uint8_t *outValid, const std::atomic<bool> *cancel )
{
  if ( !source.values || source.width < 1 || source.height < 1 )
    return Status::error( QStringLiteral( "an empty source grid (%1 x %2) cannot be regridded" ).arg( source.width ).arg( source.height ) );
  if ( outWidth < 1 || outHeight < 1 || !out || !outValid )
    return Status::error( QStringLiteral( "an empty output grid (%1 x %2)" ).arg( outWidth ).arg( outHeight ) );
  if ( !( x.scale > 0 && y.scale > 0 && std::isfinite( x.offset ) && std::isfinite( y.offset ) && std::isfinite( x.scale ) && std::isfinite( y.scale ) ) )
    return Status::error( QStringLiteral( "invalid grid placement: scales %1, %2 must be positive and finite" ).arg( x.scale ).arg( y.scale ) );
  try
  {
    const bool downX = x.scale > 1.0, downY = y.scale > 1.0;
    if ( downX == downY )
    {
      const Kernel kernel( source, down, up );
      const auto xs = downX ? downsampleAxis( x, outWidth, source.width ) : upsampleAxis( x, outWidth, source.width, up );
      const auto ys = downY ? downsampleAxis( y, outHeight, source.height ) : upsampleAxis( y, outHeight, source.height, up );
      if ( !runPass( kernel, xs, ys, downX, out, outValid, cancel ) )
        return Status::error( QStringLiteral( "regridding failed (out of memory?)" ) );
      return Status::ok();
    }
    // Mixed: reduce the downsampled axis into an intermediate grid at the source resolution of
    // the other axis, then interpolate that axis.
    const RegridAxis identity;
    const int midW = downX ? outWidth : source.width, midH = downY ? outHeight : source.height;
    std::vector<double> mid( static_cast<size_t>( midW ) * midH );
    std::vector<uint8_t> midValid( mid.size() );
    {
      const Kernel kernel( source, down, up );
      const auto xs = downsampleAxis( downX ? x : identity, midW, source.width );
      const auto ys = downsampleAxis( downY ? y : identity, midH, source.height );
      if ( !runPass( kernel, xs, ys, true, mid.data(), midValid.data(), cancel ) )
        return Status::error( QStringLiteral( "regridding failed (out of memory?)" ) );
    }
    const RegridSource reduced { mid.data(), midValid.data(), midW, midH };
    const Kernel kernel( reduced, down, up );
    const auto xs = upsampleAxis( downX ? identity : x, outWidth, midW, up );
    const auto ys = upsampleAxis( downY ? identity : y, outHeight, midH, up );
    if ( !runPass( kernel, xs, ys, false, out, outValid, cancel ) )
      return Status::error( QStringLiteral( "regridding failed (out of memory?)" ) );
  }
  catch ( const std::bad_alloc & )
  {
    return Status::error( QStringLiteral( "out of memory regridding onto %1 x %2 pixels" ).arg( outWidth ).arg( outHeight ) );
  }
  return Status::ok();
}

} // namespace gridshade
