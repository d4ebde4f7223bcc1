// SPDX-License-Identifier: GPL-2.0-or-later
// count_cat on real fields: category codes follow the sorted labels on both read paths; a field
// with more distinct values than count_cat takes (an id such as a GeoPackage's fid) is refused
// as soon as the limit is passed, with a message naming the field, in a direct build, a render
// and a background task; a build stops when cancelled, also once every point is read, and the
// task of a big build when cancelled or when its layer goes;
// a nonexistent field is refused when set; lastError follows failed renders; the legend shows
// the categories once the first render has read them.
#include "labelled_points.h"
#include "layer/density_layer.h"
#include "plugin_test_support.h"
#include "points/point_cache_builder.h"
#include "scene/standard_zooms.h"

#include <qgsapplication.h>
#include <qgsfeedback.h>
#include <qgslayertree.h>
#include <qgslayertreemodellegendnode.h>
#include <qgsmaplayerlegend.h>
#include <qgsproject.h>
#include <qgstaskmanager.h>
#include <qgsvectorlayer.h>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

using namespace gridshade;
using test::Job;
using test::kindOf;
using test::labelledLayer;

namespace
{

constexpr int POINTS = 100000;
//! A hang shows as a deadline passed; the work itself takes milliseconds.
constexpr int DEADLINE_MS = 60000;

QgsRectangle z8Extent()
{
  const Extent e = standard::viewport( 8 ).extent();
  return QgsRectangle( e.xmin, e.ymin, e.xmax, e.ymax );
}

//! Adds \a layer to the project (which owns it) and returns it.
template<typename T> T *own( std::unique_ptr<T> layer )
{
  T *raw = layer.release();
  QgsProject::instance()->addMapLayer( raw );
  return raw;
}

Status buildCache( QgsVectorLayer *layer, const QString &category, bool arrow, std::shared_ptr<const PointCache> &cache,
                   QgsFeedback *feedback = nullptr )
{
  PointCacheBuilder builder( layer, layer->crs(), QgsProject::instance()->transformContext(), QString(), category );
  builder.setArrowEnabled( arrow );
  if ( !builder.validity() )
    return builder.validity();
  return builder.build( feedback, cache );
}

//! Processes events until \a done or the deadline; returns done().
template<typename Done> bool waitFor( Done done )
{
  QElapsedTimer timer;
  timer.start();
  while ( !done() && timer.elapsed() < DEADLINE_MS )
    QCoreApplication::processEvents( QEventLoop::AllEvents, 20 );
  return done();
}

} // namespace

class TestDensityCategories : public QObject
{
    Q_OBJECT

  private slots:
    void initTestCase();
    void cleanupTestCase();
    void codesInLabelOrder_data();
    void codesInLabelOrder();
    void limitIsInclusive();
    void tooManyCategories_data();
    void tooManyCategories();
    void renderRefusesTooManyCategories();
    void taskRefusesTooManyCategories();
    void buildCancels_data();
    void buildCancels();
    void taskCancels_data();
    void taskCancels();
    void nonexistentField();
    void legendFollowsCategories();

  private:
    QTemporaryDir mDir;
    QgsVectorLayer *mMemory = nullptr;  // iterator path
    QgsVectorLayer *mGpkg = nullptr;    // Arrow path (and a real fid field)
    QgsVectorLayer *mBig = nullptr;     // 2e6 points: a build long enough to cancel
};

void TestDensityCategories::initTestCase()
{
  QVERIFY( mDir.isValid() );
  QVERIFY( test::startQgis() );
  mMemory = own( labelledLayer( POINTS, 7 ) );
  const QString path = mDir.filePath( QStringLiteral( "labelled.gpkg" ) );
  QCOMPARE( test::writeGeoPackage( mMemory, path ), QString() );
  mGpkg = own( std::make_unique<QgsVectorLayer>( path + QStringLiteral( "|layername=points" ), QStringLiteral( "labelled_gpkg" ), QStringLiteral( "ogr" ) ) );
  QVERIFY( mGpkg->isValid() );
  QCOMPARE( mGpkg->featureCount(), static_cast<long long>( POINTS ) );
  QVERIFY( mGpkg->fields().lookupField( QStringLiteral( "fid" ) ) >= 0 );
  mBig = own( test::sceneGeoPackageLayer( 2000000, mDir.path() ) );
  QVERIFY( mBig->isValid() );
}

void TestDensityCategories::cleanupTestCase()
{
  test::stopQgis();
}

