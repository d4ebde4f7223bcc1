// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QMutex>
#include <QObject>
#include <QSize>
#include <QString>
#include <QVariantMap>

namespace gridshade
{

struct AggregateStats;
struct RenderTimings;

//! A render's own figures that the engine does not time: cache lookup/build and drawing.
struct RenderExtras
{
    double cacheMs = 0.0; //!< finding (or building) the point cache
    double drawMs = 0.0;  //!< QPainter::drawImage onto the map image
    QString tag;          //!< the map settings' "gridshade/tag" flag (diagnostic renders), "preview" for
                          //!< the canvas's preview jobs, empty for the map view itself
};

/**
 * \brief The figures of a density layer's renders: written by its renderers on worker threads,
 * kept for the layer's renderStats property and sent to the GUI thread by the recorded()
 * signal, so that the diagnostics docks never poll from, or block, a render.
 *
 * snapshot() keeps the last render of the map itself or of a diagnostic request, never that of
 * a canvas preview job (the neighbourhood QGIS renders ahead for panning).
 *
 * Created by the layer on the GUI thread (its thread affinity: connect with auto or queued
 * connections and the slots run there) and shared with renderers, which may outlive the layer.
 * Also remembers which backend note (why the GPU was not used) was logged already, so that the
 * message log gets each reason once per layer rather than once per render.
 */
class RenderStatsBox : public QObject
{
    Q_OBJECT

  public:
    //! Stores one render's figures and emits recorded(); true when \a stats carries a note not logged before.
    bool record( const AggregateStats &stats, const RenderTimings &timings, int width, int height, const RenderExtras &extras = {} );
    //! A raster render: source "raster", decimation, readWidth, readHeight, readMs, regridMs,
    //! shadeMs, drawMs, width, height (backend "cpu").
    void recordRaster( int decimation, const QSize &readSize, double readMs, double regridMs, double shadeMs, const QSize &size,
                       const RenderExtras &extras = {} );
    //! The last render other than a canvas preview job (tag "preview", which recorded() still
    //! announces): backend, device, backendNote, cacheMs, aggregateMs, shadeMs, drawMs, pointsTotal,
    //! pointsInView, width, height, gpuResidentBytes, gpuWorkBytes and softwareDevice (backend
    //! "gpu" only; true on a software Vulkan device such as lavapipe) (source "points"), plus tag
    //! when set; the keys of recordRaster() for a raster; empty before the first render.
    QVariantMap snapshot() const;

  Q_SIGNALS:
    //! Emitted from the rendering thread after each render with the snapshot() of that render.
    void recorded( const QVariantMap &stats );

  private:
    void store( QVariantMap stats, const RenderExtras &extras );

    mutable QMutex mMutex;
    QVariantMap mLast;
    QString mLoggedNote;
};

} // namespace gridshade
