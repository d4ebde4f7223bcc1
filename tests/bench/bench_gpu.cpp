// SPDX-License-Identifier: GPL-2.0-or-later
// gridshade-gpu-bench: the standard scene (1e6, 1e7, 1e8 points) at Z0/Z4/Z8/Z12, aggregated
// and shaded (eq_hist, fire) on the GPU and on the CPU in the same run. The GPU figure is one
// render with the points resident: aggregate on the device + readback of the grid + shade.
// Each GPU case also checks that its counts equal the CPU's ("identical" counter).
//
// Needs Qt's xcb platform for Vulkan (an X server: a desktop, or Xvfb on a server).
// GRIDSHADE_BENCH_MAX_POINTS caps the scene (default 1e8).
#include "aggregation/aggregator.h"
#include "aggregation/cpu_aggregator.h"
#include "density_pipeline.h"
#include "gpu/gpu_aggregator.h"
#include "scene/scene_generator.h"
#include "scene/standard_zooms.h"

#include <QGuiApplication>
#include <QThread>

#include <benchmark/benchmark.h>

#include <chrono>
#include <map>

using namespace gridshade;

namespace
{

int64_t maxPoints()
{
  bool ok = false;
  const qlonglong n = qEnvironmentVariable( "GRIDSHADE_BENCH_MAX_POINTS" ).toLongLong( &ok );
  return ok && n > 0 ? n : 100000000;
}

const PointColumns &scene( int64_t n )
{
  // Scenes are prefixes of the largest one (which the GPU also keeps resident once).
  static const PointColumns all = SceneGenerator().generate( static_cast<uint64_t>( maxPoints() ) );
  static std::map<int64_t, PointColumns> prefixes;
  auto it = prefixes.find( n );
  if ( it == prefixes.end() )
    it = prefixes.emplace( n, all.prefix( static_cast<size_t>( n ) ) ).first;
  return it->second;
}

// The scene of range(0) points, or null (the benchmark skipped) above the cap.
const PointColumns *sceneOrSkip( benchmark::State &state )
{
  if ( state.range( 0 ) > maxPoints() )
  {
    state.SkipWithError( "above GRIDSHADE_BENCH_MAX_POINTS" );
    return nullptr;
  }
  return &scene( state.range( 0 ) );
}

AggregateSettings settingsFor( int64_t backend )
{
  AggregateSettings s;
  s.backend = backend ? Backend::Gpu : Backend::Cpu;
  return s;
}

void benchRender( benchmark::State &state )
{
  const PointColumns *scenePoints = sceneOrSkip( state );
  if ( !scenePoints )
    return;
  const PointColumns &points = *scenePoints;
  const int64_t n = state.range( 0 );
  const Viewport vp = standard::viewport( static_cast<int>( state.range( 1 ) ) );
  const AggregateSettings settings = settingsFor( state.range( 2 ) );
  const ShadeSettings shading;
  RenderResult result;
  // Warm-up: uploads the points on the first GPU use, and is the parity check.
  const Status first = DensityPipeline::render( points, vp, settings, shading, result );
  if ( !first || result.aggregate.stats().backend != ( state.range( 2 ) ? QStringLiteral( "gpu" ) : QStringLiteral( "cpu" ) ) )
  {
    state.SkipWithError( qPrintable( first ? QStringLiteral( "ran on %1: %2" ).arg( result.aggregate.stats().backend, result.aggregate.stats().backendNote ) : first.message() ) );
    return;
  }
  if ( state.range( 2 ) )
  {
    Aggregate cpu;
    CpuAggregator::aggregate( points, vp, AggregateSettings(), cpu );
    state.counters["identical"] = cpu.counts() == result.aggregate.counts() ? 1 : 0;
    state.counters["resident_MiB"] = static_cast<double>( GpuAggregator::status().residentBytes >> 20 );
  }
  double aggregateMs = 0, shadeMs = 0, deviceMs = 0;
  for ( auto _ : state )
  {
    DensityPipeline::render( points, vp, settings, shading, result );
    aggregateMs += result.timings.aggregateMs;
    shadeMs += result.timings.shadeMs;
    deviceMs += result.aggregate.stats().deviceMs;
    benchmark::DoNotOptimize( result.image.constData() );
  }
  state.counters["aggregate_ms"] = benchmark::Counter( aggregateMs, benchmark::Counter::kAvgIterations );
  state.counters["shade_ms"] = benchmark::Counter( shadeMs, benchmark::Counter::kAvgIterations );
  if ( state.range( 2 ) )
    state.counters["device_ms"] = benchmark::Counter( deviceMs, benchmark::Counter::kAvgIterations );
  state.counters["points_per_s"] = benchmark::Counter( static_cast<double>( n ), benchmark::Counter::kIsIterationInvariantRate );
}

// The first render of a point cache: upload (chunked through bounded staging) + aggregate.
void benchFirstGpuRender( benchmark::State &state )
{
  const PointColumns *scenePoints = sceneOrSkip( state );
  if ( !scenePoints )
    return;
  const PointColumns &points = *scenePoints;
  const int64_t n = state.range( 0 );
  const Viewport vp = standard::viewport( 8 );
  Aggregate agg;
  for ( auto _ : state )
  {
    state.PauseTiming();
    GpuAggregator::releaseResidentPoints();
    state.ResumeTiming();
    const Status st = GpuAggregator::aggregate( points, vp, AggregateSettings(), agg );
    if ( !st )
    {
      state.SkipWithError( qPrintable( st.message() ) );
      break;
    }
  }
  state.counters["upload_GiB_per_s"] = benchmark::Counter( static_cast<double>( n ) * 16.0 / ( 1 << 30 ), benchmark::Counter::kIsIterationInvariantRate );
}

void renderArgs( benchmark::internal::Benchmark *b )
{
  b->ArgNames( { "points", "zoom", "gpu" } );
  for ( int64_t n : { 1000000, 10000000, 100000000 } )
    for ( int z : { 0, 4, 8, 12 } )
      for ( int gpu : { 1, 0 } )
        b->Args( { n, z, gpu } );
  b->Unit( benchmark::kMillisecond )->UseRealTime()->MinTime( 0.5 );
}

} // namespace

BENCHMARK( benchRender )->Apply( renderArgs );
BENCHMARK( benchFirstGpuRender )->ArgNames( { "points" } )->Arg( 10000000 )->Arg( 100000000 )->Iterations( 3 )->Unit( benchmark::kMillisecond )->UseRealTime();

int main( int argc, char **argv )
{
  QGuiApplication app( argc, argv );
  benchmark::Initialize( &argc, argv );
  const GpuStatus gpu = GpuAggregator::status();
  benchmark::AddCustomContext( "gpu", gpu.available ? gpu.device.toStdString() : ( "none: " + gpu.reason.toStdString() ) );
  benchmark::AddCustomContext( "gpu_memory_MiB", std::to_string( gpu.deviceLocalBytes >> 20 ) );
  benchmark::AddCustomContext( "cpu_threads", std::to_string( QThread::idealThreadCount() ) );
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  GpuAggregator::shutdown();
  return 0;
}
