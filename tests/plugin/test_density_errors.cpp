// SPDX-License-Identifier: GPL-2.0-or-later
// Bad input gives a clear message in job.errors() (and the layer's lastError) and never a crash;
// odd but valid input (an empty layer, NaN/inf points, a zero-size or rotated map) renders
// without error; a render cancelled right after it starts finishes promptly.
#include "layer/density_layer.h"
#include "plugin_test_support.h"
#include "scene/scene_generator.h"
#include "scene/standard_zooms.h"

#include <qgsapplication.h>
#include <qgsmaprendererparalleljob.h>
#include <qgsproject.h>
#include <qgsvectordataprovider.h>
#include <qgsvectorlayer.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QThread>
#include <QThreadPool>
#include <QtTest>

#include <limits>

using namespace gridshade;
using test::Job;

namespace
{
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
} // namespace

class TestDensityErrors : public QObject
{
    Q_OBJECT

  private slots:
    void initTestCase();
    void cleanupTestCase();
    void badInput_data();
    void badInput();
    void emptyLayer();
    void nonFiniteCoordinates();
    void zeroSizeMap();
    void cancel_data();
    void cancel();

  private:
    QTemporaryDir mDir;
    QgsVectorLayer *mPoints = nullptr;
};

void TestDensityErrors::initTestCase()
{
  QVERIFY( mDir.isValid() );
  QVERIFY( test::startQgis() );
  mPoints = own( test::memoryPointLayer( SceneGenerator().generate( 100000 ) ) );
}

void TestDensityErrors::cleanupTestCase()
{
  test::stopQgis();
}

void TestDensityErrors::badInput_data()
{
  QTest::addColumn<QString>( "uri" );
  QTest::addColumn<QString>( "expected" ); // a part of the message that tells the user what to fix

  auto line = std::make_unique<QgsVectorLayer>( QStringLiteral( "LineString?crs=EPSG:3857" ), QStringLiteral( "roads" ), QStringLiteral( "memory" ) );
  QgsFeature f;
  f.setGeometry( QgsGeometry::fromWkt( QStringLiteral( "LINESTRING(946215 6007610, 956215 6017610)" ) ) );
  line->dataProvider()->addFeatures( QgsFeatureList() << f );
  const QString lineId = own( std::move( line ) )->id();
  const QString pointsId = mPoints->id();

  const QString garbage = mDir.filePath( QStringLiteral( "garbage.gpkg" ) );
  QFile g( garbage );
  if ( g.open( QIODevice::WriteOnly ) )
    g.write( QByteArray( 4096, 'x' ) );
  g.close();

  QTest::newRow( "line layer" ) << QStringLiteral( "layer=%1" ).arg( lineId ) << QStringLiteral( "needs a point layer" );
  QTest::newRow( "missing value field, mean" ) << QStringLiteral( "layer=%1&reduction=mean&value=nosuch" ).arg( pointsId ) << QStringLiteral( "no field 'nosuch'" );
  QTest::newRow( "no value field, mean" ) << QStringLiteral( "layer=%1&reduction=mean" ).arg( pointsId ) << QStringLiteral( "needs a value field" );
  QTest::newRow( "missing category field" ) << QStringLiteral( "layer=%1&reduction=count_cat&category=nosuch" ).arg( pointsId ) << QStringLiteral( "no field 'nosuch'" );
  QTest::newRow( "nonexistent file" ) << QStringLiteral( "source=%1&provider=ogr" ).arg( QString::fromLatin1( QUrl::toPercentEncoding( mDir.filePath( QStringLiteral( "nope/missing.gpkg" ) ) ) ) )
                                      << QStringLiteral( "cannot open" );
  QTest::newRow( "unreadable file" ) << QStringLiteral( "source=%1&provider=ogr" ).arg( QString::fromLatin1( QUrl::toPercentEncoding( garbage ) ) ) << QStringLiteral( "cannot open" );
  QTest::newRow( "unknown project layer" ) << QStringLiteral( "layer=no_such_layer_id" ) << QStringLiteral( "missing or invalid" );
  QTest::newRow( "unknown option" ) << QStringLiteral( "layer=%1&colour=red" ).arg( pointsId ) << QStringLiteral( "unknown density layer option 'colour'" );
  QTest::newRow( "unknown colormap" ) << QStringLiteral( "layer=%1&cmap=nosuchmap" ).arg( pointsId ) << QStringLiteral( "nosuchmap" );
  QTest::newRow( "span with eq_hist" ) << QStringLiteral( "layer=%1&how=eq_hist&span=0,10" ).arg( pointsId ) << QStringLiteral( "span" );
}

