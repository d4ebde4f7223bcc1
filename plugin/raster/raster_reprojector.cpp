// SPDX-License-Identifier: GPL-2.0-or-later
#include "raster_reprojector.h"

#include "array_ingestion.h"

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

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

struct DatasetCloser
{
    void operator()( void *ds ) const
    {
      if ( ds )
        GDALClose( static_cast<GDALDatasetH>( ds ) );
    }
};
using Dataset = std::unique_ptr<void, DatasetCloser>;

struct TransformerDeleter
{
    void operator()( void *t ) const
    {
      if ( t )
        GDALDestroyGenImgProjTransformer( t );
    }
};
using Transformer = std::unique_ptr<void, TransformerDeleter>;

// Exact (no approximation, gdalwarp -et 0) source -> destination transformer.
Transformer makeTransformer( GDALDatasetH src, const ReprojectionRequest &request )
{
  const QByteArray dstWkt = request.dstCrsWkt.toUtf8();
  char **options = CSLSetNameValue( nullptr, "DST_SRS", dstWkt.constData() );
  const QByteArray operation = request.coordinateOperation.toUtf8();
  if ( !operation.isEmpty() )
    options = CSLSetNameValue( options, "COORDINATE_OPERATION", operation.constData() );
  Transformer t( GDALCreateGenImgProjTransformer2( src, nullptr, options ) );
  CSLDestroy( options );
  return t;
}

// The destination grid: the request's, or GDAL's suggestion (the footprint at about the
// source's resolution) for what is missing.
Status destinationGrid( GDALDatasetH src, void *transformer, const ReprojectionRequest &request, double gt[6], int &width, int &height )
{
  double suggested[6] = { 0, 1, 0, 0, 0, -1 };
  int suggestedW = 0, suggestedH = 0;
  // Renders give both extent and size: no need for the (edge-sampling) suggestion then.
  const bool complete = request.hasExtent && request.size.width() > 0 && request.size.height() > 0;
  if ( !complete && GDALSuggestedWarpOutput( src, GDALGenImgProjTransform, transformer, suggested, &suggestedW, &suggestedH ) != CE_None )
    return Status::error( QStringLiteral( "GDAL could not find the raster's footprint in the destination CRS: %1" ).arg( lastGdalError() ) );
  const double x0 = request.hasExtent ? request.extent.xMinimum() : suggested[0];
  const double y1 = request.hasExtent ? request.extent.yMaximum() : suggested[3];
  const double extentW = request.hasExtent ? request.extent.width() : suggested[1] * suggestedW;
  const double extentH = request.hasExtent ? request.extent.height() : -suggested[5] * suggestedH;
  if ( request.size.width() <= 0 && request.size.height() <= 0 )
  {
    // The suggested resolution over the extent.
    width = request.hasExtent ? std::max( 1, static_cast<int>( std::lround( extentW / suggested[1] ) ) ) : suggestedW;
    height = request.hasExtent ? std::max( 1, static_cast<int>( std::lround( extentH / -suggested[5] ) ) ) : suggestedH;
  }
  else
  {
    const QSize size = sizeKeepingAspect( request.size, extentW, extentH );
    width = size.width();
    height = size.height();
  }
  if ( width < 1 || height < 1 || static_cast<int64_t>( width ) * height > ( int64_t( 1 ) << 30 ) )
    return Status::error( QStringLiteral( "the destination grid %1 x %2 is empty or larger than 2^30 pixels" ).arg( width ).arg( height ) );
  const double g[6] = { x0, extentW / width, 0, y1, 0, -extentH / height };
  std::copy( g, g + 6, gt );
  return Status::ok();
}

// Destination pixel positions (n x n over the grid, edges included) in source pixels.
bool sourceSpan( void *transformer, int width, int height, int n, double &minX, double &maxX, double &minY, double &maxY )
{
  std::vector<double> x, y, z;
  for ( int i = 0; i < n; ++i )
    for ( int j = 0; j < n; ++j )
    {
      x.push_back( width * double( i ) / ( n - 1 ) );
      y.push_back( height * double( j ) / ( n - 1 ) );
      z.push_back( 0 );
    }
  std::vector<int> ok( x.size() );
  GDALGenImgProjTransform( transformer, TRUE, static_cast<int>( x.size() ), x.data(), y.data(), z.data(), ok.data() );
  minX = minY = std::numeric_limits<double>::infinity();
  maxX = maxY = -std::numeric_limits<double>::infinity();
  for ( size_t k = 0; k < x.size(); ++k )
    if ( ok[k] && std::isfinite( x[k] ) && std::isfinite( y[k] ) )
    {
      minX = std::min( minX, x[k] );
      maxX = std::max( maxX, x[k] );
      minY = std::min( minY, y[k] );
      maxY = std::max( maxY, y[k] );
    }
  return maxX >= minX;
}

