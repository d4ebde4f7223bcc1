// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "extent.h"
#include "status.h"

#include <cstdint>

namespace gridshade
{

/**
 * \brief The pixel grid that points are aggregated onto: a map extent and a size in device pixels.
 *
 * Binning follows Datashader 0.19 to the bit: a point is kept iff it lies inside the closed
 * extent; its column is `int(x * sx + tx)` with `sx = W / (xmax - xmin)` and `tx = -xmin * sx`,
 * evaluated in double without fused multiply-add and truncated; a result equal to W (a point
 * on xmax) goes to column W - 1. Rows likewise, counted from ymin (Datashader's grid is
 * south-up).
 *
 * Images are north-up. imageRow() is the one place where a grid row becomes an image row;
 * every aggregate, image and export of the engine is in image order (row 0 at ymax).
 *
 * A plain value, cheap to copy; any thread may use a copy.
 */
class Viewport
{
  public:
    Viewport() = default;
    Viewport( const Extent &extent, int width, int height, double devicePixelRatio = 1.0 );

    /**
     * The device grid of a map that spans \a extent over \a logicalWidth x \a logicalHeight
     * logical pixels and is drawn at \a devicePixelRatio into a \a deviceWidth x \a deviceHeight
     * image. QGIS rounds the image size (801 x 1.5 = 1201.5 -> 1202) but draws a logical position
     * p at exactly p x ratio from the top-left corner, so the grid keeps that corner and that
     * scale, and its extent becomes the area the image covers (here half a pixel wider than
     * \a extent). When the device size is exactly the logical size times the ratio this is
     * Viewport( extent, deviceWidth, deviceHeight, devicePixelRatio ), bit for bit.
     */
    static Viewport forDevice( const Extent &extent, int logicalWidth, int logicalHeight, int deviceWidth, int deviceHeight,
                               double devicePixelRatio );

    //! Checks the extent, the size (each side 1..65536, at most 2^30 pixels) and the ratio.
    Status validate() const;

    const Extent &extent() const { return mExtent; }
    //! Width of the grid in device pixels.
    int width() const { return mWidth; }
    //! Height of the grid in device pixels.
    int height() const { return mHeight; }
    //! Device pixels per logical pixel (2 on a HiDPI screen); the grid is always in device pixels.
    double devicePixelRatio() const { return mDevicePixelRatio; }
    int64_t pixelCount() const { return static_cast<int64_t>( mWidth ) * mHeight; }

    double scaleX() const { return mSx; }
    double translateX() const { return mTx; }
    double scaleY() const { return mSy; }
    double translateY() const { return mTy; }

    //! Datashader's keep rule; false for NaN.
    bool contains( double x, double y ) const
    {
      return mExtent.xmin <= x && x <= mExtent.xmax && mExtent.ymin <= y && y <= mExtent.ymax;
    }

    //! Grid column of a contained x.
    int column( double x ) const
    {
      const int64_t c = static_cast<int64_t>( x * mSx + mTx );
      return c >= mWidth ? mWidth - 1 : static_cast<int>( c );
    }

    //! Datashader grid row (0 at ymin) of a contained y.
    int gridRow( double y ) const
    {
      const int64_t r = static_cast<int64_t>( y * mSy + mTy );
      return r >= mHeight ? mHeight - 1 : static_cast<int>( r );
    }

    //! The single south-up to north-up flip of the engine (PointBinner's vectorised loop uses flipRow() too).
    int imageRow( int gridRow ) const { return flipRow( gridRow, mHeight ); }
    static constexpr int flipRow( int gridRow, int height ) { return height - 1 - gridRow; }

    //! Index into a north-up row-major image of a point, or -1 when the point is not kept.
    int64_t pixelIndex( double x, double y ) const
    {
      if ( !contains( x, y ) )
        return -1;
      return static_cast<int64_t>( imageRow( gridRow( y ) ) ) * mWidth + column( x );
    }

    //! Continuous column coordinate of x (column c covers [c, c + 1)).
    double columnCoordinate( double x ) const { return x * mSx + mTx; }
    //! Continuous north-up row coordinate of y (image row r covers [r, r + 1)).
    double imageRowCoordinate( double y ) const { return mHeight - ( y * mSy + mTy ); }

  private:
    Extent mExtent;
    int mWidth = 0;
    int mHeight = 0;
    double mDevicePixelRatio = 1.0;
    double mSx = 0.0;
    double mTx = 0.0;
    double mSy = 0.0;
    double mTy = 0.0;
};

} // namespace gridshade
