// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <qgsprocessingprovider.h>

namespace gridshade
{

/**
 * \brief The `gridshade` processing provider: renderdensityimage and aggregatepoints.
 *
 * Created by gridshade_register() and handed to QgsProcessingRegistry, which owns and deletes
 * it (at removeProvider() or exitQgis). Main thread only, as every provider.
 */
class GridshadeProvider : public QgsProcessingProvider
{
  public:
    static constexpr const char *PROVIDER_ID = "gridshade";

    QString id() const override;
    QString name() const override;
    QString longName() const override;
    QStringList supportedOutputRasterLayerExtensions() const override;
    QString defaultRasterFileExtension() const override;

  protected:
    void loadAlgorithms() override;
};

} // namespace gridshade
