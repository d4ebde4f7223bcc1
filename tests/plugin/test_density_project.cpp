// SPDX-License-Identifier: GPL-2.0-or-later
// A density layer survives a project round trip: write a .qgz with a GeoPackage point layer and a
// density layer on it, clear the project, read it back, find the density layer by its plugin
// layer type, check its options and that it draws the same image as before.
#include "layer/density_layer.h"
#include "plugin_test_support.h"
#include "scene/scene_generator.h"
#include "scene/standard_zooms.h"

#include <qgsapplication.h>
#include <qgspluginlayer.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

#include <QTemporaryDir>
#include <QtTest>

using namespace gridshade;
using test::Job;

namespace
{
constexpr uint64_t POINTS = 200000;

QList<QgsPluginLayer *> densityLayers()
{
  QList<QgsPluginLayer *> found;
  for ( QgsMapLayer *layer : QgsProject::instance()->mapLayers() )
  {
    QgsPluginLayer *plugin = qobject_cast<QgsPluginLayer *>( layer );
    if ( plugin && plugin->pluginLayerType() == DensityLayer::LAYER_TYPE )
      found << plugin;
  }
  return found;
}

QImage renderZ8( QgsMapLayer *layer, QStringList &errors )
{
  const Viewport vp = standard::viewport( 8 );
  const Extent &e = vp.extent();
  const QgsMapSettings ms = test::mapSettings( { layer }, QgsRectangle( e.xmin, e.ymin, e.xmax, e.ymax ), QSize( vp.width(), vp.height() ) );
  return test::render( ms, Job::Parallel, &errors );
}
//! Adds a lone point at pixel (col, row) of the Z8 map, where the scene is empty, and checks that it shows.
bool seesEdit( QgsMapLayer *density, QgsVectorLayer *source, int col, int row )
{
  const Viewport vp = standard::viewport( 8 );
  const Extent e = vp.extent();
  QStringList errors;
  if ( test::straightRgba( renderZ8( density, errors ) ).pixelColor( col, row ).alpha() != 0 )
    return false;
  QgsFeature f( source->fields() );
  f.setGeometry( QgsGeometry( new QgsPoint( e.xmin + ( col + 0.5 ) * ( e.xmax - e.xmin ) / vp.width(),
                                            e.ymax - ( row + 0.5 ) * ( e.ymax - e.ymin ) / vp.height() ) ) );
  if ( !source->startEditing() || !source->addFeature( f ) || !source->commitChanges() )
    return false;
  const QImage edited = renderZ8( density, errors );
  return errors.isEmpty() && test::straightRgba( edited ).pixelColor( col, row ).alpha() > 0;
}
} // namespace

class TestDensityProject : public QObject
{
    Q_OBJECT

  private slots:
    void initTestCase();
    void cleanupTestCase();
    void roundTrip();

  private:
    QTemporaryDir mDir;
};

void TestDensityProject::initTestCase()
{
  QVERIFY( mDir.isValid() );
  QVERIFY( test::startQgis() );
}

void TestDensityProject::cleanupTestCase()
{
  test::stopQgis();
}

void TestDensityProject::roundTrip()
{
  QgsProject *project = QgsProject::instance();
  project->clear();
  // A file-backed source: memory layers do not keep their features in a project.
  const QString gpkg = mDir.filePath( QStringLiteral( "points.gpkg" ) );
  {
    std::unique_ptr<QgsVectorLayer> memory = test::memoryPointLayer( SceneGenerator().generate( POINTS ) );
    const QString error = test::writeGeoPackage( memory.get(), gpkg );
    QVERIFY2( error.isEmpty(), qPrintable( error ) );
  }
  QgsVectorLayer *source = new QgsVectorLayer( gpkg + QStringLiteral( "|layername=points" ), QStringLiteral( "points" ), QStringLiteral( "ogr" ) );
  QVERIFY( source->isValid() );
  QCOMPARE( source->featureCount(), static_cast<long long>( POINTS ) );
  project->addMapLayer( source );
  const QString sourceId = source->id();

  std::unique_ptr<DensityLayer> created = test::createDensityLayer( QStringLiteral( "layer=%1&how=log&cmap=viridis" ).arg( sourceId ), QStringLiteral( "Density (log)" ) );
  QVERIFY( created );
  DensityLayer *density = created.release();
  project->addMapLayer( density );
  const QString densityId = density->id();
  const QString optionsBefore = density->property( "options" ).toString();
  QVERIFY( optionsBefore.contains( QStringLiteral( "how=log" ) ) );
  QVERIFY( optionsBefore.contains( QStringLiteral( "cmap=viridis" ) ) );

  QStringList errors;
  QVERIFY( test::litPixels( renderZ8( density, errors ) ) > 1000 );
  QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );

  QVERIFY2( seesEdit( density, source, 3, 3 ), "the density layer did not see an edit of its source" );
  const QImage before = renderZ8( density, errors );
  QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );

  const QString qgz = mDir.filePath( QStringLiteral( "density.qgz" ) );
  QVERIFY2( project->write( qgz ), qPrintable( project->error() ) );
  project->clear();
  QVERIFY( densityLayers().isEmpty() );
  QVERIFY( !project->mapLayer( sourceId ) );

  QVERIFY2( project->read( qgz ), qPrintable( project->error() ) );
  const QList<QgsPluginLayer *> found = densityLayers();
  QCOMPARE( found.size(), 1 );
  QgsPluginLayer *reloaded = found.front();
  QCOMPARE( reloaded->id(), densityId );
  QCOMPARE( reloaded->name(), QStringLiteral( "Density (log)" ) );
  QVERIFY( reloaded->isValid() );
  QCOMPARE( reloaded->property( "options" ).toString(), optionsBefore );
  QCOMPARE( reloaded->property( "lastError" ).toString(), QString() );
  DensityLayer *typed = qobject_cast<DensityLayer *>( reloaded );
  QVERIFY( typed );
  QCOMPARE( typed->settings().how, How::Log );
  QCOMPARE( typed->settings().colormap, QStringLiteral( "viridis" ) );
  QCOMPARE( typed->settings().layerId, sourceId );
  QVERIFY( typed->sourceLayer() );
  QCOMPARE( typed->sourceLayer()->id(), sourceId );
  QCOMPARE( typed->crs().authid(), QStringLiteral( "EPSG:3857" ) );

  const QImage after = renderZ8( reloaded, errors );
  QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );
  QCOMPARE( test::differingPixels( after, before ), 0LL );

  // The reloaded layer still follows its source: a new point shows up after an edit.
  QgsVectorLayer *reloadedSource = qobject_cast<QgsVectorLayer *>( project->mapLayer( sourceId ) );
  QVERIFY( reloadedSource );
  QVERIFY2( seesEdit( reloaded, reloadedSource, 6, 3 ), "the density layer did not see an edit of its source after the project was reloaded" );
  project->clear();
}

GRIDSHADE_QGIS_TEST_MAIN( TestDensityProject )
#include "test_density_project.moc"
