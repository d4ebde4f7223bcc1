// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "zoom_dock.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QVariantMap>

class QgisInterface;
class QgsPointXY;

namespace gridshade
{

class DensityLayer;
class SnapshotRunner;
struct SnapshotResult;

/**
 * \brief Drives the Zoom dock: the canvas's zoom level and scale, the followed layer's points in
 * view (from its canvas renders' figures, by signal), jumps to the standard zooms and the
 * sweep (Z0, Z4, Z8, Z12 rendered off the canvas at 1024 x 768 in EPSG:3857, as the standard
 * viewports of renderer/resources/scenes.json, with their timings), centred on the layer's
 * extent (by default), the current view or the standard scene.
 * GUI thread; the dock and the interface outlive it.
 */
class ZoomController : public QObject
{
    Q_OBJECT

  public:
    ZoomController( QgisInterface *iface, ZoomDock *dock, QObject *parent = nullptr );
    void setLayer( DensityLayer *layer );

  private:
    void updateView();
    void recorded( const QVariantMap &stats );
    void jump( int zoom, ZoomDock::Centre centre );
    void sweep( ZoomDock::Centre centre );
    void sweepRendered( const SnapshotResult &result );
    void sweepFinished( bool cancelled );
    /**
     * The centre asked for in EPSG:3857. The layer's extent falls back to the current view when
     * the layer has none (\a message then says so); false with the reason in \a message when
     * no centre can be had.
     */
    bool centreFor( ZoomDock::Centre centre, QgsPointXY &out, QString &message ) const;

    QgisInterface *mIface = nullptr;
    ZoomDock *mDock = nullptr;
    SnapshotRunner *mRunner = nullptr;
    QPointer<DensityLayer> mLayer;
    QMetaObject::Connection mConnection;
    QElapsedTimer mSweepClock;
};

} // namespace gridshade
