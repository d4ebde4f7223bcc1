// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QImage>
#include <QRect>

#include <vector>

namespace gridshade
{

//! A comparison as the SSIM dock shows it: the figure, where it is worst, and a diff image.
struct SsimReport
{
    double ssim = -1;            //!< as Ssim::compareImages()
    QRect worst;                 //!< the block with the lowest mean per-pixel SSIM
    double worstSsim = -1;       //!< that block's mean (per pixel: the mean over R, G, B, A)
    QImage diff;                 //!< as compareImages()'s diff
    qint64 differingPixels = -1; //!< pixels whose RGBA values differ at all
};

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

    /**
     * compareImages() with the worst \a block x \a block region (the image tiled from its top
     * left corner) and the count of differing pixels; ssim -1 and a null worst region when the
     * sizes differ or an image is smaller than 7x7.
     */
    static SsimReport report( const QImage &a, const QImage &b, int block = 32 );
};

} // namespace gridshade
