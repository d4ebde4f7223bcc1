// SPDX-License-Identifier: GPL-2.0-or-later
#include "snapshot_runner.h"

#include "layer/density_layer.h"

#include <qgsmaprendererparalleljob.h>

namespace gridshade
{

SnapshotRunner::SnapshotRunner( QObject *parent )
  : QObject( parent )
{}

SnapshotRunner::~SnapshotRunner()
{
  if ( mJob )
  {
    // The job's workers use the layer's renderers: wait for them before the job goes.
    disconnect( mJob.get(), nullptr, this, nullptr );
    mJob->cancelWithoutBlocking();
    mJob->waitForFinished();
  }
}

bool SnapshotRunner::start( DensityLayer *layer, const QList<SnapshotRequest> &requests )
{
  if ( mJob || !layer || requests.isEmpty() )
    return false;
  mLayer = layer;
  mRequests = requests;
  mIndex = 0;
  mCancelled = false;
  // Queued: the box emits from render threads; the figures must arrive on this (GUI) thread.
  mStatsConnection = connect( layer->statsBox().get(), &RenderStatsBox::recorded, this, &SnapshotRunner::statsRecorded, Qt::QueuedConnection );
  startNext();
  return true;
}

void SnapshotRunner::cancel()
{
  mCancelled = true;
  if ( mJob )
    mJob->cancelWithoutBlocking();
}

void SnapshotRunner::startNext()
{
  if ( mCancelled || !mLayer || mIndex >= mRequests.size() )
  {
    stop( mCancelled || !mLayer );
    return;
  }
  const SnapshotRequest &request = mRequests.at( mIndex );
  QgsMapSettings settings = request.settings;
  settings.setLayers( { mLayer.data() } );
  // Transparent: the layer's own alpha survives, for comparisons with the engine's RGBA.
  settings.setBackgroundColor( Qt::transparent );
  settings.setCustomRenderingFlag( QStringLiteral( "gridshade/tag" ), request.tag );
  if ( !request.backend.isEmpty() )
    settings.setCustomRenderingFlag( QStringLiteral( "gridshade/backend" ), request.backend );
  mStats.clear();
  Q_EMIT progress( mIndex, mRequests.size(), request.tag );
  mJob = std::make_unique<QgsMapRendererParallelJob>( settings );
  connect( mJob.get(), &QgsMapRendererJob::finished, this, &SnapshotRunner::jobFinished );
  mJob->start();
}

void SnapshotRunner::statsRecorded( const QVariantMap &stats )
{
  if ( mIndex < mRequests.size() && stats.value( QStringLiteral( "tag" ) ).toString() == mRequests.at( mIndex ).tag )
    mStats = stats;
}

void SnapshotRunner::jobFinished()
{
  // This runs inside the job's finished() signal: delete it later, not here.
  QgsMapRendererParallelJob *job = mJob.release();
  job->deleteLater();
  if ( mCancelled || !mLayer )
  {
    stop( true );
    return;
  }
  SnapshotResult result;
  result.tag = mRequests.at( mIndex ).tag;
  result.image = job->renderedImage().convertToFormat( QImage::Format_RGBA8888 );
  result.image.setDevicePixelRatio( 1.0 );
  result.renderMs = job->renderingTime();
  for ( const QgsMapRendererJob::Error &e : job->errors() )
    result.errors << e.message;
  // The renderer records before the job finishes, so its queued figures came first; the
  // layer's last figures are the fallback should another render's have overtaken them.
  result.stats = mStats;
  if ( result.stats.isEmpty() && mLayer->renderStats().value( QStringLiteral( "tag" ) ).toString() == result.tag )
    result.stats = mLayer->renderStats();
  ++mIndex;
  Q_EMIT rendered( result );
  startNext();
}

void SnapshotRunner::stop( bool cancelled )
{
  disconnect( mStatsConnection );
  mRequests.clear();
  mIndex = 0;
  Q_EMIT finished( cancelled );
}

} // namespace gridshade
