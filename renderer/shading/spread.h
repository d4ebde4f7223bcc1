// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "aggregation/aggregate.h"
#include "core/rgba_image.h"

#include <vector>

namespace gridshade
{

/**
 * \brief Datashader's spread and dynspread.
 *
 * The circle mask of radius px keeps offsets with sqrt(dx^2 + dy^2) <= px + 0.5. Images spread
 * with "over" compositing, visiting pixels in Datashader's order (its grid rows run south to
 * north, so our image rows are visited bottom-up); count aggregates spread with "add".
 * dynspread tries px = 1..max_px and stops before the first px whose density (the share of
 * non-empty pixels with a non-empty neighbour within 2 px) exceeds the threshold.
 *
 * Stateless; any thread. Inputs are never modified.
 */
class Spread
{
  public:
    //! The (2 px + 1)^2 circle mask, row-major.
    static std::vector<uint8_t> circleMask( int px );
    static RgbaImage spread( const RgbaImage &image, int px );
    //! Spreads a Count aggregate by summing counts over the mask (Datashader's "add").
    static Aggregate spreadCounts( const Aggregate &aggregate, int px );
    static double density( const RgbaImage &image, int px );
    static RgbaImage dynspread( const RgbaImage &image, double threshold = 0.5, int maxPx = 3 );
    //! The px dynspread picks for \a image.
    static int dynspreadRadius( const RgbaImage &image, double threshold, int maxPx );
    //! Datashader's "over" operator on packed RGBA (src over dst).
    static uint32_t over( uint32_t src, uint32_t dst );
};

} // namespace gridshade
