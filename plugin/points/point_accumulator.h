// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/status.h"
#include "point_cache.h"

#include <QHash>

#include <memory>
#include <vector>

class QgsCoordinateTransform;
class QgsFeedback;

namespace gridshade
{

/**
 * \brief Collects points (in the source CRS) with an optional value and category label while a
 * reader walks a source, then finishes them into a PointCache: batched transform to the
 * destination CRS, bounds, and category codes in sorted label order. One thread at a time.
 *
 * At most MAX_CATEGORIES labels are taken: the point that brings one more is refused, and the
 * reader stops there (a field of ids would otherwise be read whole, only to be refused).
 */
class PointAccumulator
{
  public:
    PointAccumulator( bool withValues, bool withCategories, size_t expected );

    //! Adds one point; false, adding nothing, when its label would pass the category limit.
    bool add( double x, double y, double value, const QString &category )
    {
      const int32_t code = mWithCategories ? codeOf( category ) : 0;
      if ( code < 0 )
        return false;
      mX.push_back( x );
      mY.push_back( y );
      if ( mWithValues )
        mValues.push_back( value );
      if ( mWithCategories )
        mCodes.push_back( code );
      return true;
    }
    size_t size() const { return mX.size(); }
    //! True once add() refused a point for bringing label MAX_CATEGORIES + 1.
    bool categoryLimitPassed() const { return mLimitPassed; }

    //! Transforms (when \a transform is valid) and moves everything into \a cache.
    Status finish( const QgsCoordinateTransform &transform, QgsFeedback *feedback, PointCache &cache );

  private:
    //! The label's code in first-seen order; -1 when it would be one label too many.
    int32_t codeOf( const QString &label );
    //! Codes in sorted label order, so that colours do not depend on the order of features.
    Status sortCategories( QgsFeedback *feedback, PointCache &cache );

    bool mWithValues;
    bool mWithCategories;
    std::vector<double> mX, mY, mValues;
    std::vector<int32_t> mCodes;
    QHash<QString, int32_t> mFirstSeen;
    QStringList mLabels;
    bool mLimitPassed = false;
};

} // namespace gridshade
