// SPDX-License-Identifier: GPL-2.0-or-later
#include "category_field_survey.h"
#include "qgis_compat.h"

#include "aggregation/aggregate_settings.h"
#include "shading/shade_settings.h"

#include <qgsfeatureiterator.h>
#include <qgsfeaturerequest.h>
#include <qgsvectorlayer.h>

#include <QSet>

#include <tuple>
#include <vector>

namespace gridshade
{

namespace
{

//! The label the point cache would give \a value (the same text for the same value, which is all a count needs).
QString labelOf( const QVariant &value )
{
  if ( value.isNull() )
    return QString();
  return value.type() == QVariant::Double ? QString::number( value.toDouble(), 'g', 17 ) : value.toString();
}

bool isTextOrInteger( QVariant::Type type )
{
  switch ( type )
  {
    case QVariant::String:
    case QVariant::Int:
    case QVariant::UInt:
    case QVariant::LongLong:
    case QVariant::ULongLong:
    case QVariant::Bool:
      return true;
    default:
      return false;
  }
}

} // namespace

CategoryFieldSurvey::CategoryFieldSurvey( const QgsVectorLayer *layer, int sampleFeatures )
{
  if ( !layer || !layer->isValid() )
    return;
  const QgsFields fields = layer->fields();
  const QgsAttributeList keys = layer->primaryKeyAttributes();
  QList<Field> surveyed;
  QgsAttributeList all;
  for ( int i = 0; i < fields.count(); ++i )
  {
    Field f;
    f.name = fields.at( i ).name();
    f.textOrInteger = isTextOrInteger( qgiscompat::fieldType( fields.at( i ) ) );
    f.floating = qgiscompat::fieldType( fields.at( i ) ) == QVariant::Double;
    // OGR exposes a GeoPackage's fid as a field, and not every provider reports it as the key.
    f.key = keys.contains( i ) || f.name.compare( QLatin1String( "fid" ), Qt::CaseInsensitive ) == 0;
    surveyed << f;
    all << i;
  }
  QgsFeatureRequest request;
  request.setFlags( qgiscompat::FEATURE_NO_GEOMETRY );
  request.setSubsetOfAttributes( all );
  request.setLimit( sampleFeatures );
  std::vector<QSet<QString>> seen( surveyed.size() );
  long long sampled = 0;
  QgsFeature feature;
  QgsFeatureIterator it = layer->getFeatures( request );
  while ( it.nextFeature( feature ) )
  {
    ++sampled;
    for ( int i = 0; i < surveyed.size(); ++i )
      if ( seen[i].size() <= MAX_CATEGORIES ) // one past the limit is all the verdict needs
        seen[i].insert( labelOf( feature.attribute( i ) ) );
  }
  for ( int i = 0; i < surveyed.size(); ++i )
    surveyed[i].distinct = seen[i].size();
  judge( surveyed, sampled );
}

void CategoryFieldSurvey::judge( const QList<Field> &fields, long long sampled )
{
  const int colours = static_cast<int>( defaultColorKey().size() );
  const QString among = QObject::tr( "in the first %1 features" ).arg( sampled );
  // Rank of a candidate: one with at least two values first, then fewer values, then field order.
  std::tuple<bool, int, int> best( true, 0, -1 );
  for ( int i = 0; i < fields.size(); ++i )
  {
    const Field &f = fields[i];
    if ( f.key )
      mWarnings.insert( f.name, QObject::tr( "'%1' is the layer's feature id: every feature has its own value, and count_cat needs a field "
                                             "with few distinct values" ).arg( f.name ) );
    else if ( f.distinct > MAX_CATEGORIES )
      mWarnings.insert( f.name, QObject::tr( "'%1' has more than %2 distinct values %3: count_cat takes at most %2 categories and will "
                                             "refuse it" ).arg( f.name ).arg( MAX_CATEGORIES ).arg( among ) );
    else if ( f.floating )
      mWarnings.insert( f.name, QObject::tr( "'%1' holds floating-point numbers (%2 distinct values %3): each distinct number becomes "
                                             "a category" ).arg( f.name ).arg( f.distinct ).arg( among ) );
    else if ( f.distinct > colours )
      mWarnings.insert( f.name, QObject::tr( "'%1' has %2 distinct values %3, but count_cat colours at most %4 categories" )
                                  .arg( f.name ).arg( f.distinct ).arg( among ).arg( colours ) );
    else if ( f.textOrInteger )
    {
      const std::tuple<bool, int, int> rank( sampled > 0 && f.distinct < 2, f.distinct, i );
      if ( std::get<2>( best ) < 0 || rank < best )
        best = rank;
    }
  }
  if ( std::get<2>( best ) >= 0 )
    mSuggestion = fields[std::get<2>( best )].name;
}

} // namespace gridshade
