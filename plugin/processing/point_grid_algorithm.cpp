// SPDX-License-Identifier: GPL-2.0-or-later
#include "point_grid_algorithm.h"

#include "aggregation/aggregator.h"

#include "cancel_watch.h"
#include "points/point_cache_builder.h"
#include "named_enum_parameter.h"
#include "qgis_compat.h"

#include <qgsprocessingparameters.h>
#include <qgsprocessingoutputs.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsvectorlayer.h>

#include <QFileInfo>

namespace gridshade
{

namespace
{

const QStringList BACKENDS { QStringLiteral( "auto" ), QStringLiteral( "cpu" ), QStringLiteral( "gpu" ) };
const QStringList REDUCTIONS { QStringLiteral( "count" ), QStringLiteral( "sum" ), QStringLiteral( "mean" ),
                               QStringLiteral( "min" ), QStringLiteral( "max" ), QStringLiteral( "count_cat" ) };

QString firstField( const QgsProcessingAlgorithm *alg, const QVariantMap &parameters, const QString &name, QgsProcessingContext &context )
{
  const QStringList fields = QgsProcessingParameters::parameterAsFields( alg->parameterDefinition( name ), parameters, context );
  return fields.isEmpty() ? QString() : fields.first();
}

} // namespace

PointGridAlgorithm::PointGridAlgorithm() = default;
PointGridAlgorithm::~PointGridAlgorithm() = default;

QString PointGridAlgorithm::group() const
{
  return QStringLiteral( "Density" );
}

QString PointGridAlgorithm::groupId() const
{
  return QStringLiteral( "density" );
}

void PointGridAlgorithm::addGridParameters()
{
  addParameter( new QgsProcessingParameterFeatureSource( QStringLiteral( "INPUT" ), QStringLiteral( "Point layer" ),
                                                         QList<int>() << qgiscompat::VECTOR_POINT ) );
  addParameter( new QgsProcessingParameterExtent( QStringLiteral( "EXTENT" ), QStringLiteral( "Extent (default: the points' extent)" ),
                                                  QVariant(), true ) );
  addParameter( new QgsProcessingParameterCrs( QStringLiteral( "TARGET_CRS" ),
                                               QStringLiteral( "Output CRS (default: the extent's CRS, else the layer's)" ), QVariant(), true ) );
  auto width = std::make_unique<QgsProcessingParameterNumber>( QStringLiteral( "WIDTH" ), QStringLiteral( "Width (pixels)" ),
                                                               qgiscompat::NUMBER_INTEGER, 1024, false, 1, 65536 );
  addParameter( width.release() );
  auto height = std::make_unique<QgsProcessingParameterNumber>( QStringLiteral( "HEIGHT" ), QStringLiteral( "Height (pixels)" ),
                                                                qgiscompat::NUMBER_INTEGER, 768, false, 1, 65536 );
  addParameter( height.release() );
  // Static strings: on the command line REDUCTION=mean reads better than an index.
  addParameter( new NamedEnumParameter( QStringLiteral( "REDUCTION" ), QStringLiteral( "Reduction" ), REDUCTIONS, QStringLiteral( "count" ) ) );
  addParameter( new QgsProcessingParameterField( QStringLiteral( "VALUE_FIELD" ), QStringLiteral( "Value field (sum, mean, min, max)" ),
                                                 QVariant(), QStringLiteral( "INPUT" ), qgiscompat::FIELD_NUMERIC, false, true ) );
  addParameter( new QgsProcessingParameterField( QStringLiteral( "CATEGORY_FIELD" ), QStringLiteral( "Category field (count_cat)" ),
                                                 QVariant(), QStringLiteral( "INPUT" ), qgiscompat::FIELD_ANY, false, true ) );
}

void PointGridAlgorithm::addBackendParameter()
{
  // Advanced: qgis_process runs on Qt's offscreen platform, where only the CPU is available.
  auto *backend = new NamedEnumParameter( QStringLiteral( "BACKEND" ), QStringLiteral( "Aggregate on" ), BACKENDS, QStringLiteral( "auto" ) );
  backend->setFlags( backend->flags() | qgiscompat::FLAG_ADVANCED );
  addParameter( backend );
}

void PointGridAlgorithm::addStatsOutputs()
{
  addOutput( new QgsProcessingOutputString( QStringLiteral( "BACKEND" ), QStringLiteral( "Backend that aggregated (cpu or gpu)" ) ) );
  addOutput( new QgsProcessingOutputNumber( QStringLiteral( "POINTS_READ" ), QStringLiteral( "Points read" ) ) );
  addOutput( new QgsProcessingOutputNumber( QStringLiteral( "POINTS_IN_EXTENT" ), QStringLiteral( "Points in the extent" ) ) );
  addOutput( new QgsProcessingOutputNumber( QStringLiteral( "POINTS_DROPPED" ), QStringLiteral( "Points outside, untransformable or without a category" ) ) );
}

bool PointGridAlgorithm::prepareAlgorithm( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback )
{
  Q_UNUSED( feedback )
  QgsVectorLayer *layer = parameterAsVectorLayer( parameters, QStringLiteral( "INPUT" ), context );
  if ( !layer )
  {
    // QGIS says "not found" even for a file that exists but cannot be read: say which it is.
    const QString path = parameterAsString( parameters, QStringLiteral( "INPUT" ), context ).section( QLatin1Char( '|' ), 0, 0 );
    if ( QFileInfo( path ).isFile() )
      throw QgsProcessingException( QStringLiteral( "INPUT '%1' exists but OGR cannot open it as a vector layer: check that it is a "
                                                    "GeoPackage, shapefile or other OGR format and that it is readable" ).arg( path ) );
    throw QgsProcessingException( invalidSourceError( parameters, QStringLiteral( "INPUT" ) ) );
  }
  mLayerName = layer->name();

  // A selection or a feature limit (set in the dialog) is honoured by reading a memory copy of
  // just those features; the builder then sees an ordinary layer.
  const QVariant input = parameters.value( QStringLiteral( "INPUT" ) );
  if ( input.canConvert<QgsProcessingFeatureSourceDefinition>() )
  {
    const QgsProcessingFeatureSourceDefinition def = input.value<QgsProcessingFeatureSourceDefinition>();
    if ( def.selectedFeaturesOnly || def.featureLimit >= 0 )
    {
      QgsFeatureRequest request;
      if ( def.selectedFeaturesOnly )
        request.setFilterFids( layer->selectedFeatureIds() );
      if ( def.featureLimit >= 0 )
        request.setLimit( def.featureLimit );
      mMaterialised.reset( layer->materialize( request ) );
      layer = mMaterialised.get();
    }
  }

  const QString backendText = parameterDefinition( QStringLiteral( "BACKEND" ) )
                                ? NamedEnumParameter::choice( parameterDefinition( QStringLiteral( "BACKEND" ) ), parameters, context )
                                : QStringLiteral( "auto" );
  if ( !parseBackend( backendText.isEmpty() ? QStringLiteral( "auto" ) : backendText, mBackend ) )
    throw QgsProcessingException( QStringLiteral( "BACKEND '%1' is not one of %2" ).arg( backendText, BACKENDS.join( QStringLiteral( ", " ) ) ) );
  const QString reductionText = NamedEnumParameter::choice( parameterDefinition( QStringLiteral( "REDUCTION" ) ), parameters, context );
  if ( !parseReduction( reductionText, mReduction ) )
    throw QgsProcessingException( QStringLiteral( "REDUCTION '%1' is not one of %2" ).arg( reductionText, REDUCTIONS.join( QStringLiteral( ", " ) ) ) );
  const bool needsValue = mReduction == Reduction::Sum || mReduction == Reduction::Mean || mReduction == Reduction::Min || mReduction == Reduction::Max;
  const QString valueField = needsValue ? firstField( this, parameters, QStringLiteral( "VALUE_FIELD" ), context ) : QString();
  const QString categoryField = mReduction == Reduction::CountCat ? firstField( this, parameters, QStringLiteral( "CATEGORY_FIELD" ), context ) : QString();
  if ( needsValue && valueField.isEmpty() )
    throw QgsProcessingException( QStringLiteral( "REDUCTION %1 needs a numeric VALUE_FIELD of layer '%2'" ).arg( reductionText, mLayerName ) );
  if ( mReduction == Reduction::CountCat && categoryField.isEmpty() )
    throw QgsProcessingException( QStringLiteral( "REDUCTION count_cat needs a CATEGORY_FIELD of layer '%1'" ).arg( mLayerName ) );

  mWidth = parameterAsInt( parameters, QStringLiteral( "WIDTH" ), context );
  mHeight = parameterAsInt( parameters, QStringLiteral( "HEIGHT" ), context );
  if ( mWidth < 1 || mHeight < 1 )
    throw QgsProcessingException( QStringLiteral( "WIDTH x HEIGHT is %1 x %2: both must be at least 1 pixel" ).arg( mWidth ).arg( mHeight ) );

  // The grid CRS: what the user named, else the extent's own CRS (so an extent typed with
  // "[EPSG:3857]" becomes the geotransform exactly), else the layer's.
  const bool extentGiven = parameters.value( QStringLiteral( "EXTENT" ) ).isValid()
                           && !parameterAsExtent( parameters, QStringLiteral( "EXTENT" ), context ).isNull();
  mCrs = parameterAsCrs( parameters, QStringLiteral( "TARGET_CRS" ), context );
  if ( !mCrs.isValid() && extentGiven )
    mCrs = parameterAsExtentCrs( parameters, QStringLiteral( "EXTENT" ), context );
  if ( !mCrs.isValid() )
    mCrs = layer->crs();
  if ( !mCrs.isValid() )
    throw QgsProcessingException( QStringLiteral( "layer '%1' has no CRS and no TARGET_CRS was given: set TARGET_CRS (e.g. EPSG:3857)" ).arg( mLayerName ) );
  mHasExtent = extentGiven;
  if ( extentGiven )
  {
    const QgsRectangle r = parameterAsExtent( parameters, QStringLiteral( "EXTENT" ), context, mCrs );
    mExtent = Extent { r.xMinimum(), r.yMinimum(), r.xMaximum(), r.yMaximum() };
    if ( !mExtent.isValid() )
      throw QgsProcessingException( QStringLiteral( "EXTENT %1 in %2 is empty or not finite: give xmin,xmax,ymin,ymax with xmin < xmax and ymin < ymax" )
                                      .arg( r.toString(), mCrs.authid() ) );
  }

  mBuilder = std::make_unique<PointCacheBuilder>( layer, mCrs, context.transformContext(), valueField, categoryField );
  if ( Status st = mBuilder->validity(); !st )
    throw QgsProcessingException( QStringLiteral( "INPUT: %1" ).arg( st.message() ) );
  return true;
}

void PointGridAlgorithm::loadPoints( QgsFeedback *feedback )
{
  if ( !mBuilder )
    throw QgsProcessingException( QStringLiteral( "internal error: the algorithm was not prepared" ) );
  if ( Status st = mBuilder->build( feedback, mCache ); !st )
    throw QgsProcessingException( QStringLiteral( "reading the points of '%1' failed: %2" ).arg( mLayerName, st.message() ) );
  if ( !mHasExtent )
  {
    mExtent = mCache->bounds;
    if ( !mExtent.isValid() )
      throw QgsProcessingException( QStringLiteral( "the %1 points of '%2' span no area in %3 (none, one, or all on a line): set EXTENT" )
                                      .arg( mCache->points.size() ).arg( mLayerName, mCrs.authid() ) );
  }
  mViewport = Viewport( mExtent, mWidth, mHeight );
  if ( Status st = mViewport.validate(); !st )
    throw QgsProcessingException( QStringLiteral( "the grid is not valid: %1" ).arg( st.message() ) );
}

void PointGridAlgorithm::aggregate( QgsFeedback *feedback, Aggregate &out ) const
{
  CancelWatch cancel( feedback );
  AggregateSettings settings;
  settings.reduction = mReduction;
  settings.backend = mBackend;
  const Status st = Aggregator::aggregate( mCache->points, mViewport, settings, out, cancel.flag() );
  if ( cancel.isCanceled() )
    throw QgsProcessingException( QStringLiteral( "cancelled" ) );
  if ( !st )
    throw QgsProcessingException( QStringLiteral( "aggregating failed: %1" ).arg( st.message() ) );
}

QString PointGridAlgorithm::crsWkt() const
{
  return mCrs.toWkt( qgiscompat::WKT_PREFERRED_GDAL );
}

QVariantMap PointGridAlgorithm::statsOutputs( const AggregateStats &stats ) const
{
  QVariantMap out;
  out.insert( QStringLiteral( "BACKEND" ), stats.backend );
  out.insert( QStringLiteral( "POINTS_READ" ), static_cast<qulonglong>( stats.total ) );
  out.insert( QStringLiteral( "POINTS_IN_EXTENT" ), static_cast<qulonglong>( stats.inView ) );
  out.insert( QStringLiteral( "POINTS_DROPPED" ), static_cast<qulonglong>( stats.total - stats.inView ) );
  return out;
}

} // namespace gridshade
