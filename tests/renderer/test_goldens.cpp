// SPDX-License-Identifier: GPL-2.0-or-later
// The standard 1e6-point scene at Z0, Z4, Z8, Z12 (eq_hist, fire) against reviewed goldens.
//
// Regenerate on purpose only: GRIDSHADE_UPDATE_GOLDENS=1 ctest -R goldens, then look at the
// images and say why in the commit. On failure the actual image, a diff image and a report go to
// <build>/test-artifacts/goldens/.
#include "checks/ssim.h"
#include "density_pipeline.h"
#include "scene/scene_generator.h"
#include "scene/standard_zooms.h"

#include "file_sha256.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace gridshade;

namespace
{
constexpr uint64_t POINTS = 1000000;
constexpr double SSIM_GATE = 0.98;

QString goldenDir()
{
  return QStringLiteral( GRIDSHADE_SOURCE_DIR "/goldens/renderer" );
}

QString artifactDir()
{
  return QStringLiteral( GRIDSHADE_BINARY_DIR "/test-artifacts/goldens" );
}

} // namespace

class TestGoldens : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void standardScene_data();
    void standardScene();

  private:
    PointColumns mScene;
};

void TestGoldens::initTestCase()
{
  mScene = SceneGenerator().generate( POINTS );
}

void TestGoldens::standardScene_data()
{
  QTest::addColumn<QString>( "zoom" );
  for ( const QString &z : standard::zoomNames() )
    QTest::newRow( qPrintable( z ) ) << z;
}

void TestGoldens::standardScene()
{
  QFETCH( QString, zoom );
  Viewport vp;
  QVERIFY( standard::viewportByName( zoom, vp ) );
  RenderResult result;
  const ShadeSettings shading; // eq_hist, fire
  QVERIFY( DensityPipeline::render( mScene, vp, AggregateSettings(), shading, result ) );
  const QImage actual = result.image.view();
  const QString name = zoom.toLower();
  const QString pngPath = goldenDir() + QStringLiteral( "/%1.png" ).arg( name );
  const QString jsonPath = goldenDir() + QStringLiteral( "/%1.json" ).arg( name );

  if ( qEnvironmentVariableIntValue( "GRIDSHADE_UPDATE_GOLDENS" ) == 1 )
  {
    QDir().mkpath( goldenDir() );
    QVERIFY( actual.save( pngPath, "PNG" ) );
    const Extent &e = vp.extent();
    const QJsonObject sidecar { { QStringLiteral( "case" ), name },
                                { QStringLiteral( "scene" ), QStringLiteral( "standard" ) },
                                { QStringLiteral( "seed" ), double( SceneGenerator::DEFAULT_SEED ) },
                                { QStringLiteral( "points" ), double( POINTS ) },
                                { QStringLiteral( "zoom" ), zoom },
                                { QStringLiteral( "extent" ), QJsonArray { e.xmin, e.ymin, e.xmax, e.ymax } },
                                { QStringLiteral( "width" ), vp.width() },
                                { QStringLiteral( "height" ), vp.height() },
                                { QStringLiteral( "reduction" ), QStringLiteral( "count" ) },
                                { QStringLiteral( "how" ), howName( shading.how ) },
                                { QStringLiteral( "cmap" ), shading.colormap.name() },
                                { QStringLiteral( "ssim_gate" ), SSIM_GATE },
                                { QStringLiteral( "sha256" ), QString::fromLatin1( test::fileSha256( pngPath ) ) },
                                { QStringLiteral( "engine_version" ), QStringLiteral( GRIDSHADE_VERSION ) } };
    QFile f( jsonPath );
    QVERIFY( f.open( QIODevice::WriteOnly | QIODevice::Truncate ) );
    f.write( QJsonDocument( sidecar ).toJson() );
    QSKIP( "golden regenerated: review it by eye before committing" );
  }

  QFile sidecarFile( jsonPath );
  QVERIFY2( sidecarFile.open( QIODevice::ReadOnly ), qPrintable( QStringLiteral( "missing sidecar %1" ).arg( jsonPath ) ) );
  const QJsonObject sidecar = QJsonDocument::fromJson( sidecarFile.readAll() ).object();
  // The sidecar describes this very case and this very file.
  QCOMPARE( sidecar.value( QStringLiteral( "points" ) ).toDouble(), double( POINTS ) );
  QCOMPARE( sidecar.value( QStringLiteral( "seed" ) ).toDouble(), double( SceneGenerator::DEFAULT_SEED ) );
  QCOMPARE( sidecar.value( QStringLiteral( "how" ) ).toString(), howName( shading.how ) );
  QCOMPARE( sidecar.value( QStringLiteral( "sha256" ) ).toString().toLatin1(), test::fileSha256( pngPath ) );

  const QImage golden( pngPath );
  QVERIFY2( !golden.isNull(), qPrintable( pngPath ) );
  QImage diff;
  const double ssim = Ssim::compareImages( actual, golden, &diff );
  int maxDelta = 0;
  int differing = 0;
  const QImage g = golden.convertToFormat( QImage::Format_RGBA8888 );
  for ( int y = 0; y < g.height() && g.size() == actual.size(); ++y )
    for ( int x = 0; x < g.width() * 4; ++x )
    {
      const int d = std::abs( int( g.constScanLine( y )[x] ) - int( actual.constScanLine( y )[x] ) );
      maxDelta = std::max( maxDelta, d );
      differing += d != 0;
    }
  qInfo().noquote() << QStringLiteral( "%1: SSIM %2, %3 differing channel values, max delta %4" ).arg( zoom ).arg( ssim, 0, 'f', 6 ).arg( differing ).arg( maxDelta );
  if ( ssim < SSIM_GATE )
  {
    QDir().mkpath( artifactDir() );
    actual.save( artifactDir() + QStringLiteral( "/%1_actual.png" ).arg( name ) );
    diff.save( artifactDir() + QStringLiteral( "/%1_diff.png" ).arg( name ) );
    QFile report( artifactDir() + QStringLiteral( "/%1_report.txt" ).arg( name ) );
    if ( report.open( QIODevice::WriteOnly ) )
      report.write( QStringLiteral( "%1: SSIM %2 < %3; max channel delta %4\n" ).arg( zoom ).arg( ssim ).arg( SSIM_GATE ).arg( maxDelta ).toUtf8() );
  }
  QVERIFY2( ssim >= SSIM_GATE, qPrintable( QStringLiteral( "SSIM %1 below %2: see %3" ).arg( ssim ).arg( SSIM_GATE ).arg( artifactDir() ) ) );
}

QTEST_MAIN( TestGoldens )
#include "test_goldens.moc"
