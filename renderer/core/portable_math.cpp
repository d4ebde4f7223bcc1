// SPDX-License-Identifier: GPL-2.0-or-later
#include "portable_math.h"

#include <cmath>

namespace gridshade
{
namespace portable
{

namespace
{
// ln 2 split so that k * LN2_HI is exact for |k| < 2^11.
constexpr double LN2_HI = 6.93147180369123816490e-01;
constexpr double LN2_LO = 1.90821492927058770002e-10;
constexpr double SQRT_HALF = 0.70710678118654752440;
} // namespace

double log( double x )
{
  int e = 0;
  double m = std::frexp( x, &e ); // exact: x = m * 2^e, m in [0.5, 1)
  if ( m < SQRT_HALF )
  {
    m *= 2.0;
    --e;
  }
  // log(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172: the odd series converges fast.
  const double s = ( m - 1.0 ) / ( m + 1.0 );
  const double s2 = s * s;
  double term = s;
  double sum = 0.0;
  for ( int k = 1; k <= 41; k += 2 )
  {
    sum += term / k;
    term *= s2;
  }
  return e * LN2_HI + ( e * LN2_LO + 2.0 * sum );
}

double exp( double x )
{
  const double k = std::floor( x / ( LN2_HI + LN2_LO ) + 0.5 );
  const double r = ( x - k * LN2_HI ) - k * LN2_LO; // |r| <= 0.35
  double term = 1.0;
  double sum = 1.0;
  for ( int n = 1; n <= 24; ++n )
  {
    term = term * r / n;
    sum += term;
  }
  return std::ldexp( sum, static_cast<int>( k ) );
}

double sin( double x )
{
  const double x2 = x * x;
  double term = x;
  double sum = x;
  for ( int n = 1; n <= 20; ++n )
  {
    term = -term * x2 / ( ( 2.0 * n ) * ( 2.0 * n + 1.0 ) );
    sum += term;
  }
  return sum;
}

} // namespace portable
} // namespace gridshade
