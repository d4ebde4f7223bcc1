// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "raster_window_reader.h"
#include "regrid/raster_regrid.h"

#include <qgsrectangle.h>

#include <atomic>

namespace gridshade
{

//! The map canvas a raster is drawn on: its exact device-pixel grid, and where that lies in the
//! raster's own CRS.
struct CanvasGrid
{
    QgsRectangle extent;          //!< map extent, in the map CRS
    QSize size;                   //!< device pixels
    bool sameCrs = true;          //!< the map CRS is the raster's: regrid without warping
    QString crsWkt;               //!< the map CRS (when !sameCrs)
    QString coordinateOperation;  //!< QGIS's transform-context operation, raster -> map (optional)
    QgsRectangle sourceExtent;    //!< the extent in the raster's CRS (when !sameCrs), densified bounds
};

//! What to draw of the raster, and how pixels combine (Datashader's Canvas.raster options).
struct CanvasRasterOptions
{
    int band = 1;
    RasterDownsample down = RasterDownsample::Mean;
    RasterUpsample up = RasterUpsample::Linear;
};

//! The raster on the canvas grid: values (NaN where nothing is drawn) and alpha, rows top-down,
//! with how it was read.
struct CanvasRaster
{
    std::vector<double> values;
    std::vector<uint8_t> alpha;
    int decimation = 1;  //!< 1 = full resolution, 2^k = read at 1/2^k (the file's overviews where it has them)
    QSize readSize;      //!< pixels read from GDAL (0 x 0 when the raster is outside the canvas)
    double readMs = 0, regridMs = 0;
};

/**
 * \brief Draws a raster onto a canvas grid, reading only what the canvas needs.
 *
 *   canvas extent -> pixel window of the raster (+1 read pixel for interpolation)
 *   -> decimation 2^k = the coarsest power of two not coarser than a canvas pixel
 *   -> GDAL read of the window at 1/2^k (GDAL takes the file's, or each VRT source's, overview
 *      that matches; average for mean, mode for mode, nearest otherwise), and its mask bands
 *   -> same CRS: Canvas.raster kernels (regridRaster) onto the canvas grid
 *      other CRS: the read wrapped as a GDAL MEM dataset (no copy) and warped onto the canvas
 *      grid (average, min, max, mode, nearest or bilinear: the warper's equivalents)
 *
 * The reader belongs to the calling thread for the call. \a cancel is polled between stages.
 */
Status readRasterOnCanvas( const RasterWindowReader &reader, const CanvasGrid &canvas, const CanvasRasterOptions &options, CanvasRaster &out,
                           const std::atomic<bool> *cancel = nullptr );

//! The power-of-two decimation readRasterOnCanvas() reads \a window at for \a outSize pixels.
int canvasDecimation( const PixelWindow &window, const QSize &outSize );

} // namespace gridshade
