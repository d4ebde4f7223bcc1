// SPDX-License-Identifier: GPL-2.0-or-later
#include "ssim_controller.h"

#include "checks/ssim.h"
#include "gpu/gpu_aggregator.h"
#include "diagnostics/snapshot_runner.h"
#include "diagnostics/web_zoom.h"
#include "layer/density_layer.h"

#include <qgisinterface.h>
#include <qgsmapcanvas.h>
#include <qgsproject.h>

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTime>

namespace gridshade
{

namespace
{
QString viewText( const QgsMapSettings &view )
{
  return QObject::tr( "zoom %1 at %2 × %3 in %4" )
    .arg( webzoom::level( view ), 0, 'f', 2 )
    .arg( view.outputSize().width() )
    .arg( view.outputSize().height() )
    .arg( view.destinationCrs().authid() );
}
} // namespace

SsimController::SsimController( QgisInterface *iface, SsimDock *dock, QObject *parent )
  : QObject( parent )
  , mIface( iface )
  , mDock( dock )
  , mRunner( new SnapshotRunner( this ) )
{
  connect( mDock, &SsimDock::compareRequested, this, &SsimController::compare );
  connect( mDock, &SsimDock::saveRenderRequested, this, &SsimController::saveRender );
  connect( mRunner, &SnapshotRunner::rendered, this, &SsimController::rendered );
  connect( mRunner, &SnapshotRunner::finished, this, &SsimController::finished );
}

void SsimController::setLayer( DensityLayer *layer )
{
  // A deleted layer leaves mLayer null: a null layer must still clear what the dock shows.
  if ( layer && layer == mLayer )
    return;
  mRunner->cancel();
  mLayer = layer;
  // A saved render belongs to the layer it was made of.
  mSaved = QImage();
  mDock->setSavedRender( false );
  mDock->setLayerName( layer ? layer->name() : QString() );
}

QgsMapSettings SsimController::canvasView() const
{
  return mIface->mapCanvas()->mapSettings();
}

bool SsimController::goldenView( const QString &path, const QImage &golden, QgsMapSettings &view, QString &error ) const
{
  view = canvasView();
  const QString sidecar = QFileInfo( path ).path() + QLatin1Char( '/' ) + QFileInfo( path ).completeBaseName() + QStringLiteral( ".json" );
  QFile f( sidecar );
  if ( !f.open( QIODevice::ReadOnly ) )
  {
    // No sidecar: the canvas's view, rendered at the golden's size.
    view.setOutputSize( golden.size() );
    view.setDevicePixelRatio( 1.0 );
    return true;
  }
  const QJsonObject o = QJsonDocument::fromJson( f.readAll() ).object();
  const QJsonArray e = o.value( QStringLiteral( "extent" ) ).toArray();
  const QgsCoordinateReferenceSystem crs( o.value( QStringLiteral( "crs" ) ).toString() );
  if ( e.size() != 4 || !crs.isValid() )
  {
    error = tr( "%1 has no usable \"extent\" (4 numbers) and \"crs\"" ).arg( sidecar );
    return false;
  }
  view.setDestinationCrs( crs );
  view.setOutputSize( golden.size() );
  view.setDevicePixelRatio( 1.0 );
  view.setRotation( 0.0 );
  view.setExtent( QgsRectangle( e.at( 0 ).toDouble(), e.at( 1 ).toDouble(), e.at( 2 ).toDouble(), e.at( 3 ).toDouble() ) );
  return true;
}

void SsimController::saveRender()
{
  if ( !mLayer || mRunner->isRunning() )
    return;
  mPending = Pending::Save;
  mResults.clear();
  SnapshotRequest r;
  r.tag = QStringLiteral( "ssim:saved" );
  r.settings = canvasView();
  mSavedView = r.settings;
  mDock->setBusy( true );
  mRunner->start( mLayer, { r } );
}

void SsimController::compare( SsimDock::Reference reference, const QString &goldenPath )
{
  if ( !mLayer || mRunner->isRunning() )
    return;
  mReference = reference;
  mResults.clear();
  QList<SnapshotRequest> requests;
  SnapshotRequest r;
  r.tag = QStringLiteral( "ssim:current" );
  r.settings = canvasView();
  if ( reference == SsimDock::Reference::GoldenImage )
  {
    mReferenceImage = QImage( goldenPath ).convertToFormat( QImage::Format_RGBA8888 );
    QString error;
    if ( mReferenceImage.isNull() )
      return fail( tr( "Cannot read %1 as an image." ).arg( goldenPath ) );
    if ( !goldenView( goldenPath, mReferenceImage, r.settings, error ) )
      return fail( error );
    mDescription = tr( "%1 vs the current render (%2)" ).arg( QFileInfo( goldenPath ).fileName(), viewText( r.settings ) );
    requests << r;
  }
  else if ( reference == SsimDock::Reference::SavedRender )
  {
    if ( mSaved.isNull() )
      return fail( tr( "No render saved yet: press \"Save current render\" first." ) );
    mReferenceImage = mSaved;
    r.settings = mSavedView;
    mDescription = tr( "Saved render vs now (%1)" ).arg( viewText( r.settings ) );
    requests << r;
  }
  else
  {
    if ( mLayer->settings().isRaster() )
      return fail( tr( "Raster density layers render on the CPU only: there is no other backend to compare." ) );
    r.tag = QStringLiteral( "ssim:cpu" );
    r.backend = QStringLiteral( "cpu" );
    SnapshotRequest gpu = r;
    gpu.tag = QStringLiteral( "ssim:gpu" );
    gpu.backend = QStringLiteral( "gpu" );
    mDescription = tr( "CPU vs GPU (%1)" ).arg( viewText( r.settings ) );
    requests << r << gpu;
  }
  mPending = Pending::Compare;
  mDock->setBusy( true );
  mRunner->start( mLayer, requests );
}

void SsimController::rendered( const SnapshotResult &result )
{
  mResults << result;
}

void SsimController::fail( const QString &message )
{
  mDock->setBusy( false );
  mDock->showError( message );
}

void SsimController::finished( bool cancelled )
{
  const Pending pending = std::exchange( mPending, Pending::None );
  if ( cancelled )
    return fail( tr( "Cancelled." ) );
  for ( const SnapshotResult &r : std::as_const( mResults ) )
    if ( !r.errors.isEmpty() )
      return fail( r.errors.join( QLatin1Char( '\n' ) ) );
  if ( pending == Pending::Save && mResults.size() == 1 )
  {
    mSaved = mResults.first().image;
    mDock->setBusy( false );
    mDock->setSavedRender( true, tr( "%1, saved at %2" ).arg( viewText( mSavedView ), QTime::currentTime().toString( Qt::ISODate ) ) );
    return;
  }
  QImage a = mReferenceImage, b;
  if ( mReference == SsimDock::Reference::OtherBackend && mResults.size() == 2 )
  {
    const QVariantMap gpuStats = mResults.at( 1 ).stats;
    if ( gpuStats.value( QStringLiteral( "backend" ) ) != QLatin1String( "gpu" ) )
      return fail( tr( "The GPU backend did not run here: %1" )
                     .arg( gpuStats.value( QStringLiteral( "backendNote" ), tr( "no figures came back from the render" ) ).toString() ) );
    a = mResults.at( 0 ).image;
    const bool software = gpuStats.value( QStringLiteral( "softwareDevice" ) ).toBool();
    mDescription += ( software ? tr( ", software Vulkan (CPU) %1" ) : tr( ", GPU %1" ) ).arg( gpuStats.value( QStringLiteral( "device" ) ).toString() );
    b = mResults.at( 1 ).image;
    if ( software && !anyLayerAsksForGpu() )
    {
      // The comparison forced the GPU backend onto a software device that auto never uses:
      // give back its memory (device, compiled shaders, a copy of the points; 60 MiB with 1e6
      // points on lavapipe) instead of keeping it for renders that will not come.
      GpuAggregator::shutdown();
    }
  }
  else if ( mResults.size() == 1 )
    b = mResults.first().image;
  const SsimReport report = Ssim::report( a, b );
  if ( report.ssim < 0 )
    return fail( tr( "The images cannot be compared: %1 × %2 against %3 × %4 (SSIM needs equal sizes of at least 7 × 7)." )
                   .arg( a.width() )
                   .arg( a.height() )
                   .arg( b.width() )
                   .arg( b.height() ) );
  SsimOutcome outcome;
  outcome.ssim = report.ssim;
  outcome.worst = report.worst;
  outcome.worstSsim = report.worstSsim;
  outcome.diff = report.diff;
  outcome.differingPixels = static_cast<int>( report.differingPixels );
  outcome.description = mDescription;
  mDock->setBusy( false );
  mDock->showOutcome( outcome );
}

bool SsimController::anyLayerAsksForGpu()
{
  const QMap<QString, QgsMapLayer *> layers = QgsProject::instance()->mapLayers();
  for ( QgsMapLayer *layer : layers )
  {
    const DensityLayer *density = qobject_cast<const DensityLayer *>( layer );
    if ( density && density->settings().backend == Backend::Gpu )
      return true;
  }
  return false;
}

} // namespace gridshade
