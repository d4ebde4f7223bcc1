// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "density_settings.h"
#include "points/point_cache_store.h"
#include "render_stats.h"

#include <qgsmaplayerrenderer.h>

#include <atomic>
#include <functional>
#include <memory>

class QgsFeedback;

namespace gridshade
{

class DensityLayer;
class LayerNotices;
class PointCacheBuilder;
class RasterReaderPool;

/**
 * \brief Renders one DensityLayer for one map render.
 *
 * The constructor runs on the GUI thread and copies everything (settings, the shared cache
 * store, and a feature-source snapshot when the cache for this destination CRS must be built;
 * for a raster, the layer's reader pool and the map CRS and coordinate operation).
 * render() runs on a QGIS worker thread or the caller's, never touches the layer or project,
 * catches everything at its edge, reports problems through errors(), the message log and the
 * layer's LayerNotices (its lastError), and polls the feedback (owned here) for cancellation,
 * also while it waits for a point cache that a background task builds.
 */
class DensityLayerRenderer : public QgsMapLayerRenderer
{
  public:
    DensityLayerRenderer( DensityLayer *layer, QgsRenderContext &context );
    ~DensityLayerRenderer() override;

    bool render() override;
    QgsFeedback *feedback() const override;

  private:
    bool renderUnguarded();
    /**
     * The point cache of this render: found, built here, or waited for (polling \a cancelled);
     * null with \a problem set when the build failed or the categories outnumber the colours.
     */
    std::shared_ptr<const PointCache> obtainCache( const std::function<bool()> &cancelled, Status &problem );
    //! The raster branch of render(): read, regrid, shade, draw (see readRasterOnCanvas()).
    bool renderRaster( const std::atomic<bool> &stop );
    /**
     * The device pixel grid of this render, in the frame of \a points: the map's own, or the
     * screen's when the map is rotated (then \a points are replaced by their rotated copy and
     * an "auto" \a aggregation is kept on the CPU).
     */
    Viewport canvasGrid( PointColumns &points, AggregateSettings &aggregation ) const;
    //! Draws a shaded image of the device size with the layer's opacity; returns the milliseconds.
    double draw( const QImage &image );
    //! The map settings' diagnostic flags: gridshade/tag and gridshade/backend (cpu, gpu, auto).
    void applyDiagnosticFlags( const QVariantMap &flags );
    void reportError( const QString &message );

    QString mLayerName;
    DensitySettings mSettings;
    AggregateSettings mAggregation;
    ShadeSettings mShading;
    Status mSettingsStatus;
    std::shared_ptr<PointCacheStore> mStore;
    std::shared_ptr<RenderStatsBox> mStats;
    std::shared_ptr<LayerNotices> mNotices;
    RenderExtras mExtras;
    QString mCacheKey;
    uint64_t mGeneration = 0;
    std::unique_ptr<PointCacheBuilder> mBuilder;
    std::unique_ptr<QgsFeedback> mFeedback;
    std::shared_ptr<RasterReaderPool> mRasterPool;
    bool mRasterSameCrs = true;
    QString mMapCrsWkt;
    QString mCoordinateOperation;
};

} // namespace gridshade
