// SPDX-License-Identifier: GPL-2.0-or-later
// The density layer drawn by QGIS's own render jobs (sequential and parallel): the standard
// 1e6-point scene at Z0, Z4, Z8, Z12 against reviewed goldens, against the engine's own render
// of the same points and grid (byte for byte: the plugin's viewport mapping must be exact), and
// a HiDPI (device pixel ratio 2) render against the DPR-1 render of the same device grid.
//
// Regenerate on purpose only: GRIDSHADE_UPDATE_GOLDENS=1 ctest -R plugin.density_render, then
// look at the images. On failure the actual image, a diff image and a report go to
// <build>/test-artifacts/plugin-goldens/.
#include "checks/ssim.h"
#include "density_pipeline.h"
#include "gpu/gpu_aggregator.h"
#include "layer/density_layer.h"
#include "plugin_test_support.h"
#include "scene/scene_generator.h"
#include "scene/standard_zooms.h"

#include <qgsapplication.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

#include "file_sha256.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace gridshade;
using test::Job;

namespace
{
constexpr uint64_t POINTS = 1000000;
constexpr double SSIM_GATE = 0.98;
const QString URI_OPTIONS = QStringLiteral( "how=eq_hist&cmap=fire" );

QString goldenDir()
{
  return QStringLiteral( GRIDSHADE_SOURCE_DIR "/goldens/plugin" );
}

QString artifactDir()
{
  return QStringLiteral( GRIDSHADE_BINARY_DIR "/test-artifacts/plugin-goldens" );
}


QgsRectangle toRectangle( const Extent &e )
{
  return QgsRectangle( e.xmin, e.ymin, e.xmax, e.ymax );
}

bool writeSidecar( const QString &name, const QString &zoom, const Viewport &vp, const QString &pngPath, const QString &jsonPath )
{
  const Extent &e = vp.extent();
  const QJsonObject sidecar { { QStringLiteral( "case" ), name },
                              { QStringLiteral( "suite" ), QStringLiteral( "plugin" ) },
                              { QStringLiteral( "scene" ), QStringLiteral( "standard" ) },
                              { QStringLiteral( "seed" ), double( SceneGenerator::DEFAULT_SEED ) },
                              { QStringLiteral( "points" ), double( POINTS ) },
                              { QStringLiteral( "zoom" ), zoom },
                              { QStringLiteral( "crs" ), QStringLiteral( "EPSG:3857" ) },
                              { QStringLiteral( "extent" ), QJsonArray { e.xmin, e.ymin, e.xmax, e.ymax } },
                              { QStringLiteral( "width" ), vp.width() },
                              { QStringLiteral( "height" ), vp.height() },
                              { QStringLiteral( "background" ), QStringLiteral( "transparent" ) },
                              { QStringLiteral( "source" ), QStringLiteral( "memory point layer" ) },
                              { QStringLiteral( "uri" ), QStringLiteral( "layer=<id>&" ) + URI_OPTIONS },
                              { QStringLiteral( "reduction" ), QStringLiteral( "count" ) },
                              { QStringLiteral( "how" ), QStringLiteral( "eq_hist" ) },
                              { QStringLiteral( "cmap" ), QStringLiteral( "fire" ) },
                              { QStringLiteral( "jobs" ), QJsonArray { QStringLiteral( "sequential" ), QStringLiteral( "parallel" ) } },
                              { QStringLiteral( "ssim_gate" ), SSIM_GATE },
                              { QStringLiteral( "sha256" ), QString::fromLatin1( test::fileSha256( pngPath ) ) },
                              { QStringLiteral( "engine_version" ), QStringLiteral( GRIDSHADE_VERSION ) } };
  QFile f( jsonPath );
  if ( !f.open( QIODevice::WriteOnly | QIODevice::Truncate ) )
    return false;
  f.write( QJsonDocument( sidecar ).toJson() );
  return true;
}
} // namespace

class TestDensityRender : public QObject
{
    Q_OBJECT

