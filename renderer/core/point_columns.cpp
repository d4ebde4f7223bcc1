// SPDX-License-Identifier: GPL-2.0-or-later
#include "point_columns.h"

#include <algorithm>
#include <atomic>

namespace gridshade
{

namespace
{
std::shared_ptr<const uint64_t> newToken()
{
  static std::atomic<uint64_t> next { 1 };
  return std::make_shared<const uint64_t>( next.fetch_add( 1 ) );
}
} // namespace

PointColumns PointColumns::view( const double *x, const double *y, size_t count )
{
  PointColumns p;
  p.mX = x;
  p.mY = y;
  p.mCount = ( x && y ) ? count : 0;
  p.mCoordinatesToken = newToken();
  return p;
}

PointColumns PointColumns::owned( std::vector<double> x, std::vector<double> y )
{
  PointColumns p;
  const size_t n = std::min( x.size(), y.size() );
  p.mOwnedX = std::make_shared<const std::vector<double>>( std::move( x ) );
  p.mOwnedY = std::make_shared<const std::vector<double>>( std::move( y ) );
  p.mX = p.mOwnedX->data();
  p.mY = p.mOwnedY->data();
  p.mCount = n;
  p.mCoordinatesToken = newToken();
  return p;
}

void PointColumns::setValuesView( const double *values )
{
  mOwnedValues.reset();
  mValues = values;
  mValuesToken = values ? newToken() : nullptr;
}

void PointColumns::setValues( std::vector<double> values )
{
  values.resize( mCount, 0.0 );
  mOwnedValues = std::make_shared<const std::vector<double>>( std::move( values ) );
  mValues = mOwnedValues->data();
  mValuesToken = newToken();
}

void PointColumns::setCategoriesView( const int32_t *categories, int categoryCount )
{
  mOwnedCategories.reset();
  mCategories = categories;
  mCategoryCount = categories ? std::max( categoryCount, 0 ) : 0;
  mCategoriesToken = categories ? newToken() : nullptr;
}

void PointColumns::setCategories( std::vector<int32_t> categories, int categoryCount )
{
  categories.resize( mCount, -1 );
  mOwnedCategories = std::make_shared<const std::vector<int32_t>>( std::move( categories ) );
  mCategories = mOwnedCategories->data();
  mCategoryCount = std::max( categoryCount, 0 );
  mCategoriesToken = newToken();
}

PointColumns PointColumns::prefix( size_t count ) const
{
  PointColumns p = *this;
  p.mCount = std::min( count, mCount );
  return p;
}

} // namespace gridshade
