// SPDX-License-Identifier: GPL-2.0-or-later
#include "gridshade_provider.h"

#include "aggregate_points_algorithm.h"
#include "raster_statistics_algorithm.h"
#include "read_raster_window_algorithm.h"
#include "render_density_image_algorithm.h"

namespace gridshade
{

QString GridshadeProvider::id() const
{
  return QString::fromLatin1( PROVIDER_ID );
}

QString GridshadeProvider::name() const
{
  return QStringLiteral( "Gridshade" );
}

QString GridshadeProvider::longName() const
{
  return QStringLiteral( "Gridshade density rendering" );
}

QStringList GridshadeProvider::supportedOutputRasterLayerExtensions() const
{
  // What RasterWriter writes; aggregatepoints further insists on .tif.
  return { QStringLiteral( "tif" ), QStringLiteral( "png" ) };
}

QString GridshadeProvider::defaultRasterFileExtension() const
{
  return QStringLiteral( "tif" );
}

void GridshadeProvider::loadAlgorithms()
{
  addAlgorithm( new RenderDensityImageAlgorithm() );
  addAlgorithm( new AggregatePointsAlgorithm() );
  addAlgorithm( new ReadRasterWindowAlgorithm() );
  addAlgorithm( new RasterStatisticsAlgorithm() );
}

} // namespace gridshade
