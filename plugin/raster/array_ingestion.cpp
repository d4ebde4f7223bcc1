// SPDX-License-Identifier: GPL-2.0-or-later
#include "array_ingestion.h"

#include <qgscoordinatereferencesystem.h>
#include <qgsrasterdataprovider.h>
#include <qgsrasterlayer.h>

#include <cstring>

namespace gridshade
{

Status arrayDatasetUri( const ArrayRaster &array, QString &uri )
{
  if ( !array.data )
    return Status::error( QStringLiteral( "the array has no data pointer" ) );
  if ( array.width < 1 || array.height < 1 || array.bands < 1 )
    return Status::error( QStringLiteral( "the array is empty (%1 x %2 pixels, %3 bands)" ).arg( array.width ).arg( array.height ).arg( array.bands ) );
  switch ( array.type )
  {
    case GDT_Byte:
    case GDT_UInt16:
    case GDT_Int16:
    case GDT_UInt32:
    case GDT_Int32:
    case GDT_Float32:
    case GDT_Float64:
      break;
    default:
      return Status::error( QStringLiteral( "arrays of %1 are not supported: use uint8, uint16, int16, uint32, int32, float32 or float64" )
                              .arg( QString::fromLatin1( GDALGetDataTypeName( array.type ) ) ) );
  }
  const qint64 size = GDALGetDataTypeSizeBytes( array.type );
  const qint64 pixelOffset = array.pixelInterleaved ? size * array.bands : size;
  const qint64 lineOffset = pixelOffset * array.width;
  const qint64 bandOffset = array.pixelInterleaved ? size : lineOffset * array.height;
  // Bottom-up rows: start at the last row in memory (the northernmost) and step back. Band
  // offsets stay positive: every band is flipped the same way.
  const quintptr start = reinterpret_cast<quintptr>( array.data ) + ( array.bottomUp ? lineOffset * ( array.height - 1 ) : 0 );
  const double *g = array.geoTransform;
  uri = QStringLiteral( "MEM:::DATAPOINTER=%1,PIXELS=%2,LINES=%3,BANDS=%4,DATATYPE=%5,PIXELOFFSET=%6,LINEOFFSET=%7,BANDOFFSET=%8,"
                        "GEOTRANSFORM=%9/%10/%11/%12/%13/%14" )
          .arg( start )
          .arg( array.width )
          .arg( array.height )
          .arg( array.bands )
          .arg( QString::fromLatin1( GDALGetDataTypeName( array.type ) ) )
          .arg( pixelOffset )
          .arg( array.bottomUp ? -lineOffset : lineOffset )
          .arg( bandOffset )
          .arg( g[0], 0, 'g', 17 )
          .arg( g[1], 0, 'g', 17 )
          .arg( g[2], 0, 'g', 17 )
          .arg( g[3], 0, 'g', 17 )
          .arg( g[4], 0, 'g', 17 )
          .arg( g[5], 0, 'g', 17 );
  return Status::ok();
}

std::unique_ptr<QgsRasterLayer> createArrayLayer( const ArrayRaster &array, const QString &name, Status &status )
{
  QString uri;
  status = arrayDatasetUri( array, uri );
  if ( !status )
    return nullptr;
  QgsCoordinateReferenceSystem crs;
  if ( !array.crs.isEmpty() )
  {
    crs = QgsCoordinateReferenceSystem( array.crs );
    if ( !crs.isValid() )
    {
      status = Status::error( QStringLiteral( "the CRS '%1' is not one QGIS knows: give an EPSG code, WKT or a PROJ string" ).arg( array.crs ) );
      return nullptr;
    }
  }
  auto layer = std::make_unique<QgsRasterLayer>( uri, name, QStringLiteral( "gdal" ) );
  if ( !layer->isValid() )
  {
    status = Status::error( QStringLiteral( "GDAL could not open the array as a raster: %1" ).arg( layer->error().summary() ) );
    return nullptr;
  }
  if ( crs.isValid() )
    layer->setCrs( crs );
  for ( int b = 1; b <= array.bands; ++b )
  {
    if ( array.hasNodata )
      layer->dataProvider()->setUserNoDataValue( b, { QgsRasterRange( array.nodata, array.nodata ) } );
  }
  if ( !array.bandNames.isEmpty() )
    layer->setCustomProperty( QStringLiteral( "gridshade/bandNames" ), array.bandNames );
  for ( auto it = array.metadata.constBegin(); it != array.metadata.constEnd(); ++it )
    layer->setCustomProperty( QStringLiteral( "gridshade/meta/" ) + it.key(), it.value() );
  status = Status::ok();
  return layer;
}

} // namespace gridshade

int gridshade_array_uri( const void *data, int gdalType, int width, int height, int bands, int pixelInterleaved, int bottomUp,
                         const double *geoTransform, char *out, int outSize )
{
  if ( !out || outSize < 1 )
    return 0;
  gridshade::ArrayRaster array;
  array.data = data;
  array.type = static_cast<GDALDataType>( gdalType );
  array.width = width;
  array.height = height;
  array.bands = bands;
  array.pixelInterleaved = pixelInterleaved != 0;
  array.bottomUp = bottomUp != 0;
  if ( geoTransform )
    std::memcpy( array.geoTransform, geoTransform, sizeof array.geoTransform );
  QString uri;
  const gridshade::Status st = gridshade::arrayDatasetUri( array, uri );
  const QByteArray text = ( st ? uri : st.message() ).toUtf8();
  if ( text.size() >= outSize )
    return 0;
  std::memcpy( out, text.constData(), static_cast<size_t>( text.size() ) + 1 );
  return st ? 1 : 0;
}
