// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "point_cache_store.h"

#include <qgstaskmanager.h>

#include <memory>

class QgsFeedback;

namespace gridshade
{

class LayerNotices;
class PointCacheBuilder;

/**
 * \brief Builds a density layer's point cache in QGIS's task manager (progress bar, cancel
 * button) so that the first render after adding a layer or changing its source does not wait
 * for it. Renders that need the same cache meanwhile wait for this task instead of reading the
 * source a second time (PointCacheStore::obtain).
 *
 * Reading is cancelled without a prompt when QGIS closes or the project is cleared (it can
 * always be redone), and by the layer when the layer goes or its source or fields change.
 * Failures go to the layer's LayerNotices (its lastError), as does a finished build (its legend).
 *
 * Created on the GUI thread with a builder snapshot; run() executes on a task thread; owned by
 * the task manager.
 */
class PointCacheTask : public QgsTask
{
    Q_OBJECT

  public:
    PointCacheTask( const QString &layerName, std::unique_ptr<PointCacheBuilder> builder, std::shared_ptr<PointCacheStore> store,
                    std::shared_ptr<LayerNotices> notices, const QString &key, uint64_t generation );
    ~PointCacheTask() override;

    void cancel() override;

  protected:
    bool run() override;

  private:
    std::unique_ptr<PointCacheBuilder> mBuilder;
    std::shared_ptr<PointCacheStore> mStore;
    std::shared_ptr<LayerNotices> mNotices;
    QString mLayerName;
    QString mKey;
    uint64_t mGeneration;
    std::unique_ptr<QgsFeedback> mFeedback;
};

} // namespace gridshade