  private slots:
    void initTestCase();
    void cleanupTestCase();
    void goldens_data();
    void goldens();
    void devicePixelRatio_data();
    void devicePixelRatio();
    void gpuBackend();

  private:
    PointColumns mScene;
    QTemporaryDir mDir;
    QgsVectorLayer *mSource = nullptr; // owned by the project
    std::unique_ptr<DensityLayer> mDensity;
};

void TestDensityRender::initTestCase()
{
  QVERIFY( test::startQgis() );
  mScene = SceneGenerator().generate( POINTS );
  std::unique_ptr<QgsVectorLayer> source = test::sceneGeoPackageLayer( POINTS, mDir.path() );
  QVERIFY( source->isValid() );
  QCOMPARE( source->featureCount(), static_cast<long long>( POINTS ) );
  mSource = source.release();
  QgsProject::instance()->addMapLayer( mSource );
  mDensity = test::createDensityLayer( QStringLiteral( "layer=%1&" ).arg( mSource->id() ) + URI_OPTIONS );
  QVERIFY( mDensity );
  QVERIFY2( mDensity->lastError().isEmpty(), qPrintable( mDensity->lastError() ) );
  QCOMPARE( mDensity->crs().authid(), QStringLiteral( "EPSG:3857" ) );
}

void TestDensityRender::cleanupTestCase()
{
  mDensity.reset();
  test::stopQgis();
}

void TestDensityRender::goldens_data()
{
  QTest::addColumn<QString>( "zoom" );
  QTest::addColumn<Job>( "job" );
  for ( Job job : { Job::Sequential, Job::Parallel } )
    for ( const QString &z : standard::zoomNames() )
      QTest::newRow( qPrintable( QStringLiteral( "%1/%2" ).arg( test::jobName( job ), z ) ) ) << z << job;
}

