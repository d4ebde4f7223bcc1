// SPDX-License-Identifier: GPL-2.0-or-later
// The SSIM dock headless: when Compare is offered for each kind of reference, the signals'
// arguments, an outcome's texts and outlined diff image, and an error.
#include "ssim_dock.h"

#include "dock_test_support.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace gridshade;

class TestSsimDock : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void dockIdentity();
    void compareEnablement();
    void busy();
    void emittedSignals();
    void outcomeTexts();
    void outlinedDiff();
    void smallDiffScaledUp();
    void error();

  private:
    template<typename T> T *child( const char *name ) const { return mDock->findChild<T *>( QLatin1String( name ) ); }
    QString text( const char *name ) const { return child<QLabel>( name )->text(); }
    QPushButton *compare() const { return child<QPushButton>( "compareButton" ); }

    SsimDock *mDock = nullptr;
};

namespace
{
constexpr QRgb RED = 0xffff0000;
const QRect WORST( 512, 256, 32, 32 );

// A 1024 x 768 deficit image: white (identical) but for a grey block at the worst region.
SsimOutcome outcome()
{
  SsimOutcome o;
  o.ssim = 0.998732;
  o.worst = WORST;
  o.worstSsim = 0.912345;
  o.diff = QImage( 1024, 768, QImage::Format_Grayscale8 );
  o.diff.fill( 255 );
  for ( int y = WORST.top(); y <= WORST.bottom(); ++y )
    for ( int x = WORST.left(); x <= WORST.right(); ++x )
      o.diff.scanLine( y )[x] = 100;
  o.differingPixels = 1234;
  o.description = QStringLiteral( "CPU vs GPU at 1024 x 768" );
  return o;
}
} // namespace

void TestSsimDock::initTestCase()
{
  test::pinEnglishLocale();
}

void TestSsimDock::init()
{
  mDock = test::shownDock<SsimDock>( 360, 700 );
}

void TestSsimDock::cleanup()
{
  delete mDock;
  mDock = nullptr;
}

void TestSsimDock::dockIdentity()
{
  QCOMPARE( mDock->objectName(), QStringLiteral( "GridshadeSsimDock" ) );
  QCOMPARE( mDock->windowTitle(), QStringLiteral( "Gridshade SSIM" ) );
  QVERIFY( mDock->isAreaAllowed( Qt::LeftDockWidgetArea ) );
  QVERIFY( !mDock->isAreaAllowed( Qt::TopDockWidgetArea ) );
  auto *combo = child<QComboBox>( "referenceCombo" );
  QVERIFY( combo );
  QCOMPARE( combo->count(), 3 );
  QCOMPARE( combo->itemText( 0 ), QStringLiteral( "Golden image file" ) );
  QCOMPARE( combo->itemText( 1 ), QStringLiteral( "Saved render" ) );
  QCOMPARE( combo->itemText( 2 ), QStringLiteral( "Other backend (CPU vs GPU)" ) );
  for ( const char *name : { "ssimValue", "worstValue", "pixelsValue", "descriptionValue", "diffImage" } )
    QVERIFY2( child<QLabel>( name ), name );
  QVERIFY( child<QLineEdit>( "goldenPath" ) );
  QVERIFY( child<QPushButton>( "saveButton" ) );
  QVERIFY( mDock->shownDiff().isNull() );
}

void TestSsimDock::compareEnablement()
{
  auto *golden = child<QLineEdit>( "goldenPath" );
  // No layer: nothing to compare, whatever the reference.
  for ( const auto ref : { SsimDock::Reference::GoldenImage, SsimDock::Reference::SavedRender, SsimDock::Reference::OtherBackend } )
  {
    mDock->setReference( ref );
    QVERIFY( !compare()->isEnabled() );
  }
  mDock->setLayerName( QStringLiteral( "pts" ) );

  mDock->setReference( SsimDock::Reference::GoldenImage );
  QCOMPARE( mDock->reference(), SsimDock::Reference::GoldenImage );
  QVERIFY( golden->isVisible() );
  QVERIFY( !compare()->isEnabled() );
  QTest::keyClicks( golden, QStringLiteral( "/data/golden.png" ) );
  QCOMPARE( mDock->goldenPath(), QStringLiteral( "/data/golden.png" ) );
  QVERIFY( compare()->isEnabled() );

  mDock->setReference( SsimDock::Reference::SavedRender );
  QCOMPARE( child<QComboBox>( "referenceCombo" )->currentIndex(), 1 );
  QVERIFY( !golden->isVisible() );
  QVERIFY( child<QPushButton>( "saveButton" )->isVisible() );
  QVERIFY( !compare()->isEnabled() );
  mDock->setSavedRender( true, QStringLiteral( "Z8 at 1024 × 768" ) );
  QVERIFY( compare()->isEnabled() );
  QVERIFY( text( "savedValue" ).contains( QStringLiteral( "Z8 at 1024 × 768" ) ) );
  mDock->setSavedRender( false );
  QVERIFY( !compare()->isEnabled() );

  mDock->setReference( SsimDock::Reference::OtherBackend );
  QVERIFY( !golden->isVisible() );
  QVERIFY( compare()->isEnabled() );

  mDock->setLayerName( QString() );
  QVERIFY( !compare()->isEnabled() );
}

