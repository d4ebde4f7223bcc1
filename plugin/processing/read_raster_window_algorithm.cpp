// SPDX-License-Identifier: GPL-2.0-or-later
#include "read_raster_window_algorithm.h"

#include "raster/raster_array_writer.h"
#include "raster/raster_reprojector.h"

#include "cancel_watch.h"
#include "raster_parameters.h"

#include "processing_guard.h"
#include "named_enum_parameter.h"
#include "qgis_compat.h"

#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingoutputs.h>
#include <qgsprocessingparameters.h>
#include <qgscoordinatetransformcontext.h>
#include <qgsrasterdataprovider.h>
#include <qgsrasterlayer.h>

#include <cmath>
#include <limits>

namespace gridshade
{

namespace
{
const QStringList RESAMPLINGS { QStringLiteral( "nearest" ), QStringLiteral( "bilinear" ), QStringLiteral( "cubic" ),
                                QStringLiteral( "average" ), QStringLiteral( "mode" ) };
}

QString ReadRasterWindowAlgorithm::name() const
{
  return QStringLiteral( "readrasterwindow" );
}

QString ReadRasterWindowAlgorithm::displayName() const
{
  return QStringLiteral( "Read raster window" );
}

QString ReadRasterWindowAlgorithm::shortHelpString() const
{
  return QStringLiteral( "Reads a window of a GDAL raster layer through GDAL's RasterIO: the part inside EXTENT (default: the "
                         "whole raster) at WIDTH x HEIGHT pixels (0: the window's own resolution) with the RESAMPLING method. "
                         "When one of WIDTH and HEIGHT is 0 it follows from the other, keeping the extent's aspect. "
                         "GDAL picks an overview when the output is coarser than the window (OVERVIEW -1), or OVERVIEW "
                         "forces one: 0 the full resolution, n the n-th overview. With APPLY_MASK (the default), "
                         "pixels that GDAL's masks of the bands read call invalid (nodata values, NaN, internal masks, alpha "
                         "bands) become NaN. With TARGET_CRS the window is reprojected as gdalwarp does it (the overview that "
                         "fits unless OVERVIEW forces one, exact transformation, the project's datum transformation, masks "
                         "and alpha bands applied; APPLY_MASK must stay on): EXTENT is then the destination window (default: "
                         "the raster's footprint), WIDTH x HEIGHT its size (both 0: about the source resolution). BANDS takes "
                         "3,1 or 3;1 or one BANDS= per band. OVERVIEW_LEVEL and WINDOW report the level and the source "
                         "window read. Writes a Float64 GeoTIFF whose geotransform is that of the returned grid, NaN as "
                         "nodata." );
}

ReadRasterWindowAlgorithm *ReadRasterWindowAlgorithm::createInstance() const
{
  return new ReadRasterWindowAlgorithm();
}

void ReadRasterWindowAlgorithm::initAlgorithm( const QVariantMap & )
{
  addParameter( new QgsProcessingParameterRasterLayer( QStringLiteral( "INPUT" ), QStringLiteral( "Raster layer (GDAL)" ) ) );
  addParameter( new QgsProcessingParameterBand( QStringLiteral( "BANDS" ), QStringLiteral( "Bands (default: all)" ), QVariant(),
                                                QStringLiteral( "INPUT" ), true, true ) );
  addParameter( new QgsProcessingParameterExtent( QStringLiteral( "EXTENT" ), QStringLiteral( "Extent (default: the whole raster)" ), QVariant(), true ) );
  addParameter( new QgsProcessingParameterCrs( QStringLiteral( "TARGET_CRS" ), QStringLiteral( "Reproject to (default: the raster's CRS)" ),
                                               QVariant(), true ) );
  addParameter( new QgsProcessingParameterNumber( QStringLiteral( "WIDTH" ), QStringLiteral( "Width in pixels (0: the window's resolution)" ),
                                                  qgiscompat::NUMBER_INTEGER, 0, false, 0, 65536 ) );
  addParameter( new QgsProcessingParameterNumber( QStringLiteral( "HEIGHT" ), QStringLiteral( "Height in pixels (0: the window's resolution)" ),
                                                  qgiscompat::NUMBER_INTEGER, 0, false, 0, 65536 ) );
  addParameter( new NamedEnumParameter( QStringLiteral( "RESAMPLING" ), QStringLiteral( "Resampling" ), RESAMPLINGS, QStringLiteral( "nearest" ) ) );
  addParameter( new QgsProcessingParameterNumber( QStringLiteral( "OVERVIEW" ),
                                                  QStringLiteral( "Overview: -1 as GDAL chooses, 0 full resolution, n the n-th overview" ),
                                                  qgiscompat::NUMBER_INTEGER, -1, false, -1, 64 ) );
  addParameter( new QgsProcessingParameterBoolean( QStringLiteral( "APPLY_MASK" ), QStringLiteral( "Masked pixels become NaN" ), true ) );
  addParameter( new QgsProcessingParameterRasterDestination( QStringLiteral( "OUTPUT" ), QStringLiteral( "Window (.tif)" ) ) );
  addOutput( new QgsProcessingOutputNumber( QStringLiteral( "OVERVIEW_LEVEL" ), QStringLiteral( "Level read: 0 full resolution, n the n-th overview" ) ) );
  addOutput( new QgsProcessingOutputString( QStringLiteral( "WINDOW" ), QStringLiteral( "Pixel window read: column, row, width, height" ) ) );
}

bool ReadRasterWindowAlgorithm::prepareAlgorithm( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback * )
{
  QgsRasterLayer *layer = parameterAsRasterLayer( parameters, QStringLiteral( "INPUT" ), context );
  if ( !layer || !layer->dataProvider() )
    throw QgsProcessingException( QStringLiteral( "INPUT is not a raster layer" ) );
  if ( layer->providerType() != QLatin1String( "gdal" ) )
    throw QgsProcessingException( QStringLiteral( "INPUT '%1' is read by the '%2' provider: windowed reads need a GDAL raster" ).arg( layer->name(), layer->providerType() ) );
  mSource = layer->dataProvider()->dataSourceUri();
  const QgsCoordinateReferenceSystem target = parameterAsCrs( parameters, QStringLiteral( "TARGET_CRS" ), context );
  const QString targetText = parameterAsString( parameters, QStringLiteral( "TARGET_CRS" ), context ).trimmed();
  if ( !target.isValid() && !targetText.isEmpty() )
    throw QgsProcessingException( QStringLiteral( "TARGET_CRS '%1' is not a coordinate reference system QGIS knows (e.g. EPSG:3857, or WKT)" ).arg( targetText ) );
  mTargetCrsWkt.clear();
  mCoordinateOperation.clear();
  if ( target.isValid() && target != layer->crs() )
  {
    mTargetCrsWkt = target.toWkt( qgiscompat::WKT_PREFERRED_GDAL );
    // The datum transformation the project chose for this pair, as QGIS's own renders use it.
    mCoordinateOperation = context.transformContext().calculateCoordinateOperation( layer->crs(), target );
  }
  if ( Status st = parseBandList( QStringLiteral( "BANDS" ), parameters.value( QStringLiteral( "BANDS" ) ), mBands ); !st )
    throw QgsProcessingException( st.message() );
  mHasExtent = parameters.value( QStringLiteral( "EXTENT" ) ).isValid() && !parameterAsString( parameters, QStringLiteral( "EXTENT" ), context ).isEmpty();
  if ( mHasExtent )
  {
    mExtent = target.isValid() && target != layer->crs()
                ? parameterAsExtent( parameters, QStringLiteral( "EXTENT" ), context, target )
                : parameterAsExtent( parameters, QStringLiteral( "EXTENT" ), context, layer->crs() ).intersect( layer->extent() );
    if ( mExtent.isEmpty() )
      throw QgsProcessingException( QStringLiteral( "EXTENT does not overlap the raster '%1'" ).arg( layer->name() ) );
  }
  mOverview = parameterAsInt( parameters, QStringLiteral( "OVERVIEW" ), context );
  mApplyMask = parameterAsBoolean( parameters, QStringLiteral( "APPLY_MASK" ), context );
  if ( !mApplyMask && !mTargetCrsWkt.isEmpty() )
    throw QgsProcessingException( QStringLiteral( "APPLY_MASK=false cannot be combined with TARGET_CRS: the warper always leaves nodata, "
                                                  "masked and transparent pixels empty (NaN); read without TARGET_CRS to keep them" ) );
  mWidth = parameterAsInt( parameters, QStringLiteral( "WIDTH" ), context );
  mHeight = parameterAsInt( parameters, QStringLiteral( "HEIGHT" ), context );
  const QString method = NamedEnumParameter::choice( parameterDefinition( QStringLiteral( "RESAMPLING" ) ), parameters, context );
  if ( !parseResampling( method.isEmpty() ? QStringLiteral( "nearest" ) : method, mResampling ) )
    throw QgsProcessingException( QStringLiteral( "RESAMPLING '%1' is not one of %2" ).arg( method, RESAMPLINGS.join( QStringLiteral( ", " ) ) ) );
  return true;
}

QVariantMap ReadRasterWindowAlgorithm::processAlgorithm( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback )
{
  return runGuarded( QStringLiteral( "reading the raster window" ), [&]() -> QVariantMap {
    if ( !mTargetCrsWkt.isEmpty() )
      return reproject( parameters, context, feedback );
    const RasterWindowReader reader( mSource );
    if ( !reader.status() )
      throw QgsProcessingException( reader.status().message() );
    PixelWindow window { 0, 0, double( reader.width() ), double( reader.height() ) };
    if ( mHasExtent && !reader.windowForExtent( mExtent, window ) )
      throw QgsProcessingException( QStringLiteral( "the raster's geotransform is rotated: EXTENT cannot be mapped to a pixel window" ) );
    const double *g = reader.transform().c;
    const QSize size = mWidth <= 0 && mHeight <= 0
                         ? QSize( std::max( 1, static_cast<int>( std::lround( window.width ) ) ), std::max( 1, static_cast<int>( std::lround( window.height ) ) ) )
                         : sizeKeepingAspect( QSize( mWidth, mHeight ), window.width * std::fabs( g[1] ), window.height * std::fabs( g[5] ) );
    if ( Status st = checkOutputSize( size.width(), size.height(), mBands.isEmpty() ? reader.bandCount() : mBands.size() ); !st )
      throw QgsProcessingException( st.message() );
    RasterArray array;
    // -1: GDAL's own choice, which levelRead() reproduces from the window GDAL is given.
    const int level = mOverview < 0 ? reader.levelRead( window, size ) : mOverview - 1;
    const Status readStatus = mOverview < 0 ? reader.read( mBands, window, size, mResampling, array )
                                            : reader.readLevel( level, mBands, window, size, mResampling, array );
    if ( !readStatus )
      throw QgsProcessingException( readStatus.message() );
    feedback->pushInfo( level < 0 ? QStringLiteral( "read at full resolution" )
                                  : QStringLiteral( "read from overview %1 (%2 x %3)" ).arg( level + 1 ).arg( reader.overviewSize( level ).width() ).arg( reader.overviewSize( level ).height() ) );
    if ( mApplyMask )
    {
      std::vector<uint8_t> alpha;
      // The mask of the very level and window the data came from.
      const Status st = mOverview < 0 ? reader.readMask( array.bands, window, size, mResampling, alpha )
                                      : reader.readMaskLevel( level, array.bands, window, size, mResampling, alpha );
      if ( !st )
        throw QgsProcessingException( st.message() );
      const size_t pixels = alpha.size();
      for ( int b = 0; b < array.bands.size(); ++b )
        for ( size_t p = 0; p < pixels; ++p )
          if ( alpha[p] == 0 )
            array.values[b * pixels + p] = std::numeric_limits<double>::quiet_NaN();
    }
    return writeOutputs( parameters, context, feedback, array, level + 1,
                         QStringLiteral( "%1,%2,%3,%4" ).arg( window.x, 0, 'g', 17 ).arg( window.y, 0, 'g', 17 ).arg( window.width, 0, 'g', 17 ).arg( window.height, 0, 'g', 17 ) );
  } );
}

QVariantMap ReadRasterWindowAlgorithm::reproject( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback )
{
  CancelWatch cancel( feedback );
  ReprojectionRequest request;
  request.dstCrsWkt = mTargetCrsWkt;
  request.coordinateOperation = mCoordinateOperation;
  request.hasExtent = mHasExtent;
  request.extent = mExtent;
  request.size = QSize( std::max( 0, mWidth ), std::max( 0, mHeight ) );
  request.method = mResampling;
  request.bands = mBands;
  request.overview = mOverview < 0 ? ReprojectionRequest::AUTO_OVERVIEW : mOverview - 1;
  request.cancel = cancel.flag();
  if ( mWidth > 0 && mHeight > 0 )
    if ( Status st = checkOutputSize( mWidth, mHeight, std::max( 1, int( mBands.size() ) ) ); !st )
      throw QgsProcessingException( st.message() );
  RasterArray array;
  std::vector<uint8_t> alpha;
  ReprojectionReport report;
  if ( Status st = reprojectWindow( mSource, request, array, &alpha, &report ); !st )
    throw QgsProcessingException( cancel.isCanceled() ? QStringLiteral( "cancelled" ) : st.message() );
  const PixelWindow &w = report.window;
  feedback->pushInfo( QStringLiteral( "reprojected %1 x %2 pixels from %3, source window %4,%5 %6 x %7" )
                        .arg( array.width ).arg( array.height )
                        .arg( report.level < 0 ? QStringLiteral( "the full resolution" ) : QStringLiteral( "overview %1" ).arg( report.level + 1 ) )
                        .arg( w.x ).arg( w.y ).arg( w.width ).arg( w.height ) );
  return writeOutputs( parameters, context, feedback, array, report.level + 1,
                       QStringLiteral( "%1,%2,%3,%4" ).arg( w.x, 0, 'g', 17 ).arg( w.y, 0, 'g', 17 ).arg( w.width, 0, 'g', 17 ).arg( w.height, 0, 'g', 17 ) );
}

QVariantMap ReadRasterWindowAlgorithm::writeOutputs( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback,
                                                     const RasterArray &array, int level, const QString &window )
{
  feedback->setProgress( 70 );
  const QString output = parameterAsOutputLayer( parameters, QStringLiteral( "OUTPUT" ), context );
  if ( Status st = writeRasterArray( output, array ); !st )
    throw QgsProcessingException( st.message() );
  feedback->setProgress( 100 );
  QVariantMap outputs;
  outputs.insert( QStringLiteral( "OUTPUT" ), output );
  outputs.insert( QStringLiteral( "OVERVIEW_LEVEL" ), level );
  outputs.insert( QStringLiteral( "WINDOW" ), window );
  return outputs;
}

} // namespace gridshade
