// SPDX-License-Identifier: GPL-2.0-or-later
#include "point_cache_builder.h"
#include "qgis_compat.h"

#include "aggregation/aggregate_settings.h"
#include "point_accumulator.h"

#include <qgsfeatureiterator.h>
#include <qgsproviderregistry.h>
#include <qgsfeedback.h>
#include <qgsgeometry.h>
#include <qgsmultipoint.h>
#include <qgspoint.h>
#include <qgsvectorlayer.h>
#include <qgsvectorlayerfeatureiterator.h>

#include <QElapsedTimer>

#include <cmath>
#include <limits>

namespace gridshade
{

namespace
{
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
} // namespace

PointCacheBuilder::PointCacheBuilder( const QgsVectorLayer *layer, const QgsCoordinateReferenceSystem &destination,
                                      const QgsCoordinateTransformContext &context, const QString &valueField,
                                      const QString &categoryField )
{
  if ( !layer || !layer->isValid() )
  {
    mValidity = Status::error( QStringLiteral( "the source layer is missing or invalid: check the layer's data source" ) );
    return;
  }
  if ( layer->geometryType() != qgiscompat::POINT_GEOMETRY )
  {
    mValidity = Status::error( QStringLiteral( "layer '%1' is a %2 layer: a density layer needs a point layer" )
                                 .arg( layer->name(), QgsWkbTypes::geometryDisplayString( layer->geometryType() ) ) );
    return;
  }
  if ( Status st = checkFields( *layer, valueField, categoryField ); !st )
  {
    mValidity = st;
    return;
  }
  mValueIndex = valueField.isEmpty() ? -1 : layer->fields().lookupField( valueField );
  mCategoryIndex = categoryField.isEmpty() ? -1 : layer->fields().lookupField( categoryField );
  mLayerName = layer->name();
  mValueField = valueField;
  mCategoryField = categoryField;
  mSource = std::make_unique<QgsVectorLayerFeatureSource>( layer );
  // Unsaved edits live in QGIS's edit buffer, which only the feature iterator sees.
  if ( layer->providerType() == QLatin1String( "ogr" ) && !( layer->isEditable() && layer->isModified() ) )
  {
    const QVariantMap parts = QgsProviderRegistry::instance()->decodeUri( QStringLiteral( "ogr" ), layer->source() );
    mArrowSource.path = parts.value( QStringLiteral( "path" ) ).toString();
    mArrowSource.layerName = parts.value( QStringLiteral( "layerName" ) ).toString();
    mArrowSource.layerIndex = parts.value( QStringLiteral( "layerId" ), 0 ).toInt();
    mArrowSource.subset = layer->subsetString();
    mHasArrowSource = !mArrowSource.path.isEmpty();
  }
  mFeatureCount = layer->featureCount();
  if ( destination.isValid() && layer->crs().isValid() && destination != layer->crs() )
    mTransform = QgsCoordinateTransform( layer->crs(), destination, context );
}

PointCacheBuilder::~PointCacheBuilder() = default;

Status PointCacheBuilder::checkFields( const QgsVectorLayer &layer, const QString &valueField, const QString &categoryField )
{
  for ( const QString &field : { valueField, categoryField } )
  {
    if ( !field.isEmpty() && layer.fields().lookupField( field ) < 0 )
      return Status::error( QStringLiteral( "layer '%1' has no field '%2' (fields: %3)" )
                              .arg( layer.name(), field, layer.fields().names().join( QStringLiteral( ", " ) ) ) );
  }
  return Status::ok();
}

Status PointCacheBuilder::categoryLimitError( uint64_t features ) const
{
  const QString of = mFeatureCount > 0 ? QStringLiteral( " of %1 features" ).arg( mFeatureCount ) : QString();
  return Status::error( QStringLiteral( "field '%1' of layer '%2' has more than %3 distinct values (distinct value number %4 came at feature %5%6), "
                                        "and count_cat takes at most %3 categories: choose a text or integer field with few distinct "
                                        "values, such as a class or a type (not an identifier such as fid, nor a floating-point field)" )
                          .arg( mCategoryField, mLayerName )
                          .arg( MAX_CATEGORIES )
                          .arg( MAX_CATEGORIES + 1 )
                          .arg( features )
                          .arg( of ) );
}

Status PointCacheBuilder::build( QgsFeedback *feedback, std::shared_ptr<const PointCache> &out )
{
  if ( !mValidity )
    return mValidity;
  QElapsedTimer timer;
  timer.start();
  auto cache = std::make_shared<PointCache>();
  const size_t expected = mFeatureCount > 0 ? static_cast<size_t>( mFeatureCount ) : 0;
  std::unique_ptr<PointAccumulator> points;
  if ( mArrowEnabled && mHasArrowSource )
  {
    points = std::make_unique<PointAccumulator>( mValueIndex >= 0, mCategoryIndex >= 0, expected );
    cache->method = QStringLiteral( "arrow" );
    const Status arrow = ArrowPointReader::read( mArrowSource, mValueField, mCategoryField, feedback, expected, *points, cache->features, cache->missingGeometry );
    if ( points->categoryLimitPassed() )
      return categoryLimitError( cache->features );
    if ( !arrow )
    {
      if ( feedback && feedback->isCanceled() )
        return arrow;
      points.reset(); // fall back to the feature iterator
      cache = std::make_shared<PointCache>();
    }
  }
  if ( !points )
  {
    points = std::make_unique<PointAccumulator>( mValueIndex >= 0, mCategoryIndex >= 0, expected );
    cache->method = QStringLiteral( "iterator" );
    if ( Status st = readWithIterator( feedback, *points, *cache ); !st )
      return st;
  }
  // Read: what is left is transforming, bounds and category codes, each a loop over every point.
  if ( feedback )
    feedback->setProgress( 90.0 );
  if ( Status st = points->finish( mTransform, feedback, *cache ); !st )
    return st;
  cache->buildSeconds = timer.nsecsElapsed() / 1e9;
  if ( feedback )
    feedback->setProgress( 100.0 );
  out = std::move( cache );
  return Status::ok();
}

Status PointCacheBuilder::readWithIterator( QgsFeedback *feedback, PointAccumulator &points, PointCache &cache )
{
  QgsFeatureRequest request;
  QgsAttributeList attributes;
  if ( mValueIndex >= 0 )
    attributes << mValueIndex;
  if ( mCategoryIndex >= 0 )
    attributes << mCategoryIndex;
  request.setSubsetOfAttributes( attributes );
  request.setFeedback( feedback );
  QgsFeatureIterator it = mSource->getFeatures( request );
  QgsFeature f;
  while ( it.nextFeature( f ) )
  {
    ++cache.features;
    if ( feedback && ( cache.features & 0xFFFF ) == 0 )
    {
      if ( feedback->isCanceled() )
        return Status::error( QStringLiteral( "point cache build cancelled" ) );
      if ( mFeatureCount > 0 )
        feedback->setProgress( 85.0 * cache.features / mFeatureCount );
    }
    double value = NaN;
    if ( mValueIndex >= 0 )
    {
      bool ok = false;
      value = f.attribute( mValueIndex ).toDouble( &ok );
      if ( !ok )
        value = NaN;
    }
    QString label;
    if ( mCategoryIndex >= 0 )
    {
      const QVariant c = f.attribute( mCategoryIndex );
      label = c.isNull() ? QString() : ( c.type() == QVariant::Double ? QString::number( c.toDouble(), 'g', 17 ) : c.toString() );
    }
    const QgsAbstractGeometry *g = f.hasGeometry() ? f.geometry().constGet() : nullptr;
    bool added = true;
    if ( const QgsPoint *p = qgsgeometry_cast<const QgsPoint *>( g ) )
      added = points.add( p->x(), p->y(), value, label );
    else if ( const QgsMultiPoint *mp = qgsgeometry_cast<const QgsMultiPoint *>( g ) )
    {
      for ( int i = 0; added && i < mp->numGeometries(); ++i )
        if ( const QgsPoint *part = qgsgeometry_cast<const QgsPoint *>( mp->geometryN( i ) ) )
          added = points.add( part->x(), part->y(), value, label );
    }
    else
      ++cache.missingGeometry;
    if ( !added )
      return categoryLimitError( cache.features );
  }
  if ( feedback && feedback->isCanceled() )
    return Status::error( QStringLiteral( "point cache build cancelled" ) );
  return Status::ok();
}

} // namespace gridshade
