// SPDX-License-Identifier: GPL-2.0-or-later
// gridshade-render: points (the standard scene or a file) -> density PNG + stats JSON.
#include "aggregation/column_source.h"
#include "density_pipeline.h"
#include "index/index_source.h"
#include "io/npy_writer.h"
#include "io/points_file.h"
#include "render_options.h"
#include "scene/scene_generator.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <memory>
#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>

#include <exception>

using namespace gridshade;

namespace
{

int fail( const QString &message, int code )
{
  QTextStream( stderr ) << "gridshade-render: error: " << message << Qt::endl;
  return code;
}

bool ensureParent( const QString &path )
{
  return path.isEmpty() || QDir().mkpath( QFileInfo( path ).absolutePath() );
}

QJsonArray firstLines( const PointsReadReport &read )
{
  QJsonArray lines;
  for ( qint64 line : read.firstSkippedLines )
    lines.append( double( line ) );
  return lines;
}

QJsonObject statsJson( const RenderOptions &o, const RenderResult &r, const PointsReadReport &read, double loadMs, double writeMs,
                       const PointSource &source )
{
  const AggregateStats &s = r.aggregate.stats();
  const Extent &e = o.viewport.extent();
  QJsonObject points { { QStringLiteral( "total" ), double( s.total ) },
                       { QStringLiteral( "in_view" ), double( s.inView ) },
                       { QStringLiteral( "dropped_non_finite" ), double( s.droppedNonFinite ) },
                       { QStringLiteral( "dropped_outside" ), double( s.droppedOutside ) },
                       { QStringLiteral( "dropped_category" ), double( s.droppedCategory ) },
                       { QStringLiteral( "rows_skipped" ), double( read.skippedRows ) },
                       { QStringLiteral( "first_skipped_lines" ), firstLines( read ) } };
  QJsonObject viewport { { QStringLiteral( "name" ), o.viewportName },
                         { QStringLiteral( "extent" ), QJsonArray { e.xmin, e.ymin, e.xmax, e.ymax } },
                         { QStringLiteral( "width" ), o.viewport.width() },
                         { QStringLiteral( "height" ), o.viewport.height() } };
  QJsonObject timings { { QStringLiteral( "load_ms" ), loadMs },
                        { QStringLiteral( "aggregate_ms" ), r.timings.aggregateMs },
                        { QStringLiteral( "shade_ms" ), r.timings.shadeMs },
                        { QStringLiteral( "write_ms" ), writeMs } };
  QJsonObject settings { { QStringLiteral( "reduction" ), reductionName( o.aggregation.reduction ) },
                         { QStringLiteral( "backend" ), s.backend },
                         { QStringLiteral( "device" ), s.device },
                         { QStringLiteral( "backend_note" ), s.backendNote },
                         { QStringLiteral( "how" ), howName( o.shading.how ) },
                         { QStringLiteral( "cmap" ), o.shading.colormap.name() },
                         { QStringLiteral( "spread" ), o.shading.spreadPx },
                         { QStringLiteral( "dynspread" ), o.shading.dynspread },
                         { QStringLiteral( "source" ), !o.indexPath.isEmpty() ? o.indexPath : o.pointsPath.isEmpty() ? QStringLiteral( "scene" ) : o.pointsPath } };
  if ( o.pointsPath.isEmpty() && o.indexPath.isEmpty() )
  {
    settings.insert( QStringLiteral( "scene_points" ), double( o.sceneCount ) );
    settings.insert( QStringLiteral( "seed" ), double( o.seed ) );
  }
  QJsonObject stats { { QStringLiteral( "engine_version" ), QStringLiteral( GRIDSHADE_VERSION ) },
                       { QStringLiteral( "points" ), points },
                       { QStringLiteral( "max_value" ), r.aggregate.maxValue() },
                       { QStringLiteral( "viewport" ), viewport },
                       { QStringLiteral( "settings" ), settings },
                       { QStringLiteral( "timings" ), timings } };
  // What only this kind of source reports: the index's nodes taken whole, leaves scanned, ...
  const QVariantMap figures = source.lastFigures();
  if ( !figures.isEmpty() )
    stats.insert( QStringLiteral( "index" ), QJsonObject::fromVariantMap( figures ) );
  return stats;
}

int run( const QStringList &arguments )
{
  RenderOptions o;
  bool help = false;
  if ( Status s = RenderOptions::parse( arguments, o, help ); !s )
    return fail( s.message(), 2 );
  if ( help )
    return 0;

  QElapsedTimer timer;
  timer.start();
  PointColumns points;
  PointsReadReport read;
  std::unique_ptr<PointSource> source;
  if ( !o.indexPath.isEmpty() )
  {
    PointIndex index;
    if ( Status s = PointIndex::open( o.indexPath, index ); !s )
      return fail( s.message(), 1 );
    source = std::make_unique<IndexSource>( std::move( index ) );
  }
  else if ( o.pointsPath.isEmpty() )
    points = SceneGenerator( o.seed ).generate( o.sceneCount, o.aggregation.threads );
  else if ( Status s = PointsFile::read( o.pointsPath, points, o.csvColumns, &read ); !s )
    return fail( s.message(), read.malformed ? 2 : 1 ); // malformed input is a usage error, as bad options are
  if ( read.skippedRows > 0 )
  {
    QStringList lines;
    for ( qint64 line : read.firstSkippedLines )
      lines << QString::number( line );
    QTextStream( stderr ) << QStringLiteral( "skipped %1 malformed row(s) of '%2' (lines %3%4)" )
                               .arg( read.skippedRows )
                               .arg( o.pointsPath, lines.join( QStringLiteral( ", " ) ), read.skippedRows > uint64_t( lines.size() ) ? QStringLiteral( ", ..." ) : QString() )
                          << Qt::endl;
  }
  const double loadMs = timer.nsecsElapsed() / 1e6;
  if ( !source )
    source = std::make_unique<ColumnSource>( points );

  RenderResult result;
  if ( Status s = DensityPipeline::render( *source, o.viewport, o.aggregation, o.shading, result ); !s )
    return fail( s.message(), 1 );

  timer.restart();
  for ( const QString &path : { o.outPng, o.statsJson, o.npyPath, o.writePointsPath } )
    if ( !ensureParent( path ) )
      return fail( QStringLiteral( "cannot create the folder of '%1'" ).arg( path ), 1 );
  if ( !result.image.view().save( o.outPng, "PNG" ) )
    return fail( QStringLiteral( "cannot write PNG '%1'" ).arg( o.outPng ), 1 );
  if ( !o.npyPath.isEmpty() )
    if ( Status s = NpyWriter::write( o.npyPath, result.aggregate ); !s )
      return fail( s.message(), 1 );
  if ( !o.writePointsPath.isEmpty() )
    if ( Status s = PointsFile::writeRaw( o.writePointsPath, points ); !s )
      return fail( s.message(), 1 );
  const double writeMs = timer.nsecsElapsed() / 1e6;
  if ( !o.statsJson.isEmpty() )
  {
    QFile f( o.statsJson );
    if ( !f.open( QIODevice::WriteOnly | QIODevice::Truncate ) )
      return fail( QStringLiteral( "cannot write stats '%1': %2" ).arg( o.statsJson, f.errorString() ), 1 );
    f.write( QJsonDocument( statsJson( o, result, read, loadMs, writeMs, *source ) ).toJson() );
  }
  const AggregateStats &s = result.aggregate.stats();
  QTextStream( stdout ) << QStringLiteral( "%1 points, %2 in view, %3 dropped; aggregate %4 ms, shade %5 ms -> %6" )
                             .arg( s.total )
                             .arg( s.inView )
                             .arg( s.droppedNonFinite + s.droppedOutside + s.droppedCategory )
                             .arg( result.timings.aggregateMs, 0, 'f', 2 )
                             .arg( result.timings.shadeMs, 0, 'f', 2 )
                             .arg( o.outPng )
                        << Qt::endl;
  return 0;
}

} // namespace

