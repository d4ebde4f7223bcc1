// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

// Point layers with category fields of known distinct values, for the count_cat suites (the
// tests recompute what they expect from these formulas, by brute force).

#include <qgsgeometry.h>
#include <qgspoint.h>
#include <qgsvectordataprovider.h>
#include <qgsvectorlayer.h>

#include <memory>

namespace gridshade
{
namespace test
{

//! The label of field `kind` of feature \a i: 1000 labels met in an order far from sorted, and a null every 97th feature.
inline QVariant kindOf( int i )
{
  if ( i % 97 == 0 )
    return QVariant( QVariant::String );
  static const char *prefixes[] = { "a", "B", "\u00fc", "" };
  const int k = ( i * 7919 ) % 1000;
  return QStringLiteral( "%1L%2" ).arg( QString::fromUtf8( prefixes[k % 4] ) ).arg( k, 3, 10, QLatin1Char( '0' ) );
}

/*
 * A memory layer of \a n points inside the Z8 view with fields
 *   code:integer   i (every value distinct, like an id)
 *   name:string    a distinct text per point, in shuffled order
 *   kind:string    kindOf(i): 1000 labels and nulls
 *   share:double   i / 8 (distinct floats)
 *   mod:integer    i % \a modulo (a class field)
 */
inline std::unique_ptr<QgsVectorLayer> labelledLayer( int n, int modulo = 1 )
{
  auto layer = std::make_unique<QgsVectorLayer>(
    QStringLiteral( "Point?crs=EPSG:3857&field=code:integer&field=name:string&field=kind:string&field=share:double&field=mod:integer" ),
    QStringLiteral( "labelled" ), QStringLiteral( "memory" ) );
  QgsFeatureList features;
  features.reserve( n );
  for ( int i = 0; i < n; ++i )
  {
    QgsFeature f( layer->fields() );
    f.setGeometry( QgsGeometry( new QgsPoint( 700000.0 + ( i % 1000 ) * 500.0, 5800000.0 + ( i / 1000 ) * 300.0 ) ) );
    f.setAttributes( QgsAttributes( { QVariant( i ), QVariant( QStringLiteral( "n%1" ).arg( ( static_cast<long long>( i ) * 7919 ) % n ) ), kindOf( i ),
                      QVariant( i / 8.0 ), QVariant( i % modulo ) } ) );
    features << f;
  }
  layer->dataProvider()->addFeatures( features, QgsFeatureSink::FastInsert );
  layer->updateExtents();
  return layer;
}

} // namespace test
} // namespace gridshade
