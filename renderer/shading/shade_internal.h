// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/rgba_image.h"
#include "shade_settings.h"
#include "value_transform.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace gridshade
{
namespace detail
{

//! The span of transformed values, with np.nanmin / np.nanmax semantics. Internal to shading.
struct Span
{
    double lo = std::numeric_limits<double>::quiet_NaN();
    double hi = std::numeric_limits<double>::quiet_NaN();

    // np.nanmin / np.nanmax
    void include( double t )
    {
      if ( std::isnan( t ) )
        return;
      lo = std::isnan( lo ) ? t : std::min( lo, t );
      hi = std::isnan( hi ) ? t : std::max( hi, t );
    }
};

//! With a fixed span Datashader transforms [0, span[1] - span[0]] for the colour knots.
inline Span fixedSpan( const ShadeSettings &s )
{
  const ValueTransform tf( s.how );
  return Span { tf( 0.0 ), tf( s.spanMax - s.spanMin ) };
}


//! Pixel-by-pixel colouring of offset values \a d (masked where \a mask is set). Internal.
void shadeField( const std::vector<double> &d, const std::vector<uint8_t> &mask, bool integer, const ShadeSettings &s,
                 RgbaImage &out );

} // namespace detail
} // namespace gridshade
