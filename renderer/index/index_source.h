// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "aggregation/point_source.h"
#include "index/point_index.h"

namespace gridshade
{

/**
 * \brief A PointIndex as a PointSource: counts by a traversal of the index's tree on the CPU
 * (the GPU backend serves in-memory sources only, for now). Other reductions are refused with
 * the reason until the index stores their node aggregates.
 */
class IndexSource : public PointSource
{
  public:
    explicit IndexSource( PointIndex index )
      : mIndex( std::move( index ) )
    {
    }

    Status aggregate( const Viewport &viewport, const AggregateSettings &settings, Aggregate &out,
                      const std::atomic<bool> *cancel ) const override;
    //! nodes_visited, nodes_whole, points_whole, leaves_scanned, points_scanned.
    QVariantMap lastFigures() const override;

  private:
    PointIndex mIndex;
};

} // namespace gridshade