// --backend gpu / auto: Vulkan needs Qt's GUI platform, so only then is one started (and,
// without any display, the offscreen one, where the GPU reports itself unavailable).
bool mayUseGpu( int argc, char **argv )
{
  for ( int i = 1; i < argc; ++i )
  {
    const QByteArray a( argv[i] );
    if ( a == "--backend" && i + 1 < argc )
      return QByteArray( argv[i + 1] ).toLower() != "cpu";
    if ( a.startsWith( "--backend=" ) )
      return a.mid( 10 ).toLower() != "cpu";
  }
  return false;
}

int main( int argc, char **argv )
{
  std::unique_ptr<QCoreApplication> application;
  if ( mayUseGpu( argc, argv ) )
  {
    if ( !qEnvironmentVariableIsSet( "QT_QPA_PLATFORM" ) && !qEnvironmentVariableIsSet( "DISPLAY" ) && !qEnvironmentVariableIsSet( "WAYLAND_DISPLAY" ) )
      qputenv( "QT_QPA_PLATFORM", "offscreen" );
    application = std::make_unique<QGuiApplication>( argc, argv );
  }
  else
    application = std::make_unique<QCoreApplication>( argc, argv );
  QCoreApplication::setApplicationName( QStringLiteral( "gridshade-render" ) );
  QCoreApplication::setApplicationVersion( QStringLiteral( GRIDSHADE_VERSION ) );
  try
  {
    return run( QCoreApplication::arguments() );
  }
  catch ( const std::exception &e )
  {
    return fail( QString::fromLocal8Bit( e.what() ), 1 );
  }
}