// gdalwarp's -ovr AUTO with the target grid given (GDAL 3.6 apps/gdalwarp_lib.cpp): the source
// columns that 10 x 10 destination points span, per destination column, is the target ratio;
// the last overview whose ratio stays below it, or one within 0.1 of it.
int autoOverview( GDALDatasetH src, void *transformer, int width, int height )
{
  GDALRasterBandH band = GDALGetRasterBand( src, 1 );
  const int count = band ? GDALGetOverviewCount( band ) : 0;
  double minX, maxX, minY, maxY;
  if ( count == 0 || !sourceSpan( transformer, width, height, 10, minX, maxX, minY, maxY ) || !( maxX > minX ) )
    return -1;
  const double target = ( maxX - minX ) / width;
  if ( !( target > 1.0 ) )
    return -1;
  const double full = GDALGetRasterXSize( src );
  int level = -1;
  for ( ; level < count - 1; ++level )
  {
    const double ratio = level < 0 ? 1.0 : full / GDALGetRasterBandXSize( GDALGetOverview( band, level ) );
    const double next = full / GDALGetRasterBandXSize( GDALGetOverview( band, level + 1 ) );
    if ( ( ratio < target && next > target ) || std::fabs( ratio - target ) < 1e-1 )
      break;
  }
  return level;
}

// The last band when GDAL calls it alpha (gdalwarp's source alpha), else 0.
int alphaBand( GDALDatasetH src )
{
  const int last = GDALGetRasterCount( src );
  return last > 1 && GDALGetRasterColorInterpretation( GDALGetRasterBand( src, last ) ) == GCI_AlphaBand ? last : 0;
}

int CPL_STDCALL progressCancel( double, const char *, void *cancel )
{
  return !( cancel && static_cast<const std::atomic<bool> *>( cancel )->load() );
}

// Warp options for \a bands of \a src into \a dst: nodata per band (NaN matches nothing), the
// alpha band, NaN as the destination's empty value, gdalwarp's chunking and memory limit.
GDALWarpOptions *warpOptions( GDALDatasetH src, GDALDatasetH dst, const QList<int> &bands, const ReprojectionRequest &request, void *transformer )
{
  GDALWarpOptions *wo = GDALCreateWarpOptions();
  wo->hSrcDS = src;
  wo->hDstDS = dst;
  wo->eResampleAlg = request.warpAlgorithm >= 0 ? static_cast<GDALResampleAlg>( request.warpAlgorithm )
                                                : static_cast<GDALResampleAlg>( rasterIoAlgorithm( request.method ) );
  wo->eWorkingDataType = GDT_Float64;
  wo->dfWarpMemoryLimit = request.memoryLimitBytes;
  wo->nBandCount = bands.size();
  wo->panSrcBands = static_cast<int *>( CPLMalloc( sizeof( int ) * bands.size() ) );
  wo->panDstBands = static_cast<int *>( CPLMalloc( sizeof( int ) * bands.size() ) );
  wo->padfDstNoDataReal = static_cast<double *>( CPLMalloc( sizeof( double ) * bands.size() ) );
  wo->padfSrcNoDataReal = static_cast<double *>( CPLMalloc( sizeof( double ) * bands.size() ) );
  bool hasSrcNodata = false;
  for ( int i = 0; i < bands.size(); ++i )
  {
    wo->panSrcBands[i] = bands[i];
    wo->panDstBands[i] = i + 1;
    wo->padfDstNoDataReal[i] = NaN;
    int has = 0;
    const double v = GDALGetRasterNoDataValue( GDALGetRasterBand( src, bands[i] ), &has );
    wo->padfSrcNoDataReal[i] = has ? v : NaN;
    hasSrcNodata = hasSrcNodata || has;
  }
  if ( hasSrcNodata )
    wo->papszWarpOptions = CSLSetNameValue( wo->papszWarpOptions, "UNIFIED_SRC_NODATA", "NO" );
  else
  {
    CPLFree( wo->padfSrcNoDataReal );
    wo->padfSrcNoDataReal = nullptr;
  }
  // The warper applies a per-dataset mask by itself, an alpha band only when named, as gdalwarp
  // names the last band when GDAL calls it alpha. Then, as gdalwarp, a destination alpha band
  // (the band after ours) takes the warped opacity: without it the warper blends partly
  // transparent pixels with the empty (NaN) destination, and they came out empty.
  // The destination then starts at 0 (a NaN opacity would blend into NaN) and its emptiness is
  // read from the opacity.
  const int alpha = alphaBand( src );
  if ( alpha )
  {
    wo->nSrcAlphaBand = alpha;
    wo->nDstAlphaBand = bands.size() + 1;
  }
  wo->papszWarpOptions = CSLSetNameValue( wo->papszWarpOptions, "INIT_DEST", alpha ? "0" : "NO_DATA" );
  wo->papszWarpOptions = CSLSetNameValue( wo->papszWarpOptions, "NUM_THREADS", "ALL_CPUS" );
  wo->pfnTransformer = GDALGenImgProjTransform;
  wo->pTransformerArg = transformer;
  wo->pfnProgress = progressCancel;
  wo->pProgressArg = const_cast<std::atomic<bool> *>( request.cancel );
  return wo;
}

