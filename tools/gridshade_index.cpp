// SPDX-License-Identifier: GPL-2.0-or-later
// gridshade-index: builds a point index file (docs/index-format.rst) from the standard scene or a
// points file, for gridshade-render --index.
#include "index/point_index.h"
#include "io/points_file.h"
#include "scene/scene_generator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <exception>

using namespace gridshade;

namespace
{

int fail( const QString &message, int code )
{
  QTextStream( stderr ) << "gridshade-index: error: " << message << Qt::endl;
  return code;
}

int run( const QStringList &arguments )
{
  QCommandLineParser p;
  p.setApplicationDescription( QStringLiteral( "gridshade-index build: sort points into a point index file (count aggregation by gridshade-render --index)." ) );
  p.addHelpOption();
  p.addPositionalArgument( QStringLiteral( "build" ), QStringLiteral( "The command (only build so far)." ) );
  p.addOptions( {
    { QStringLiteral( "scene" ), QStringLiteral( "Index the standard scene of <n> points." ), QStringLiteral( "n" ) },
    { QStringLiteral( "seed" ), QStringLiteral( "Seed of the standard scene." ), QStringLiteral( "seed" ), QString::number( SceneGenerator::DEFAULT_SEED ) },
    { QStringLiteral( "points" ), QStringLiteral( "Index the points of <file>: .csv with a header (columns x, y), or raw float64 x,y pairs." ), QStringLiteral( "file" ) },
    { QStringLiteral( "leaf" ), QStringLiteral( "Points per leaf." ), QStringLiteral( "n" ), QString::number( PointIndex::LEAF_POINTS ) },
    { QStringLiteral( "crs" ), QStringLiteral( "CRS of the points, stored in the file (WKT or an authority code)." ), QStringLiteral( "crs" ), QStringLiteral( "EPSG:3857" ) },
    { QStringLiteral( "out" ), QStringLiteral( "Index file to write (required)." ), QStringLiteral( "file" ) },
  } );
  if ( !p.parse( arguments ) )
    return fail( p.errorText() + QStringLiteral( " (see --help)" ), 2 );
  if ( p.isSet( QStringLiteral( "help" ) ) )
  {
    QTextStream( stdout ) << p.helpText();
    return 0;
  }
  if ( p.positionalArguments() != QStringList { QStringLiteral( "build" ) } )
    return fail( QStringLiteral( "give the command: gridshade-index build (--scene N | --points FILE) --out FILE" ), 2 );
  const QString out = p.value( QStringLiteral( "out" ) );
  if ( out.isEmpty() )
    return fail( QStringLiteral( "--out <file> is required" ), 2 );
  if ( p.isSet( QStringLiteral( "scene" ) ) == p.isSet( QStringLiteral( "points" ) ) )
    return fail( QStringLiteral( "give exactly one of --scene N and --points FILE" ), 2 );
  bool ok = false;
  const uint leaf = p.value( QStringLiteral( "leaf" ) ).toUInt( &ok );
  if ( !ok || leaf < 1 || leaf > 1000000 )
    return fail( QStringLiteral( "--leaf needs 1..1000000 points, got '%1'" ).arg( p.value( QStringLiteral( "leaf" ) ) ), 2 );

  QElapsedTimer timer;
  timer.start();
  PointColumns points;
  QString source;
  if ( p.isSet( QStringLiteral( "scene" ) ) )
  {
    const uint64_t n = p.value( QStringLiteral( "scene" ) ).toULongLong( &ok );
    if ( !ok || n > 4000000000ull )
      return fail( QStringLiteral( "--scene needs a point count 0..4e9, got '%1'" ).arg( p.value( QStringLiteral( "scene" ) ) ), 2 );
    const uint64_t seed = p.value( QStringLiteral( "seed" ) ).toULongLong( &ok );
    if ( !ok )
      return fail( QStringLiteral( "--seed needs a whole number, got '%1'" ).arg( p.value( QStringLiteral( "seed" ) ) ), 2 );
    points = SceneGenerator( seed ).generate( n );
    source = QStringLiteral( "standard scene, %1 points, seed %2" ).arg( n ).arg( seed );
  }
  else
  {
    PointsReadReport read;
    if ( Status s = PointsFile::read( p.value( QStringLiteral( "points" ) ), points, PointsFile::CsvColumns(), &read ); !s )
      return fail( s.message(), read.malformed ? 2 : 1 );
    source = QStringLiteral( "points file %1" ).arg( p.value( QStringLiteral( "points" ) ) );
  }
  const double loadS = timer.nsecsElapsed() / 1e9;
  timer.restart();
  const PointIndex index = PointIndex::build( points, leaf );
  const double buildS = timer.nsecsElapsed() / 1e9;
  timer.restart();
  if ( Status s = index.write( out, p.value( QStringLiteral( "crs" ) ), source ); !s )
    return fail( s.message(), 1 );
  QTextStream( stdout ) << QStringLiteral( "%1 points indexed (%2 non-finite left out), %3 nodes; load %4 s, build %5 s, write %6 s -> %7" )
                             .arg( index.size() )
                             .arg( index.nonFinite() )
                             .arg( index.nodeCount() )
                             .arg( loadS, 0, 'f', 2 )
                             .arg( buildS, 0, 'f', 2 )
                             .arg( timer.nsecsElapsed() / 1e9, 0, 'f', 2 )
                             .arg( out )
                        << Qt::endl;
  return 0;
}

} // namespace

int main( int argc, char **argv )
{
  QCoreApplication app( argc, argv );
  try
  {
    return run( app.arguments() );
  }
  catch ( const std::exception &e )
  {
    return fail( QString::fromLocal8Bit( e.what() ), 1 );
  }
}
