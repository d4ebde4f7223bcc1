// SPDX-License-Identifier: GPL-2.0-or-later
#include "colormap.h"

#include <QColor>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QMutexLocker>

static void initRendererResources()
{
  Q_INIT_RESOURCE( gridshade_renderer );
}

namespace gridshade
{

namespace
{

bool toRgb( const QString &text, Rgb &out )
{
  const QColor c( text.trimmed() );
  if ( !c.isValid() )
    return false;
  out = Rgb { static_cast<uint8_t>( c.red() ), static_cast<uint8_t>( c.green() ), static_cast<uint8_t>( c.blue() ) };
  return true;
}

std::vector<Rgb> loadResourceMap( const QString &name )
{
  initRendererResources();
  QFile f( QStringLiteral( ":/gridshade/colormaps/%1.json" ).arg( name ) );
  std::vector<Rgb> colors;
  if ( !f.open( QIODevice::ReadOnly ) )
    return colors;
  const QJsonArray hex = QJsonDocument::fromJson( f.readAll() ).object().value( QStringLiteral( "hex" ) ).toArray();
  for ( const QJsonValue &v : hex )
  {
    Rgb c;
    if ( toRgb( v.toString(), c ) )
      colors.push_back( c );
  }
  return colors;
}

// The named maps, loaded once and shared; guarded because renders run on many threads.
const std::vector<Rgb> *namedColors( const QString &name )
{
  static QMutex mutex;
  static QHash<QString, std::vector<Rgb>> cache;
  QMutexLocker lock( &mutex );
  auto it = cache.find( name );
  if ( it != cache.end() )
    return &it.value();
  std::vector<Rgb> colors;
  if ( name == QLatin1String( "gray" ) )
    colors = { Rgb { 0, 0, 0 }, Rgb { 255, 255, 255 } };
  else if ( Colormap::names().contains( name ) )
    colors = loadResourceMap( name );
  if ( colors.empty() )
    return nullptr;
  return &cache.insert( name, std::move( colors ) ).value();
}

} // namespace

Colormap Colormap::fromColors( std::vector<Rgb> colors, const QString &name )
{
  Colormap m;
  m.mKind = Kind::List;
  m.mColors = std::move( colors );
  m.mName = name;
  return m;
}

Colormap Colormap::singleColor( Rgb color, const QString &name )
{
  Colormap m;
  m.mKind = Kind::SingleColor;
  m.mColors = { color };
  m.mName = name;
  return m;
}

QStringList Colormap::names()
{
  return { QStringLiteral( "fire" ), QStringLiteral( "viridis" ), QStringLiteral( "inferno" ), QStringLiteral( "magma" ),
           QStringLiteral( "gray" ) };
}

Colormap Colormap::named( const QString &name )
{
  Colormap m;
  if ( !parse( name, m ) || m.kind() != Kind::List )
    parse( QStringLiteral( "fire" ), m );
  return m;
}

Status Colormap::parse( const QString &spec, Colormap &out )
{
  const QString s = spec.trimmed();
  if ( s.isEmpty() )
    return Status::error( QStringLiteral( "empty colormap: use one of %1, a list '#rrggbb,#rrggbb' or a single colour" )
                            .arg( names().join( QStringLiteral( ", " ) ) ) );
  if ( const std::vector<Rgb> *colors = namedColors( s.toLower() ) )
  {
    out = fromColors( *colors, s.toLower() );
    return Status::ok();
  }
  if ( names().contains( s.toLower() ) )
    return Status::error( QStringLiteral( "colormap '%1' could not be read from the library resources" ).arg( s ) );
  const QStringList parts = s.split( QLatin1Char( ',' ) );
  std::vector<Rgb> colors;
  for ( const QString &p : parts )
  {
    Rgb c;
    if ( !toRgb( p, c ) )
      return Status::error( QStringLiteral( "unknown colour '%1' in colormap '%2': use #rrggbb or an SVG colour name, or one of %3" )
                              .arg( p.trimmed(), s, names().join( QStringLiteral( ", " ) ) ) );
    colors.push_back( c );
  }
  out = colors.size() == 1 ? singleColor( colors.front(), s ) : fromColors( std::move( colors ), s );
  return Status::ok();
}

} // namespace gridshade
