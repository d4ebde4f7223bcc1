// SPDX-License-Identifier: GPL-2.0-or-later
#include "point_cache_store.h"

#include <QMutexLocker>

namespace gridshade
{

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
