// SPDX-License-Identifier: GPL-2.0-or-later
// The plumbing behind the diagnostics docks, headless: render figures travel by signal onto the
// GUI thread, diagnostic flags tag a render and force its backend, preview jobs leave
// renderStats alone, web-map zoom arithmetic against renderer/resources/scenes.json, and the off-screen snapshot runner (the Zoom dock's sweep, the
// SSIM dock's renders) against brute-force counts and the reviewed goldens.
#include "checks/ssim.h"
#include "diagnostics/snapshot_runner.h"
#include "diagnostics/web_zoom.h"
#include "layer/density_layer.h"
#include "plugin_test_support.h"
#include "scene/scene_generator.h"
#include "scene/standard_zooms.h"

#include <qgsapplication.h>
#include <qgsmaprendererparalleljob.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace gridshade;

namespace
{
constexpr uint64_t POINTS = 1000000; // the plugin goldens' scene

QgsRectangle toRectangle( const Extent &e )
{
  return QgsRectangle( e.xmin, e.ymin, e.xmax, e.ymax );
}

// Datashader's rule: a point is in view iff xmin <= x <= xmax and ymin <= y <= ymax.
qlonglong bruteForceInView( const PointColumns &points, const Extent &e )
{
  qlonglong n = 0;
  for ( size_t i = 0; i < points.size(); ++i )
    n += points.x()[i] >= e.xmin && points.x()[i] <= e.xmax && points.y()[i] >= e.ymin && points.y()[i] <= e.ymax;
  return n;
}

QJsonObject scenesViewport( const QString &name )
{
  QFile f( QStringLiteral( GRIDSHADE_SOURCE_DIR "/renderer/resources/scenes.json" ) );
  if ( !f.open( QIODevice::ReadOnly ) )
    return {};
  return QJsonDocument::fromJson( f.readAll() ).object().value( QStringLiteral( "viewports" ) ).toObject().value( name ).toObject();
}
} // namespace

class TestDiagnostics : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void statsArriveBySignal();
    void diagnosticFlags();
    void previewJobsKeepTheViewStats();
    void webZoom3857();
    void webZoomOtherCrs();
    void sweepMatchesGoldens();
    void cancelSweep();

  private:
    QgsMapSettings standardSettings( int zoom ) const;

    PointColumns mScene;
    QTemporaryDir mDir;
    QgsVectorLayer *mSource = nullptr; // owned by the project
    std::unique_ptr<DensityLayer> mDensity;
};

void TestDiagnostics::initTestCase()
{
  QVERIFY( test::startQgis() );
  mScene = SceneGenerator().generate( POINTS );
  std::unique_ptr<QgsVectorLayer> source = test::sceneGeoPackageLayer( POINTS, mDir.path() );
  QVERIFY( source->isValid() );
  mSource = source.release();
  QgsProject::instance()->addMapLayer( mSource );
  mDensity = test::createDensityLayer( QStringLiteral( "layer=%1&how=eq_hist&cmap=fire" ).arg( mSource->id() ) );
  QVERIFY( mDensity );
  QVERIFY2( mDensity->lastError().isEmpty(), qPrintable( mDensity->lastError() ) );
}

void TestDiagnostics::cleanupTestCase()
{
  mDensity.reset();
  test::stopQgis();
}

QgsMapSettings TestDiagnostics::standardSettings( int zoom ) const
{
  const Viewport vp = standard::viewport( zoom );
  return test::mapSettings( { mDensity.get() }, toRectangle( vp.extent() ), QSize( vp.width(), vp.height() ) );
}

// The parallel job renders on worker threads; the figures must reach a GUI-thread receiver by a
// queued signal (no polling), once per render, with the extra timings and the points in view.
void TestDiagnostics::statsArriveBySignal()
{
  QList<QThread *> threads;
  QList<QVariantMap> received;
  QObject receiver;
  connect( mDensity->statsBox().get(), &RenderStatsBox::recorded, &receiver, [&]( const QVariantMap &stats ) {
    threads << QThread::currentThread();
    received << stats;
  }, Qt::QueuedConnection );
  QgsMapRendererParallelJob job( standardSettings( 8 ) );
  job.start();
  job.waitForFinished();
  QVERIFY( received.isEmpty() ); // queued: nothing runs on the GUI thread until events are processed
  QTRY_COMPARE( received.size(), 1 );
  QCOMPARE( threads.first(), qApp->thread() );
  const QVariantMap s = received.first();
  QCOMPARE( s.value( QStringLiteral( "source" ) ).toString(), QStringLiteral( "points" ) );
  QCOMPARE( s.value( QStringLiteral( "pointsTotal" ) ).toLongLong(), qlonglong( POINTS ) );
  QCOMPARE( s.value( QStringLiteral( "pointsInView" ) ).toLongLong(), bruteForceInView( mScene, standard::viewport( 8 ).extent() ) );
  for ( const char *key : { "cacheMs", "aggregateMs", "shadeMs", "drawMs" } )
    QVERIFY2( s.value( QLatin1String( key ) ).toDouble() >= 0 && s.contains( QLatin1String( key ) ), key );
  QVERIFY( !s.contains( QStringLiteral( "tag" ) ) );
  QCOMPARE( s, mDensity->renderStats() );
}

