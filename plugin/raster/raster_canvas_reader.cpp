// SPDX-License-Identifier: GPL-2.0-or-later
#include "raster_canvas_reader.h"

#include "array_ingestion.h"
#include "raster_reprojector.h"

#include <gdal.h>
#include <gdalwarper.h>

#include <QElapsedTimer>

#include <cmath>
#include <limits>
#include <memory>

namespace gridshade
{

namespace
{

bool stopped( const std::atomic<bool> *cancel )
{
  return cancel && cancel->load();
}

// GDAL's read method for a decimated read: the one that keeps what the kernel will compute.
Resampling readMethod( RasterDownsample down )
{
  switch ( down )
  {
    case RasterDownsample::Mean:
      return Resampling::Average;
    case RasterDownsample::Mode:
      return Resampling::Mode;
    default:
      return Resampling::Nearest; // first/min/max: values that exist (the overview's, if any)
  }
}

// The warper's equivalent of a Canvas.raster method.
int warpAlgorithm( const CanvasRasterOptions &options, bool upsampling )
{
  if ( upsampling )
    return options.up == RasterUpsample::Linear ? GRA_Bilinear : GRA_NearestNeighbour;
  switch ( options.down )
  {
    case RasterDownsample::Mean:
      return GRA_Average;
    case RasterDownsample::Min:
      return GRA_Min;
    case RasterDownsample::Max:
      return GRA_Max;
    case RasterDownsample::Mode:
      return GRA_Mode;
    case RasterDownsample::First:
      return GRA_NearestNeighbour;
  }
  return GRA_Average;
}

// The read window: the canvas's window widened by one read pixel (for interpolation at the
// canvas edge), snapped outwards to multiples of the decimation, clipped to the raster.
bool readWindow( const PixelWindow &w, int d, int rasterW, int rasterH, PixelWindow &out, QSize &size )
{
  const double x0 = std::max( 0.0, std::floor( w.x / d ) * d - d ), y0 = std::max( 0.0, std::floor( w.y / d ) * d - d );
  const double x1 = std::min( double( rasterW ), std::ceil( ( w.x + w.width ) / d ) * d + d );
  const double y1 = std::min( double( rasterH ), std::ceil( ( w.y + w.height ) / d ) * d + d );
  if ( !( x1 > x0 && y1 > y0 ) )
    return false;
  out = PixelWindow { x0, y0, x1 - x0, y1 - y0 };
  size = QSize( static_cast<int>( std::ceil( out.width / d ) ), static_cast<int>( std::ceil( out.height / d ) ) );
  return true;
}

Status warpOntoCanvas( const RasterWindowReader &reader, RasterArray &read, const std::vector<uint8_t> &mask, const CanvasGrid &canvas,
                       const CanvasRasterOptions &options, bool upsampling, CanvasRaster &out )
{
  // Masked cells become NaN, the MEM band's nodata, so the warper leaves them out.
  const double NaN = std::numeric_limits<double>::quiet_NaN();
  for ( size_t i = 0; i < mask.size(); ++i )
    if ( mask[i] == 0 )
      read.values[i] = NaN;
  ArrayRaster view;
  view.data = read.values.data();
  view.type = GDT_Float64;
  view.width = read.width;
  view.height = read.height;
  std::copy( read.transform.c, read.transform.c + 6, view.geoTransform );
  QString uri;
  if ( Status st = arrayDatasetUri( view, uri ); !st )
    return st;
  std::unique_ptr<void, void ( * )( void * )> mem( GDALOpen( uri.toUtf8().constData(), GA_ReadOnly ), []( void *ds ) {
    if ( ds )
      GDALClose( static_cast<GDALDatasetH>( ds ) );
  } );
  if ( !mem )
    return Status::error( QStringLiteral( "cannot wrap the raster read for warping: %1" ).arg( lastGdalError() ) );
  GDALDatasetH ds = static_cast<GDALDatasetH>( mem.get() );
  GDALSetProjection( ds, reader.crsWkt().toUtf8().constData() );
  GDALSetRasterNoDataValue( GDALGetRasterBand( ds, 1 ), NaN );
  ReprojectionRequest request;
  request.dstCrsWkt = canvas.crsWkt;
  request.hasExtent = true;
  request.extent = canvas.extent;
  request.size = canvas.size;
  request.warpAlgorithm = warpAlgorithm( options, upsampling );
  request.bands = { 1 };
  request.coordinateOperation = canvas.coordinateOperation;
  RasterArray warped;
  if ( Status st = reprojectDataset( mem.get(), request, warped, &out.alpha ); !st )
    return st;
  out.values = std::move( warped.values );
  return Status::ok();
}

} // namespace

int canvasDecimation( const PixelWindow &window, const QSize &outSize )
{
  if ( outSize.isEmpty() )
    return 1;
  // Map extents carry rounding: 8 cells per pixel may come out as 7.9999999.
  const double ratio = std::min( window.width / outSize.width(), window.height / outSize.height() ) * ( 1 + 1e-9 );
  int d = 1;
  while ( d < ( 1 << 20 ) && 2.0 * d <= ratio )
    d *= 2;
  return d;
}

Status readRasterOnCanvas( const RasterWindowReader &reader, const CanvasGrid &canvas, const CanvasRasterOptions &options, CanvasRaster &out,
                           const std::atomic<bool> *cancel )
{
  if ( !reader.status() )
    return reader.status();
  if ( canvas.size.isEmpty() || canvas.extent.isEmpty() )
    return Status::error( QStringLiteral( "an empty canvas (%1 x %2 pixels) has nothing to draw on" ).arg( canvas.size.width() ).arg( canvas.size.height() ) );
  if ( options.band < 1 || options.band > reader.bandCount() )
    return Status::error( QStringLiteral( "band %1 does not exist: the raster has bands 1..%2" ).arg( options.band ).arg( reader.bandCount() ) );
  const size_t pixels = static_cast<size_t>( canvas.size.width() ) * canvas.size.height();
  out = CanvasRaster();
  out.values.assign( pixels, std::numeric_limits<double>::quiet_NaN() );
  out.alpha.assign( pixels, 0 );

  PixelWindow window;
  if ( !reader.windowForExtent( canvas.sameCrs ? canvas.extent : canvas.sourceExtent, window ) )
    return Status::error( QStringLiteral( "the raster's geotransform is rotated or sheared: warp it to a north-up grid first (gdalwarp)" ) );
  int d = canvasDecimation( window, canvas.size );
  PixelWindow io;
  QSize size;
  if ( !readWindow( window, d, reader.width(), reader.height(), io, size ) )
    return Status::ok(); // the raster lies outside the canvas
  // A window much longer than the canvas on one axis (a reprojected bounding box): coarser.
  while ( static_cast<double>( size.width() ) * size.height() > 16.0 * pixels && d < ( 1 << 20 ) )
  {
    d *= 2;
    readWindow( window, d, reader.width(), reader.height(), io, size );
  }
  out.decimation = d;
  out.readSize = size;

  QElapsedTimer timer;
  timer.start();
  RasterArray read;
  const Resampling method = d == 1 ? Resampling::Nearest : readMethod( options.down );
  if ( Status st = reader.read( { options.band }, io, size, method, read ); !st )
    return st;
  std::vector<uint8_t> mask;
  if ( reader.maskFlags( options.band ) != GMF_ALL_VALID )
    if ( Status st = reader.readMask( { options.band }, io, size, method, mask ); !st )
      return st;
  out.readMs = timer.nsecsElapsed() / 1e6;
  if ( stopped( cancel ) )
    return Status::ok();

  timer.restart();
  if ( canvas.sameCrs )
  {
    const double *g = read.transform.c;
    const double rx = canvas.extent.width() / canvas.size.width(), ry = canvas.extent.height() / canvas.size.height();
    const RegridAxis x { ( canvas.extent.xMinimum() - g[0] ) / g[1], rx / g[1] };
    const RegridAxis y { ( g[3] - canvas.extent.yMaximum() ) / -g[5], ry / -g[5] };
    const RegridSource source { read.values.data(), mask.empty() ? nullptr : mask.data(), read.width, read.height };
    if ( Status st = regridRaster( source, x, y, canvas.size.width(), canvas.size.height(), options.down, options.up, out.values.data(),
                                   out.alpha.data(), cancel );
         !st )
      return st;
  }
  else
  {
    const bool upsampling = std::min( window.width / canvas.size.width(), window.height / canvas.size.height() ) < 1.0;
    if ( Status st = warpOntoCanvas( reader, read, mask, canvas, options, upsampling, out ); !st )
      return st;
  }
  out.regridMs = timer.nsecsElapsed() / 1e6;
  return Status::ok();
}

} // namespace gridshade
