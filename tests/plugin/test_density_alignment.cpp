// SPDX-License-Identifier: GPL-2.0-or-later
// The density layer puts each point in the pixel where QGIS itself draws it: 50 well-separated
// points drawn (a) by the density layer and (b) by QGIS as 1-pixel square markers without
// antialiasing; the centroids of the lit pixels of each point must agree within 0.5 px, in
// EPSG:3857, in EPSG:4326, for a 4326 layer on a 3857 map (on-the-fly reprojection) and on a
// map rotated by 30 degrees.
#include "layer/density_layer.h"
#include "qgis_compat.h"
#include "plugin_test_support.h"
#include "scene/standard_zooms.h"

#include <qgsapplication.h>
#include <qgscoordinatetransform.h>
#include <qgsmarkersymbol.h>
#include <qgsmarkersymbollayer.h>
#include <qgsproject.h>
#include <qgssinglesymbolrenderer.h>
#include <qgsvectorlayer.h>

#include <QtTest>

#include <cmath>

using namespace gridshade;
using test::Job;

namespace
{
constexpr int W = 1024;
constexpr int H = 768;
constexpr int COLS = 10;
constexpr int ROWS = 5;

//! Centroid (pixel centres) of the lit pixels within \a radius of \a at; false when none is lit.
bool litCentroid( const QImage &image, const QPointF &at, int radius, QPointF &centroid, int &count )
{
  double sx = 0, sy = 0;
  count = 0;
  for ( int y = int( at.y() ) - radius; y <= int( at.y() ) + radius; ++y )
    for ( int x = int( at.x() ) - radius; x <= int( at.x() ) + radius; ++x )
      if ( x >= 0 && y >= 0 && x < image.width() && y < image.height() && image.pixelColor( x, y ).alpha() > 0 )
      {
        sx += x + 0.5;
        sy += y + 0.5;
        ++count;
      }
  if ( count )
    centroid = QPointF( sx / count, sy / count );
  return count > 0;
}

//! A square marker of \a size logical pixels, no outline: 1 device pixel lights the pixel QGIS draws a point into.
void setPixelMarker( QgsVectorLayer *layer, double size = 1.0 )
{
  auto marker = new QgsSimpleMarkerSymbolLayer( qgiscompat::MARKER_SQUARE, size );
  marker->setSizeUnit( qgiscompat::RENDER_PIXELS );
  marker->setStrokeStyle( Qt::NoPen );
  marker->setColor( Qt::black );
  QgsMarkerSymbol *symbol = new QgsMarkerSymbol( QgsSymbolLayerList() << marker );
  layer->setRenderer( new QgsSingleSymbolRenderer( symbol ) );
}
} // namespace

class TestDensityAlignment : public QObject
{
    Q_OBJECT

  private slots:
    void initTestCase();
    void cleanupTestCase();
    void againstMarkers_data();
    void againstMarkers();
    void fractionalRatio_data();
    void fractionalRatio();
};

void TestDensityAlignment::initTestCase()
{
  QVERIFY( test::startQgis() );
}

void TestDensityAlignment::cleanupTestCase()
{
  test::stopQgis();
}

void TestDensityAlignment::againstMarkers_data()
{
  QTest::addColumn<QString>( "layerCrs" );
  QTest::addColumn<QString>( "mapCrs" );
  QTest::addColumn<double>( "rotation" );
  QTest::addColumn<Job>( "job" );
  for ( Job job : { Job::Sequential, Job::Parallel } )
  {
    const QString j = test::jobName( job );
    QTest::newRow( qPrintable( j + QStringLiteral( "/3857 on 3857" ) ) ) << QStringLiteral( "EPSG:3857" ) << QStringLiteral( "EPSG:3857" ) << 0.0 << job;
    QTest::newRow( qPrintable( j + QStringLiteral( "/4326 on 4326" ) ) ) << QStringLiteral( "EPSG:4326" ) << QStringLiteral( "EPSG:4326" ) << 0.0 << job;
    QTest::newRow( qPrintable( j + QStringLiteral( "/4326 on 3857" ) ) ) << QStringLiteral( "EPSG:4326" ) << QStringLiteral( "EPSG:3857" ) << 0.0 << job;
    QTest::newRow( qPrintable( j + QStringLiteral( "/3857 on 3857, rotated 30" ) ) ) << QStringLiteral( "EPSG:3857" ) << QStringLiteral( "EPSG:3857" ) << 30.0 << job;
  }
}

