// SPDX-License-Identifier: GPL-2.0-or-later
// The point index against brute force on the same points: count aggregation of the standard
// scene at Z0/Z4/Z8/Z12 through PointIndex (in memory, and written to a file and mapped: warm
// page cache) and through CpuAggregator, all on all cores,
// for the point counts given by GRIDSHADE_INDEX_BENCH_POINTS (default "1000000,10000000"; leaves
// of GRIDSHADE_INDEX_BENCH_LEAF points, default PointIndex::LEAF_POINTS;
// 1e8 needs about 5 GiB while the index is built). Reports the traversal's counters.
#include "aggregation/cpu_aggregator.h"
#include "index/point_index.h"
#include "scene/scene_generator.h"
#include "scene/standard_zooms.h"

#include <QDir>
#include <QFile>
#include <QString>
#include <QStringList>

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>

using namespace gridshade;

namespace
{

struct Fixture
{
    PointColumns points;
    PointIndex index;
    PointIndex mapped; //!< the same index written to a file and opened memory-mapped
    double buildSeconds = 0;
};

const Fixture &fixture( int64_t n )
{
  static std::map<int64_t, std::unique_ptr<Fixture>> fixtures;
  auto it = fixtures.find( n );
  if ( it == fixtures.end() )
  {
    auto f = std::make_unique<Fixture>();
    f->points = SceneGenerator().generate( static_cast<uint64_t>( n ) );
    const auto start = std::chrono::steady_clock::now();
    const uint leaf = qEnvironmentVariableIntValue( "GRIDSHADE_INDEX_BENCH_LEAF" );
    f->index = PointIndex::build( f->points, leaf > 0 ? leaf : PointIndex::LEAF_POINTS );
    f->buildSeconds = std::chrono::duration<double>( std::chrono::steady_clock::now() - start ).count();
    std::fprintf( stderr, "index of %lld points built in %.2f s (%zu nodes)\n", static_cast<long long>( n ), f->buildSeconds, f->index.nodeCount() );
    // The file goes once it is mapped (the mapping keeps its pages).
    const QString path = QDir::temp().filePath( QStringLiteral( "gridshade-bench-%1.gspidx" ).arg( n ) );
    auto t = std::chrono::steady_clock::now();
    const Status written = f->index.write( path, QString(), QStringLiteral( "bench" ) );
    const double writeSeconds = std::chrono::duration<double>( std::chrono::steady_clock::now() - t ).count();
    t = std::chrono::steady_clock::now();
    const Status opened = written ? PointIndex::open( path, f->mapped ) : written;
    const double openSeconds = std::chrono::duration<double>( std::chrono::steady_clock::now() - t ).count();
    QFile::remove( path );
    std::fprintf( stderr, "written in %.2f s, opened in %.3f s: %s\n", writeSeconds, openSeconds, opened ? "ok" : qPrintable( opened.message() ) );
    it = fixtures.emplace( n, std::move( f ) ).first;
  }
  return *it->second;
}

void benchIndexCount( benchmark::State &state )
{
  const Fixture &f = fixture( state.range( 0 ) );
  const Viewport vp = standard::viewport( static_cast<int>( state.range( 1 ) ) );
  Aggregate agg;
  IndexTraversal t;
  for ( auto _ : state )
  {
    f.index.aggregateCount( vp, agg, &t );
    benchmark::DoNotOptimize( agg.counts().data() );
  }
  state.counters["in_view"] = static_cast<double>( agg.stats().inView );
  state.counters["scanned_share"] = agg.stats().inView ? static_cast<double>( t.pointsScanned ) / agg.stats().inView : 0.0;
  state.counters["nodes_whole"] = static_cast<double>( t.nodesWhole );
  state.counters["nodes_visited"] = static_cast<double>( t.nodesVisited );
}

void benchMappedIndexCount( benchmark::State &state )
{
  const Fixture &f = fixture( state.range( 0 ) );
  const Viewport vp = standard::viewport( static_cast<int>( state.range( 1 ) ) );
  Aggregate agg;
  for ( auto _ : state )
  {
    f.mapped.aggregateCount( vp, agg );
    benchmark::DoNotOptimize( agg.counts().data() );
  }
  state.counters["in_view"] = static_cast<double>( agg.stats().inView );
}

void benchBruteForceCount( benchmark::State &state )
{
  const Fixture &f = fixture( state.range( 0 ) );
  const Viewport vp = standard::viewport( static_cast<int>( state.range( 1 ) ) );
  Aggregate agg;
  for ( auto _ : state )
  {
    CpuAggregator::aggregate( f.points, vp, AggregateSettings(), agg );
    benchmark::DoNotOptimize( agg.counts().data() );
  }
  state.counters["in_view"] = static_cast<double>( agg.stats().inView );
}

void sizesAndZooms( benchmark::internal::Benchmark *b )
{
  const QStringList sizes = qEnvironmentVariable( "GRIDSHADE_INDEX_BENCH_POINTS", QStringLiteral( "1000000,10000000" ) ).split( QLatin1Char( ',' ) );
  b->ArgNames( { "points", "zoom" } )->Unit( benchmark::kMillisecond )->UseRealTime();
  for ( const QString &s : sizes )
    for ( int z : { 0, 4, 8, 12 } )
      b->Args( { static_cast<int64_t>( s.toDouble() ), z } );
}

} // namespace

// Each size is generated and indexed once and kept for both.
BENCHMARK( benchIndexCount )->Apply( sizesAndZooms );
BENCHMARK( benchMappedIndexCount )->Apply( sizesAndZooms );
BENCHMARK( benchBruteForceCount )->Apply( sizesAndZooms );
BENCHMARK_MAIN();
