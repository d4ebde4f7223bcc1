// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "point_cache.h"
#include "status.h"

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
 */
class PointAccumulator
{
  public:
    PointAccumulator( bool withValues, bool withCategories, size_t expected );

    void add( double x, double y, double value, const QString &category )
    {
      mX.push_back( x );
      mY.push_back( y );
      if ( mWithValues )
        mValues.push_back( value );
      if ( mWithCategories )
        mCodes.push_back( codeOf( category ) );
    }
    size_t size() const { return mX.size(); }

    //! Transforms (when \a transform is valid) and moves everything into \a cache.
    Status finish( const QgsCoordinateTransform &transform, QgsFeedback *feedback, PointCache &cache );

  private:
    int32_t codeOf( const QString &label );

    bool mWithValues;
    bool mWithCategories;
    std::vector<double> mX, mY, mValues;
    std::vector<int32_t> mCodes;
    QHash<QString, int32_t> mFirstSeen;
    QStringList mLabels;
};

} // namespace gridshade
