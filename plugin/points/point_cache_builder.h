// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "arrow_point_reader.h"
#include "core/status.h"
#include "point_cache.h"

#include <qgscoordinatetransform.h>

#include <memory>

class QgsFeedback;
class QgsVectorLayer;
class QgsVectorLayerFeatureSource;

namespace gridshade
{

class PointAccumulator;

/**
 * \brief Builds a PointCache from a QGIS point layer: reads every feature's point (multipoints
 * give each part), the value and category fields, and transforms the points to the destination
 * CRS in batches.
 *
 * OGR sources without unsaved edits take the fast path through GDAL's Arrow stream
 * (ArrowPointReader); every other provider, or an OGR source the fast path cannot read, goes
 * through QGIS's feature iterator. Both give the same points in the same order. Both stop as soon
 * as the category field passes MAX_CATEGORIES distinct values, and poll the feedback in every loop.
 *
 * Construct on the GUI thread (it snapshots the layer as a QgsVectorLayerFeatureSource, which
 * QGIS designs for reading in another thread); build() may then run on any one thread.
 */
class PointCacheBuilder
{
  public:
    PointCacheBuilder( const QgsVectorLayer *layer, const QgsCoordinateReferenceSystem &destination,
                       const QgsCoordinateTransformContext &context, const QString &valueField, const QString &categoryField );
    ~PointCacheBuilder();

    //! Checks the layer (a point layer with the named fields) before any work starts.
    Status validity() const { return mValidity; }
    //! Whether \a layer has the named fields (empty names: not needed); the message lists its fields.
    static Status checkFields( const QgsVectorLayer &layer, const QString &valueField, const QString &categoryField );

    //! Reads and transforms; polls \a feedback (may be null) for cancellation and reports progress.
    Status build( QgsFeedback *feedback, std::shared_ptr<const PointCache> &out );

    //! Turns the Arrow fast path off (tests and benchmarks compare both paths).
    void setArrowEnabled( bool enabled ) { mArrowEnabled = enabled; }

  private:
    Status readWithIterator( QgsFeedback *feedback, PointAccumulator &points, PointCache &cache );
    //! The refusal once the category field brings one label too many, at feature \a features.
    Status categoryLimitError( uint64_t features ) const;

    Status mValidity;
    bool mArrowEnabled = true;
    bool mHasArrowSource = false;
    ArrowPointReader::Source mArrowSource;
    QString mLayerName;
    QString mValueField;
    QString mCategoryField;
    std::unique_ptr<QgsVectorLayerFeatureSource> mSource;
    QgsCoordinateTransform mTransform;
    long long mFeatureCount = -1;
    int mValueIndex = -1;
    int mCategoryIndex = -1;
};

} // namespace gridshade
