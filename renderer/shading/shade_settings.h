// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "colormap.h"

#include <QString>

#include <vector>

namespace gridshade
{

//! Datashader's `how`: the transform applied to (value - minimum) before colour mapping.
enum class How
{
  Linear,
  Log,
  Cbrt,
  EqHist,
};

QString howName( How how );
//! Parses "linear", "log", "cbrt", "eq_hist"; false when unknown.
bool parseHow( const QString &name, How &how );

//! Datashader's Sets1to3: the default colours of count_cat categories.
std::vector<Rgb> defaultColorKey();

/**
 * \brief Everything shade() needs besides the aggregate, with Datashader's defaults
 * (how eq_hist, alpha 255, min_alpha 40, no span, no spreading) and the fire colormap.
 *
 * A plain value; any thread.
 */
struct ShadeSettings
{
    How how = How::EqHist;
    Colormap colormap = Colormap::named( QStringLiteral( "fire" ) );
    //! Fixed span [spanMin, spanMax] instead of the data's range (not with eq_hist, as Datashader).
    bool hasSpan = false;
    double spanMin = 0.0;
    double spanMax = 0.0;
    int alpha = 255;
    int minAlpha = 40;
    //! count_cat colours, one per category; empty means defaultColorKey().
    std::vector<Rgb> colorKey;
    //! Spread every pixel by a circle of this radius ("over" compositing); 0 = off.
    int spreadPx = 0;
    //! Datashader's dynspread(threshold, max_px) after any fixed spread.
    bool dynspread = false;
    double dynspreadThreshold = 0.5;
    int dynspreadMaxPx = 3;
    /**
     * Colour count aggregates through a table of their distinct values instead of pixel by
     * pixel. Both give the same bytes (the tests prove it); the table is faster.
     */
    bool useValueTable = true;

    //! Checks ranges (alpha, min_alpha, span, spread) and the span/eq_hist combination.
    Status validate() const;
};

} // namespace gridshade
