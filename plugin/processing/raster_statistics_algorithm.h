// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <qgsprocessingalgorithm.h>

namespace gridshade
{

/**
 * \brief `gridshade:rasterstatistics`: per-band count, min, max, mean, standard deviation and
 * sum of the valid pixels of a GDAL raster of any size, streamed in native-block-aligned chunks
 * within bounded memory (see streamStatistics()), with progress and cancellation; written as CSV.
 *
 * prepareAlgorithm() (main thread) copies the layer's source; the streaming opens its own
 * datasets, so processAlgorithm() may run on a worker thread.
 */
class RasterStatisticsAlgorithm : public QgsProcessingAlgorithm
{
  public:
    QString name() const override;
    QString displayName() const override;
    QString shortHelpString() const override;
    RasterStatisticsAlgorithm *createInstance() const override;
    void initAlgorithm( const QVariantMap &configuration = QVariantMap() ) override;

  protected:
    bool prepareAlgorithm( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback ) override;
    QVariantMap processAlgorithm( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback ) override;

  private:
    QString mSource;
    QList<int> mBands;
    int mChunk = 4096;
};

} // namespace gridshade
