// SPDX-License-Identifier: GPL-2.0-or-later
#include "points_file.h"

#include <QFile>
#include <QFileInfo>
#include <QTextStream>
#include <QtEndian>

#include <cmath>
#include <limits>

namespace gridshade
{

namespace
{

Status readRaw( const QString &path, PointColumns &out )
{
  QFile f( path );
  if ( !f.open( QIODevice::ReadOnly ) )
    return Status::error( QStringLiteral( "cannot open points file '%1': %2" ).arg( path, f.errorString() ) );
  const qint64 size = f.size();
  if ( size % 16 != 0 )
    return Status::error( QStringLiteral( "raw points file '%1' has %2 bytes, not a multiple of 16 (float64 x, y pairs): is it really raw float64?" )
                            .arg( path )
                            .arg( size ) );
  const size_t n = static_cast<size_t>( size / 16 );
  std::vector<double> xy( 2 * n );
  if ( n && f.read( reinterpret_cast<char *>( xy.data() ), size ) != size )
    return Status::error( QStringLiteral( "could not read all of '%1': %2" ).arg( path, f.errorString() ) );
  std::vector<double> x( n ), y( n );
  for ( size_t i = 0; i < n; ++i )
  {
    x[i] = qFromLittleEndian( xy[2 * i] );
    y[i] = qFromLittleEndian( xy[2 * i + 1] );
  }
  out = PointColumns::owned( std::move( x ), std::move( y ) );
  return Status::ok();
}

double parseNumber( const QString &cell )
{
  bool ok = false;
  const double v = cell.trimmed().toDouble( &ok );
  return ok ? v : std::numeric_limits<double>::quiet_NaN();
}

Status readCsv( const QString &path, PointColumns &out, const PointsFile::CsvColumns &columns )
{
  QFile f( path );
  if ( !f.open( QIODevice::ReadOnly | QIODevice::Text ) )
    return Status::error( QStringLiteral( "cannot open points file '%1': %2" ).arg( path, f.errorString() ) );
  QTextStream in( &f );
  const QStringList header = in.readLine().split( QLatin1Char( ',' ) );
  auto column = [&]( const QString &name ) {
    for ( int i = 0; i < header.size(); ++i )
      if ( header[i].trimmed().compare( name, Qt::CaseInsensitive ) == 0 )
        return i;
    return -1;
  };
  const int cx = column( columns.x ), cy = column( columns.y );
  const int cv = columns.value.isEmpty() ? -2 : column( columns.value );
  const int cc = columns.category.isEmpty() ? -2 : column( columns.category );
  for ( const auto &[index, name] : { std::pair<int, QString>( cx, columns.x ), { cy, columns.y }, { cv, columns.value }, { cc, columns.category } } )
    if ( index == -1 )
      return Status::error( QStringLiteral( "CSV '%1' has no column '%2' (columns: %3)" ).arg( path, name, header.join( QStringLiteral( ", " ) ) ) );
  std::vector<double> x, y, v;
  std::vector<int32_t> cat;
  int categoryCount = 0;
  while ( !in.atEnd() )
  {
    const QString line = in.readLine();
    if ( line.trimmed().isEmpty() )
      continue;
    const QStringList cells = line.split( QLatin1Char( ',' ) );
    auto cell = [&]( int i ) { return i >= 0 && i < cells.size() ? cells[i] : QString(); };
    x.push_back( parseNumber( cell( cx ) ) );
    y.push_back( parseNumber( cell( cy ) ) );
    if ( cv >= 0 )
      v.push_back( parseNumber( cell( cv ) ) );
    if ( cc >= 0 )
    {
      bool ok = false;
      const int c = cell( cc ).trimmed().toInt( &ok );
      cat.push_back( ok ? c : -1 );
      if ( ok && c >= categoryCount )
        categoryCount = c + 1;
    }
  }
  out = PointColumns::owned( std::move( x ), std::move( y ) );
  if ( cv >= 0 )
    out.setValues( std::move( v ) );
  if ( cc >= 0 )
    out.setCategories( std::move( cat ), categoryCount );
  return Status::ok();
}

} // namespace

Status PointsFile::read( const QString &path, PointColumns &out, const CsvColumns &columns )
{
  if ( !QFileInfo::exists( path ) )
    return Status::error( QStringLiteral( "points file '%1' does not exist" ).arg( path ) );
  const QString suffix = QFileInfo( path ).suffix().toLower();
  if ( suffix == QLatin1String( "csv" ) )
    return readCsv( path, out, columns );
  if ( suffix == QLatin1String( "bin" ) || suffix == QLatin1String( "f64" ) || suffix == QLatin1String( "raw" ) )
    return readRaw( path, out );
  return Status::error( QStringLiteral( "unknown points file type '.%1' for '%2': use .csv or raw float64 x,y pairs (.bin, .f64, .raw)" ).arg( suffix, path ) );
}

Status PointsFile::writeRaw( const QString &path, const PointColumns &points )
{
  QFile f( path );
  if ( !f.open( QIODevice::WriteOnly | QIODevice::Truncate ) )
    return Status::error( QStringLiteral( "cannot write points file '%1': %2" ).arg( path, f.errorString() ) );
  constexpr size_t CHUNK = 1 << 16;
  std::vector<double> xy( 2 * CHUNK );
  for ( size_t b = 0; b < points.size(); b += CHUNK )
  {
    const size_t n = std::min( CHUNK, points.size() - b );
    for ( size_t i = 0; i < n; ++i )
    {
      xy[2 * i] = qToLittleEndian( points.x()[b + i] );
      xy[2 * i + 1] = qToLittleEndian( points.y()[b + i] );
    }
    const qint64 bytes = static_cast<qint64>( n * 16 );
    if ( f.write( reinterpret_cast<const char *>( xy.data() ), bytes ) != bytes )
      return Status::error( QStringLiteral( "could not write '%1': %2" ).arg( path, f.errorString() ) );
  }
  return Status::ok();
}

} // namespace gridshade
