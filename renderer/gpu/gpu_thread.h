// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace gridshade::gpu
{

/**
 * \brief One thread that runs tasks in order, for the objects that must stay on the thread
 * that made them: a QRhi belongs to its creating thread, and QGIS renders layers in parallel
 * worker threads. Callers block in run() until their task is done; tasks never overlap.
 */
class GpuThread
{
  public:
    GpuThread();
    //! Runs the queued tasks, then joins.
    ~GpuThread();
    GpuThread( const GpuThread & ) = delete;
    GpuThread &operator=( const GpuThread & ) = delete;

    /**
     * Runs \a task on the thread and waits for it; called on the thread itself, runs it inline.
     * Returns false, without running the task, once the thread is being stopped.
     */
    bool run( const std::function<void()> &task );

  private:
    void loop();

    std::mutex mMutex;
    std::condition_variable mWake;
    std::deque<std::function<void()>> mTasks;
    bool mStopping = false;
    std::thread mThread;
};

} // namespace gridshade::gpu
