// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>

class QAction;
class QDockWidget;
class QMainWindow;
class QgisInterface;
class QgsMapLayer;

namespace gridshade
{

class DensityLayer;
class PerformanceController;
class PerformanceDock;
class SsimController;
class SsimDock;
class ZoomController;
class ZoomDock;

/**
 * \brief The three diagnostics docks (Zoom, Performance, SSIM) in the QGIS main window: their
 * menu entries (Plugins > Gridshade, checkable), their visibility kept across sessions, a
 * first-time layout that fits a 1600 x 1000 window without scrolling, and the
 * density layer they follow (the active layer when it is one, else the last one followed, else
 * the project's first).
 *
 * Created by the desktop plugin in initGui() and deleted in unload(), on the GUI thread; the
 * docks belong to the main window until then.
 */
class DiagnosticsDocks : public QObject
{
    Q_OBJECT

  public:
    DiagnosticsDocks( QgisInterface *iface, const QString &menu, QObject *parent = nullptr );
    ~DiagnosticsDocks() override;

  private:
    void follow( QgsMapLayer *active );
    void addDock( QDockWidget *dock, const QString &key, const QString &menuText );
    //! The first-time layout in the right dock area, made to fit a 1600 x 1000 window.
    void arrange( QMainWindow *main );
    //! Sizes the arranged docks to their contents (they must be visible to take a size).
    void fit( QMainWindow *main );

    QgisInterface *mIface = nullptr;
    QString mMenu;
    ZoomDock *mZoomDock = nullptr;
    PerformanceDock *mPerformanceDock = nullptr;
    SsimDock *mSsimDock = nullptr;
    ZoomController *mZoom = nullptr;
    PerformanceController *mPerformance = nullptr;
    SsimController *mSsim = nullptr;
    QList<QPair<QDockWidget *, QString>> mDocks;
    QList<QAction *> mActions;
    QPointer<DensityLayer> mFollowed;
};

} // namespace gridshade
