// SPDX-License-Identifier: GPL-2.0-or-later
#include "aggregator.h"

#include "cpu_aggregator.h"
#include "gpu/gpu_aggregator.h"

#include <QtGlobal>

#include <atomic>

namespace gridshade
{

Backend Aggregator::effectiveBackend( Backend requested )
{
  Backend fromEnvironment;
  if ( qEnvironmentVariableIsSet( "GRIDSHADE_BACKEND" ) && parseBackend( qEnvironmentVariable( "GRIDSHADE_BACKEND" ), fromEnvironment ) )
    return fromEnvironment;
  return requested;
}

namespace
{

//! Why auto leaves the device alone, or an empty string when auto may use it.
QString autoRefusal()
{
  // Chooses the device without opening it: a software device is refused before it costs
  // anything (lavapipe opened takes 33.5 MiB of host memory and compiles the shaders).
  const GpuStatus gpu = GpuAggregator::device();
  if ( !gpu.available || !gpu.software )
    return QString();
  // lavapipe runs the shaders on the CPU's cores, several times slower than the CPU backend.
  return QStringLiteral( "auto skips %1: a software Vulkan device is slower than the CPU backend (backend=gpu uses it)" ).arg( gpu.name );
}

} // namespace

Status Aggregator::aggregate( const PointColumns &points, const Viewport &viewport, const AggregateSettings &settings,
                              Aggregate &out, const std::atomic<bool> *cancel )
{
  if ( Status s = validateAggregation( points, viewport, settings ); !s )
    return s;
  const Backend backend = effectiveBackend( settings.backend );
  if ( backend == Backend::Cpu )
    return CpuAggregator::aggregate( points, viewport, settings, out, cancel );

  const QString refusal = backend == Backend::Auto ? autoRefusal() : QString();
  const Status gpu = refusal.isEmpty() ? GpuAggregator::aggregate( points, viewport, settings, out, cancel ) : Status::error( refusal );
  if ( gpu )
    return gpu;
  if ( cancel && cancel->load() )
    return gpu;
  // Once per process for auto (an absent GPU is normal); every time when the GPU was asked for.
  static std::atomic<bool> logged { false };
  if ( backend == Backend::Gpu || !logged.exchange( true ) )
    qInfo( "Gridshade: aggregating on the CPU: %s", qPrintable( gpu.message() ) );
  const Status cpu = CpuAggregator::aggregate( points, viewport, settings, out, cancel );
  out.stats().backendNote = gpu.message();
  return cpu;
}

} // namespace gridshade
