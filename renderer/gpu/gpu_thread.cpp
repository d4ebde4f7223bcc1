// SPDX-License-Identifier: GPL-2.0-or-later
#include "gpu_thread.h"

#include <future>

namespace gridshade::gpu
{

GpuThread::GpuThread()
  : mThread( [this] { loop(); } )
{}

GpuThread::~GpuThread()
{
  {
    std::lock_guard<std::mutex> lock( mMutex );
    mStopping = true;
  }
  mWake.notify_all();
  mThread.join();
}

bool GpuThread::run( const std::function<void()> &task )
{
  if ( std::this_thread::get_id() == mThread.get_id() )
  {
    task();
    return true;
  }
  std::promise<void> done;
  std::future<void> finished = done.get_future();
  {
    std::lock_guard<std::mutex> lock( mMutex );
    if ( mStopping )
      return false;
    mTasks.push_back( [&task, &done] {
      // Tasks report through their own state; an escaping exception must not strand the caller.
      try
      {
        task();
      }
      catch ( ... )
      {
      }
      done.set_value();
    } );
  }
  mWake.notify_one();
  finished.wait();
  return true;
}

void GpuThread::loop()
{
  for ( ;; )
  {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock( mMutex );
      mWake.wait( lock, [this] { return mStopping || !mTasks.empty(); } );
      if ( mTasks.empty() )
        return;
      task = std::move( mTasks.front() );
      mTasks.pop_front();
    }
    task();
  }
}

} // namespace gridshade::gpu
