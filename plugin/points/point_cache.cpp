// SPDX-License-Identifier: GPL-2.0-or-later
#include "point_cache.h"

#include <qgscoordinatetransform.h>
#include <qgsdatumtransform.h>

namespace gridshade
{

uint64_t PointCache::bytes() const
{
  const uint64_t n = points.size();
  return n * 16 + ( points.hasValues() ? n * 8 : 0 ) + ( points.hasCategories() ? n * 4 : 0 );
}

QString PointCache::coordinateOperation( const QgsCoordinateReferenceSystem &source, const QgsCoordinateReferenceSystem &destination,
                                         const QgsCoordinateTransformContext &context )
{
  // PointCacheBuilder transforms with QgsCoordinateTransform( source, destination, context )
  // under the same conditions.
  if ( !source.isValid() || !destination.isValid() || source == destination )
    return QStringLiteral( "none" );
  const QgsCoordinateTransform transform( source, destination, context );
  // coordinateOperation() is only what the context asks for (empty for "PROJ's best"), which
  // may not be what runs; the instantiated operation is, and it changes when a grid shows up.
  const QString used = transform.instantiatedCoordinateOperationDetails().proj;
  const QString op = used.isEmpty() ? transform.coordinateOperation() : used;
  return QStringLiteral( "%1 (fallback %2)" ).arg( op.isEmpty() ? QStringLiteral( "default" ) : op, transform.allowFallbackTransforms() ? "on" : "off" );
}

} // namespace gridshade