void TestDensityAlignment::againstMarkers()
{
  QFETCH( QString, layerCrs );
  QFETCH( QString, mapCrs );
  QFETCH( double, rotation );
  QFETCH( Job, job );

  // The map: Z8 around the standard centre, in the map CRS (for 4326 a box of the same size in degrees).
  QgsRectangle extent;
  if ( mapCrs == QLatin1String( "EPSG:3857" ) )
  {
    const Extent e = standard::viewport( 8 ).extent();
    extent = QgsRectangle( e.xmin, e.ymin, e.xmax, e.ymax );
  }
  else
    extent = QgsRectangle( 3.5, 44.45, 13.5, 51.95 ); // 10 x 7.5 degrees: square pixels at 1024 x 768
  QgsMapSettings ms = test::mapSettings( {}, extent, QSize( W, H ), mapCrs );
  ms.setRotation( rotation );
  const QgsMapToPixel m2p = ms.mapToPixel();

  // 50 points at known sub-pixel positions, kept away from pixel edges (0.15 .. 0.85) so that a
  // shift of half a pixel or more cannot go unnoticed; spread over the whole map.
  QVector<QPointF> pixels;
  std::vector<double> x, y;
  const QgsCoordinateTransform toLayer( QgsCoordinateReferenceSystem( mapCrs ), QgsCoordinateReferenceSystem( layerCrs ), QgsProject::instance() );
  for ( int r = 0; r < ROWS; ++r )
    for ( int c = 0; c < COLS; ++c )
    {
      const int i = r * COLS + c;
      const QPointF pixel( 40 + c * 104 + 0.15 + 0.7 * ( ( i * 37 ) % 50 ) / 49.0, 40 + r * 160 + 0.15 + 0.7 * ( ( i * 13 + 7 ) % 50 ) / 49.0 );
      const QgsPointXY map = m2p.toMapCoordinates( pixel.x(), pixel.y() );
      const QgsPointXY p = toLayer.transform( map );
      pixels << pixel;
      x.push_back( p.x() );
      y.push_back( p.y() );
    }

  std::unique_ptr<QgsVectorLayer> owned = test::memoryPointLayer( PointColumns::owned( x, y ), layerCrs, QStringLiteral( "markers" ) );
  QgsVectorLayer *points = owned.release();
  QgsProject::instance()->addMapLayer( points );
  setPixelMarker( points );
  std::unique_ptr<DensityLayer> density = test::createDensityLayer( QStringLiteral( "layer=%1&how=linear&cmap=red" ).arg( points->id() ) );
  QVERIFY( density );

  QStringList errors;
  ms.setLayers( { density.get() } );
  const QImage a = test::straightRgba( test::render( ms, job, &errors ) );
  QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );
  // Vector output: QGIS then draws the marker as an aliased 1x1 polygon, which lights the pixel whose
  // centre it covers. (Its default cached marker image is 2x2, antialiased and snapped to the
  // nearest pixel corner, so it is always exactly half a pixel from any pixel centre.) QGIS 3.40's
  // parallel job ignores vector output, so the markers always come from the sequential job; the
  // density layer is drawn by the job under test.
  ms.setLayers( { points } );
  ms.setFlag( Qgis::MapSettingsFlag::ForceVectorOutput, true );
  const QImage b = test::straightRgba( test::render( ms, Job::Sequential, &errors ) );
  QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );
  QCOMPARE( test::litPixels( a ), static_cast<long long>( pixels.size() ) );

  double worst = 0.0, worstToExact = 0.0;
  int same = 0, maxMarkerPixels = 0;
  for ( const QPointF &p : pixels )
  {
    QPointF ca, cb;
    int na = 0, nb = 0;
    QVERIFY2( litCentroid( a, p, 3, ca, na ), qPrintable( QStringLiteral( "density: nothing drawn near %1,%2" ).arg( p.x() ).arg( p.y() ) ) );
    QVERIFY2( litCentroid( b, p, 3, cb, nb ), qPrintable( QStringLiteral( "QGIS marker: nothing drawn near %1,%2" ).arg( p.x() ).arg( p.y() ) ) );
    QCOMPARE( na, 1 );
    const double d = std::max( std::abs( ca.x() - cb.x() ), std::abs( ca.y() - cb.y() ) );
    const double e = std::max( std::abs( ca.x() - p.x() ), std::abs( ca.y() - p.y() ) );
    worst = std::max( worst, d );
    same += ca == cb;
    maxMarkerPixels = std::max( maxMarkerPixels, nb );
    worstToExact = std::max( worstToExact, e );
    QVERIFY2( d <= 0.5, qPrintable( QStringLiteral( "point at pixel %1,%2: density centroid %3,%4, QGIS marker centroid %5,%6 (%7 lit)" )
                                      .arg( p.x() ).arg( p.y() ).arg( ca.x() ).arg( ca.y() ).arg( cb.x() ).arg( cb.y() ).arg( nb ) ) );
    QVERIFY( e <= 0.5 );
  }
  qInfo().noquote() << QStringLiteral( "worst distance to QGIS's marker %1 px, to the exact position %2 px; same pixel for %3 of %4 points; up to %5 marker pixels a point" )
                         .arg( worst ).arg( worstToExact ).arg( same ).arg( pixels.size() ).arg( maxMarkerPixels );
  // Both draw into the pixel whose area holds the point: the very same pixel for every point.
  QCOMPARE( same, pixels.size() );
  QgsProject::instance()->removeMapLayer( points );
}

