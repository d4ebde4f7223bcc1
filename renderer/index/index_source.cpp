// SPDX-License-Identifier: GPL-2.0-or-later
#include "index_source.h"

#include "aggregation/aggregator.h"

namespace gridshade
{

namespace
{
thread_local IndexTraversal lastTraversal;
}

Status IndexSource::aggregate( const Viewport &viewport, const AggregateSettings &settings, Aggregate &out, const std::atomic<bool> *cancel ) const
{
  if ( settings.reduction != Reduction::Count )
    return Status::error( QStringLiteral( "the point index aggregates count only so far; %1 needs the points in memory (no index)" )
                            .arg( reductionName( settings.reduction ) ) );
  lastTraversal = IndexTraversal();
  if ( Status s = mIndex.aggregateCount( viewport, out, &lastTraversal, cancel, settings.threads ); !s )
    return s;
  if ( Aggregator::effectiveBackend( settings.backend ) == Backend::Gpu )
    out.stats().backendNote = QStringLiteral( "the point index aggregates on the CPU (the GPU backend serves in-memory points)" );
  return Status::ok();
}

QVariantMap IndexSource::lastFigures() const
{
  return { { QStringLiteral( "nodes_visited" ), double( lastTraversal.nodesVisited ) },
           { QStringLiteral( "nodes_whole" ), double( lastTraversal.nodesWhole ) },
           { QStringLiteral( "points_whole" ), double( lastTraversal.pointsWhole ) },
           { QStringLiteral( "leaves_scanned" ), double( lastTraversal.leavesScanned ) },
           { QStringLiteral( "points_scanned" ), double( lastTraversal.pointsScanned ) } };
}

} // namespace gridshade
