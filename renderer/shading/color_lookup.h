// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "colormap.h"
#include "numpy_compat.h"

#include <cstdint>
#include <memory>

namespace gridshade
{

/**
 * \brief Maps a transformed value to an RGBA pixel the way Datashader's _interpolate does,
 * given the span [lo, hi] of the transformed data.
 *
 * Colour lists: each channel is np.interp over linspace(lo, hi, n) knots (left = 255), truncated
 * to uint8, alpha = \a alpha. A single colour: alpha is np.interp over the knots of
 * arange(min_alpha, alpha + 1) (left 0, right 255), truncated; RGB is the colour. NaN gives a
 * transparent (0, 0, 0, 0) pixel.
 *
 * Immutable; any thread.
 */
class ColorLookup
{
  public:
    ColorLookup( const Colormap &colormap, double lo, double hi, int alpha, int minAlpha );

    uint32_t operator()( double t ) const;

  private:
    bool mSingle = false;
    Rgb mColor;
    uint8_t mAlpha = 255;
    std::unique_ptr<numpy::Interp> mR;
    std::unique_ptr<numpy::Interp> mG;
    std::unique_ptr<numpy::Interp> mB;
    std::unique_ptr<numpy::Interp> mA;
};

} // namespace gridshade
