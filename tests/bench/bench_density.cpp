// SPDX-License-Identifier: GPL-2.0-or-later
// Aggregate and shade the standard scene at Z0/Z4/Z8/Z12 for 1e6 and 1e7 points.
#include "aggregation/cpu_aggregator.h"
#include "scene/scene_generator.h"
#include "scene/standard_zooms.h"
#include "shading/shader.h"

#include <benchmark/benchmark.h>

#include <map>

using namespace gridshade;

namespace
{

const PointColumns &scene( int64_t n )
{
  // Scenes are prefixes of one another: generate the largest once and share prefixes.
  static const PointColumns all = SceneGenerator().generate( 10000000 );
  static std::map<int64_t, PointColumns> prefixes;
  auto it = prefixes.find( n );
  if ( it == prefixes.end() )
    it = prefixes.emplace( n, all.prefix( static_cast<size_t>( n ) ) ).first;
  return it->second;
}

const int ZOOMS[] = { 0, 4, 8, 12 };

void benchAggregate( benchmark::State &state )
{
  const PointColumns &points = scene( state.range( 0 ) );
  const Viewport vp = standard::viewport( static_cast<int>( state.range( 1 ) ) );
  Aggregate agg;
  for ( auto _ : state )
  {
    CpuAggregator::aggregate( points, vp, AggregateSettings(), agg );
    benchmark::DoNotOptimize( agg.counts().data() );
  }
  state.counters["points_per_s"] = benchmark::Counter( static_cast<double>( points.size() ), benchmark::Counter::kIsIterationInvariantRate );
}

void benchShade( benchmark::State &state )
{
  const PointColumns &points = scene( state.range( 0 ) );
  const Viewport vp = standard::viewport( static_cast<int>( state.range( 1 ) ) );
  Aggregate agg;
  CpuAggregator::aggregate( points, vp, AggregateSettings(), agg );
  const ShadeSettings settings;
  RgbaImage image;
  for ( auto _ : state )
  {
    Shader::shade( agg, settings, image );
    benchmark::DoNotOptimize( image.constData() );
  }
}

void benchAggregateShade( benchmark::State &state )
{
  const PointColumns &points = scene( state.range( 0 ) );
  const Viewport vp = standard::viewport( static_cast<int>( state.range( 1 ) ) );
  const ShadeSettings settings;
  Aggregate agg;
  RgbaImage image;
  for ( auto _ : state )
  {
    CpuAggregator::aggregate( points, vp, AggregateSettings(), agg );
    Shader::shade( agg, settings, image );
    benchmark::DoNotOptimize( image.constData() );
  }
}

// Thread scaling at Z8: the result is identical for any count, the time should not be.
void benchAggregateThreads( benchmark::State &state )
{
  const PointColumns &points = scene( state.range( 0 ) );
  const Viewport vp = standard::viewport( 8 );
  AggregateSettings settings;
  settings.threads = static_cast<int>( state.range( 1 ) );
  Aggregate agg;
  for ( auto _ : state )
  {
    CpuAggregator::aggregate( points, vp, settings, agg );
    benchmark::DoNotOptimize( agg.counts().data() );
  }
}

void zoomArgs( benchmark::internal::Benchmark *b )
{
  b->ArgNames( { "points", "zoom" } );
  for ( int64_t n : { 1000000, 10000000 } )
    for ( int z : ZOOMS )
      b->Args( { n, z } );
  b->Unit( benchmark::kMillisecond )->UseRealTime();
}

} // namespace

BENCHMARK( benchAggregate )->Apply( zoomArgs );
BENCHMARK( benchShade )->Apply( zoomArgs );
BENCHMARK( benchAggregateShade )->Apply( zoomArgs );
BENCHMARK( benchAggregateThreads )->ArgNames( { "points", "threads" } )->ArgsProduct( { { 1000000, 10000000 }, { 1, 2 } } )->Unit( benchmark::kMillisecond )->UseRealTime();

BENCHMARK_MAIN();
