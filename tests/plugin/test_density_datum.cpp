// SPDX-License-Identifier: GPL-2.0-or-later
// The density layer draws every point where the render's own transform context puts it: a
// British National Grid layer on a Web Mercator map at street scale, rendered with two
// transform contexts that carry different datum transformations (two explicit PROJ pipelines,
// a 7-parameter and a 3-parameter Helmert shift, about ten metres apart), one after the other
// on the same layer and its point cache. The reference is QGIS's own QgsCoordinateTransform
// with each context, then the map's map-to-pixel.
#include "layer/density_layer.h"
#include "plugin_test_support.h"

#include <qgsapplication.h>
#include <qgscoordinatetransform.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

#include <QtTest>

#include <cmath>

using namespace gridshade;

namespace
{
constexpr int W = 1024;
constexpr int H = 768;
constexpr double UNITS_PER_PIXEL = 0.25; // metres of Web Mercator: street scale
constexpr int COLS = 12;
constexpr int ROWS = 8;

// OSGB36 / British National Grid to Web Mercator through WGS 84, with the datum shift in the
// middle: %1 is the Helmert step's parameters.
const char *PIPELINE = "+proj=pipeline +step +inv +proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 "
                       "+ellps=airy +step +proj=push +v_3 +step +proj=cart +ellps=airy +step +proj=helmert %1 "
                       "+step +inv +proj=cart +ellps=WGS84 +step +proj=pop +v_3 +step +proj=webmerc +lat_0=0 +lon_0=0 "
                       "+x_0=0 +y_0=0 +ellps=WGS84";
const char *SEVEN_PARAMETERS = "+x=446.448 +y=-125.157 +z=542.06 +rx=0.15 +ry=0.247 +rz=0.842 +s=-20.489 +convention=position_vector";
const char *THREE_PARAMETERS = "+x=375 +y=-111 +z=431";

QgsCoordinateTransformContext contextWith( const char *helmert )
{
  QgsCoordinateTransformContext context;
  const bool added = context.addCoordinateOperation( QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:27700" ) ),
                                                     QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:3857" ) ),
                                                     QString::fromLatin1( PIPELINE ).arg( QLatin1String( helmert ) ), false );
  if ( !added )
    qWarning( "the transform context refused the pipeline" );
  return context;
}

//! The lit pixels of \a image (straight RGBA), as points.
QVector<QPoint> litPixels( const QImage &image )
{
  QVector<QPoint> lit;
  for ( int y = 0; y < image.height(); ++y )
    for ( int x = 0; x < image.width(); ++x )
      if ( image.pixelColor( x, y ).alpha() > 0 )
        lit << QPoint( x, y );
  return lit;
}
} // namespace

class TestDensityDatum : public QObject
{
    Q_OBJECT

  private slots:
    void initTestCase();
    void cleanupTestCase();
    void eachRenderUsesItsContext();
};

void TestDensityDatum::initTestCase()
{
  QVERIFY( test::startQgis() );
}

void TestDensityDatum::cleanupTestCase()
{
  test::stopQgis();
}

