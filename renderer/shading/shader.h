// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "aggregation/aggregate.h"
#include "core/rgba_image.h"
#include "core/status.h"
#include "shade_settings.h"

#include <atomic>

namespace gridshade
{

/**
 * \brief Turns an Aggregate into an RgbaImage exactly as Datashader 0.19's shade() (then
 * spread / dynspread when asked) would, with one documented difference: every empty pixel is
 * (0, 0, 0, 0), where Datashader leaves a colour behind alpha 0 for single-colour and
 * categorical maps.
 *
 * Count and float aggregates take the colormap path (_interpolate); count_cat aggregates the
 * category-mixing path (_colorize), whose colours come from ShadeSettings::colorKey.
 *
 * Stateless and reentrant: any thread, any time. Shading never changes the aggregate, so a
 * new colormap or `how` only needs a new call, never a new aggregation.
 */
class Shader
{
  public:
    static Status shade( const Aggregate &aggregate, const ShadeSettings &settings, RgbaImage &out );
};

namespace detail
{
Status shadeCounts( const Aggregate &aggregate, const ShadeSettings &settings, RgbaImage &out );
Status shadeFloats( const Aggregate &aggregate, const ShadeSettings &settings, RgbaImage &out );
Status shadeCategories( const Aggregate &aggregate, const ShadeSettings &settings, RgbaImage &out );
} // namespace detail

} // namespace gridshade
