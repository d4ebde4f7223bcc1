// SPDX-License-Identifier: GPL-2.0-or-later
#include "npy_writer.h"

#include <QFile>

namespace gridshade
{

Status NpyWriter::write( const QString &path, const Aggregate &aggregate )
{
  QFile f( path );
  if ( !f.open( QIODevice::WriteOnly | QIODevice::Truncate ) )
    return Status::error( QStringLiteral( "cannot write '%1': %2" ).arg( path, f.errorString() ) );
  const bool counts = aggregate.isCount();
  const QString shape = aggregate.reduction() == Reduction::CountCat
                          ? QStringLiteral( "(%1, %2, %3)" ).arg( aggregate.height() ).arg( aggregate.width() ).arg( aggregate.categoryCount() )
                          : QStringLiteral( "(%1, %2)" ).arg( aggregate.height() ).arg( aggregate.width() );
  QByteArray header = QStringLiteral( "{'descr': '%1', 'fortran_order': False, 'shape': %2, }" )
                        .arg( counts ? QStringLiteral( "<u4" ) : QStringLiteral( "<f8" ), shape )
                        .toLatin1();
  // Magic, version 1.0, header length; the header is padded with spaces so data starts at a
  // multiple of 64 bytes, and ends in a newline.
  const int unpadded = 10 + header.size() + 1;
  header.append( QByteArray( ( 64 - unpadded % 64 ) % 64, ' ' ) );
  header.append( '\n' );
  QByteArray prefix( "\x93NUMPY\x01\x00", 8 );
  const quint16 len = static_cast<quint16>( header.size() );
  prefix.append( static_cast<char>( len & 0xff ) );
  prefix.append( static_cast<char>( len >> 8 ) );
  f.write( prefix );
  f.write( header );
  const char *data = counts ? reinterpret_cast<const char *>( aggregate.counts().data() ) : reinterpret_cast<const char *>( aggregate.values().data() );
  const qint64 bytes = counts ? static_cast<qint64>( aggregate.counts().size() * 4 ) : static_cast<qint64>( aggregate.values().size() * 8 );
  if ( f.write( data, bytes ) != bytes )
    return Status::error( QStringLiteral( "could not write '%1': %2" ).arg( path, f.errorString() ) );
  return Status::ok();
}

} // namespace gridshade
