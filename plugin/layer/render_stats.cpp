// SPDX-License-Identifier: GPL-2.0-or-later
#include "render_stats.h"

#include "aggregation/aggregate.h"
#include "density_pipeline.h"

namespace gridshade
{

bool RenderStatsBox::record( const AggregateStats &stats, const RenderTimings &timings, int width, int height, const RenderExtras &extras )
{
  QVariantMap m;
  m.insert( QStringLiteral( "source" ), QStringLiteral( "points" ) );
  m.insert( QStringLiteral( "backend" ), stats.backend );
  m.insert( QStringLiteral( "device" ), stats.device );
  m.insert( QStringLiteral( "backendNote" ), stats.backendNote );
  m.insert( QStringLiteral( "aggregateMs" ), timings.aggregateMs );
  m.insert( QStringLiteral( "shadeMs" ), timings.shadeMs );
  m.insert( QStringLiteral( "pointsTotal" ), static_cast<qulonglong>( stats.total ) );
  m.insert( QStringLiteral( "pointsInView" ), static_cast<qulonglong>( stats.inView ) );
  m.insert( QStringLiteral( "width" ), width );
  m.insert( QStringLiteral( "height" ), height );
  if ( stats.backend == QLatin1String( "gpu" ) )
  {
    m.insert( QStringLiteral( "gpuResidentBytes" ), static_cast<qulonglong>( stats.deviceResidentBytes ) );
    m.insert( QStringLiteral( "gpuWorkBytes" ), static_cast<qulonglong>( stats.deviceWorkBytes ) );
    m.insert( QStringLiteral( "softwareDevice" ), stats.softwareDevice );
  }
  store( m, extras );
  QMutexLocker lock( &mMutex );
  if ( stats.backendNote.isEmpty() || stats.backendNote == mLoggedNote )
    return false;
  mLoggedNote = stats.backendNote;
  return true;
}

void RenderStatsBox::recordRaster( int decimation, const QSize &readSize, double readMs, double regridMs, double shadeMs, const QSize &size,
                                   const RenderExtras &extras )
{
  QVariantMap m;
  m.insert( QStringLiteral( "source" ), QStringLiteral( "raster" ) );
  m.insert( QStringLiteral( "backend" ), QStringLiteral( "cpu" ) );
  m.insert( QStringLiteral( "decimation" ), decimation );
  m.insert( QStringLiteral( "readWidth" ), readSize.width() );
  m.insert( QStringLiteral( "readHeight" ), readSize.height() );
  m.insert( QStringLiteral( "readMs" ), readMs );
  m.insert( QStringLiteral( "regridMs" ), regridMs );
  m.insert( QStringLiteral( "shadeMs" ), shadeMs );
  m.insert( QStringLiteral( "width" ), size.width() );
  m.insert( QStringLiteral( "height" ), size.height() );
  store( m, extras );
}

void RenderStatsBox::store( QVariantMap stats, const RenderExtras &extras )
{
  if ( stats.value( QStringLiteral( "source" ) ) == QLatin1String( "points" ) )
    stats.insert( QStringLiteral( "cacheMs" ), extras.cacheMs );
  stats.insert( QStringLiteral( "drawMs" ), extras.drawMs );
  if ( !extras.tag.isEmpty() )
    stats.insert( QStringLiteral( "tag" ), extras.tag );
  // The canvas's preview jobs render the map's neighbourhood for panning, up to eight of them
  // after each view, and often last: they must not stand for the view in renderStats.
  if ( extras.tag != QLatin1String( "preview" ) )
  {
    QMutexLocker lock( &mMutex );
    mLast = stats;
  }
  // Outside the lock: a direct connection may call snapshot().
  Q_EMIT recorded( stats );
}

QVariantMap RenderStatsBox::snapshot() const
{
  QMutexLocker lock( &mMutex );
  return mLast;
}

} // namespace gridshade
