// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <qgspluginlayerregistry.h>

namespace gridshade
{

/**
 * \brief Registers DensityLayer with QGIS's plugin layer registry, so that projects and
 * `QgsApplication.pluginLayerRegistry().createLayer("gridshade_density", uri)` can create it.
 * Owned by the registry; GUI thread.
 */
class DensityLayerType : public QgsPluginLayerType
{
  public:
    DensityLayerType();
    QgsPluginLayer *createLayer() override;
    QgsPluginLayer *createLayer( const QString &uri ) override;
    //! The layer properties dialog (desktop).
    bool showLayerProperties( QgsPluginLayer *layer ) override;
};

} // namespace gridshade
