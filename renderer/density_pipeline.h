// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "aggregation/aggregate.h"
#include "aggregation/cpu_aggregator.h"
#include "core/rgba_image.h"
#include "shading/shade_settings.h"

#include <atomic>

namespace gridshade
{

class PointSource;

//! Wall-clock milliseconds of the stages of one render.
struct RenderTimings
{
    double aggregateMs = 0.0;
    double shadeMs = 0.0;
};

//! The aggregate (kept so that a new colormap only needs a reshade), the image and timings.
struct RenderResult
{
    Aggregate aggregate;
    RgbaImage image;
    RenderTimings timings;
};

/**
 * \brief One density render: aggregate the points on the viewport's grid, then shade.
 *
 * Settings are validated before any data moves. Reentrant; any thread. \a cancel is polled
 * between blocks of points and before shading.
 */
class DensityPipeline
{
  public:
    static Status render( const PointColumns &points, const Viewport &viewport, const AggregateSettings &aggregation,
                          const ShadeSettings &shading, RenderResult &out, const std::atomic<bool> *cancel = nullptr );
    //! The same from any PointSource (in-memory columns, the point index, ...).
    static Status render( const PointSource &source, const Viewport &viewport, const AggregateSettings &aggregation,
                          const ShadeSettings &shading, RenderResult &out, const std::atomic<bool> *cancel = nullptr );
};

} // namespace gridshade
