// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "raster_window_reader.h"

#include <qgsrectangle.h>

#include <atomic>

namespace gridshade
{

//! What to reproject to: a CRS, and optionally the destination window and a PROJ operation.
struct ReprojectionRequest
{
    //! overview: as gdalwarp's default (-ovr AUTO), the overview that fits the destination grid.
    static constexpr int AUTO_OVERVIEW = -2;

    QString dstCrsWkt;          //!< required
    bool hasExtent = false;     //!< else GDAL's suggested footprint of the whole raster
    QgsRectangle extent;        //!< in the destination CRS
    //! Destination size; a 0 side follows from the other keeping the extent's aspect (as
    //! gdalwarp -ts), both 0: GDAL's suggested size (about the source's resolution).
    QSize size;
    Resampling method = Resampling::Nearest;
    //! A GDALResampleAlg (GRA_Min, GRA_Max, ...) used instead of \a method when >= 0.
    int warpAlgorithm = -1;
    QList<int> bands;           //!< empty: all
    //! A PROJ pipeline (e.g. from QGIS's transform context); empty: PROJ's default operation.
    QString coordinateOperation;
    //! AUTO_OVERVIEW, -1 the full resolution, n the n-th overview (0-based) alone.
    int overview = AUTO_OVERVIEW;
    //! The warper's working memory, as gdalwarp -wm (64 MiB is gdalwarp's default).
    double memoryLimitBytes = 64.0 * 1024 * 1024;
    const std::atomic<bool> *cancel = nullptr; //!< checked by the warper between chunks and rows
};

//! What a reprojection read.
struct ReprojectionReport
{
    int level = -1;      //!< the overview warped from (0-based), -1 the full resolution
    PixelWindow window;  //!< the source window the destination grid covers, full-resolution pixels
};

/**
 * \brief Reprojects a raster window through GDAL's warper as gdalwarp does it: the same overview
 * choice, the whole destination warped by GDALChunkAndWarpImage within a memory limit (so that
 * bilinear and cubic see the scale of the whole request, not of small blocks, and a source of any
 * size is read in bounded chunks), the coordinate operation of QGIS's transform context, nodata,
 * per-dataset masks and an alpha band (the last band, when GDAL calls it alpha) applied.
 *
 * Returns the destination grid's values (float64, NaN outside the source and where masked),
 * its geotransform and exactly the destination CRS given; \a alpha, when given, receives the
 * warped validity (0 or 255); \a report what was read. An extent that does not overlap the
 * raster is an error. Any one thread at a time per call (it opens its own datasets).
 */
Status reprojectWindow( const QString &gdalSource, const ReprojectionRequest &request, RasterArray &out, std::vector<uint8_t> *alpha = nullptr,
                        ReprojectionReport *report = nullptr );

//! The same from an open GDAL dataset (a GDALDatasetH, e.g. a MEM view of a decimated read),
//! always at its full resolution and without the overlap check.
Status reprojectDataset( void *dataset, const ReprojectionRequest &request, RasterArray &out, std::vector<uint8_t> *alpha = nullptr );

//! The destination size for \a size over an extent of \a extentW x \a extentH map units: a 0
//! side from the other, keeping the aspect as gdalwarp -ts does (at least 1).
QSize sizeKeepingAspect( const QSize &size, double extentW, double extentH );

} // namespace gridshade
