// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gridshade
{

/**
 * \brief A small pool of worker threads for the CPU engine.
 *
 * run() may be called from any number of threads at once (QGIS renders layers in parallel):
 * the calling thread works on its own tasks too, so nested or concurrent calls never wait on a
 * busy pool. The process-wide instance() is created on first use and joined at exit.
 */
class ThreadPool
{
  public:
    explicit ThreadPool( int workers );
    ~ThreadPool();
    ThreadPool( const ThreadPool & ) = delete;
    ThreadPool &operator=( const ThreadPool & ) = delete;

    static ThreadPool &instance();

    //! Threads the engine uses when asked for "all cores": the core count, or GRIDSHADE_THREADS when set.
    static int defaultThreadCount();

    /**
     * Runs task(0) .. task(count - 1), each once, and returns when all have finished.
     * Returns false when a task threw (std::bad_alloc, say); the exception does not escape.
     */
    bool run( int count, const std::function<void( int )> &task );

  private:
    struct Batch;
    void workerLoop();

    std::mutex mMutex;
    std::condition_variable mWake;
    std::deque<std::function<void()>> mQueue;
    std::vector<std::thread> mWorkers;
    bool mStopping = false;
};

} // namespace gridshade
