// SPDX-License-Identifier: GPL-2.0-or-later
#include "raster_reprojector.h"

#include <cpl_string.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <gdalwarper.h>

#include <cmath>
#include <limits>
#include <memory>
#include <new>
#include <vector>

namespace gridshade
{

namespace
{

// GDAL keeps GRA_* and GRIORA_* equal for the methods both have.
static_assert( int( GRA_Average ) == int( GRIORA_Average ) && int( GRA_Mode ) == int( GRIORA_Mode ) && int( GRA_Cubic ) == int( GRIORA_Cubic ),
               "GDAL's warp and RasterIO resampling enums differ" );

GDALResampleAlg warpAlgorithm( Resampling method )
{
  return static_cast<GDALResampleAlg>( rasterIoAlgorithm( method ) );
}

struct DatasetCloser
{
    void operator()( void *ds ) const
    {
      if ( ds )
        GDALClose( static_cast<GDALDatasetH>( ds ) );
    }
};
using Dataset = std::unique_ptr<void, DatasetCloser>;

} // namespace

Status reprojectWindow( const QString &gdalSource, const ReprojectionRequest &request, RasterArray &out, std::vector<uint8_t> *alpha )
{
  if ( GDALGetDriverCount() == 0 )
    GDALAllRegister();
  if ( request.dstCrsWkt.isEmpty() )
    return Status::error( QStringLiteral( "no destination CRS given" ) );
  CPLErrorReset();
  Dataset src( GDALOpenEx( gdalSource.toUtf8().constData(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr ) );
  if ( !src )
    return Status::error( QStringLiteral( "cannot open raster '%1': %2" ).arg( gdalSource, lastGdalError() ) );
  return reprojectDataset( src.get(), request, out, alpha );
}

Status reprojectDataset( void *dataset, const ReprojectionRequest &request, RasterArray &out, std::vector<uint8_t> *alpha )
{
  if ( !dataset )
    return Status::error( QStringLiteral( "no raster to reproject" ) );
  if ( request.dstCrsWkt.isEmpty() )
    return Status::error( QStringLiteral( "no destination CRS given" ) );
  GDALDatasetH srcDs = static_cast<GDALDatasetH>( dataset );
  const int bandCount = GDALGetRasterCount( srcDs );
  QList<int> bands = request.bands;
  if ( bands.isEmpty() )
    for ( int b = 1; b <= bandCount; ++b )
      bands << b;
  for ( int b : bands )
    if ( b < 1 || b > bandCount )
      return Status::error( QStringLiteral( "band %1 does not exist: the raster has bands 1..%2" ).arg( b ).arg( bandCount ) );

  const QByteArray dstWkt = request.dstCrsWkt.toUtf8();
  char **transformerOptions = CSLSetNameValue( nullptr, "DST_SRS", dstWkt.constData() );
  const QByteArray operation = request.coordinateOperation.toUtf8();
  if ( !operation.isEmpty() )
    transformerOptions = CSLSetNameValue( transformerOptions, "COORDINATE_OPERATION", operation.constData() );
  void *transformer = GDALCreateGenImgProjTransformer2( srcDs, nullptr, transformerOptions );
  CSLDestroy( transformerOptions );
  if ( !transformer )
    return Status::error( QStringLiteral( "no transformation from the raster's CRS to the destination CRS: %1" ).arg( lastGdalError() ) );

  // The destination grid: the request's, or GDAL's suggestion (the footprint at about the
  // source's resolution) for what is missing.
  double gt[6];
  int width = request.size.width(), height = request.size.height();
  if ( !request.hasExtent || request.size.isEmpty() )
  {
    int suggestedW = 0, suggestedH = 0;
    if ( GDALSuggestedWarpOutput( srcDs, GDALGenImgProjTransform, transformer, gt, &suggestedW, &suggestedH ) != CE_None )
    {
      GDALDestroyGenImgProjTransformer( transformer );
      return Status::error( QStringLiteral( "GDAL could not find the raster's footprint in the destination CRS: %1" ).arg( lastGdalError() ) );
    }
    if ( request.hasExtent )
    {
      // Keep the suggested resolution over the requested extent.
      width = std::max( 1, static_cast<int>( std::lround( request.extent.width() / gt[1] ) ) );
      height = std::max( 1, static_cast<int>( std::lround( request.extent.height() / -gt[5] ) ) );
    }
    else if ( request.size.isEmpty() )
    {
      width = suggestedW;
      height = suggestedH;
    }
    else
    {
      // The suggested footprint at the requested size.
      gt[1] = gt[1] * suggestedW / width;
      gt[5] = gt[5] * suggestedH / height;
    }
  }
  if ( request.hasExtent )
  {
    gt[0] = request.extent.xMinimum();
    gt[1] = request.extent.width() / width;
    gt[2] = 0;
    gt[3] = request.extent.yMaximum();
    gt[4] = 0;
    gt[5] = -request.extent.height() / height;
  }
  if ( width < 1 || height < 1 || static_cast<int64_t>( width ) * height > ( int64_t( 1 ) << 30 ) )
  {
    GDALDestroyGenImgProjTransformer( transformer );
    return Status::error( QStringLiteral( "the destination grid %1 x %2 is empty or too large" ).arg( width ).arg( height ) );
  }
  GDALSetGenImgProjTransformerDstGeoTransform( transformer, gt );

  GDALWarpOptions *wo = GDALCreateWarpOptions();
  wo->hSrcDS = srcDs;
  wo->eResampleAlg = request.warpAlgorithm >= 0 ? static_cast<GDALResampleAlg>( request.warpAlgorithm ) : warpAlgorithm( request.method );
  wo->eWorkingDataType = GDT_Float64;
  wo->nBandCount = bands.size();
  wo->panSrcBands = static_cast<int *>( CPLMalloc( sizeof( int ) * bands.size() ) );
  wo->panDstBands = static_cast<int *>( CPLMalloc( sizeof( int ) * bands.size() ) );
  wo->padfDstNoDataReal = static_cast<double *>( CPLMalloc( sizeof( double ) * bands.size() ) );
  // The warper applies per-dataset masks and alpha bands by itself, but a nodata value only when
  // told (as gdalwarp does from the source bands).
  for ( int i = 0; i < bands.size(); ++i )
  {
    wo->panSrcBands[i] = bands[i];
    wo->panDstBands[i] = i + 1;
    wo->padfDstNoDataReal[i] = std::numeric_limits<double>::quiet_NaN();
  }
  std::vector<double> srcNodata( bands.size(), std::numeric_limits<double>::quiet_NaN() );
  bool hasSrcNodata = false;
  for ( int i = 0; i < bands.size(); ++i )
  {
    int has = 0;
    const double v = GDALGetRasterNoDataValue( GDALGetRasterBand( srcDs, bands[i] ), &has );
    if ( has )
    {
      srcNodata[i] = v;
      hasSrcNodata = true;
    }
  }
  if ( hasSrcNodata )
  {
    wo->padfSrcNoDataReal = static_cast<double *>( CPLMalloc( sizeof( double ) * bands.size() ) );
    std::copy( srcNodata.begin(), srcNodata.end(), wo->padfSrcNoDataReal );
    // A band without nodata gets NaN, which matches no finite value.
    wo->papszWarpOptions = CSLSetNameValue( wo->papszWarpOptions, "UNIFIED_SRC_NODATA", "NO" );
  }
  wo->papszWarpOptions = CSLSetNameValue( wo->papszWarpOptions, "INIT_DEST", "NO_DATA" );
  wo->papszWarpOptions = CSLSetNameValue( wo->papszWarpOptions, "NUM_THREADS", "ALL_CPUS" );
  wo->pfnTransformer = GDALGenImgProjTransform;
  wo->pTransformerArg = transformer;
  // The warped VRT takes the transformer over (and destroys it with itself).
  Dataset vrt( GDALCreateWarpedVRT( srcDs, width, height, gt, wo ) );
  wo->pTransformerArg = nullptr;
  GDALDestroyWarpOptions( wo );
  if ( !vrt )
  {
    GDALDestroyGenImgProjTransformer( transformer );
    return Status::error( QStringLiteral( "GDAL could not set up the warp: %1" ).arg( lastGdalError() ) );
  }
  GDALDatasetH vrtDs = static_cast<GDALDatasetH>( vrt.get() );
  GDALSetProjection( vrtDs, dstWkt.constData() );

  const size_t pixels = static_cast<size_t>( width ) * height;
  try
  {
    out.values.assign( pixels * bands.size(), 0.0 );
    if ( alpha )
      alpha->assign( pixels, 255 );
  }
  catch ( const std::bad_alloc & )
  {
    return Status::error( QStringLiteral( "out of memory for a %1 x %2 x %3 reprojection" ).arg( width ).arg( height ).arg( bands.size() ) );
  }
  for ( int i = 0; i < bands.size(); ++i )
  {
    CPLErrorReset();
    if ( GDALRasterIO( GDALGetRasterBand( vrtDs, i + 1 ), GF_Read, 0, 0, width, height, out.values.data() + i * pixels, width, height,
                       GDT_Float64, 0, 0 ) != CE_None )
      return Status::error( QStringLiteral( "reprojecting band %1 failed: %2" ).arg( bands[i] ).arg( lastGdalError() ) );
  }
  if ( alpha )
  {
    // NaN marks what the warper left empty (outside the source, or masked there).
    for ( size_t p = 0; p < pixels; ++p )
      for ( int i = 0; i < bands.size(); ++i )
        if ( std::isnan( out.values[i * pixels + p] ) )
          ( *alpha )[p] = 0;
  }
  out.width = width;
  out.height = height;
  out.bands = bands;
  out.crsWkt = request.dstCrsWkt;
  std::copy( gt, gt + 6, out.transform.c );
  return Status::ok();
}

} // namespace gridshade