void TestDensityRender::goldens()
{
  QFETCH( QString, zoom );
  QFETCH( Job, job );
  Viewport vp;
  QVERIFY( standard::viewportByName( zoom, vp ) );
  const QgsMapSettings ms = test::mapSettings( { mDensity.get() }, toRectangle( vp.extent() ), QSize( vp.width(), vp.height() ) );
  // QgsMapSettings recomputes the visible extent from the centre and the larger resolution: it
  // must be the standard viewport to a tiny fraction of a pixel.
  const QgsRectangle visible = ms.visibleExtent();
  const double res = ( vp.extent().xmax - vp.extent().xmin ) / vp.width();
  QVERIFY( std::abs( visible.xMinimum() - vp.extent().xmin ) / res < 1e-6 );
  QVERIFY( std::abs( visible.yMaximum() - vp.extent().ymax ) / res < 1e-6 );

  QStringList errors;
  const QImage rendered = test::render( ms, job, &errors );
  QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );
  QCOMPARE( rendered.size(), QSize( vp.width(), vp.height() ) );
  const QImage actual = test::straightRgba( rendered );

  // Independent check of the viewport mapping: the engine on the same points and grid.
  RenderResult engine;
  const Viewport exact( Extent { visible.xMinimum(), visible.yMinimum(), visible.xMaximum(), visible.yMaximum() }, vp.width(), vp.height() );
  QVERIFY( DensityPipeline::render( mScene, exact, AggregateSettings(), ShadeSettings(), engine ) );
  QCOMPARE( test::differingPixels( actual, engine.image.view() ), 0LL );
  RenderResult nominal;
  QVERIFY( DensityPipeline::render( mScene, vp, AggregateSettings(), ShadeSettings(), nominal ) );
  const long long nominalDiff = test::differingPixels( actual, nominal.image.view() );
  qInfo().noquote() << QStringLiteral( "%1 %2: %3 lit pixels; %4 pixels differ from the engine on the nominal standard viewport" )
                         .arg( test::jobName( job ), zoom ).arg( test::litPixels( actual ) ).arg( nominalDiff );

  const QString name = QStringLiteral( "density_%1" ).arg( zoom.toLower() );
  const QString pngPath = goldenDir() + QStringLiteral( "/%1.png" ).arg( name );
  const QString jsonPath = goldenDir() + QStringLiteral( "/%1.json" ).arg( name );
  if ( qEnvironmentVariableIntValue( "GRIDSHADE_UPDATE_GOLDENS" ) == 1 )
  {
    if ( job != Job::Sequential )
      QSKIP( "goldens are written from the sequential job; the parallel job is checked against them" );
    QDir().mkpath( goldenDir() );
    QVERIFY( actual.save( pngPath, "PNG" ) );
    QVERIFY( writeSidecar( name, zoom, vp, pngPath, jsonPath ) );
    QSKIP( "golden regenerated: review it by eye before committing" );
  }

  QFile sidecarFile( jsonPath );
  QVERIFY2( sidecarFile.open( QIODevice::ReadOnly ), qPrintable( QStringLiteral( "missing sidecar %1" ).arg( jsonPath ) ) );
  const QJsonObject sidecar = QJsonDocument::fromJson( sidecarFile.readAll() ).object();
  QCOMPARE( sidecar.value( QStringLiteral( "points" ) ).toDouble(), double( POINTS ) );
  QCOMPARE( sidecar.value( QStringLiteral( "seed" ) ).toDouble(), double( SceneGenerator::DEFAULT_SEED ) );
  QCOMPARE( sidecar.value( QStringLiteral( "zoom" ) ).toString(), zoom );
  QCOMPARE( sidecar.value( QStringLiteral( "sha256" ) ).toString().toLatin1(), test::fileSha256( pngPath ) );

  const QImage golden = QImage( pngPath ).convertToFormat( QImage::Format_RGBA8888 );
  QVERIFY2( !golden.isNull(), qPrintable( pngPath ) );
  QImage diff;
  const double ssim = Ssim::compareImages( actual, golden, &diff );
  const long long differing = test::differingPixels( actual, golden );
  qInfo().noquote() << QStringLiteral( "%1 %2: SSIM %3, %4 differing pixels" ).arg( test::jobName( job ), zoom ).arg( ssim, 0, 'f', 6 ).arg( differing );
  if ( ssim < SSIM_GATE )
  {
    QDir().mkpath( artifactDir() );
    const QString stem = artifactDir() + QStringLiteral( "/%1_%2" ).arg( name, test::jobName( job ) );
    actual.save( stem + QStringLiteral( "_actual.png" ) );
    diff.save( stem + QStringLiteral( "_diff.png" ) );
    QFile report( stem + QStringLiteral( "_report.txt" ) );
    if ( report.open( QIODevice::WriteOnly ) )
      report.write( QStringLiteral( "%1 %2: SSIM %3 < %4; %5 differing pixels\n" ).arg( test::jobName( job ), zoom ).arg( ssim ).arg( SSIM_GATE ).arg( differing ).toUtf8() );
  }
  QVERIFY2( ssim >= SSIM_GATE, qPrintable( QStringLiteral( "SSIM %1 below %2: see %3" ).arg( ssim ).arg( SSIM_GATE ).arg( artifactDir() ) ) );
}

void TestDensityRender::devicePixelRatio_data()
{
  QTest::addColumn<Job>( "job" );
  QTest::newRow( "sequential" ) << Job::Sequential;
  QTest::newRow( "parallel" ) << Job::Parallel;
}