void TestDensityErrors::badInput()
{
  QFETCH( QString, uri );
  QFETCH( QString, expected );
  std::unique_ptr<DensityLayer> density = test::createDensityLayer( uri );
  QVERIFY( density );
  QVERIFY( density->isValid() ); // kept (with its settings) even when it cannot draw
  for ( Job job : { Job::Sequential, Job::Parallel } )
  {
    QStringList errors;
    const QImage image = test::render( test::mapSettings( { density.get() }, z8Extent(), QSize( 256, 192 ) ), job, &errors );
    QCOMPARE( image.size(), QSize( 256, 192 ) );
    QCOMPARE( test::litPixels( image ), 0LL );
    // QGIS 3.22's parallel job lists each message of a layer renderer twice (once when the layer
    // finishes, once at clean-up); the sequential job once.
    errors.removeDuplicates();
    QVERIFY2( errors.size() == 1, qPrintable( QStringLiteral( "%1: %2" ).arg( test::jobName( job ), errors.join( QLatin1Char( '|' ) ) ) ) );
    QVERIFY2( errors.front().contains( expected ), qPrintable( errors.front() ) );
    QVERIFY( errors.front().startsWith( density->id() ) );
    qInfo().noquote() << test::jobName( job ) << "error:" << errors.front().mid( density->id().size() + 2 );
  }
}

void TestDensityErrors::emptyLayer()
{
  QgsVectorLayer *empty = own( test::memoryPointLayer( PointColumns(), QStringLiteral( "EPSG:3857" ), QStringLiteral( "empty" ) ) );
  QCOMPARE( empty->featureCount(), 0LL );
  for ( const QString &how : { QStringLiteral( "eq_hist" ), QStringLiteral( "log" ), QStringLiteral( "linear" ) } )
  {
    std::unique_ptr<DensityLayer> density = test::createDensityLayer( QStringLiteral( "layer=%1&how=%2" ).arg( empty->id(), how ) );
    QVERIFY( density );
    for ( Job job : { Job::Sequential, Job::Parallel } )
    {
      QStringList errors;
      const QImage image = test::render( test::mapSettings( { density.get() }, z8Extent(), QSize( 256, 192 ) ), job, &errors );
      QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );
      QCOMPARE( image.size(), QSize( 256, 192 ) );
      QCOMPARE( test::litPixels( image ), 0LL );
    }
  }
}

void TestDensityErrors::nonFiniteCoordinates()
{
  // Six points, one per pixel of a 4x4 map over [0, 4] x [0, 4], and five non-finite ones.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> x { 0.5, 1.5, 2.5, 3.5, 0.5, 1.5, nan, inf, -inf, 1.0, nan };
  std::vector<double> y { 0.5, 1.5, 2.5, 3.5, 3.5, 0.5, 1.0, 1.0, 2.0, nan, -inf };
  QgsVectorLayer *layer = own( test::memoryPointLayer( PointColumns::owned( x, y ), QStringLiteral( "EPSG:3857" ), QStringLiteral( "nonfinite" ) ) );
  QCOMPARE( layer->featureCount(), 11LL );
  std::unique_ptr<DensityLayer> density = test::createDensityLayer( QStringLiteral( "layer=%1&how=linear&cmap=red" ).arg( layer->id() ) );
  QVERIFY( density );
  for ( Job job : { Job::Sequential, Job::Parallel } )
  {
    QStringList errors;
    const QImage image = test::render( test::mapSettings( { density.get() }, QgsRectangle( 0, 0, 4, 4 ), QSize( 4, 4 ) ), job, &errors );
    QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );
    QCOMPARE( test::litPixels( image ), 6LL );
    const QImage s = test::straightRgba( image );
    for ( const QPoint &p : { QPoint( 0, 3 ), QPoint( 1, 2 ), QPoint( 2, 1 ), QPoint( 3, 0 ), QPoint( 0, 0 ), QPoint( 1, 3 ) } )
      QVERIFY2( s.pixelColor( p ).alpha() > 0, qPrintable( QStringLiteral( "pixel %1,%2 is empty" ).arg( p.x() ).arg( p.y() ) ) );
  }
}

