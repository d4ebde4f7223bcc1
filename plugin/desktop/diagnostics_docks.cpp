// SPDX-License-Identifier: GPL-2.0-or-later
#include "diagnostics_docks.h"

#include "density_layer.h"
#include "performance_controller.h"
#include "performance_dock.h"
#include "ssim_controller.h"
#include "ssim_dock.h"
#include "zoom_controller.h"
#include "zoom_dock.h"

#include <qgisinterface.h>
#include <qgslayertree.h>
#include <qgsproject.h>
#include <qgssettings.h>

#include <QAction>
#include <QMainWindow>

namespace gridshade
{

namespace
{
QString visibleKey( const QString &key )
{
  return QStringLiteral( "gridshade/docks/%1/visible" ).arg( key );
}
} // namespace

DiagnosticsDocks::DiagnosticsDocks( QgisInterface *iface, const QString &menu, QObject *parent )
  : QObject( parent )
  , mIface( iface )
  , mMenu( menu )
{
  QWidget *main = mIface->mainWindow();
  mZoomDock = new ZoomDock( main );
  mPerformanceDock = new PerformanceDock( main );
  mSsimDock = new SsimDock( main );
  mZoom = new ZoomController( mIface, mZoomDock, this );
  mPerformance = new PerformanceController( mIface, mPerformanceDock, this );
  mSsim = new SsimController( mIface, mSsimDock, this );
  addDock( mZoomDock, QStringLiteral( "zoom" ), tr( "Zoom Dock" ) );
  addDock( mPerformanceDock, QStringLiteral( "performance" ), tr( "Performance Dock" ) );
  addDock( mSsimDock, QStringLiteral( "ssim" ), tr( "SSIM Dock" ) );

  connect( mIface, &QgisInterface::currentLayerChanged, this, &DiagnosticsDocks::follow );
  // A project read, layers added or removed: the followed layer may have come or gone.
  connect( QgsProject::instance(), &QgsProject::readProject, this, [this] { follow( mIface->activeLayer() ); } );
  connect( QgsProject::instance(), &QgsProject::layersAdded, this, [this] { follow( mIface->activeLayer() ); } );
  connect( QgsProject::instance(), &QgsProject::layersRemoved, this, [this] { follow( mIface->activeLayer() ); } );
  follow( mIface->activeLayer() );
}

DiagnosticsDocks::~DiagnosticsDocks()
{
  // isHidden(), not isVisible(): at QGIS exit the main window is already hidden, which makes
  // every dock invisible without the user having closed it.
  QgsSettings settings;
  for ( const auto &[dock, key] : std::as_const( mDocks ) )
    settings.setValue( visibleKey( key ), !dock->isHidden() );
  for ( QAction *action : std::as_const( mActions ) )
    mIface->removePluginMenu( mMenu, action );
  // Controllers first (they hold the docks), then the docks, which the main window would
  // otherwise keep after the plugin's code is gone.
  delete mZoom;
  delete mPerformance;
  delete mSsim;
  for ( const auto &[dock, key] : std::as_const( mDocks ) )
  {
    mIface->removeDockWidget( dock );
    delete dock;
  }
}

void DiagnosticsDocks::addDock( QDockWidget *dock, const QString &key, const QString &menuText )
{
  mIface->addDockWidget( Qt::RightDockWidgetArea, dock );
  const bool visible = QgsSettings().value( visibleKey( key ), false ).toBool();
  dock->setVisible( visible );
  QAction *toggle = dock->toggleViewAction();
  toggle->setText( menuText );
  mIface->addPluginToMenu( mMenu, toggle );
  mActions << toggle;
  mDocks << qMakePair( dock, key );
}

void DiagnosticsDocks::follow( QgsMapLayer *active )
{
  DensityLayer *layer = qobject_cast<DensityLayer *>( active );
  if ( !layer && mFollowed && QgsProject::instance()->mapLayer( mFollowed->id() ) == mFollowed )
    layer = mFollowed;
  if ( !layer )
  {
    for ( QgsMapLayer *candidate : QgsProject::instance()->layerTreeRoot()->layerOrder() )
      if ( ( layer = qobject_cast<DensityLayer *>( candidate ) ) )
        break;
  }
  mFollowed = layer;
  mZoom->setLayer( layer );
  mPerformance->setLayer( layer );
  mSsim->setLayer( layer );
}

} // namespace gridshade
