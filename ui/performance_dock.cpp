// SPDX-License-Identifier: GPL-2.0-or-later
#include "performance_dock.h"

#include "dock_parts.h"
#include "render_chart.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace gridshade
{

namespace
{
QString mebibytes( qlonglong bytes )
{
  return QLocale().toString( static_cast<double>( bytes ) / ( 1024.0 * 1024.0 ), 'f', 1 );
}
} // namespace

PerformanceDock::PerformanceDock( QWidget *parent )
  : QDockWidget( parent )
{
  auto *content = new QWidget();
  auto *form = new QFormLayout();
  form->setRowWrapPolicy( QFormLayout::WrapLongRows );
  mLayer = dockparts::valueLabel( content, "layerValue" );
  mTotal = dockparts::valueLabel( content, "totalValue" );
  mSplit = dockparts::valueLabel( content, "splitValue" );
  mBackend = dockparts::valueLabel( content, "backendValue" );
  mThroughput = dockparts::valueLabel( content, "throughputValue" );
  mMemory = dockparts::valueLabel( content, "memoryValue" );
  mRenders = dockparts::valueLabel( content, "rendersValue" );
  form->addRow( tr( "Layer" ), mLayer );
  form->addRow( tr( "Last render" ), mTotal );
  form->addRow( tr( "Split" ), mSplit );
  form->addRow( tr( "Backend" ), mBackend );
  form->addRow( tr( "Throughput" ), mThroughput );
  form->addRow( tr( "Memory" ), mMemory );
  form->addRow( tr( "Renders" ), mRenders );

  mChart = new RenderChart( content );
  mChart->setObjectName( QStringLiteral( "renderChart" ) );
  mExport = new QPushButton( tr( "Export CSV…" ), content );
  mExport->setObjectName( QStringLiteral( "exportButton" ) );
  mExport->setToolTip( tr( "Save the recorded renders as a CSV file" ) );
  mClear = new QPushButton( tr( "Clear" ), content );
  mClear->setObjectName( QStringLiteral( "clearButton" ) );
  mClear->setToolTip( tr( "Forget the recorded renders" ) );
  auto *buttons = new QHBoxLayout();
  buttons->addWidget( mExport );
  buttons->addWidget( mClear );
  buttons->addStretch();

  auto *layout = new QVBoxLayout( content );
  layout->addLayout( form );
  layout->addWidget( mChart );
  layout->addLayout( buttons );
  layout->addStretch();

  dockparts::frame( this, QStringLiteral( "GridshadePerformanceDock" ), tr( "Gridshade Performance" ), content );

  connect( mExport, &QPushButton::clicked, this, &PerformanceDock::exportRequested );
  connect( mClear, &QPushButton::clicked, this, &PerformanceDock::clearHistory );
  setLayerName( QString() );
  clearHistory();
}

void PerformanceDock::setLayerName( const QString &name )
{
  if ( !name.isEmpty() && name == mLayerName )
    return;
  // The figures shown belong to the previous layer; the history keeps them, named.
  mLayerName = name;
  mLayer->setText( name.isEmpty() ? tr( "no density layer selected" ) : name );
  clearFigures();
}

void PerformanceDock::addRecord( const RenderRecord &record )
{
  mHistory.add( record );
  mChart->setRecords( mHistory.last( mChart->maxBars() ) );
  showRecord( record );
  updateCount();
}

void PerformanceDock::clearHistory()
{
  mHistory.clear();
  mChart->setRecords( {} );
  clearFigures();
  updateCount();
}

void PerformanceDock::updateCount()
{
  mRenders->setText( tr( "%Ln recorded", nullptr, mHistory.size() ) );
  mExport->setEnabled( mHistory.size() > 0 );
  mClear->setEnabled( mHistory.size() > 0 );
}

void PerformanceDock::clearFigures()
{
  for ( QLabel *label : { mTotal, mSplit, mBackend, mThroughput, mMemory } )
  {
    label->setText( dockparts::notKnown() );
    label->setToolTip( QString() );
  }
}

void PerformanceDock::showRecord( const RenderRecord &record )
{
  const QLocale locale;
  QString total = dockparts::notKnown();
  if ( record.hasTimes() )
  {
    total = tr( "%1 ms" ).arg( locale.toString( record.totalMs(), 'f', 1 ) );
    if ( record.width > 0 && record.height > 0 )
      total = tr( "%1 ms at %2 × %3" ).arg( locale.toString( record.totalMs(), 'f', 1 ), QString::number( record.width ), QString::number( record.height ) );
  }
  // Renders of the docks themselves (sweep, SSIM) say so; the map view's have no tag.
  if ( !record.tag.isEmpty() )
    total = tr( "%1 (%2)" ).arg( total, record.tag );
  mTotal->setText( total );

  QStringList split;
  for ( const auto &stage : record.stages() )
  {
    if ( stage.second >= 0 )
      split << QStringLiteral( "%1 %2" ).arg( stage.first, locale.toString( stage.second, 'f', 1 ) );
  }
  mSplit->setText( split.isEmpty() ? dockparts::notKnown() : tr( "%1 ms" ).arg( split.join( QStringLiteral( " · " ) ) ) );

  mBackend->setText( backendText( record ) );
  mBackend->setToolTip( record.backendNote );
  mThroughput->setText( throughputText( record ) );
  mMemory->setText( memoryText( record ) );
}

QString PerformanceDock::backendText( const RenderRecord &record )
{
  QString text;
  // A software Vulkan device is no GPU: saying "GPU" would explain nothing of its speed.
  const QString gpu = record.softwareDevice ? tr( "Software Vulkan (CPU)" ) : tr( "GPU" );
  if ( record.backend == QLatin1String( "gpu" ) )
    text = record.device.isEmpty() ? gpu : tr( "%1 — %2" ).arg( gpu, record.device );
  else if ( record.backend == QLatin1String( "cpu" ) )
    text = tr( "CPU" );
  else
    text = record.backend.isEmpty() ? dockparts::notKnown() : record.backend.toUpper();
  if ( !record.backendNote.isEmpty() )
    text = tr( "%1 (%2)" ).arg( text, record.backendNote );
  return text;
}

QString PerformanceDock::throughputText( const RenderRecord &record )
{
  if ( record.isRaster() )
    return tr( "raster, no points" );
  if ( record.pointsTotal < 0 )
    return dockparts::notKnown();
  const QLocale locale;
  const QString points = tr( "%1 points" ).arg( locale.toString( record.pointsTotal ) );
  const double pps = record.pointsPerSecond();
  if ( pps < 0 )
    return points;
  QString rate;
  if ( pps >= 1e9 )
    rate = tr( "%1 G points/s" ).arg( locale.toString( pps / 1e9, 'f', 2 ) );
  else if ( pps >= 1e5 )
    rate = tr( "%1 M points/s" ).arg( locale.toString( pps / 1e6, 'f', 1 ) );
  else
    rate = tr( "%1 points/s" ).arg( locale.toString( static_cast<qlonglong>( pps + 0.5 ) ) );
  return QStringLiteral( "%1 · %2" ).arg( points, rate );
}

QString PerformanceDock::memoryText( const RenderRecord &record )
{
  QStringList parts;
  if ( record.rssBytes >= 0 )
    parts << tr( "RSS %1 MiB" ).arg( mebibytes( record.rssBytes ) );
  if ( record.pointCacheBytes >= 0 )
    parts << tr( "point cache %1 MiB" ).arg( mebibytes( record.pointCacheBytes ) );
  if ( record.gpuBytes >= 0 )
    parts << tr( "GPU %1 MiB" ).arg( mebibytes( record.gpuBytes ) );
  return parts.isEmpty() ? dockparts::notKnown() : parts.join( QStringLiteral( " · " ) );
}

} // namespace gridshade
