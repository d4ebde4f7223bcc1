// SPDX-License-Identifier: GPL-2.0-or-later
#include "memory_views.h"

#include <qgsmessagelog.h>
#include <qgspathresolver.h>

namespace gridshade
{

namespace
{
QString sGuardId; // the preprocessor's id while installed (GUI thread only)
}

bool isMemoryView( const QString &source )
{
  const QString s = source.trimmed();
  return s.startsWith( QLatin1String( "MEM:::" ), Qt::CaseInsensitive ) && s.contains( QLatin1String( "DATAPOINTER" ), Qt::CaseInsensitive );
}

QString unsavedMemoryViewPath()
{
  return QStringLiteral( "/gridshade-unsaved/in-memory array of an earlier Python session: run the script that made it again" );
}

void installMemoryViewGuard()
{
  if ( !sGuardId.isEmpty() )
    return;
  sGuardId = QgsPathResolver::setPathPreprocessor( []( const QString &path ) -> QString {
    if ( !isMemoryView( path ) )
      return path;
    QgsMessageLog::logMessage( QStringLiteral( "A layer of the project viewed an array in the memory of the Python session that saved it; "
                                               "it is left unavailable: run the script that made it again" ),
                               QStringLiteral( "Gridshade" ), Qgis::MessageLevel::Warning );
    return unsavedMemoryViewPath();
  } );
}

void removeMemoryViewGuard()
{
  if ( sGuardId.isEmpty() )
    return;
  QgsPathResolver::removePathPreprocessor( sGuardId );
  sGuardId.clear();
}

} // namespace gridshade