void TestDensityDatum::eachRenderUsesItsContext()
{
  const QgsCoordinateReferenceSystem bng( QStringLiteral( "EPSG:27700" ) ), mercator( QStringLiteral( "EPSG:3857" ) );
  const QgsCoordinateTransformContext contexts[2] = { contextWith( SEVEN_PARAMETERS ), contextWith( THREE_PARAMETERS ) };
  const QgsCoordinateTransform transforms[2] = { QgsCoordinateTransform( bng, mercator, contexts[0] ), QgsCoordinateTransform( bng, mercator, contexts[1] ) };
  QCOMPARE( transforms[0].coordinateOperation(), QString::fromLatin1( PIPELINE ).arg( QLatin1String( SEVEN_PARAMETERS ) ) );

  // The map: 256 x 192 m of Web Mercator around Trafalgar Square, centred between the two
  // positions of the square's BNG coordinates.
  const QgsPointXY trafalgar( 530000, 180400 );
  const QgsPointXY a = transforms[0].transform( trafalgar ), b = transforms[1].transform( trafalgar );
  const double shiftPx = std::hypot( a.x() - b.x(), a.y() - b.y() ) / UNITS_PER_PIXEL;
  QVERIFY2( shiftPx > 10, qPrintable( QStringLiteral( "the two datum shifts differ by only %1 px" ).arg( shiftPx ) ) );
  const QgsPointXY c( ( a.x() + b.x() ) / 2, ( a.y() + b.y() ) / 2 );
  const QgsRectangle extent( c.x() - W * UNITS_PER_PIXEL / 2, c.y() - H * UNITS_PER_PIXEL / 2, c.x() + W * UNITS_PER_PIXEL / 2, c.y() + H * UNITS_PER_PIXEL / 2 );
  QgsMapSettings ms = test::mapSettings( {}, extent, QSize( W, H ) );
  const QgsMapToPixel m2p = ms.mapToPixel();

  // 96 points well apart (about 80 px), placed in the map through the first context and
  // kept 60 px inside the map so that the other context's shift keeps them in view.
  std::vector<double> x, y;
  for ( int r = 0; r < ROWS; ++r )
    for ( int col = 0; col < COLS; ++col )
    {
      const QgsPointXY map = m2p.toMapCoordinates( 60 + col * 82 + 0.3 + 0.4 * ( ( r * COLS + col ) % 7 ) / 6.0, 60 + r * 90 + 0.5 );
      const QgsPointXY p = transforms[0].transform( map, Qgis::TransformDirection::Reverse );
      x.push_back( p.x() );
      y.push_back( p.y() );
    }
  std::unique_ptr<QgsVectorLayer> owned = test::memoryPointLayer( PointColumns::owned( x, y ), QStringLiteral( "EPSG:27700" ), QStringLiteral( "bng" ) );
  QgsVectorLayer *points = owned.release();
  QgsProject::instance()->addMapLayer( points );
  std::unique_ptr<DensityLayer> density = test::createDensityLayer( QStringLiteral( "layer=%1&how=linear&cmap=red" ).arg( points->id() ) );
  QVERIFY( density );
  ms.setLayers( { density.get() } );

  // First context, second, first again: each must come out at its own positions, from the
  // same layer (and the same point cache store).
  for ( int which : { 0, 1, 0 } )
  {
    ms.setTransformContext( contexts[which] );
    QStringList errors;
    const QImage image = test::straightRgba( test::render( ms, test::Job::Parallel, &errors ) );
    QVERIFY2( errors.isEmpty(), qPrintable( errors.join( QLatin1Char( '\n' ) ) ) );
    const QVector<QPoint> lit = litPixels( image );
    QCOMPARE( lit.size(), static_cast<int>( x.size() ) );
    int misplaced = 0;
    double worst = 0.0;
    for ( size_t i = 0; i < x.size(); ++i )
    {
      const QgsPointXY exact = m2p.transform( transforms[which].transform( QgsPointXY( x[i], y[i] ) ) );
      // The lit pixel nearest to where QGIS puts the point must be the one that holds it.
      QPoint nearest;
      double best = 1e300;
      for ( const QPoint &p : lit )
      {
        const double d = std::hypot( p.x() + 0.5 - exact.x(), p.y() + 0.5 - exact.y() );
        if ( d < best )
        {
          best = d;
          nearest = p;
        }
      }
      worst = std::max( worst, best );
      misplaced += nearest != QPoint( static_cast<int>( std::floor( exact.x() ) ), static_cast<int>( std::floor( exact.y() ) ) );
    }
    qInfo().noquote() << QStringLiteral( "context %1: %2 of %3 points off their pixel, worst distance %4 px (the contexts differ by %5 px)" )
                           .arg( which ).arg( misplaced ).arg( x.size() ).arg( worst ).arg( shiftPx );
    QCOMPARE( misplaced, 0 );
  }
  // One cache per context (16 bytes a point), the first found again rather than rebuilt.
  QCOMPARE( density->cacheBytes(), qulonglong( 2 * 16 * x.size() ) );
  QgsProject::instance()->removeMapLayer( points );
}

GRIDSHADE_QGIS_TEST_MAIN( TestDensityDatum )
#include "test_density_datum.moc"
