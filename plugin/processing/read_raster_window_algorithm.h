// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "raster/raster_window_reader.h"

#include <qgsprocessingalgorithm.h>

namespace gridshade
{

/**
 * \brief `gridshade:readrasterwindow`: a windowed read of a GDAL raster layer (an extent, or
 * the whole raster, at a chosen size and resampling) written as a Float64 GeoTIFF: the
 * processing face of RasterWindowReader, for the Python console and qgis_process.
 *
 * prepareAlgorithm() (main thread) copies the layer's source and the window; processAlgorithm()
 * opens its own GDAL dataset, so it may run on a worker thread.
 */
class ReadRasterWindowAlgorithm : public QgsProcessingAlgorithm
{
  public:
    QString name() const override;
    QString displayName() const override;
    QString shortHelpString() const override;
    ReadRasterWindowAlgorithm *createInstance() const override;
    void initAlgorithm( const QVariantMap &configuration = QVariantMap() ) override;

  protected:
    bool prepareAlgorithm( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback ) override;
    QVariantMap processAlgorithm( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback ) override;

  private:
    //! TARGET_CRS given: the window through GDAL's warper (see reprojectWindow()).
    QVariantMap reproject( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback );
    //! Writes OUTPUT and returns the results map (OVERVIEW_LEVEL and WINDOW: what was read).
    QVariantMap writeOutputs( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback,
                              const RasterArray &array, int level, const QString &window );

  private:
    QString mSource;
    QList<int> mBands;
    QgsRectangle mExtent;
    bool mHasExtent = false;
    int mWidth = 0;
    int mHeight = 0;
    Resampling mResampling = Resampling::Nearest;
    bool mApplyMask = true;
    int mOverview = -1;
    QString mTargetCrsWkt;           // empty: no reprojection
    QString mCoordinateOperation;    // from the project's transform context
};

} // namespace gridshade
