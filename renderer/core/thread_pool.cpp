// SPDX-License-Identifier: GPL-2.0-or-later
#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <memory>

namespace gridshade
{

// Tasks of one run() call. Whoever takes index i (a worker or the caller) runs task(i); the
// caller helps until no index is left, then waits only for tasks already running.
struct ThreadPool::Batch
{
    const std::function<void( int )> *task = nullptr;
    int count = 0;
    std::atomic<int> next { 0 };
    std::atomic<bool> failed { false };
    int finished = 0;
    std::mutex mutex;
    std::condition_variable done;

    bool runOne()
    {
      const int i = next.fetch_add( 1 );
      if ( i >= count )
        return false;
      try
      {
        ( *task )( i );
      }
      catch ( ... )
      {
        // A worker must never let an exception escape (it would terminate the host
        // application); report it to the caller instead.
        failed = true;
      }
      std::lock_guard<std::mutex> lock( mutex );
      if ( ++finished == count )
        done.notify_all();
      return true;
    }
};

ThreadPool::ThreadPool( int workers )
{
  for ( int i = 0; i < workers; ++i )
    mWorkers.emplace_back( [this] { workerLoop(); } );
}

ThreadPool::~ThreadPool()
{
  {
    std::lock_guard<std::mutex> lock( mMutex );
    mStopping = true;
  }
  mWake.notify_all();
  for ( std::thread &t : mWorkers )
    t.join();
}

ThreadPool &ThreadPool::instance()
{
  static ThreadPool pool( std::max( defaultThreadCount() - 1, 1 ) );
  return pool;
}

int ThreadPool::defaultThreadCount()
{
  // GRIDSHADE_THREADS caps "all cores" (benchmarks, the instruction-count gate, shared servers).
  static const int count = [] {
    const int cores = std::max( 1, static_cast<int>( std::thread::hardware_concurrency() ) );
    const char *env = std::getenv( "GRIDSHADE_THREADS" );
    const int wanted = env ? std::atoi( env ) : 0;
    return wanted > 0 ? std::min( wanted, 1024 ) : cores;
  }();
  return count;
}

bool ThreadPool::run( int count, const std::function<void( int )> &task )
{
  if ( count <= 0 )
    return true;
  auto batch = std::make_shared<Batch>();
  batch->task = &task;
  batch->count = count;
  {
    std::lock_guard<std::mutex> lock( mMutex );
    for ( int i = 1; i < count; ++i )
      mQueue.emplace_back( [batch] { batch->runOne(); } );
  }
  mWake.notify_all();
  while ( batch->runOne() )
  {
  }
  std::unique_lock<std::mutex> lock( batch->mutex );
  batch->done.wait( lock, [&] { return batch->finished == batch->count; } );
  return !batch->failed;
}

void ThreadPool::workerLoop()
{
  for ( ;; )
  {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock( mMutex );
      mWake.wait( lock, [this] { return mStopping || !mQueue.empty(); } );
      if ( mStopping && mQueue.empty() )
        return;
      job = std::move( mQueue.front() );
      mQueue.pop_front();
    }
    job();
  }
}

} // namespace gridshade
