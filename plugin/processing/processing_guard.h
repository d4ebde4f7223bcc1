// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <qgsexception.h>

#include <QString>
#include <QVariantMap>

#include <exception>

namespace gridshade
{

/**
 * Runs an algorithm's body and turns any other exception into a QgsProcessingException named
 * "<what> failed: <reason>": QGIS's processing framework only catches its own exception type,
 * and anything else thrown from a worker thread would take QGIS down.
 */
template<typename Body>
QVariantMap runGuarded( const QString &what, Body body )
{
  try
  {
    return body();
  }
  catch ( const QgsProcessingException & )
  {
    throw;
  }
  catch ( const std::exception &e )
  {
    throw QgsProcessingException( QStringLiteral( "%1 failed: %2" ).arg( what, QString::fromLocal8Bit( e.what() ) ) );
  }
}

} // namespace gridshade
