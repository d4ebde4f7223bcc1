// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <qgisplugin.h>

#include <QObject>

class QAction;
class QgisInterface;

namespace gridshade
{

class DiagnosticsDocks;

/**
 * \brief The QGIS desktop plugin: registers the density layer type (and the processing
 * provider), adds "Add Density Layer…" to the Plugins menu and the Plugins toolbar, and the
 * diagnostics docks (Zoom, Performance, SSIM) with their menu entries.
 * Created and driven by QGIS on the GUI thread; QGIS owns it.
 */
class GridshadePlugin : public QObject, public QgisPlugin
{
    Q_OBJECT

  public:
    explicit GridshadePlugin( QgisInterface *iface );
    void initGui() override;
    void unload() override;

  private:
    void addDensityLayer();

    QgisInterface *mIface = nullptr;
    QAction *mAddAction = nullptr;
    DiagnosticsDocks *mDocks = nullptr;
};

} // namespace gridshade
