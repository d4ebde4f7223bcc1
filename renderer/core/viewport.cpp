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

Viewport Viewport::forDevice( const Extent &extent, int logicalWidth, int logicalHeight, int deviceWidth, int deviceHeight,
                             double devicePixelRatio )
{
  const double spanX = logicalWidth * devicePixelRatio;
  const double spanY = logicalHeight * devicePixelRatio;
  if ( ( spanX == deviceWidth && spanY == deviceHeight ) || !( spanX > 0.0 ) || !( spanY > 0.0 ) || !extent.isValid() )
    return Viewport( extent, deviceWidth, deviceHeight, devicePixelRatio );
  /*
   * Rounded device size: keep the top-left corner (xmin, ymax) and the map units per device
   * pixel, and move the right and bottom edges to where the image ends.
   *
   *   xmin                 xmax  xmax'          device columns 0 .. W-1 cover xmin .. xmax'
   *    |---- logical W x ratio ---|--|            xmax' = xmin + W * (xmax - xmin) / (W_logical x ratio)
   *
   * Datashader's rule on that extent then gives sx = W / (xmax' - xmin) = W_logical x ratio /
   * (xmax - xmin) up to rounding, and the south-up grid's flip lands on the image's rows,
   * because the grid's bottom edge is the image's.
   */
  Extent device = extent;
  if ( spanX != deviceWidth )
    device.xmax = extent.xmin + deviceWidth * ( extent.width() / spanX );
  if ( spanY != deviceHeight )
    device.ymin = extent.ymax - deviceHeight * ( extent.height() / spanY );
  return Viewport( device, deviceWidth, deviceHeight, devicePixelRatio );
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
