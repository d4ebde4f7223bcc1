// SPDX-License-Identifier: GPL-2.0-or-later
#include "density_layer_renderer.h"
#include "qgis_compat.h"

#include "density_layer.h"
#include "density_pipeline.h"
#include "layer_notices.h"
#include "points/point_cache_builder.h"
#include "raster/raster_canvas_reader.h"
#include "raster/raster_reader_pool.h"
#include "shading/raster_shading.h"

#include <qgsfeedback.h>
#include <qgsmessagelog.h>
#include <qgsrendercontext.h>
#include <qgsvectorlayer.h>

#include <QElapsedTimer>
#include <QPainter>

#include <atomic>
#include <cmath>
#include <exception>

namespace gridshade
{

namespace
{

QgsCoordinateReferenceSystem destinationCrs( const QgsRenderContext &context, const QgsMapLayer *layer )
{
  const QgsCoordinateTransform ct = context.coordinateTransform();
  return ct.isValid() ? ct.destinationCrs() : layer->crs();
}

/*
 * A rotated map: express every point in the screen's frame (u right, v up, origin at the map
 * centre) so that the grid is the screen's pixel grid again.
 *
 *      v ^             u = (p - c) . e1
 *        |             v = (p - c) . e2
 *        +--> u        e1, e2: unit vectors of the screen's x and -y axes in map units
 */
PointColumns toScreenFrame( const PointColumns &points, const QgsMapToPixel &m2p, int logicalW, int logicalH, Extent &frame )
{
  const QgsPointXY c = m2p.toMapCoordinates( logicalW / 2.0, logicalH / 2.0 );
  const QgsPointXY a = m2p.toMapCoordinates( logicalW / 2.0 + 1.0, logicalH / 2.0 );
  const QgsPointXY b = m2p.toMapCoordinates( logicalW / 2.0, logicalH / 2.0 - 1.0 );
  const double unit = std::hypot( a.x() - c.x(), a.y() - c.y() );
  const double e1x = ( a.x() - c.x() ) / unit, e1y = ( a.y() - c.y() ) / unit;
  const double e2x = ( b.x() - c.x() ) / unit, e2y = ( b.y() - c.y() ) / unit;
  std::vector<double> u( points.size() ), v( points.size() );
  for ( size_t i = 0; i < points.size(); ++i )
  {
    const double dx = points.x()[i] - c.x(), dy = points.y()[i] - c.y();
    u[i] = dx * e1x + dy * e1y;
    v[i] = dx * e2x + dy * e2y;
  }
  frame = Extent { -logicalW * unit / 2, -logicalH * unit / 2, logicalW * unit / 2, logicalH * unit / 2 };
  PointColumns rotated = PointColumns::owned( std::move( u ), std::move( v ) );
  if ( points.hasValues() )
    rotated.setValuesView( points.values() );
  if ( points.hasCategories() )
    rotated.setCategoriesView( points.categories(), points.categoryCount() );
  return rotated;
}

} // namespace

DensityLayerRenderer::DensityLayerRenderer( DensityLayer *layer, QgsRenderContext &context )
  : QgsMapLayerRenderer( layer->id(), &context )
  , mLayerName( layer->name() )
  , mSettings( layer->settings() )
  , mStore( std::make_shared<PointCacheStore>() )
  , mFeedback( std::make_unique<QgsFeedback>() )
{
  mReadyToCompose = false;
  try
  {
    mSettingsStatus = mSettings.toEngine( mAggregation, mShading );
    if ( mSettingsStatus && !layer->optionsError().isEmpty() )
      mSettingsStatus = Status::error( layer->optionsError() );
    mStore = layer->cacheStore();
    mStats = layer->statsBox();
    mNotices = layer->notices();
    applyDiagnosticFlags( context.customRenderingFlags() );
    const QgsCoordinateReferenceSystem dest = destinationCrs( context, layer );
    if ( mSettings.isRaster() )
    {
      mRasterPool = layer->rasterPool();
      mRasterSameCrs = dest == layer->crs();
      mMapCrsWkt = dest.toWkt( qgiscompat::WKT_PREFERRED_GDAL );
      mCoordinateOperation = context.coordinateTransform().coordinateOperation();
      return;
    }
    // The render's own transform context: a print layout or an API user may carry another
    // datum transformation than the project, and then other positions.
    mCacheKey = layer->cacheKey( dest, context.transformContext() );
    mGeneration = mStore->generation();
    if ( mSettingsStatus && !mStore->find( mCacheKey ) )
    {
      mBuilder = layer->createCacheBuilder( dest, context.transformContext() );
      if ( !mBuilder->validity() )
        mSettingsStatus = mBuilder->validity();
    }
  }
  catch ( const std::exception &e )
  {
    mSettingsStatus = Status::error( QString::fromLocal8Bit( e.what() ) );
  }
  catch ( ... )
  {
    mSettingsStatus = Status::error( QStringLiteral( "unexpected error preparing the render" ) );
  }
}

DensityLayerRenderer::~DensityLayerRenderer() = default;

void DensityLayerRenderer::applyDiagnosticFlags( const QVariantMap &flags )
{
  // Set by the diagnostics docks on their own map settings, never by the canvas: a tag to find
  // the figures of that render, and a backend to compare CPU with GPU on the same view.
  mExtras.tag = flags.value( QStringLiteral( "gridshade/tag" ) ).toString();
  // The canvas's preview jobs render the neighbourhood of the view for smooth panning: their
  // figures are not the view's.
  if ( mExtras.tag.isEmpty() && renderContext()->testFlag( Qgis::RenderContextFlag::RenderPreviewJob ) )
    mExtras.tag = QStringLiteral( "preview" );
  const QString backend = flags.value( QStringLiteral( "gridshade/backend" ) ).toString();
  Backend forced;
  if ( !backend.isEmpty() && parseBackend( backend, forced ) )
    mAggregation.backend = forced;
}

QgsFeedback *DensityLayerRenderer::feedback() const
{
  return mFeedback.get();
}

void DensityLayerRenderer::reportError( const QString &message )
{
  mErrors.append( message );
  if ( mNotices )
    mNotices->reportProblem( message );
  QgsMessageLog::logMessage( QStringLiteral( "Density layer '%1': %2" ).arg( mLayerName, message ), QStringLiteral( "Gridshade" ), Qgis::MessageLevel::Warning );
}

bool DensityLayerRenderer::render()
{
  // Nothing may escape into QGIS: a worker thread exception would take the application down.
  try
  {
    return renderUnguarded();
  }
  catch ( const std::exception &e )
  {
    reportError( QStringLiteral( "render failed: %1" ).arg( QString::fromLocal8Bit( e.what() ) ) );
  }
  catch ( ... )
  {
    reportError( QStringLiteral( "render failed with an unknown error" ) );
  }
  mReadyToCompose = true;
  return true;
}

bool DensityLayerRenderer::renderUnguarded()
{
  QgsRenderContext *ctx = renderContext();
  if ( !mSettingsStatus )
  {
    reportError( mSettingsStatus.message() );
    mReadyToCompose = true;
    return true;
  }
  const QSize device = ctx->deviceOutputSize();
  if ( device.width() <= 0 || device.height() <= 0 || !ctx->painter() )
  {
    mReadyToCompose = true;
    return true; // a zero-size map: nothing to draw
  }
  std::atomic<bool> stop { false };
  QObject::connect( mFeedback.get(), &QgsFeedback::canceled, mFeedback.get(), [&stop] { stop = true; }, Qt::DirectConnection );
  auto cancelled = [&] { return stop.load() || mFeedback->isCanceled() || ctx->renderingStopped(); };

  if ( mSettings.isRaster() )
    return renderRaster( stop );

  QElapsedTimer cacheTimer;
  cacheTimer.start();
  Status problem;
  const std::shared_ptr<const PointCache> cache = obtainCache( cancelled, problem );
  if ( cancelled() )
    return false;
  if ( !problem )
  {
    reportError( problem.message() );
    mReadyToCompose = true;
    return true;
  }
  if ( !cache )
    return true;
  mExtras.cacheMs = cacheTimer.nsecsElapsed() / 1e6;

  PointColumns points = cache->points;
  AggregateSettings aggregation = mAggregation;
  const Viewport viewport = canvasGrid( points, aggregation );
  RenderResult result;
  const Status st = DensityPipeline::render( points, viewport, aggregation, mShading, result, &stop );
  if ( cancelled() )
    return false;
  if ( !st )
  {
    reportError( st.message() );
    mReadyToCompose = true;
    return true;
  }
  mExtras.drawMs = draw( result.image.view() );
  if ( mNotices )
    mNotices->clearProblem();
  if ( mStats && mStats->record( result.aggregate.stats(), result.timings, viewport.width(), viewport.height(), mExtras ) )
    QgsMessageLog::logMessage( QStringLiteral( "Density layer '%1' aggregates on the CPU: %2" ).arg( mLayerName, result.aggregate.stats().backendNote ),
                               QStringLiteral( "Gridshade" ), Qgis::MessageLevel::Info );
  mReadyToCompose = true;
  return true;
}

std::shared_ptr<const PointCache> DensityLayerRenderer::obtainCache( const std::function<bool()> &cancelled, Status &problem )
{
  std::shared_ptr<const PointCache> cache = mStore->find( mCacheKey );
  if ( !cache && mBuilder )
  {
    cache = mStore->obtain(
      mCacheKey, mGeneration, [this]( std::shared_ptr<const PointCache> &out ) { return mBuilder->build( mFeedback.get(), out ); },
      cancelled, problem );
    if ( cache && mNotices )
      mNotices->reportCacheBuilt(); // the legend may show the categories now
  }
  const int colours = static_cast<int>( defaultColorKey().size() );
  if ( cache && mAggregation.reduction == Reduction::CountCat && cache->categories.size() > colours )
  {
    // The layer has no colour-key option: "give one colour per category", as the engine says, is
    // no advice here.
    problem = Status::error( QStringLiteral( "field '%1' has %2 distinct values, but count_cat colours at most %3 categories (Datashader's "
                                             "Sets1to3 colour key): choose a field with at most %3 distinct values" )
                               .arg( mSettings.categoryField )
                               .arg( cache->categories.size() )
                               .arg( colours ) );
    return nullptr;
  }
  return cache;
}

Viewport DensityLayerRenderer::canvasGrid( PointColumns &points, AggregateSettings &aggregation ) const
{
  const QgsRenderContext *ctx = renderContext();
  const double dpr = ctx->devicePixelRatio() > 0 ? ctx->devicePixelRatio() : 1.0;
  const QgsMapToPixel &m2p = ctx->mapToPixel();
  const QSize logical = ctx->outputSize();
  Extent extent;
  if ( m2p.mapRotation() != 0.0 )
  {
    points = toScreenFrame( points, m2p, logical.width(), logical.height(), extent );
    // Rotated points are a new point set every render: uploading them to the GPU would cost
    // more than aggregating them here, so "auto" keeps a rotated map on the CPU.
    if ( aggregation.backend == Backend::Auto )
      aggregation.backend = Backend::Cpu;
  }
  else
  {
    const QgsRectangle e = ctx->mapExtent();
    extent = Extent { e.xMinimum(), e.yMinimum(), e.xMaximum(), e.yMaximum() };
  }
  // QGIS rounds the device image (801 x 1.5 -> 1202 px) but draws at logical position x dpr
  // from the top-left corner: so must the grid, or points drift by up to a pixel to the right.
  const QSize device = ctx->deviceOutputSize();
  return Viewport::forDevice( extent, logical.width(), logical.height(), device.width(), device.height(), dpr );
}

double DensityLayerRenderer::draw( const QImage &shaded )
{
  QElapsedTimer timer;
  timer.start();
  QgsRenderContext *ctx = renderContext();
  QImage image = shaded;
  image.setDevicePixelRatio( ctx->devicePixelRatio() > 0 ? ctx->devicePixelRatio() : 1.0 );
  QPainter *painter = ctx->painter();
  painter->save();
  painter->setOpacity( painter->opacity() * mSettings.opacity );
  painter->drawImage( QPointF( 0, 0 ), image );
  painter->restore();
  return timer.nsecsElapsed() / 1e6;
}

bool DensityLayerRenderer::renderRaster( const std::atomic<bool> &stop )
{
  QgsRenderContext *ctx = renderContext();
  if ( ctx->mapToPixel().mapRotation() != 0.0 )
  {
    reportError( QStringLiteral( "raster density layers do not draw on rotated maps yet: set the map rotation to 0" ) );
    mReadyToCompose = true;
    return true;
  }
  if ( !mRasterPool )
  {
    reportError( QStringLiteral( "the raster source is not open" ) );
    mReadyToCompose = true;
    return true;
  }
  RasterReaderPool::Handle reader = mRasterPool->acquire();
  CanvasGrid canvas;
  canvas.extent = ctx->mapExtent();
  canvas.size = ctx->deviceOutputSize();
  canvas.sameCrs = mRasterSameCrs;
  canvas.crsWkt = mMapCrsWkt;
  canvas.coordinateOperation = mCoordinateOperation;
  canvas.sourceExtent = ctx->extent(); // the map extent in the layer's CRS, as QGIS computed it
  CanvasRasterOptions options;
  options.band = mSettings.band;
  options.down = mSettings.agg;
  options.up = mSettings.interpolate;
  CanvasRaster raster;
  Status st = readRasterOnCanvas( *reader, canvas, options, raster, &stop );
  if ( stop.load() || mFeedback->isCanceled() || ctx->renderingStopped() )
    return false;
  RgbaImage image;
  QElapsedTimer timer;
  timer.start();
  if ( st )
    st = shadeRaster( raster.values.data(), raster.alpha.data(), canvas.size.width(), canvas.size.height(), mShading, image );
  if ( !st )
  {
    reportError( st.message() );
    mReadyToCompose = true;
    return true;
  }
  const double shadeMs = timer.nsecsElapsed() / 1e6;
  mExtras.drawMs = draw( image.view() );
  if ( mNotices )
    mNotices->clearProblem();
  if ( mStats )
    mStats->recordRaster( raster.decimation, raster.readSize, raster.readMs, raster.regridMs, shadeMs, canvas.size, mExtras );
  mReadyToCompose = true;
  return true;
}

} // namespace gridshade
