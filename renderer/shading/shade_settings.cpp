// SPDX-License-Identifier: GPL-2.0-or-later
#include "shade_settings.h"

#include <cmath>

namespace gridshade
{

QString howName( How how )
{
  switch ( how )
  {
    case How::Linear:
      return QStringLiteral( "linear" );
    case How::Log:
      return QStringLiteral( "log" );
    case How::Cbrt:
      return QStringLiteral( "cbrt" );
    case How::EqHist:
      return QStringLiteral( "eq_hist" );
  }
  return QString();
}

bool parseHow( const QString &name, How &how )
{
  for ( How h : { How::Linear, How::Log, How::Cbrt, How::EqHist } )
  {
    if ( howName( h ) == name.trimmed().toLower() )
    {
      how = h;
      return true;
    }
  }
  return false;
}

std::vector<Rgb> defaultColorKey()
{
  static const char *const hex[] = { "#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#ffff33",
                                     "#a65628", "#f781bf", "#999999", "#66c2a5", "#fc8d62", "#8da0cb",
                                     "#a6d854", "#ffd92f", "#e5c494", "#ffffb3", "#fb8072", "#fdb462",
                                     "#fccde5", "#d9d9d9", "#ccebc5", "#ffed6f" };
  std::vector<Rgb> key;
  for ( const char *h : hex )
  {
    const uint32_t v = QString::fromLatin1( h + 1 ).toUInt( nullptr, 16 );
    key.push_back( Rgb { static_cast<uint8_t>( v >> 16 ), static_cast<uint8_t>( ( v >> 8 ) & 255 ), static_cast<uint8_t>( v & 255 ) } );
  }
  return key;
}

Status ShadeSettings::validate() const
{
  if ( alpha < 0 || alpha > 255 || minAlpha < 0 || minAlpha > 255 )
    return Status::error( QStringLiteral( "min_alpha (%1) and alpha (%2) must be between 0 and 255" ).arg( minAlpha ).arg( alpha ) );
  if ( colormap.colors().empty() )
    return Status::error( QStringLiteral( "the colormap has no colours" ) );
  if ( hasSpan )
  {
    if ( how == How::EqHist )
      return Status::error( QStringLiteral( "a span cannot be used with how=eq_hist (as in Datashader): use linear, log or cbrt, or drop the span" ) );
    if ( !std::isfinite( spanMin ) || !std::isfinite( spanMax ) || spanMax < spanMin )
      return Status::error( QStringLiteral( "invalid span [%1, %2]: need finite values with min <= max" ).arg( spanMin ).arg( spanMax ) );
  }
  if ( spreadPx < 0 || spreadPx > 100 )
    return Status::error( QStringLiteral( "spread of %1 px is out of range 0..100" ).arg( spreadPx ) );
  if ( dynspread && ( dynspreadThreshold < 0.0 || dynspreadThreshold > 1.0 || dynspreadMaxPx < 0 || dynspreadMaxPx > 100 ) )
    return Status::error( QStringLiteral( "dynspread threshold must be in [0, 1] and max_px in 0..100 (got %1, %2)" )
                            .arg( dynspreadThreshold )
                            .arg( dynspreadMaxPx ) );
  return Status::ok();
}

} // namespace gridshade
