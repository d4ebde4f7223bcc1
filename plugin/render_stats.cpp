// SPDX-License-Identifier: GPL-2.0-or-later
#include "render_stats.h"

#include "aggregate.h"
#include "density_pipeline.h"

namespace gridshade
{

bool RenderStatsBox::record( const AggregateStats &stats, const RenderTimings &timings, int width, int height )
{
  QVariantMap m;
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
  }
  QMutexLocker lock( &mMutex );
  mLast = m;
  if ( stats.backendNote.isEmpty() || stats.backendNote == mLoggedNote )
    return false;
  mLoggedNote = stats.backendNote;
  return true;
}

QVariantMap RenderStatsBox::snapshot() const
{
  QMutexLocker lock( &mMutex );
  return mLast;
}

} // namespace gridshade
