// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/status.h"
#include "point_cache.h"

#include <QHash>
#include <QMutex>
#include <QString>

#include <functional>
#include <memory>

namespace gridshade
{

/**
 * \brief The point caches of one density layer, one per key: destination CRS, the coordinate
 * operation that took the points there (DensityLayer::cacheKey()), reduction and fields.
 *
 * Shared by the layer (which invalidates it when the source changes) and its renderers (which
 * fill it, possibly several at once on worker threads). Thread-safe. A cache built from a source
 * snapshot older than the latest invalidation is not stored. A build that failed (not one that
 * was cancelled) is remembered as well, so that every render does not read the source again
 * only to fail the same way (a category field with too many values): until invalidate().
 */
class PointCacheStore
{
  public:
    std::shared_ptr<const PointCache> find( const QString &key ) const;

    /**
     * The cache for \a key: found, or built now with \a build, or, when another thread (a
     * background task or another renderer) is already building it, waited for while polling
     * \a cancelled. Only one build per key runs at a time. Returns null with \a status set
     * on failure or cancellation; a failure met before is returned again without a build.
     */
    std::shared_ptr<const PointCache> obtain( const QString &key, uint64_t generation,
                                              const std::function<Status( std::shared_ptr<const PointCache> & )> &build,
                                              const std::function<bool()> &cancelled, Status &status );
    //! True while some thread builds \a key.
    bool isBuilding( const QString &key ) const;
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
    struct Pending;

    mutable QMutex mMutex;
    QHash<QString, std::shared_ptr<const PointCache>> mCaches;
    QHash<QString, std::shared_ptr<Pending>> mPending;
    QHash<QString, Status> mFailures;
    uint64_t mGeneration = 0;
};

} // namespace gridshade
