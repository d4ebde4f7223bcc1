// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/point_columns.h"
#include "core/status.h"

#include <cstdint>
#include <list>
#include <memory>
#include <vector>

class QRhi;
class QRhiBuffer;
class QRhiShaderResourceBindings;

namespace gridshade::gpu
{

//! One column of points on the device, cut into segments of at most segmentPoints() points.
struct ResidentColumn
{
    uint64_t id = 0;   //!< PointColumns' column id, 0 when not uploaded
    size_t count = 0;  //!< points uploaded
    std::vector<QRhiBuffer *> segments;
    uint64_t bytes = 0;
};

//! The device copy of one PointColumns (x, y, and the value or category column once needed).
struct ResidentSet
{
    uint64_t coordinatesId = 0;
    std::weak_ptr<const uint64_t> lifetime;
    ResidentColumn x, y, values, categories;
    uint64_t lastUse = 0;
    //! Shader bindings per segment, owned here, rebuilt when bindingsKey changes.
    std::vector<QRhiShaderResourceBindings *> bindings;
    uint64_t bindingsKey = 0;

    uint64_t bytes() const { return x.bytes + y.bytes + values.bytes + categories.bytes; }
};

/**
 * \brief Points uploaded once into device-local buffers and reused across renders.
 *
 * Keyed by PointColumns::coordinatesId(): a later render of the same point cache (or of a
 * prefix of it) finds its buffers here. Entries whose PointColumns are all gone are dropped at
 * the next call; the least recently used go when the memory budget is exceeded.
 *
 * Uploads are cut so that at most STAGING_BYTES of host-visible staging memory is in flight:
 * each segment is an Immutable buffer, whose staging copy Qt RHI frees once its frame is done,
 * and a frame is submitted (and waited for) whenever STAGING_BYTES have been queued.
 *
 * Lives on the GPU thread, like the QRhi.
 */
class ResidentPointStore
{
  public:
    static constexpr uint64_t STAGING_BYTES = uint64_t( 128 ) << 20;

    ResidentPointStore( QRhi *rhi, size_t segmentPoints, uint64_t budgetBytes );
    ~ResidentPointStore();

    size_t segmentPoints() const { return mSegmentPoints; }
    uint64_t budgetBytes() const { return mBudget; }
    uint64_t bytes() const;

    /**
     * The resident copy of \a points with the columns asked for, uploading what is missing.
     * Null with \a status set when the points do not fit the budget or an allocation fails.
     */
    ResidentSet *obtain( const PointColumns &points, bool needValues, bool needCategories, Status &status );

    void clear();

  private:
    void dropExpired();
    void release( ResidentColumn &column );
    void releaseSet( ResidentSet &set );
    bool evictFor( uint64_t bytes, const ResidentSet *keep );
    Status upload( ResidentColumn &column, uint64_t id, const void *data, size_t elementBytes, size_t count );

    QRhi *mRhi = nullptr;
    size_t mSegmentPoints = 0;
    uint64_t mBudget = 0;
    uint64_t mClock = 0;
    std::list<ResidentSet> mSets;
};

} // namespace gridshade::gpu
