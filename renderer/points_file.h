// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "point_columns.h"
#include "status.h"

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
};

/**
 * \brief Reads and writes point files for the command-line tool and for other tools.
 *
 * Raw (".bin", ".f64", ".raw"): interleaved little-endian float64 x, y pairs, no header (numpy:
 * `np.fromfile(f).reshape(-1, 2)`). CSV (".csv"): a header row naming the columns, then x, y
 * and optionally a value column and an integer category column; the x/y/value/category column
 * names are chosen by the caller (defaults "x", "y"). Empty or unparsable x/y cells become NaN
 * (counted as dropped later); a missing named column is an error.
 *
 * Stateless; any thread.
 */
class PointsFile
{
  public:
    using CsvColumns = PointsCsvColumns;

    static Status read( const QString &path, PointColumns &out, const CsvColumns &columns = CsvColumns() );
    static Status writeRaw( const QString &path, const PointColumns &points );
};

} // namespace gridshade
