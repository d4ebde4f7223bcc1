// SPDX-License-Identifier: GPL-2.0-or-later
#include "raster_window_reader.h"

#include <qgsrasterdataprovider.h>
#include <qgsrectangle.h>

#include <gdal.h>
#include <gdal_utils.h>

#include <QList>

#include <cmath>
#include <new>

namespace gridshade
{



GDALRIOResampleAlg rasterIoAlgorithm( Resampling method )
{
  switch ( method )
  {
    case Resampling::Nearest:
      return GRIORA_NearestNeighbour;
    case Resampling::Bilinear:
      return GRIORA_Bilinear;
    case Resampling::Cubic:
      return GRIORA_Cubic;
    case Resampling::Average:
      return GRIORA_Average;
    case Resampling::Mode:
      return GRIORA_Mode;
  }
  return GRIORA_NearestNeighbour;
}

QString lastGdalError()
{
  const QString message = QString::fromUtf8( CPLGetLastErrorMsg() );
  return message.isEmpty() ? QStringLiteral( "no details" ) : message;
}


QString resamplingName( Resampling method )
{
  switch ( method )
  {
    case Resampling::Nearest:
      return QStringLiteral( "nearest" );
    case Resampling::Bilinear:
      return QStringLiteral( "bilinear" );
    case Resampling::Cubic:
      return QStringLiteral( "cubic" );
    case Resampling::Average:
      return QStringLiteral( "average" );
    case Resampling::Mode:
      return QStringLiteral( "mode" );
  }
  return QString();
}

bool parseResampling( const QString &name, Resampling &method )
{
  for ( Resampling m : { Resampling::Nearest, Resampling::Bilinear, Resampling::Cubic, Resampling::Average, Resampling::Mode } )
  {
    if ( name.trimmed().compare( resamplingName( m ), Qt::CaseInsensitive ) == 0 )
    {
      method = m;
      return true;
    }
  }
  return false;
}

RasterWindowReader::RasterWindowReader( const QgsRasterDataProvider *provider )
{
  if ( !provider || !provider->isValid() )
    mStatus = Status::error( QStringLiteral( "the raster provider is not valid" ) );
  else if ( provider->name() != QLatin1String( "gdal" ) )
    mStatus = Status::error( QStringLiteral( "windowed reads need a GDAL raster; this layer's provider is '%1'" ).arg( provider->name() ) );
  else
    open( provider->dataSourceUri() );
}

RasterWindowReader::RasterWindowReader( const QString &gdalSource )
{
  open( gdalSource );
}

RasterWindowReader::RasterWindowReader( const QString &gdalSource, const RasterOverrides &overrides )
  : mOverrides( overrides )
{
  open( gdalSource );
}

RasterWindowReader::~RasterWindowReader()
{
  // A VRT before the dataset it reads.
  for ( void *ds : { mFullResolution, mFullResolutionSource, mDataset, mSourceDataset } )
  {
    if ( ds )
      GDALClose( static_cast<GDALDatasetH>( ds ) );
  }
}

Status RasterWindowReader::applyOverrides( void *&dataset, void *&source ) const
{
  if ( !mOverrides.any() )
    return Status::ok();
  source = dataset;
  dataset = overridingVrt( source );
  if ( !dataset )
    return Status::error( QStringLiteral( "cannot assign the CRS or nodata value to raster '%1': %2" ).arg( mSource, lastGdalError() ) );
  return Status::ok();
}

void *RasterWindowReader::overridingVrt( void *dataset ) const
{
  QByteArray wkt = mOverrides.crsWkt.toUtf8();
  QByteArray nodata = QByteArray::number( mOverrides.nodata, 'g', 17 );
  QList<QByteArray> args { "-of", "VRT" };
  if ( !wkt.isEmpty() )
    args << "-a_srs" << wkt;
  if ( mOverrides.hasNodata )
    args << "-a_nodata" << nodata;
  std::vector<char *> argv;
  for ( QByteArray &a : args )
    argv.push_back( a.data() );
  argv.push_back( nullptr );
  GDALTranslateOptions *options = GDALTranslateOptionsNew( argv.data(), nullptr );
  if ( !options )
    return nullptr;
  // An empty name keeps the VRT in memory: nothing is written next to the source.
  GDALDatasetH vrt = GDALTranslate( "", static_cast<GDALDatasetH>( dataset ), options, nullptr );
  GDALTranslateOptionsFree( options );
  return vrt;
}

void RasterWindowReader::open( const QString &source )
{
  if ( GDALGetDriverCount() == 0 )
    GDALAllRegister();
  mSource = source;
  CPLErrorReset();
  mDataset = GDALOpenEx( source.toUtf8().constData(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr );
  if ( !mDataset )
  {
    mStatus = Status::error( QStringLiteral( "cannot open raster '%1': %2" ).arg( source, lastGdalError() ) );
    return;
  }
  if ( Status st = applyOverrides( mDataset, mSourceDataset ); !st )
  {
    mStatus = st;
    return;
  }
  GDALDatasetH ds = static_cast<GDALDatasetH>( mDataset );
  mWidth = GDALGetRasterXSize( ds );
  mHeight = GDALGetRasterYSize( ds );
  mBands = GDALGetRasterCount( ds );
  if ( GDALGetGeoTransform( ds, mTransform.c ) != CE_None )
    mTransform = GeoTransform(); // GDAL's default: pixel = map unit, y down
  mCrsWkt = QString::fromUtf8( GDALGetProjectionRef( ds ) );
  if ( mBands < 1 )
    mStatus = Status::error( QStringLiteral( "raster '%1' has no bands" ).arg( source ) );
}

QSize RasterWindowReader::nativeBlockSize( int band ) const
{
  if ( !mDataset || band < 1 || band > mBands )
    return QSize();
  int bx = 0, by = 0;
  GDALGetBlockSize( GDALGetRasterBand( static_cast<GDALDatasetH>( mDataset ), band ), &bx, &by );
  return QSize( bx, by );
}

bool RasterWindowReader::windowForExtent( const QgsRectangle &extent, PixelWindow &window ) const
{
  const double *g = mTransform.c;
  if ( g[2] != 0.0 || g[4] != 0.0 || g[1] == 0.0 || g[5] == 0.0 )
    return false;
  const double x0 = ( extent.xMinimum() - g[0] ) / g[1];
  const double x1 = ( extent.xMaximum() - g[0] ) / g[1];
  const double y0 = ( extent.yMaximum() - g[3] ) / g[5];
  const double y1 = ( extent.yMinimum() - g[3] ) / g[5];
  window = PixelWindow { std::min( x0, x1 ), std::min( y0, y1 ), std::fabs( x1 - x0 ), std::fabs( y1 - y0 ) };
  return true;
}

Status RasterWindowReader::read( const QList<int> &bands, const QgsRectangle &extent, const QSize &outSize, Resampling method,
                                 RasterArray &out ) const
{
  PixelWindow window;
  if ( !windowForExtent( extent, window ) )
    return Status::error( QStringLiteral( "the raster's geotransform is rotated: read it by pixel window" ) );
  return read( bands, window, outSize, method, out );
}

Status RasterWindowReader::checkBands( const QList<int> &bands ) const
{
  for ( int b : bands )
    if ( b < 1 || b > mBands )
      return Status::error( QStringLiteral( "band %1 does not exist: the raster has bands 1..%2" ).arg( b ).arg( mBands ) );
  return Status::ok();
}

QList<int> RasterWindowReader::bandsOrAll( const QList<int> &bands ) const
{
  QList<int> wanted = bands;
  if ( wanted.isEmpty() )
    for ( int b = 1; b <= mBands; ++b )
      wanted << b;
  return wanted;
}

void RasterWindowReader::snapToPixels( double x, double y, double w, double h, const QSize &limit, IoWindow &io )
{
  // GDAL reads whole pixels; the exact window goes in the extra argument too (see extraFor()).
  io.ix = static_cast<int>( std::floor( x ) );
  io.iy = static_cast<int>( std::floor( y ) );
  io.iw = std::max( 1, std::min( limit.width() - io.ix, static_cast<int>( std::ceil( x + w ) ) - io.ix ) );
  io.ih = std::max( 1, std::min( limit.height() - io.iy, static_cast<int>( std::ceil( y + h ) ) - io.iy ) );
  io.extra.bFloatingPointWindowValidity = x != io.ix || y != io.iy || w != io.iw || h != io.ih;
  io.extra.dfXOff = x;
  io.extra.dfYOff = y;
  io.extra.dfXSize = w;
  io.extra.dfYSize = h;
}

Status RasterWindowReader::prepare( const QList<int> &bands, const PixelWindow &window, const QSize &outSize, Resampling method,
                                    QList<int> &wanted, IoWindow &io ) const
{
  if ( !mStatus )
    return mStatus;
  wanted = bandsOrAll( bands );
  if ( Status st = checkBands( wanted ); !st )
    return st;
  return ioWindow( window, outSize, method, io );
}

Status RasterWindowReader::ioWindow( const PixelWindow &window, const QSize &outSize, Resampling method, IoWindow &io ) const
{
  if ( outSize.width() < 1 || outSize.height() < 1 )
    return Status::error( QStringLiteral( "the output size %1 x %2 is empty" ).arg( outSize.width() ).arg( outSize.height() ) );
  // A tolerance of a millionth of a pixel for windows computed from map extents.
  const double eps = 1e-6;
  if ( !( window.width > 0 && window.height > 0 && window.x >= -eps && window.y >= -eps && window.x + window.width <= mWidth + eps
          && window.y + window.height <= mHeight + eps ) )
    return Status::error( QStringLiteral( "window %1,%2 %3 x %4 is not inside the %5 x %6 raster" )
                            .arg( window.x ).arg( window.y ).arg( window.width ).arg( window.height ).arg( mWidth ).arg( mHeight ) );
  io.x = std::max( 0.0, window.x );
  io.y = std::max( 0.0, window.y );
  io.w = std::min( window.width, mWidth - io.x );
  io.h = std::min( window.height, mHeight - io.y );
  INIT_RASTERIO_EXTRA_ARG( io.extra );
  io.extra.eResampleAlg = rasterIoAlgorithm( method );
  snapToPixels( io.x, io.y, io.w, io.h, QSize( mWidth, mHeight ), io );
  return Status::ok();
}

Status RasterWindowReader::read( const QList<int> &bands, const PixelWindow &window, const QSize &outSize, Resampling method,
                                 RasterArray &out ) const
{
  // GDAL's own level choice, but the overview read here with the window snapped in its own
  // pixels: GDAL 3.6 rounds the whole-pixel window to the overview (12.5 -> 13) and then clips
  // the exact window to it, so the first output row and column lost their half-covered cells.
  return readBands( mDataset, levelRead( window, outSize ), bands, window, outSize, method, out );
}

void *RasterWindowReader::fullResolutionDataset( Status &status ) const
{
  if ( !mFullResolution )
  {
    const char *options[] = { "OVERVIEW_LEVEL=NONE", nullptr };
    mFullResolution = GDALOpenEx( mSource.toUtf8().constData(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, options, nullptr );
    if ( !mFullResolution )
    {
      status = Status::error( QStringLiteral( "cannot open '%1' without overviews: %2" ).arg( mSource, lastGdalError() ) );
      return nullptr;
    }
    if ( Status st = applyOverrides( mFullResolution, mFullResolutionSource ); !st )
    {
      status = st;
      return nullptr;
    }
  }
  return mFullResolution;
}

Status RasterWindowReader::levelDataset( int level, void *&dataset, int &datasetLevel ) const
{
  if ( !mStatus )
    return mStatus;
  if ( level >= overviewCount() || level < -1 )
    return Status::error( QStringLiteral( "overview %1 does not exist: the raster has %2 (0..%3, or -1 for the full resolution)" )
                            .arg( level ).arg( overviewCount() ).arg( overviewCount() - 1 ) );
  datasetLevel = level;
  if ( level >= 0 )
  {
    dataset = mDataset;
    return Status::ok();
  }
  Status st;
  dataset = fullResolutionDataset( st );
  return dataset ? Status::ok() : st;
}

Status RasterWindowReader::readLevel( int level, const QList<int> &bands, const PixelWindow &window, const QSize &outSize, Resampling method,
                                      RasterArray &out ) const
{
  void *dataset = nullptr;
  int datasetLevel = -1;
  if ( Status st = levelDataset( level, dataset, datasetLevel ); !st )
    return st;
  return readBands( dataset, datasetLevel, bands, window, outSize, method, out );
}

RasterWindowReader::IoWindow RasterWindowReader::onLevel( int level, const IoWindow &io ) const
{
  IoWindow source = io;
  if ( level >= 0 )
  {
    // GDAL's own scaling (GDALBandGetBestOverviewLevel2): raster size / overview size per axis.
    const QSize ov = overviewSize( level );
    const double fx = double( ov.width() ) / mWidth, fy = double( ov.height() ) / mHeight;
    const PixelWindow scaled { io.x * fx, io.y * fy, std::min( io.w * fx, ov.width() - io.x * fx ), std::min( io.h * fy, ov.height() - io.y * fy ) };
    snapToPixels( scaled.x, scaled.y, scaled.width, scaled.height, ov, source );
  }
  return source;
}

Status RasterWindowReader::readBands( void *dataset, int level, const QList<int> &bands, const PixelWindow &window, const QSize &outSize,
                                      Resampling method, RasterArray &out ) const
{
  QList<int> wanted;
  IoWindow io;
  if ( Status st = prepare( bands, window, outSize, method, wanted, io ); !st )
    return st;
  // An overview: the same window in its pixels (fractional), read from its band.
  const IoWindow source = onLevel( level, io );
  try
  {
    out.values.assign( static_cast<size_t>( wanted.size() ) * outSize.width() * outSize.height(), 0.0 );
  }
  catch ( const std::bad_alloc & )
  {
    return Status::error( QStringLiteral( "out of memory for a %1 x %2 x %3 read" ).arg( outSize.width() ).arg( outSize.height() ).arg( wanted.size() ) );
  }
  if ( Status st = rasterIo( dataset, level, wanted, source, outSize, GDT_Float64, out.values.data() ); !st )
    return st;
  out.width = outSize.width();
  out.height = outSize.height();
  out.bands = wanted;
  out.crsWkt = mCrsWkt;
  // The returned grid: the window's corner, pixels scaled by window / output size.
  const double *g = mTransform.c;
  const double sx = io.w / outSize.width(), sy = io.h / outSize.height();
  out.transform.c[0] = g[0] + io.x * g[1] + io.y * g[2];
  out.transform.c[1] = g[1] * sx;
  out.transform.c[2] = g[2] * sy;
  out.transform.c[3] = g[3] + io.x * g[4] + io.y * g[5];
  out.transform.c[4] = g[4] * sx;
  out.transform.c[5] = g[5] * sy;
  return Status::ok();
}

GDALRasterIOExtraArg RasterWindowReader::extraFor( const IoWindow &io, const QSize &outSize )
{
  // The exact window goes to GDAL for every resampled read, whole-pixel ones too, as rasterio and
  // QGIS's provider pass it: without it GDAL 3.6 rounds a whole-pixel window to whole pixels of
  // an overview it picks itself (a VRT's sources do), (100, 1000) at 1/8 becoming (13, 125).
  // A whole-pixel window read 1:1 keeps the integer request: GDAL's VRT sources take a slower,
  // resampling path for floating-point windows (4 x slower streaming of a mosaic).
  GDALRasterIOExtraArg extra = io.extra;
  extra.bFloatingPointWindowValidity = io.extra.bFloatingPointWindowValidity || outSize != QSize( io.iw, io.ih );
  return extra;
}

Status RasterWindowReader::rasterIo( void *dataset, int level, const QList<int> &bands, const IoWindow &source, const QSize &outSize,
                                     GDALDataType type, void *data ) const
{
  const size_t bandBytes = static_cast<size_t>( outSize.width() ) * outSize.height() * GDALGetDataTypeSizeBytes( type );
  for ( int i = 0; i < bands.size(); ++i )
  {
    CPLErrorReset();
    GDALRasterBandH band = GDALGetRasterBand( static_cast<GDALDatasetH>( dataset ), bands[i] );
    if ( level >= 0 )
      band = GDALGetOverview( band, level );
    GDALRasterIOExtraArg extra = extraFor( source, outSize );
    if ( !band || GDALRasterIOEx( band, GF_Read, source.ix, source.iy, source.iw, source.ih, static_cast<char *>( data ) + i * bandBytes,
                                  outSize.width(), outSize.height(), type, 0, 0, &extra ) != CE_None )
      return Status::error( QStringLiteral( "reading band %1, pixels %2,%3 %4 x %5 failed: %6" )
                              .arg( bands[i] ).arg( source.ix ).arg( source.iy ).arg( source.iw ).arg( source.ih ).arg( lastGdalError() ) );
  }
  return Status::ok();
}

Status RasterWindowReader::readFloat32( const QList<int> &bands, const PixelWindow &window, std::vector<float> &out ) const
{
  QList<int> wanted;
  IoWindow io;
  const QSize size( static_cast<int>( std::lround( window.width ) ), static_cast<int>( std::lround( window.height ) ) );
  if ( Status st = prepare( bands, window, size, Resampling::Nearest, wanted, io ); !st )
    return st;
  try
  {
    out.resize( static_cast<size_t>( wanted.size() ) * size.width() * size.height() );
  }
  catch ( const std::bad_alloc & )
  {
    return Status::error( QStringLiteral( "out of memory for a %1 x %2 x %3 read" ).arg( size.width() ).arg( size.height() ).arg( wanted.size() ) );
  }
  return rasterIo( mDataset, -1, wanted, io, size, GDT_Float32, out.data() );
}

GDALDataType RasterWindowReader::dataType( int band ) const
{
  if ( !mDataset || band < 1 || band > mBands )
    return GDT_Unknown;
  return GDALGetRasterDataType( GDALGetRasterBand( static_cast<GDALDatasetH>( mDataset ), band ) );
}

Status RasterWindowReader::readMask( const QList<int> &bands, const PixelWindow &window, const QSize &outSize, Resampling method,
                                     std::vector<uint8_t> &alpha ) const
{
  return readMasks( mDataset, levelRead( window, outSize ), bands, window, outSize, method, alpha );
}

Status RasterWindowReader::readMaskLevel( int level, const QList<int> &bands, const PixelWindow &window, const QSize &outSize,
                                          Resampling method, std::vector<uint8_t> &alpha ) const
{
  void *dataset = nullptr;
  int datasetLevel = -1;
  if ( Status st = levelDataset( level, dataset, datasetLevel ); !st )
    return st;
  return readMasks( dataset, datasetLevel, bands, window, outSize, method, alpha );
}

Status RasterWindowReader::readMasks( void *dataset, int level, const QList<int> &bands, const PixelWindow &window, const QSize &outSize,
                                      Resampling method, std::vector<uint8_t> &alpha ) const
{
  QList<int> wanted;
  IoWindow io;
  if ( Status st = prepare( bands, window, outSize, method, wanted, io ); !st )
    return st;
  IoWindow source = onLevel( level, io );
  const size_t pixels = static_cast<size_t>( outSize.width() ) * outSize.height();
  std::vector<uint8_t> mask( pixels );
  alpha.assign( pixels, 255 );
  // Several bands' masks are the same band when the mask is per dataset: read it once.
  QList<GDALRasterBandH> seen;
  for ( int b : wanted )
  {
    GDALRasterBandH band = GDALGetRasterBand( static_cast<GDALDatasetH>( dataset ), b );
    if ( level >= 0 )
      band = band ? GDALGetOverview( band, level ) : nullptr;
    GDALRasterBandH maskBand = band ? GDALGetMaskBand( band ) : nullptr;
    if ( !maskBand || seen.contains( maskBand ) )
      continue;
    seen << maskBand;
    CPLErrorReset();
    GDALRasterIOExtraArg extra = extraFor( source, outSize );
    if ( GDALRasterIOEx( maskBand, GF_Read, source.ix, source.iy, source.iw, source.ih, mask.data(), outSize.width(), outSize.height(),
                         GDT_Byte, 0, 0, &extra ) != CE_None )
      return Status::error( QStringLiteral( "reading the mask of band %1 failed: %2" ).arg( b ).arg( lastGdalError() ) );
    for ( size_t p = 0; p < pixels; ++p )
      alpha[p] = std::min( alpha[p], mask[p] );
  }
  return Status::ok();
}

int RasterWindowReader::overviewCount() const
{
  return mDataset && mBands > 0 ? GDALGetOverviewCount( GDALGetRasterBand( static_cast<GDALDatasetH>( mDataset ), 1 ) ) : 0;
}

QSize RasterWindowReader::overviewSize( int level ) const
{
  if ( level < 0 )
    return QSize( mWidth, mHeight );
  if ( level >= overviewCount() )
    return QSize();
  GDALRasterBandH ov = GDALGetOverview( GDALGetRasterBand( static_cast<GDALDatasetH>( mDataset ), 1 ), level );
  return QSize( GDALGetRasterBandXSize( ov ), GDALGetRasterBandYSize( ov ) );
}

int RasterWindowReader::bestOverview( double target ) const
{
  int best = -1;
  double bestFactor = 0.0;
  GDALRasterBandH band = mDataset && mBands > 0 ? GDALGetRasterBand( static_cast<GDALDatasetH>( mDataset ), 1 ) : nullptr;
  for ( int level = 0; level < overviewCount(); ++level )
  {
    GDALRasterBandH ov = GDALGetOverview( band, level );
    const QSize size = overviewSize( level );
    if ( !ov || size.width() > mWidth || size.height() > mHeight )
      continue;
    const double factor = std::min( double( mWidth ) / size.width(), double( mHeight ) / size.height() );
    if ( factor >= 1.2 * target || factor <= bestFactor )
      continue;
    // GDAL leaves AVERAGE_BIT2GRAYSCALE overviews out of RasterIO.
    const char *resampling = GDALGetMetadataItem( ov, "RESAMPLING", nullptr );
    if ( resampling && QByteArray( resampling ).toUpper().startsWith( "AVERAGE_BIT2" ) )
      continue;
    best = level;
    bestFactor = factor;
  }
  return best;
}

int RasterWindowReader::selectOverviewLevel( double targetResolution ) const
{
  const double px = std::hypot( mTransform.c[1], mTransform.c[4] ), py = std::hypot( mTransform.c[2], mTransform.c[5] );
  if ( !( targetResolution > 0 ) || px <= 0 || py <= 0 )
    return -1;
  // The finer-ratio axis sets the target factor, as GDALBandGetBestOverviewLevel2 does.
  const double target = std::min( targetResolution / px, targetResolution / py );
  if ( target <= 1.0 )
    return -1;
  return bestOverview( target );
}

int RasterWindowReader::levelRead( const PixelWindow &window, const QSize &outSize ) const
{
  IoWindow io;
  if ( !mStatus || !ioWindow( window, outSize, Resampling::Nearest, io ) )
    return -1;
  // GDAL looks at overviews only when the buffer is smaller than the window on some axis.
  if ( !( outSize.width() < io.iw || outSize.height() < io.ih ) || overviewCount() == 0 )
    return -1;
  const double rx = double( io.iw ) / outSize.width(), ry = double( io.ih ) / outSize.height();
  return bestOverview( rx < ry || outSize.height() == 1 ? rx : ry );
}

int RasterWindowReader::maskFlags( int band ) const
{
  if ( !mDataset || band < 1 || band > mBands )
    return 0;
  return GDALGetMaskFlags( GDALGetRasterBand( static_cast<GDALDatasetH>( mDataset ), band ) );
}

std::vector<PixelWindow> RasterWindowReader::blocks( const QSize &chunk ) const
{
  std::vector<PixelWindow> windows;
  const QSize native = nativeBlockSize( 1 );
  if ( !mStatus || native.isEmpty() )
    return windows;
  // Whole native blocks per chunk, at least one.
  const int bw = native.width() * std::max( 1, ( std::max( chunk.width(), 1 ) + native.width() - 1 ) / native.width() );
  const int bh = native.height() * std::max( 1, ( std::max( chunk.height(), 1 ) + native.height() - 1 ) / native.height() );
  for ( int y = 0; y < mHeight; y += bh )
    for ( int x = 0; x < mWidth; x += bw )
      windows.push_back( PixelWindow { double( x ), double( y ), double( std::min( bw, mWidth - x ) ), double( std::min( bh, mHeight - y ) ) } );
  return windows;
}

} // namespace gridshade
