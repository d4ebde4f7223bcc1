// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/status.h"

#include <QString>
#include <QVariantMap>

#include <gdal.h>

#include <memory>

class QgsRasterLayer;

namespace gridshade
{

/**
 * \brief Caller memory described as a raster: a C-contiguous array of \a bands x \a height x
 * \a width values (band-interleaved, "band, y, x") or \a height x \a width x \a bands
 * (pixel-interleaved, "y, x, band"), with its geotransform (GDAL order) and CRS.
 */
struct ArrayRaster
{
    const void *data = nullptr;
    GDALDataType type = GDT_Float64; //!< Byte, UInt16, Int16, UInt32, Int32, Float32 or Float64
    int width = 0;
    int height = 0;
    int bands = 1;
    bool pixelInterleaved = false;
    //! Rows stored south to north (Datashader's and NetCDF's y ascending): \a data is the
    //! southernmost row and the view steps backwards through memory (a negative line offset), so
    //! the dataset is north-up without a copy. The geotransform is the north-up one.
    bool bottomUp = false;
    double geoTransform[6] = { 0, 1, 0, 0, 0, -1 };
    QString crs;                     //!< anything QGIS reads: "EPSG:32632", WKT, a PROJ string
    bool hasNodata = false;
    double nodata = 0;
    QStringList bandNames;           //!< optional, one per band
    QVariantMap metadata;            //!< kept as the layer's custom properties "gridshade/meta/<key>"
};

/**
 * The GDAL open string of a MEM dataset that views \a array's memory without copying
 * (DATAPOINTER with pixel, line and band offsets), with its geotransform. Error for an
 * unsupported type, an empty size or a null pointer.
 */
Status arrayDatasetUri( const ArrayRaster &array, QString &uri );

/**
 * A QGIS raster layer (GDAL provider) over \a array's memory: no copy, so writes to the array
 * show at the next render. The CRS, nodata, band names and metadata are set on the layer. The
 * caller keeps the memory alive and unchanged in size for the layer's lifetime (the Python
 * helper ties the array to the layer).
 */
std::unique_ptr<QgsRasterLayer> createArrayLayer( const ArrayRaster &array, const QString &name, Status &status );

} // namespace gridshade

extern "C"
{
  /**
   * For ctypes (the Python console): writes the MEM open string of an array into \a out
   * (\a outSize bytes) and returns 1, or 0 with the error message in \a out. \a gdalType is a
   * GDALDataType value; \a bottomUp as ArrayRaster::bottomUp; \a geoTransform six doubles.
   */
  int gridshade_array_uri( const void *data, int gdalType, int width, int height, int bands, int pixelInterleaved,
                           int bottomUp, const double *geoTransform, char *out, int outSize );
}
