// SPDX-License-Identifier: GPL-2.0-or-later
// A raster in the density layer: 1024 x 768 renders of the 64k x 64k float32 VRT mosaic (one
// tiled 4096 x 4096 GeoTIFF with AVERAGE overviews, repeated 16 x 16), mean regridding, at five
// zooms from the whole raster (64 cells per pixel) to 4x upsampled, centred on the mosaic.
// "engine": read + regrid + shade as the layer's renderer does, with a pooled (warm) reader;
// "layer": the density layer through QgsMapRendererSequentialJob; "first": a fresh reader
// pool each time (datasets opened, GDAL's block cache emptied; the OS page cache stays warm).
// Needs GRIDSHADE_RASTER_BENCH_VRT (scripts/bench_raster_layer.sh builds the mosaic).
#undef QT_NO_KEYWORDS
#undef QT_NO_CAST_FROM_ASCII
#include "layer/density_layer.h"
#include "plugin_test_support.h"
#include "qgis_bench_main.h"
#include "raster/raster_canvas_reader.h"
#include "raster/raster_reader_pool.h"
#include "shading/raster_shading.h"

#include <qgsapplication.h>
#include <qgsmaprenderersequentialjob.h>

#include <gdal.h>

#include <QElapsedTimer>

#include <benchmark/benchmark.h>

using namespace gridshade;

namespace
{

constexpr int WIDTH = 1024, HEIGHT = 768;
constexpr double SIDE = 65536.0; // cells (1 m each) of the mosaic

QString mosaic()
{
  return qEnvironmentVariable( "GRIDSHADE_RASTER_BENCH_VRT" );
}

// The canvas of a render showing \a cellsPerPixel cells per device pixel around the centre.
CanvasGrid canvasFor( double cellsPerPixel )
{
  CanvasGrid c;
  c.size = QSize( WIDTH, HEIGHT );
  const double halfW = WIDTH * cellsPerPixel / 2, halfH = HEIGHT * cellsPerPixel / 2;
  c.extent = QgsRectangle( SIDE / 2 - halfW, -SIDE / 2 - halfH, SIDE / 2 + halfW, -SIDE / 2 + halfH );
  return c;
}

bool renderOnce( RasterReaderPool &pool, const CanvasGrid &canvas, benchmark::State &state )
{
  RasterReaderPool::Handle reader = pool.acquire();
  CanvasRaster raster;
  if ( Status st = readRasterOnCanvas( *reader, canvas, CanvasRasterOptions(), raster ); !st )
  {
    state.SkipWithError( st.message().toUtf8().constData() );
    return false;
  }
  RgbaImage image;
  QElapsedTimer timer;
  timer.start();
  if ( Status st = shadeRaster( raster.values.data(), raster.alpha.data(), WIDTH, HEIGHT, ShadeSettings(), image ); !st )
  {
    state.SkipWithError( st.message().toUtf8().constData() );
    return false;
  }
  state.counters["decimation"] = raster.decimation;
  state.counters["read_ms"] = raster.readMs;
  state.counters["regrid_ms"] = raster.regridMs;
  state.counters["shade_ms"] = timer.nsecsElapsed() / 1e6;
  benchmark::DoNotOptimize( image.data() );
  return true;
}

void BM_RasterEngine( benchmark::State &state )
{
  if ( mosaic().isEmpty() )
    return state.SkipWithError( "set GRIDSHADE_RASTER_BENCH_VRT (scripts/bench_raster_layer.sh)" );
  RasterReaderPool pool( mosaic() );
  const CanvasGrid canvas = canvasFor( state.range( 0 ) / 4.0 );
  renderOnce( pool, canvas, state ); // warm-up: datasets opened, blocks cached
  for ( auto _ : state )
    if ( !renderOnce( pool, canvas, state ) )
      return;
}

void BM_RasterFirstRender( benchmark::State &state )
{
  if ( mosaic().isEmpty() )
    return state.SkipWithError( "set GRIDSHADE_RASTER_BENCH_VRT (scripts/bench_raster_layer.sh)" );
  const CanvasGrid canvas = canvasFor( state.range( 0 ) / 4.0 );
  for ( auto _ : state )
  {
    state.PauseTiming();
    const GIntBig cache = GDALGetCacheMax64();
    GDALSetCacheMax64( 0 ); // evicts every cached block
    GDALSetCacheMax64( cache );
    state.ResumeTiming();
    RasterReaderPool pool( mosaic() );
    if ( !renderOnce( pool, canvas, state ) )
      return;
  }
}

void BM_RasterLayer( benchmark::State &state )
{
  if ( mosaic().isEmpty() )
    return state.SkipWithError( "set GRIDSHADE_RASTER_BENCH_VRT (scripts/bench_raster_layer.sh)" );
  std::unique_ptr<DensityLayer> layer = test::createDensityLayer( QStringLiteral( "raster=%1&agg=mean" ).arg( mosaic() ) );
  const CanvasGrid canvas = canvasFor( state.range( 0 ) / 4.0 );
  const QgsMapSettings settings = test::mapSettings( { layer.get() }, canvas.extent, canvas.size );
  test::render( settings, test::Job::Sequential );
  for ( auto _ : state )
  {
    QgsMapRendererSequentialJob job( settings );
    job.start();
    job.waitForFinished();
    benchmark::DoNotOptimize( job.renderedImage().constBits() );
  }
  state.counters["decimation"] = layer->renderStats().value( QStringLiteral( "decimation" ) ).toInt();
}

// Cells per pixel x 4: 256 = the whole mosaic (64), 64 (16), 16 (4), 4 (1), 1 (1/4, upsampled).
BENCHMARK( BM_RasterEngine )->Arg( 256 )->Arg( 64 )->Arg( 16 )->Arg( 4 )->Arg( 1 )->Unit( benchmark::kMillisecond )->UseRealTime();
BENCHMARK( BM_RasterLayer )->Arg( 256 )->Arg( 64 )->Arg( 16 )->Arg( 4 )->Arg( 1 )->Unit( benchmark::kMillisecond )->UseRealTime();
BENCHMARK( BM_RasterFirstRender )->Arg( 256 )->Arg( 4 )->Unit( benchmark::kMillisecond )->UseRealTime()->Iterations( 3 );

} // namespace

int main( int argc, char **argv )
{
  return test::runQgisBenchmarks( argc, argv );
}
