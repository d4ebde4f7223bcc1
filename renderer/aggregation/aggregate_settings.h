// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "aggregate.h"
#include "core/point_columns.h"
#include "core/status.h"
#include "core/viewport.h"

#include <QString>

namespace gridshade
{

//! Where aggregation runs (see Aggregator): the GPU when one is usable, else the CPU.
enum class Backend
{
  Auto,
  Cpu,
  Gpu,
};

//! The most categories count_cat aggregates: each is one uint32 grid of the canvas's size.
constexpr int MAX_CATEGORIES = 1024;

//! What to aggregate, where and with how many threads.
struct AggregateSettings
{
    Reduction reduction = Reduction::Count;
    //! Threads to use on the CPU; 0 means all cores. The result never depends on it.
    int threads = 0;
    //! Read by Aggregator only; CpuAggregator always runs on the CPU.
    Backend backend = Backend::Auto;
};

//! "auto", "cpu", "gpu".
QString backendName( Backend backend );
//! Parses "auto", "cpu" or "gpu" (any case); false when unknown.
bool parseBackend( const QString &name, Backend &backend );

/**
 * Checks what every aggregator checks before any data moves: the viewport, the value or
 * category column that the reduction needs, the category limit.
 */
Status validateAggregation( const PointColumns &points, const Viewport &viewport, const AggregateSettings &settings );

} // namespace gridshade