void TestSsimDock::busy()
{
  mDock->setLayerName( QStringLiteral( "pts" ) );
  mDock->setReference( SsimDock::Reference::OtherBackend );
  mDock->showOutcome( outcome() );
  mDock->setBusy( true );
  QVERIFY( !compare()->isEnabled() );
  QCOMPARE( text( "descriptionValue" ), QStringLiteral( "Comparing…" ) );
  QCOMPARE( text( "ssimValue" ), QStringLiteral( "–" ) );
  mDock->showOutcome( outcome() );
  mDock->setBusy( false );
  QVERIFY( compare()->isEnabled() );
  QCOMPARE( text( "descriptionValue" ), QStringLiteral( "CPU vs GPU at 1024 x 768" ) );

  // Finished without a result (cancelled): the status does not stay at "Comparing…".
  mDock->setBusy( true );
  mDock->setBusy( false );
  QCOMPARE( text( "descriptionValue" ), QStringLiteral( "–" ) );
}

void TestSsimDock::emittedSignals()
{
  mDock->setLayerName( QStringLiteral( "pts" ) );
  QSignalSpy compareSpy( mDock, &SsimDock::compareRequested );
  QSignalSpy saveSpy( mDock, &SsimDock::saveRenderRequested );

  mDock->setReference( SsimDock::Reference::GoldenImage );
  mDock->setGoldenPath( QStringLiteral( "/data/golden.png" ) );
  QTest::mouseClick( compare(), Qt::LeftButton );
  QCOMPARE( compareSpy.count(), 1 );
  // GoldenImage is 0, which an unregistered (invalid) argument would also cast to.
  QVERIFY( compareSpy.at( 0 ).at( 0 ).isValid() );
  QCOMPARE( qvariant_cast<SsimDock::Reference>( compareSpy.at( 0 ).at( 0 ) ), SsimDock::Reference::GoldenImage );
  QCOMPARE( compareSpy.at( 0 ).at( 1 ).toString(), QStringLiteral( "/data/golden.png" ) );

  mDock->setReference( SsimDock::Reference::OtherBackend );
  QTest::mouseClick( compare(), Qt::LeftButton );
  QCOMPARE( compareSpy.count(), 2 );
  QCOMPARE( qvariant_cast<SsimDock::Reference>( compareSpy.at( 1 ).at( 0 ) ), SsimDock::Reference::OtherBackend );

  mDock->setReference( SsimDock::Reference::SavedRender );
  QTest::mouseClick( child<QPushButton>( "saveButton" ), Qt::LeftButton );
  QCOMPARE( saveSpy.count(), 1 );
  QCOMPARE( compareSpy.count(), 2 );
}

void TestSsimDock::outcomeTexts()
{
  mDock->showOutcome( outcome() );
  QCOMPARE( text( "ssimValue" ), QStringLiteral( "0.998732" ) );
  QCOMPARE( text( "worstValue" ), QStringLiteral( "x 512–543, y 256–287: SSIM 0.912345" ) );
  QCOMPARE( text( "pixelsValue" ), QStringLiteral( "1,234 of 786,432 pixels differ" ) );
  QCOMPARE( text( "descriptionValue" ), QStringLiteral( "CPU vs GPU at 1024 x 768" ) );

  SsimOutcome partial;
  partial.ssim = 1;
  mDock->showOutcome( partial );
  QCOMPARE( text( "ssimValue" ), QStringLiteral( "1.000000" ) );
  QCOMPARE( text( "worstValue" ), QStringLiteral( "–" ) );
  QCOMPARE( text( "pixelsValue" ), QStringLiteral( "–" ) );
  QVERIFY( mDock->shownDiff().isNull() );

  // Identical images: no worst region named or outlined.
  SsimOutcome same = outcome();
  same.ssim = 1;
  same.worstSsim = 1;
  same.differingPixels = 0;
  same.diff.fill( Qt::white );
  mDock->showOutcome( same );
  QCOMPARE( text( "worstValue" ), QStringLiteral( "none: the images are identical" ) );
  QCOMPARE( text( "pixelsValue" ), QStringLiteral( "0 of 786,432 pixels differ" ) );
  QCOMPARE( mDock->shownDiff().pixelColor( same.worst.topLeft() ), QColor( Qt::white ) );
}

