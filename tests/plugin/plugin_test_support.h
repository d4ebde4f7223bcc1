// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/point_columns.h"

#include <QImage>
#include <QString>
#include <QStringList>

#include <qgsmapsettings.h>

#include <memory>

class QgsMapLayer;
class QgsVectorLayer;

namespace gridshade
{
class DensityLayer;

/**
 * \brief Shared set-up for the headless QtTest suites of plugin/: a QGIS application in a
 * throw-away profile, point layers built from the engine's standard scene, map renders through
 * QGIS's own jobs and pixel comparisons. GUI (main) thread only.
 */
namespace test
{

//! Sets QT_QPA_PLATFORM=offscreen, QGIS_PREFIX_PATH and a temporary QGIS_CUSTOM_CONFIG_PATH when unset.
void prepareEnvironment();
//! QgsApplication::init() + initQgis() + gridshade_register(); false when the type did not register.
bool startQgis();
void stopQgis();

//! A memory point layer in \a crs with fields value:double (i % 1000 / 10) and cat:integer (i % 5).
std::unique_ptr<QgsVectorLayer> memoryPointLayer( const PointColumns &points, const QString &crs = QStringLiteral( "EPSG:3857" ),
                                                  const QString &name = QStringLiteral( "points" ) );
//! Writes \a layer to a GeoPackage at \a path; returns an empty string or the error.
QString writeGeoPackage( QgsVectorLayer *layer, const QString &path );

/**
 * The standard scene's first \a points points (EPSG:3857, fields value and cat) as an OGR layer
 * on a GeoPackage written by gridshade-scene-gpkg into \a dir. Far lighter than a memory layer
 * (which holds ~350 bytes per point as QgsFeatures), so big scenes keep the suite's memory low.
 */
std::unique_ptr<QgsVectorLayer> sceneGeoPackageLayer( uint64_t points, const QString &dir );

//! Creates a density layer through QGIS's plugin layer registry (what projects and Python do).
std::unique_ptr<DensityLayer> createDensityLayer( const QString &uri, const QString &name = QStringLiteral( "Density" ) );

//! Map settings: \a layers on a transparent background, antialiasing off.
QgsMapSettings mapSettings( const QList<QgsMapLayer *> &layers, const QgsRectangle &extent, const QSize &size,
                            const QString &crs = QStringLiteral( "EPSG:3857" ) );

enum class Job
{
  Sequential,
  Parallel,
};
QString jobName( Job job );
//! Renders and waits; \a errors receives "layer id: message" lines.
QImage render( const QgsMapSettings &settings, Job job, QStringList *errors = nullptr );

//! \a image as straight-alpha RGBA8888 (the engine's layout), device pixel ratio 1.
QImage straightRgba( const QImage &image );
//! Pixels whose four channels differ between two images of the same size (-1 when the sizes differ).
long long differingPixels( const QImage &a, const QImage &b );
//! Pixels with alpha > 0.
long long litPixels( const QImage &image );

/**
 * Compares \a actual with goldens/<\a golden> by SSIM: returns an empty string when SSIM >=
 * \a gate, else the reason, with actual and diff images written to
 * <build>/test-artifacts/<golden's folder>/. GRIDSHADE_UPDATE_GOLDENS=1 writes the golden first
 * (then look at it before committing). \a ssim receives the value when given.
 */
//! gdalwarp through GDAL's utility API into a Float64 MEM dataset (a GDALDatasetH; close it).
void *gdalwarp( const QString &source, const QStringList &args );

QString compareGolden( const QImage &actual, const QString &golden, double gate, double *ssim = nullptr );

} // namespace test
} // namespace gridshade

Q_DECLARE_METATYPE( gridshade::test::Job )

//! main() for a QtTest object that needs a QgsApplication.
#define GRIDSHADE_QGIS_TEST_MAIN( TestObject )              \
  int main( int argc, char *argv[] )                        \
  {                                                         \
    gridshade::test::prepareEnvironment();                  \
    QgsApplication app( argc, argv, false );                \
    TestObject tc;                                          \
    return QTest::qExec( &tc, argc, argv );                 \
  }
