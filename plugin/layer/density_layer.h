// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "density_settings.h"
#include "layer_notices.h"
#include "points/point_cache_store.h"
#include "render_stats.h"

#include <qgspluginlayer.h>

#include <QPointer>

#include <memory>

class QgsVectorLayer;

namespace gridshade
{

class PointCacheBuilder;
class PointCacheTask;
class RasterReaderPool;

/**
 * \brief A QGIS plugin layer that draws the points of a point layer as a Datashader-style
 * density image, aggregated on the canvas pixel grid at every render, or a raster regridded
 * onto that grid (Canvas.raster) and shaded by the same pipeline.
 *
 * Lives on the GUI thread like every QgsMapLayer. createMapRenderer() copies what a render
 * needs (settings, the shared point-cache store, a feature-source snapshot when the cache for
 * the destination CRS is missing); renderers never touch the layer. Options are reachable from
 * Python without bindings through Q_PROPERTY and Q_INVOKABLE members.
 */
class DensityLayer : public QgsPluginLayer
{
    Q_OBJECT
    Q_PROPERTY( QString options READ options )
    Q_PROPERTY( QString lastError READ lastError )
    Q_PROPERTY( qulonglong cacheBytes READ cacheBytes )
    Q_PROPERTY( QVariantMap renderStats READ renderStats )

  public:
    static const QString LAYER_TYPE;

    explicit DensityLayer( const QString &uri = QString(), const QString &name = QStringLiteral( "Density" ) );
    ~DensityLayer() override;

    DensityLayer *clone() const override;
    QgsMapLayerRenderer *createMapRenderer( QgsRenderContext &context ) override;
    bool readSymbology( const QDomNode &node, QString &errorMessage, QgsReadWriteContext &context,
                        StyleCategories categories = AllStyleCategories ) override;
    bool writeSymbology( QDomNode &node, QDomDocument &doc, QString &errorMessage, const QgsReadWriteContext &context,
                         StyleCategories categories = AllStyleCategories ) const override;
    void setTransformContext( const QgsCoordinateTransformContext &transformContext ) override;
    bool readXml( const QDomNode &layerNode, QgsReadWriteContext &context ) override;
    bool writeXml( QDomNode &layerNode, QDomDocument &document, const QgsReadWriteContext &context ) const override;
    QgsRectangle extent() const override;

    const DensitySettings &settings() const { return mSettings; }
    //! Applies new settings (validated first: on error nothing changes) and repaints.
    Status setSettings( const DensitySettings &settings );

    //! The options as a uri (see DensitySettings).
    QString options() const { return mSettings.toUri(); }
    //! Replaces all options from a uri; returns an empty string or the error message.
    Q_INVOKABLE QString setOptions( const QString &uri );
    //! Changes one option, e.g. setOption("how", "log"); returns an empty string or the error.
    Q_INVOKABLE QString setOption( const QString &key, const QString &value );
    /**
     * The problem found with the source or the options, else the one met by the last render or
     * point-cache task (a category field with too many values, say); empty when all is well.
     */
    QString lastError() const;
    //! The problem found with the source or the options alone (renders refuse to draw then).
    QString optionsError() const { return mError; }
    qulonglong cacheBytes() const { return mCache->bytes(); }
    //! Category labels of the cached points (empty before the first count_cat render).
    QStringList knownCategories() const;
    //! The caches of this layer, shared with its renderers.
    std::shared_ptr<PointCacheStore> cacheStore() const { return mCache; }
    //! Figures of the last render: backend ("cpu"/"gpu"), device, backendNote, timings, points, GPU memory.
    QVariantMap renderStats() const { return mStats->snapshot(); }
    std::shared_ptr<RenderStatsBox> statsBox() const { return mStats; }
    //! What renderers and tasks report back (problems, caches built), shared with them.
    std::shared_ptr<LayerNotices> notices() const { return mNotices; }

    //! The point layer read (a project layer, or one this layer opened from its source uri).
    QgsVectorLayer *sourceLayer() const;
    //! Readers of the raster source (null for a point layer), shared with renderers.
    std::shared_ptr<RasterReaderPool> rasterPool() const { return mRasterPool; }

    /**
     * The cache key for renders in \a destination under \a context: the CRS, the coordinate
     * operation from the source's CRS that \a context selects (two renders with different datum
     * transformations must not share positions), the reduction and the fields the options need.
     */
    QString cacheKey( const QgsCoordinateReferenceSystem &destination, const QgsCoordinateTransformContext &context ) const;
    //! A builder snapshot of the source for \a destination (GUI thread; never null).
    std::unique_ptr<PointCacheBuilder> createCacheBuilder( const QgsCoordinateReferenceSystem &destination,
                                                           const QgsCoordinateTransformContext &context ) const;
    /**
     * Starts building the point cache for renders in \a crs (an auth id such as "EPSG:3857") in
     * QGIS's task manager, unless it exists or is being built. Returns false for an unknown CRS
     * or a layer without a usable source.
     */
    Q_INVOKABLE bool prepareCache( const QString &crs );

  private:
    void attachSource();
    void attachRaster();
    void sourceChanged();
    //! Stops the point-cache tasks still reading for this layer (their result would be dropped).
    void cancelTasks();

    DensitySettings mSettings;
    std::shared_ptr<PointCacheStore> mCache;
    std::shared_ptr<RenderStatsBox> mStats = std::make_shared<RenderStatsBox>();
    std::shared_ptr<LayerNotices> mNotices = std::make_shared<LayerNotices>();
    QList<QPointer<PointCacheTask>> mTasks;
    mutable QPointer<QgsVectorLayer> mProjectSource;
    std::unique_ptr<QgsVectorLayer> mOwnedSource;
    std::shared_ptr<RasterReaderPool> mRasterPool;
    QgsRectangle mRasterExtent;
    QString mError;
};

} // namespace gridshade
