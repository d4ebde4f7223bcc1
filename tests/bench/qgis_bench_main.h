// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "plugin_test_support.h"

#include <qgsapplication.h>

#include <benchmark/benchmark.h>

#include <functional>

namespace gridshade::test
{

//! main() of a benchmark that needs QGIS: start it, run the selected benchmarks, call
//! \a beforeStop (release layers the benchmarks kept), stop QGIS.
inline int runQgisBenchmarks( int argc, char **argv, const std::function<void()> &beforeStop = {} )
{
  benchmark::Initialize( &argc, argv );
  prepareEnvironment();
  QgsApplication app( argc, argv, false );
  if ( !startQgis() )
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if ( beforeStop )
    beforeStop();
  stopQgis();
  return 0;
}

} // namespace gridshade::test
