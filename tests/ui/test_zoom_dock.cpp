// SPDX-License-Identifier: GPL-2.0-or-later
// The zoom dock headless: its figures as text, the jump and sweep buttons' signals and
// enablement, and the sweep table.
#include "zoom_dock.h"

#include "dock_test_support.h"

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>

#include <limits>

using namespace gridshade;

class TestZoomDock : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void dockIdentity();
    void viewLabels();
    void pointsLabels();
    void jumpButtons_data();
    void jumpButtons();
    void centreChoices();
    void disabledWithoutLayer();
    void sweepRunning();
    void sweepTable();

  private:
    QLabel *label( const char *name ) const { return mDock->findChild<QLabel *>( QLatin1String( name ) ); }
    QPushButton *button( const QString &text ) const;

    ZoomDock *mDock = nullptr;
};

QPushButton *TestZoomDock::button( const QString &text ) const
{
  return test::buttonWithText( mDock, text );
}

void TestZoomDock::initTestCase()
{
  test::pinEnglishLocale();
}

void TestZoomDock::init()
{
  mDock = test::shownDock<ZoomDock>( 360, 600 );
}

void TestZoomDock::cleanup()
{
  delete mDock;
  mDock = nullptr;
}

void TestZoomDock::dockIdentity()
{
  QCOMPARE( mDock->objectName(), QStringLiteral( "GridshadeZoomDock" ) );
  QCOMPARE( mDock->windowTitle(), QStringLiteral( "Gridshade Zoom" ) );
  QVERIFY( mDock->isAreaAllowed( Qt::LeftDockWidgetArea ) );
  QVERIFY( mDock->isAreaAllowed( Qt::BottomDockWidgetArea ) );
  QVERIFY( !mDock->isAreaAllowed( Qt::TopDockWidgetArea ) );
  for ( const char *name : { "layerValue", "zoomValue", "scaleValue", "pointsValue", "sweepStatus" } )
    QVERIFY2( label( name ), name );
  QVERIFY( mDock->findChild<QTableWidget *>( QStringLiteral( "sweepTable" ) ) );
  QCOMPARE( label( "layerValue" )->text(), QStringLiteral( "no density layer selected" ) );
}

void TestZoomDock::viewLabels()
{
  mDock->setView( 8, 2311162.4 );
  QCOMPARE( label( "zoomValue" )->text(), QStringLiteral( "8.00" ) );
  QCOMPARE( label( "scaleValue" )->text(), QStringLiteral( "1:2,311,162" ) );
  mDock->setView( 12.345, 144447.6 );
  QCOMPARE( label( "zoomValue" )->text(), QStringLiteral( "12.35" ) );
  QCOMPARE( label( "scaleValue" )->text(), QStringLiteral( "1:144,448" ) );
  mDock->setView( std::numeric_limits<double>::quiet_NaN(), 0 );
  QCOMPARE( label( "zoomValue" )->text(), QStringLiteral( "–" ) );
  QCOMPARE( label( "scaleValue" )->text(), QStringLiteral( "–" ) );
}

void TestZoomDock::pointsLabels()
{
  mDock->setLayerName( QStringLiteral( "gps points" ) );
  QCOMPARE( label( "layerValue" )->text(), QStringLiteral( "gps points" ) );
  mDock->setPoints( 523107, 1000000 );
  QCOMPARE( label( "pointsValue" )->text(), QStringLiteral( "523,107 of 1,000,000 (52.3 %)" ) );
  mDock->setPoints( 0, 0 );
  QCOMPARE( label( "pointsValue" )->text(), QStringLiteral( "0 of 0" ) );
  mDock->setPoints( 7, 7 );
  QCOMPARE( label( "pointsValue" )->text(), QStringLiteral( "7 of 7 (100.0 %)" ) );
  mDock->setPoints( -1, 100 );
  QCOMPARE( label( "pointsValue" )->text(), QStringLiteral( "–" ) );

  // Losing the layer clears the figure that belonged to it.
  mDock->setPoints( 1, 2 );
  mDock->setLayerName( QString() );
  QCOMPARE( label( "pointsValue" )->text(), QStringLiteral( "–" ) );
  QCOMPARE( label( "layerValue" )->text(), QStringLiteral( "no density layer selected" ) );
}

