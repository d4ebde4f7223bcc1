// SPDX-License-Identifier: GPL-2.0-or-later
#include "point_cache_builder.h"

#include <qgsfeatureiterator.h>
#include <qgsfeedback.h>
#include <qgsgeometry.h>
#include <qgsmultipoint.h>
#include <qgspoint.h>
#include <qgsvectorlayer.h>
#include <qgsvectorlayerfeatureiterator.h>

#include <QElapsedTimer>
#include <QHash>

#include <cmath>
#include <limits>

namespace gridshade
{

namespace
{

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr size_t TRANSFORM_BATCH = 8192;

// PROJ may fail on single points (outside the projection's domain); the whole batch throws then,
// so such a batch is redone point by point and the failures become NaN.
uint64_t transformBatch( const QgsCoordinateTransform &ct, double *x, double *y, size_t n )
{
  std::vector<double> z( n, 0.0 );
  std::vector<double> x0( x, x + n ), y0( y, y + n );
  try
  {
    ct.transformCoords( static_cast<int>( n ), x, y, z.data() );
    return 0;
  }
  catch ( const QgsCsException & )
  {
  }
  uint64_t failed = 0;
  for ( size_t i = 0; i < n; ++i )
  {
    double px = x0[i], py = y0[i], pz = 0.0;
    try
    {
      ct.transformInPlace( px, py, pz );
    }
    catch ( const QgsCsException & )
    {
      px = py = NaN;
    }
    if ( !std::isfinite( px ) || !std::isfinite( py ) )
    {
      px = py = NaN;
      ++failed;
    }
    x[i] = px;
    y[i] = py;
  }
  return failed;
}

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
  if ( layer->geometryType() != QgsWkbTypes::PointGeometry )
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
  mSource = std::make_unique<QgsVectorLayerFeatureSource>( layer );
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
  cache->method = QStringLiteral( "iterator" );
  std::vector<double> x, y, values;
  std::vector<int32_t> codes;
  QHash<QString, int32_t> firstSeen;
  QStringList labels;
  if ( mFeatureCount > 0 )
  {
    x.reserve( static_cast<size_t>( mFeatureCount ) );
    y.reserve( static_cast<size_t>( mFeatureCount ) );
  }

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
  auto addPoint = [&]( double px, double py, const QgsFeature &feature ) {
    x.push_back( px );
    y.push_back( py );
    if ( mValueIndex >= 0 )
    {
      bool ok = false;
      const double v = feature.attribute( mValueIndex ).toDouble( &ok );
      values.push_back( ok ? v : NaN );
    }
    if ( mCategoryIndex >= 0 )
    {
      const QVariant c = feature.attribute( mCategoryIndex );
      const QString label = c.isNull() ? QString() : c.toString();
      auto found = firstSeen.find( label );
      if ( found == firstSeen.end() )
      {
        found = firstSeen.insert( label, static_cast<int32_t>( labels.size() ) );
        labels << label;
      }
      codes.push_back( found.value() );
    }
  };
  while ( it.nextFeature( f ) )
  {
    ++cache->features;
    if ( feedback && ( cache->features & 0xFFFF ) == 0 )
    {
      if ( feedback->isCanceled() )
        return Status::error( QStringLiteral( "point cache build cancelled" ) );
      if ( mFeatureCount > 0 )
        feedback->setProgress( 90.0 * cache->features / mFeatureCount );
    }
    const QgsAbstractGeometry *g = f.hasGeometry() ? f.geometry().constGet() : nullptr;
    if ( const QgsPoint *p = qgsgeometry_cast<const QgsPoint *>( g ) )
      addPoint( p->x(), p->y(), f );
    else if ( const QgsMultiPoint *mp = qgsgeometry_cast<const QgsMultiPoint *>( g ) )
    {
      for ( int i = 0; i < mp->numGeometries(); ++i )
        if ( const QgsPoint *part = qgsgeometry_cast<const QgsPoint *>( mp->geometryN( i ) ) )
          addPoint( part->x(), part->y(), f );
    }
    else
      ++cache->missingGeometry;
  }
  if ( feedback && feedback->isCanceled() )
    return Status::error( QStringLiteral( "point cache build cancelled" ) );

  if ( mTransform.isValid() && !mTransform.isShortCircuited() )
  {
    for ( size_t b = 0; b < x.size(); b += TRANSFORM_BATCH )
    {
      if ( feedback && feedback->isCanceled() )
        return Status::error( QStringLiteral( "point cache build cancelled" ) );
      cache->untransformable += transformBatch( mTransform, x.data() + b, y.data() + b, std::min( TRANSFORM_BATCH, x.size() - b ) );
    }
  }

  Extent bounds { std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
                  -std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity() };
  for ( size_t i = 0; i < x.size(); ++i )
  {
    if ( std::isfinite( x[i] ) && std::isfinite( y[i] ) )
    {
      bounds.xmin = std::min( bounds.xmin, x[i] );
      bounds.xmax = std::max( bounds.xmax, x[i] );
      bounds.ymin = std::min( bounds.ymin, y[i] );
      bounds.ymax = std::max( bounds.ymax, y[i] );
    }
  }
  cache->bounds = bounds;

  // Codes in sorted label order, so that colours do not depend on the order of features.
  if ( mCategoryIndex >= 0 )
  {
    QStringList sorted = labels;
    std::sort( sorted.begin(), sorted.end() );
    std::vector<int32_t> remap( labels.size() );
    for ( int i = 0; i < labels.size(); ++i )
      remap[i] = static_cast<int32_t>( sorted.indexOf( labels[i] ) );
    for ( int32_t &c : codes )
      c = remap[c];
    cache->categories = sorted;
  }
  cache->points = PointColumns::owned( std::move( x ), std::move( y ) );
  if ( mValueIndex >= 0 )
    cache->points.setValues( std::move( values ) );
  if ( mCategoryIndex >= 0 )
    cache->points.setCategories( std::move( codes ), cache->categories.size() );
  cache->buildSeconds = timer.nsecsElapsed() / 1e9;
  if ( feedback )
    feedback->setProgress( 100.0 );
  out = std::move( cache );
  return Status::ok();
}

} // namespace gridshade
