// SPDX-License-Identifier: GPL-2.0-or-later
#include "point_cache.h"

namespace gridshade
{

uint64_t PointCache::bytes() const
{
  const uint64_t n = points.size();
  return n * 16 + ( points.hasValues() ? n * 8 : 0 ) + ( points.hasCategories() ? n * 4 : 0 );
}

} // namespace gridshade
