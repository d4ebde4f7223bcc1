// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

namespace gridshade
{

/**
 * Whether \a source is a GDAL MEM view of process memory ("MEM:::DATAPOINTER=..."), as the
 * Python console's layers are. Such a source means nothing in another session: opened from a
 * saved project it would read whatever now lies at that address.
 */
bool isMemoryView( const QString &source );

//! What a memory view in a project being read becomes: a path that opens nothing and says why.
QString unsavedMemoryViewPath();

/**
 * Installs (once) a QgsPathResolver preprocessor that turns memory views read from a project
 * into unsavedMemoryViewPath(), so such layers load as unavailable instead of reading stray
 * memory. Idempotent; removeMemoryViewGuard() takes it out again.
 */
void installMemoryViewGuard();
void removeMemoryViewGuard();

} // namespace gridshade
