// SPDX-License-Identifier: GPL-2.0-or-later
#include "zoom_dock.h"

#include "dock_parts.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace gridshade
{

namespace
{
QString msText( double ms )
{
  return ms >= 0 && std::isfinite( ms ) ? QLocale().toString( ms, 'f', 1 ) : dockparts::notKnown();
}

QTableWidgetItem *cell( const QString &text, bool number )
{
  auto *item = new QTableWidgetItem( text );
  item->setFlags( Qt::ItemIsEnabled | Qt::ItemIsSelectable );
  if ( number )
    item->setTextAlignment( Qt::AlignRight | Qt::AlignVCenter );
  return item;
}
} // namespace

ZoomDock::ZoomDock( QWidget *parent )
  : QDockWidget( parent )
{
  // Queued connections and QSignalSpy need the signal's enum known at run time.
  qRegisterMetaType<Centre>();
  auto *content = new QWidget();
  auto *layout = new QVBoxLayout( content );
  layout->addLayout( buildFigures( content ) );
  layout->addLayout( buildButtons( content ) );

  mSweepStatus = dockparts::valueLabel( content, "sweepStatus" );
  mSweepStatus->setText( QString() );
  layout->addWidget( mSweepStatus );

  mTable = new QTableWidget( 0, 6, content );
  mTable->setObjectName( QStringLiteral( "sweepTable" ) );
  mTable->setHorizontalHeaderLabels( { tr( "Zoom" ), tr( "Total" ), tr( "Cache" ), tr( "Aggregate" ), tr( "Shade" ), tr( "In view" ) } );
  // Short headers keep the table inside a narrow dock; the tooltips carry the units.
  const QStringList tips { tr( "Standard zoom" ), tr( "Whole map render as QGIS timed it, ms" ), tr( "Point cache (points) or GDAL read (raster), ms" ),
                           tr( "Binning (points) or regrid (raster), ms" ), tr( "Shading, ms" ), tr( "Points in view" ) };
  for ( int c = 0; c < tips.size(); ++c )
    mTable->horizontalHeaderItem( c )->setToolTip( tips.at( c ) );
  mTable->verticalHeader()->setVisible( false );
  mTable->horizontalHeader()->setSectionResizeMode( QHeaderView::ResizeToContents );
  mTable->setEditTriggers( QAbstractItemView::NoEditTriggers );
  mTable->setSelectionBehavior( QAbstractItemView::SelectRows );
  mTable->setMinimumHeight( 120 );
  layout->addWidget( mTable, 1 );

  dockparts::frame( this, QStringLiteral( "GridshadeZoomDock" ), tr( "Gridshade Zoom" ), content );

  setLayerName( QString() );
}

QFormLayout *ZoomDock::buildFigures( QWidget *content )
{
  auto *form = new QFormLayout();
  form->setRowWrapPolicy( QFormLayout::WrapLongRows );
  mLayer = dockparts::valueLabel( content, "layerValue" );
  mZoom = dockparts::valueLabel( content, "zoomValue" );
  mScale = dockparts::valueLabel( content, "scaleValue" );
  mPoints = dockparts::valueLabel( content, "pointsValue" );
  form->addRow( tr( "Layer" ), mLayer );
  form->addRow( tr( "Zoom level" ), mZoom );
  form->addRow( tr( "Scale" ), mScale );
  form->addRow( tr( "Points in view" ), mPoints );

  mCentre = new QComboBox( content );
  mCentre->setObjectName( QStringLiteral( "centreCombo" ) );
  // Item order follows the Centre enum, so the index is the value; the first, the layer's own
  // data, is the default.
  mCentre->addItem( tr( "Layer extent" ), static_cast<int>( Centre::LayerExtent ) );
  mCentre->addItem( tr( "Current view" ), static_cast<int>( Centre::CurrentView ) );
  mCentre->addItem( tr( "Standard scene (lon 8.5, lat 47.4)" ), static_cast<int>( Centre::StandardScene ) );
  mCentre->setSizeAdjustPolicy( QComboBox::AdjustToMinimumContentsLengthWithIcon );
  mCentre->setMinimumContentsLength( 10 );
  form->addRow( tr( "Centre on" ), mCentre );
  return form;
}

QVBoxLayout *ZoomDock::buildButtons( QWidget *content )
{
  auto *jumps = new QHBoxLayout();
  for ( const int zoom : standardZooms() )
  {
    auto *button = new QPushButton( QStringLiteral( "Z%1" ).arg( zoom ), content );
    button->setObjectName( QStringLiteral( "zoomButton%1" ).arg( zoom ) );
    button->setToolTip( tr( "Zoom the map to web-map level %1" ).arg( zoom ) );
    // The style's minimum push button width would put the four beyond a 300 px dock.
    button->setMinimumWidth( 36 );
    connect( button, &QPushButton::clicked, this, [this, zoom] { Q_EMIT zoomRequested( zoom, centre() ); } );
    jumps->addWidget( button );
    mJumps << button;
  }

  mSweep = new QPushButton( tr( "Sweep Z0–Z12" ), content );
  mSweep->setObjectName( QStringLiteral( "sweepButton" ) );
  mSweep->setToolTip( tr( "Render each standard zoom in turn and list the timings" ) );
  mCancel = new QPushButton( tr( "Cancel" ), content );
  mCancel->setObjectName( QStringLiteral( "cancelButton" ) );
  mCancel->setVisible( false );
  connect( mSweep, &QPushButton::clicked, this, [this] { Q_EMIT sweepRequested( centre() ); } );
  connect( mCancel, &QPushButton::clicked, this, &ZoomDock::sweepCancelRequested );
  auto *sweep = new QHBoxLayout();
  sweep->addWidget( mSweep );
  sweep->addWidget( mCancel );
  sweep->addStretch();

  auto *buttons = new QVBoxLayout();
  buttons->addLayout( jumps );
  buttons->addLayout( sweep );
  return buttons;
}

void ZoomDock::setLayerName( const QString &name )
{
  mHasLayer = !name.isEmpty();
  mLayer->setText( mHasLayer ? name : tr( "no density layer selected" ) );
  if ( !mHasLayer )
    setPoints( -1, -1 );
  updateEnabled();
}

void ZoomDock::setView( double zoom, double scale )
{
  const QLocale locale;
  mZoom->setText( std::isfinite( zoom ) ? locale.toString( zoom, 'f', 2 ) : dockparts::notKnown() );
  mScale->setText( std::isfinite( scale ) && scale > 0 ? QStringLiteral( "1:%1" ).arg( locale.toString( std::llround( scale ) ) ) : dockparts::notKnown() );
}

void ZoomDock::setPoints( qlonglong inView, qlonglong total )
{
  const QLocale locale;
  if ( inView < 0 || total < 0 )
    mPoints->setText( dockparts::notKnown() );
  else if ( total == 0 )
    mPoints->setText( tr( "%1 of %2" ).arg( locale.toString( inView ), locale.toString( total ) ) );
  else
    mPoints->setText( tr( "%1 of %2 (%3 %)" ).arg( locale.toString( inView ), locale.toString( total ), locale.toString( 100.0 * inView / total, 'f', 1 ) ) );
}

ZoomDock::Centre ZoomDock::centre() const
{
  return static_cast<Centre>( mCentre->currentData().toInt() );
}

void ZoomDock::setCentre( Centre centre )
{
  mCentre->setCurrentIndex( mCentre->findData( static_cast<int>( centre ) ) );
}

void ZoomDock::setSweepRunning( bool running )
{
  mSweepRunning = running;
  mCancel->setVisible( running );
  updateEnabled();
}

void ZoomDock::setSweepStatus( const QString &status )
{
  mSweepStatus->setText( status );
}

void ZoomDock::clearSweep()
{
  mRows.clear();
  mTable->setRowCount( 0 );
}

void ZoomDock::addSweepRow( const SweepRow &row )
{
  mRows << row;
  const int r = mTable->rowCount();
  mTable->insertRow( r );
  const QLocale locale;
  mTable->setItem( r, 0, cell( row.zoom, false ) );
  mTable->setItem( r, 1, cell( msText( row.totalMs ), true ) );
  mTable->setItem( r, 2, cell( msText( row.firstMs ), true ) );
  mTable->setItem( r, 3, cell( msText( row.secondMs ), true ) );
  mTable->setItem( r, 4, cell( msText( row.shadeMs ), true ) );
  QTableWidgetItem *points = cell( row.pointsInView >= 0 ? locale.toString( row.pointsInView ) : dockparts::notKnown(), true );
  if ( row.pointsInView >= 0 && row.pointsTotal >= 0 )
    points->setToolTip( tr( "%1 of %2" ).arg( locale.toString( row.pointsInView ), locale.toString( row.pointsTotal ) ) );
  mTable->setItem( r, 5, points );
  mTable->scrollToItem( mTable->item( r, 0 ) );
}

void ZoomDock::updateEnabled()
{
  const bool canJump = mHasLayer && !mSweepRunning;
  for ( QPushButton *button : qAsConst( mJumps ) )
    button->setEnabled( canJump );
  mSweep->setEnabled( canJump );
  mCentre->setEnabled( !mSweepRunning );
}

} // namespace gridshade