void TestDiagnostics::diagnosticFlags()
{
  QgsMapSettings ms = standardSettings( 4 );
  ms.setCustomRenderingFlag( QStringLiteral( "gridshade/tag" ), QStringLiteral( "probe" ) );
  ms.setCustomRenderingFlag( QStringLiteral( "gridshade/backend" ), QStringLiteral( "cpu" ) );
  QStringList errors;
  const QImage tagged = test::render( ms, test::Job::Sequential, &errors );
  QVERIFY( errors.isEmpty() );
  QCOMPARE( mDensity->renderStats().value( QStringLiteral( "tag" ) ).toString(), QStringLiteral( "probe" ) );
  QCOMPARE( mDensity->renderStats().value( QStringLiteral( "backend" ) ).toString(), QStringLiteral( "cpu" ) );
  // The flags change nothing in the picture.
  const QImage plain = test::render( standardSettings( 4 ), test::Job::Sequential );
  QCOMPARE( test::differingPixels( tagged, plain ), 0LL );
}

// The canvas renders the neighbourhood of the view in preview jobs after each view: their
// figures reach the docks' signal (tagged "preview") but renderStats stays the view's.
void TestDiagnostics::previewJobsKeepTheViewStats()
{
  QStringList errors;
  test::render( standardSettings( 8 ), test::Job::Parallel, &errors );
  QVERIFY( errors.isEmpty() );
  const QVariantMap view = mDensity->renderStats();
  QCOMPARE( view.value( QStringLiteral( "width" ) ).toInt(), 1024 );

  QList<QVariantMap> received;
  QObject receiver;
  connect( mDensity->statsBox().get(), &RenderStatsBox::recorded, &receiver, [&]( const QVariantMap &stats ) { received << stats; }, Qt::QueuedConnection );
  // A preview job as QgsMapCanvas makes them: another extent, another size, the preview flag.
  const Viewport z4 = standard::viewport( 4 );
  QgsMapSettings preview = test::mapSettings( { mDensity.get() }, toRectangle( z4.extent() ), QSize( 512, 384 ) );
  preview.setFlag( Qgis::MapSettingsFlag::RenderPreviewJob, true );
  test::render( preview, test::Job::Parallel, &errors );
  QVERIFY( errors.isEmpty() );
  QTRY_COMPARE( received.size(), 1 );
  QCOMPARE( received.first().value( QStringLiteral( "tag" ) ).toString(), QStringLiteral( "preview" ) );
  QCOMPARE( received.first().value( QStringLiteral( "width" ) ).toInt(), 512 );
  QCOMPARE( mDensity->renderStats(), view );
}

void TestDiagnostics::webZoom3857()
{
  for ( int zoom : { 0, 4, 8, 12 } )
  {
    const QJsonObject v = scenesViewport( QStringLiteral( "Z%1" ).arg( zoom ) );
    const QJsonArray e = v.value( QStringLiteral( "extent" ) ).toArray();
    QCOMPARE( e.size(), 4 );
    const QgsRectangle expected( e[0].toDouble(), e[1].toDouble(), e[2].toDouble(), e[3].toDouble() );
    const QgsRectangle got = webzoom::extentAt( zoom, webzoom::sceneCentre(), QSize( 1024, 768 ), QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:3857" ) ),
                                                QgsProject::instance()->transformContext() );
    const double res = v.value( QStringLiteral( "res_m_per_px" ) ).toDouble();
    QVERIFY2( std::abs( got.xMinimum() - expected.xMinimum() ) < 1e-6 * res && std::abs( got.yMaximum() - expected.yMaximum() ) < 1e-6 * res,
              qPrintable( got.toString() + QStringLiteral( " vs " ) + expected.toString() ) );
    QVERIFY( std::abs( webzoom::level( standardSettings( zoom ) ) - zoom ) < 1e-9 );
  }
}

