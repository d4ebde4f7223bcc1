// SPDX-License-Identifier: GPL-2.0-or-later
#include "render_history.h"

#include <algorithm>

namespace gridshade
{

RenderHistory::RenderHistory( int capacity )
  : mCapacity( std::max( 1, capacity ) )
{
}

void RenderHistory::add( const RenderRecord &record )
{
  mRecords.append( record );
  if ( mRecords.size() > mCapacity )
    mRecords.remove( 0, mRecords.size() - mCapacity );
}

void RenderHistory::clear()
{
  mRecords.clear();
}

QVector<RenderRecord> RenderHistory::last( int n ) const
{
  if ( n <= 0 )
    return {};
  if ( n >= mRecords.size() )
    return mRecords;
  return mRecords.mid( mRecords.size() - n );
}

QString RenderHistory::toCsv() const
{
  QString csv = RenderRecord::csvHeader() + QLatin1Char( '\n' );
  for ( const RenderRecord &record : mRecords )
    csv += record.toCsvRow() + QLatin1Char( '\n' );
  return csv;
}

} // namespace gridshade
