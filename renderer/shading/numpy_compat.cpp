// SPDX-License-Identifier: GPL-2.0-or-later
#include "numpy_compat.h"

#include <algorithm>
#include <cmath>

namespace gridshade
{
namespace numpy
{

std::vector<double> linspace( double start, double stop, int num )
{
  std::vector<double> y( std::max( num, 0 ) );
  if ( num <= 0 )
    return y;
  if ( num == 1 )
  {
    y[0] = start;
    return y;
  }
  const int div = num - 1;
  const double delta = stop - start;
  const double step = delta / div;
  for ( int i = 0; i < num; ++i )
  {
    // NumPy multiplies by step, or for a zero (denormal-underflowed) step divides first.
    y[i] = ( step == 0.0 ? ( static_cast<double>( i ) / div ) * delta : static_cast<double>( i ) * step ) + start;
  }
  y[num - 1] = stop;
  return y;
}

Interp::Interp( std::vector<double> xp, std::vector<double> fp, double left, double right )
  : mXp( std::move( xp ) )
  , mFp( std::move( fp ) )
  , mLeft( left )
  , mRight( right )
{
  const size_t n = std::min( mXp.size(), mFp.size() );
  mXp.resize( n );
  mFp.resize( n );
  mSlopes.resize( n > 0 ? n - 1 : 0 );
  for ( size_t j = 0; j + 1 < n; ++j )
    mSlopes[j] = ( mFp[j + 1] - mFp[j] ) / ( mXp[j + 1] - mXp[j] );
  if ( n > 1 )
    mStep = ( mXp[n - 1] - mXp[0] ) / static_cast<double>( n - 1 );
}

Interp::Interp( std::vector<double> xp, std::vector<double> fp )
  : Interp( xp, fp, fp.empty() ? 0.0 : fp.front(), fp.empty() ? 0.0 : fp.back() )
{}

int Interp::knotAtOrBelow( double x ) const
{
  const int n = static_cast<int>( mXp.size() );
  int j = 0;
  if ( mStep > 0.0 )
  {
    const double g = ( x - mXp[0] ) / mStep;
    j = g <= 0.0 ? 0 : ( g >= n - 1 ? n - 1 : static_cast<int>( g ) );
  }
  // Make j the rightmost knot with xp[j] <= x (x is known to lie in [xp[0], xp[n-1]]).
  while ( j > 0 && mXp[j] > x )
    --j;
  while ( j + 1 < n && mXp[j + 1] <= x )
    ++j;
  return j;
}

double Interp::operator()( double x ) const
{
  const int n = static_cast<int>( mXp.size() );
  if ( n == 0 || std::isnan( x ) )
    return x;
  if ( x > mXp[n - 1] )
    return mRight;
  if ( x < mXp[0] )
    return mLeft;
  return evaluate( x, knotAtOrBelow( x ) );
}

double Interp::evaluate( double x, int j ) const
{
  const int n = static_cast<int>( mXp.size() );
  if ( std::isnan( x ) )
    return x;
  if ( j < 0 )
    return mLeft;
  if ( j >= n )
    return mRight;
  if ( j == n - 1 || mXp[j] == x )
    return mFp[j];
  double r = mSlopes[j] * ( x - mXp[j] ) + mFp[j];
  if ( std::isnan( r ) )
  {
    r = mSlopes[j] * ( x - mXp[j + 1] ) + mFp[j + 1];
    if ( std::isnan( r ) && mFp[j] == mFp[j + 1] )
      r = mFp[j];
  }
  return r;
}

UniformBins::UniformBins( double first, double last, int bins )
  : mBins( std::max( bins, 1 ) )
{
  if ( first == last )
  {
    first -= 0.5;
    last += 0.5;
  }
  mFirst = first;
  mDenominator = last - first;
  mEdges = linspace( first, last, mBins + 1 );
}

int UniformBins::binOf( double x ) const
{
  int i = static_cast<int>( ( ( x - mFirst ) / mDenominator ) * mBins );
  i = std::clamp( i, 0, mBins - 1 );
  // NumPy corrects the scaled index by one against the edges; we loop to the same fixed point.
  while ( i > 0 && x < mEdges[i] )
    --i;
  while ( i < mBins - 1 && x >= mEdges[i + 1] )
    ++i;
  return i;
}

} // namespace numpy
} // namespace gridshade
