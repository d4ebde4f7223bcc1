// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "aggregation/aggregate.h"
#include "core/status.h"

#include <QString>

namespace gridshade
{

/**
 * \brief Writes an Aggregate as a NumPy .npy file (format 1.0, C order, little-endian):
 * uint32 (H, W) for count, uint32 (H, W, C) for count_cat, float64 (H, W) for the others.
 *
 * Rows are north-up like every engine output, so `np.flipud(np.load(f))` equals Datashader's
 * `agg.values` (whose row 0 is at ymin). Stateless; any thread.
 */
class NpyWriter
{
  public:
    static Status write( const QString &path, const Aggregate &aggregate );
};

} // namespace gridshade
