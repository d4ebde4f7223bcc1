// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "diagnostics/snapshot_runner.h"
#include "ssim_dock.h"

#include <qgsmapsettings.h>

#include <QImage>
#include <QObject>
#include <QPointer>

class QgisInterface;

namespace gridshade
{

class DensityLayer;

/**
 * \brief Drives the SSIM dock: renders the followed layer alone on the canvas's view (or the
 * view a golden's .json sidecar names) off screen, compares it with the chosen reference
 * (golden PNG, saved render, or the same view on the other backend) by Ssim::report() and
 * shows the outcome. GUI thread; the dock and the interface outlive it.
 */
class SsimController : public QObject
{
    Q_OBJECT

  public:
    SsimController( QgisInterface *iface, SsimDock *dock, QObject *parent = nullptr );
    void setLayer( DensityLayer *layer );

  private:
    //! Whether a density layer of the project sets backend=gpu (keeps even a software device open).
    static bool anyLayerAsksForGpu();
    void compare( SsimDock::Reference reference, const QString &goldenPath );
    void saveRender();
    void rendered( const SnapshotResult &result );
    void finished( bool cancelled );
    //! The canvas's current view (size, extent, CRS, device pixel ratio).
    QgsMapSettings canvasView() const;
    //! The view of a golden: its sidecar's crs/extent/width/height, else the canvas at its size.
    bool goldenView( const QString &path, const QImage &golden, QgsMapSettings &view, QString &error ) const;
    void fail( const QString &message );

    enum class Pending
    {
      None,
      Save,
      Compare,
    };

    QgisInterface *mIface = nullptr;
    SsimDock *mDock = nullptr;
    SnapshotRunner *mRunner = nullptr;
    QPointer<DensityLayer> mLayer;
    Pending mPending = Pending::None;
    SsimDock::Reference mReference = SsimDock::Reference::GoldenImage;
    QImage mReferenceImage; //!< the golden or saved render being compared with
    QString mDescription;
    QList<SnapshotResult> mResults;
    QImage mSaved;
    QgsMapSettings mSavedView;
};

} // namespace gridshade
