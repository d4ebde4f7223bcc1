// SPDX-License-Identifier: GPL-2.0-or-later
#include "point_cache_store.h"

#include <QMutexLocker>
#include <QWaitCondition>

namespace gridshade
{

struct PointCacheStore::Pending
{
    QMutex mutex;
    QWaitCondition finished;
    bool done = false;
    Status status;
    std::shared_ptr<const PointCache> cache;
};

std::shared_ptr<const PointCache> PointCacheStore::obtain( const QString &key, uint64_t generation,
                                                           const std::function<Status( std::shared_ptr<const PointCache> & )> &build,
                                                           const std::function<bool()> &cancelled, Status &status )
{
  std::shared_ptr<Pending> pending;
  bool builder = false;
  {
    QMutexLocker lock( &mMutex );
    if ( auto found = mCaches.value( key ) )
      return found;
    if ( auto failed = mFailures.constFind( key ); failed != mFailures.constEnd() )
    {
      status = failed.value();
      return nullptr;
    }
    pending = mPending.value( key );
    if ( !pending )
    {
      pending = std::make_shared<Pending>();
      mPending.insert( key, pending );
      builder = true;
    }
  }
  if ( !builder )
  {
    // Someone else builds it: wait, but stay responsive to cancellation.
    QMutexLocker lock( &pending->mutex );
    while ( !pending->done )
    {
      pending->finished.wait( &pending->mutex, 50 );
      if ( !pending->done && cancelled && cancelled() )
      {
        status = Status::error( QStringLiteral( "cancelled while the point cache was being built" ) );
        return nullptr;
      }
    }
    status = pending->status;
    return pending->cache;
  }
  std::shared_ptr<const PointCache> cache;
  Status result;
  try
  {
    result = build( cache );
  }
  catch ( ... )
  {
    result = Status::error( QStringLiteral( "point cache build failed unexpectedly" ) );
  }
  {
    QMutexLocker lock( &mMutex );
    mPending.remove( key );
    if ( result && cache && generation == mGeneration )
      mCaches.insert( key, cache );
    else if ( !result && generation == mGeneration && !( cancelled && cancelled() ) )
      mFailures.insert( key, result );
  }
  {
    QMutexLocker lock( &pending->mutex );
    pending->done = true;
    pending->status = result;
    pending->cache = result ? cache : nullptr;
    pending->finished.wakeAll();
  }
  status = result;
  return result ? cache : nullptr;
}

bool PointCacheStore::isBuilding( const QString &key ) const
{
  QMutexLocker lock( &mMutex );
  return mPending.contains( key );
}

std::shared_ptr<const PointCache> PointCacheStore::find( const QString &key ) const
{
  QMutexLocker lock( &mMutex );
  return mCaches.value( key );
}

void PointCacheStore::insert( const QString &key, std::shared_ptr<const PointCache> cache, uint64_t generation )
{
  QMutexLocker lock( &mMutex );
  if ( generation == mGeneration )
    mCaches.insert( key, std::move( cache ) );
}

void PointCacheStore::invalidate()
{
  QMutexLocker lock( &mMutex );
  ++mGeneration;
  mCaches.clear();
  mFailures.clear();
}

uint64_t PointCacheStore::generation() const
{
  QMutexLocker lock( &mMutex );
  return mGeneration;
}

QStringList PointCacheStore::anyCategories() const
{
  QMutexLocker lock( &mMutex );
  for ( const auto &c : mCaches )
    if ( !c->categories.isEmpty() )
      return c->categories;
  return QStringList();
}

uint64_t PointCacheStore::bytes() const
{
  QMutexLocker lock( &mMutex );
  uint64_t total = 0;
  for ( const auto &c : mCaches )
    total += c->bytes();
  return total;
}

} // namespace gridshade
