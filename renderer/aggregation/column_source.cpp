// SPDX-License-Identifier: GPL-2.0-or-later
#include "column_source.h"

#include "aggregator.h"

namespace gridshade
{

Status ColumnSource::aggregate( const Viewport &viewport, const AggregateSettings &settings, Aggregate &out, const std::atomic<bool> *cancel ) const
{
  return Aggregator::aggregate( mPoints, viewport, settings, out, cancel );
}

} // namespace gridshade
