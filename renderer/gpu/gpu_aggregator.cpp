// SPDX-License-Identifier: GPL-2.0-or-later
#include "gpu_aggregator.h"

#include "gpu_context.h"
#include "gpu_thread.h"
#include "vulkan_device.h"

#include <QCoreApplication>

#include <memory>
#include <mutex>
#include <new>

namespace gridshade
{

namespace
{

/*
 * The service: one thread, and on it the context (device, QRhi, resident points). The mutex
 * guards the thread's existence; the context is touched only from tasks on that thread.
 */
struct Service
{
    std::mutex mutex;
    // Shared so that a caller still using it keeps it alive while shutdown() stops it.
    std::shared_ptr<gpu::GpuThread> thread;
    std::unique_ptr<gpu::GpuContext> context; // GPU thread only
    bool tried = false;                       // GPU thread only
    QString reason;                           // GPU thread only
    bool probed = false;                      // GPU thread only
    GpuStatus probe;                          // GPU thread only: device() before a context exists
    bool cleanupRegistered = false;
    uint64_t generation = 0; // bumped by shutdown(): tasks of an older thread then do nothing
};

Service &service()
{
  static Service s;
  return s;
}

void shutdownAtExit()
{
  GpuAggregator::shutdown();
}

// Runs \a task on the GPU thread (started on first use).
template<typename Task>
void onThread( Task task )
{
  Service &s = service();
  std::shared_ptr<gpu::GpuThread> thread;
  uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock( s.mutex );
    generation = s.generation;
    if ( !s.thread )
    {
      s.thread = std::make_shared<gpu::GpuThread>();
      if ( !s.cleanupRegistered && QCoreApplication::instance() )
      {
        // Stop the thread and free the device before static destructors run, when Qt is gone.
        qAddPostRoutine( shutdownAtExit );
        s.cleanupRegistered = true;
      }
    }
    thread = s.thread;
  }
  // A thread being shut down runs nothing: the caller keeps its "unavailable" answer.
  thread->run( [&] {
    {
      std::lock_guard<std::mutex> lock( s.mutex );
      if ( generation != s.generation )
        return;
    }
    task();
  } );
}

// Runs \a task on the GPU thread with the context created (once) beforehand.
template<typename Task>
void withContext( Task task )
{
  onThread( [&] {
    Service &s = service();
    if ( s.context && s.context->isLost() )
    {
      s.context.reset();
      s.tried = false;
    }
    if ( !s.context && !s.tried )
    {
      s.tried = true;
      try
      {
        s.context = gpu::GpuContext::create( &s.reason );
      }
      catch ( const std::exception &e )
      {
        s.reason = QStringLiteral( "GPU initialisation failed: %1" ).arg( QString::fromLocal8Bit( e.what() ) );
      }
    }
    task( s.context.get(), s.reason );
  } );
}

void describeContext( const gpu::GpuContext &context, GpuStatus &st )
{
  const gpu::GpuMemory m = context.memory();
  st.available = true;
  st.device = context.description();
  st.name = context.name();
  st.valueReductions = context.supportsValueReductions();
  st.software = context.isSoftware();
  st.residentBytes = m.residentBytes;
  st.workBytes = m.workBytes;
  st.budgetBytes = m.budgetBytes;
  st.deviceLocalBytes = m.deviceLocalBytes;
}

} // namespace

GpuStatus GpuAggregator::status( bool initialise )
{
  GpuStatus st;
  if ( !initialise )
  {
    {
      std::lock_guard<std::mutex> lock( service().mutex );
      if ( !service().thread )
      {
        st.reason = QStringLiteral( "GPU not initialised yet" );
        return st;
      }
    }
    onThread( [&] {
      if ( service().context )
        describeContext( *service().context, st );
      else
        st.reason = QStringLiteral( "GPU not initialised yet" );
    } );
    return st;
  }
  withContext( [&]( gpu::GpuContext *context, const QString &reason ) {
    if ( context )
      describeContext( *context, st );
    else
      st.reason = reason;
  } );
  return st;
}

GpuStatus GpuAggregator::device()
{
  GpuStatus st;
  onThread( [&] {
    Service &s = service();
    if ( s.context && !s.context->isLost() )
    {
      describeContext( *s.context, st );
      return;
    }
    if ( !s.probed )
    {
      s.probed = true;
      s.probe = GpuStatus();
      try
      {
        gpu::VulkanDevice device;
        QString reason;
        if ( device.select( &reason ) )
        {
          s.probe.available = true;
          s.probe.device = device.description();
          s.probe.name = device.name();
          s.probe.software = device.isSoftware();
          s.probe.valueReductions = device.hasInt64Atomics();
          s.probe.deviceLocalBytes = device.deviceLocalBytes();
        }
        else
          s.probe.reason = reason;
      }
      catch ( const std::exception &e )
      {
        s.probe.reason = QStringLiteral( "GPU initialisation failed: %1" ).arg( QString::fromLocal8Bit( e.what() ) );
      }
    }
    st = s.probe;
  } );
  return st;
}

Status GpuAggregator::aggregate( const PointColumns &points, const Viewport &viewport, const AggregateSettings &settings,
                                 Aggregate &out, const std::atomic<bool> *cancel )
{
  if ( Status s = validateAggregation( points, viewport, settings ); !s )
    return s;
  Status result = Status::error( QStringLiteral( "GPU unavailable" ) );
  withContext( [&]( gpu::GpuContext *context, const QString &reason ) {
    if ( !context )
    {
      result = Status::error( reason );
      return;
    }
    try
    {
      result = context->aggregate( points, viewport, settings, out, cancel );
      if ( result )
      {
        out.stats().backend = QStringLiteral( "gpu" );
        out.stats().device = context->description();
        out.stats().softwareDevice = context->isSoftware();
        const gpu::GpuMemory memory = context->memory();
        out.stats().deviceResidentBytes = memory.residentBytes;
        out.stats().deviceWorkBytes = memory.workBytes;
      }
    }
    catch ( const std::bad_alloc & )
    {
      result = Status::error( QStringLiteral( "out of host memory preparing the GPU aggregation" ) );
    }
  } );
  return result;
}

void GpuAggregator::releaseResidentPoints()
{
  withContext( []( gpu::GpuContext *context, const QString & ) {
    if ( context )
      context->releaseResidentPoints();
  } );
}

void GpuAggregator::shutdown()
{
  Service &s = service();
  std::shared_ptr<gpu::GpuThread> thread;
  {
    std::lock_guard<std::mutex> lock( s.mutex );
    thread = std::move( s.thread );
    ++s.generation;
  }
  if ( !thread )
    return;
  thread->run( [&] {
    s.context.reset();
    s.tried = false;
    s.reason.clear();
    s.probed = false;
  } );
  thread.reset();
}

} // namespace gridshade
