// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/viewport.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace gridshade
{

//! Datashader's reductions: count(), sum/mean/min/max of the value column, count_cat.
enum class Reduction
{
  Count,
  Sum,
  Mean,
  Min,
  Max,
  CountCat,
};

QString reductionName( Reduction reduction );
//! sum, mean, min and max reduce a value column; count and count_cat do not.
bool reductionNeedsValues( Reduction reduction );
//! Parses "count", "sum", "mean", "min", "max", "count_cat"; false when unknown.
bool parseReduction( const QString &name, Reduction &reduction );

//! What happened to the input points of one aggregation.
struct AggregateStats
{
    uint64_t total = 0;            //!< points given
    uint64_t inView = 0;           //!< points inside the extent (and with a valid category for count_cat)
    uint64_t droppedNonFinite = 0; //!< x or y NaN or +-inf
    uint64_t droppedOutside = 0;   //!< finite but outside the extent
    uint64_t droppedCategory = 0;  //!< count_cat: category code outside 0..categoryCount-1
    QString backend;               //!< "cpu" or "gpu": where the points were aggregated
    QString device;                //!< the GPU's name, or "CPU, N threads"
    QString backendNote;           //!< why the CPU ran when the GPU was asked for (or auto skipped it); empty otherwise
    bool softwareDevice = false;   //!< GPU backend on a software Vulkan device (lavapipe): the work ran on the CPU
    double deviceMs = 0.0;         //!< GPU: wall time of the device frames (dispatch, wait, readback)
    uint64_t deviceResidentBytes = 0; //!< GPU: point buffers kept on the device after this render
    uint64_t deviceWorkBytes = 0;     //!< GPU: grids, parameters and counters of this render
};

/**
 * \brief The result of aggregating points onto a Viewport, in north-up image order.
 *
 * Count: counts() holds W*H uint32. CountCat: counts() holds W*H*C uint32, pixel-major (the
 * category varies fastest, as Datashader's (y, x, cat) array). Sum, Mean, Min, Max: values()
 * holds W*H float64 with NaN where no point (or no non-NaN value) fell, as Datashader.
 *
 * A plain value owned by whoever holds it; not shared between threads while being written.
 */
class Aggregate
{
  public:
    Reduction reduction() const { return mReduction; }
    int width() const { return mWidth; }
    int height() const { return mHeight; }
    int categoryCount() const { return mCategoryCount; }
    bool isCount() const { return mReduction == Reduction::Count || mReduction == Reduction::CountCat; }
    int64_t pixelCount() const { return static_cast<int64_t>( mWidth ) * mHeight; }

    const std::vector<uint32_t> &counts() const { return mCounts; }
    std::vector<uint32_t> &counts() { return mCounts; }
    const std::vector<double> &values() const { return mValues; }
    std::vector<double> &values() { return mValues; }
    const AggregateStats &stats() const { return mStats; }
    AggregateStats &stats() { return mStats; }

    //! Largest count (Count: per pixel; CountCat: per pixel over all categories) or value.
    double maxValue() const;

    //! Sizes the storage for \a reduction and fills it with the empty value (0 or NaN).
    void reset( Reduction reduction, int width, int height, int categoryCount = 0 );

  private:
    Reduction mReduction = Reduction::Count;
    int mWidth = 0;
    int mHeight = 0;
    int mCategoryCount = 0;
    std::vector<uint32_t> mCounts;
    std::vector<double> mValues;
    AggregateStats mStats;
};

} // namespace gridshade
