// SPDX-License-Identifier: GPL-2.0-or-later
#include "zoom_controller.h"

#include "diagnostics/snapshot_runner.h"
#include "diagnostics/web_zoom.h"
#include "layer/density_layer.h"
#include "scene/standard_zooms.h"

#include <qgisinterface.h>
#include <qgsmapcanvas.h>
#include <qgsmessagebar.h>
#include <qgsproject.h>

namespace gridshade
{

ZoomController::ZoomController( QgisInterface *iface, ZoomDock *dock, QObject *parent )
  : QObject( parent )
  , mIface( iface )
  , mDock( dock )
  , mRunner( new SnapshotRunner( this ) )
{
  QgsMapCanvas *canvas = mIface->mapCanvas();
  // extentsChanged covers scale changes too (a new scale is a new extent): one update per view.
  connect( canvas, &QgsMapCanvas::extentsChanged, this, &ZoomController::updateView );
  connect( canvas, &QgsMapCanvas::destinationCrsChanged, this, &ZoomController::updateView );
  connect( mDock, &ZoomDock::zoomRequested, this, &ZoomController::jump );
  connect( mDock, &ZoomDock::sweepRequested, this, &ZoomController::sweep );
  connect( mDock, &ZoomDock::sweepCancelRequested, mRunner, &SnapshotRunner::cancel );
  connect( mRunner, &SnapshotRunner::progress, this, [this]( int index, int count, const QString &tag ) {
    mDock->setSweepStatus( tr( "Rendering %1 (%2 of %3)…" ).arg( tag ).arg( index + 1 ).arg( count ) );
  } );
  connect( mRunner, &SnapshotRunner::rendered, this, &ZoomController::sweepRendered );
  connect( mRunner, &SnapshotRunner::finished, this, &ZoomController::sweepFinished );
  updateView();
}

void ZoomController::setLayer( DensityLayer *layer )
{
  // A deleted layer leaves mLayer null: a null layer must still clear what the dock shows.
  if ( layer && layer == mLayer )
    return;
  mRunner->cancel();
  disconnect( mConnection );
  mLayer = layer;
  mDock->setLayerName( layer ? layer->name() : QString() );
  mDock->setPoints( -1, -1 );
  if ( !layer )
    return;
  const QVariantMap last = layer->renderStats();
  if ( last.contains( QStringLiteral( "pointsTotal" ) ) && !last.contains( QStringLiteral( "tag" ) ) )
    recorded( last );
  mConnection = connect( layer->statsBox().get(), &RenderStatsBox::recorded, this, &ZoomController::recorded, Qt::QueuedConnection );
}

void ZoomController::updateView()
{
  const QgsMapCanvas *canvas = mIface->mapCanvas();
  mDock->setView( webzoom::level( canvas->mapSettings() ), canvas->scale() );
}

void ZoomController::recorded( const QVariantMap &stats )
{
  // Only the canvas's renders describe the view on screen; the sweep's are tagged.
  if ( stats.contains( QStringLiteral( "tag" ) ) )
    return;
  if ( stats.value( QStringLiteral( "source" ) ) == QLatin1String( "raster" ) )
    mDock->setPoints( -1, -1 );
  else
    mDock->setPoints( stats.value( QStringLiteral( "pointsInView" ) ).toLongLong(), stats.value( QStringLiteral( "pointsTotal" ) ).toLongLong() );
}

bool ZoomController::centreFor( ZoomDock::Centre centre, QgsPointXY &out, QString &message ) const
{
  if ( centre == ZoomDock::Centre::StandardScene )
  {
    out = webzoom::sceneCentre();
    return true;
  }
  if ( centre == ZoomDock::Centre::LayerExtent )
  {
    if ( mLayer && !mLayer->extent().isEmpty() )
      out = webzoom::layerCentre( *mLayer, QgsProject::instance()->transformContext() );
    if ( !out.isEmpty() )
      return true;
    // The user's data first, then the user's view: never a place that has nothing to do with either.
    message = mLayer && !mLayer->extent().isEmpty() ? tr( "The centre of the layer's extent cannot be put in EPSG:3857: centred on the current view." )
                                                    : tr( "The density layer has no extent yet (its source is empty or not loaded): centred on the current view." );
  }
  out = webzoom::viewCentre( mIface->mapCanvas()->mapSettings() );
  if ( out.isEmpty() )
  {
    message = tr( "The centre of the current view cannot be put in EPSG:3857." );
    return false;
  }
  return true;
}

void ZoomController::jump( int zoom, ZoomDock::Centre centre )
{
  QgsPointXY c;
  QString message;
  if ( !centreFor( centre, c, message ) )
  {
    mIface->messageBar()->pushWarning( tr( "Gridshade" ), message );
    return;
  }
  if ( !message.isEmpty() )
    mIface->messageBar()->pushInfo( tr( "Gridshade" ), message );
  QgsMapCanvas *canvas = mIface->mapCanvas();
  const QgsMapSettings &ms = canvas->mapSettings();
  const QgsRectangle extent = webzoom::extentAt( zoom, c, ms.outputSize(), ms.destinationCrs(), ms.transformContext() );
  if ( extent.isNull() )
  {
    mIface->messageBar()->pushWarning( tr( "Gridshade" ), tr( "Zoom %1 cannot be shown in the map's CRS %2." ).arg( zoom ).arg( ms.destinationCrs().authid() ) );
    return;
  }
  canvas->setExtent( extent );
  canvas->refresh();
}

void ZoomController::sweep( ZoomDock::Centre centre )
{
  QgsPointXY c;
  QString message;
  if ( !mLayer || !centreFor( centre, c, message ) )
  {
    mDock->setSweepStatus( mLayer ? message : tr( "No density layer to sweep." ) );
    return;
  }
  if ( !message.isEmpty() )
    mIface->messageBar()->pushInfo( tr( "Gridshade" ), message );
  const QgsCoordinateReferenceSystem crs( QStringLiteral( "EPSG:3857" ) );
  const QSize size( standard::WIDTH, standard::HEIGHT );
  QList<SnapshotRequest> requests;
  for ( int zoom : ZoomDock::standardZooms() )
  {
    SnapshotRequest r;
    r.tag = QStringLiteral( "Z%1" ).arg( zoom );
    r.settings = mIface->mapCanvas()->mapSettings();
    r.settings.setDestinationCrs( crs );
    r.settings.setOutputSize( size );
    r.settings.setDevicePixelRatio( 1.0 );
    r.settings.setRotation( 0.0 );
    r.settings.setExtent( webzoom::extentAt( zoom, c, size, crs, QgsProject::instance()->transformContext() ) );
    requests << r;
  }
  mDock->clearSweep();
  mSweepClock.start();
  if ( mRunner->start( mLayer, requests ) )
    mDock->setSweepRunning( true );
}

void ZoomController::sweepRendered( const SnapshotResult &result )
{
  const QVariantMap &s = result.stats;
  const bool raster = s.value( QStringLiteral( "source" ) ) == QLatin1String( "raster" );
  auto ms = [&s]( const char *key ) { return s.contains( QLatin1String( key ) ) ? s.value( QLatin1String( key ) ).toDouble() : -1.0; };
  SweepRow row;
  row.zoom = result.tag;
  row.totalMs = result.renderMs;
  row.firstMs = raster ? ms( "readMs" ) : ms( "cacheMs" );
  row.secondMs = raster ? ms( "regridMs" ) : ms( "aggregateMs" );
  row.shadeMs = ms( "shadeMs" );
  row.pointsInView = s.contains( QStringLiteral( "pointsInView" ) ) ? s.value( QStringLiteral( "pointsInView" ) ).toLongLong() : -1;
  row.pointsTotal = s.contains( QStringLiteral( "pointsTotal" ) ) ? s.value( QStringLiteral( "pointsTotal" ) ).toLongLong() : -1;
  mDock->addSweepRow( row );
  if ( !result.errors.isEmpty() )
    mIface->messageBar()->pushWarning( tr( "Gridshade" ), tr( "Sweep at %1: %2" ).arg( result.tag, result.errors.join( QStringLiteral( "; " ) ) ) );
}

void ZoomController::sweepFinished( bool cancelled )
{
  mDock->setSweepRunning( false );
  mDock->setSweepStatus( cancelled ? tr( "Sweep cancelled." )
                                   : tr( "Swept %1 zooms in %2 s." ).arg( mDock->sweepRows().size() ).arg( mSweepClock.elapsed() / 1000.0, 0, 'f', 2 ) );
}

} // namespace gridshade