void TestZoomDock::jumpButtons_data()
{
  QTest::addColumn<int>( "zoom" );
  QTest::addColumn<ZoomDock::Centre>( "centre" );
  for ( const int zoom : ZoomDock::standardZooms() )
  {
    QTest::addRow( "Z%d scene", zoom ) << zoom << ZoomDock::Centre::StandardScene;
    QTest::addRow( "Z%d extent", zoom ) << zoom << ZoomDock::Centre::LayerExtent;
    QTest::addRow( "Z%d view", zoom ) << zoom << ZoomDock::Centre::CurrentView;
  }
}

void TestZoomDock::jumpButtons()
{
  QFETCH( int, zoom );
  QFETCH( ZoomDock::Centre, centre );
  mDock->setLayerName( QStringLiteral( "pts" ) );
  mDock->setCentre( centre );
  QCOMPARE( mDock->centre(), centre );
  auto *combo = mDock->findChild<QComboBox *>();
  QVERIFY( combo );
  QCOMPARE( combo->currentIndex(), static_cast<int>( centre ) );

  QSignalSpy spy( mDock, &ZoomDock::zoomRequested );
  QPushButton *b = button( QStringLiteral( "Z%1" ).arg( zoom ) );
  QVERIFY( b );
  QVERIFY( b->isEnabled() );
  QTest::mouseClick( b, Qt::LeftButton );
  QCOMPARE( spy.count(), 1 );
  QCOMPARE( spy.at( 0 ).at( 0 ).toInt(), zoom );
  QVERIFY( spy.at( 0 ).at( 1 ).isValid() );
  QCOMPARE( qvariant_cast<ZoomDock::Centre>( spy.at( 0 ).at( 1 ) ), centre );
}

// The user's data, not the standard scene's place, unless asked for: the layer's extent is the
// default, the current view and the standard scene the other choices.
void TestZoomDock::centreChoices()
{
  auto *combo = mDock->findChild<QComboBox *>( QStringLiteral( "centreCombo" ) );
  QVERIFY( combo );
  QCOMPARE( mDock->centre(), ZoomDock::Centre::LayerExtent );
  QCOMPARE( combo->count(), 3 );
  QCOMPARE( combo->itemText( 0 ), QStringLiteral( "Layer extent" ) );
  QCOMPARE( combo->itemText( 1 ), QStringLiteral( "Current view" ) );
  QCOMPARE( combo->itemText( 2 ), QStringLiteral( "Standard scene (lon 8.5, lat 47.4)" ) );
  mDock->setLayerName( QStringLiteral( "pts" ) );
  QSignalSpy spy( mDock, &ZoomDock::zoomRequested );
  QTest::mouseClick( button( QStringLiteral( "Z8" ) ), Qt::LeftButton );
  QCOMPARE( spy.count(), 1 );
  QCOMPARE( qvariant_cast<ZoomDock::Centre>( spy.at( 0 ).at( 1 ) ), ZoomDock::Centre::LayerExtent );
}

void TestZoomDock::disabledWithoutLayer()
{
  QSignalSpy zoomSpy( mDock, &ZoomDock::zoomRequested );
  QSignalSpy sweepSpy( mDock, &ZoomDock::sweepRequested );
  for ( const QString &text : { QStringLiteral( "Z0" ), QStringLiteral( "Z4" ), QStringLiteral( "Z8" ), QStringLiteral( "Z12" ), QStringLiteral( "Sweep Z0–Z12" ) } )
  {
    QPushButton *b = button( text );
    QVERIFY2( b, qPrintable( text ) );
    QVERIFY2( !b->isEnabled(), qPrintable( text ) );
    QTest::mouseClick( b, Qt::LeftButton );
  }
  QCOMPARE( zoomSpy.count(), 0 );
  QCOMPARE( sweepSpy.count(), 0 );

  mDock->setLayerName( QStringLiteral( "pts" ) );
  QVERIFY( button( QStringLiteral( "Z4" ) )->isEnabled() );
  QVERIFY( button( QStringLiteral( "Sweep Z0–Z12" ) )->isEnabled() );
}

