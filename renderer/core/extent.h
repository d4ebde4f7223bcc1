// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cmath>

namespace gridshade
{

/**
 * \brief An axis-aligned rectangle in map units (any CRS): xmin <= x <= xmax, ymin <= y <= ymax.
 *
 * A plain value; any thread.
 */
struct Extent
{
    double xmin = 0.0;
    double ymin = 0.0;
    double xmax = 0.0;
    double ymax = 0.0;

    double width() const { return xmax - xmin; }
    double height() const { return ymax - ymin; }

    //! Finite corners and a strictly positive width and height.
    bool isValid() const
    {
      return std::isfinite( xmin ) && std::isfinite( ymin ) && std::isfinite( xmax ) && std::isfinite( ymax )
             && xmax > xmin && ymax > ymin && std::isfinite( xmax - xmin ) && std::isfinite( ymax - ymin );
    }

    bool operator==( const Extent &o ) const
    {
      return xmin == o.xmin && ymin == o.ymin && xmax == o.xmax && ymax == o.ymax;
    }
};

} // namespace gridshade
