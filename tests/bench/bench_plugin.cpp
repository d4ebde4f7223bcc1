// SPDX-License-Identifier: GPL-2.0-or-later
// The density layer inside QGIS: a full map render through QgsMapRendererSequentialJob
// (1024 x 768, the standard 1e6-point scene at Z8, point cache built; without and with the
// diagnostics docks' receivers connected), the point cache build from
// a 1e6-point GeoPackage (generic feature-iterator path, and the Arrow fast path for reference),
// and QGIS's own heatmap renderer on the same points and map for comparison. Medians over
// repetitions; run with --benchmark_filter to pick cases.
// QGIS headers use Qt's signals/slots keywords and implicit char* -> QString; this directory's
// engine-only benchmarks are built with QT_NO_KEYWORDS and QT_NO_CAST_FROM_ASCII.
#undef QT_NO_KEYWORDS
#undef QT_NO_CAST_FROM_ASCII
#include "layer/density_layer.h"
#include "qgis_compat.h"
#include "plugin_test_support.h"
#include "points/point_cache_builder.h"
#include "qgis_bench_main.h"
#include "scene/scene_generator.h"
#include "scene/standard_zooms.h"

#include <qgsapplication.h>
#include <qgscolorramp.h>
#include <qgsheatmaprenderer.h>
#include <qgsmaprenderersequentialjob.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

#include <QTemporaryDir>

#include <benchmark/benchmark.h>

using namespace gridshade;

namespace
{
constexpr uint64_t POINTS = 1000000;

struct Fixture
{
    QTemporaryDir dir;
    QgsVectorLayer *memory = nullptr; // owned by the project
    QgsVectorLayer *gpkg = nullptr;   // owned by the project
    std::unique_ptr<DensityLayer> density;
    QgsMapSettings settings;
};

Fixture &fixture()
{
  static Fixture f;
  if ( f.memory )
    return f;
  const PointColumns scene = SceneGenerator().generate( POINTS );
  f.memory = test::memoryPointLayer( scene ).release();
  QgsProject::instance()->addMapLayer( f.memory );
  const QString path = f.dir.filePath( QStringLiteral( "points.gpkg" ) );
  const QString error = test::writeGeoPackage( f.memory, path );
  if ( !error.isEmpty() )
    qFatal( "cannot write the GeoPackage: %s", qPrintable( error ) );
  f.gpkg = new QgsVectorLayer( path + QStringLiteral( "|layername=points" ), QStringLiteral( "gpkg" ), QStringLiteral( "ogr" ) );
  QgsProject::instance()->addMapLayer( f.gpkg );
  f.density = test::createDensityLayer( QStringLiteral( "layer=%1&how=eq_hist&cmap=fire" ).arg( f.memory->id() ) );
  const Extent e = standard::viewport( 8 ).extent();
  f.settings = test::mapSettings( {}, QgsRectangle( e.xmin, e.ymin, e.xmax, e.ymax ), QSize( standard::WIDTH, standard::HEIGHT ) );
  return f;
}

QImage renderSequential( const QgsMapSettings &settings )
{
  QgsMapRendererSequentialJob job( settings );
  job.start();
  job.waitForFinished();
  return job.renderedImage();
}

// docks:1 connects receivers as the Zoom and Performance docks do (queued, on this thread) and
// delivers their events after each render: the figures' cost to a render and to the GUI thread.
void benchDensityLayerRender( benchmark::State &state )
{
  Fixture &f = fixture();
  QgsMapSettings ms = f.settings;
  ms.setLayers( { f.density.get() } );
  renderSequential( ms ); // builds the point cache
  if ( f.density->cacheBytes() == 0 )
    state.SkipWithError( "the point cache was not built" );
  QObject docks;
  qlonglong received = 0;
  if ( state.range( 0 ) )
    for ( int i = 0; i < 2; ++i )
      QObject::connect( f.density->statsBox().get(), &RenderStatsBox::recorded, &docks,
                        [&received]( const QVariantMap &stats ) { received += stats.value( QStringLiteral( "pointsInView" ) ).toLongLong() > 0; },
                        Qt::QueuedConnection );
  for ( auto _ : state )
  {
    QImage image = renderSequential( ms );
    QCoreApplication::processEvents();
    benchmark::DoNotOptimize( image.constBits() );
  }
  if ( state.range( 0 ) && received == 0 )
    state.SkipWithError( "no figures reached the receivers" );
}

void benchPointCacheBuild( benchmark::State &state )
{
  Fixture &f = fixture();
  const bool arrow = state.range( 0 ) != 0;
  for ( auto _ : state )
  {
    PointCacheBuilder builder( f.gpkg, QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:3857" ) ), QgsProject::instance()->transformContext(),
                               QString(), QString() );
    builder.setArrowEnabled( arrow );
    std::shared_ptr<const PointCache> cache;
    const Status st = builder.build( nullptr, cache );
    if ( !st || !cache || cache->points.size() != POINTS )
    {
      state.SkipWithError( st ? "wrong point count" : qPrintable( st.message() ) );
      break;
    }
    state.SetLabel( cache->method.toStdString() );
  }
  state.counters["points_per_s"] = benchmark::Counter( double( POINTS ), benchmark::Counter::kIsIterationInvariantRate );
}

void benchQgsHeatmap( benchmark::State &state )
{
  Fixture &f = fixture();
  auto *heatmap = new QgsHeatmapRenderer();
  heatmap->setRadius( 10 );
  heatmap->setRadiusUnit( qgiscompat::RENDER_PIXELS );
  heatmap->setColorRamp( new QgsGradientColorRamp( QColor( 0, 0, 0, 0 ), QColor( 255, 255, 0 ) ) );
  QgsVectorLayer *layer = state.range( 0 ) ? f.gpkg : f.memory;
  layer->setRenderer( heatmap );
  QgsMapSettings ms = f.settings;
  ms.setLayers( { layer } );
  for ( auto _ : state )
  {
    QImage image = renderSequential( ms );
    benchmark::DoNotOptimize( image.constBits() );
  }
}

} // namespace

BENCHMARK( benchDensityLayerRender )->Name( "DensityLayer/render_seq_1e6_Z8" )->ArgName( "docks" )->Arg( 0 )->Arg( 1 )->Unit( benchmark::kMillisecond )->UseRealTime()->Repetitions( 5 )->MinTime( 0.5 );
BENCHMARK( benchPointCacheBuild )->Name( "DensityLayer/cache_build_gpkg_1e6" )->ArgName( "arrow" )->Arg( 0 )->Arg( 1 )->Unit( benchmark::kMillisecond )->UseRealTime()->Iterations( 1 )->Repetitions( 3 );
BENCHMARK( benchQgsHeatmap )->Name( "QgsHeatmapRenderer/render_seq_1e6_Z8" )->ArgName( "gpkg" )->Arg( 0 )->Arg( 1 )->Unit( benchmark::kMillisecond )->UseRealTime()->Iterations( 1 )->Repetitions( 3 );

int main( int argc, char **argv )
{
  return test::runQgisBenchmarks( argc, argv, [] { fixture().density.reset(); } );
}
