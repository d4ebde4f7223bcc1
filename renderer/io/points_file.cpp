// SPDX-License-Identifier: GPL-2.0-or-later
#include "points_file.h"

#include <QFile>
#include <QFileInfo>
#include <QTextStream>
#include <QtEndian>

#include <algorithm>
#include <cmath>
#include <limits>

namespace gridshade
{

namespace
{

Status readRaw( const QString &path, PointColumns &out, PointsReadReport &report )
{
  QFile f( path );
  if ( !f.open( QIODevice::ReadOnly ) )
    return Status::error( QStringLiteral( "cannot open points file '%1': %2" ).arg( path, f.errorString() ) );
  const qint64 size = f.size();
  report.malformed = size % 16 != 0;
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

// A number, or the empty cell / nan / inf that are numbers too (not finite); false for other text.
bool parseNumber( const QString &cell, double &value )
{
  const QString text = cell.trimmed();
  if ( text.isEmpty() )
  {
    value = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  bool ok = false;
  value = text.toDouble( &ok );
  return ok;
}

struct CsvLayout
{
    int x = -1, y = -1, value = -2, category = -2; // -2: not asked for
    int needed = 0;                                // cells a row must have
};

// Parses one data row into the columns; false and \a why when it is malformed.
bool parseRow( const QString &line, const CsvLayout &layout, double &x, double &y, double &v, int &c, QString &why )
{
  const QStringList cells = line.split( QLatin1Char( ',' ) );
  if ( cells.size() < layout.needed )
  {
    why = QStringLiteral( "%1 cell(s), %2 needed" ).arg( cells.size() ).arg( layout.needed );
    return false;
  }
  const std::pair<int, double *> numbers[] = { { layout.x, &x }, { layout.y, &y }, { layout.value, &v } };
  for ( const auto &[index, target] : numbers )
    if ( index >= 0 && !parseNumber( cells[index], *target ) )
    {
      why = QStringLiteral( "cell %1 '%2' is not a number" ).arg( index + 1 ).arg( cells[index].trimmed() );
      return false;
    }
  c = -1;
  if ( layout.category >= 0 && !cells[layout.category].trimmed().isEmpty() )
  {
    bool ok = false;
    c = cells[layout.category].trimmed().toInt( &ok );
    if ( !ok || c < 0 )
    {
      why = QStringLiteral( "category cell %1 '%2' is not an integer >= 0" ).arg( layout.category + 1 ).arg( cells[layout.category].trimmed() );
      return false;
    }
  }
  return true;
}

Status readCsv( const QString &path, PointColumns &out, const PointsFile::CsvColumns &columns, PointsReadReport &report )
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
  CsvLayout layout;
  layout.x = column( columns.x );
  layout.y = column( columns.y );
  layout.value = columns.value.isEmpty() ? -2 : column( columns.value );
  layout.category = columns.category.isEmpty() ? -2 : column( columns.category );
  for ( const auto &[index, name] : { std::pair<int, QString>( layout.x, columns.x ), { layout.y, columns.y }, { layout.value, columns.value }, { layout.category, columns.category } } )
    if ( index == -1 )
      return Status::error( QStringLiteral( "CSV '%1' has no column '%2' (columns: %3)" ).arg( path, name, header.join( QStringLiteral( ", " ) ) ) );
  layout.needed = std::max( { layout.x, layout.y, layout.value, layout.category } ) + 1;
  std::vector<double> x, y, v;
  std::vector<int32_t> cat;
  int categoryCount = 0;
  qint64 lineNumber = 1;
  while ( !in.atEnd() )
  {
    const QString line = in.readLine();
    ++lineNumber;
    if ( line.trimmed().isEmpty() )
      continue;
    double px = 0, py = 0, pv = 0;
    int pc = -1;
    QString why;
    if ( !parseRow( line, layout, px, py, pv, pc, why ) )
    {
      if ( !columns.skipBadRows )
      {
        report.malformed = true;
        return Status::error( QStringLiteral( "%1, line %2: %3: '%4' (use --skip-bad-rows to leave such rows out)" ).arg( path ).arg( lineNumber ).arg( why, line.left( 200 ) ) );
      }
      ++report.skippedRows;
      if ( report.firstSkippedLines.size() < PointsReadReport::FIRST_LINES )
        report.firstSkippedLines << lineNumber;
      continue;
    }
    x.push_back( px );
    y.push_back( py );
    if ( layout.value >= 0 )
      v.push_back( pv );
    if ( layout.category >= 0 )
    {
      cat.push_back( pc );
      categoryCount = std::max( categoryCount, pc + 1 );
    }
  }
  out = PointColumns::owned( std::move( x ), std::move( y ) );
  if ( layout.value >= 0 )
    out.setValues( std::move( v ) );
  if ( layout.category >= 0 )
    out.setCategories( std::move( cat ), categoryCount );
  return Status::ok();
}

} // namespace

Status PointsFile::read( const QString &path, PointColumns &out, const CsvColumns &columns, PointsReadReport *report )
{
  PointsReadReport local;
  PointsReadReport &r = report ? *report : local;
  r = PointsReadReport();
  if ( !QFileInfo::exists( path ) )
    return Status::error( QStringLiteral( "points file '%1' does not exist" ).arg( path ) );
  const QString suffix = QFileInfo( path ).suffix().toLower();
  if ( suffix == QLatin1String( "csv" ) )
    return readCsv( path, out, columns, r );
  if ( suffix == QLatin1String( "bin" ) || suffix == QLatin1String( "f64" ) || suffix == QLatin1String( "raw" ) )
    return readRaw( path, out, r );
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
