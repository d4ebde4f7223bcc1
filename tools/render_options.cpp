// SPDX-License-Identifier: GPL-2.0-or-later
#include "render_options.h"

#include "scene/scene_generator.h"
#include "scene/standard_zooms.h"

#include <QCommandLineParser>
#include <QTextStream>

namespace gridshade
{

namespace
{

Status parseNumbers( const QString &text, int expected, const QString &what, std::vector<double> &out )
{
  const QStringList parts = text.split( QLatin1Char( ',' ) );
  out.clear();
  for ( const QString &p : parts )
  {
    bool ok = false;
    out.push_back( p.trimmed().toDouble( &ok ) );
    if ( !ok )
      return Status::error( QStringLiteral( "%1: '%2' is not a number (in '%3')" ).arg( what, p, text ) );
  }
  if ( expected > 0 && static_cast<int>( out.size() ) != expected )
    return Status::error( QStringLiteral( "%1 needs %2 comma-separated numbers, got '%3'" ).arg( what ).arg( expected ).arg( text ) );
  return Status::ok();
}

Status parseViewport( const QCommandLineParser &p, RenderOptions &o )
{
  if ( p.isSet( QStringLiteral( "extent" ) ) )
  {
    std::vector<double> e;
    if ( Status s = parseNumbers( p.value( QStringLiteral( "extent" ) ), 4, QStringLiteral( "--extent xmin,ymin,xmax,ymax" ), e ); !s )
      return s;
    const QStringList size = p.value( QStringLiteral( "size" ) ).toLower().split( QLatin1Char( 'x' ) );
    bool okW = false, okH = false;
    const int w = size.value( 0 ).toInt( &okW ), h = size.value( 1 ).toInt( &okH );
    if ( size.size() != 2 || !okW || !okH )
      return Status::error( QStringLiteral( "--size must look like 1024x768, got '%1'" ).arg( p.value( QStringLiteral( "size" ) ) ) );
    o.viewport = Viewport( Extent { e[0], e[1], e[2], e[3] }, w, h );
    o.viewportName = QStringLiteral( "custom" );
  }
  else
  {
    o.viewportName = p.value( QStringLiteral( "zoom" ) );
    if ( !standard::viewportByName( o.viewportName, o.viewport ) )
      return Status::error( QStringLiteral( "unknown zoom '%1': use Z0..Z24 (standard: %2) or --extent with --size" )
                              .arg( o.viewportName, standard::zoomNames().join( QStringLiteral( ", " ) ) ) );
  }
  return o.viewport.validate();
}

Status parseShading( const QCommandLineParser &p, RenderOptions &o )
{
  ShadeSettings &s = o.shading;
  if ( !parseHow( p.value( QStringLiteral( "how" ) ), s.how ) )
    return Status::error( QStringLiteral( "unknown --how '%1': use linear, log, cbrt or eq_hist" ).arg( p.value( QStringLiteral( "how" ) ) ) );
  if ( Status st = Colormap::parse( p.value( QStringLiteral( "cmap" ) ), s.colormap ); !st )
    return st;
  if ( p.isSet( QStringLiteral( "span" ) ) )
  {
    std::vector<double> span;
    if ( Status st = parseNumbers( p.value( QStringLiteral( "span" ) ), 2, QStringLiteral( "--span lo,hi" ), span ); !st )
      return st;
    s.hasSpan = true;
    s.spanMin = span[0];
    s.spanMax = span[1];
  }
  bool ok = true;
  s.alpha = p.value( QStringLiteral( "alpha" ) ).toInt( &ok );
  bool ok2 = true;
  s.minAlpha = p.value( QStringLiteral( "min-alpha" ) ).toInt( &ok2 );
  bool ok3 = true;
  s.spreadPx = p.value( QStringLiteral( "spread" ) ).toInt( &ok3 );
  if ( !ok || !ok2 || !ok3 )
    return Status::error( QStringLiteral( "--alpha, --min-alpha and --spread take whole numbers" ) );
  if ( p.isSet( QStringLiteral( "dynspread" ) ) )
  {
    std::vector<double> d;
    if ( Status st = parseNumbers( p.value( QStringLiteral( "dynspread" ) ), 2, QStringLiteral( "--dynspread threshold,max_px" ), d ); !st )
      return st;
    s.dynspread = true;
    s.dynspreadThreshold = d[0];
    s.dynspreadMaxPx = static_cast<int>( d[1] );
  }
  if ( p.isSet( QStringLiteral( "color-key" ) ) )
  {
    Colormap key;
    if ( Status st = Colormap::parse( p.value( QStringLiteral( "color-key" ) ), key ); !st )
      return st;
    s.colorKey = key.colors();
  }
  return s.validate();
}

} // namespace

Status RenderOptions::parse( const QStringList &arguments, RenderOptions &o, bool &helpShown )
{
  helpShown = false;
  QCommandLineParser p;
  p.setApplicationDescription( QStringLiteral( "Render points as a Datashader-style density image (PNG), with stats as JSON." ) );
  p.addHelpOption();
  p.addOptions( {
    { QStringLiteral( "scene" ), QStringLiteral( "Generate the standard scene of <n> points (default 1000000)." ), QStringLiteral( "n" ), QStringLiteral( "1000000" ) },
    { QStringLiteral( "seed" ), QStringLiteral( "Seed of the standard scene." ), QStringLiteral( "seed" ), QString::number( SceneGenerator::DEFAULT_SEED ) },
    { QStringLiteral( "points" ), QStringLiteral( "Read points from <file>: .csv with a header, or raw float64 x,y pairs (.bin/.f64/.raw)." ), QStringLiteral( "file" ) },
    { QStringLiteral( "index" ), QStringLiteral( "Render from a point index file made by gridshade-index build (count only, on the CPU)." ), QStringLiteral( "file" ) },
    { QStringLiteral( "x-column" ), QStringLiteral( "CSV column of x." ), QStringLiteral( "name" ), QStringLiteral( "x" ) },
    { QStringLiteral( "y-column" ), QStringLiteral( "CSV column of y." ), QStringLiteral( "name" ), QStringLiteral( "y" ) },
    { QStringLiteral( "value-column" ), QStringLiteral( "CSV column for sum/mean/min/max." ), QStringLiteral( "name" ) },
    { QStringLiteral( "category-column" ), QStringLiteral( "CSV column of integer categories 0..C-1 for count_cat." ), QStringLiteral( "name" ) },
    { QStringLiteral( "skip-bad-rows" ), QStringLiteral( "Leave malformed CSV rows out (counted in the stats) instead of failing." ) },
    { QStringLiteral( "zoom" ), QStringLiteral( "Standard viewport Z0..Z24 (1024x768 around the scene centre)." ), QStringLiteral( "Zn" ), QStringLiteral( "Z8" ) },
    { QStringLiteral( "extent" ), QStringLiteral( "Explicit extent instead of --zoom." ), QStringLiteral( "xmin,ymin,xmax,ymax" ) },
    { QStringLiteral( "size" ), QStringLiteral( "Image size with --extent." ), QStringLiteral( "WxH" ), QStringLiteral( "1024x768" ) },
    { QStringLiteral( "reduction" ), QStringLiteral( "count, sum, mean, min, max or count_cat." ), QStringLiteral( "r" ), QStringLiteral( "count" ) },
    { QStringLiteral( "how" ), QStringLiteral( "linear, log, cbrt or eq_hist." ), QStringLiteral( "how" ), QStringLiteral( "eq_hist" ) },
    { QStringLiteral( "cmap" ), QStringLiteral( "fire, viridis, inferno, magma, gray, a list '#000000,#ff0000' or one colour." ), QStringLiteral( "cmap" ), QStringLiteral( "fire" ) },
    { QStringLiteral( "span" ), QStringLiteral( "Fixed value span (not with eq_hist)." ), QStringLiteral( "lo,hi" ) },
    { QStringLiteral( "alpha" ), QStringLiteral( "Alpha of data pixels." ), QStringLiteral( "0-255" ), QStringLiteral( "255" ) },
    { QStringLiteral( "min-alpha" ), QStringLiteral( "Lowest alpha of single-colour and categorical maps." ), QStringLiteral( "0-255" ), QStringLiteral( "40" ) },
    { QStringLiteral( "color-key" ), QStringLiteral( "count_cat colours, comma-separated (default Datashader's Sets1to3)." ), QStringLiteral( "colours" ) },
    { QStringLiteral( "spread" ), QStringLiteral( "Spread pixels by a circle of <px>." ), QStringLiteral( "px" ), QStringLiteral( "0" ) },
    { QStringLiteral( "dynspread" ), QStringLiteral( "Dynamic spreading, e.g. 0.5,3." ), QStringLiteral( "threshold,max_px" ) },
    { QStringLiteral( "threads" ), QStringLiteral( "CPU threads (0 = all cores)." ), QStringLiteral( "n" ), QStringLiteral( "0" ) },
    { QStringLiteral( "backend" ), QStringLiteral( "Aggregate on: cpu, gpu (Vulkan; falls back to the CPU) or auto." ), QStringLiteral( "name" ), QStringLiteral( "cpu" ) },
    { QStringLiteral( "out" ), QStringLiteral( "PNG to write (required)." ), QStringLiteral( "png" ) },
    { QStringLiteral( "stats" ), QStringLiteral( "JSON of stats and timings to write." ), QStringLiteral( "json" ) },
    { QStringLiteral( "npy" ), QStringLiteral( "Also write the aggregate as a NumPy .npy array (north-up)." ), QStringLiteral( "file" ) },
    { QStringLiteral( "write-points" ), QStringLiteral( "Also write the points as raw float64 x,y pairs." ), QStringLiteral( "file" ) },
  } );
  if ( !p.parse( arguments ) )
    return Status::error( p.errorText() + QStringLiteral( " (see --help)" ) );
  if ( p.isSet( QStringLiteral( "help" ) ) )
  {
    QTextStream( stdout ) << p.helpText();
    helpShown = true;
    return Status::ok();
  }
  if ( !p.positionalArguments().isEmpty() )
    return Status::error( QStringLiteral( "unexpected argument '%1' (see --help)" ).arg( p.positionalArguments().first() ) );
  bool ok = false;
  o.sceneCount = p.value( QStringLiteral( "scene" ) ).toULongLong( &ok );
  if ( !ok || o.sceneCount > 4000000000ull )
    return Status::error( QStringLiteral( "--scene needs a point count 0..4e9, got '%1'" ).arg( p.value( QStringLiteral( "scene" ) ) ) );
  o.seed = p.value( QStringLiteral( "seed" ) ).toULongLong( &ok );
  if ( !ok )
    return Status::error( QStringLiteral( "--seed needs a whole number, got '%1'" ).arg( p.value( QStringLiteral( "seed" ) ) ) );
  o.pointsPath = p.value( QStringLiteral( "points" ) );
  o.indexPath = p.value( QStringLiteral( "index" ) );
  if ( !o.indexPath.isEmpty() && ( !o.pointsPath.isEmpty() || p.isSet( QStringLiteral( "scene" ) ) ) )
    return Status::error( QStringLiteral( "--index renders the points of the index: leave out --points and --scene" ) );
  if ( !o.indexPath.isEmpty() && p.isSet( QStringLiteral( "write-points" ) ) )
    return Status::error( QStringLiteral( "--write-points needs points in memory, not --index" ) );
  o.csvColumns.x = p.value( QStringLiteral( "x-column" ) );
  o.csvColumns.y = p.value( QStringLiteral( "y-column" ) );
  o.csvColumns.value = p.value( QStringLiteral( "value-column" ) );
  o.csvColumns.category = p.value( QStringLiteral( "category-column" ) );
  o.csvColumns.skipBadRows = p.isSet( QStringLiteral( "skip-bad-rows" ) );
  if ( !parseReduction( p.value( QStringLiteral( "reduction" ) ), o.aggregation.reduction ) )
    return Status::error( QStringLiteral( "unknown --reduction '%1': use count, sum, mean, min, max or count_cat" ).arg( p.value( QStringLiteral( "reduction" ) ) ) );
  if ( !parseBackend( p.value( QStringLiteral( "backend" ) ), o.aggregation.backend ) )
    return Status::error( QStringLiteral( "--backend needs cpu, gpu or auto, got '%1'" ).arg( p.value( QStringLiteral( "backend" ) ) ) );
  o.aggregation.threads = p.value( QStringLiteral( "threads" ) ).toInt( &ok );
  if ( !ok || o.aggregation.threads < 0 || o.aggregation.threads > 1024 )
    return Status::error( QStringLiteral( "--threads needs 0..1024, got '%1'" ).arg( p.value( QStringLiteral( "threads" ) ) ) );
  if ( Status s = parseViewport( p, o ); !s )
    return s;
  if ( Status s = parseShading( p, o ); !s )
    return s;
  o.outPng = p.value( QStringLiteral( "out" ) );
  if ( o.outPng.isEmpty() )
    return Status::error( QStringLiteral( "--out <png> is required" ) );
  o.statsJson = p.value( QStringLiteral( "stats" ) );
  o.npyPath = p.value( QStringLiteral( "npy" ) );
  o.writePointsPath = p.value( QStringLiteral( "write-points" ) );
  return Status::ok();
}

} // namespace gridshade
