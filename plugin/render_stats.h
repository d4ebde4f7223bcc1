// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QMutex>
#include <QSize>
#include <QString>
#include <QVariantMap>

namespace gridshade
{

struct AggregateStats;
struct RenderTimings;

/**
 * \brief The figures of a density layer's last render, written by its renderer on a worker
 * thread and read by the layer (property renderStats) on the GUI thread.
 *
 * Also remembers which backend note (why the GPU was not used) was logged already, so that the
 * message log gets each reason once per layer rather than once per render.
 */
class RenderStatsBox
{
  public:
    //! Stores one render's figures; returns true when \a stats carries a note not logged before.
    bool record( const AggregateStats &stats, const RenderTimings &timings, int width, int height );
    //! A raster render: source "raster", decimation, readWidth, readHeight, readMs, regridMs,
    //! shadeMs, width, height (backend "cpu").
    void recordRaster( int decimation, const QSize &readSize, double readMs, double regridMs, double shadeMs, const QSize &size );
    //! backend, device, backendNote, aggregateMs, shadeMs, pointsTotal, pointsInView, width,
    //! height, gpuResidentBytes, gpuWorkBytes (source "points"); the keys of recordRaster() for a
    //! raster; empty before the first render.
    QVariantMap snapshot() const;

  private:
    mutable QMutex mMutex;
    QVariantMap mLast;
    QString mLoggedNote;
};

} // namespace gridshade
