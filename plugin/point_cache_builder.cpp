// SPDX-License-Identifier: GPL-2.0-or-later
#include "point_cache_builder.h"
#include "qgis_compat.h"

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
  if ( !valueField.isEmpty() )
  {
    mValueIndex = layer->fields().lookupField( valueField );
    if ( mValueIndex < 0 )
    {
      mValidity = Status::error( QStringLiteral( "layer '%1' has no field '%2' (fields: %3)" ).arg( layer->name(), valueField, layer->fields().names().join( QStringLiteral( ", " ) ) ) );
      return;
    }
  }
  if ( !categoryField.isEmpty() )
  {
    mCategoryIndex = layer->fields().lookupField( categoryField );
    if ( mCategoryIndex < 0 )
    {
      mValidity = Status::error( QStringLiteral( "layer '%1' has no field '%2' (fields: %3)" ).arg( layer->name(), categoryField, layer->fields().names().join( QStringLiteral( ", " ) ) ) );
      return;
    }
  }
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
    const Status arrow = ArrowPointReader::read( mArrowSource, mValueField, mCategoryField, feedback, *points, cache->features, cache->missingGeometry );
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
        feedback->setProgress( 90.0 * cache.features / mFeatureCount );
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
    if ( const QgsPoint *p = qgsgeometry_cast<const QgsPoint *>( g ) )
      points.add( p->x(), p->y(), value, label );
    else if ( const QgsMultiPoint *mp = qgsgeometry_cast<const QgsMultiPoint *>( g ) )
    {
      for ( int i = 0; i < mp->numGeometries(); ++i )
        if ( const QgsPoint *part = qgsgeometry_cast<const QgsPoint *>( mp->geometryN( i ) ) )
          points.add( part->x(), part->y(), value, label );
    }
    else
      ++cache.missingGeometry;
  }
  if ( feedback && feedback->isCanceled() )
    return Status::error( QStringLiteral( "point cache build cancelled" ) );
  return Status::ok();
}

} // namespace gridshade
