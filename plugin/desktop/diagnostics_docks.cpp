// SPDX-License-Identifier: GPL-2.0-or-later
#include "diagnostics_docks.h"

#include "layer/density_layer.h"
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
#include <QTimer>

#include <algorithm>
#include <memory>

namespace gridshade
{

namespace
{
QString visibleKey( const QString &key )
{
  return QStringLiteral( "gridshade/docks/%1/visible" ).arg( key );
}

const QString ARRANGED_KEY = QStringLiteral( "gridshade/docks/arranged" );
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
  // At start-up QGIS restores its saved window state after the plugins' initGui() (and puts
  // docks it does not know back into one column), then shows the window: arrange once QGIS
  // says it is ready, or now when the plugin is enabled in a running QGIS. Only the first time:
  // from then on QGIS saves and restores their places, the user's own included.
  auto arrangeOnce = [this, main] {
    QgsSettings settings;
    if ( settings.value( ARRANGED_KEY, false ).toBool() )
      return;
    arrange( qobject_cast<QMainWindow *>( main ) );
    settings.setValue( ARRANGED_KEY, true );
  };
  if ( main->isVisible() )
    arrangeOnce();
  else
    connect( mIface, &QgisInterface::initializationCompleted, this, arrangeOnce );

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

void DiagnosticsDocks::arrange( QMainWindow *main )
{
  if ( !main )
    return;
  /*
   * Three docks stacked in one column get a third of its height each and two of them scroll
   * (in a 1600 x 1000 window the column is about 870 px, the docks want 420, 420 and 260).
   * So, in the right dock area:
   *
   *   +--------------------+
   *   | Zoom | Performance |   one tab group: the two tallest, 420 px each, in turn
   *   +--------------------+
   *   | SSIM               |   260 px
   *   +--------------------+
   *
   * QGIS restores a user's own arrangement over this one from its saved window state.
   */
  main->splitDockWidget( mZoomDock, mSsimDock, Qt::Vertical );
  main->tabifyDockWidget( mZoomDock, mPerformanceDock );
  mZoomDock->raise();
  // Hidden docks take no part in the window's layout, so sizes given now would be lost: size
  // the group when a dock of it is first shown (by the menu, usually), once per dock.
  bool anyVisible = false;
  for ( const auto &[dock, key] : std::as_const( mDocks ) )
  {
    anyVisible = anyVisible || dock->isVisible();
    connect( dock, &QDockWidget::visibilityChanged, this, [this, main, once = std::make_shared<bool>( false )]( bool visible ) {
      if ( !visible || *once )
        return;
      *once = true;
      // After the layout has placed the newly shown dock.
      QTimer::singleShot( 0, this, [this, main] { fit( main ); } );
    } );
  }
  if ( anyVisible )
    fit( main );
}

void DiagnosticsDocks::fit( QMainWindow *main )
{
  // Heights in proportion to what the contents ask for: the tab group gets the taller of its
  // two docks, SSIM its own; the column is as wide as the widest of them.
  const int tall = std::max( mZoomDock->sizeHint().height(), mPerformanceDock->sizeHint().height() );
  main->resizeDocks( { mZoomDock, mSsimDock }, { tall, mSsimDock->sizeHint().height() }, Qt::Vertical );
  const int wide = std::max( { mZoomDock->sizeHint().width(), mPerformanceDock->sizeHint().width(), mSsimDock->sizeHint().width() } );
  main->resizeDocks( { mZoomDock }, { wide }, Qt::Horizontal );
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
