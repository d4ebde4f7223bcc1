// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "raster_window_reader.h"

#include <atomic>
#include <functional>
#include <limits>

namespace gridshade
{

//! Statistics of the valid pixels of one band (masked pixels and NaN excluded).
struct BandStatistics
{
    int band = 0;
    uint64_t valid = 0;
    uint64_t masked = 0;
    double sum = 0.0;
    double sumOfSquares = 0.0;
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();

    double mean() const { return valid ? sum / valid : std::numeric_limits<double>::quiet_NaN(); }
    //! Population standard deviation.
    double stddev() const;
    void merge( const BandStatistics &other );
};

//! How a raster is streamed.
struct StreamSettings
{
    QList<int> bands;           //!< empty: all
    QSize chunk { 4096, 4096 }; //!< rounded up to whole native blocks (RasterWindowReader::blocks)
    int threads = 0;            //!< 0: all cores; each reads its own strips with its own dataset
    std::function<void( double )> progress; //!< 0..100, from the calling thread
    const std::atomic<bool> *cancel = nullptr;
};

/**
 * \brief Per-band statistics of a raster of any size, streamed chunk by chunk in the native
 * block grid, so that nothing holds more than about one chunk of pixels.
 *
 * Each chunk is cut into strips of whole native block rows, three per thread; each thread reads
 * its strips (with its own GDAL dataset) into its own buffer (float32 when the bands' type fits,
 * else float64; a mask only when a band has one) and accumulates; buffers are reused from strip
 * to strip. Memory: threads x strip x at most 9 bytes a pixel = at most 3/4 of a chunk of
 * float32 data, plus GDAL's block cache, capped at 1/8 chunk while streaming (it
 * is process-wide: other GDAL users share the smaller cache meanwhile). Cancellation is checked between
 * strips; progress is reported after each chunk.
 */
Status streamStatistics( const QString &gdalSource, const StreamSettings &settings, std::vector<BandStatistics> &out );

} // namespace gridshade
