// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "aggregation/aggregate_settings.h"

#include <QString>

#include <atomic>
#include <cstdint>

namespace gridshade
{

//! What the GPU backend is and holds.
struct GpuStatus
{
    bool available = false;
    QString device;            //!< e.g. "NVIDIA H100 80GB HBM3 (Vulkan 1.3.289, driver 580.159)"
    QString name;              //!< the device's own name, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)"
    QString reason;            //!< why not available
    bool valueReductions = false; //!< sum, mean, min, max supported (64-bit atomics)
    bool software = false;        //!< a CPU-type Vulkan device (lavapipe): backend auto does not use it
    uint64_t residentBytes = 0;   //!< point buffers kept on the device
    uint64_t workBytes = 0;       //!< grids and counters of the last render
    uint64_t budgetBytes = 0;     //!< most that resident points may take (GRIDSHADE_GPU_MEMORY_MB)
    uint64_t deviceLocalBytes = 0;
};

/**
 * \brief Aggregation on the GPU through Qt RHI compute (Vulkan), with CpuAggregator's results.
 *
 * count and count_cat equal the CPU's bit for bit (the bin of every point is computed in double
 * exactly as the CPU does; integer atomics commute). min and max equal the CPU's too (an exact
 * order-preserving key). sum and mean add in a different order than the CPU, so they agree
 * within rounding: |gpu - cpu| <= 2 (n - 1) 2^-53 sum(|v|) for a pixel of n values.
 *
 * Points are uploaded once per PointColumns (see ResidentPointStore) and reused by later
 * renders. All GPU work runs on one service thread that owns the QRhi; any thread may call.
 * The device is created on first use and needs a Qt GUI platform with Vulkan (not "offscreen").
 */
class GpuAggregator
{
  public:
    //! Creates the device on first call (when \a initialise); later calls are cheap.
    static GpuStatus status( bool initialise = true );

    /**
     * The device the backend would use (available, device, name, software, valueReductions,
     * deviceLocalBytes, or reason), chosen without opening it when no context exists yet:
     * backend auto asks this, so that a software device it will not use is never opened.
     * Remembered after the first call; later calls are cheap.
     */
    static GpuStatus device();

    //! Errors when no device is usable, on allocation failure or device loss; the caller falls back.
    static Status aggregate( const PointColumns &points, const Viewport &viewport, const AggregateSettings &settings,
                             Aggregate &out, const std::atomic<bool> *cancel = nullptr );

    //! Frees the point buffers kept on the device.
    static void releaseResidentPoints();

    //! Destroys the device and stops the service thread; a later call starts them again.
    static void shutdown();
};

} // namespace gridshade