void TestDensityRender::devicePixelRatio()
{
  QFETCH( Job, job );
  const Viewport vp = standard::viewport( 8 );
  const QgsRectangle extent = toRectangle( vp.extent() );
  QgsMapSettings hidpi = test::mapSettings( { mDensity.get() }, extent, QSize( 512, 384 ) );
  hidpi.setDevicePixelRatio( 2 );
  QCOMPARE( hidpi.deviceOutputSize(), QSize( 1024, 768 ) );
  const QgsMapSettings plain = test::mapSettings( { mDensity.get() }, extent, QSize( 1024, 768 ) );

  QStringList errors;
  const QImage two = test::render( hidpi, job, &errors );
  QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );
  QCOMPARE( two.size(), QSize( 1024, 768 ) );
  QCOMPARE( two.devicePixelRatio(), 2.0 );
  const QImage one = test::render( plain, job, &errors );
  QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );
  QVERIFY( test::litPixels( one ) > 1000 );
  // Same device grid, same points: the same bytes.
  QCOMPARE( test::differingPixels( two, one ), 0LL );
}

void TestDensityRender::gpuBackend()
{
  // Runs for real under xvfb-run (ctest's plugin.density_render_gpu, Qt's xcb platform);
  // skipped on the offscreen platform, which has no Vulkan.
  const GpuStatus gpu = GpuAggregator::status();
  if ( !gpu.available )
    QSKIP( qPrintable( QStringLiteral( "no usable Vulkan device: %1" ).arg( gpu.reason ) ) );
  for ( const QString &zoom : { QStringLiteral( "Z0" ), QStringLiteral( "Z8" ) } )
  {
    Viewport vp;
    QVERIFY( standard::viewportByName( zoom, vp ) );
    const QgsMapSettings ms = test::mapSettings( { mDensity.get() }, toRectangle( vp.extent() ), QSize( vp.width(), vp.height() ) );
    QImage images[2];
    for ( int i = 0; i < 2; ++i )
    {
      const QString backend = i == 0 ? QStringLiteral( "gpu" ) : QStringLiteral( "cpu" );
      QCOMPARE( mDensity->setOption( QStringLiteral( "backend" ), backend ), QString() );
      QStringList errors;
      images[i] = test::straightRgba( test::render( ms, Job::Parallel, &errors ) );
      QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );
      const QVariantMap stats = mDensity->renderStats();
      QCOMPARE( stats.value( QStringLiteral( "backend" ) ).toString(), backend );
      QCOMPARE( stats.value( QStringLiteral( "pointsTotal" ) ).toULongLong(), POINTS );
      if ( i == 0 )
      {
        QCOMPARE( stats.value( QStringLiteral( "device" ) ).toString(), gpu.device );
        QCOMPARE( stats.value( QStringLiteral( "softwareDevice" ) ).toBool(), gpu.software );
        QVERIFY( stats.value( QStringLiteral( "gpuResidentBytes" ) ).toULongLong() >= POINTS * 16 );
      }
    }
    QCOMPARE( test::differingPixels( images[0], images[1] ), 0LL );
    QVERIFY( test::litPixels( images[0] ) > 1000 );
  }
  QCOMPARE( mDensity->setOption( QStringLiteral( "backend" ), QStringLiteral( "auto" ) ), QString() );

  // auto: a real GPU, never a software Vulkan device (Mesa's llvmpipe here without a GPU), and
  // the figures say why the CPU ran.
  QStringList errors;
  test::render( test::mapSettings( { mDensity.get() }, toRectangle( standard::viewport( 8 ).extent() ), QSize( 1024, 768 ) ), Job::Parallel, &errors );
  QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );
  const QVariantMap stats = mDensity->renderStats();
  if ( gpu.device.startsWith( QLatin1String( "llvmpipe" ) ) )
    QVERIFY( gpu.software );
  QCOMPARE( stats.value( QStringLiteral( "backend" ) ).toString(), gpu.software ? QStringLiteral( "cpu" ) : QStringLiteral( "gpu" ) );
  if ( gpu.software )
    QVERIFY2( stats.value( QStringLiteral( "backendNote" ) ).toString().contains( QStringLiteral( "software Vulkan" ) ),
              qPrintable( stats.value( QStringLiteral( "backendNote" ) ).toString() ) );
}

GRIDSHADE_QGIS_TEST_MAIN( TestDensityRender )
#include "test_density_render.moc"
