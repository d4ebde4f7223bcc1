// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/extent.h"
#include "core/point_columns.h"

#include <QStringList>

#include <cstdint>

class QgsCoordinateReferenceSystem;
class QgsCoordinateTransformContext;

namespace gridshade
{

/**
 * \brief The points of one source layer in one destination CRS, as the engine's columns:
 * x, y (float64, 16 bytes a point), the value field (float64) and category codes (int32) when
 * the layer needs them, with the category labels in code order (sorted).
 *
 * Immutable once built and shared by `std::shared_ptr<const PointCache>` between the layer and
 * any number of renderers on any threads.
 */
struct PointCache
{
    PointColumns points;
    QStringList categories;
    Extent bounds;              //!< of the finite points, destination CRS
    uint64_t features = 0;      //!< features read
    uint64_t missingGeometry = 0; //!< features without a point geometry (null or not a point)
    uint64_t untransformable = 0; //!< points the CRS transform failed on (kept as NaN, dropped when rendering)
    QString method;             //!< "arrow" or "iterator"
    double buildSeconds = 0.0;

    //! Bytes held by the columns.
    uint64_t bytes() const;

    /**
     * The coordinate operation that takes points from \a source to \a destination under
     * \a context, as PROJ instantiates it: the context's operation for the pair (a datum
     * transformation chosen in the project, a print layout's or an API user's map settings),
     * else PROJ's best available one; "none" when the CRSes are the same or one is invalid.
     * Two contexts that give different positions give different strings. Any thread.
     */
    static QString coordinateOperation( const QgsCoordinateReferenceSystem &source, const QgsCoordinateReferenceSystem &destination,
                                        const QgsCoordinateTransformContext &context );
};

} // namespace gridshade
