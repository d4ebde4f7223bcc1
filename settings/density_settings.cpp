// SPDX-License-Identifier: GPL-2.0-or-later
#include "density_settings.h"

#include <QDomElement>
#include <QUrlQuery>

namespace gridshade
{

QString DensitySettings::toUri() const
{
  QUrlQuery q;
  if ( !layerId.isEmpty() )
    q.addQueryItem( QStringLiteral( "layer" ), layerId );
  if ( !source.isEmpty() )
  {
    q.addQueryItem( QStringLiteral( "source" ), QString::fromLatin1( QUrl::toPercentEncoding( source ) ) );
    q.addQueryItem( QStringLiteral( "provider" ), providerKey );
  }
  if ( isRaster() )
  {
    q.addQueryItem( QStringLiteral( "raster" ), QString::fromLatin1( QUrl::toPercentEncoding( raster ) ) );
    q.addQueryItem( QStringLiteral( "band" ), QString::number( band ) );
    q.addQueryItem( QStringLiteral( "agg" ), downsampleName( agg ) );
    q.addQueryItem( QStringLiteral( "interpolate" ), upsampleName( interpolate ) );
    if ( !rasterCrs.isEmpty() )
      q.addQueryItem( QStringLiteral( "crs" ), QString::fromLatin1( QUrl::toPercentEncoding( rasterCrs ) ) );
    if ( hasNodata )
      q.addQueryItem( QStringLiteral( "nodata" ), QString::number( nodata, 'g', 17 ) );
  }
  else
    q.addQueryItem( QStringLiteral( "reduction" ), reductionName( reduction ) );
  if ( !valueField.isEmpty() )
    q.addQueryItem( QStringLiteral( "value" ), QString::fromLatin1( QUrl::toPercentEncoding( valueField ) ) );
  if ( !categoryField.isEmpty() )
    q.addQueryItem( QStringLiteral( "category" ), QString::fromLatin1( QUrl::toPercentEncoding( categoryField ) ) );
  q.addQueryItem( QStringLiteral( "how" ), howName( how ) );
  q.addQueryItem( QStringLiteral( "cmap" ), QString::fromLatin1( QUrl::toPercentEncoding( colormap ) ) );
  if ( hasSpan )
    q.addQueryItem( QStringLiteral( "span" ), QStringLiteral( "%1,%2" ).arg( spanMin, 0, 'g', 17 ).arg( spanMax, 0, 'g', 17 ) );
  q.addQueryItem( QStringLiteral( "alpha" ), QString::number( alpha ) );
  q.addQueryItem( QStringLiteral( "min_alpha" ), QString::number( minAlpha ) );
  q.addQueryItem( QStringLiteral( "spread" ), QString::number( spreadPx ) );
  q.addQueryItem( QStringLiteral( "dynspread" ), dynspread ? QStringLiteral( "1" ) : QStringLiteral( "0" ) );
  q.addQueryItem( QStringLiteral( "opacity" ), QString::number( opacity, 'g', 17 ) );
  if ( backend != Backend::Auto )
    q.addQueryItem( QStringLiteral( "backend" ), backendName( backend ) );
  return q.toString( QUrl::FullyEncoded );
}

Status DensitySettings::fromUri( const QString &uri, DensitySettings &out )
{
  DensitySettings s;
  const QUrlQuery q( uri );
  for ( const auto &[rawKey, rawValue] : q.queryItems( QUrl::FullyEncoded ) )
  {
    const QString key = rawKey.trimmed().toLower();
    const QString value = QUrl::fromPercentEncoding( rawValue.toLatin1() );
    bool ok = true;
    if ( key == QLatin1String( "layer" ) )
      s.layerId = value;
    else if ( key == QLatin1String( "source" ) )
      s.source = value;
    else if ( key == QLatin1String( "provider" ) )
      s.providerKey = value;
    else if ( key == QLatin1String( "reduction" ) )
      ok = parseReduction( value, s.reduction );
    else if ( key == QLatin1String( "value" ) )
      s.valueField = value;
    else if ( key == QLatin1String( "category" ) )
      s.categoryField = value;
    else if ( key == QLatin1String( "how" ) )
      ok = parseHow( value, s.how );
    else if ( key == QLatin1String( "cmap" ) )
      s.colormap = value;
    else if ( key == QLatin1String( "span" ) )
    {
      const QStringList parts = value.split( QLatin1Char( ',' ) );
      bool a = false, b = false;
      s.spanMin = parts.value( 0 ).toDouble( &a );
      s.spanMax = parts.value( 1 ).toDouble( &b );
      s.hasSpan = !value.isEmpty();
      ok = value.isEmpty() || ( parts.size() == 2 && a && b );
    }
    else if ( key == QLatin1String( "alpha" ) )
      s.alpha = value.toInt( &ok );
    else if ( key == QLatin1String( "min_alpha" ) )
      s.minAlpha = value.toInt( &ok );
    else if ( key == QLatin1String( "spread" ) )
      s.spreadPx = value.toInt( &ok );
    else if ( key == QLatin1String( "dynspread" ) )
      s.dynspread = value == QLatin1String( "1" ) || value.compare( QLatin1String( "true" ), Qt::CaseInsensitive ) == 0;
    else if ( key == QLatin1String( "opacity" ) )
      s.opacity = value.toDouble( &ok );
    else if ( key == QLatin1String( "backend" ) )
      ok = parseBackend( value, s.backend );
    else if ( key == QLatin1String( "raster" ) )
      s.raster = value;
    else if ( key == QLatin1String( "band" ) )
      s.band = value.toInt( &ok );
    else if ( key == QLatin1String( "agg" ) )
      ok = parseDownsample( value, s.agg );
    else if ( key == QLatin1String( "interpolate" ) )
      ok = parseUpsample( value, s.interpolate );
    else if ( key == QLatin1String( "crs" ) )
      s.rasterCrs = value;
    else if ( key == QLatin1String( "nodata" ) )
    {
      s.hasNodata = !value.isEmpty();
      if ( s.hasNodata )
        s.nodata = value.toDouble( &ok );
    }
    else
      return Status::error( QStringLiteral( "unknown density layer option '%1' in '%2': use layer, source, provider, reduction, value, category, how, cmap, span, alpha, min_alpha, spread, dynspread, opacity, backend, raster, band, agg, interpolate, crs, nodata" )
                              .arg( rawKey, uri ) );
    if ( !ok )
      return Status::error( QStringLiteral( "invalid value '%1' for density layer option '%2'" ).arg( value, key ) );
  }
  out = s;
  return Status::ok();
}

void DensitySettings::writeXml( QDomElement &element ) const
{
  element.setAttribute( QStringLiteral( "uri" ), toUri() );
}

Status DensitySettings::readXml( const QDomElement &element, DensitySettings &out )
{
  if ( element.isNull() )
    return Status::error( QStringLiteral( "the project has no <density> settings for this layer" ) );
  return fromUri( element.attribute( QStringLiteral( "uri" ) ), out );
}

Status DensitySettings::toEngine( AggregateSettings &aggregation, ShadeSettings &shading ) const
{
  aggregation = AggregateSettings();
  aggregation.reduction = reduction;
  aggregation.backend = backend;
  if ( isRaster() && ( !layerId.isEmpty() || !source.isEmpty() ) )
    return Status::error( QStringLiteral( "a density layer draws points (layer, source) or a raster (raster), not both: remove one of them" ) );
  if ( !isRaster() && ( !rasterCrs.isEmpty() || hasNodata ) )
    return Status::error( QStringLiteral( "the options crs and nodata apply to a raster source (raster=...): points take the CRS of their layer" ) );
  if ( isRaster() && band < 1 )
    return Status::error( QStringLiteral( "band %1 is invalid: raster bands count from 1" ).arg( band ) );
  const bool needsValue = !isRaster() && reductionNeedsValues( reduction );
  if ( needsValue && valueField.isEmpty() )
    return Status::error( QStringLiteral( "reduction '%1' needs a value field: set the 'value' option" ).arg( reductionName( reduction ) ) );
  if ( !isRaster() && reduction == Reduction::CountCat && categoryField.isEmpty() )
    return Status::error( QStringLiteral( "reduction 'count_cat' needs a category field: set the 'category' option" ) );
  if ( !( opacity >= 0.0 && opacity <= 1.0 ) )
    return Status::error( QStringLiteral( "opacity %1 is outside 0..1" ).arg( opacity ) );
  shading = ShadeSettings();
  shading.how = how;
  if ( Status st = Colormap::parse( colormap, shading.colormap ); !st )
    return st;
  shading.hasSpan = hasSpan;
  shading.spanMin = spanMin;
  shading.spanMax = spanMax;
  shading.alpha = alpha;
  shading.minAlpha = minAlpha;
  shading.spreadPx = spreadPx;
  shading.dynspread = dynspread;
  return shading.validate();
}

} // namespace gridshade
