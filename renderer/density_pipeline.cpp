// SPDX-License-Identifier: GPL-2.0-or-later
#include "density_pipeline.h"

#include "aggregation/column_source.h"
#include "shading/shader.h"

#include <chrono>

namespace gridshade
{

namespace
{
double millisecondsSince( std::chrono::steady_clock::time_point start )
{
  return std::chrono::duration<double, std::milli>( std::chrono::steady_clock::now() - start ).count();
}
} // namespace

Status DensityPipeline::render( const PointColumns &points, const Viewport &viewport, const AggregateSettings &aggregation,
                                const ShadeSettings &shading, RenderResult &out, const std::atomic<bool> *cancel )
{
  return render( ColumnSource( points ), viewport, aggregation, shading, out, cancel );
}

Status DensityPipeline::render( const PointSource &source, const Viewport &viewport, const AggregateSettings &aggregation,
                                const ShadeSettings &shading, RenderResult &out, const std::atomic<bool> *cancel )
{
  if ( Status s = shading.validate(); !s )
    return s;
  auto start = std::chrono::steady_clock::now();
  if ( Status s = source.aggregate( viewport, aggregation, out.aggregate, cancel ); !s )
    return s;
  out.timings.aggregateMs = millisecondsSince( start );
  if ( cancel && cancel->load() )
    return Status::error( QStringLiteral( "render cancelled" ) );
  start = std::chrono::steady_clock::now();
  if ( Status s = Shader::shade( out.aggregate, shading, out.image ); !s )
    return s;
  out.timings.shadeMs = millisecondsSince( start );
  return Status::ok();
}

} // namespace gridshade
