// SPDX-License-Identifier: GPL-2.0-or-later
#include "gridshade_plugin.h"

#include "diagnostics_docks.h"
#include "layer/density_dialogs.h"
#include "registration.h"

#include <qgisinterface.h>
#include <qgsmessagebar.h>
#include <qgsproject.h>

#include <QAction>

namespace gridshade
{

namespace
{
const QString MENU = QStringLiteral( "&Gridshade" );
}

GridshadePlugin::GridshadePlugin( QgisInterface *iface )
  : QgisPlugin( QStringLiteral( "Gridshade" ), QStringLiteral( GRIDSHADE_DESCRIPTION ), QStringLiteral( "Plugins" ),
                QStringLiteral( GRIDSHADE_VERSION ), QgisPlugin::UI )
  , mIface( iface )
{}

void GridshadePlugin::initGui()
{
  gridshade_register();
  mAddAction = new QAction( tr( "Add Density Layer…" ), this );
  mAddAction->setToolTip( tr( "Add a Datashader-style density layer of a point layer" ) );
  connect( mAddAction, &QAction::triggered, this, &GridshadePlugin::addDensityLayer );
  mIface->addPluginToMenu( MENU, mAddAction );
  mIface->addToolBarIcon( mAddAction );
  try
  {
    mDocks = new DiagnosticsDocks( mIface, MENU, this );
  }
  catch ( const std::exception &e )
  {
    mIface->messageBar()->pushCritical( tr( "Gridshade" ), tr( "The diagnostics docks could not be created: %1" ).arg( QString::fromLocal8Bit( e.what() ) ) );
  }
}

void GridshadePlugin::unload()
{
  delete mDocks;
  mDocks = nullptr;
  if ( mAddAction )
  {
    mIface->removePluginMenu( MENU, mAddAction );
    mIface->removeToolBarIcon( mAddAction );
    delete mAddAction;
    mAddAction = nullptr;
  }
  gridshade_unregister();
}

void GridshadePlugin::addDensityLayer()
{
  try
  {
    QString error;
    if ( !dialogs::addDensityLayer( QgsProject::instance(), mIface->mainWindow(), &error ) && !error.isEmpty() )
      mIface->messageBar()->pushWarning( tr( "Gridshade" ), error );
  }
  catch ( const std::exception &e )
  {
    mIface->messageBar()->pushCritical( tr( "Gridshade" ), QString::fromLocal8Bit( e.what() ) );
  }
}

} // namespace gridshade

// The C exports QGIS looks for in a desktop plugin library (see QGIS_NOTES.md §1).
QGISEXTERN QgisPlugin *classFactory( QgisInterface *iface )
{
  return new gridshade::GridshadePlugin( iface );
}

QGISEXTERN const QString *name()
{
  static const QString n = QStringLiteral( "Gridshade" );
  return &n;
}

QGISEXTERN const QString *description()
{
  static const QString d = QStringLiteral( GRIDSHADE_DESCRIPTION );
  return &d;
}

QGISEXTERN const QString *category()
{
  static const QString c = QStringLiteral( "Plugins" );
  return &c;
}

QGISEXTERN const QString *version()
{
  static const QString v = QStringLiteral( GRIDSHADE_VERSION );
  return &v;
}

QGISEXTERN int type()
{
  return QgisPlugin::UI;
}

QGISEXTERN const QString *experimental()
{
  static const QString e = QStringLiteral( "true" );
  return &e;
}

QGISEXTERN void unload( QgisPlugin *plugin )
{
  delete plugin;
}
