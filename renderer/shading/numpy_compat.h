// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <vector>

namespace gridshade
{

/**
 * \brief The few NumPy 1.24 numerics that Datashader's shading rests on, reproduced bit for bit:
 * linspace, interp (with left/right fill values) and the uniform-bin index of histogram.
 *
 * Plain functions and immutable objects; any thread.
 */
namespace numpy
{

//! np.linspace(start, stop, num) with endpoint=True: i * step + start, the last knot = stop.
std::vector<double> linspace( double start, double stop, int num );

/**
 * \brief np.interp(x, xp, fp, left, right) for a fixed non-decreasing xp.
 *
 * The knot is the rightmost j with xp[j] <= x, found from a guess for evenly spaced knots and
 * corrected against the knots themselves, so the result equals NumPy's binary search.
 */
class Interp
{
  public:
    Interp( std::vector<double> xp, std::vector<double> fp, double left, double right );
    //! Defaults of np.interp: left = fp[0], right = fp[-1].
    Interp( std::vector<double> xp, std::vector<double> fp );

    double operator()( double x ) const;

    /**
     * The result for \a x when the caller already knows the rightmost knot \a j with
     * xp[j] <= x (-1 when x < xp[0], size() when x > xp[-1]).
     */
    double evaluate( double x, int j ) const;

    const std::vector<double> &xp() const { return mXp; }

  private:
    int knotAtOrBelow( double x ) const;

    std::vector<double> mXp;
    std::vector<double> mFp;
    std::vector<double> mSlopes;
    double mLeft;
    double mRight;
    double mStep = 0.0;
};

/**
 * \brief The bins of np.histogram(a, bins=n) for data in [first, last]: edges from
 * linspace(first, last, n + 1), index from the scaled value corrected against the edges, the
 * last bin closed on the right. A zero range is widened by +-0.5, as NumPy does.
 */
class UniformBins
{
  public:
    UniformBins( double first, double last, int bins );

    int binOf( double x ) const;
    int binCount() const { return mBins; }
    const std::vector<double> &edges() const { return mEdges; }
    double centre( int bin ) const { return ( mEdges[bin] + mEdges[bin + 1] ) / 2; }

  private:
    int mBins;
    double mFirst;
    double mDenominator;
    std::vector<double> mEdges;
};

} // namespace numpy
} // namespace gridshade
