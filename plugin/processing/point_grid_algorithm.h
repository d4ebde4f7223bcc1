// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "aggregation/cpu_aggregator.h"
#include "core/viewport.h"
#include "points/point_cache.h"

#include <qgscoordinatereferencesystem.h>
#include <qgsprocessingalgorithm.h>

#include <memory>

class QgsVectorLayer;

namespace gridshade
{

class PointCacheBuilder;

/**
 * \brief The part that both Gridshade algorithms share: the point layer, the grid (extent, CRS,
 * width, height) and the reduction with its fields, turned into a PointCache and a Viewport.
 *
 * Grid CRS: TARGET_CRS when given; otherwise the CRS of EXTENT when the extent names one (so
 * that the grid is exactly the extent that was asked for); otherwise the layer's CRS. Without an
 * EXTENT the grid covers the points (their bounds in the grid CRS).
 *
 * QGIS runs prepareAlgorithm() on the main thread (it reads the layer) and processAlgorithm()
 * possibly on a worker; one instance serves one run (createInstance() gives a fresh one). The
 * instance owns the point cache builder and any materialised copy of the layer.
 */
class PointGridAlgorithm : public QgsProcessingAlgorithm
{
  public:
    PointGridAlgorithm();
    ~PointGridAlgorithm() override;

    QString group() const override;
    QString groupId() const override;

  protected:
    //! INPUT, EXTENT, TARGET_CRS, WIDTH, HEIGHT, REDUCTION, VALUE_FIELD, CATEGORY_FIELD.
    void addGridParameters();
    bool prepareAlgorithm( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback ) override;

    //! Reads the points (progress 0..100 on \a feedback) and fixes the grid; throws QgsProcessingException.
    void loadPoints( QgsFeedback *feedback );
    //! Aggregates; throws QgsProcessingException on failure or cancellation.
    void aggregate( QgsFeedback *feedback, Aggregate &out ) const;

    Reduction reduction() const { return mReduction; }
    const Viewport &viewport() const { return mViewport; }
    const std::shared_ptr<const PointCache> &cache() const { return mCache; }
    QString crsWkt() const;
    //! Summary outputs (POINTS_IN_EXTENT, ...) for the results map.
    QVariantMap statsOutputs( const AggregateStats &stats ) const;
    //! Declares the summary outputs; call from initAlgorithm().
    void addStatsOutputs();
    //! BACKEND (auto, cpu, gpu; advanced); call from initAlgorithm().
    void addBackendParameter();
    Backend backend() const { return mBackend; }

  private:
    QString mLayerName;
    std::unique_ptr<QgsVectorLayer> mMaterialised;
    std::unique_ptr<PointCacheBuilder> mBuilder;
    QgsCoordinateReferenceSystem mCrs;
    bool mHasExtent = false;
    Extent mExtent;
    int mWidth = 0;
    int mHeight = 0;
    Reduction mReduction = Reduction::Count;
    Backend mBackend = Backend::Auto;
    std::shared_ptr<const PointCache> mCache;
    Viewport mViewport;
};

} // namespace gridshade
