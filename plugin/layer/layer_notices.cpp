// SPDX-License-Identifier: GPL-2.0-or-later
#include "layer_notices.h"

#include <QMutexLocker>

namespace gridshade
{

void LayerNotices::reportProblem( const QString &message )
{
  setProblem( message );
}

void LayerNotices::clearProblem()
{
  setProblem( QString() );
}

QString LayerNotices::problem() const
{
  QMutexLocker lock( &mMutex );
  return mProblem;
}

void LayerNotices::reportCacheBuilt()
{
  Q_EMIT changed();
}

void LayerNotices::setProblem( const QString &message )
{
  {
    QMutexLocker lock( &mMutex );
    if ( mProblem == message )
      return; // every render of a broken layer reports the same thing: tell the GUI once
    mProblem = message;
  }
  // Outside the lock: a direct connection may call problem().
  Q_EMIT changed();
}

} // namespace gridshade
