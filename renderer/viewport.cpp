// SPDX-License-Identifier: GPL-2.0-or-later
#include "viewport.h"

#include <cmath>

namespace gridshade
{

Viewport::Viewport( const Extent &extent, int width, int height, double devicePixelRatio )
  : mExtent( extent )
  , mWidth( width )
  , mHeight( height )
  , mDevicePixelRatio( devicePixelRatio )
{
  // Datashader's Axis.compute_scale_and_translate: s = n / (end - start), t = -start * s.
  if ( width > 0 && height > 0 && extent.isValid() )
  {
    mSx = width / ( extent.xmax - extent.xmin );
    mTx = -extent.xmin * mSx;
    mSy = height / ( extent.ymax - extent.ymin );
    mTy = -extent.ymin * mSy;
  }
}

Status Viewport::validate() const
{
  if ( !mExtent.isValid() )
    return Status::error( QStringLiteral( "invalid extent (%1, %2, %3, %4): corners must be finite with xmax > xmin and ymax > ymin" )
                            .arg( mExtent.xmin, 0, 'g', 17 )
                            .arg( mExtent.ymin, 0, 'g', 17 )
                            .arg( mExtent.xmax, 0, 'g', 17 )
                            .arg( mExtent.ymax, 0, 'g', 17 ) );
  if ( mWidth < 1 || mHeight < 1 || mWidth > 65536 || mHeight > 65536 )
    return Status::error( QStringLiteral( "invalid canvas size %1x%2: each side must be 1..65536 pixels" ).arg( mWidth ).arg( mHeight ) );
  if ( pixelCount() > ( int64_t( 1 ) << 30 ) )
    return Status::error( QStringLiteral( "canvas of %1x%2 pixels is too large: at most 2^30 pixels" ).arg( mWidth ).arg( mHeight ) );
  if ( !std::isfinite( mDevicePixelRatio ) || mDevicePixelRatio <= 0.0 )
    return Status::error( QStringLiteral( "invalid device pixel ratio %1: must be > 0" ).arg( mDevicePixelRatio ) );
  if ( !std::isfinite( mSx ) || !std::isfinite( mSy ) || mSx <= 0.0 || mSy <= 0.0 )
    return Status::error( QStringLiteral( "extent too small for a %1x%2 canvas: pixel scale is not finite" ).arg( mWidth ).arg( mHeight ) );
  return Status::ok();
}

} // namespace gridshade
