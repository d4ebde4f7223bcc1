// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/point_columns.h"
#include "core/status.h"

#include <QList>
#include <QString>

namespace gridshade
{

//! Column names of a points CSV.
struct PointsCsvColumns
{
    QString x = QStringLiteral( "x" );
    QString y = QStringLiteral( "y" );
    QString value;    //!< empty: no value column
    QString category; //!< empty: no category column
    //! Malformed rows are skipped and reported instead of failing the read.
    bool skipBadRows = false;
};

//! What a read met on the way.
struct PointsReadReport
{
    bool malformed = false;         //!< the error (if any) is malformed content, not I/O
    uint64_t skippedRows = 0;       //!< malformed rows skipped (skipBadRows)
    QList<qint64> firstSkippedLines; //!< their 1-based line numbers, the first few
    static constexpr int FIRST_LINES = 10;
};

/**
 * \brief Reads and writes point files for the command-line tool and for other tools.
 *
 * Raw (".bin", ".f64", ".raw"): interleaved little-endian float64 x, y pairs, no header (numpy:
 * `np.fromfile(f).reshape(-1, 2)`). CSV (".csv"): a header row naming the columns, then x, y
 * and optionally a value column and an integer category column; the x/y/value/category column
 * names are chosen by the caller (defaults "x", "y"). Empty cells and the words nan/inf are
 * numbers that are not finite (dropped and counted later). A row with too few cells, or a cell
 * with other text ("foo", "1.2.3", a non-integer category) is malformed: an error naming the
 * file, the line and the row, unless skipBadRows (then it is left out and counted in the
 * report). A missing named column is an error, and so is a raw file that is not a whole number
 * of records.
 *
 * Stateless; any thread.
 */
class PointsFile
{
  public:
    using CsvColumns = PointsCsvColumns;

    static Status read( const QString &path, PointColumns &out, const CsvColumns &columns = CsvColumns(), PointsReadReport *report = nullptr );
    static Status writeRaw( const QString &path, const PointColumns &points );
};

} // namespace gridshade
