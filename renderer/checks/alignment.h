// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/extent.h"

namespace gridshade
{

/**
 * \brief A GDAL-style affine geotransform: x = c0 + col * c1 + row * c2, y = c3 + col * c4 + row * c5,
 * (col, row) continuous pixel coordinates from the top-left corner.
 */
struct GeoTransform
{
    double c[6] = { 0, 1, 0, 0, 0, -1 };

    //! The north-up transform of a width x height image covering \a extent.
    static GeoTransform fromExtent( const Extent &extent, int width, int height );
    void apply( double col, double row, double &x, double &y ) const;
    //! Inverse mapping; false when the transform is singular.
    bool invert( double x, double y, double &col, double &row ) const;
};

/**
 * \brief How far the engine's pixel grid for (\a extent, \a width, \a height) lies from the
 * pixel grid that \a transform describes (QGIS's map-to-pixel, a GDAL geotransform, ...).
 *
 * Samples a 17 x 17 lattice of pixel corners and centres of the transform's grid, maps each to
 * map units and back through the engine's Viewport, and returns the worst distance in pixels
 * (the larger of the column and row errors). Returns +inf for invalid input. Any thread.
 */
double validateAlignment( const Extent &extent, const GeoTransform &transform, int width, int height );

} // namespace gridshade
