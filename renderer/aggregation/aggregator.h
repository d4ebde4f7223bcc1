// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "aggregate_settings.h"

#include <atomic>

namespace gridshade
{

/**
 * \brief Aggregation on the backend that settings.backend asks for, with the CPU as fallback.
 *
 * - auto: the GPU when a Vulkan device with compute (and float64) can be created and is a real
 *   GPU, else the CPU; a software Vulkan device (Mesa's lavapipe, a CPU-type device) is slower
 *   than the CPU backend and is skipped. The reason is logged once per process and is the
 *   result's backendNote.
 * - gpu: any usable Vulkan device, software ones included (stats().softwareDevice says so); a
 *   fallback is logged every time.
 * - cpu: the CPU.
 * The environment variable GRIDSHADE_BACKEND (auto, cpu, gpu) overrides the setting.
 *
 * A GPU failure (device loss, allocation failure, a budget that the points exceed, a reduction
 * the device cannot do) renders that frame on the CPU instead; the result's stats name the
 * backend that ran, its device, and why the CPU ran when the GPU was asked for. A cancelled
 * aggregation is not retried.
 */
class Aggregator
{
  public:
    //! \a requested, or GRIDSHADE_BACKEND when that is set to a valid name.
    static Backend effectiveBackend( Backend requested );

    static Status aggregate( const PointColumns &points, const Viewport &viewport, const AggregateSettings &settings,
                             Aggregate &out, const std::atomic<bool> *cancel = nullptr );
};

} // namespace gridshade
