// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QObject>
#include <QPointer>
#include <QVariantMap>

class QgisInterface;

namespace gridshade
{

class DensityLayer;
class PerformanceDock;

/**
 * \brief Feeds the Performance dock: every render of the followed layer arrives by the layer's
 * RenderStatsBox::recorded() signal (queued onto the GUI thread), gets the process RSS and the
 * point cache size added here, and goes to the dock; writes the CSV export.
 * GUI thread; the dock and the interface outlive it.
 */
class PerformanceController : public QObject
{
    Q_OBJECT

  public:
    PerformanceController( QgisInterface *iface, PerformanceDock *dock, QObject *parent = nullptr );
    void setLayer( DensityLayer *layer );

  private:
    void recorded( const QVariantMap &stats );
    void exportCsv();

    QgisInterface *mIface = nullptr;
    PerformanceDock *mDock = nullptr;
    QPointer<DensityLayer> mLayer;
    QMetaObject::Connection mConnection;
};

} // namespace gridshade