void TestDensityErrors::zeroSizeMap()
{
  std::unique_ptr<DensityLayer> density = test::createDensityLayer( QStringLiteral( "layer=%1" ).arg( mPoints->id() ) );
  QVERIFY( density );
  for ( const QSize &size : { QSize( 0, 0 ), QSize( 0, 100 ), QSize( 1, 1 ) } )
    for ( Job job : { Job::Sequential, Job::Parallel } )
    {
      QStringList errors;
      const QImage image = test::render( test::mapSettings( { density.get() }, z8Extent(), size ), job, &errors );
      // QGIS itself refuses an empty map ("Invalid map settings", no layer id) before any layer
      // renderer exists; the density layer must add nothing to that.
      for ( const QString &e : errors )
        QVERIFY2( !e.startsWith( density->id() ), qPrintable( e ) );
      if ( !size.isEmpty() )
        QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );
      qInfo().noquote() << QStringLiteral( "%1 %2x%3: image %4x%5, errors: %6" ).arg( test::jobName( job ) ).arg( size.width() ).arg( size.height() )
                             .arg( image.width() ).arg( image.height() ).arg( errors.join( QLatin1Char( '|' ) ) );
    }
}

void TestDensityErrors::cancel_data()
{
  QTest::addColumn<bool>( "cacheBuilt" );
  QTest::addColumn<bool>( "waitForWorker" );
  QTest::newRow( "cache build, cancel at once" ) << false << false;
  QTest::newRow( "cache build, cancel once a worker runs" ) << false << true;
  QTest::newRow( "cache built, cancel at once" ) << true << false;
  QTest::newRow( "cache built, cancel once a worker runs" ) << true << true;
}

void TestDensityErrors::cancel()
{
  QFETCH( bool, cacheBuilt );
  QFETCH( bool, waitForWorker );
  static QgsVectorLayer *big = nullptr;
  if ( !big )
    big = own( test::sceneGeoPackageLayer( 2000000, mDir.path() ) );
  std::unique_ptr<DensityLayer> density = test::createDensityLayer( QStringLiteral( "layer=%1" ).arg( big->id() ) );
  QVERIFY( density );
  const QgsMapSettings ms = test::mapSettings( { density.get() }, z8Extent(), QSize( 1024, 768 ) );
  QElapsedTimer timer;
  if ( cacheBuilt )
  {
    timer.start();
    test::render( ms, Job::Parallel );
    qInfo().noquote() << QStringLiteral( "uncancelled render with the cache build: %1 ms" ).arg( timer.elapsed() );
    QVERIFY( density->cacheBytes() > 0 );
    timer.start();
    test::render( ms, Job::Parallel );
    qInfo().noquote() << QStringLiteral( "uncancelled render, cache built: %1 ms" ).arg( timer.elapsed() );
  }
  QgsMapRendererParallelJob job( ms );
  timer.start();
  job.start();
  // No sleeping: either cancel at once, or as soon as the pool runs the layer (a condition, not a
  // time), so that the cancel lands inside the renderer's work.
  while ( waitForWorker && job.isActive() && QThreadPool::globalInstance()->activeThreadCount() == 0 && timer.elapsed() < 10000 )
    QThread::yieldCurrentThread();
  const qint64 started = timer.elapsed();
  job.cancel(); // blocks until the job has stopped
  job.waitForFinished();
  const qint64 elapsed = timer.elapsed();
  QVERIFY( !job.isActive() );
  qInfo().noquote() << QStringLiteral( "cancelled %1 ms after start: finished %2 ms after start" ).arg( started ).arg( elapsed );
  // A cancelled render is not an error to report.
  QStringList messages;
  for ( const QgsMapRendererJob::Error &e : job.errors() )
    messages << e.message;
  QVERIFY2( messages.isEmpty(), qPrintable( messages.join( QLatin1Char( '\n' ) ) ) );
  if ( !cacheBuilt )
    QCOMPARE( density->cacheBytes(), 0ULL ); // nothing half-built was stored

  // The layer still renders afterwards.
  QStringList errors;
  const QImage image = test::render( ms, Job::Parallel, &errors );
  QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );
  QVERIFY( test::litPixels( image ) > 1000 );
}

GRIDSHADE_QGIS_TEST_MAIN( TestDensityErrors )
#include "test_density_errors.moc"