void TestDensityCategories::codesInLabelOrder_data()
{
  QTest::addColumn<bool>( "gpkg" );
  QTest::addColumn<bool>( "arrow" );
  QTest::newRow( "memory layer, feature iterator" ) << false << false;
  QTest::newRow( "GeoPackage, Arrow stream" ) << true << true;
  QTest::newRow( "GeoPackage, feature iterator" ) << true << false;
}

void TestDensityCategories::codesInLabelOrder()
{
  QFETCH( bool, gpkg );
  QFETCH( bool, arrow );
  std::shared_ptr<const PointCache> cache;
  const Status st = buildCache( gpkg ? mGpkg : mMemory, QStringLiteral( "kind" ), arrow, cache );
  QVERIFY2( st, qPrintable( st.message() ) );
  QCOMPARE( cache->method, arrow ? QStringLiteral( "arrow" ) : QStringLiteral( "iterator" ) );
  // Brute force: the distinct labels in sorted order (a null reads as the empty label).
  std::set<QString> distinct;
  for ( int i = 0; i < POINTS; ++i )
    distinct.insert( kindOf( i ).toString() );
  const QStringList expected( distinct.begin(), distinct.end() );
  QCOMPARE( expected.size(), 1001 );
  QCOMPARE( cache->categories, expected );
  QCOMPARE( cache->points.size(), static_cast<size_t>( POINTS ) );
  QCOMPARE( cache->points.categoryCount(), 1001 );
  const int32_t *codes = cache->points.categories();
  for ( int i = 0; i < POINTS; ++i )
  {
    const QString label = kindOf( i ).toString();
    if ( codes[i] < 0 || codes[i] >= expected.size() || expected[codes[i]] != label )
      QFAIL( qPrintable( QStringLiteral( "point %1: code %2, label '%3'" ).arg( i ).arg( codes[i] ).arg( label ) ) );
  }
}

void TestDensityCategories::limitIsInclusive()
{
  // 1024 distinct values are drawn; 1025 are refused.
  for ( int modulo : { 1024, 1025 } )
  {
    std::unique_ptr<QgsVectorLayer> layer = labelledLayer( 3000, modulo );
    std::shared_ptr<const PointCache> cache;
    const Status st = buildCache( layer.get(), QStringLiteral( "mod" ), false, cache );
    if ( modulo == 1024 )
    {
      QVERIFY2( st, qPrintable( st.message() ) );
      QCOMPARE( cache->categories.size(), 1024 );
    }
    else
    {
      QVERIFY( !st );
      QVERIFY2( st.message().contains( QStringLiteral( "'mod'" ) ) && st.message().contains( QStringLiteral( "1024" ) ), qPrintable( st.message() ) );
    }
  }
}

void TestDensityCategories::tooManyCategories_data()
{
  QTest::addColumn<bool>( "gpkg" );
  QTest::addColumn<bool>( "arrow" );
  QTest::addColumn<QString>( "field" );
  QTest::newRow( "GeoPackage fid, Arrow stream" ) << true << true << QStringLiteral( "fid" );
  QTest::newRow( "GeoPackage text, Arrow stream" ) << true << true << QStringLiteral( "name" );
  QTest::newRow( "GeoPackage fid, feature iterator" ) << true << false << QStringLiteral( "fid" );
  QTest::newRow( "memory integer, feature iterator" ) << false << false << QStringLiteral( "code" );
  QTest::newRow( "memory float, feature iterator" ) << false << false << QStringLiteral( "share" );
}

void TestDensityCategories::tooManyCategories()
{
  QFETCH( bool, gpkg );
  QFETCH( bool, arrow );
  QFETCH( QString, field );
  std::shared_ptr<const PointCache> cache;
  QElapsedTimer timer;
  timer.start();
  const Status st = buildCache( gpkg ? mGpkg : mMemory, field, arrow, cache );
  qInfo().noquote() << QStringLiteral( "%1 distinct values: %2 ms: %3" ).arg( POINTS ).arg( timer.elapsed() ).arg( st ? QStringLiteral( "built" ) : st.message() );
  QVERIFY( !st );
  QVERIFY( !cache );
  // The field, the limit, what was seen, and what to do.
  for ( const QString &part : { QStringLiteral( "'%1'" ).arg( field ), QStringLiteral( "more than 1024 distinct values" ),
                                QStringLiteral( "of %1 features" ).arg( POINTS ), QStringLiteral( "text or integer field" ) } )
    QVERIFY2( st.message().contains( part ), qPrintable( QStringLiteral( "'%1' not in: %2" ).arg( part, st.message() ) ) );
}

