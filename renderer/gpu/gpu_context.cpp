// SPDX-License-Identifier: GPL-2.0-or-later
#include "gpu_context.h"

#include "rhi_compat.h"
#include "shader_library.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace gridshade::gpu
{

namespace
{

constexpr int LOCAL_SIZE = 256;      // local_size_x of every shader
constexpr int MAX_GROUPS_X = 65535;  // the smallest maxComputeWorkGroupCount[0] Vulkan allows
constexpr int MAIN = 0, SECOND = 1, DROPS = 2;

// The std140 block `Params` of shaders/bin_common.glsl.
struct SegmentParams
{
    double bounds[4];
    double transform[4];
    double size[2];
    uint32_t dims[4];
    uint32_t slot[4];
};
static_assert( offsetof( SegmentParams, transform ) == 32, "std140 dvec4" );
static_assert( offsetof( SegmentParams, dims ) == 80, "std140 uvec4 after dvec2" );
static_assert( sizeof( SegmentParams ) == 112, "std140 size" );

bool isValueReduction( Reduction r )
{
  return r == Reduction::Sum || r == Reduction::Mean || r == Reduction::Min || r == Reduction::Max;
}

uint64_t envMegabytes( const char *name )
{
  bool ok = false;
  const qulonglong mb = qEnvironmentVariable( name ).toULongLong( &ok );
  return ok ? static_cast<uint64_t>( mb ) << 20 : 0;
}

// Inverse of orderedKey() in shaders/reduce_value.comp.
double fromOrderedKey( uint64_t key )
{
  const uint64_t sign = uint64_t( 1 ) << 63;
  const uint64_t bits = ( key & sign ) ? ( key & ~sign ) : ~key;
  double v;
  std::memcpy( &v, &bits, sizeof v );
  return v;
}

} // namespace

std::unique_ptr<GpuContext> GpuContext::create( QString *reason )
{
  std::unique_ptr<GpuContext> context( new GpuContext );
  if ( !context->init( reason ) )
    return nullptr;
  return context;
}

GpuContext::~GpuContext()
{
  mStore.reset();
  for ( QRhiShaderResourceBindings *srb : mFillBindings )
    delete srb;
  for ( QRhiBuffer *b : mTargets )
    delete b;
  for ( QRhiBuffer *b : mFillParams )
    delete b;
  for ( QRhiBuffer *b : mSegmentParams )
    delete b;
  for ( QRhiComputePipeline *p : { mFill, mCount, mCountCat, mSum, mMin, mMax } )
    delete p;
  delete mLayout;
  delete mFillLayout;
  delete mDummy;
  delete mRhi;
  mDevice.destroy();
}

bool GpuContext::init( QString *reason )
{
  if ( !mDevice.create( reason ) )
    return false;
  QRhiVulkanInitParams params;
  params.inst = mDevice.instance();
  QRhiVulkanNativeHandles handles;
  handles.physDev = static_cast<VkPhysicalDevice>( mDevice.physicalDevice() );
  handles.dev = static_cast<VkDevice>( mDevice.device() );
  handles.gfxQueueFamilyIdx = mDevice.queueFamily();
  handles.gfxQueue = static_cast<VkQueue>( mDevice.queue() );
  mRhi = QRhi::create( QRhi::Vulkan, &params, QRhi::Flags(), &handles );
  if ( !mRhi )
  {
    *reason = QStringLiteral( "Qt RHI could not use the Vulkan device %1" ).arg( mDevice.description() );
    return false;
  }
  if ( !mRhi->isFeatureSupported( QRhi::Compute ) )
  {
    *reason = QStringLiteral( "Qt RHI reports no compute support on %1" ).arg( mDevice.description() );
    return false;
  }

  // Segments as large as one storage binding may see (2^22 points = 32 MiB per column at most).
  // GRIDSHADE_GPU_SEGMENT_POINTS (a power of two) makes them smaller: tests use it to cover
  // many segments and frames with few points.
  size_t segment = size_t( 1 ) << 22;
  bool segmentOk = false;
  const qulonglong wanted = qEnvironmentVariable( "GRIDSHADE_GPU_SEGMENT_POINTS" ).toULongLong( &segmentOk );
  if ( segmentOk && wanted >= 256 && wanted <= segment && ( wanted & ( wanted - 1 ) ) == 0 )
    segment = static_cast<size_t>( wanted );
  while ( segment > 256 && static_cast<uint64_t>( segment ) * sizeof( double ) > mDevice.maxStorageRange() )
    segment >>= 1;
  uint64_t budget = envMegabytes( "GRIDSHADE_GPU_MEMORY_MB" );
  if ( budget == 0 )
    budget = mDevice.deviceLocalBytes() ? mDevice.deviceLocalBytes() / 10 * 6 : uint64_t( 1 ) << 30;
  mStore = std::make_unique<ResidentPointStore>( mRhi, segment, budget );

  mDummy = mRhi->newBuffer( QRhiBuffer::Static, QRhiBuffer::StorageBuffer, 16 );
  for ( QRhiBuffer *&b : mFillParams )
    b = mRhi->newBuffer( QRhiBuffer::Dynamic, QRhiBuffer::UniformBuffer, 16 );
  mSegmentParams.push_back( mRhi->newBuffer( QRhiBuffer::Dynamic, QRhiBuffer::UniformBuffer, sizeof( SegmentParams ) ) );
  bool ok = createResource( mDummy ) && createResource( mSegmentParams[0] );
  for ( QRhiBuffer *b : mFillParams )
    ok = ok && createResource( b );
  if ( !ok )
  {
    *reason = QStringLiteral( "could not allocate small GPU buffers on %1" ).arg( mDevice.description() );
    return false;
  }

  const auto stage = QRhiShaderResourceBinding::ComputeStage;
  mLayout = mRhi->newShaderResourceBindings();
  mLayout->setBindings( { QRhiShaderResourceBinding::uniformBuffer( 0, stage, mSegmentParams[0] ),
                          QRhiShaderResourceBinding::bufferLoad( 1, stage, mDummy ),
                          QRhiShaderResourceBinding::bufferLoad( 2, stage, mDummy ),
                          QRhiShaderResourceBinding::bufferLoadStore( 3, stage, mDummy ),
                          QRhiShaderResourceBinding::bufferLoadStore( 4, stage, mDummy ),
                          QRhiShaderResourceBinding::bufferLoad( 5, stage, mDummy ),
                          QRhiShaderResourceBinding::bufferLoadStore( 6, stage, mDummy ) } );
  mFillLayout = mRhi->newShaderResourceBindings();
  mFillLayout->setBindings( { QRhiShaderResourceBinding::uniformBuffer( 0, stage, mFillParams[0] ),
                              QRhiShaderResourceBinding::bufferLoadStore( 1, stage, mDummy ) } );
  if ( !createResource( mLayout ) || !createResource( mFillLayout ) )
  {
    *reason = QStringLiteral( "could not create shader bindings on %1" ).arg( mDevice.description() );
    return false;
  }

  auto pipeline = [&]( ShaderId id, QRhiShaderResourceBindings *layout ) -> QRhiComputePipeline * {
    QRhiComputePipeline *p = mRhi->newComputePipeline();
    p->setShaderStage( QRhiShaderStage( QRhiShaderStage::Compute, computeShader( id ) ) );
    p->setShaderResourceBindings( layout );
    if ( !createResource( p ) )
    {
      delete p;
      return nullptr;
    }
    return p;
  };
  mFill = pipeline( ShaderId::Fill, mFillLayout );
  mCount = pipeline( ShaderId::Count, mLayout );
  mCountCat = pipeline( ShaderId::CountCat, mLayout );
  if ( mDevice.hasInt64Atomics() )
  {
    mSum = pipeline( ShaderId::Sum, mLayout );
    mMin = pipeline( ShaderId::Min, mLayout );
    mMax = pipeline( ShaderId::Max, mLayout );
  }
  if ( !mFill || !mCount || !mCountCat || ( mDevice.hasInt64Atomics() && ( !mSum || !mMin || !mMax ) ) )
  {
    *reason = QStringLiteral( "compute pipeline creation failed on %1" ).arg( mDevice.description() );
    return false;
  }
  return true;
}

GpuMemory GpuContext::memory() const
{
  GpuMemory m;
  m.residentBytes = mStore ? mStore->bytes() : 0;
  m.budgetBytes = mStore ? mStore->budgetBytes() : 0;
  m.deviceLocalBytes = mDevice.deviceLocalBytes();
  for ( const QRhiBuffer *b : mTargets )
    m.workBytes += b ? static_cast<uint64_t>( b->size() ) : 0;
  m.workBytes += mSegmentParams.size() * sizeof( SegmentParams );
  return m;
}

void GpuContext::releaseResidentPoints()
{
  if ( mStore )
    mStore->clear();
}

bool GpuContext::ensureBuffer( QRhiBuffer *&buffer, uint64_t bytes )
{
  bytes = std::max<uint64_t>( ( bytes + 15 ) & ~uint64_t( 15 ), 16 );
  if ( buffer && static_cast<uint64_t>( buffer->size() ) >= bytes )
    return true;
  delete buffer;
  buffer = nullptr;
  if ( bytes > static_cast<uint64_t>( std::numeric_limits<int>::max() ) || bytes > mDevice.maxStorageRange() )
    return false;
  buffer = mRhi->newBuffer( QRhiBuffer::Static, QRhiBuffer::StorageBuffer, static_cast<int>( bytes ) );
  ++mTargetsGeneration;
  if ( !createResource( buffer ) )
  {
    delete buffer;
    buffer = nullptr;
    return false;
  }
  return true;
}

QRhiShaderResourceBindings *GpuContext::fillBindings( int target )
{
  QRhiShaderResourceBindings *&srb = mFillBindings[target];
  // The bindings name the target buffer: kept until a work buffer is reallocated.
  if ( srb && mFillGeneration[target] == mTargetsGeneration )
    return srb;
  delete srb;
  mFillGeneration[target] = mTargetsGeneration;
  srb = mRhi->newShaderResourceBindings();
  const auto stage = QRhiShaderResourceBinding::ComputeStage;
  srb->setBindings( { QRhiShaderResourceBinding::uniformBuffer( 0, stage, mFillParams[target] ),
                      QRhiShaderResourceBinding::bufferLoadStore( 1, stage, mTargets[target] ) } );
  if ( !createResource( srb ) )
  {
    delete srb;
    srb = nullptr;
  }
  return srb;
}

bool GpuContext::prepareBindings( ResidentSet &set, Reduction reduction, size_t segments )
{
  // The bindings name the work buffers and the input columns; rebuild them when either changes.
  const uint64_t key = ( mTargetsGeneration * 1000003u ) ^ ( static_cast<uint64_t>( reduction ) << 56 ) ^ ( set.values.id * 7919u )
                       ^ ( set.categories.id * 104729u ) ^ ( static_cast<uint64_t>( set.x.segments.size() ) << 40 );
  if ( set.bindingsKey == key && set.bindings.size() >= segments )
    return true;
  for ( QRhiShaderResourceBindings *srb : set.bindings )
    delete srb;
  set.bindings.clear();
  set.bindingsKey = 0;
  const auto stage = QRhiShaderResourceBinding::ComputeStage;
  for ( size_t s = 0; s < set.x.segments.size(); ++s )
  {
    QRhiBuffer *extra = mDummy;
    if ( reduction == Reduction::CountCat )
      extra = set.categories.segments[s];
    else if ( isValueReduction( reduction ) )
      extra = set.values.segments[s];
    QRhiShaderResourceBindings *srb = mRhi->newShaderResourceBindings();
    srb->setBindings( { QRhiShaderResourceBinding::uniformBuffer( 0, stage, mSegmentParams[s] ),
                        QRhiShaderResourceBinding::bufferLoad( 1, stage, set.x.segments[s] ),
                        QRhiShaderResourceBinding::bufferLoad( 2, stage, set.y.segments[s] ),
                        QRhiShaderResourceBinding::bufferLoadStore( 3, stage, mTargets[MAIN] ),
                        QRhiShaderResourceBinding::bufferLoadStore( 4, stage, mTargets[DROPS] ),
                        QRhiShaderResourceBinding::bufferLoad( 5, stage, extra ),
                        QRhiShaderResourceBinding::bufferLoadStore( 6, stage, mTargets[SECOND] ) } );
    set.bindings.push_back( srb );
    if ( !createResource( srb ) )
      return false;
  }
  set.bindingsKey = key;
  return true;
}

Status GpuContext::frameFailed( const char *what )
{
  mLost = true;
  return Status::error( QStringLiteral( "GPU %1 failed on %2 (device lost?)" ).arg( QLatin1String( what ), mDevice.description() ) );
}

Status GpuContext::aggregate( const PointColumns &points, const Viewport &viewport, const AggregateSettings &settings,
                              Aggregate &out, const std::atomic<bool> *cancel )
{
  const Reduction reduction = settings.reduction;
  if ( isValueReduction( reduction ) && !mDevice.hasInt64Atomics() )
    return Status::error( QStringLiteral( "%1 has no 64-bit buffer atomics, which '%2' needs" ).arg( mDevice.description(), reductionName( reduction ) ) );
  const int width = viewport.width();
  const int height = viewport.height();
  const int categories = reduction == Reduction::CountCat ? points.categoryCount() : 0;
  out.reset( reduction, width, height, categories );
  AggregateStats &stats = out.stats();
  const size_t n = points.size();
  stats.total = n;
  if ( n == 0 )
    return Status::ok();

  Status status;
  ResidentSet *set = mStore->obtain( points, isValueReduction( reduction ), reduction == Reduction::CountCat, status );
  if ( !set )
    return status;
  const size_t segmentPoints = mStore->segmentPoints();
  const size_t segments = ( n + segmentPoints - 1 ) / segmentPoints;
  const uint64_t pixels = static_cast<uint64_t>( viewport.pixelCount() );
  uint64_t mainBytes = pixels * 4;
  if ( reduction == Reduction::CountCat )
    mainBytes = pixels * static_cast<uint64_t>( std::max( categories, 1 ) ) * 4;
  else if ( isValueReduction( reduction ) )
    mainBytes = pixels * 8;
  const bool second = reduction == Reduction::Sum || reduction == Reduction::Mean;
  const uint64_t secondBytes = second ? pixels * 4 : 16;
  const uint64_t dropBytes = segments * 16;
  if ( !ensureBuffer( mTargets[MAIN], mainBytes ) || !ensureBuffer( mTargets[SECOND], secondBytes ) || !ensureBuffer( mTargets[DROPS], dropBytes ) )
    return Status::error( QStringLiteral( "GPU grid allocation of %1 MiB failed" ).arg( static_cast<double>( mainBytes + secondBytes ) / 1048576.0, 0, 'f', 0 ) );
  while ( mSegmentParams.size() < set->x.segments.size() )
  {
    QRhiBuffer *b = mRhi->newBuffer( QRhiBuffer::Dynamic, QRhiBuffer::UniformBuffer, sizeof( SegmentParams ) );
    if ( !createResource( b ) )
    {
      delete b;
      return Status::error( QStringLiteral( "GPU parameter buffer allocation failed" ) );
    }
    mSegmentParams.push_back( b );
    ++mTargetsGeneration;
  }
  if ( !prepareBindings( *set, reduction, segments ) )
    return Status::error( QStringLiteral( "GPU shader bindings could not be created" ) );
  QRhiShaderResourceBindings *fills[3] = { fillBindings( MAIN ), second ? fillBindings( SECOND ) : nullptr, fillBindings( DROPS ) };
  if ( !fills[MAIN] || ( second && !fills[SECOND] ) || !fills[DROPS] )
    return Status::error( QStringLiteral( "GPU shader bindings could not be created" ) );

  QRhiComputePipeline *pipeline = mCount;
  // Fill words (even, odd): zero counts; -0.0 for sums (x + -0.0 == x for every x, -0.0 too);
  // the largest key for min and the smallest for max (no value maps to either).
  uint32_t mainFill[2] = { 0u, 0u };
  switch ( reduction )
  {
    case Reduction::Count:
      break;
    case Reduction::CountCat:
      pipeline = mCountCat;
      break;
    case Reduction::Sum:
    case Reduction::Mean:
      pipeline = mSum;
      mainFill[1] = 0x80000000u;
      break;
    case Reduction::Min:
      pipeline = mMin;
      mainFill[0] = mainFill[1] = 0xFFFFFFFFu;
      break;
    case Reduction::Max:
      pipeline = mMax;
      break;
  }
  const uint32_t fillParams[3][4] = { { mainFill[0], mainFill[1], static_cast<uint32_t>( mainBytes / 4 ), 0 },
                                      { 0, 0, static_cast<uint32_t>( secondBytes / 4 ), 0 },
                                      { 0, 0, static_cast<uint32_t>( dropBytes / 4 ), 0 } };

  const Extent &e = viewport.extent();
  QRhiBufferReadbackResult readMain, readSecond, readDrops;
  QElapsedTimer frames;
  frames.start();
  const size_t segmentsPerFrame = SEGMENTS_PER_FRAME;
  for ( size_t first = 0; first < segments; first += segmentsPerFrame )
  {
    const size_t end = std::min( segments, first + segmentsPerFrame );
    const bool firstFrame = first == 0;
    const bool lastFrame = end == segments;
    QRhiCommandBuffer *cb = nullptr;
    if ( mRhi->beginOffscreenFrame( &cb ) != QRhi::FrameOpSuccess )
      return frameFailed( "frame start" );
    QRhiResourceUpdateBatch *updates = mRhi->nextResourceUpdateBatch();
    for ( size_t s = first; s < end; ++s )
    {
      const size_t count = std::min( segmentPoints, n - s * segmentPoints );
      SegmentParams p {};
      p.bounds[0] = e.xmin;
      p.bounds[1] = e.xmax;
      p.bounds[2] = e.ymin;
      p.bounds[3] = e.ymax;
      p.transform[0] = viewport.scaleX();
      p.transform[1] = viewport.translateX();
      p.transform[2] = viewport.scaleY();
      p.transform[3] = viewport.translateY();
      p.size[0] = width;
      p.size[1] = height;
      p.dims[0] = static_cast<uint32_t>( width );
      p.dims[1] = static_cast<uint32_t>( height );
      p.dims[2] = static_cast<uint32_t>( count );
      p.dims[3] = static_cast<uint32_t>( categories );
      p.slot[0] = static_cast<uint32_t>( s );
      updates->updateDynamicBuffer( mSegmentParams[s], 0, sizeof( SegmentParams ), &p );
    }
    if ( firstFrame )
    {
      for ( int t = 0; t < 3; ++t )
        updates->updateDynamicBuffer( mFillParams[t], 0, 16, fillParams[t] );
      // Clearing gets a pass of its own: Qt RHI puts barriers between passes, not between the
      // dispatches of one pass, and the aggregation must see the cleared grids.
      cb->beginComputePass( updates );
      updates = nullptr;
      cb->setComputePipeline( mFill );
      for ( int t = 0; t < 3; ++t )
      {
        if ( !fills[t] )
          continue;
        const int groups = static_cast<int>( ( fillParams[t][2] + LOCAL_SIZE - 1 ) / LOCAL_SIZE );
        const int gx = std::min( groups, MAX_GROUPS_X );
        cb->setShaderResources( fills[t] );
        cb->dispatch( gx, ( groups + gx - 1 ) / gx, 1 );
      }
      cb->endComputePass();
    }
    cb->beginComputePass( updates );
    cb->setComputePipeline( pipeline );
    for ( size_t s = first; s < end; ++s )
    {
      const size_t count = std::min( segmentPoints, n - s * segmentPoints );
      cb->setShaderResources( set->bindings[s] );
      cb->dispatch( static_cast<int>( ( count + LOCAL_SIZE - 1 ) / LOCAL_SIZE ), 1, 1 );
    }
    QRhiResourceUpdateBatch *readback = nullptr;
    if ( lastFrame )
    {
      readback = mRhi->nextResourceUpdateBatch();
      readback->readBackBuffer( mTargets[MAIN], 0, static_cast<int>( mainBytes ), &readMain );
      if ( second )
        readback->readBackBuffer( mTargets[SECOND], 0, static_cast<int>( secondBytes ), &readSecond );
      readback->readBackBuffer( mTargets[DROPS], 0, static_cast<int>( dropBytes ), &readDrops );
    }
    cb->endComputePass( readback );
    if ( mRhi->endOffscreenFrame() != QRhi::FrameOpSuccess )
      return frameFailed( "frame submission" );
    if ( !lastFrame && cancel && cancel->load( std::memory_order_relaxed ) )
      return Status::error( QStringLiteral( "aggregation cancelled" ) );
  }
  stats.deviceMs = static_cast<double>( frames.nsecsElapsed() ) / 1e6;
  if ( static_cast<uint64_t>( readMain.data.size() ) != mainBytes || static_cast<uint64_t>( readDrops.data.size() ) != dropBytes
       || ( second && static_cast<uint64_t>( readSecond.data.size() ) != secondBytes ) )
    return frameFailed( "readback" );

  const uint32_t *drops = reinterpret_cast<const uint32_t *>( readDrops.data.constData() );
  for ( size_t s = 0; s < segments; ++s )
  {
    stats.droppedNonFinite += drops[s * 4];
    stats.droppedOutside += drops[s * 4 + 1];
    stats.droppedCategory += drops[s * 4 + 2];
  }
  stats.inView = stats.total - stats.droppedNonFinite - stats.droppedOutside - stats.droppedCategory;

  if ( out.isCount() )
  {
    std::memcpy( out.counts().data(), readMain.data.constData(), out.counts().size() * sizeof( uint32_t ) );
    return Status::ok();
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const uint64_t *cells = reinterpret_cast<const uint64_t *>( readMain.data.constData() );
  const uint32_t *valueCounts = second ? reinterpret_cast<const uint32_t *>( readSecond.data.constData() ) : nullptr;
  double *agg = out.values().data();
  const uint64_t emptyKey = reduction == Reduction::Min ? ~uint64_t( 0 ) : 0;
  for ( uint64_t p = 0; p < pixels; ++p )
  {
    switch ( reduction )
    {
      case Reduction::Sum:
      case Reduction::Mean:
      {
        double sum;
        std::memcpy( &sum, &cells[p], sizeof sum );
        if ( valueCounts[p] == 0 )
          agg[p] = nan;
        else
          agg[p] = reduction == Reduction::Sum ? sum : sum / valueCounts[p];
        break;
      }
      default:
        agg[p] = cells[p] == emptyKey ? nan : fromOrderedKey( cells[p] );
        break;
    }
  }
  return Status::ok();
}

} // namespace gridshade::gpu
