// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "point_grid_algorithm.h"

namespace gridshade
{

/**
 * \brief `gridshade:aggregatepoints`: aggregates a point layer on a pixel grid and writes the
 * numbers as a north-up GeoTIFF (see RasterWriter for types and nodata).
 *
 * Threading and ownership as PointGridAlgorithm.
 */
class AggregatePointsAlgorithm : public PointGridAlgorithm
{
  public:
    QString name() const override;
    QString displayName() const override;
    QString shortHelpString() const override;
    AggregatePointsAlgorithm *createInstance() const override;
    void initAlgorithm( const QVariantMap &configuration = QVariantMap() ) override;

  protected:
    bool prepareAlgorithm( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback ) override;
    QVariantMap processAlgorithm( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback ) override;
};

} // namespace gridshade
