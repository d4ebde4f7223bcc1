// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QMutex>
#include <QObject>
#include <QString>

namespace gridshade
{

/**
 * \brief What the renderers and point-cache tasks of one density layer, on their own threads,
 * tell the layer on the GUI thread: the last problem they met (the layer's lastError) and that a
 * point cache was built (so that the count_cat legend can show the categories it found).
 *
 * Created by the layer on the GUI thread (its thread affinity: connect with auto or queued
 * connections and the slots run there) and shared by pointer with renderers and tasks, which may
 * outlive the layer. Thread-safe.
 */
class LayerNotices : public QObject
{
    Q_OBJECT

  public:
    //! Records \a message as the layer's current problem.
    void reportProblem( const QString &message );
    //! A render succeeded, or the options changed: no problem any more.
    void clearProblem();
    //! The last problem reported (empty when none).
    QString problem() const;
    //! A point cache was built: emits changed().
    void reportCacheBuilt();

  Q_SIGNALS:
    //! The problem changed or a cache was built; emitted from the reporting thread.
    void changed();

  private:
    void setProblem( const QString &message );

    mutable QMutex mMutex;
    QString mProblem;
};

} // namespace gridshade
