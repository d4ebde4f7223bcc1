// SPDX-License-Identifier: GPL-2.0-or-later
#include "aggregate_settings.h"

namespace gridshade
{

QString backendName( Backend backend )
{
  switch ( backend )
  {
    case Backend::Auto:
      return QStringLiteral( "auto" );
    case Backend::Cpu:
      return QStringLiteral( "cpu" );
    case Backend::Gpu:
      return QStringLiteral( "gpu" );
  }
  return QString();
}

bool parseBackend( const QString &name, Backend &backend )
{
  for ( Backend b : { Backend::Auto, Backend::Cpu, Backend::Gpu } )
  {
    if ( name.trimmed().compare( backendName( b ), Qt::CaseInsensitive ) == 0 )
    {
      backend = b;
      return true;
    }
  }
  return false;
}

Status validateAggregation( const PointColumns &points, const Viewport &viewport, const AggregateSettings &settings )
{
  if ( Status s = viewport.validate(); !s )
    return s;
  const QString name = reductionName( settings.reduction );
  const bool needsValues = reductionNeedsValues( settings.reduction );
  if ( needsValues && !points.hasValues() && points.size() > 0 )
    return Status::error( QStringLiteral( "reduction '%1' needs a value column, but the points have none: add a value field or use 'count'" ).arg( name ) );
  if ( settings.reduction == Reduction::CountCat )
  {
    if ( !points.hasCategories() && points.size() > 0 )
      return Status::error( QStringLiteral( "reduction 'count_cat' needs a category column, but the points have none: add a category field or use 'count'" ) );
    if ( points.categoryCount() > MAX_CATEGORIES )
      return Status::error( QStringLiteral( "count_cat supports at most %1 categories, got %2" ).arg( MAX_CATEGORIES ).arg( points.categoryCount() ) );
  }
  return Status::ok();
}

} // namespace gridshade
