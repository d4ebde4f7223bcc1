// SPDX-License-Identifier: GPL-2.0-or-later
#include "density_layer_type.h"

#include "density_dialogs.h"
#include "density_layer.h"

namespace gridshade
{

DensityLayerType::DensityLayerType()
  : QgsPluginLayerType( DensityLayer::LAYER_TYPE )
{}

QgsPluginLayer *DensityLayerType::createLayer()
{
  return new DensityLayer();
}

QgsPluginLayer *DensityLayerType::createLayer( const QString &uri )
{
  return new DensityLayer( uri );
}

bool DensityLayerType::showLayerProperties( QgsPluginLayer *layer )
{
  dialogs::editDensityLayer( qobject_cast<DensityLayer *>( layer ), nullptr );
  return true;
}

} // namespace gridshade
