// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "render_record.h"

#include <QVector>

namespace gridshade
{

/**
 * \brief The last renders, oldest first, capped at a capacity (the oldest drop out), and their
 * CSV export. A plain value; GUI thread in practice.
 */
class RenderHistory
{
  public:
    static constexpr int DEFAULT_CAPACITY = 1000;

    explicit RenderHistory( int capacity = DEFAULT_CAPACITY );
    void add( const RenderRecord &record );
    void clear();
    int size() const { return mRecords.size(); }
    int capacity() const { return mCapacity; }
    const QVector<RenderRecord> &records() const { return mRecords; }
    //! The last \a n records (fewer when the history is shorter), oldest first.
    QVector<RenderRecord> last( int n ) const;
    //! Header plus one line per record, '\n' line ends.
    QString toCsv() const;

  private:
    int mCapacity;
    QVector<RenderRecord> mRecords;
};

} // namespace gridshade
