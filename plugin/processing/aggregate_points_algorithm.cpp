// SPDX-License-Identifier: GPL-2.0-or-later
#include "aggregate_points_algorithm.h"

#include "raster_writer.h"

#include "processing_guard.h"

#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingparameters.h>

#include <QFileInfo>


namespace gridshade
{

QString AggregatePointsAlgorithm::name() const
{
  return QStringLiteral( "aggregatepoints" );
}

QString AggregatePointsAlgorithm::displayName() const
{
  return QStringLiteral( "Aggregate points to raster" );
}

QString AggregatePointsAlgorithm::shortHelpString() const
{
  return QStringLiteral( "Aggregates the points on a WIDTH x HEIGHT pixel grid over EXTENT (default: the points' extent) "
                         "and writes a north-up GeoTIFF. count: UInt32, no nodata (0 = no point). sum, mean, min, max: "
                         "Float64 with NaN (the nodata value) where no point fell. count_cat: one UInt32 band per "
                         "category, in sorted label order, each band named by its label. A point exactly on the "
                         "right or top edge of the extent counts in the last column or row, as in Datashader." );
}

AggregatePointsAlgorithm *AggregatePointsAlgorithm::createInstance() const
{
  return new AggregatePointsAlgorithm();
}

void AggregatePointsAlgorithm::initAlgorithm( const QVariantMap & )
{
  addGridParameters();
  addParameter( new QgsProcessingParameterRasterDestination( QStringLiteral( "OUTPUT" ), QStringLiteral( "Aggregate (.tif)" ) ) );
  addBackendParameter();
  addStatsOutputs();
}

bool AggregatePointsAlgorithm::prepareAlgorithm( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback )
{
  const QString output = parameterAsOutputLayer( parameters, QStringLiteral( "OUTPUT" ), context );
  const QString suffix = QFileInfo( output ).suffix().toLower();
  if ( suffix != QLatin1String( "tif" ) && suffix != QLatin1String( "tiff" ) )
    throw QgsProcessingException( QStringLiteral( "OUTPUT '%1': the aggregate is written as GeoTIFF only; use a .tif file name" ).arg( output ) );
  return PointGridAlgorithm::prepareAlgorithm( parameters, context, feedback );
}

QVariantMap AggregatePointsAlgorithm::processAlgorithm( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback )
{
  return runGuarded( QStringLiteral( "Gridshade" ), [&]() -> QVariantMap {
    QgsProcessingMultiStepFeedback steps( 3, feedback );
    steps.setCurrentStep( 0 );
    loadPoints( &steps );
    steps.setCurrentStep( 1 );
    Aggregate result;
    aggregate( feedback, result );
    feedback->pushInfo( QStringLiteral( "%1 of %2 points in the extent, aggregated on %3" ).arg( result.stats().inView ).arg( result.stats().total ).arg( result.stats().device ) );
    if ( !result.stats().backendNote.isEmpty() )
      feedback->pushInfo( QStringLiteral( "GPU not used: %1" ).arg( result.stats().backendNote ) );
    steps.setCurrentStep( 2 );
    const QString output = parameterAsOutputLayer( parameters, QStringLiteral( "OUTPUT" ), context );
    const Viewport &vp = viewport();
    if ( Status st = RasterWriter( output, vp.extent(), vp.width(), vp.height(), crsWkt() ).writeAggregate( result, cache()->categories ); !st )
      throw QgsProcessingException( st.message() );
    steps.setProgress( 100 );
    QVariantMap outputs = statsOutputs( result.stats() );
    outputs.insert( QStringLiteral( "OUTPUT" ), output );
    return outputs;
  } );
}

} // namespace gridshade
