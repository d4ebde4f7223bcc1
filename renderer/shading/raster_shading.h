// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/rgba_image.h"
#include "core/status.h"
#include "shade_settings.h"

#include <cstdint>

namespace gridshade
{

/**
 * \brief Shades raster values with the same pipeline as points: the values become a float
 * aggregate (NaN where \a alpha is 0 or the value is NaN, which Datashader's shading leaves
 * transparent), Shader colours it, and each pixel's alpha is then scaled by alpha / 255, so
 * partly masked pixels fade while the colour channels of every valid pixel stay as shaded.
 *
 * \a values: width * height float64, rows north-up; \a alpha: the same count of bytes, or null
 * for "all valid". Reentrant; any thread.
 */
Status shadeRaster( const double *values, const uint8_t *alpha, int width, int height, const ShadeSettings &settings, RgbaImage &out );

} // namespace gridshade
