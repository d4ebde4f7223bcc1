// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <qgsmapsettings.h>

#include <QElapsedTimer>
#include <QImage>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QVariantMap>

#include <memory>

class QgsMapRendererParallelJob;

namespace gridshade
{

class DensityLayer;

//! One diagnostic render: the density layer alone on these map settings.
struct SnapshotRequest
{
    QString tag;             //!< names the render (e.g. "Z8", "cpu"); also set as gridshade/tag
    QgsMapSettings settings; //!< extent, size, CRS; the runner sets the layers and the tag
    QString backend;         //!< "cpu" or "gpu" to force one (gridshade/backend), empty for the layer's own
};

//! What one diagnostic render gave.
struct SnapshotResult
{
    QString tag;
    QImage image;          //!< straight RGBA, transparent where the layer drew nothing
    QStringList errors;    //!< the render job's errors (the layer's messages)
    double renderMs = 0.0; //!< the whole map render as QGIS's job timed it
    QVariantMap stats;     //!< the layer's figures for this render (by its tag), empty if none came
};

/**
 * \brief Renders a density layer alone, once per request, one request after the other, in
 * QGIS's parallel render job (the canvas's own), without blocking the GUI thread.
 *
 * The layer's figures for each render arrive by its RenderStatsBox::recorded() signal and are
 * matched by tag. GUI thread only; the runner does not own the layer and stops (as cancelled)
 * if the layer is deleted.
 */
class SnapshotRunner : public QObject
{
    Q_OBJECT

  public:
    explicit SnapshotRunner( QObject *parent = nullptr );
    ~SnapshotRunner() override;

    //! Starts rendering \a requests of \a layer; false (and nothing starts) while running or
    //! when there is nothing to do.
    bool start( DensityLayer *layer, const QList<SnapshotRequest> &requests );
    bool isRunning() const { return static_cast<bool>( mJob ); }
    //! Stops after cancelling the render under way; finished( true ) follows.
    void cancel();

  Q_SIGNALS:
    //! Before each render: \a index of \a count.
    void progress( int index, int count, const QString &tag );
    void rendered( const gridshade::SnapshotResult &result );
    void finished( bool cancelled );

  private:
    void startNext();
    void jobFinished();
    void statsRecorded( const QVariantMap &stats );
    void stop( bool cancelled );

    QPointer<DensityLayer> mLayer;
    QList<SnapshotRequest> mRequests;
    int mIndex = 0;
    bool mCancelled = false;
    std::unique_ptr<QgsMapRendererParallelJob> mJob;
    QVariantMap mStats;
    QMetaObject::Connection mStatsConnection;
};

} // namespace gridshade
