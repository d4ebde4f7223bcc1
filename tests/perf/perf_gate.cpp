// SPDX-License-Identifier: GPL-2.0-or-later
// The work that the instruction-count gate measures: aggregate + eq_hist shade of the standard
// 1e6-point scene at Z8, once, on one thread. Points come from a raw file written natively
// beforehand, so that valgrind does not have to run the generator.
#include "aggregation/cpu_aggregator.h"
#include "io/points_file.h"
#include "scene/standard_zooms.h"
#include "shading/shader.h"

#include <valgrind/callgrind.h>

#include <cstdio>

using namespace gridshade;

int main( int argc, char **argv )
{
  if ( argc != 2 )
  {
    std::fprintf( stderr, "usage: gridshade-perf-gate <points.bin>\n" );
    return 2;
  }
  PointColumns points;
  if ( Status s = PointsFile::read( QString::fromLocal8Bit( argv[1] ), points ); !s )
  {
    std::fprintf( stderr, "%s\n", qPrintable( s.message() ) );
    return 1;
  }
  AggregateSettings aggregation;
  aggregation.threads = 1;
  Aggregate agg;
  RgbaImage image;
  CALLGRIND_TOGGLE_COLLECT;
  const Status a = CpuAggregator::aggregate( points, standard::viewport( 8 ), aggregation, agg );
  const Status b = Shader::shade( agg, ShadeSettings(), image );
  CALLGRIND_TOGGLE_COLLECT;
  if ( !a || !b )
    return 1;
  std::printf( "%llu points in view\n", static_cast<unsigned long long>( agg.stats().inView ) );
  return 0;
}
