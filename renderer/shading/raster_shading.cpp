// SPDX-License-Identifier: GPL-2.0-or-later
#include "raster_shading.h"

#include "aggregation/aggregate.h"
#include "shader.h"

#include <cmath>
#include <limits>
#include <new>

namespace gridshade
{

Status shadeRaster( const double *values, const uint8_t *alpha, int width, int height, const ShadeSettings &settings, RgbaImage &out )
{
  if ( width < 1 || height < 1 || !values )
    return Status::error( QStringLiteral( "an empty raster (%1 x %2) cannot be shaded" ).arg( width ).arg( height ) );
  Aggregate field;
  try
  {
    // Any float reduction: only its values and their NaN are used by the shader.
    field.reset( Reduction::Mean, width, height );
  }
  catch ( const std::bad_alloc & )
  {
    return Status::error( QStringLiteral( "out of memory shading a %1 x %2 raster" ).arg( width ).arg( height ) );
  }
  const size_t pixels = static_cast<size_t>( width ) * height;
  double *v = field.values().data();
  for ( size_t p = 0; p < pixels; ++p )
    v[p] = ( alpha && alpha[p] == 0 ) ? std::numeric_limits<double>::quiet_NaN() : values[p];
  if ( Status st = Shader::shade( field, settings, out ); !st )
    return st;
  if ( alpha )
  {
    uint32_t *px = out.data();
    for ( size_t p = 0; p < pixels; ++p )
    {
      if ( alpha[p] == 255 || px[p] == 0 )
        continue;
      const uint32_t a = ( RgbaImage::alpha( px[p] ) * alpha[p] + 127 ) / 255;
      px[p] = RgbaImage::pack( RgbaImage::red( px[p] ), RgbaImage::green( px[p] ), RgbaImage::blue( px[p] ), static_cast<uint8_t>( a ) );
    }
  }
  return Status::ok();
}

} // namespace gridshade
