// SPDX-License-Identifier: GPL-2.0-or-later
// The options widget: choosing a point layer or a raster layer edits the matching settings, and
// shows only the rows that apply (reduction and fields, or agg and interpolate).
#include "density_options_widget.h"

#include <QApplication>
#include <QComboBox>
#include <QtTest>

using namespace gridshade;

class TestDensityOptions : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void pointOrRasterSource();
    void editsAnExistingRasterLayer();
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

QTEST_MAIN( TestDensityOptions )
#include "test_density_options.moc"
