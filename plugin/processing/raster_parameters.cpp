// SPDX-License-Identifier: GPL-2.0-or-later
#include "raster_parameters.h"

#include <QFile>
#include <QRegularExpression>
#include <QStringList>

namespace gridshade
{

namespace
{

Status parseBandEntry( const QString &parameter, const QString &text, QList<int> &bands )
{
  static const QRegularExpression separators( QStringLiteral( "[,;\\s]+" ) );
  for ( const QString &token : text.split( separators, Qt::SkipEmptyParts ) )
  {
    bool ok = false;
    const int band = token.toInt( &ok );
    if ( !ok || band < 1 )
      return Status::error( QStringLiteral( "%1: '%2' is not a band number (write e.g. %1=3,1, %1=3;1 or %1 once per band)" ).arg( parameter, token ) );
    bands << band;
  }
  return Status::ok();
}

} // namespace

Status parseBandList( const QString &parameter, const QVariant &value, QList<int> &bands )
{
  bands.clear();
  if ( !value.isValid() || value.isNull() )
    return Status::ok();
  if ( value.type() == QVariant::List || value.type() == QVariant::StringList )
  {
    for ( const QVariant &entry : value.toList() )
      if ( Status st = parseBandEntry( parameter, entry.toString(), bands ); !st )
        return st;
    return Status::ok();
  }
  return parseBandEntry( parameter, value.toString(), bands );
}

qint64 availableMemoryBytes()
{
  QFile meminfo( QStringLiteral( "/proc/meminfo" ) );
  if ( !meminfo.open( QIODevice::ReadOnly | QIODevice::Text ) )
    return -1;
  for ( const QByteArray &line : meminfo.readAll().split( '\n' ) )
    if ( line.startsWith( "MemAvailable:" ) )
      return line.mid( 13 ).trimmed().split( ' ' ).value( 0 ).toLongLong() * 1024;
  return -1;
}

Status checkOutputSize( int width, int height, int bands )
{
  const double pixels = double( width ) * height;
  const double bytes = pixels * std::max( 1, bands ) * 8.0;
  const double mib = bytes / 1048576.0;
  if ( pixels > double( int64_t( 1 ) << 30 ) )
    return Status::error( QStringLiteral( "the output of %1 x %2 pixels is larger than the limit of 2^30 pixels (%3 MiB of float64 for %4 band(s)): "
                                          "ask for a smaller WIDTH and HEIGHT" )
                            .arg( width ).arg( height ).arg( mib, 0, 'f', 0 ).arg( bands ) );
  const qint64 available = availableMemoryBytes();
  if ( available > 0 && bytes > available / 2.0 )
    return Status::error( QStringLiteral( "the output of %1 x %2 pixels x %3 band(s) needs %4 MiB of float64, more than half the memory "
                                          "available now (%5 MiB): ask for a smaller WIDTH and HEIGHT" )
                            .arg( width ).arg( height ).arg( bands ).arg( mib, 0, 'f', 0 ).arg( available / 1048576.0, 0, 'f', 0 ) );
  return Status::ok();
}

} // namespace gridshade
