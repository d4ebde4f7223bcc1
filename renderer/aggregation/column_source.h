// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "aggregation/point_source.h"
#include "core/point_columns.h"

namespace gridshade
{

/**
 * \brief In-memory columns as a PointSource: every point is scanned by Aggregator (the CPU or
 * the GPU backend, as the settings ask). Holds the columns by value (PointColumns is a cheap
 * view or shared storage), so it may outlive the caller's copy.
 */
class ColumnSource : public PointSource
{
  public:
    explicit ColumnSource( PointColumns points )
      : mPoints( std::move( points ) )
    {
    }

    Status aggregate( const Viewport &viewport, const AggregateSettings &settings, Aggregate &out,
                      const std::atomic<bool> *cancel ) const override;

  private:
    PointColumns mPoints;
};

} // namespace gridshade
