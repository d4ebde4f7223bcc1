// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "raster_window_reader.h"

#include <atomic>
#include <functional>
#include <limits>

namespace gridshade
{

/**
 * Statistics of the valid pixels of one band (that band's own mask and NaN excluded). The
 * variance is kept as the sum of squared deviations from the running mean (m2), merged with
 * Chan et al.'s formula: sums of squares lose every digit for values like epoch seconds
 * (1.7e9 + a fraction gave a standard deviation of 128 instead of 0.29).
 */
struct BandStatistics
{
    int band = 0;
    uint64_t valid = 0;
    uint64_t masked = 0;
    double sum = 0.0;
    double runningMean = 0.0; //!< mean of the valid pixels so far
    double m2 = 0.0;          //!< sum of squared deviations from runningMean
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();

    double mean() const { return valid ? runningMean : std::numeric_limits<double>::quiet_NaN(); }
    //! Population standard deviation.
    double stddev() const;
    //! Chan's parallel merge of two partial results.
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
 * Each chunk is cut into strips of whole native block rows, every 512 rows or more, three per
 * thread; each thread reads its strips (with its own GDAL dataset) into its own buffer (float32
 * when the bands' type fits, else float64; each band's own mask only when it has one) and
 * accumulates (one pass, sums shifted by the strip's first value, then Chan's merge); buffers are reused from
 * strip to strip. Memory: threads x strip x at most 9 bytes a pixel and band = at most 3/4 of a
 * chunk of float32 data per band, plus GDAL's block cache, sized while streaming to a 512-row
 * band across the chunk per thread (at most half a chunk; process-wide: other GDAL users share
 * that cache meanwhile). Cancellation is checked between strips;
 * progress is reported after each chunk.
 */
Status streamStatistics( const QString &gdalSource, const StreamSettings &settings, std::vector<BandStatistics> &out );

} // namespace gridshade