void TestDensityCategories::renderRefusesTooManyCategories()
{
  std::unique_ptr<DensityLayer> density = test::createDensityLayer( QStringLiteral( "layer=%1&reduction=count_cat&category=fid" ).arg( mGpkg->id() ) );
  QVERIFY( density );
  QCOMPARE( density->lastError(), QString() );
  for ( Job job : { Job::Parallel, Job::Sequential } )
  {
    QStringList errors;
    const QImage image = test::render( test::mapSettings( { density.get() }, z8Extent(), QSize( 256, 192 ) ), job, &errors );
    errors.removeDuplicates();
    QCOMPARE( test::litPixels( image ), 0LL );
    QVERIFY2( errors.size() == 1, qPrintable( errors.join( QLatin1Char( '|' ) ) ) );
    QVERIFY2( errors.front().contains( QStringLiteral( "'fid'" ) ) && errors.front().contains( QStringLiteral( "more than 1024" ) ), qPrintable( errors.front() ) );
    // lastError says it too, for Python users who see no message bar.
    QVERIFY2( density->lastError().contains( QStringLiteral( "'fid'" ) ), qPrintable( density->lastError() ) );
  }
  // Under the build's limit but over the 22 colours of the layer's colour key: said as clearly.
  QCOMPARE( density->setOption( QStringLiteral( "category" ), QStringLiteral( "kind" ) ), QString() );
  {
    QStringList errors;
    test::render( test::mapSettings( { density.get() }, z8Extent(), QSize( 256, 192 ) ), Job::Parallel, &errors );
    errors.removeDuplicates();
    QVERIFY2( errors.size() == 1 && errors.front().contains( QStringLiteral( "field 'kind' has 1001 distinct values" ) )
                && errors.front().contains( QStringLiteral( "at most 22" ) ),
              qPrintable( errors.join( QLatin1Char( '|' ) ) ) );
  }
  // A field that works clears the problem, and the layer draws.
  QCOMPARE( density->setOption( QStringLiteral( "category" ), QStringLiteral( "mod" ) ), QString() );
  QCOMPARE( density->lastError(), QString() );
  QStringList errors;
  const QImage image = test::render( test::mapSettings( { density.get() }, z8Extent(), QSize( 256, 192 ) ), Job::Parallel, &errors );
  QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );
  QVERIFY( test::litPixels( image ) > 100 );
  QCOMPARE( density->lastError(), QString() );
}

void TestDensityCategories::taskRefusesTooManyCategories()
{
  // What "Add Density Layer..." does: the layer joins the project and its points are read in a task.
  DensityLayer *density = own( test::createDensityLayer( QStringLiteral( "layer=%1&reduction=count_cat&category=name" ).arg( mGpkg->id() ) ) );
  QVERIFY( density );
  QVERIFY( density->prepareCache( QStringLiteral( "EPSG:3857" ) ) );
  QVERIFY2( waitFor( [] { return QgsApplication::taskManager()->countActiveTasks() == 0; } ), "the point cache task did not finish" );
  QVERIFY2( density->lastError().contains( QStringLiteral( "'name'" ) ) && density->lastError().contains( QStringLiteral( "more than 1024" ) ),
            qPrintable( density->lastError() ) );
  QCOMPARE( density->cacheBytes(), 0ULL );
  QgsProject::instance()->removeMapLayer( density );
}

void TestDensityCategories::buildCancels_data()
{
  QTest::addColumn<double>( "at" ); // progress at which the build is cancelled
  QTest::newRow( "after the first batch" ) << 0.0;
  QTest::newRow( "once every point is read (in the finishing loops)" ) << 90.0; // readers report up to 85 %
}

void TestDensityCategories::buildCancels()
{
  // The feedback cancels from inside the build (a direct connection on the build's thread), so
  // the cancel lands at a known stage, with no timing involved.
  QFETCH( double, at );
  QgsFeedback feedback;
  connect( &feedback, &QgsFeedback::progressChanged, &feedback, [&]( double p ) {
    if ( p >= at )
      feedback.cancel();
  }, Qt::DirectConnection );
  std::shared_ptr<const PointCache> cache;
  const Status st = buildCache( mBig, QStringLiteral( "cat" ), true, cache, &feedback );
  QVERIFY( feedback.isCanceled() );
  QVERIFY2( !st && st.message().contains( QStringLiteral( "cancelled" ) ), qPrintable( st ? QStringLiteral( "built" ) : st.message() ) );
  QVERIFY( !cache );
}

void TestDensityCategories::taskCancels_data()
{
  QTest::addColumn<bool>( "removeLayer" );
  QTest::newRow( "cancel in the task manager" ) << false;
  QTest::newRow( "remove the layer" ) << true;
}

