// SPDX-License-Identifier: GPL-2.0-or-later
// The options widget: choosing a point layer or a raster layer edits the matching settings, and
// shows only the rows that apply (reduction and fields, or agg and interpolate); the category
// field is the proposed one, never the first field by default, with a warning for poor choices;
// the colormap is disabled where it has no effect (count_cat).
#include "density_options_widget.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QtTest>

using namespace gridshade;

class TestDensityOptions : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void pointOrRasterSource();
    void editsAnExistingRasterLayer();
    void categoryFieldProposedAndWarned();
    void colormapOnlyWhereItApplies();
};

namespace
{
QComboBox *combo( QWidget &w, const char *name )
{
  return w.findChild<QComboBox *>( QString::fromLatin1( name ) );
}
} // namespace

void TestDensityOptions::pointOrRasterSource()
{
  QWidget parent;
  auto *w = new DensityOptionsWidget( &parent );
  w->setSourceLayers( { { QStringLiteral( "pts" ), QStringLiteral( "pts_id" ) }, { QStringLiteral( "dem (raster)" ), QStringLiteral( "dem_id" ) } },
                      { { QStringLiteral( "dem_id" ), QStringLiteral( "/data/dem.tif" ) } } );
  DensitySettings initial;
  initial.layerId = QStringLiteral( "pts_id" );
  w->setSettings( initial );
  parent.show();
  QVERIFY( combo( parent, "reduction" )->isVisible() );
  QVERIFY( !combo( parent, "agg" )->isVisible() );
  QCOMPARE( w->settings().layerId, QStringLiteral( "pts_id" ) );
  QVERIFY( !w->settings().isRaster() );

  combo( parent, "source" )->setCurrentIndex( 1 );
  QVERIFY( !combo( parent, "reduction" )->isVisible() );
  QVERIFY( combo( parent, "agg" )->isVisible() && combo( parent, "interpolate" )->isVisible() );
  combo( parent, "agg" )->setCurrentIndex( combo( parent, "agg" )->findData( QStringLiteral( "mode" ) ) );
  combo( parent, "interpolate" )->setCurrentIndex( combo( parent, "interpolate" )->findData( QStringLiteral( "nearest" ) ) );
  const DensitySettings s = w->settings();
  QCOMPARE( s.raster, QStringLiteral( "/data/dem.tif" ) );
  QVERIFY( s.layerId.isEmpty() );
  QCOMPARE( s.agg, RasterDownsample::Mode );
  QCOMPARE( s.interpolate, RasterUpsample::Nearest );
  QCOMPARE( w->validationError(), QString() );

  combo( parent, "source" )->setCurrentIndex( 0 );
  QVERIFY( !w->settings().isRaster() );
  QCOMPARE( w->settings().layerId, QStringLiteral( "pts_id" ) );
}

void TestDensityOptions::editsAnExistingRasterLayer()
{
  // The properties dialog: no source list, the layer's own raster kept, its methods editable.
  QWidget parent;
  auto *w = new DensityOptionsWidget( &parent );
  w->setSourceLayers( {} );
  DensitySettings s;
  s.raster = QStringLiteral( "/data/dem.tif" );
  s.agg = RasterDownsample::Max;
  w->setSettings( s );
  parent.show();
  QVERIFY( combo( parent, "agg" )->isVisible() );
  QCOMPARE( combo( parent, "agg" )->currentData().toString(), QStringLiteral( "max" ) );
  combo( parent, "agg" )->setCurrentIndex( combo( parent, "agg" )->findData( QStringLiteral( "first" ) ) );
  QCOMPARE( w->settings().agg, RasterDownsample::First );
  QCOMPARE( w->settings().raster, s.raster );
  QCOMPARE( w->settings().toUri().contains( QStringLiteral( "agg=first" ) ), true );
}

