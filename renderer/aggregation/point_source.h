// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "aggregation/aggregate.h"
#include "aggregation/aggregate_settings.h"
#include "core/status.h"

#include <QVariantMap>

#include <atomic>

namespace gridshade
{

/**
 * \brief Where the pipeline's points come from: in-memory columns (ColumnSource), the point
 * index (IndexSource), later a database. A source aggregates itself onto a viewport, because
 * how it does so is what differs (a scan of every point, a traversal of the index's tree, a
 * query); DensityPipeline shades whatever it returns. Each new source is one new class.
 *
 * Implementations are immutable and reentrant: any thread, several renders at once.
 */
class PointSource
{
  public:
    virtual ~PointSource() = default;

    //! Aggregates onto \a viewport as \a settings say; an error names what the source cannot do.
    virtual Status aggregate( const Viewport &viewport, const AggregateSettings &settings, Aggregate &out,
                              const std::atomic<bool> *cancel ) const = 0;

    //! Figures of the last aggregate() on this thread that only this kind of source has (the
    //! index's traversal, say), for stats output; empty by default.
    virtual QVariantMap lastFigures() const { return {}; }
};

} // namespace gridshade
