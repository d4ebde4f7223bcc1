// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "raster_window_reader.h"

namespace gridshade
{

/**
 * Writes \a array as a tiled, deflate-compressed Float64 GeoTIFF with its own geotransform and
 * CRS, one band per array band, each band described by its source band number and NaN as the
 * nodata value. Returns an error naming the path and GDAL's message.
 */
Status writeRasterArray( const QString &path, const RasterArray &array );

} // namespace gridshade
