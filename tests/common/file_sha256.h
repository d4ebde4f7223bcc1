// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QCryptographicHash>
#include <QFile>

namespace gridshade
{
namespace test
{
//! Hex SHA-256 of a file (empty when it cannot be read): golden sidecars record it.
inline QByteArray fileSha256( const QString &path )
{
  QFile f( path );
  if ( !f.open( QIODevice::ReadOnly ) )
    return QByteArray();
  return QCryptographicHash::hash( f.readAll(), QCryptographicHash::Sha256 ).toHex();
}
} // namespace test
} // namespace gridshade
