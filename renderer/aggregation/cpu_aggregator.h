// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "aggregate.h"
#include "aggregate_settings.h"
#include "core/point_columns.h"
#include "core/status.h"
#include "core/viewport.h"

#include <atomic>

namespace gridshade
{

/**
 * \brief Aggregates points onto a Viewport on all CPU cores, with Datashader's results.
 *
 * The result is independent of the thread count, bit for bit: count sums per-thread integer
 * grids; the floating reductions (sum, mean, min, max) and count_cat first bin every point in
 * parallel, then give each thread a band of pixels that it reduces in point order, which is
 * exactly Datashader's sequential order.
 *
 * Stateless and reentrant: any thread may call aggregate() at any time. The points must stay
 * alive and unchanged during the call. \a cancel, when given, is polled every 64 Ki points.
 */
class CpuAggregator
{
  public:
    static Status aggregate( const PointColumns &points, const Viewport &viewport, const AggregateSettings &settings,
                             Aggregate &out, const std::atomic<bool> *cancel = nullptr );
};

} // namespace gridshade