void TestSsimDock::outlinedDiff()
{
  mDock->showOutcome( outcome() );
  const QImage shown = mDock->shownDiff();
  QCOMPARE( shown.size(), QSize( 1024, 768 ) );
  QVERIFY( !shown.hasAlphaChannel() );
  // A 2 px red frame on the worst block's border ...
  for ( const QPoint p : { QPoint( 512, 256 ), QPoint( 543, 287 ), QPoint( 513, 257 ), QPoint( 527, 256 ), QPoint( 543, 270 ), QPoint( 512, 286 ) } )
    QVERIFY2( shown.pixel( p ) == RED, qPrintable( QStringLiteral( "%1,%2" ).arg( p.x() ).arg( p.y() ) ) );
  // ... and nowhere else: the grey inside and the white outside are kept.
  QCOMPARE( shown.pixel( 514, 258 ), qRgb( 100, 100, 100 ) );
  QCOMPARE( shown.pixel( 527, 271 ), qRgb( 100, 100, 100 ) );
  QCOMPARE( shown.pixel( 511, 256 ), qRgb( 255, 255, 255 ) );
  QCOMPARE( shown.pixel( 544, 287 ), qRgb( 255, 255, 255 ) );
  QCOMPARE( shown.pixel( 10, 10 ), qRgb( 255, 255, 255 ) );

  // The label shows it fitted to 300 px wide, aspect kept, still outlined.
  const QImage label = child<QLabel>( "diffImage" )->pixmap( Qt::ReturnByValue ).toImage().convertToFormat( QImage::Format_RGB32 );
  QCOMPARE( label.size(), QSize( 300, 225 ) );
  int red = 0;
  for ( int y = 0; y < label.height(); ++y )
    for ( int x = 0; x < label.width(); ++x )
      red += label.pixel( x, y ) == RED;
  QVERIFY( red > 0 );
  QCOMPARE( label.pixel( 5, 5 ), qRgb( 255, 255, 255 ) );
}

void TestSsimDock::smallDiffScaledUp()
{
  SsimOutcome o;
  o.ssim = 0.5;
  o.diff = QImage( 100, 50, QImage::Format_Grayscale8 );
  o.diff.fill( 200 );
  mDock->showOutcome( o );
  QCOMPARE( mDock->shownDiff().size(), QSize( 100, 50 ) );
  QCOMPARE( mDock->shownDiff().pixel( 50, 25 ), qRgb( 200, 200, 200 ) );
  QCOMPARE( child<QLabel>( "diffImage" )->pixmap( Qt::ReturnByValue ).size(), QSize( 300, 150 ) );
}

void TestSsimDock::error()
{
  mDock->showOutcome( outcome() );
  const QString message = QStringLiteral( "Golden image /data/golden.png is 512 x 512, the render 1024 x 768: pick a golden of the same size." );
  mDock->showError( message );
  auto *description = child<QLabel>( "descriptionValue" );
  QCOMPARE( description->text(), message );
  QVERIFY( description->styleSheet().contains( QStringLiteral( "red" ) ) );
  for ( const char *name : { "ssimValue", "worstValue", "pixelsValue" } )
    QCOMPARE( text( name ), QStringLiteral( "–" ) );
  QVERIFY( mDock->shownDiff().isNull() );
  QVERIFY( child<QLabel>( "diffImage" )->pixmap( Qt::ReturnByValue ).isNull() );

  // The next result is shown in the normal colour again.
  mDock->showOutcome( outcome() );
  QVERIFY( !description->styleSheet().contains( QStringLiteral( "red" ) ) );
}

QTEST_MAIN( TestSsimDock )
#include "test_ssim_dock.moc"
