// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "aggregation/aggregate_settings.h"
#include "resident_points.h"
#include "vulkan_device.h"

#include <QByteArray>

#include <atomic>
#include <memory>
#include <vector>

class QRhi;
class QRhiBuffer;
class QRhiComputePipeline;
class QRhiShaderResourceBindings;

namespace gridshade::gpu
{

//! Device memory held by the GPU backend.
struct GpuMemory
{
    uint64_t residentBytes = 0; //!< point buffers kept across renders
    uint64_t workBytes = 0;     //!< grids, parameters and counters of the last render
    uint64_t budgetBytes = 0;   //!< most that resident points may take
    uint64_t deviceLocalBytes = 0;
};

/**
 * \brief Aggregation on one Vulkan device through Qt RHI compute: the device, the pipelines,
 * the resident points and the grids. Every call happens on the GPU thread.
 *
 * One render: clear the grids on the device, then one dispatch per segment of resident points,
 * in frames of SEGMENTS_PER_FRAME segments (2^25 points) so that a cancelled render stops
 * between frames; the last frame reads the grids and drop counters back.
 */
class GpuContext
{
  public:
    static constexpr size_t SEGMENTS_PER_FRAME = 8;

    //! Null with \a reason set when no usable device exists.
    static std::unique_ptr<GpuContext> create( QString *reason );
    ~GpuContext();

    QString description() const { return mDevice.description(); }
    QString name() const { return mDevice.name(); }
    bool supportsValueReductions() const { return mDevice.hasInt64Atomics(); }
    //! A CPU-type Vulkan device (see VulkanDevice::isSoftware()).
    bool isSoftware() const { return mDevice.isSoftware(); }
    GpuMemory memory() const;
    //! True once the device was lost: the context must be dropped.
    bool isLost() const { return mLost; }

    Status aggregate( const PointColumns &points, const Viewport &viewport, const AggregateSettings &settings,
                      Aggregate &out, const std::atomic<bool> *cancel );
    void releaseResidentPoints();

  private:
    GpuContext() = default;
    bool init( QString *reason );
    bool ensureBuffer( QRhiBuffer *&buffer, uint64_t bytes );
    QRhiShaderResourceBindings *fillBindings( int target );
    bool prepareBindings( ResidentSet &set, Reduction reduction, size_t segments );
    Status frameFailed( const char *what );

    VulkanDevice mDevice;
    QRhi *mRhi = nullptr;
    std::unique_ptr<ResidentPointStore> mStore;
    QRhiComputePipeline *mFill = nullptr;
    QRhiComputePipeline *mCount = nullptr;
    QRhiComputePipeline *mCountCat = nullptr;
    QRhiComputePipeline *mSum = nullptr;
    QRhiComputePipeline *mMin = nullptr;
    QRhiComputePipeline *mMax = nullptr;
    QRhiShaderResourceBindings *mLayout = nullptr;     // layout the aggregation pipelines were made with
    QRhiShaderResourceBindings *mFillLayout = nullptr; // same for the fill pipeline
    QRhiBuffer *mDummy = nullptr;                      // bound where a shader declares a buffer it does not use
    // Work buffers, grown as needed and kept: 0 main grid, 1 second grid, 2 drop counters.
    QRhiBuffer *mTargets[3] = { nullptr, nullptr, nullptr };
    QRhiBuffer *mFillParams[3] = { nullptr, nullptr, nullptr };
    QRhiShaderResourceBindings *mFillBindings[3] = { nullptr, nullptr, nullptr };
    uint64_t mFillGeneration[3] = { 0, 0, 0 };
    std::vector<QRhiBuffer *> mSegmentParams;
    uint64_t mTargetsGeneration = 1;
    bool mLost = false;
};

} // namespace gridshade::gpu
