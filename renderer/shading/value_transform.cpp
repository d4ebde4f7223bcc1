// SPDX-License-Identifier: GPL-2.0-or-later
#include "value_transform.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gridshade
{

/*
 * Two shapes of the equalisation table:
 *
 *   exact  : knots 0, 1, 2, ... vmax-vmin (every integer, counts may be 0), cdf per knot
 *   binned : 65,536 uniform bins over [vmin, vmax]; kept = bins with pixels; knots = centres
 *            of kept bins; keptAtOrBelow[b] = last kept bin index <= b (-1 if none)
 */
struct ValueTransform::EqHist
{
    bool exact = true;
    std::unique_ptr<numpy::Interp> interp;
    std::unique_ptr<numpy::UniformBins> bins;
    std::vector<int> keptAtOrBelow;
};

ValueTransform::ValueTransform( How how )
  : mHow( how )
{}

ValueTransform ValueTransform::eqHistFromHistogram( std::vector<uint64_t> hist, double vmin, double vmax, bool exact )
{
  ValueTransform t( How::EqHist );
  auto eq = std::make_shared<EqHist>();
  eq->exact = exact;
  std::vector<double> knots;
  std::vector<uint64_t> kept;
  if ( exact )
  {
    knots.resize( hist.size() );
    for ( size_t k = 0; k < hist.size(); ++k )
      knots[k] = vmin + static_cast<double>( k );
    kept = std::move( hist );
  }
  else
  {
    eq->bins = std::make_unique<numpy::UniformBins>( vmin, vmax, EQ_HIST_BINS );
    eq->keptAtOrBelow.resize( hist.size() );
    int last = -1;
    for ( size_t b = 0; b < hist.size(); ++b )
    {
      if ( hist[b] > 0 )
      {
        knots.push_back( eq->bins->centre( static_cast<int>( b ) ) );
        kept.push_back( hist[b] );
        last = static_cast<int>( kept.size() ) - 1;
      }
      eq->keptAtOrBelow[b] = last;
    }
  }
  // cdf = hist.cumsum(); cdf = cdf / float(cdf[-1])
  std::vector<double> cdf( kept.size() );
  uint64_t running = 0;
  for ( size_t k = 0; k < kept.size(); ++k )
  {
    running += kept[k];
    cdf[k] = static_cast<double>( running );
  }
  const double total = cdf.empty() ? 1.0 : cdf.back();
  for ( double &c : cdf )
    c = c / total;
  eq->interp = std::make_unique<numpy::Interp>( std::move( knots ), std::move( cdf ) );
  t.mEqHist = std::move( eq );
  return t;
}

ValueTransform ValueTransform::fromValues( How how, const std::vector<double> &d, const std::vector<uint8_t> &mask, bool integer )
{
  if ( how != How::EqHist )
    return ValueTransform( how );
  double vmin = std::numeric_limits<double>::infinity();
  double vmax = -vmin;
  for ( size_t i = 0; i < d.size(); ++i )
  {
    if ( !mask[i] )
    {
      vmin = std::min( vmin, d[i] );
      vmax = std::max( vmax, d[i] );
    }
  }
  if ( !( vmin <= vmax ) )
    return eqHistFromHistogram( {}, 0.0, 0.0, true );
  if ( integer && vmax - vmin < EQ_HIST_BINS )
  {
    std::vector<uint64_t> hist( static_cast<size_t>( vmax - vmin ) + 1, 0 );
    for ( size_t i = 0; i < d.size(); ++i )
      if ( !mask[i] )
        ++hist[static_cast<size_t>( d[i] - vmin )];
    return eqHistFromHistogram( std::move( hist ), vmin, vmax, true );
  }
  const numpy::UniformBins bins( vmin, vmax, EQ_HIST_BINS );
  std::vector<uint64_t> hist( EQ_HIST_BINS, 0 );
  for ( size_t i = 0; i < d.size(); ++i )
    if ( !mask[i] )
      ++hist[bins.binOf( d[i] )];
  return eqHistFromHistogram( std::move( hist ), vmin, vmax, false );
}

ValueTransform ValueTransform::fromValueCounts( How how, const std::vector<uint32_t> &pixelsPerValue )
{
  if ( how != How::EqHist )
    return ValueTransform( how );
  std::vector<uint32_t> distinct, pixels;
  for ( size_t v = 0; v < pixelsPerValue.size(); ++v )
  {
    if ( pixelsPerValue[v] )
    {
      distinct.push_back( static_cast<uint32_t>( v ) );
      pixels.push_back( pixelsPerValue[v] );
    }
  }
  return fromDistinctValues( how, distinct, pixels );
}

ValueTransform ValueTransform::fromDistinctValues( How how, const std::vector<uint32_t> &distinct, const std::vector<uint32_t> &pixels )
{
  if ( how != How::EqHist )
    return ValueTransform( how );
  if ( distinct.empty() )
    return eqHistFromHistogram( {}, 0.0, 0.0, true );
  const double vmin = distinct.front();
  const double vmax = distinct.back();
  if ( vmax - vmin < EQ_HIST_BINS )
  {
    std::vector<uint64_t> hist( static_cast<size_t>( vmax - vmin ) + 1, 0 );
    for ( size_t i = 0; i < distinct.size(); ++i )
      hist[static_cast<size_t>( distinct[i] - vmin )] += pixels[i];
    return eqHistFromHistogram( std::move( hist ), vmin, vmax, true );
  }
  const numpy::UniformBins bins( vmin, vmax, EQ_HIST_BINS );
  std::vector<uint64_t> hist( EQ_HIST_BINS, 0 );
  for ( size_t i = 0; i < distinct.size(); ++i )
    hist[bins.binOf( static_cast<double>( distinct[i] ) )] += pixels[i];
  return eqHistFromHistogram( std::move( hist ), vmin, vmax, false );
}

double ValueTransform::operator()( double d ) const
{
  switch ( mHow )
  {
    case How::Linear:
      return d;
    case How::Log:
      return std::log1p( d );
    case How::Cbrt:
      // Datashader raises to the power 1/3. rather than calling cbrt; the two differ in the last bit.
      return std::pow( d, 1.0 / 3.0 );
    case How::EqHist:
      break;
  }
  const EqHist &eq = *mEqHist;
  const numpy::Interp &f = *eq.interp;
  if ( eq.exact || std::isnan( d ) )
    return f( d );
  const std::vector<double> &knots = f.xp();
  if ( knots.empty() )
    return std::numeric_limits<double>::quiet_NaN();
  if ( d > knots.back() )
    return f.evaluate( d, static_cast<int>( knots.size() ) );
  if ( d < knots.front() )
    return f.evaluate( d, -1 );
  // The rightmost kept centre <= d: that of d's own bin, or else of an earlier kept bin.
  const int b = eq.bins->binOf( d );
  int j = eq.keptAtOrBelow[b];
  if ( j >= 0 && knots[j] > d )
    j = b > 0 ? eq.keptAtOrBelow[b - 1] : -1;
  return f.evaluate( d, j );
}

} // namespace gridshade
