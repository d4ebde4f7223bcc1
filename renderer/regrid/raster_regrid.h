// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/status.h"

#include <QString>

#include <atomic>
#include <cstdint>

namespace gridshade
{

//! How several source cells make one output pixel (Datashader's Canvas.raster `agg`).
enum class RasterDownsample
{
  Mean,  //!< average of the valid cells, weighted by the area each covers
  Min,   //!< smallest valid cell touched (areas ignored)
  Max,   //!< largest valid cell touched (areas ignored)
  First, //!< first valid cell touched, scanning rows north to south, columns west to east
  Mode,  //!< the valid value covering the most area; ties go to the value met first
};

//! How one source cell spreads over several output pixels (Canvas.raster `interpolate`).
enum class RasterUpsample
{
  Nearest, //!< the cell under the pixel centre
  Linear,  //!< bilinear between the four cell centres around the pixel centre
};

QString downsampleName( RasterDownsample method );
bool parseDownsample( const QString &name, RasterDownsample &method );
QString upsampleName( RasterUpsample method );
bool parseUpsample( const QString &name, RasterUpsample &method );

/**
 * One axis of the output grid in source cell units: output pixel i spans source coordinates
 * [offset + i * scale, offset + (i + 1) * scale), where 0 is the first cell's outer edge (west
 * for columns, north for rows). scale > 1 downsamples that axis, scale <= 1 upsamples it.
 */
struct RegridAxis
{
    double offset = 0.0;
    double scale = 1.0;
};

//! A source grid: row-major, rows north to south; a cell is valid when its value is finite
//! and its \a valid byte (optional) is not 0.
struct RegridSource
{
    const double *values = nullptr;
    const uint8_t *valid = nullptr;
    int width = 0;
    int height = 0;
};

/**
 * \brief Regrids a raster onto an output pixel grid with Datashader's Canvas.raster kernels
 * (datashader/resampling.py), generalised from "the canvas is the raster's bounding box" to
 * any axis-aligned placement so that the output is the map canvas's exact pixel grid.
 *
 * An output pixel whose centre falls outside the source, or that meets no valid cell, is
 * invalid: NaN in \a out and 0 in \a outValid (255 otherwise). When one axis downsamples and
 * the other upsamples, the downsampled axis is reduced first, as Datashader does. Differences
 * from Datashader, on purpose and documented in docs/raster_layer.rst: nearest and linear
 * sample at pixel centres (Datashader's index-space formulas shift the image by up to half a
 * source cell), and mode weighs areas as real numbers (Datashader truncates them to integers).
 *
 * Rows run in parallel on ThreadPool::instance(); \a cancel is polled between row bands.
 * Reentrant; any thread. \a out and \a outValid hold outWidth * outHeight entries.
 */
Status regridRaster( const RegridSource &source, const RegridAxis &x, const RegridAxis &y, int outWidth, int outHeight, RasterDownsample down,
                     RasterUpsample up, double *out, uint8_t *outValid, const std::atomic<bool> *cancel = nullptr );

} // namespace gridshade