void TestDensityCategories::taskCancels()
{
  QFETCH( bool, removeLayer );
  DensityLayer *density = own( test::createDensityLayer( QStringLiteral( "layer=%1&reduction=count_cat&category=cat" ).arg( mBig->id() ) ) );
  QVERIFY( density );
  QMap<long, int> finalStatus;
  QMetaObject::Connection watch = connect( QgsApplication::taskManager(), &QgsTaskManager::statusChanged, this, [&]( long id, int status ) {
    if ( status == QgsTask::Complete || status == QgsTask::Terminated )
      finalStatus.insert( id, status );
  } );
  QVERIFY( density->prepareCache( QStringLiteral( "EPSG:3857" ) ) );
  const QList<QgsTask *> tasks = QgsApplication::taskManager()->activeTasks();
  QCOMPARE( tasks.size(), 1 );
  const long id = QgsApplication::taskManager()->taskId( tasks.front() );
  // Cancel once the task runs (a condition, not a time), so that the cancel lands in the build.
  QVERIFY( waitFor( [&] { return finalStatus.contains( id ) || tasks.front()->status() == QgsTask::Running; } ) );
  QVERIFY2( !finalStatus.contains( id ), "the build ended before it could be cancelled" );
  if ( removeLayer )
    QgsProject::instance()->removeMapLayer( density );
  else
    QgsApplication::taskManager()->cancelAll();
  QVERIFY2( waitFor( [&] { return finalStatus.contains( id ); } ), "the point cache task did not stop" );
  disconnect( watch );
  QCOMPARE( finalStatus.value( id ), static_cast<int>( QgsTask::Terminated ) );
  if ( !removeLayer )
  {
    QCOMPARE( density->cacheBytes(), 0ULL );
    QgsProject::instance()->removeMapLayer( density );
  }
}

void TestDensityCategories::nonexistentField()
{
  // Set through the options: refused at once, nothing changes.
  std::unique_ptr<DensityLayer> density = test::createDensityLayer( QStringLiteral( "layer=%1&reduction=count_cat&category=kind" ).arg( mMemory->id() ) );
  QVERIFY( density );
  const QString before = density->options();
  const QString refused = density->setOption( QStringLiteral( "category" ), QStringLiteral( "nosuch" ) );
  QVERIFY2( refused.contains( QStringLiteral( "no field 'nosuch'" ) ), qPrintable( refused ) );
  QCOMPARE( density->options(), before );
  QVERIFY( density->setOptions( QStringLiteral( "layer=%1&reduction=mean&value=nosuch" ).arg( mMemory->id() ) ).contains( QStringLiteral( "no field 'nosuch'" ) ) );
  QCOMPARE( density->options(), before );
  // Given in the uri: the layer exists (a project keeps it) and says what is wrong before any render.
  std::unique_ptr<DensityLayer> fromUri = test::createDensityLayer( QStringLiteral( "layer=%1&reduction=count_cat&category=nosuch" ).arg( mMemory->id() ) );
  QVERIFY( fromUri );
  QVERIFY2( fromUri->lastError().contains( QStringLiteral( "no field 'nosuch'" ) ), qPrintable( fromUri->lastError() ) );
}

void TestDensityCategories::legendFollowsCategories()
{
  DensityLayer *density = own( test::createDensityLayer( QStringLiteral( "layer=%1&reduction=count_cat&category=mod" ).arg( mMemory->id() ) ) );
  QVERIFY( density );
  QgsLayerTreeLayer *node = QgsProject::instance()->layerTreeRoot()->findLayer( density );
  QVERIFY( node );
  const auto labels = [&] {
    QStringList out;
    const QList<QgsLayerTreeModelLegendNode *> nodes = density->legend()->createLayerTreeModelLegendNodes( node );
    for ( QgsLayerTreeModelLegendNode *n : nodes )
      out << n->data( Qt::DisplayRole ).toString();
    qDeleteAll( nodes );
    return out;
  };
  QCOMPARE( labels().size(), 1 ); // the placeholder until the points are read
  QSignalSpy changed( density->legend(), &QgsMapLayerLegend::itemsChanged );
  QStringList errors;
  test::render( test::mapSettings( { density }, z8Extent(), QSize( 256, 192 ) ), Job::Parallel, &errors );
  QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );
  // The render read the categories on a worker thread: the legend hears of it on the GUI thread.
  QVERIFY2( waitFor( [&] { return changed.count() > 0; } ), "the legend was not told that the categories are known" );
  QCOMPARE( labels(), QStringList( { "0", "1", "2", "3", "4", "5", "6" } ) );
  QgsProject::instance()->removeMapLayer( density );
}

GRIDSHADE_QGIS_TEST_MAIN( TestDensityCategories )
#include "test_density_categories.moc"
