// SPDX-License-Identifier: GPL-2.0-or-later
#include "raster_statistics_algorithm.h"

#include "raster_parameters.h"

#include "cancel_watch.h"
#include "raster/raster_statistics.h"

#include "processing_guard.h"
#include "qgis_compat.h"

#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingoutputs.h>
#include <qgsprocessingparameters.h>
#include <qgsrasterdataprovider.h>
#include <qgsrasterlayer.h>

#include <QElapsedTimer>
#include <QFile>
#include <QTextStream>


namespace gridshade
{

QString RasterStatisticsAlgorithm::name() const
{
  return QStringLiteral( "rasterstatistics" );
}

QString RasterStatisticsAlgorithm::displayName() const
{
  return QStringLiteral( "Raster statistics (streamed)" );
}

QString RasterStatisticsAlgorithm::shortHelpString() const
{
  return QStringLiteral( "Count, minimum, maximum, mean, standard deviation and sum of the valid pixels of each band (nodata, "
                         "masks and NaN excluded) of a GDAL raster of any size: it is read in CHUNK x CHUNK pixel chunks "
                         "aligned to its native blocks, on all cores, holding about one chunk in memory. Writes a CSV, one "
                         "row per band. GDAL's block cache is kept small while it runs." );
}

RasterStatisticsAlgorithm *RasterStatisticsAlgorithm::createInstance() const
{
  return new RasterStatisticsAlgorithm();
}

void RasterStatisticsAlgorithm::initAlgorithm( const QVariantMap & )
{
  addParameter( new QgsProcessingParameterRasterLayer( QStringLiteral( "INPUT" ), QStringLiteral( "Raster layer (GDAL)" ) ) );
  addParameter( new QgsProcessingParameterBand( QStringLiteral( "BANDS" ), QStringLiteral( "Bands (default: all)" ), QVariant(),
                                                QStringLiteral( "INPUT" ), true, true ) );
  addParameter( new QgsProcessingParameterNumber( QStringLiteral( "CHUNK" ), QStringLiteral( "Chunk size in pixels (rounded to native blocks)" ),
                                                  qgiscompat::NUMBER_INTEGER, 4096, false, 1, 65536 ) );
  addParameter( new QgsProcessingParameterFileDestination( QStringLiteral( "OUTPUT" ), QStringLiteral( "Statistics" ), QStringLiteral( "CSV files (*.csv)" ) ) );
  addOutput( new QgsProcessingOutputNumber( QStringLiteral( "MIB_PER_SECOND" ), QStringLiteral( "Throughput (MiB of pixels per second)" ) ) );
}

bool RasterStatisticsAlgorithm::prepareAlgorithm( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback * )
{
  QgsRasterLayer *layer = parameterAsRasterLayer( parameters, QStringLiteral( "INPUT" ), context );
  if ( !layer || !layer->dataProvider() )
    throw QgsProcessingException( QStringLiteral( "INPUT is not a raster layer" ) );
  if ( layer->providerType() != QLatin1String( "gdal" ) )
    throw QgsProcessingException( QStringLiteral( "INPUT '%1' is read by the '%2' provider: streaming needs a GDAL raster" ).arg( layer->name(), layer->providerType() ) );
  mSource = layer->dataProvider()->dataSourceUri();
  if ( Status st = parseBandList( QStringLiteral( "BANDS" ), parameters.value( QStringLiteral( "BANDS" ) ), mBands ); !st )
    throw QgsProcessingException( st.message() );
  mChunk = parameterAsInt( parameters, QStringLiteral( "CHUNK" ), context );
  return true;
}

QVariantMap RasterStatisticsAlgorithm::processAlgorithm( const QVariantMap &parameters, QgsProcessingContext &context, QgsProcessingFeedback *feedback )
{
  return runGuarded( QStringLiteral( "raster statistics" ), [&]() -> QVariantMap {
    CancelWatch cancel( feedback );
    StreamSettings settings;
    settings.bands = mBands;
    settings.chunk = QSize( mChunk, mChunk );
    settings.cancel = cancel.flag();
    settings.progress = [feedback]( double p ) { feedback->setProgress( p ); };
    std::vector<BandStatistics> stats;
    QElapsedTimer timer;
    timer.start();
    const Status st = streamStatistics( mSource, settings, stats );
    if ( cancel.isCanceled() )
      throw QgsProcessingException( QStringLiteral( "cancelled" ) );
    if ( !st )
      throw QgsProcessingException( st.message() );
    const double seconds = timer.nsecsElapsed() / 1e9;
    const QString output = parameterAsFileOutput( parameters, QStringLiteral( "OUTPUT" ), context );
    QFile file( output );
    if ( !file.open( QIODevice::WriteOnly | QIODevice::Truncate ) )
      throw QgsProcessingException( QStringLiteral( "cannot write '%1': %2" ).arg( output, file.errorString() ) );
    QTextStream csv( &file );
    csv << "band,valid,masked,min,max,mean,stddev,sum\n";
    double pixels = 0;
    for ( const BandStatistics &s : stats )
    {
      csv << s.band << ',' << s.valid << ',' << s.masked << ',' << QString::number( s.min, 'g', 17 ) << ',' << QString::number( s.max, 'g', 17 ) << ','
          << QString::number( s.mean(), 'g', 17 ) << ',' << QString::number( s.stddev(), 'g', 17 ) << ',' << QString::number( s.sum, 'g', 17 ) << '\n';
      pixels += static_cast<double>( s.valid + s.masked );
      feedback->pushInfo( QStringLiteral( "band %1: %2 valid pixels, mean %3" ).arg( s.band ).arg( s.valid ).arg( s.mean(), 0, 'g', 10 ) );
    }
    // Throughput in MiB of float32 pixels, the unit of the benchmarks.
    const double mibPerSecond = pixels * 4.0 / 1048576.0 / std::max( seconds, 1e-9 );
    feedback->pushInfo( QStringLiteral( "%1 s, %2 MiB/s" ).arg( seconds, 0, 'f', 2 ).arg( mibPerSecond, 0, 'f', 0 ) );
    QVariantMap outputs;
    outputs.insert( QStringLiteral( "OUTPUT" ), output );
    outputs.insert( QStringLiteral( "MIB_PER_SECOND" ), mibPerSecond );
    return outputs;
  } );
}

} // namespace gridshade
