// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "aggregation/aggregate.h"
#include "core/extent.h"
#include "core/rgba_image.h"
#include "core/status.h"

#include <QString>
#include <QStringList>

namespace gridshade
{

/**
 * \brief Writes engine results as georeferenced rasters with GDAL: north-up, pixel-is-area, the
 * geotransform taken from the grid's extent and size exactly as the engine bins points
 * (column c covers [xmin + c * dx, xmin + (c + 1) * dx)).
 *
 * - RGBA images: GeoTIFF (4 bands, unassociated alpha, deflate) or PNG with a world file
 *   (.pgw) and the CRS in a GDAL .aux.xml, chosen by the file extension.
 * - Aggregates: a single-band GeoTIFF, UInt32 for count (no nodata: 0 means no point, which is
 *   a measurement, not a gap) or Float64 for sum/mean/min/max (NaN where no point, also
 *   declared as the nodata value); count_cat gives one UInt32 band per category, each band
 *   described by its category label.
 *
 * A plain value; any thread (GDAL error state is per thread).
 */
class RasterWriter
{
  public:
    RasterWriter( const QString &path, const Extent &extent, int width, int height, const QString &crsWkt );

    //! True for .png (case-insensitive), false for .tif/.tiff; other extensions are rejected.
    static Status checkImageExtension( const QString &path, bool &isPng );

    Status writeImage( const RgbaImage &image ) const;
    Status writeAggregate( const Aggregate &aggregate, const QStringList &categoryLabels ) const;

  private:
    //! Sets the extent's north-up geotransform and the CRS on a new GDAL dataset.
    void georeference( void *dataset ) const;
    Status writeWorldFile( const double gt[6] ) const;

    QString mPath;
    Extent mExtent;
    int mWidth = 0;
    int mHeight = 0;
    QString mCrsWkt;
};

} // namespace gridshade
