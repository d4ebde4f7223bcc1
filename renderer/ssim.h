// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QImage>

#include <vector>

namespace gridshade
{

/**
 * \brief Structural similarity with the definition and defaults of scikit-image's
 * structural_similarity: 7x7 uniform window (scipy uniform_filter, mode 'reflect'), K1 0.01,
 * K2 0.03, sample covariance (N / (N - 1)), an explicit data range, the mean taken over the
 * image less a 3-pixel border, and for colour images the mean over channels.
 *
 * Stateless; any thread.
 */
class Ssim
{
  public:
    //! SSIM of two single-channel images of \a width x \a height, row-major float64.
    static double compare( const std::vector<double> &a, const std::vector<double> &b, int width, int height, double dataRange );

    /**
     * Mean SSIM over the R, G, B and A channels of two images of the same size (data range 255),
     * as skimage with channel_axis on straight RGBA; -1 when the sizes differ or an image is
     * smaller than 7x7. When \a diff is given it receives a grey image of the per-pixel SSIM
     * deficit (white = identical).
     */
    static double compareImages( const QImage &a, const QImage &b, QImage *diff = nullptr );
};

} // namespace gridshade
