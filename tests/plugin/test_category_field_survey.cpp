// SPDX-License-Identifier: GPL-2.0-or-later
// The category field that the density dialogs propose for count_cat, and their warnings: never
// a feature id or a floating-point field, a text or integer field with the fewest distinct values
// within the colours of count_cat, warnings naming the distinct values of a sample counted here
// by brute force.
#include "labelled_points.h"
#include "layer/category_field_survey.h"
#include "plugin_test_support.h"

#include <qgsapplication.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

#include <QTemporaryDir>
#include <QtTest>

#include <set>

using namespace gridshade;
using test::kindOf;
using test::labelledLayer;

namespace
{
constexpr int POINTS = 20000;

//! Adds \a layer to the project (which owns it) and returns it.
QgsVectorLayer *own( std::unique_ptr<QgsVectorLayer> layer )
{
  QgsVectorLayer *raw = layer.release();
  QgsProject::instance()->addMapLayer( raw );
  return raw;
}
} // namespace

class TestCategoryFieldSurvey : public QObject
{
    Q_OBJECT

  private slots:
    void initTestCase();
    void cleanupTestCase();
    void proposedCategoryField();
    void proposalPrefersFewValues();

  private:
    QTemporaryDir mDir;
    QgsVectorLayer *mMemory = nullptr;
    QgsVectorLayer *mGpkg = nullptr;  // the same points in a GeoPackage, with its fid
    QgsVectorLayer *mScene = nullptr; // the standard scene: fid, value, cat
};

void TestCategoryFieldSurvey::initTestCase()
{
  QVERIFY( mDir.isValid() );
  QVERIFY( test::startQgis() );
  mMemory = own( labelledLayer( POINTS, 7 ) );
  const QString path = mDir.filePath( QStringLiteral( "labelled.gpkg" ) );
  QCOMPARE( test::writeGeoPackage( mMemory, path ), QString() );
  mGpkg = own( std::make_unique<QgsVectorLayer>( path + QStringLiteral( "|layername=points" ), QStringLiteral( "labelled_gpkg" ), QStringLiteral( "ogr" ) ) );
  QVERIFY( mGpkg->isValid() );
  mScene = own( test::sceneGeoPackageLayer( POINTS, mDir.path() ) );
  QVERIFY( mScene->isValid() );
}

void TestCategoryFieldSurvey::cleanupTestCase()
{
  test::stopQgis();
}

void TestCategoryFieldSurvey::proposedCategoryField()
{
  // Brute force over the sample the survey reads: the distinct labels of `kind` in the first features.
  std::set<QString> kinds;
  for ( int i = 0; i < CategoryFieldSurvey::SAMPLE_FEATURES; ++i )
    kinds.insert( kindOf( i ).toString() );
  for ( QgsVectorLayer *layer : { mGpkg, mMemory } )
  {
    const CategoryFieldSurvey survey( layer );
    QCOMPARE( survey.suggestion(), QStringLiteral( "mod" ) ); // 7 values; every other field has too many
    const QMap<QString, QString> w = survey.warnings();
    QCOMPARE( w.keys(), ( layer == mGpkg ? QStringList { "code", "fid", "kind", "name", "share" } : QStringList { "code", "kind", "name", "share" } ) );
    if ( layer == mGpkg )
      QVERIFY2( w.value( QStringLiteral( "fid" ) ).contains( QStringLiteral( "feature id" ) ), qPrintable( w.value( QStringLiteral( "fid" ) ) ) );
    for ( const QString &f : { QStringLiteral( "code" ), QStringLiteral( "name" ), QStringLiteral( "share" ) } )
      QVERIFY2( w.value( f ).contains( QStringLiteral( "more than 1024 distinct values" ) ), qPrintable( w.value( f ) ) );
    const QString kind = QStringLiteral( "'kind' has %1 distinct values in the first %2 features, but count_cat colours at most 22" )
                           .arg( kinds.size() )
                           .arg( CategoryFieldSurvey::SAMPLE_FEATURES );
    QVERIFY2( w.value( QStringLiteral( "kind" ) ).contains( kind ), qPrintable( w.value( QStringLiteral( "kind" ) ) ) );
  }
  // The standard scene as the dialog meets it: fid, value (floating point, 1000 values), cat (4 values).
  const CategoryFieldSurvey scene( mScene );
  QCOMPARE( scene.suggestion(), QStringLiteral( "cat" ) );
  QCOMPARE( scene.warnings().keys(), QStringList( { "fid", "value" } ) );
  QVERIFY2( scene.warnings().value( QStringLiteral( "value" ) ).contains( QStringLiteral( "floating-point numbers (1000 distinct values" ) ),
            qPrintable( scene.warnings().value( QStringLiteral( "value" ) ) ) );
}

void TestCategoryFieldSurvey::proposalPrefersFewValues()
{
  // A constant field is a poor category, a float never is one, and fewer values win otherwise.
  auto layer = std::make_unique<QgsVectorLayer>( QStringLiteral( "Point?crs=EPSG:3857&field=w:double&field=same:integer&field=five:string&field=three:integer" ),
                                                 QStringLiteral( "small" ), QStringLiteral( "memory" ) );
  QgsFeatureList features;
  for ( int i = 0; i < 60; ++i )
  {
    QgsFeature f( layer->fields() );
    f.setGeometry( QgsGeometry( new QgsPoint( i, i ) ) );
    f.setAttributes( QgsAttributes( { QVariant( i % 2 / 2.0 ), QVariant( 1 ), QVariant( QStringLiteral( "s%1" ).arg( i % 5 ) ), QVariant( i % 3 ) } ) );
    features << f;
  }
  layer->dataProvider()->addFeatures( features );
  QCOMPARE( CategoryFieldSurvey( layer.get() ).suggestion(), QStringLiteral( "three" ) );
  QVERIFY( CategoryFieldSurvey( layer.get() ).warnings().contains( QStringLiteral( "w" ) ) );
  // Only a float and an id: nothing is proposed.
  auto none = std::make_unique<QgsVectorLayer>( QStringLiteral( "Point?crs=EPSG:3857&field=fid:integer&field=w:double" ), QStringLiteral( "none" ),
                                                QStringLiteral( "memory" ) );
  QCOMPARE( CategoryFieldSurvey( none.get() ).suggestion(), QString() );
}

GRIDSHADE_QGIS_TEST_MAIN( TestCategoryFieldSurvey )
#include "test_category_field_survey.moc"
