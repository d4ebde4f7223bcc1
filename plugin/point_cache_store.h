// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "point_cache.h"

#include <QHash>
#include <QMutex>
#include <QString>

#include <memory>

namespace gridshade
{

/**
 * \brief The point caches of one density layer, one per (destination CRS, fields) key.
 *
 * Shared by the layer (which invalidates it when the source changes) and its renderers (which
 * fill it, possibly several at once on worker threads). Thread-safe. A cache built from a source
 * snapshot older than the latest invalidation is not stored.
 */
class PointCacheStore
{
  public:
    std::shared_ptr<const PointCache> find( const QString &key ) const;
    //! Stores \a cache unless the store was invalidated after \a generation was read.
    void insert( const QString &key, std::shared_ptr<const PointCache> cache, uint64_t generation );
    //! Drops every cache (the source's features changed).
    void invalidate();
    uint64_t generation() const;
    //! The category labels of any cache that has them.
    QStringList anyCategories() const;
    //! Bytes held by all caches.
    uint64_t bytes() const;

  private:
    mutable QMutex mMutex;
    QHash<QString, std::shared_ptr<const PointCache>> mCaches;
    uint64_t mGeneration = 0;
};

} // namespace gridshade
