// SPDX-License-Identifier: GPL-2.0-or-later
#include "point_cache_task.h"

#include "layer/layer_notices.h"
#include "point_cache_builder.h"

#include <qgsfeedback.h>
#include <qgsmessagelog.h>

namespace gridshade
{

PointCacheTask::PointCacheTask( const QString &layerName, std::unique_ptr<PointCacheBuilder> builder,
                                std::shared_ptr<PointCacheStore> store, std::shared_ptr<LayerNotices> notices, const QString &key,
                                uint64_t generation )
  : QgsTask( tr( "Reading points for density layer '%1'" ).arg( layerName ), QgsTask::CanCancel | QgsTask::CancelWithoutPrompt )
  , mBuilder( std::move( builder ) )
  , mStore( std::move( store ) )
  , mNotices( std::move( notices ) )
  , mLayerName( layerName )
  , mKey( key )
  , mGeneration( generation )
  , mFeedback( std::make_unique<QgsFeedback>() )
{
  connect( mFeedback.get(), &QgsFeedback::progressChanged, this, [this]( double p ) { setProgress( p ); }, Qt::DirectConnection );
}

PointCacheTask::~PointCacheTask() = default;

void PointCacheTask::cancel()
{
  // isCanceled() first: the store must see a cancellation, not a failure to remember, as soon
  // as the feedback stops the build.
  QgsTask::cancel();
  mFeedback->cancel();
}

bool PointCacheTask::run()
{
  try
  {
    Status status;
    const auto cache = mStore->obtain(
      mKey, mGeneration, [this]( std::shared_ptr<const PointCache> &out ) { return mBuilder->build( mFeedback.get(), out ); },
      [this] { return isCanceled(); }, status );
    if ( cache )
      mNotices->reportCacheBuilt();
    else if ( !isCanceled() )
    {
      mNotices->reportProblem( status.message() );
      QgsMessageLog::logMessage( QStringLiteral( "Density layer '%1': %2" ).arg( mLayerName, status.message() ), QStringLiteral( "Gridshade" ),
                                 Qgis::MessageLevel::Warning );
    }
    return cache != nullptr;
  }
  catch ( ... )
  {
    return false;
  }
}

} // namespace gridshade
