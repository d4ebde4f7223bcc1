// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "numpy_compat.h"
#include "shade_settings.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace gridshade
{

/**
 * \brief Datashader's `how` applied to offset values d = value - minimum: d, log1p(d),
 * d ** (1/3.) or eq_hist.
 *
 * eq_hist follows Datashader 0.19: integer data whose range is under 65,536 gets one bin per
 * value (empty values included); other data 65,536 uniform bins (NumPy's histogram) whose empty
 * bins are dropped, bin centres as knots; the normalised cumulative histogram is then applied
 * with np.interp.
 *
 * Immutable after construction; any thread may evaluate it.
 */
class ValueTransform
{
  public:
    static constexpr int EQ_HIST_BINS = 65536;

    //! For linear, log and cbrt, which need no data.
    explicit ValueTransform( How how );

    /**
     * eq_hist (or any how) from the unmasked offset values. \a integer says whether the data
     * are integers (counts), which selects Datashader's exact one-bin-per-value histogram.
     */
    static ValueTransform fromValues( How how, const std::vector<double> &d, const std::vector<uint8_t> &mask, bool integer );

    /**
     * eq_hist (or any how) of integer data given as a table: \a pixelsPerValue[v] pixels hold the
     * offset value v. Same result as fromValues() on those pixels.
     */
    static ValueTransform fromValueCounts( How how, const std::vector<uint32_t> &pixelsPerValue );

    /**
     * The same for integer data given as sorted distinct offset values \a distinct, of which
     * \a pixels[i] pixels hold distinct[i].
     */
    static ValueTransform fromDistinctValues( How how, const std::vector<uint32_t> &distinct, const std::vector<uint32_t> &pixels );

    double operator()( double d ) const;

  private:
    struct EqHist;
    static ValueTransform eqHistFromHistogram( std::vector<uint64_t> hist, double vmin, double vmax, bool exact );

    How mHow;
    std::shared_ptr<const EqHist> mEqHist;
};

} // namespace gridshade