// A jump in a geographic CRS: the view must come back at the asked level around the same centre.
void TestDiagnostics::webZoomOtherCrs()
{
  const QgsCoordinateReferenceSystem wgs84( QStringLiteral( "EPSG:4326" ) );
  const QgsCoordinateTransformContext context = QgsProject::instance()->transformContext();
  for ( int zoom : { 3, 8, 12 } )
  {
    const QgsRectangle extent = webzoom::extentAt( zoom, webzoom::sceneCentre(), QSize( 800, 600 ), wgs84, context );
    QVERIFY( !extent.isNull() );
    QVERIFY( std::abs( extent.center().x() - 8.5 ) < 1e-9 && std::abs( extent.center().y() - 47.4 ) < 1e-9 );
    const QgsMapSettings ms = test::mapSettings( { mDensity.get() }, extent, QSize( 800, 600 ), QStringLiteral( "EPSG:4326" ) );
    QVERIFY2( std::abs( webzoom::level( ms ) - zoom ) < 1e-6, qPrintable( QString::number( webzoom::level( ms ), 'f', 9 ) ) );
  }
  // The layer's own centre: the scene's points span the standard scene.
  const QgsPointXY c = webzoom::layerCentre( *mDensity, context );
  QVERIFY( !c.isEmpty() );
  QVERIFY( mDensity->extent().contains( c ) );
}

// The Zoom dock's sweep: the four standard zooms rendered off screen by the runner are the
// reviewed goldens, their figures arrive tagged, with brute-force counts of the points in view.
void TestDiagnostics::sweepMatchesGoldens()
{
  SnapshotRunner runner;
  QList<SnapshotResult> results;
  QStringList progress;
  connect( &runner, &SnapshotRunner::rendered, this, [&]( const SnapshotResult &r ) { results << r; } );
  connect( &runner, &SnapshotRunner::progress, this, [&]( int i, int n, const QString &tag ) { progress << QStringLiteral( "%1/%2 %3" ).arg( i ).arg( n ).arg( tag ); } );
  QSignalSpy finished( &runner, &SnapshotRunner::finished );
  QList<SnapshotRequest> requests;
  for ( int zoom : { 0, 4, 8, 12 } )
    requests << SnapshotRequest { QStringLiteral( "Z%1" ).arg( zoom ), standardSettings( zoom ), QString() };
  QVERIFY( runner.start( mDensity.get(), requests ) );
  QVERIFY( runner.isRunning() );
  QVERIFY( !runner.start( mDensity.get(), requests ) ); // one sweep at a time
  QVERIFY( finished.wait( 120000 ) );
  QCOMPARE( finished.first().first().toBool(), false );
  QCOMPARE( progress, QStringList( { QStringLiteral( "0/4 Z0" ), QStringLiteral( "1/4 Z4" ), QStringLiteral( "2/4 Z8" ), QStringLiteral( "3/4 Z12" ) } ) );
  QCOMPARE( results.size(), 4 );
  for ( const SnapshotResult &r : results )
  {
    Viewport vp;
    QVERIFY( standard::viewportByName( r.tag, vp ) );
    QVERIFY2( r.errors.isEmpty(), qPrintable( r.errors.join( QLatin1Char( '\n' ) ) ) );
    QCOMPARE( r.stats.value( QStringLiteral( "tag" ) ).toString(), r.tag );
    QCOMPARE( r.stats.value( QStringLiteral( "pointsInView" ) ).toLongLong(), bruteForceInView( mScene, vp.extent() ) );
    QVERIFY( r.renderMs >= 0 );
    const QString name = QStringLiteral( "density_z%1.png" ).arg( r.tag.mid( 1 ) );
    const SsimReport report = Ssim::report( QImage( QStringLiteral( GRIDSHADE_SOURCE_DIR "/goldens/plugin/" ) + name ), r.image );
    QVERIFY2( report.ssim >= 0.98, qPrintable( QStringLiteral( "%1: SSIM %2" ).arg( name ).arg( report.ssim ) ) );
    // And pixel for pixel what a plain render of the same view gives.
    QCOMPARE( test::differingPixels( r.image, test::render( standardSettings( r.tag.mid( 1 ).toInt() ), test::Job::Parallel ) ), 0LL );
  }
}

void TestDiagnostics::cancelSweep()
{
  SnapshotRunner runner;
  int rendered = 0;
  connect( &runner, &SnapshotRunner::rendered, this, [&]( const SnapshotResult & ) { ++rendered; } );
  QSignalSpy finished( &runner, &SnapshotRunner::finished );
  QList<SnapshotRequest> requests;
  for ( int zoom : { 0, 4, 8, 12 } )
    requests << SnapshotRequest { QStringLiteral( "Z%1" ).arg( zoom ), standardSettings( zoom ), QString() };
  QVERIFY( runner.start( mDensity.get(), requests ) );
  runner.cancel();
  QVERIFY( finished.wait( 60000 ) );
  QCOMPARE( finished.size(), 1 );
  QCOMPARE( finished.first().first().toBool(), true );
  QCOMPARE( rendered, 0 );
  QVERIFY( !runner.isRunning() );
  // A runner deleted mid-render waits for its job instead of leaving it running.
  auto doomed = std::make_unique<SnapshotRunner>();
  QVERIFY( doomed->start( mDensity.get(), requests ) );
  doomed.reset();
}

GRIDSHADE_QGIS_TEST_MAIN( TestDiagnostics )
#include "test_diagnostics.moc"
