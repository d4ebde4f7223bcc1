// SPDX-License-Identifier: GPL-2.0-or-later
#include "point_binner.h"

namespace gridshade
{

namespace
{

struct BinParams
{
    double xmin, xmax, ymin, ymax, sx, tx, sy, ty, w, h;
    int32_t lastColumn, lastRow, width;
    uint32_t dummy;
};

// One loop body for every instruction set; on x86-64 GCC also builds an AVX2 clone and picks it
// at load time. No fused multiply-add is enabled by either, so both give the same bits.
#if defined( __GNUC__ ) && !defined( __clang__ ) && defined( __x86_64__ )
__attribute__( ( target_clones( "default", "avx2" ) ) )
#endif
uint32_t
binKernel( const BinParams p, const double *__restrict xs, const double *__restrict ys, uint32_t *__restrict out, size_t n )
{
  uint32_t nonFinite = 0;
  for ( size_t i = 0; i < n; ++i )
  {
    const double x = xs[i];
    const double y = ys[i];
    const bool kept = ( p.xmin <= x ) & ( x <= p.xmax ) & ( p.ymin <= y ) & ( y <= p.ymax );
    // x - x is NaN exactly for NaN and +-inf.
    nonFinite += !( ( x - x == 0.0 ) & ( y - y == 0.0 ) );
    // Clamp into [0, W] first (NaN ends at W) so that the conversion is always defined.
    double fx = x * p.sx + p.tx;
    fx = fx < p.w ? fx : p.w;
    fx = fx > 0.0 ? fx : 0.0;
    double fy = y * p.sy + p.ty;
    fy = fy < p.h ? fy : p.h;
    fy = fy > 0.0 ? fy : 0.0;
    int32_t c = static_cast<int32_t>( fx );
    c = c < p.lastColumn ? c : p.lastColumn;
    int32_t r = static_cast<int32_t>( fy );
    r = r < p.lastRow ? r : p.lastRow;
    const uint32_t pixel = static_cast<uint32_t>( Viewport::flipRow( r, p.lastRow + 1 ) * p.width + c );
    out[i] = kept ? pixel : p.dummy + static_cast<uint32_t>( i % PointBinner::DUMMY_SLOTS );
  }
  return nonFinite;
}

} // namespace

PointBinner::PointBinner( const Viewport &vp )
  : mXmin( vp.extent().xmin )
  , mXmax( vp.extent().xmax )
  , mYmin( vp.extent().ymin )
  , mYmax( vp.extent().ymax )
  , mSx( vp.scaleX() )
  , mTx( vp.translateX() )
  , mSy( vp.scaleY() )
  , mTy( vp.translateY() )
  , mW( vp.width() )
  , mH( vp.height() )
  , mLastColumn( vp.width() - 1 )
  , mLastRow( vp.height() - 1 )
  , mWidth( vp.width() )
  , mDummy( static_cast<uint32_t>( vp.pixelCount() ) )
{}

uint32_t PointBinner::binBlock( const double *xs, const double *ys, uint32_t *out, size_t n ) const
{
  const BinParams p { mXmin, mXmax, mYmin, mYmax, mSx, mTx, mSy, mTy, mW, mH, mLastColumn, mLastRow, mWidth, mDummy };
  return binKernel( p, xs, ys, out, n );
}

} // namespace gridshade