void TestDensityOptions::categoryFieldProposedAndWarned()
{
  QWidget parent;
  auto *w = new DensityOptionsWidget( &parent );
  w->setSourceLayers( { { QStringLiteral( "pts" ), QStringLiteral( "pts_id" ) } } );
  DensitySettings initial;
  initial.layerId = QStringLiteral( "pts_id" );
  w->setSettings( initial );
  const QStringList all { QStringLiteral( "fid" ), QStringLiteral( "value" ), QStringLiteral( "cat" ) };
  w->setFields( { QStringLiteral( "fid" ), QStringLiteral( "value" ), QStringLiteral( "cat" ) }, all );
  parent.show();
  combo( parent, "reduction" )->setCurrentIndex( combo( parent, "reduction" )->findData( QStringLiteral( "count_cat" ) ) );
  // Not the first field by itself: no field until one is proposed.
  QCOMPARE( combo( parent, "categoryField" )->currentIndex(), -1 );
  QVERIFY( w->validationError().contains( QStringLiteral( "needs a category field" ) ) );
  const QString idWarning = QStringLiteral( "'fid' is the layer's feature id" );
  w->setCategoryHints( QStringLiteral( "cat" ), { { QStringLiteral( "fid" ), idWarning } } );
  QCOMPARE( w->settings().categoryField, QStringLiteral( "cat" ) );
  QCOMPARE( w->validationError(), QString() );
  QLabel *message = parent.findChild<QLabel *>( QStringLiteral( "message" ) );
  QCOMPARE( message->text(), QString() );
  // Choosing the id warns, without blocking (the warning comes from a sample).
  combo( parent, "categoryField" )->setCurrentIndex( combo( parent, "categoryField" )->findData( QStringLiteral( "fid" ) ) );
  QCOMPARE( w->categoryWarning(), idWarning );
  QCOMPARE( message->text(), idWarning );
  QCOMPARE( w->validationError(), QString() );
  // Not a count_cat: no warning about its field.
  combo( parent, "reduction" )->setCurrentIndex( combo( parent, "reduction" )->findData( QStringLiteral( "count" ) ) );
  QCOMPARE( message->text(), QString() );
  // A layer's own choice is kept over the proposal (the properties dialog).
  auto *edit = new DensityOptionsWidget( &parent );
  DensitySettings chosen = initial;
  chosen.reduction = Reduction::CountCat;
  chosen.categoryField = QStringLiteral( "fid" );
  edit->setSettings( chosen );
  edit->setFields( {}, all );
  edit->setCategoryHints( QStringLiteral( "cat" ), { { QStringLiteral( "fid" ), idWarning } } );
  QCOMPARE( edit->settings().categoryField, QStringLiteral( "fid" ) );
  QCOMPARE( edit->categoryWarning(), idWarning );
}

void TestDensityOptions::colormapOnlyWhereItApplies()
{
  QWidget parent;
  auto *w = new DensityOptionsWidget( &parent );
  w->setSourceLayers( { { QStringLiteral( "pts" ), QStringLiteral( "pts_id" ) }, { QStringLiteral( "dem (raster)" ), QStringLiteral( "dem_id" ) } },
                      { { QStringLiteral( "dem_id" ), QStringLiteral( "/data/dem.tif" ) } } );
  DensitySettings initial;
  initial.layerId = QStringLiteral( "pts_id" );
  w->setSettings( initial );
  parent.show();
  QComboBox *cmap = combo( parent, "colormap" );
  QVERIFY( cmap->isEnabled() );
  combo( parent, "reduction" )->setCurrentIndex( combo( parent, "reduction" )->findData( QStringLiteral( "count_cat" ) ) );
  QVERIFY( !cmap->isEnabled() );
  QVERIFY( cmap->toolTip().contains( QStringLiteral( "colour key" ) ) );
  combo( parent, "reduction" )->setCurrentIndex( combo( parent, "reduction" )->findData( QStringLiteral( "mean" ) ) );
  QVERIFY( cmap->isEnabled() );
  combo( parent, "reduction" )->setCurrentIndex( combo( parent, "reduction" )->findData( QStringLiteral( "count_cat" ) ) );
  combo( parent, "source" )->setCurrentIndex( 1 ); // a raster has no reduction: its colormap applies
  QVERIFY( cmap->isEnabled() );
}

QTEST_MAIN( TestDensityOptions )
#include "test_density_options.moc"
