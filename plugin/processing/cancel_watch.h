// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <qgsfeedback.h>

#include <atomic>

namespace gridshade
{

/**
 * \brief Mirrors a QgsFeedback's cancellation into the atomic flag that the engine polls, for
 * the lifetime of the watch.
 *
 * Create and destroy on the thread that runs the engine call; cancel() may come from any
 * thread (the flag is atomic and the connection is direct). Does not own the feedback, which
 * must outlive the watch.
 */
class CancelWatch
{
  public:
    explicit CancelWatch( QgsFeedback *feedback )
    {
      if ( !feedback )
        return;
      mConnection = QObject::connect( feedback, &QgsFeedback::canceled, [this] { mFlag.store( true ); } );
      if ( feedback->isCanceled() )
        mFlag.store( true );
    }
    ~CancelWatch() { QObject::disconnect( mConnection ); }
    CancelWatch( const CancelWatch & ) = delete;
    CancelWatch &operator=( const CancelWatch & ) = delete;

    const std::atomic<bool> *flag() const { return &mFlag; }
    bool isCanceled() const { return mFlag.load(); }

  private:
    std::atomic<bool> mFlag { false };
    QMetaObject::Connection mConnection;
};

} // namespace gridshade
