// SPDX-License-Identifier: GPL-2.0-or-later
#include "aggregate.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gridshade
{

QString reductionName( Reduction reduction )
{
  switch ( reduction )
  {
    case Reduction::Count:
      return QStringLiteral( "count" );
    case Reduction::Sum:
      return QStringLiteral( "sum" );
    case Reduction::Mean:
      return QStringLiteral( "mean" );
    case Reduction::Min:
      return QStringLiteral( "min" );
    case Reduction::Max:
      return QStringLiteral( "max" );
    case Reduction::CountCat:
      return QStringLiteral( "count_cat" );
  }
  return QString();
}

bool reductionNeedsValues( Reduction reduction )
{
  return reduction == Reduction::Sum || reduction == Reduction::Mean || reduction == Reduction::Min || reduction == Reduction::Max;
}

bool parseReduction( const QString &name, Reduction &reduction )
{
  for ( Reduction r : { Reduction::Count, Reduction::Sum, Reduction::Mean, Reduction::Min, Reduction::Max, Reduction::CountCat } )
  {
    if ( reductionName( r ) == name.trimmed().toLower() )
    {
      reduction = r;
      return true;
    }
  }
  return false;
}

double Aggregate::maxValue() const
{
  if ( mReduction == Reduction::Count )
    return mCounts.empty() ? 0.0 : *std::max_element( mCounts.begin(), mCounts.end() );
  if ( mReduction == Reduction::CountCat )
  {
    uint64_t best = 0;
    const int c = std::max( mCategoryCount, 1 );
    for ( size_t p = 0; p + c <= mCounts.size(); p += c )
    {
      uint64_t sum = 0;
      for ( int k = 0; k < c; ++k )
        sum += mCounts[p + k];
      best = std::max( best, sum );
    }
    return static_cast<double>( best );
  }
  double best = std::numeric_limits<double>::quiet_NaN();
  for ( double v : mValues )
    if ( !std::isnan( v ) && ( std::isnan( best ) || v > best ) )
      best = v;
  return best;
}

void Aggregate::reset( Reduction reduction, int width, int height, int categoryCount )
{
  mReduction = reduction;
  mWidth = width;
  mHeight = height;
  mCategoryCount = reduction == Reduction::CountCat ? categoryCount : 0;
  mStats = AggregateStats();
  const size_t pixels = static_cast<size_t>( width ) * static_cast<size_t>( height );
  // Keep the capacity: a caller that aggregates again into the same object reuses the memory.
  mCounts.clear();
  mValues.clear();
  if ( reduction == Reduction::Count )
    mCounts.assign( pixels, 0u );
  else if ( reduction == Reduction::CountCat )
    mCounts.assign( pixels * static_cast<size_t>( std::max( categoryCount, 0 ) ), 0u );
  else
    mValues.assign( pixels, std::numeric_limits<double>::quiet_NaN() );
}

} // namespace gridshade
