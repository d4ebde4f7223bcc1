// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "point_grid_algorithm.h"

namespace gridshade
{

/**
 * \brief `gridshade:renderdensityimage`: aggregates a point layer on a pixel grid and shades it
 * as Datashader does, writing a georeferenced RGBA PNG (+ .pgw + .aux.xml) or GeoTIFF.
 *
 * Threading and ownership as PointGridAlgorithm: the registry's instance is a template;
 * each run uses its own createInstance().
 */
class RenderDensityImageAlgorithm : public PointGridAlgorithm
{
  public:
    QString name() const override;
    QString displayName() const override;
    QString shortHelpString() const override;
    RenderDensityImageAlgorithm *createInstance() const override;
    void initAlgorithm( const QVariantMap &configuration = QVariantMap() ) override;

  protected:
    bool prepareAlgorithm( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback ) override;
    QVariantMap processAlgorithm( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback ) override;
};

} // namespace gridshade
