// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "raster_window_reader.h"

#include <qgsrectangle.h>

namespace gridshade
{

//! What to reproject to: a CRS, and optionally the destination window and a PROJ operation.
struct ReprojectionRequest
{
    QString dstCrsWkt;          //!< required
    bool hasExtent = false;     //!< else GDAL's suggested footprint of the whole raster
    QgsRectangle extent;        //!< in the destination CRS
    QSize size;                 //!< empty: GDAL's suggested size (about the source's resolution)
    Resampling method = Resampling::Nearest;
    //! A GDALResampleAlg (GRA_Min, GRA_Max, ...) used instead of \a method when >= 0.
    int warpAlgorithm = -1;
    QList<int> bands;           //!< empty: all
    //! A PROJ pipeline (e.g. from QGIS's transform context); empty: PROJ's default operation.
    QString coordinateOperation;
};

/**
 * \brief Reprojects a raster window through GDAL's warper (a warped VRT), which unlike
 * QgsRasterProjector resamples with the chosen method, honours the coordinate operation QGIS's
 * transform context picks, and applies the source's masks by itself.
 *
 * Returns the destination grid's values (float64, NaN outside the source and where masked),
 * its geotransform and exactly the destination CRS given; \a alpha, when given, receives the
 * warped validity (0 or 255). Any one thread at a time per call (it opens its own datasets).
 */
Status reprojectWindow( const QString &gdalSource, const ReprojectionRequest &request, RasterArray &out, std::vector<uint8_t> *alpha = nullptr );

//! The same from an open GDAL dataset (a GDALDatasetH, e.g. a MEM view of a decimated read).
Status reprojectDataset( void *dataset, const ReprojectionRequest &request, RasterArray &out, std::vector<uint8_t> *alpha = nullptr );

} // namespace gridshade