Status checkBands( GDALDatasetH src, const ReprojectionRequest &request, QList<int> &bands )
{
  const int bandCount = GDALGetRasterCount( src );
  bands = request.bands;
  if ( bands.isEmpty() )
    for ( int b = 1; b <= bandCount; ++b )
      bands << b;
  for ( int b : bands )
    if ( b < 1 || b > bandCount )
      return Status::error( QStringLiteral( "band %1 does not exist: the raster has bands 1..%2" ).arg( b ).arg( bandCount ) );
  return Status::ok();
}

// Warps \a bands of \a src onto the grid (gt, width x height) straight into out.values, through a
// MEM view of it: gdalwarp's own chunking (GDALChunkAndWarpImage) within the memory limit.
Status warp( GDALDatasetH src, void *transformer, const QList<int> &bands, const double gt[6], int width, int height,
             const ReprojectionRequest &request, RasterArray &out, std::vector<uint8_t> *alpha )
{
  const size_t pixels = static_cast<size_t>( width ) * height;
  const int viewBands = bands.size() + ( alphaBand( src ) ? 1 : 0 );
  try
  {
    out.values.assign( pixels * viewBands, NaN );
    if ( alpha )
      alpha->assign( pixels, 255 );
  }
  catch ( const std::bad_alloc & )
  {
    return Status::error( QStringLiteral( "out of memory for a %1 x %2 x %3 reprojection" ).arg( width ).arg( height ).arg( bands.size() ) );
  }
  ArrayRaster view;
  view.data = out.values.data();
  view.width = width;
  view.height = height;
  view.bands = viewBands;
  std::copy( gt, gt + 6, view.geoTransform );
  QString uri;
  if ( Status st = arrayDatasetUri( view, uri ); !st )
    return st;
  Dataset dst( GDALOpen( uri.toUtf8().constData(), GA_Update ) );
  if ( !dst )
    return Status::error( QStringLiteral( "cannot set up the destination grid: %1" ).arg( lastGdalError() ) );
  GDALSetProjection( static_cast<GDALDatasetH>( dst.get() ), request.dstCrsWkt.toUtf8().constData() );
  GDALSetGenImgProjTransformerDstGeoTransform( transformer, const_cast<double *>( gt ) );
  GDALWarpOptions *wo = warpOptions( src, static_cast<GDALDatasetH>( dst.get() ), bands, request, transformer );
  GDALWarpOperationH operation = GDALCreateWarpOperation( wo );
  CPLErrorReset();
  const CPLErr err = operation ? GDALChunkAndWarpImage( operation, 0, 0, width, height ) : CE_Failure;
  if ( operation )
    GDALDestroyWarpOperation( operation );
  wo->pTransformerArg = nullptr; // ours
  GDALDestroyWarpOptions( wo );
  if ( request.cancel && request.cancel->load() )
    return Status::error( QStringLiteral( "cancelled" ) );
  if ( err != CE_None )
    return Status::error( QStringLiteral( "reprojecting failed: %1" ).arg( lastGdalError() ) );
  dst.reset();
  if ( viewBands > bands.size() )
  {
    // Transparent where the warped opacity is 0, as gdalwarp's output alpha; then drop it.
    const double *opacity = out.values.data() + bands.size() * pixels;
    for ( size_t p = 0; p < pixels; ++p )
      if ( !( opacity[p] > 0 ) )
        for ( int i = 0; i < bands.size(); ++i )
          out.values[i * pixels + p] = NaN;
    out.values.resize( pixels * bands.size() );
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

// What both entry points start with: the bands, an exact transformer and the destination grid.
Status prepare( GDALDatasetH src, const ReprojectionRequest &request, QList<int> &bands, Transformer &transformer, double gt[6], int &width,
                int &height )
{
  if ( request.dstCrsWkt.isEmpty() )
    return Status::error( QStringLiteral( "no destination CRS given" ) );
  if ( Status st = checkBands( src, request, bands ); !st )
    return st;
  transformer = makeTransformer( src, request );
  if ( !transformer )
    return Status::error( QStringLiteral( "no transformation from the raster's CRS to the destination CRS: %1" ).arg( lastGdalError() ) );
  if ( Status st = destinationGrid( src, transformer.get(), request, gt, width, height ); !st )
    return st;
  GDALSetGenImgProjTransformerDstGeoTransform( transformer.get(), gt );
  return Status::ok();
}

} // namespace

QSize sizeKeepingAspect( const QSize &size, double extentW, double extentH )
{
  int w = size.width(), h = size.height();
  if ( w <= 0 && h > 0 && extentH > 0 )
    w = static_cast<int>( extentW / extentH * h + 0.5 );
  else if ( h <= 0 && w > 0 && extentW > 0 )
    h = static_cast<int>( extentH / extentW * w + 0.5 );
  return QSize( std::max( 1, w ), std::max( 1, h ) );
}

Status reprojectWindow( const QString &gdalSource, const ReprojectionRequest &request, RasterArray &out, std::vector<uint8_t> *alpha,
                        ReprojectionReport *report )
{
  if ( GDALGetDriverCount() == 0 )
    GDALAllRegister();
  if ( request.dstCrsWkt.isEmpty() )
    return Status::error( QStringLiteral( "no destination CRS given" ) );
  CPLErrorReset();
  Dataset src( GDALOpenEx( gdalSource.toUtf8().constData(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr ) );
  if ( !src )
    return Status::error( QStringLiteral( "cannot open raster '%1': %2" ).arg( gdalSource, lastGdalError() ) );
  GDALDatasetH srcDs = static_cast<GDALDatasetH>( src.get() );
  QList<int> bands;
  Transformer transformer;
  double gt[6];
  int width = 0, height = 0;
  if ( Status st = prepare( srcDs, request, bands, transformer, gt, width, height ); !st )
    return st;

  // The source window under the destination grid; none: the extent misses the raster.
  double minX, maxX, minY, maxY;
  const double rw = GDALGetRasterXSize( srcDs ), rh = GDALGetRasterYSize( srcDs );
  if ( !sourceSpan( transformer.get(), width, height, 21, minX, maxX, minY, maxY ) || maxX <= 0 || minX >= rw || maxY <= 0 || minY >= rh )
    return Status::error( QStringLiteral( "EXTENT does not overlap the raster '%1' in the destination CRS" ).arg( gdalSource ) );
  ReprojectionReport done;
  const double x0 = std::max( 0.0, std::floor( minX ) ), y0 = std::max( 0.0, std::floor( minY ) );
  done.window = PixelWindow { x0, y0, std::min( rw, std::ceil( maxX ) ) - x0, std::min( rh, std::ceil( maxY ) ) - y0 };

  const int overviews = GDALGetOverviewCount( GDALGetRasterBand( srcDs, 1 ) );
  done.level = request.overview == ReprojectionRequest::AUTO_OVERVIEW ? autoOverview( srcDs, transformer.get(), width, height ) : request.overview;
  if ( done.level >= overviews || done.level < -1 )
    return Status::error( QStringLiteral( "overview %1 does not exist: the raster has %2" ).arg( done.level + 1 ).arg( overviews ) );
  if ( done.level >= 0 )
  {
    // As gdalwarp: the overview as a dataset of its own (a forced one alone), a transformer for it.
    const QByteArray option = "OVERVIEW_LEVEL=" + QByteArray::number( done.level ) + ( request.overview >= 0 ? " only" : "" );
    const char *options[] = { option.constData(), nullptr };
    src.reset( GDALOpenEx( gdalSource.toUtf8().constData(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, options, nullptr ) );
    if ( !src )
      return Status::error( QStringLiteral( "cannot open overview %1 of '%2': %3" ).arg( done.level + 1 ).arg( gdalSource, lastGdalError() ) );
    srcDs = static_cast<GDALDatasetH>( src.get() );
    transformer = makeTransformer( srcDs, request );
    if ( !transformer )
      return Status::error( QStringLiteral( "no transformation from the overview to the destination CRS: %1" ).arg( lastGdalError() ) );
  }
  if ( Status st = warp( srcDs, transformer.get(), bands, gt, width, height, request, out, alpha ); !st )
    return st;
  if ( report )
    *report = done;
  return Status::ok();
}

Status reprojectDataset( void *dataset, const ReprojectionRequest &request, RasterArray &out, std::vector<uint8_t> *alpha )
{
  if ( !dataset )
    return Status::error( QStringLiteral( "no raster to reproject" ) );
  GDALDatasetH srcDs = static_cast<GDALDatasetH>( dataset );
  QList<int> bands;
  Transformer transformer;
  double gt[6];
  int width = 0, height = 0;
  if ( Status st = prepare( srcDs, request, bands, transformer, gt, width, height ); !st )
    return st;
  return warp( srcDs, transformer.get(), bands, gt, width, height, request, out, alpha );
}

} // namespace gridshade