void TestDensityAlignment::fractionalRatio_data()
{
  QTest::addColumn<QSize>( "size" );
  QTest::addColumn<double>( "ratio" );
  QTest::addColumn<double>( "rotation" );
  // Odd sizes whose device image QGIS rounds up (801 x 1.5 = 1201.5 -> 1202) or down
  // (801 x 1.25 = 1001.25 -> 1001), a rotated one, and exact ones that must stay as they were.
  QTest::newRow( "801x601 at 1.5" ) << QSize( 801, 601 ) << 1.5 << 0.0;
  QTest::newRow( "803x599 at 1.25" ) << QSize( 803, 599 ) << 1.25 << 0.0;
  QTest::newRow( "801x601 at 1.25" ) << QSize( 801, 601 ) << 1.25 << 0.0;
  QTest::newRow( "801x601 at 1.75" ) << QSize( 801, 601 ) << 1.75 << 0.0;
  QTest::newRow( "803x599 at 1.75" ) << QSize( 803, 599 ) << 1.75 << 0.0;
  QTest::newRow( "801x601 at 1.5, rotated 30" ) << QSize( 801, 601 ) << 1.5 << 30.0;
  QTest::newRow( "803x599 at 1.25, rotated -50" ) << QSize( 803, 599 ) << 1.25 << -50.0;
  QTest::newRow( "1024x768 at 1.5 (exact)" ) << QSize( 1024, 768 ) << 1.5 << 0.0;
  QTest::newRow( "801x601 at 2 (exact)" ) << QSize( 801, 601 ) << 2.0 << 0.0;
}

