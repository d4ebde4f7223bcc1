// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "density_settings.h"
#include "point_cache_store.h"
#include "render_stats.h"

#include <qgsmaplayerrenderer.h>

#include <atomic>
#include <memory>

class QgsFeedback;

namespace gridshade
{

class DensityLayer;
class PointCacheBuilder;
class RasterReaderPool;

/**
 * \brief Renders one DensityLayer for one map render.
 *
 * The constructor runs on the GUI thread and copies everything (settings, the shared cache
 * store, and a feature-source snapshot when the cache for this destination CRS must be built;
 * for a raster, the layer's reader pool and the map CRS and coordinate operation).
 * render() runs on a QGIS worker thread or the caller's, never touches the layer or project,
 * catches everything at its edge, reports problems through errors() and the message log, and
 * polls the feedback (owned here) for cancellation.
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
