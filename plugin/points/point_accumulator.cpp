// SPDX-License-Identifier: GPL-2.0-or-later
#include "point_accumulator.h"

#include "aggregation/aggregate_settings.h"

#include <qgscoordinatetransform.h>
#include <qgsexception.h>
#include <qgsfeedback.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace gridshade
{

namespace
{

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr size_t TRANSFORM_BATCH = 8192;
//! Points between two cancellation checks in the loops over every point (a few milliseconds).
constexpr size_t CANCEL_STRIDE = size_t( 1 ) << 20;

bool isCanceled( const QgsFeedback *feedback )
{
  return feedback && feedback->isCanceled();
}

Status cancelled()
{
  return Status::error( QStringLiteral( "point cache build cancelled" ) );
}

// PROJ may fail on single points (outside the projection's domain); the whole batch throws then,
// so such a batch is redone point by point and the failures become NaN.
uint64_t transformBatch( const QgsCoordinateTransform &ct, double *x, double *y, size_t n )
{
  std::vector<double> z( n, 0.0 );
  const std::vector<double> x0( x, x + n ), y0( y, y + n );
  try
  {
    ct.transformCoords( static_cast<int>( n ), x, y, z.data() );
    return 0;
  }
  catch ( const QgsCsException & )
  {
  }
  uint64_t failed = 0;
  for ( size_t i = 0; i < n; ++i )
  {
    double px = x0[i], py = y0[i], pz = 0.0;
    try
    {
      ct.transformInPlace( px, py, pz );
    }
    catch ( const QgsCsException & )
    {
      px = py = NaN;
    }
    if ( !std::isfinite( px ) || !std::isfinite( py ) )
    {
      px = py = NaN;
      ++failed;
    }
    x[i] = px;
    y[i] = py;
  }
  return failed;
}

} // namespace

PointAccumulator::PointAccumulator( bool withValues, bool withCategories, size_t expected )
  : mWithValues( withValues )
  , mWithCategories( withCategories )
{
  mX.reserve( expected );
  mY.reserve( expected );
}

int32_t PointAccumulator::codeOf( const QString &label )
{
  auto found = mFirstSeen.constFind( label );
  if ( found != mFirstSeen.constEnd() )
    return found.value();
  if ( mLabels.size() >= MAX_CATEGORIES )
  {
    mLimitPassed = true;
    return -1;
  }
  const int32_t code = static_cast<int32_t>( mLabels.size() );
  mFirstSeen.insert( label, code );
  mLabels << label;
  return code;
}

Status PointAccumulator::finish( const QgsCoordinateTransform &transform, QgsFeedback *feedback, PointCache &cache )
{
  if ( transform.isValid() && !transform.isShortCircuited() )
  {
    for ( size_t b = 0; b < mX.size(); b += TRANSFORM_BATCH )
    {
      if ( isCanceled( feedback ) )
        return cancelled();
      cache.untransformable += transformBatch( transform, mX.data() + b, mY.data() + b, std::min( TRANSFORM_BATCH, mX.size() - b ) );
    }
  }
  const double inf = std::numeric_limits<double>::infinity();
  Extent bounds { inf, inf, -inf, -inf };
  for ( size_t i = 0; i < mX.size(); ++i )
  {
    if ( i % CANCEL_STRIDE == 0 && isCanceled( feedback ) )
      return cancelled();
    if ( std::isfinite( mX[i] ) && std::isfinite( mY[i] ) )
    {
      bounds.xmin = std::min( bounds.xmin, mX[i] );
      bounds.xmax = std::max( bounds.xmax, mX[i] );
      bounds.ymin = std::min( bounds.ymin, mY[i] );
      bounds.ymax = std::max( bounds.ymax, mY[i] );
    }
  }
  cache.bounds = bounds;
  if ( mWithCategories )
  {
    if ( Status st = sortCategories( feedback, cache ); !st )
      return st;
  }
  cache.points = PointColumns::owned( std::move( mX ), std::move( mY ) );
  if ( mWithValues )
    cache.points.setValues( std::move( mValues ) );
  if ( mWithCategories )
    cache.points.setCategories( std::move( mCodes ), cache.categories.size() );
  return Status::ok();
}

Status PointAccumulator::sortCategories( QgsFeedback *feedback, PointCache &cache )
{
  // Sort the first-seen codes by their labels (unique, so no ties) and invert that order: one
  // sort and one pass, where looking each label up in the sorted list was quadratic.
  std::vector<int32_t> byLabel( mLabels.size() );
  std::iota( byLabel.begin(), byLabel.end(), 0 );
  std::sort( byLabel.begin(), byLabel.end(), [this]( int32_t a, int32_t b ) { return mLabels[a] < mLabels[b]; } );
  std::vector<int32_t> remap( mLabels.size() );
  QStringList sorted;
  sorted.reserve( mLabels.size() );
  for ( size_t rank = 0; rank < byLabel.size(); ++rank )
  {
    remap[byLabel[rank]] = static_cast<int32_t>( rank );
    sorted << mLabels[byLabel[rank]];
  }
  for ( size_t i = 0; i < mCodes.size(); ++i )
  {
    if ( i % CANCEL_STRIDE == 0 && isCanceled( feedback ) )
      return cancelled();
    mCodes[i] = remap[mCodes[i]];
  }
  cache.categories = sorted;
  return Status::ok();
}

} // namespace gridshade
