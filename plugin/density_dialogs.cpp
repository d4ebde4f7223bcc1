// SPDX-License-Identifier: GPL-2.0-or-later
#include "density_dialogs.h"

#include "density_dialog.h"
#include "density_layer.h"

#include <qgsproject.h>
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
}

} // namespace

DensityLayer *addDensityLayer( QgsProject *project, QWidget *parent, QString *error )
{
  QList<QPair<QString, QString>> layers;
  for ( QgsMapLayer *l : project->mapLayers() )
  {
    const QgsVectorLayer *v = qobject_cast<QgsVectorLayer *>( l );
    if ( v && v->geometryType() == QgsWkbTypes::PointGeometry )
      layers << qMakePair( v->name(), v->id() );
  }
  if ( layers.isEmpty() )
  {
    if ( error )
      *error = QObject::tr( "The project has no point layer: add one first, then add its density layer." );
    return nullptr;
  }
  std::sort( layers.begin(), layers.end() );
  DensityDialog dialog( QObject::tr( "Add Density Layer" ), false, parent );
  DensityOptionsWidget *options = dialog.options();
  options->setSourceLayers( layers );
  QObject::connect( options, &DensityOptionsWidget::sourceLayerChanged, &dialog,
                    [&]( const QString &id ) { offerFields( options, qobject_cast<QgsVectorLayer *>( project->mapLayer( id ) ) ); } );
  DensitySettings initial;
  initial.layerId = layers.first().second;
  options->setSettings( initial );
  offerFields( options, qobject_cast<QgsVectorLayer *>( project->mapLayer( initial.layerId ) ) );
  if ( dialog.exec() != QDialog::Accepted )
    return nullptr;
  const DensitySettings s = options->settings();
  const QgsMapLayer *source = project->mapLayer( s.layerId );
  auto *layer = new DensityLayer( s.toUri(), QObject::tr( "Density of %1" ).arg( source ? source->name() : s.layerId ) );
  project->addMapLayer( layer );
  // Read the points now, in the task manager, rather than in the first render.
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
