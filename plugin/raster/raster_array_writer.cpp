// SPDX-License-Identifier: GPL-2.0-or-later
#include "raster_array_writer.h"

#include <cpl_string.h>
#include <gdal.h>

#include <limits>

namespace gridshade
{

Status writeRasterArray( const QString &path, const RasterArray &array )
{
  if ( array.width < 1 || array.height < 1 || array.bands.isEmpty()
       || array.values.size() != static_cast<size_t>( array.bands.size() ) * array.width * array.height )
    return Status::error( QStringLiteral( "internal error: an inconsistent raster array" ) );
  if ( GDALGetDriverCount() == 0 )
    GDALAllRegister();
  GDALDriverH drv = GDALGetDriverByName( "GTiff" );
  if ( !drv )
    return Status::error( QStringLiteral( "the GDAL driver GTiff is not available" ) );
  char **options = nullptr;
  options = CSLSetNameValue( options, "COMPRESS", "DEFLATE" );
  options = CSLSetNameValue( options, "TILED", "YES" );
  options = CSLSetNameValue( options, "BIGTIFF", "IF_SAFER" );
  CPLErrorReset();
  GDALDatasetH ds = GDALCreate( drv, path.toUtf8().constData(), array.width, array.height, array.bands.size(), GDT_Float64, options );
  CSLDestroy( options );
  auto failure = [&]( const QString &what ) {
    return Status::error( QStringLiteral( "%1 '%2' failed (GDAL: %3): check that the folder exists and is writable" )
                            .arg( what, path, QString::fromUtf8( CPLGetLastErrorMsg() ) ) );
  };
  if ( !ds )
    return failure( QStringLiteral( "creating" ) );
  GeoTransform t = array.transform;
  GDALSetGeoTransform( ds, t.c );
  GDALSetProjection( ds, array.crsWkt.toUtf8().constData() );
  const size_t bandValues = static_cast<size_t>( array.width ) * array.height;
  CPLErr err = CE_None;
  for ( int i = 0; i < array.bands.size() && err == CE_None; ++i )
  {
    GDALRasterBandH band = GDALGetRasterBand( ds, i + 1 );
    GDALSetRasterNoDataValue( band, std::numeric_limits<double>::quiet_NaN() );
    GDALSetDescription( band, QStringLiteral( "band %1" ).arg( array.bands[i] ).toUtf8().constData() );
    err = GDALRasterIO( band, GF_Write, 0, 0, array.width, array.height, const_cast<double *>( array.values.data() + i * bandValues ),
                        array.width, array.height, GDT_Float64, 0, 0 );
  }
  const Status written = err == CE_None ? Status::ok() : failure( QStringLiteral( "writing" ) );
  GDALClose( ds );
  return written;
}

} // namespace gridshade
