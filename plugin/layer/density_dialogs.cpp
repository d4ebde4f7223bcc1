// SPDX-License-Identifier: GPL-2.0-or-later
#include "density_dialogs.h"
#include "qgis_compat.h"

#include "category_field_survey.h"
#include "density_dialog.h"
#include "density_layer.h"

#include <qgsproject.h>
#include <qgsrasterlayer.h>
#include <qgsvectorlayer.h>

#include <QMessageBox>

namespace gridshade
{
namespace dialogs
{

namespace
{

void offerFields( DensityOptionsWidget *options, const QgsVectorLayer *layer )
{
  QStringList numeric, all;
  if ( layer )
  {
    for ( const QgsField &f : layer->fields() )
    {
      all << f.name();
      if ( f.isNumeric() )
        numeric << f.name();
    }
  }
  options->setFields( numeric, all );
  const CategoryFieldSurvey survey( layer );
  options->setCategoryHints( survey.suggestion(), survey.warnings() );
}

} // namespace

DensityLayer *addDensityLayer( QgsProject *project, QWidget *parent, QString *error )
{
  QList<QPair<QString, QString>> layers;
  QMap<QString, QString> rasters;
  for ( QgsMapLayer *l : project->mapLayers() )
  {
    const QgsVectorLayer *v = qobject_cast<QgsVectorLayer *>( l );
    if ( v && v->geometryType() == qgiscompat::POINT_GEOMETRY )
      layers << qMakePair( v->name(), v->id() );
    const QgsRasterLayer *r = qobject_cast<QgsRasterLayer *>( l );
    if ( r && r->providerType() == QLatin1String( "gdal" ) )
    {
      layers << qMakePair( QObject::tr( "%1 (raster)" ).arg( r->name() ), r->id() );
      rasters.insert( r->id(), r->source() );
    }
  }
  if ( layers.isEmpty() )
  {
    if ( error )
      *error = QObject::tr( "The project has no point layer and no GDAL raster layer: add one first, then add its density layer." );
    return nullptr;
  }
  std::sort( layers.begin(), layers.end() );
  DensityDialog dialog( QObject::tr( "Add Density Layer" ), false, parent );
  DensityOptionsWidget *options = dialog.options();
  options->setSourceLayers( layers, rasters );
  QObject::connect( options, &DensityOptionsWidget::sourceLayerChanged, &dialog,
                    [&]( const QString &id ) { offerFields( options, qobject_cast<QgsVectorLayer *>( project->mapLayer( id ) ) ); } );
  DensitySettings initial;
  initial.layerId = layers.first().second;
  options->setSettings( initial );
  offerFields( options, qobject_cast<QgsVectorLayer *>( project->mapLayer( initial.layerId ) ) );
  if ( dialog.exec() != QDialog::Accepted )
    return nullptr;
  const DensitySettings s = options->settings();
  const QgsMapLayer *source = project->mapLayer( s.isRaster() ? rasters.key( s.raster ) : s.layerId );
  const QString sourceName = source ? source->name() : ( s.isRaster() ? s.raster : s.layerId );
  auto *layer = new DensityLayer( s.toUri(), QObject::tr( "Density of %1" ).arg( sourceName ) );
  project->addMapLayer( layer );
  // Read the points now, in the task manager, rather than in the first render.
  if ( !s.isRaster() )
    layer->prepareCache( project->crs().authid() );
  return layer;
}

bool editDensityLayer( DensityLayer *layer, QWidget *parent )
{
  if ( !layer )
    return false;
  DensityDialog dialog( QObject::tr( "Density Layer Properties — %1" ).arg( layer->name() ), true, parent );
  DensityOptionsWidget *options = dialog.options();
  options->setSourceLayers( {} );
  options->setSettings( layer->settings() );
  offerFields( options, layer->sourceLayer() );
  bool changed = false;
  auto apply = [&] {
    if ( Status st = layer->setSettings( options->settings() ); !st )
      QMessageBox::warning( &dialog, dialog.windowTitle(), st.message() );
    else
      changed = true;
  };
  QObject::connect( &dialog, &DensityDialog::applied, &dialog, apply );
  if ( dialog.exec() == QDialog::Accepted )
    apply();
  return changed;
}

} // namespace dialogs
} // namespace gridshade
