// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QDateTime>
#include <QString>
#include <QVariantMap>
#include <QVector>

namespace gridshade
{

/**
 * \brief The figures of one render of a density layer as the diagnostics docks show them: the
 * time split, backend, points and memory. A plain value; any thread.
 *
 * A point layer's render has the stages cache (find or build the point cache), aggregate,
 * shade and draw; a raster's has read, regrid, shade and draw. Figures a render does not have
 * are negative (not known) and left blank in CSV.
 */
struct RenderRecord
{
    QDateTime time;
    QString layer;
    QString tag;         //!< empty for the map view; else the render's tag (Z8, ssim:cpu, …)
    QString source;      //!< "points" or "raster"
    QString backend;     //!< "cpu" or "gpu"
    QString device;      //!< GPU device name, empty on the CPU
    QString backendNote; //!< why the GPU was not used, if it was asked for (or auto skipped it)
    bool softwareDevice = false; //!< the "gpu" backend ran on a software Vulkan device (on the CPU)
    int width = 0;
    int height = 0;
    double cacheMs = -1;     //!< points: finding or building the point cache
    double aggregateMs = -1; //!< points: binning onto the canvas grid
    double readMs = -1;      //!< raster: GDAL read of the window
    double regridMs = -1;    //!< raster: regrid/warp onto the canvas grid
    double shadeMs = -1;
    double drawMs = -1;
    qlonglong pointsTotal = -1;
    qlonglong pointsInView = -1;
    qlonglong rssBytes = -1;        //!< resident memory of the whole QGIS process
    qlonglong pointCacheBytes = -1; //!< the layer's point caches
    qlonglong gpuBytes = -1;        //!< GPU buffers of the render (resident points + work)

    /**
     * From the layer's renderStats map (keys of RenderStatsBox: source, tag, backend, device,
     * backendNote, softwareDevice, width, height, cacheMs, aggregateMs, readMs, regridMs,
     * shadeMs, drawMs, pointsTotal, pointsInView, gpuResidentBytes, gpuWorkBytes); missing keys
     * stay unknown.
     */
    static RenderRecord fromStats( const QVariantMap &stats );

    bool isRaster() const { return source == QLatin1String( "raster" ); }
    //! The four stages in order with their names: cache/aggregate or read/regrid, then shade, draw.
    QVector<QPair<QString, double>> stages() const;
    //! Sum of the known stage times.
    double totalMs() const;
    //! Whether any stage time is known (otherwise totalMs() is a meaningless 0).
    bool hasTimes() const;
    //! Points aggregated per second of aggregation (pointsTotal / aggregateMs); -1 when unknown.
    double pointsPerSecond() const;

    //! The CSV header line matching toCsvRow() (no newline).
    static QString csvHeader();
    //! One CSV line (no newline); unknown figures are empty fields, text is quoted when needed.
    QString toCsvRow() const;
};

} // namespace gridshade