void TestZoomDock::sweepRunning()
{
  mDock->setLayerName( QStringLiteral( "pts" ) );
  mDock->setCentre( ZoomDock::Centre::LayerExtent );
  QPushButton *sweep = button( QStringLiteral( "Sweep Z0–Z12" ) );
  QPushButton *cancel = button( QStringLiteral( "Cancel" ) );
  QVERIFY( sweep && cancel );
  QVERIFY( !cancel->isVisible() );

  QSignalSpy sweepSpy( mDock, &ZoomDock::sweepRequested );
  QTest::mouseClick( sweep, Qt::LeftButton );
  QCOMPARE( sweepSpy.count(), 1 );
  QCOMPARE( qvariant_cast<ZoomDock::Centre>( sweepSpy.at( 0 ).at( 0 ) ), ZoomDock::Centre::LayerExtent );

  mDock->setSweepRunning( true );
  QVERIFY( mDock->isSweepRunning() );
  QVERIFY( cancel->isVisible() );
  QVERIFY( cancel->isEnabled() );
  QVERIFY( !sweep->isEnabled() );
  QVERIFY( !button( QStringLiteral( "Z8" ) )->isEnabled() );
  mDock->setSweepStatus( QStringLiteral( "Rendering Z8 (3 of 4)…" ) );
  QCOMPARE( label( "sweepStatus" )->text(), QStringLiteral( "Rendering Z8 (3 of 4)…" ) );

  QSignalSpy cancelSpy( mDock, &ZoomDock::sweepCancelRequested );
  QTest::mouseClick( cancel, Qt::LeftButton );
  QCOMPARE( cancelSpy.count(), 1 );

  mDock->setSweepRunning( false );
  QVERIFY( !cancel->isVisible() );
  QVERIFY( sweep->isEnabled() );
  QVERIFY( button( QStringLiteral( "Z8" ) )->isEnabled() );
}

void TestZoomDock::sweepTable()
{
  auto *table = mDock->findChild<QTableWidget *>( QStringLiteral( "sweepTable" ) );
  QVERIFY( table );
  QCOMPARE( table->columnCount(), 6 );
  const QStringList headers { QStringLiteral( "Zoom" ), QStringLiteral( "Total" ), QStringLiteral( "Cache" ),
                              QStringLiteral( "Aggregate" ), QStringLiteral( "Shade" ), QStringLiteral( "In view" ) };
  for ( int c = 0; c < headers.size(); ++c )
  {
    QCOMPARE( table->horizontalHeaderItem( c )->text(), headers.at( c ) );
    QVERIFY( !table->horizontalHeaderItem( c )->toolTip().isEmpty() );
  }

  SweepRow full;
  full.zoom = QStringLiteral( "Z8" );
  full.totalMs = 48.24;
  full.firstMs = 0.04;
  full.secondMs = 20.1;
  full.shadeMs = 25.3;
  full.pointsInView = 523107;
  full.pointsTotal = 1000000;
  SweepRow unknown;
  unknown.zoom = QStringLiteral( "Z12" );
  mDock->addSweepRow( full );
  mDock->addSweepRow( unknown );
  QCOMPARE( table->rowCount(), 2 );
  QCOMPARE( mDock->sweepRows().size(), 2 );
  const QStringList first { QStringLiteral( "Z8" ), QStringLiteral( "48.2" ), QStringLiteral( "0.0" ), QStringLiteral( "20.1" ), QStringLiteral( "25.3" ), QStringLiteral( "523,107" ) };
  for ( int c = 0; c < first.size(); ++c )
    QCOMPARE( table->item( 0, c )->text(), first.at( c ) );
  QCOMPARE( table->item( 1, 0 )->text(), QStringLiteral( "Z12" ) );
  for ( int c = 1; c < 6; ++c )
    QCOMPARE( table->item( 1, c )->text(), QStringLiteral( "–" ) );
  QVERIFY( !( table->item( 0, 1 )->flags() & Qt::ItemIsEditable ) );

  mDock->clearSweep();
  QCOMPARE( table->rowCount(), 0 );
  QVERIFY( mDock->sweepRows().isEmpty() );
}

QTEST_MAIN( TestZoomDock )
#include "test_zoom_dock.moc"
