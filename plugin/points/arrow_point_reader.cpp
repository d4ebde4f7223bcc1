// SPDX-License-Identifier: GPL-2.0-or-later
#include "arrow_point_reader.h"

#include "point_accumulator.h"

#include <qgsfeedback.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_recordbatch.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

namespace gridshade
{

namespace
{

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

struct DatasetCloser
{
    void operator()( void *ds ) const { GDALClose( ds ); }
};

bool isNull( const ArrowArray *a, int64_t i )
{
  const auto *validity = static_cast<const uint8_t *>( a->buffers[0] );
  if ( !validity || a->null_count == 0 )
    return false;
  const int64_t j = i + a->offset;
  return !( validity[j >> 3] & ( 1 << ( j & 7 ) ) );
}

template<typename T>
T readAs( const uint8_t *p, bool littleEndian )
{
  T v;
  std::memcpy( &v, p, sizeof( T ) );
  if ( littleEndian != ( Q_BYTE_ORDER == Q_LITTLE_ENDIAN ) )
  {
    uint8_t *b = reinterpret_cast<uint8_t *>( &v );
    std::reverse( b, b + sizeof( T ) );
  }
  return v;
}

/*
 * WKB point or multipoint (ISO and EWKB type codes):
 *
 *   [order:1][type:4]([srid:4])[x:8][y:8]...            point
 *   [order:1][type:4]([srid:4])[n:4] n x <point wkb>    multipoint
 *
 * Calls add(x, y) per point; returns false for any other geometry.
 */
template<typename Add>
bool decodeWkb( const uint8_t *p, size_t size, Add add, int depth = 0 )
{
  if ( size < 5 || depth > 1 )
    return false;
  const bool little = p[0] == 1;
  uint32_t type = readAs<uint32_t>( p + 1, little );
  size_t offset = 5;
  if ( type & 0x20000000u )
    offset += 4; // EWKB SRID
  type &= 0x0FFFFFFFu;
  const uint32_t base = type % 1000;
  if ( base == 1 && size >= offset + 16 )
  {
    add( readAs<double>( p + offset, little ), readAs<double>( p + offset + 8, little ) );
    return true;
  }
  if ( base == 4 && size >= offset + 4 )
  {
    const uint32_t n = readAs<uint32_t>( p + offset, little );
    const size_t dims = ( type & 0xC0000000u ) ? 2 + ( ( type >> 30 ) & 1 ) + ( ( type >> 31 ) & 1 ) : ( type / 1000 == 0 ? 2 : ( type / 1000 == 3 ? 4 : 3 ) );
    const size_t partSize = 5 + 8 * dims;
    offset += 4;
    for ( uint32_t i = 0; i < n && offset + partSize <= size; ++i, offset += partSize )
      decodeWkb( p + offset, partSize, add, depth + 1 );
    return true;
  }
  return false;
}

double numberAt( const ArrowSchema *schema, const ArrowArray *a, int64_t i )
{
  if ( isNull( a, i ) )
    return NaN;
  const int64_t j = i + a->offset;
  const void *data = a->buffers[1];
  switch ( schema->format[0] )
  {
    case 'g': return static_cast<const double *>( data )[j];
    case 'f': return static_cast<const float *>( data )[j];
    case 'i': return static_cast<const int32_t *>( data )[j];
    case 'l': return static_cast<double>( static_cast<const int64_t *>( data )[j] );
    case 's': return static_cast<const int16_t *>( data )[j];
    case 'c': return static_cast<const int8_t *>( data )[j];
    case 'b': return ( static_cast<const uint8_t *>( data )[j >> 3] >> ( j & 7 ) ) & 1;
    default: return NaN;
  }
}

QString labelAt( const ArrowSchema *schema, const ArrowArray *a, int64_t i )
{
  if ( isNull( a, i ) )
    return QString();
  if ( schema->format[0] == 'u' )
  {
    const int32_t *offsets = static_cast<const int32_t *>( a->buffers[1] );
    const char *chars = static_cast<const char *>( a->buffers[2] );
    const int64_t j = i + a->offset;
    return QString::fromUtf8( chars + offsets[j], offsets[j + 1] - offsets[j] );
  }
  const double v = numberAt( schema, a, i );
  return std::isnan( v ) ? QString() : QString::number( v, 'g', 17 );
}

int childNamed( const ArrowSchema &schema, const QString &name )
{
  for ( int64_t c = 0; c < schema.n_children; ++c )
    if ( QString::fromUtf8( schema.children[c]->name ) == name )
      return static_cast<int>( c );
  return -1;
}

struct Columns
{
    int geometry = -1;
    int value = -1;    //!< -1: none
    int category = -1; //!< -1: none
};

//! Adds the points of one batch to \a out; false where \a out refuses one (the category limit).
bool readBatch( const ArrowSchema &schema, const ArrowArray &batch, const Columns &columns, PointAccumulator &out, uint64_t &features,
                uint64_t &missingGeometry )
{
  const ArrowArray *geom = batch.children[columns.geometry];
  const int32_t *offsets = static_cast<const int32_t *>( geom->buffers[1] );
  const uint8_t *wkb = static_cast<const uint8_t *>( geom->buffers[2] );
  bool refused = false;
  for ( int64_t i = 0; i < batch.length && !refused; ++i )
  {
    ++features;
    const double value = columns.value >= 0 ? numberAt( schema.children[columns.value], batch.children[columns.value], i ) : NaN;
    const QString label = columns.category >= 0 ? labelAt( schema.children[columns.category], batch.children[columns.category], i ) : QString();
    const int64_t j = i + geom->offset;
    const bool decoded = !isNull( geom, i )
                         && decodeWkb( wkb + offsets[j], static_cast<size_t>( offsets[j + 1] - offsets[j] ),
                                       [&]( double x, double y ) { refused = refused || !out.add( x, y, value, label ); } );
    if ( !decoded )
      ++missingGeometry;
  }
  return !refused;
}

} // namespace

Status ArrowPointReader::read( const Source &source, const QString &valueField, const QString &categoryField, QgsFeedback *feedback,
                               uint64_t expectedFeatures, PointAccumulator &out, uint64_t &features, uint64_t &missingGeometry )
{
  std::unique_ptr<void, DatasetCloser> ds( GDALOpenEx( source.path.toUtf8().constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr ) );
  if ( !ds )
    return Status::error( QStringLiteral( "GDAL cannot open '%1'" ).arg( source.path ) );
  OGRLayerH layer = source.layerName.isEmpty() ? GDALDatasetGetLayer( ds.get(), source.layerIndex )
                                               : GDALDatasetGetLayerByName( ds.get(), source.layerName.toUtf8().constData() );
  if ( !layer )
    return Status::error( QStringLiteral( "no layer '%1' in '%2'" ).arg( source.layerName, source.path ) );
  if ( !source.subset.isEmpty() && OGR_L_SetAttributeFilter( layer, source.subset.toUtf8().constData() ) != OGRERR_NONE )
    return Status::error( QStringLiteral( "OGR rejects the filter '%1'" ).arg( source.subset ) );
  // Read only the fields we need (the geometry always comes along).
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn( layer );
  std::vector<QByteArray> ignoredNames;
  for ( int f = 0; f < OGR_FD_GetFieldCount( defn ); ++f )
  {
    const QString name = QString::fromUtf8( OGR_Fld_GetNameRef( OGR_FD_GetFieldDefn( defn, f ) ) );
    if ( name != valueField && name != categoryField )
      ignoredNames.push_back( name.toUtf8() );
  }
  std::vector<const char *> ignored;
  for ( const QByteArray &n : ignoredNames )
    ignored.push_back( n.constData() );
  ignored.push_back( nullptr );
  OGR_L_SetIgnoredFields( layer, ignored.data() );

  const char *options[] = { "INCLUDE_FID=YES", "MAX_FEATURES_IN_BATCH=65536", nullptr };
  ArrowArrayStream stream;
  if ( !OGR_L_GetArrowStream( layer, &stream, const_cast<char **>( options ) ) )
    return Status::error( QStringLiteral( "GDAL offers no Arrow stream for '%1'" ).arg( source.path ) );
  std::unique_ptr<ArrowArrayStream, void ( * )( ArrowArrayStream * )> streamGuard( &stream, []( ArrowArrayStream *s ) { s->release( s ); } );
  ArrowSchema schema;
  if ( stream.get_schema( &stream, &schema ) != 0 )
    return Status::error( QStringLiteral( "Arrow schema error: %1" ).arg( QString::fromUtf8( stream.get_last_error( &stream ) ) ) );
  std::unique_ptr<ArrowSchema, void ( * )( ArrowSchema * )> schemaGuard( &schema, []( ArrowSchema *s ) { s->release( s ); } );
  const char *geomName = OGR_L_GetGeometryColumn( layer );
  int geomColumn = childNamed( schema, QString::fromUtf8( geomName && *geomName ? geomName : "wkb_geometry" ) );
  for ( int64_t c = 0; geomColumn < 0 && c < schema.n_children; ++c )
    if ( schema.children[c]->format[0] == 'z' )
      geomColumn = static_cast<int>( c );
  const int valueColumn = valueField.isEmpty() ? -1 : childNamed( schema, valueField );
  const int categoryColumn = categoryField.isEmpty() ? -1 : childNamed( schema, categoryField );
  if ( geomColumn < 0 || std::strcmp( schema.children[geomColumn]->format, "z" ) != 0 || ( !valueField.isEmpty() && valueColumn < 0 )
       || ( !categoryField.isEmpty() && categoryColumn < 0 ) )
    return Status::error( QStringLiteral( "unexpected Arrow schema for '%1'" ).arg( source.path ) );

  for ( ;; )
  {
    if ( feedback && feedback->isCanceled() )
      return Status::error( QStringLiteral( "point cache build cancelled" ) );
    ArrowArray batch;
    if ( stream.get_next( &stream, &batch ) != 0 )
      return Status::error( QStringLiteral( "Arrow stream error: %1" ).arg( QString::fromUtf8( stream.get_last_error( &stream ) ) ) );
    if ( !batch.release )
      break;
    std::unique_ptr<ArrowArray, void ( * )( ArrowArray * )> batchGuard( &batch, []( ArrowArray *a ) { a->release( a ); } );
    if ( !readBatch( schema, batch, { geomColumn, valueColumn, categoryColumn }, out, features, missingGeometry ) )
      return Status::error( QStringLiteral( "too many categories in '%1'" ).arg( categoryField ) );
    if ( feedback && expectedFeatures > 0 )
      feedback->setProgress( std::min( 85.0, 85.0 * features / expectedFeatures ) ); // the build's reading share
  }
  return Status::ok();
}

} // namespace gridshade
