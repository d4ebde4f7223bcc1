// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/status.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace gridshade
{

//! An opaque 8-bit colour.
struct Rgb
{
    uint8_t r = 0;
    uint8_t g = 0;
    uint8_t b = 0;
    bool operator==( const Rgb &o ) const { return r == o.r && g == o.g && b == o.b; }
};

/**
 * \brief A colormap as Datashader's shade() takes it: a list of colours interpolated linearly
 * over evenly spaced knots, or a single colour whose alpha ramps from min_alpha to alpha.
 *
 * Named maps: fire (colorcet linear_kryw_0-100_c71), viridis, inferno, magma (matplotlib's data)
 * as 256 colours each with int(v*255) per channel, and gray (black to white). parse() also takes
 * "#rrggbb,#rrggbb[,...]" (any colour list, such as a two-colour ramp) and a single colour
 * ("#rrggbb" or an SVG name) for the alpha ramp.
 *
 * A plain value; any thread. The named maps are read from the library's resources once.
 */
class Colormap
{
  public:
    enum class Kind
    {
      List,
      SingleColor,
    };

    Colormap() = default;
    static Colormap fromColors( std::vector<Rgb> colors, const QString &name = QString() );
    static Colormap singleColor( Rgb color, const QString &name = QString() );

    //! A named map, a comma-separated colour list or a single colour; an error names the bad part.
    static Status parse( const QString &spec, Colormap &out );
    static QStringList names();
    //! The named map; the default colormap ("fire") when the name is unknown.
    static Colormap named( const QString &name );

    Kind kind() const { return mKind; }
    const std::vector<Rgb> &colors() const { return mColors; }
    //! The colour of a SingleColor map.
    Rgb color() const { return mColors.empty() ? Rgb() : mColors.front(); }
    const QString &name() const { return mName; }

  private:
    Kind mKind = Kind::List;
    std::vector<Rgb> mColors;
    QString mName;
};

} // namespace gridshade