void TestDensityAlignment::fractionalRatio()
{
  QFETCH( QSize, size );
  QFETCH( double, ratio );
  QFETCH( double, rotation );

  // Z8 resolution around the standard centre, in logical pixels.
  const Extent z8 = standard::viewport( 8 ).extent();
  const double cx = ( z8.xmin + z8.xmax ) / 2, cy = ( z8.ymin + z8.ymax ) / 2;
  const double unit = z8.width() / standard::WIDTH;
  const QgsRectangle extent( cx - size.width() * unit / 2, cy - size.height() * unit / 2, cx + size.width() * unit / 2, cy + size.height() * unit / 2 );
  QgsMapSettings ms = test::mapSettings( {}, extent, size );
  ms.setDevicePixelRatio( ratio );
  ms.setRotation( rotation );
  const QSize device = ms.deviceOutputSize();
  const QgsMapToPixel m2p = ms.mapToPixel();

  // 20 x 10 points at known device positions, 0.15 .. 0.85 into their pixels, from the first to
  // the last column and row of the device image (but inside the logical map, which QGIS
  // fetches features from).
  constexpr int POINT_COLUMNS = 20, POINT_ROWS = 10;
  auto place = [ratio]( int i, int count, int devicePixels, int logicalPixels, double fraction ) {
    const int pixel = static_cast<int>( std::lround( double( i ) * ( devicePixels - 1 ) / ( count - 1 ) ) );
    const double edge = logicalPixels * ratio - 0.05;
    const double at = pixel + fraction;
    return at < edge ? at : ( pixel + edge ) / 2;
  };
  std::vector<double> x, y;
  for ( int r = 0; r < POINT_ROWS; ++r )
    for ( int c = 0; c < POINT_COLUMNS; ++c )
    {
      const int i = r * POINT_COLUMNS + c;
      const double dx = place( c, POINT_COLUMNS, device.width(), size.width(), 0.15 + 0.7 * ( ( i * 37 ) % 50 ) / 49.0 );
      const double dy = place( r, POINT_ROWS, device.height(), size.height(), 0.15 + 0.7 * ( ( i * 13 + 7 ) % 50 ) / 49.0 );
      const QgsPointXY map = m2p.toMapCoordinates( dx / ratio, dy / ratio );
      x.push_back( map.x() );
      y.push_back( map.y() );
    }

  std::unique_ptr<QgsVectorLayer> owned = test::memoryPointLayer( PointColumns::owned( x, y ), QStringLiteral( "EPSG:3857" ), QStringLiteral( "markers" ) );
  QgsVectorLayer *points = owned.release();
  QgsProject::instance()->addMapLayer( points );
  // One device pixel: an aliased square that covers exactly one pixel centre, the one of the
  // pixel holding the point.
  setPixelMarker( points, 1.0 / ratio );
  std::unique_ptr<DensityLayer> density = test::createDensityLayer( QStringLiteral( "layer=%1&how=linear&cmap=red" ).arg( points->id() ) );
  QVERIFY( density );
  QStringList errors;
  ms.setLayers( { density.get() } );
  const QImage a = test::straightRgba( test::render( ms, Job::Sequential, &errors ) );
  QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );
  ms.setLayers( { points } );
  ms.setFlag( Qgis::MapSettingsFlag::ForceVectorOutput, true );
  const QImage b = test::straightRgba( test::render( ms, Job::Sequential, &errors ) );
  QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );
  QCOMPARE( a.size(), device );
  QCOMPARE( b.size(), device );
  QCOMPARE( test::litPixels( a ), static_cast<long long>( x.size() ) );

  int misplaced = 0;
  double worst = 0.0;
  for ( size_t i = 0; i < x.size(); ++i )
  {
    // Where QGIS puts the point: its map-to-pixel (logical) times the ratio, from the top-left.
    const QgsPointXY logical = m2p.transform( x[i], y[i] );
    const QPointF exact( logical.x() * ratio, logical.y() * ratio );
    const QPoint expected( static_cast<int>( std::floor( exact.x() ) ), static_cast<int>( std::floor( exact.y() ) ) );
    QPointF ca, cb;
    int na = 0, nb = 0;
    QVERIFY2( litCentroid( b, exact, 2, cb, nb ), qPrintable( QStringLiteral( "QGIS marker: nothing drawn near %1,%2" ).arg( exact.x() ).arg( exact.y() ) ) );
    // The reference agrees with itself: QGIS's marker lights the pixel its map-to-pixel names.
    QCOMPARE( nb, 1 );
    QCOMPARE( cb, QPointF( expected ) + QPointF( 0.5, 0.5 ) );
    QVERIFY2( litCentroid( a, exact, 3, ca, na ), qPrintable( QStringLiteral( "density: nothing drawn near %1,%2" ).arg( exact.x() ).arg( exact.y() ) ) );
    QCOMPARE( na, 1 );
    misplaced += ca != cb;
    worst = std::max( worst, std::max( std::abs( ca.x() - exact.x() ), std::abs( ca.y() - exact.y() ) ) );
  }
  qInfo().noquote() << QStringLiteral( "%1x%2 at %3 (device %4x%5): %6 of %7 points in another pixel than QGIS's marker; worst distance of a "
                                       "density pixel centre from the exact position %8 px" )
                         .arg( size.width() ).arg( size.height() ).arg( ratio ).arg( device.width() ).arg( device.height() )
                         .arg( misplaced ).arg( x.size() ).arg( worst );
  QgsProject::instance()->removeMapLayer( points );
  QCOMPARE( misplaced, 0 );
}

GRIDSHADE_QGIS_TEST_MAIN( TestDensityAlignment )
#include "test_density_alignment.moc"
