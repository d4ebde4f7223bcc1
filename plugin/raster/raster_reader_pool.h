// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "raster_window_reader.h"

#include <QMutex>

#include <functional>
#include <memory>
#include <vector>

namespace gridshade
{

/**
 * \brief Open readers of one raster, lent to renders one at a time.
 *
 * Each reader has its own GDAL dataset, as a QGIS provider clone has, so renders on several
 * worker threads never share one; a reader returned to the pool keeps its dataset (and GDAL's
 * cached blocks) for the next render instead of opening the file again. Thread-safe: the
 * layer owns the pool on the GUI thread, renderers hold it by shared_ptr.
 */
class RasterReaderPool
{
  public:
    explicit RasterReaderPool( const QString &gdalSource, const RasterOverrides &overrides = RasterOverrides() );

    //! A reader returned to the pool when the handle goes out of scope.
    using Handle = std::unique_ptr<RasterWindowReader, std::function<void( RasterWindowReader * )>>;
    //! A free reader, or a new one (check its status()).
    Handle acquire();

    const QString &source() const { return mSource; }

  private:
    void release( RasterWindowReader *reader );

    QString mSource;
    RasterOverrides mOverrides;
    QMutex mMutex;
    std::vector<std::unique_ptr<RasterWindowReader>> mFree;
    //! Readers kept at most: one per render thread is plenty.
    static constexpr size_t MAX_FREE = 8;
};

} // namespace gridshade
