// SPDX-License-Identifier: GPL-2.0-or-later
#include "plugin_test_support.h"

#include "checks/ssim.h"
#include "layer/density_layer.h"
#include "registration.h"

#include <gdal_utils.h>

#include <qgsapplication.h>
#include <qgsgeometry.h>
#include <qgsmaprendererparalleljob.h>
#include <qgsmaprenderersequentialjob.h>
#include <qgspluginlayerregistry.h>
#include <qgspoint.h>
#include <qgsproject.h>
#include <qgsvectordataprovider.h>
#include <qgsvectorfilewriter.h>
#include <qgsvectorlayer.h>

#include <QTemporaryDir>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>

namespace gridshade
{
namespace test
{

void prepareEnvironment()
{
  if ( qEnvironmentVariableIsEmpty( "QT_QPA_PLATFORM" ) )
    qputenv( "QT_QPA_PLATFORM", "offscreen" );
  // The CRS database lives under <prefix>/share/qgis; the default prefix would be <testbin>/..
  if ( qEnvironmentVariableIsEmpty( "QGIS_PREFIX_PATH" ) )
    qputenv( "QGIS_PREFIX_PATH", "/usr" );
  // A throw-away profile keeps ~ clean; removed when the process exits.
  static QTemporaryDir profile( QDir::tempPath() + QStringLiteral( "/gridshade-qgis-profile-XXXXXX" ) );
  if ( qEnvironmentVariableIsEmpty( "QGIS_CUSTOM_CONFIG_PATH" ) && profile.isValid() )
    qputenv( "QGIS_CUSTOM_CONFIG_PATH", profile.path().toLocal8Bit() );
}

bool startQgis()
{
  QgsApplication::init();
  QgsApplication::initQgis();
  return gridshade_register() == 1 && QgsApplication::pluginLayerRegistry()->pluginLayerType( DensityLayer::LAYER_TYPE );
}

void stopQgis()
{
  QgsProject::instance()->clear();
  // Unregistered before QGIS goes, as the plugins' unload does: QGIS 3.40's plugin layer
  // registry removes the types still registered when it is destroyed, through a QgsProject
  // that no longer exists by then (a crash at exit).
  gridshade_unregister();
  QgsApplication::exitQgis();
}

std::unique_ptr<QgsVectorLayer> memoryPointLayer( const PointColumns &points, const QString &crs, const QString &name )
{
  auto layer = std::make_unique<QgsVectorLayer>( QStringLiteral( "Point?crs=%1&field=value:double&field=cat:integer" ).arg( crs ), name,
                                                 QStringLiteral( "memory" ) );
  if ( !layer->isValid() )
    return layer;
  constexpr size_t BATCH = 100000;
  QgsFeatureList batch;
  batch.reserve( BATCH );
  const QgsFields fields = layer->fields();
  for ( size_t i = 0; i < points.size(); ++i )
  {
    QgsFeature f( fields );
    f.setGeometry( QgsGeometry( new QgsPoint( points.x()[i], points.y()[i] ) ) );
    QgsAttributes attributes( 2 );
    attributes[0] = QVariant( ( i % 1000 ) / 10.0 );
    attributes[1] = QVariant( static_cast<int>( i % 5 ) );
    f.setAttributes( attributes );
    batch.append( f );
    if ( batch.size() == static_cast<int>( BATCH ) || i + 1 == points.size() )
    {
      layer->dataProvider()->addFeatures( batch, QgsFeatureSink::FastInsert );
      batch.clear();
    }
  }
  layer->updateExtents();
  return layer;
}

std::unique_ptr<QgsVectorLayer> sceneGeoPackageLayer( uint64_t points, const QString &dir )
{
  const QString path = QStringLiteral( "%1/scene_%2.gpkg" ).arg( dir ).arg( points );
  if ( !QFile::exists( path ) )
  {
    QProcess tool;
    tool.start( QStringLiteral( GRIDSHADE_SCENE_GPKG_TOOL ), { QStringLiteral( "--points" ), QString::number( points ), path } );
    if ( !tool.waitForFinished( 300000 ) || tool.exitCode() != 0 )
      qWarning() << "gridshade-scene-gpkg failed:" << tool.readAllStandardError();
  }
  return std::make_unique<QgsVectorLayer>( path + QStringLiteral( "|layername=scene" ), QStringLiteral( "scene" ), QStringLiteral( "ogr" ) );
}

QString writeGeoPackage( QgsVectorLayer *layer, const QString &path )
{
  QgsVectorFileWriter::SaveVectorOptions options;
  options.driverName = QStringLiteral( "GPKG" );
  options.layerName = QStringLiteral( "points" );
  QString error;
  const auto result = QgsVectorFileWriter::writeAsVectorFormatV3( layer, path, QgsProject::instance()->transformContext(), options, &error );
  if ( result != QgsVectorFileWriter::NoError )
    return error.isEmpty() ? QStringLiteral( "QgsVectorFileWriter error %1" ).arg( result ) : error;
  return QString();
}

std::unique_ptr<DensityLayer> createDensityLayer( const QString &uri, const QString &name )
{
  QgsPluginLayer *layer = QgsApplication::pluginLayerRegistry()->createLayer( DensityLayer::LAYER_TYPE, uri );
  DensityLayer *density = qobject_cast<DensityLayer *>( layer );
  if ( !density )
  {
    delete layer;
    return nullptr;
  }
  density->setName( name );
  return std::unique_ptr<DensityLayer>( density );
}

QgsMapSettings mapSettings( const QList<QgsMapLayer *> &layers, const QgsRectangle &extent, const QSize &size, const QString &crs )
{
  QgsMapSettings ms;
  ms.setLayers( layers );
  ms.setDestinationCrs( QgsCoordinateReferenceSystem( crs ) );
  ms.setOutputSize( size );
  ms.setExtent( extent );
  // Transparent: the layer's alpha survives, so the image can be compared byte for byte with
  // the engine's straight-alpha RGBA (a fixed colour would blend it away).
  ms.setBackgroundColor( Qt::transparent );
  ms.setFlag( Qgis::MapSettingsFlag::Antialiasing, false );
  ms.setFlag( Qgis::MapSettingsFlag::DrawLabeling, false );
  ms.setTransformContext( QgsProject::instance()->transformContext() );
  return ms;
}

QString jobName( Job job )
{
  return job == Job::Sequential ? QStringLiteral( "sequential" ) : QStringLiteral( "parallel" );
}

QImage render( const QgsMapSettings &settings, Job job, QStringList *errors )
{
  std::unique_ptr<QgsMapRendererQImageJob> j;
  if ( job == Job::Sequential )
    j = std::make_unique<QgsMapRendererSequentialJob>( settings );
  else
    j = std::make_unique<QgsMapRendererParallelJob>( settings );
  j->start();
  j->waitForFinished();
  if ( errors )
  {
    errors->clear();
    for ( const QgsMapRendererJob::Error &e : j->errors() )
      errors->append( QStringLiteral( "%1: %2" ).arg( e.layerID, e.message ) );
  }
  return j->renderedImage();
}

QImage straightRgba( const QImage &image )
{
  QImage out = image.convertToFormat( QImage::Format_RGBA8888 );
  out.setDevicePixelRatio( 1.0 );
  return out;
}

long long differingPixels( const QImage &a, const QImage &b )
{
  if ( a.size() != b.size() )
    return -1;
  const QImage sa = straightRgba( a ), sb = straightRgba( b );
  long long n = 0;
  for ( int y = 0; y < sa.height(); ++y )
  {
    const quint32 *ra = reinterpret_cast<const quint32 *>( sa.constScanLine( y ) );
    const quint32 *rb = reinterpret_cast<const quint32 *>( sb.constScanLine( y ) );
    for ( int x = 0; x < sa.width(); ++x )
      n += ra[x] != rb[x];
  }
  return n;
}

long long litPixels( const QImage &image )
{
  const QImage s = straightRgba( image );
  long long n = 0;
  for ( int y = 0; y < s.height(); ++y )
    for ( int x = 0; x < s.width(); ++x )
      n += s.constScanLine( y )[4 * x + 3] != 0;
  return n;
}

void *gdalwarp( const QString &source, const QStringList &args )
{
  QList<QByteArray> bytes;
  std::vector<char *> argv;
  for ( const QString &a : QStringList { QStringLiteral( "-of" ), QStringLiteral( "MEM" ), QStringLiteral( "-ot" ), QStringLiteral( "Float64" ) } + args )
    bytes << a.toUtf8();
  for ( QByteArray &b : bytes )
    argv.push_back( b.data() );
  argv.push_back( nullptr );
  GDALWarpAppOptions *options = GDALWarpAppOptionsNew( argv.data(), nullptr );
  GDALDatasetH src = GDALOpen( source.toUtf8().constData(), GA_ReadOnly );
  int usageError = 0;
  GDALDatasetH out = GDALWarp( "", nullptr, 1, &src, options, &usageError );
  GDALWarpAppOptionsFree( options );
  GDALClose( src );
  return out;
}

QString compareGolden( const QImage &actual, const QString &golden, double gate, double *ssim )
{
  const QString path = QStringLiteral( GRIDSHADE_SOURCE_DIR "/goldens/" ) + golden;
  const QImage rgba = actual.convertToFormat( QImage::Format_RGBA8888 );
  if ( qEnvironmentVariableIsSet( "GRIDSHADE_UPDATE_GOLDENS" ) )
  {
    QDir().mkpath( QFileInfo( path ).path() );
    if ( !rgba.save( path ) )
      return QStringLiteral( "cannot write %1" ).arg( path );
    qWarning( "wrote %s: look at it before committing", qPrintable( path ) );
  }
  const QImage expected( path );
  if ( expected.isNull() )
    return QStringLiteral( "missing golden %1 (GRIDSHADE_UPDATE_GOLDENS=1 writes it)" ).arg( path );
  QImage diff;
  const double value = Ssim::compareImages( rgba, expected.convertToFormat( QImage::Format_RGBA8888 ), &diff );
  if ( ssim )
    *ssim = value;
  if ( value >= gate )
    return QString();
  const QString dir = QStringLiteral( GRIDSHADE_BINARY_DIR "/test-artifacts/" ) + QFileInfo( golden ).path();
  QDir().mkpath( dir );
  const QString name = QFileInfo( golden ).fileName();
  rgba.save( dir + QStringLiteral( "/actual_" ) + name );
  diff.save( dir + QStringLiteral( "/diff_" ) + name );
  return QStringLiteral( "%1: SSIM %2 < %3 (actual and diff in %4)" ).arg( golden ).arg( value, 0, 'f', 6 ).arg( gate ).arg( dir );
}

} // namespace test
} // namespace gridshade
