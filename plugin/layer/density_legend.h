// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <qgsmaplayerlegend.h>

namespace gridshade
{

class DensityLayer;

/**
 * \brief The layers-panel legend of a density layer: the colour ramp from low to high density
 * (labelled with the scaling), or one colour swatch per category for count_cat once the
 * categories are known. Created and used on the GUI thread; owned by the layer.
 */
class DensityLegend : public QgsMapLayerLegend
{
    Q_OBJECT

  public:
    explicit DensityLegend( DensityLayer *layer );
    QList<QgsLayerTreeModelLegendNode *> createLayerTreeModelLegendNodes( QgsLayerTreeLayer *nodeLayer ) override;

  private:
    DensityLayer *mLayer = nullptr;
};

} // namespace gridshade
