// SPDX-License-Identifier: GPL-2.0-or-later
#include "render_record.h"

#include <QStringList>

#include <algorithm>

namespace gridshade
{

namespace
{
// The renderer stores counts as qulonglong and times as double, older maps used int; any
// numeric QVariant converts. A missing or non-numeric key keeps the "not known" default.
double number( const QVariantMap &stats, const QString &key, double fallback )
{
  const QVariant v = stats.value( key );
  if ( !v.isValid() )
    return fallback;
  bool ok = false;
  const double d = v.toDouble( &ok );
  return ok ? d : fallback;
}

qlonglong count( const QVariantMap &stats, const QString &key )
{
  const double d = number( stats, key, -1 );
  return d >= 0 ? static_cast<qlonglong>( d + 0.5 ) : -1;
}

QString msField( double ms )
{
  return ms >= 0 ? QString::number( ms, 'f', 3 ) : QString();
}

QString countField( qlonglong n )
{
  return n >= 0 ? QString::number( n ) : QString();
}

// RFC 4180: a field with a separator, quote or line break is quoted, inner quotes doubled.
QString textField( const QString &text )
{
  if ( !text.contains( QLatin1Char( ',' ) ) && !text.contains( QLatin1Char( '"' ) ) && !text.contains( QLatin1Char( '\n' ) ) && !text.contains( QLatin1Char( '\r' ) ) )
    return text;
  QString quoted = text;
  quoted.replace( QLatin1String( "\"" ), QLatin1String( "\"\"" ) );
  return QLatin1Char( '"' ) + quoted + QLatin1Char( '"' );
}
} // namespace

RenderRecord RenderRecord::fromStats( const QVariantMap &stats )
{
  RenderRecord r;
  r.time = QDateTime::currentDateTime();
  r.source = stats.value( QStringLiteral( "source" ) ).toString();
  r.tag = stats.value( QStringLiteral( "tag" ) ).toString();
  r.backend = stats.value( QStringLiteral( "backend" ) ).toString();
  r.device = stats.value( QStringLiteral( "device" ) ).toString();
  r.backendNote = stats.value( QStringLiteral( "backendNote" ) ).toString();
  r.softwareDevice = stats.value( QStringLiteral( "softwareDevice" ) ).toBool();
  r.width = static_cast<int>( number( stats, QStringLiteral( "width" ), 0 ) );
  r.height = static_cast<int>( number( stats, QStringLiteral( "height" ), 0 ) );
  r.cacheMs = number( stats, QStringLiteral( "cacheMs" ), -1 );
  r.aggregateMs = number( stats, QStringLiteral( "aggregateMs" ), -1 );
  r.readMs = number( stats, QStringLiteral( "readMs" ), -1 );
  r.regridMs = number( stats, QStringLiteral( "regridMs" ), -1 );
  r.shadeMs = number( stats, QStringLiteral( "shadeMs" ), -1 );
  r.drawMs = number( stats, QStringLiteral( "drawMs" ), -1 );
  r.pointsTotal = count( stats, QStringLiteral( "pointsTotal" ) );
  r.pointsInView = count( stats, QStringLiteral( "pointsInView" ) );
  const qlonglong resident = count( stats, QStringLiteral( "gpuResidentBytes" ) );
  const qlonglong work = count( stats, QStringLiteral( "gpuWorkBytes" ) );
  if ( resident >= 0 || work >= 0 )
    r.gpuBytes = std::max( resident, 0LL ) + std::max( work, 0LL );
  return r;
}

QVector<QPair<QString, double>> RenderRecord::stages() const
{
  if ( isRaster() )
    return { { QStringLiteral( "read" ), readMs }, { QStringLiteral( "regrid" ), regridMs }, { QStringLiteral( "shade" ), shadeMs }, { QStringLiteral( "draw" ), drawMs } };
  return { { QStringLiteral( "cache" ), cacheMs }, { QStringLiteral( "aggregate" ), aggregateMs }, { QStringLiteral( "shade" ), shadeMs }, { QStringLiteral( "draw" ), drawMs } };
}

double RenderRecord::totalMs() const
{
  double total = 0;
  for ( const auto &stage : stages() )
  {
    if ( stage.second >= 0 )
      total += stage.second;
  }
  return total;
}

bool RenderRecord::hasTimes() const
{
  for ( const auto &stage : stages() )
  {
    if ( stage.second >= 0 )
      return true;
  }
  return false;
}

double RenderRecord::pointsPerSecond() const
{
  if ( pointsTotal < 0 || !( aggregateMs > 0 ) )
    return -1;
  return static_cast<double>( pointsTotal ) / ( aggregateMs / 1000.0 );
}

QString RenderRecord::csvHeader()
{
  return QStringLiteral( "time,layer,render,source,backend,device,width,height,cache_ms,aggregate_ms,read_ms,regrid_ms,"
                         "shade_ms,draw_ms,total_ms,points_total,points_in_view,points_per_s,rss_bytes,"
                         "point_cache_bytes,gpu_bytes" );
}

QString RenderRecord::toCsvRow() const
{
  const double pps = pointsPerSecond();
  const QStringList fields {
    time.isValid() ? time.toString( Qt::ISODateWithMs ) : QString(),
    textField( layer ),
    textField( tag.isEmpty() ? QStringLiteral( "canvas" ) : tag ),
    textField( source ),
    textField( backend ),
    textField( device ),
    width > 0 ? QString::number( width ) : QString(),
    height > 0 ? QString::number( height ) : QString(),
    msField( cacheMs ),
    msField( aggregateMs ),
    msField( readMs ),
    msField( regridMs ),
    msField( shadeMs ),
    msField( drawMs ),
    hasTimes() ? msField( totalMs() ) : QString(),
    countField( pointsTotal ),
    countField( pointsInView ),
    pps >= 0 ? QString::number( pps, 'f', 0 ) : QString(),
    countField( rssBytes ),
    countField( pointCacheBytes ),
    countField( gpuBytes ),
  };
  return fields.join( QLatin1Char( ',' ) );
}

} // namespace gridshade
