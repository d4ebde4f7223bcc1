// SPDX-License-Identifier: GPL-2.0-or-later
#include "registration.h"

#include "gpu/gpu_aggregator.h"

#include "layer/density_layer.h"
#include "layer/density_layer_type.h"
#include "processing/gridshade_provider.h"
#include "raster/memory_views.h"

#include <qgsapplication.h>
#include <qgspluginlayerregistry.h>
#include <qgsprocessingregistry.h>

#include <QCoreApplication>

using namespace gridshade;

int gridshade_register()
{
  try
  {
    if ( !QgsApplication::instance() || !QgsApplication::pluginLayerRegistry() )
      return 0;
    QgsPluginLayerRegistry *layers = QgsApplication::pluginLayerRegistry();
    if ( !layers->pluginLayerType( DensityLayer::LAYER_TYPE ) )
    {
      // The registry does not delete a rejected type, so only hand over a new one when absent.
      layers->addPluginLayerType( new DensityLayerType() );
    }
    // addProvider() deletes a duplicate; checking first keeps repeated calls silent and cheap.
    QgsProcessingRegistry *processing = QgsApplication::processingRegistry();
    if ( processing && !processing->providerById( QString::fromLatin1( GridshadeProvider::PROVIDER_ID ) ) )
      processing->addProvider( new GridshadeProvider() );
    // Projects saved with console layers must not reopen them on stray memory.
    installMemoryViewGuard();
    // QGIS 3.40 crashes at exit when a plugin layer type is still registered as the application
    // is destroyed (its registry removes the type through a QgsProject that is gone by then), and
    // qgis_process never unloads Python plugins: unregister as the event loop ends, before that.
    static QMetaObject::Connection quitting;
    if ( !quitting )
      quitting = QObject::connect( QCoreApplication::instance(), &QCoreApplication::aboutToQuit, [] { gridshade_unregister(); } );
    return 1;
  }
  catch ( ... )
  {
    return 0;
  }
}

void gridshade_unregister()
{
  try
  {
    if ( QgsApplication::instance() && QgsApplication::processingRegistry() )
      QgsApplication::processingRegistry()->removeProvider( QString::fromLatin1( GridshadeProvider::PROVIDER_ID ) );
    if ( QgsApplication::instance() && QgsApplication::pluginLayerRegistry() )
      QgsApplication::pluginLayerRegistry()->removePluginLayerType( DensityLayer::LAYER_TYPE );
    removeMemoryViewGuard();
    // The GPU device and its thread go with the plugin.
    GpuAggregator::shutdown();
  }
  catch ( ... )
  {
  }
}
