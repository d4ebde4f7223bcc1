// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "aggregation/cpu_aggregator.h"
#include "core/status.h"
#include "core/viewport.h"
#include "io/points_file.h"
#include "shading/shade_settings.h"

#include <QString>
#include <QStringList>

namespace gridshade
{

/**
 * \brief The parsed command line of gridshade-render: where the points come from, the viewport,
 * the engine settings and the outputs. Parsing validates everything before any data moves.
 */
struct RenderOptions
{
    uint64_t sceneCount = 1000000;
    uint64_t seed = 0;
    QString pointsPath; //!< empty: generate the standard scene
    QString indexPath;  //!< a point index file (gridshade-index build) instead of points
    PointsFile::CsvColumns csvColumns;
    Viewport viewport;
    QString viewportName;
    AggregateSettings aggregation;
    ShadeSettings shading;
    QString outPng;
    QString statsJson;
    QString npyPath;
    QString writePointsPath;

    //! Parses arguments (without the program name in \a arguments[0] removed); an error says what to fix.
    static Status parse( const QStringList &arguments, RenderOptions &out, bool &helpShown );
};

} // namespace gridshade
