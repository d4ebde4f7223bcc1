// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/status.h"

#include <QList>
#include <QVariant>

namespace gridshade
{

/**
 * Band numbers as qgis_process and Python users write them: a list (repeated BANDS=, or a Python
 * list), or one string separated by commas, semicolons or spaces ("3,1", "3;1"). Empty: all
 * bands. An entry that is not a whole number >= 1 is an error naming it and the forms taken.
 */
Status parseBandList( const QString &parameter, const QVariant &value, QList<int> &bands );

//! MemAvailable of /proc/meminfo in bytes (-1 when unknown).
qint64 availableMemoryBytes();

/**
 * Refuses, before anything is read, an output of \a width x \a height x \a bands float64 values
 * that exceeds the documented limit (2^30 pixels) or half the memory available now, naming both.
 */
Status checkOutputSize( int width, int height, int bands );

} // namespace gridshade
