// SPDX-License-Identifier: GPL-2.0-or-later
#include "density_layer.h"
#include "qgis_compat.h"

#include "density_layer_renderer.h"
#include "density_legend.h"
#include "points/point_cache_builder.h"
#include "points/point_cache_task.h"
#include "raster/memory_views.h"
#include "raster/raster_reader_pool.h"

#include <qgsapplication.h>

#include <qgsmessagelog.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

#include <QDomDocument>
#include <QDomElement>
#include <QUrlQuery>

namespace gridshade
{

const QString DensityLayer::LAYER_TYPE = QStringLiteral( "gridshade_density" );

namespace
{
//! Whether \a source has the fields that the reduction of \a settings reads.
Status checkNeededFields( const QgsVectorLayer &source, const DensitySettings &settings )
{
  return PointCacheBuilder::checkFields( source, reductionNeedsValues( settings.reduction ) ? settings.valueField : QString(),
                                         settings.reduction == Reduction::CountCat ? settings.categoryField : QString() );
}
} // namespace

DensityLayer::DensityLayer( const QString &uri, const QString &name )
  : QgsPluginLayer( LAYER_TYPE, name )
  , mCache( std::make_shared<PointCacheStore>() )
{
  // The layer is valid even when its source is not: it then draws nothing and says why
  // (a project must keep the layer, and its settings, when a file is temporarily missing).
  setValid( true );
  setLegend( new DensityLegend( this ) );
  if ( !uri.isEmpty() )
  {
    if ( Status s = DensitySettings::fromUri( uri, mSettings ); !s )
      mError = s.message();
  }
  attachSource();
}

DensityLayer::~DensityLayer()
{
  // The tasks own what they read and may finish after the layer: stop them rather than let
  // them read for nothing (removing the layer must stop its reading).
  cancelTasks();
}

void DensityLayer::cancelTasks()
{
  for ( const QPointer<PointCacheTask> &task : std::as_const( mTasks ) )
    if ( task )
      task->cancel();
  mTasks.clear();
}

QString DensityLayer::lastError() const
{
  // An empty, non-null string: PyQt turns a null QString into NULL, "" reads better in Python.
  const QString error = mError.isEmpty() ? mNotices->problem() : mError;
  return error.isEmpty() ? QStringLiteral( "" ) : error;
}

DensityLayer *DensityLayer::clone() const
{
  DensityLayer *copy = new DensityLayer( mSettings.toUri(), name() );
  QgsMapLayer::clone( copy );
  return copy;
}

QgsVectorLayer *DensityLayer::sourceLayer() const
{
  if ( mOwnedSource )
    return mOwnedSource.get();
  if ( !mProjectSource && !mSettings.layerId.isEmpty() )
    mProjectSource = qobject_cast<QgsVectorLayer *>( QgsProject::instance()->mapLayer( mSettings.layerId ) );
  return mProjectSource;
}

void DensityLayer::attachSource()
{
  cancelTasks();
  if ( mProjectSource )
    disconnect( mProjectSource, nullptr, this, nullptr );
  disconnect( QgsProject::instance(), &QgsProject::layerWasAdded, this, nullptr );
  mProjectSource.clear();
  mOwnedSource.reset();
  mRasterPool.reset();
  if ( mSettings.isRaster() )
  {
    attachRaster();
    return;
  }
  if ( !mSettings.source.isEmpty() )
  {
    mOwnedSource = std::make_unique<QgsVectorLayer>( mSettings.source, QStringLiteral( "density source" ), mSettings.providerKey );
    if ( !mOwnedSource->isValid() )
      mError = QStringLiteral( "cannot open '%1' with provider '%2': check the path and the file" ).arg( mSettings.source, mSettings.providerKey );
  }
  QgsVectorLayer *src = sourceLayer();
  if ( src )
  {
    setCrs( src->crs() );
    setSource( mSettings.source.isEmpty() ? src->source() : mSettings.source );
    connect( src, &QgsVectorLayer::dataChanged, this, &DensityLayer::sourceChanged );
    connect( src, &QgsMapLayer::dataSourceChanged, this, &DensityLayer::sourceChanged );
    // QGIS 3.22 emits no dataChanged for edits: follow the edit buffer (the cache is read through
    // a feature source, which sees uncommitted edits), commits and rollbacks too.
    connect( src, &QgsVectorLayer::layerModified, this, &DensityLayer::sourceChanged );
    connect( src, &QgsVectorLayer::afterCommitChanges, this, &DensityLayer::sourceChanged );
    connect( src, &QgsVectorLayer::afterRollBack, this, &DensityLayer::sourceChanged );
    connect( src, &QgsVectorLayer::subsetStringChanged, this, &DensityLayer::sourceChanged );
    // A field that is not there is said now, not at the first render.
    if ( Status st = checkNeededFields( *src, mSettings ); !st && mError.isEmpty() )
      mError = st.message();
  }
  else if ( !mSettings.layerId.isEmpty() )
  {
    // A project being read may add the source layer after this one: attach when it arrives.
    connect( QgsProject::instance(), &QgsProject::layerWasAdded, this, [this]( QgsMapLayer *layer ) {
      if ( layer && layer->id() == mSettings.layerId )
        attachSource();
    } );
  }
  mCache->invalidate();
}

void DensityLayer::attachRaster()
{
  mRasterExtent = QgsRectangle();
  setSource( mSettings.raster );
  RasterOverrides overrides;
  overrides.hasNodata = mSettings.hasNodata;
  overrides.nodata = mSettings.nodata;
  if ( !mSettings.rasterCrs.isEmpty() )
  {
    QgsCoordinateReferenceSystem crs;
    if ( !crs.createFromUserInput( mSettings.rasterCrs ) || !crs.isValid() )
    {
      mError = QStringLiteral( "the crs option '%1' is not a CRS QGIS knows: give an EPSG code such as EPSG:4326, WKT or a PROJ string" )
                 .arg( mSettings.rasterCrs );
      return;
    }
    overrides.crsWkt = crs.toWkt( qgiscompat::WKT_PREFERRED_GDAL );
  }
  mRasterPool = std::make_shared<RasterReaderPool>( mSettings.raster, overrides );
  // Opened once here for the CRS and extent; the reader goes back to the pool for renders.
  RasterReaderPool::Handle probe = mRasterPool->acquire();
  if ( !probe->status() )
  {
    mError = probe->status().message();
    return;
  }
  setCrs( QgsCoordinateReferenceSystem::fromWkt( probe->crsWkt() ) );
  const GeoTransform &g = probe->transform();
  double x0, y0, x1, y1;
  g.apply( 0, 0, x0, y0 );
  g.apply( probe->width(), probe->height(), x1, y1 );
  mRasterExtent = QgsRectangle( x0, y0, x1, y1 );
  mRasterExtent.normalize();
  if ( mSettings.band > probe->bandCount() )
    mError = QStringLiteral( "band %1 does not exist: '%2' has bands 1..%3" ).arg( mSettings.band ).arg( mSettings.raster ).arg( probe->bandCount() );
}

void DensityLayer::sourceChanged()
{
  cancelTasks();
  mCache->invalidate();
  triggerRepaint();
}

Status DensityLayer::setSettings( const DensitySettings &settings )
{
  AggregateSettings a;
  ShadeSettings s;
  if ( Status st = settings.toEngine( a, s ); !st )
    return st;
  const bool newSource = settings.layerId != mSettings.layerId || settings.source != mSettings.source
                         || settings.providerKey != mSettings.providerKey || settings.raster != mSettings.raster
                         || settings.rasterCrs != mSettings.rasterCrs || settings.hasNodata != mSettings.hasNodata || settings.nodata != mSettings.nodata
                         || settings.band != mSettings.band;
  const bool newFields = settings.valueField != mSettings.valueField || settings.categoryField != mSettings.categoryField;
  // The same source: its fields are known, so a field it lacks is refused here. A new source
  // is checked once attached (it may not be open yet), as a uri given at creation is.
  if ( QgsVectorLayer *src = ( newSource || settings.isRaster() ) ? nullptr : sourceLayer() )
  {
    if ( Status st = checkNeededFields( *src, settings ); !st )
      return st;
  }
  mSettings = settings;
  mError.clear();
  mNotices->clearProblem();
  if ( newSource )
    attachSource();
  else if ( newFields )
  {
    cancelTasks();
    mCache->invalidate();
  }
  emit styleChanged();
  triggerRepaint();
  return Status::ok();
}

QString DensityLayer::setOptions( const QString &uri )
{
  DensitySettings s;
  Status st = DensitySettings::fromUri( uri, s );
  if ( st )
    st = setSettings( s );
  // An empty, non-null string: PyQt turns a null QString into NULL, "" reads better in Python.
  return st ? QStringLiteral( "" ) : st.message();
}

QString DensityLayer::setOption( const QString &key, const QString &value )
{
  QUrlQuery q( mSettings.toUri() );
  q.removeAllQueryItems( key );
  q.addQueryItem( key, QString::fromLatin1( QUrl::toPercentEncoding( value ) ) );
  return setOptions( q.toString( QUrl::FullyEncoded ) );
}

QgsMapLayerRenderer *DensityLayer::createMapRenderer( QgsRenderContext &context )
{
  return new DensityLayerRenderer( this, context );
}

bool DensityLayer::readSymbology( const QDomNode &, QString &, QgsReadWriteContext &, StyleCategories )
{
  return true;
}

bool DensityLayer::writeSymbology( QDomNode &, QDomDocument &, QString &, const QgsReadWriteContext &, StyleCategories ) const
{
  return true;
}

void DensityLayer::setTransformContext( const QgsCoordinateTransformContext & )
{
  // Renderers take the transform context of each render from their QgsRenderContext.
  mCache->invalidate();
}

bool DensityLayer::readXml( const QDomNode &layerNode, QgsReadWriteContext & )
{
  DensitySettings s;
  const Status st = DensitySettings::readXml( layerNode.firstChildElement( QStringLiteral( "density" ) ), s );
  if ( !st )
  {
    mError = st.message();
    QgsMessageLog::logMessage( QStringLiteral( "Density layer '%1': %2" ).arg( name(), st.message() ), QStringLiteral( "Gridshade" ), Qgis::MessageLevel::Warning );
  }
  mSettings = s;
  if ( s.isRaster() && isMemoryView( s.raster ) )
  {
    // A Python session's array (gridshade.add_aggregate): its address means nothing now.
    mError = QStringLiteral( "the raster was an array in the memory of the Python session that saved the project; "
                             "run the script that made it again" );
    QgsMessageLog::logMessage( QStringLiteral( "Density layer '%1': %2" ).arg( name(), mError ), QStringLiteral( "Gridshade" ), Qgis::MessageLevel::Warning );
  }
  else
    attachSource();
  setValid( true );
  return true;
}

bool DensityLayer::writeXml( QDomNode &layerNode, QDomDocument &document, const QgsReadWriteContext & ) const
{
  QDomElement element = layerNode.toElement();
  element.setAttribute( QStringLiteral( "type" ), QStringLiteral( "plugin" ) );
  element.setAttribute( QStringLiteral( "name" ), LAYER_TYPE );
  QDomElement density = document.createElement( QStringLiteral( "density" ) );
  mSettings.writeXml( density );
  layerNode.appendChild( density );
  return true;
}

QString DensityLayer::cacheKey( const QgsCoordinateReferenceSystem &destination, const QgsCoordinateTransformContext &context ) const
{
  const QgsVectorLayer *source = sourceLayer();
  const QString operation = source ? PointCache::coordinateOperation( source->crs(), destination, context ) : QStringLiteral( "none" );
  return QStringLiteral( "%1|%2|%3|%4|%5" ).arg( destination.toWkt(), operation, reductionName( mSettings.reduction ), mSettings.valueField, mSettings.categoryField );
}

std::unique_ptr<PointCacheBuilder> DensityLayer::createCacheBuilder( const QgsCoordinateReferenceSystem &destination,
                                                                      const QgsCoordinateTransformContext &context ) const
{
  const Reduction r = mSettings.reduction;
  const bool needsValue = reductionNeedsValues( r );
  return std::make_unique<PointCacheBuilder>( sourceLayer(), destination, context, needsValue ? mSettings.valueField : QString(),
                                              r == Reduction::CountCat ? mSettings.categoryField : QString() );
}

bool DensityLayer::prepareCache( const QString &crs )
{
  const QgsCoordinateReferenceSystem destination( crs );
  if ( !destination.isValid() || !QgsApplication::taskManager() )
    return false;
  const QString key = cacheKey( destination, transformContext() );
  if ( mCache->find( key ) || mCache->isBuilding( key ) )
    return true;
  std::unique_ptr<PointCacheBuilder> builder = createCacheBuilder( destination, transformContext() );
  if ( !builder->validity() )
  {
    mError = builder->validity().message();
    return false;
  }
  auto *task = new PointCacheTask( name(), std::move( builder ), mCache, mNotices, key, mCache->generation() );
  mTasks.removeAll( QPointer<PointCacheTask>() );
  mTasks << task;
  QgsApplication::taskManager()->addTask( task );
  return true;
}

QStringList DensityLayer::knownCategories() const
{
  return mCache->anyCategories();
}

QgsRectangle DensityLayer::extent() const
{
  if ( mSettings.isRaster() )
    return mRasterExtent;
  QgsVectorLayer *src = sourceLayer();
  return src ? src->extent() : QgsRectangle();
}

} // namespace gridshade
