// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

namespace gridshade
{

/**
 * \brief log, exp and sin built only from IEEE-754 basic operations (+ - * / and exact
 * frexp/ldexp), so their results are the same bits on every platform and standard library.
 *
 * The scene generator needs this: libm's log/exp/sin differ between implementations in the
 * last bit, which would make "the same seed gives the same points" platform-dependent. They
 * are accurate to a few ulp, which is all a random scene needs. Requires no fused multiply-add
 * contraction (the build sets -ffp-contract=off). Pure functions; any thread.
 */
namespace portable
{
//! Natural logarithm of x > 0.
double log( double x );
//! e^x for |x| < 700.
double exp( double x );
//! sin(x) for |x| <= 2.
double sin( double x );
} // namespace portable

} // namespace gridshade
