// SPDX-License-Identifier: GPL-2.0-or-later
#include "render_density_image_algorithm.h"

#include "cancel_watch.h"
#include "density_pipeline.h"
#include "density_settings.h"
#include "raster_writer.h"

#include "processing_guard.h"
#include "named_enum_parameter.h"
#include "qgis_compat.h"

#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingparameters.h>


namespace gridshade
{

namespace
{
const QStringList HOWS { QStringLiteral( "linear" ), QStringLiteral( "log" ), QStringLiteral( "cbrt" ), QStringLiteral( "eq_hist" ) };
}

QString RenderDensityImageAlgorithm::name() const
{
  return QStringLiteral( "renderdensityimage" );
}

QString RenderDensityImageAlgorithm::displayName() const
{
  return QStringLiteral( "Render density image" );
}

QString RenderDensityImageAlgorithm::shortHelpString() const
{
  return QStringLiteral( "Aggregates the points on a WIDTH x HEIGHT pixel grid over EXTENT (default: the points' extent) "
                         "and shades the result as Datashader does (HOW, CMAP, SPREAD). Writes a .png with a world file "
                         "(.pgw) and its CRS in .aux.xml, or a 4-band RGBA GeoTIFF (.tif). Empty pixels are transparent." );
}

RenderDensityImageAlgorithm *RenderDensityImageAlgorithm::createInstance() const
{
  return new RenderDensityImageAlgorithm();
}

void RenderDensityImageAlgorithm::initAlgorithm( const QVariantMap & )
{
  addGridParameters();
  addParameter( new NamedEnumParameter( QStringLiteral( "HOW" ), QStringLiteral( "Shading transform" ), HOWS, QStringLiteral( "eq_hist" ) ) );
  addParameter( new QgsProcessingParameterString( QStringLiteral( "CMAP" ), QStringLiteral( "Colormap (fire, viridis, inferno, magma, gray, a colour list or one colour)" ),
                                                  QStringLiteral( "fire" ) ) );
  addParameter( new QgsProcessingParameterNumber( QStringLiteral( "SPREAD" ), QStringLiteral( "Spread (pixels)" ),
                                                  qgiscompat::NUMBER_INTEGER, 0, false, 0, 64 ) );
  addParameter( new QgsProcessingParameterRasterDestination( QStringLiteral( "OUTPUT" ), QStringLiteral( "Density image (.png or .tif)" ) ) );
  addBackendParameter();
  addStatsOutputs();
}

bool RenderDensityImageAlgorithm::prepareAlgorithm( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback )
{
  // Reject a bad file name before any point is read.
  bool isPng = false;
  const QString output = parameterAsOutputLayer( parameters, QStringLiteral( "OUTPUT" ), context );
  if ( Status st = RasterWriter::checkImageExtension( output, isPng ); !st )
    throw QgsProcessingException( QStringLiteral( "OUTPUT: %1" ).arg( st.message() ) );
  return PointGridAlgorithm::prepareAlgorithm( parameters, context, feedback );
}

QVariantMap RenderDensityImageAlgorithm::processAlgorithm( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback )
{
  return runGuarded( QStringLiteral( "Gridshade" ), [&]() -> QVariantMap {
    // The layer's own settings type validates the shading options, so that the algorithm and
    // the layer accept exactly the same values and name them the same way.
    DensitySettings settings;
    settings.reduction = reduction();
    settings.valueField = QStringLiteral( "v" ); // presence only: the builder already checked the real field
    settings.categoryField = QStringLiteral( "c" );
    const QString how = NamedEnumParameter::choice( parameterDefinition( QStringLiteral( "HOW" ) ), parameters, context );
    if ( !parseHow( how, settings.how ) )
      throw QgsProcessingException( QStringLiteral( "HOW '%1' is not one of %2" ).arg( how, HOWS.join( QStringLiteral( ", " ) ) ) );
    settings.colormap = parameterAsString( parameters, QStringLiteral( "CMAP" ), context ).trimmed();
    if ( settings.colormap.isEmpty() )
      settings.colormap = QStringLiteral( "fire" );
    settings.spreadPx = parameterAsInt( parameters, QStringLiteral( "SPREAD" ), context );
    AggregateSettings aggregation;
    ShadeSettings shading;
    if ( Status st = settings.toEngine( aggregation, shading ); !st )
      throw QgsProcessingException( QStringLiteral( "CMAP/HOW/SPREAD: %1" ).arg( st.message() ) );
    aggregation.backend = backend();

    QgsProcessingMultiStepFeedback steps( 3, feedback );
    steps.setCurrentStep( 0 );
    steps.pushInfo( QStringLiteral( "Reading points" ) );
    loadPoints( &steps );
    feedback->pushInfo( QStringLiteral( "%1 points read in %2 s" ).arg( cache()->points.size() ).arg( cache()->buildSeconds, 0, 'f', 2 ) );

    steps.setCurrentStep( 1 );
    RenderResult result;
    {
      CancelWatch cancel( feedback );
      const Status st = DensityPipeline::render( cache()->points, viewport(), aggregation, shading, result, cancel.flag() );
      if ( cancel.isCanceled() )
        throw QgsProcessingException( QStringLiteral( "cancelled" ) );
      if ( !st )
        throw QgsProcessingException( QStringLiteral( "rendering failed: %1" ).arg( st.message() ) );
    }
    feedback->pushInfo( QStringLiteral( "aggregate %1 ms on %2, shade %3 ms; %4 of %5 points in the extent" )
                          .arg( result.timings.aggregateMs, 0, 'f', 1 ).arg( result.aggregate.stats().device ).arg( result.timings.shadeMs, 0, 'f', 1 )
                          .arg( result.aggregate.stats().inView ).arg( result.aggregate.stats().total ) );

    steps.setCurrentStep( 2 );
    const QString output = parameterAsOutputLayer( parameters, QStringLiteral( "OUTPUT" ), context );
    const Viewport &vp = viewport();
    if ( Status st = RasterWriter( output, vp.extent(), vp.width(), vp.height(), crsWkt() ).writeImage( result.image ); !st )
      throw QgsProcessingException( st.message() );
    steps.setProgress( 100 );

    QVariantMap outputs = statsOutputs( result.aggregate.stats() );
    outputs.insert( QStringLiteral( "OUTPUT" ), output );
    return outputs;
  } );
}

} // namespace gridshade
