// SPDX-License-Identifier: GPL-2.0-or-later
#include "process_memory.h"

#include <cstdio>
#include <unistd.h>

namespace gridshade
{

qint64 processResidentBytes()
{
  // statm: total and resident sizes in pages, first on one line.
  std::FILE *f = std::fopen( "/proc/self/statm", "r" );
  if ( !f )
    return -1;
  unsigned long long total = 0, resident = 0;
  const int read = std::fscanf( f, "%llu %llu", &total, &resident );
  std::fclose( f );
  const long page = sysconf( _SC_PAGESIZE );
  if ( read != 2 || page <= 0 )
    return -1;
  return static_cast<qint64>( resident ) * page;
}

} // namespace gridshade
