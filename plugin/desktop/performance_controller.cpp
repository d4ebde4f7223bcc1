// SPDX-License-Identifier: GPL-2.0-or-later
#include "performance_controller.h"

#include "core/process_memory.h"
#include "layer/density_layer.h"
#include "performance_dock.h"
#include "render_record.h"

#include <qgisinterface.h>
#include <qgsmessagebar.h>
#include <qgssettings.h>

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSaveFile>

namespace gridshade
{

PerformanceController::PerformanceController( QgisInterface *iface, PerformanceDock *dock, QObject *parent )
  : QObject( parent )
  , mIface( iface )
  , mDock( dock )
{
  connect( mDock, &PerformanceDock::exportRequested, this, &PerformanceController::exportCsv );
}

void PerformanceController::setLayer( DensityLayer *layer )
{
  // A deleted layer leaves mLayer null: a null layer must still clear what the dock shows.
  if ( layer && layer == mLayer )
    return;
  disconnect( mConnection );
  mLayer = layer;
  mDock->setLayerName( layer ? layer->name() : QString() );
  if ( !layer )
    return;
  // The box emits on render threads; queued, so that the dock is only touched on this thread
  // and a render never waits for the dock.
  mConnection = connect( layer->statsBox().get(), &RenderStatsBox::recorded, this, &PerformanceController::recorded, Qt::QueuedConnection );
}

void PerformanceController::recorded( const QVariantMap &stats )
{
  // Preview jobs render the tiles around the view (for panning), up to eight per view: they
  // would drown the view's own renders in the chart.
  if ( !mLayer || stats.value( QStringLiteral( "tag" ) ) == QLatin1String( "preview" ) )
    return;
  RenderRecord record = RenderRecord::fromStats( stats );
  record.layer = mLayer->name();
  record.rssBytes = processResidentBytes();
  if ( !record.isRaster() )
    record.pointCacheBytes = static_cast<qlonglong>( mLayer->cacheBytes() );
  mDock->addRecord( record );
}

void PerformanceController::exportCsv()
{
  QgsSettings settings;
  const QString key = QStringLiteral( "gridshade/performance/lastCsvDir" );
  const QString dir = settings.value( key, QDir::homePath() ).toString();
  const QString path = QFileDialog::getSaveFileName( mDock, tr( "Export Render Figures" ), QDir( dir ).filePath( QStringLiteral( "gridshade_renders.csv" ) ),
                                                     tr( "CSV files (*.csv)" ) );
  if ( path.isEmpty() )
    return;
  settings.setValue( key, QFileInfo( path ).absolutePath() );
  QSaveFile file( path );
  const QByteArray csv = mDock->history().toCsv().toUtf8();
  if ( !file.open( QIODevice::WriteOnly ) || file.write( csv ) != csv.size() || !file.commit() )
  {
    mIface->messageBar()->pushCritical( tr( "Gridshade" ), tr( "Could not write %1: %2" ).arg( path, file.errorString() ) );
    return;
  }
  mIface->messageBar()->pushSuccess( tr( "Gridshade" ), tr( "Saved %n render(s) to %1", nullptr, mDock->history().size() ).arg( path ) );
}

} // namespace gridshade
