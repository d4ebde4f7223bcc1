// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/viewport.h"

#include <QString>
#include <QStringList>

namespace gridshade
{

/**
 * \brief The standard viewports of renderer/resources/scenes.json: 1024 x 768 pixels around
 * lon 8.5, lat 47.4 in EPSG:3857, resolution 40075016.68557849 / (256 * 2^Z) m/px.
 *
 * Pure functions; any thread.
 */
namespace standard
{
constexpr int WIDTH = 1024;
constexpr int HEIGHT = 768;

//! "Z0", "Z4", "Z8", "Z12": the four zooms the goldens and benchmarks use.
QStringList zoomNames();
double resolution( int zoom );
//! The web-map zoom level (fractional) of \a metresPerPixel in EPSG:3857; NaN when not positive.
double zoomForResolution( double metresPerPixel );
Viewport viewport( int zoom, int width = WIDTH, int height = HEIGHT );
//! Parses "Z<n>" (n in 0..24, case-insensitive); false when the name is not a zoom.
bool viewportByName( const QString &name, Viewport &out );
} // namespace standard

} // namespace gridshade
