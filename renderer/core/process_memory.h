// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QtGlobal>

namespace gridshade
{

/**
 * \brief The resident set size of this process in bytes (Linux: /proc/self/statm), or -1 where
 * it cannot be read. Cheap (one small read); any thread.
 */
qint64 processResidentBytes();

} // namespace gridshade
