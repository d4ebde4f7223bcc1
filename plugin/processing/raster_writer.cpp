// SPDX-License-Identifier: GPL-2.0-or-later
#include "raster_writer.h"

#include "checks/alignment.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>

#include <QFile>
#include <QFileInfo>

#include <cmath>
#include <limits>
#include <memory>

namespace gridshade
{

namespace
{

struct DatasetCloser
{
    void operator()( void *ds ) const
    {
      if ( ds )
        GDALClose( static_cast<GDALDatasetH>( ds ) );
    }
};
using Dataset = std::unique_ptr<void, DatasetCloser>;

struct OptionList
{
    char **list = nullptr;
    ~OptionList() { CSLDestroy( list ); }
    void set( const char *key, const char *value ) { list = CSLSetNameValue( list, key, value ); }
};

QString gdalError( const QString &what, const QString &path )
{
  const QString detail = QString::fromUtf8( CPLGetLastErrorMsg() );
  return QStringLiteral( "%1 '%2' failed%3: check that the folder exists and is writable" )
    .arg( what, path, detail.isEmpty() ? QString() : QStringLiteral( " (GDAL: %1)" ).arg( detail ) );
}

GDALDriverH driver( const char *name )
{
  if ( GDALGetDriverCount() == 0 )
    GDALAllRegister();
  return GDALGetDriverByName( name );
}

} // namespace

RasterWriter::RasterWriter( const QString &path, const Extent &extent, int width, int height, const QString &crsWkt )
  : mPath( path )
  , mExtent( extent )
  , mWidth( width )
  , mHeight( height )
  , mCrsWkt( crsWkt )
{}

Status RasterWriter::checkImageExtension( const QString &path, bool &isPng )
{
  const QString suffix = QFileInfo( path ).suffix().toLower();
  isPng = suffix == QLatin1String( "png" );
  if ( isPng || suffix == QLatin1String( "tif" ) || suffix == QLatin1String( "tiff" ) )
    return Status::ok();
  return Status::error( QStringLiteral( "output '%1' has the extension '%2': use .png (with a world file) or .tif (GeoTIFF)" )
                          .arg( path, suffix ) );
}

void RasterWriter::georeference( void *dataset ) const
{
  GeoTransform t = GeoTransform::fromExtent( mExtent, mWidth, mHeight );
  GDALSetGeoTransform( static_cast<GDALDatasetH>( dataset ), t.c );
  GDALSetProjection( static_cast<GDALDatasetH>( dataset ), mCrsWkt.toUtf8().constData() );
}

Status RasterWriter::writeImage( const RgbaImage &image ) const
{
  bool isPng = false;
  if ( Status st = checkImageExtension( mPath, isPng ); !st )
    return st;
  if ( image.isNull() || image.width() != mWidth || image.height() != mHeight )
    return Status::error( QStringLiteral( "internal error: image of %1x%2 for a %3x%4 grid" ).arg( image.width() ).arg( image.height() ).arg( mWidth ).arg( mHeight ) );
  CPLErrorReset();
  const QByteArray path = mPath.toUtf8();
  // PNG cannot be created band by band, so the pixels go through a MEM dataset first.
  OptionList options;
  GDALDriverH drv = driver( isPng ? "MEM" : "GTiff" );
  if ( !isPng )
  {
    options.set( "PHOTOMETRIC", "RGB" );
    options.set( "ALPHA", "NON-PREMULTIPLIED" ); // the engine's alpha is straight, not premultiplied
    options.set( "COMPRESS", "DEFLATE" );
    options.set( "TILED", "YES" );
  }
  if ( !drv )
    return Status::error( QStringLiteral( "the GDAL driver %1 is not available: install a GDAL with it" ).arg( isPng ? "MEM" : "GTiff" ) );
  Dataset ds( GDALCreate( drv, isPng ? "" : path.constData(), mWidth, mHeight, 4, GDT_Byte, options.list ) );
  if ( !ds )
    return Status::error( gdalError( QStringLiteral( "creating" ), mPath ) );
  georeference( ds.get() );
  GDALSetRasterColorInterpretation( GDALGetRasterBand( ds.get(), 4 ), GCI_AlphaBand );

  // The RgbaImage holds R, G, B, A bytes per pixel in memory order: pixel-interleaved bands.
  int bands[4] = { 1, 2, 3, 4 };
  void *pixels = const_cast<uint32_t *>( image.constData() );
  if ( GDALDatasetRasterIO( ds.get(), GF_Write, 0, 0, mWidth, mHeight, pixels, mWidth, mHeight, GDT_Byte, 4, bands, 4,
                            static_cast<GSpacing>( mWidth ) * 4, 1 ) != CE_None )
    return Status::error( gdalError( QStringLiteral( "writing pixels to" ), mPath ) );
  if ( !isPng )
  {
    GDALDatasetH raw = ds.release();
    GDALClose( raw );
    return CPLGetLastErrorType() >= CE_Failure ? Status::error( gdalError( QStringLiteral( "finishing" ), mPath ) ) : Status::ok();
  }

  GDALDriverH png = driver( "PNG" );
  if ( !png )
    return Status::error( QStringLiteral( "the GDAL driver PNG is not available: write a .tif instead" ) );
  // PNG stores no georeferencing: the CRS goes to PAM's .aux.xml on close and the geotransform
  // to a world file named after the image (.pgw, which GDAL and QGIS read back).
  Dataset out( GDALCreateCopy( png, path.constData(), ds.get(), FALSE, nullptr, nullptr, nullptr ) );
  if ( !out )
    return Status::error( gdalError( QStringLiteral( "writing PNG" ), mPath ) );
  georeference( out.get() ); // PAM keeps all 17 digits; GDAL prefers it to the world file
  out.reset();
  return writeWorldFile( GeoTransform::fromExtent( mExtent, mWidth, mHeight ).c );
}

Status RasterWriter::writeWorldFile( const double gt[6] ) const
{
  // GDALWriteWorldFile() prints 10 decimals, which moves the grid by up to 5e-11 units; other
  // readers than GDAL see only this file, so it carries round-trip precision (%.17g).
  const QString worldPath = QFileInfo( mPath ).path() + QLatin1Char( '/' ) + QFileInfo( mPath ).completeBaseName() + QStringLiteral( ".pgw" );
  QFile file( worldPath );
  if ( !file.open( QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text ) )
    return Status::error( QStringLiteral( "cannot write the world file '%1' (%2): check that the folder is writable" ).arg( worldPath, file.errorString() ) );
  // A, D, B, E, then the centre of the top-left pixel.
  const double lines[6] = { gt[1], gt[4], gt[2], gt[5], gt[0] + 0.5 * gt[1] + 0.5 * gt[2], gt[3] + 0.5 * gt[4] + 0.5 * gt[5] };
  QByteArray text;
  for ( double v : lines )
    text += QByteArray::number( v, 'g', 17 ) + '\n';
  if ( file.write( text ) != text.size() || !file.flush() )
    return Status::error( QStringLiteral( "writing the world file '%1' failed: %2" ).arg( worldPath, file.errorString() ) );
  return Status::ok();
}

Status RasterWriter::writeAggregate( const Aggregate &aggregate, const QStringList &categoryLabels ) const
{
  if ( aggregate.width() != mWidth || aggregate.height() != mHeight )
    return Status::error( QStringLiteral( "internal error: aggregate of %1x%2 for a %3x%4 grid" ).arg( aggregate.width() ).arg( aggregate.height() ).arg( mWidth ).arg( mHeight ) );
  const bool isCat = aggregate.reduction() == Reduction::CountCat;
  const int bandCount = isCat ? aggregate.categoryCount() : 1;
  if ( bandCount < 1 )
    return Status::error( QStringLiteral( "count_cat found no categories: the category field is empty for every point" ) );
  GDALDriverH drv = driver( "GTiff" );
  if ( !drv )
    return Status::error( QStringLiteral( "the GDAL driver GTiff is not available: install a GDAL with it" ) );
  CPLErrorReset();
  OptionList options;
  options.set( "COMPRESS", "DEFLATE" );
  options.set( "TILED", "YES" );
  options.set( "BIGTIFF", "IF_SAFER" );
  if ( bandCount > 1 )
    options.set( "INTERLEAVE", "PIXEL" ); // matches the aggregate's pixel-major layout
  const GDALDataType type = aggregate.isCount() ? GDT_UInt32 : GDT_Float64;
  const QByteArray path = mPath.toUtf8();
  Dataset ds( GDALCreate( drv, path.constData(), mWidth, mHeight, bandCount, type, options.list ) );
  if ( !ds )
    return Status::error( gdalError( QStringLiteral( "creating" ), mPath ) );
  georeference( ds.get() );
  GDALSetMetadataItem( ds.get(), "REDUCTION", reductionName( aggregate.reduction() ).toUtf8().constData(), nullptr );
  GDALSetMetadataItem( ds.get(), "POINTS_IN_EXTENT", QByteArray::number( static_cast<qulonglong>( aggregate.stats().inView ) ).constData(), nullptr );

  CPLErr err = CE_None;
  if ( aggregate.isCount() )
  {
    void *data = const_cast<uint32_t *>( aggregate.counts().data() );
    const int typeSize = static_cast<int>( sizeof( uint32_t ) );
    std::vector<int> bands( bandCount );
    for ( int b = 0; b < bandCount; ++b )
    {
      bands[b] = b + 1;
      if ( isCat && b < categoryLabels.size() )
        GDALSetDescription( GDALGetRasterBand( ds.get(), b + 1 ), categoryLabels[b].toUtf8().constData() );
    }
    err = GDALDatasetRasterIO( ds.get(), GF_Write, 0, 0, mWidth, mHeight, data, mWidth, mHeight, GDT_UInt32, bandCount, bands.data(),
                               static_cast<GSpacing>( typeSize ) * bandCount, static_cast<GSpacing>( typeSize ) * bandCount * mWidth, typeSize );
  }
  else
  {
    GDALRasterBandH band = GDALGetRasterBand( ds.get(), 1 );
    GDALSetRasterNoDataValue( band, std::numeric_limits<double>::quiet_NaN() );
    void *data = const_cast<double *>( aggregate.values().data() );
    err = GDALRasterIO( band, GF_Write, 0, 0, mWidth, mHeight, data, mWidth, mHeight, GDT_Float64, 0, 0 );
  }
  if ( err != CE_None )
    return Status::error( gdalError( QStringLiteral( "writing" ), mPath ) );
  GDALDatasetH raw = ds.release();
  GDALClose( raw );
  return CPLGetLastErrorType() >= CE_Failure ? Status::error( gdalError( QStringLiteral( "finishing" ), mPath ) ) : Status::ok();
}

} // namespace gridshade
