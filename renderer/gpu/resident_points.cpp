// SPDX-License-Identifier: GPL-2.0-or-later
#include "resident_points.h"

#include "rhi_compat.h"

#include <algorithm>

namespace gridshade::gpu
{

namespace
{
uint64_t columnBytes( size_t count, size_t elementBytes )
{
  return static_cast<uint64_t>( count ) * elementBytes;
}

QString mib( uint64_t bytes )
{
  return QString::number( static_cast<double>( bytes ) / ( 1024.0 * 1024.0 ), 'f', 0 );
}
} // namespace

ResidentPointStore::ResidentPointStore( QRhi *rhi, size_t segmentPoints, uint64_t budgetBytes )
  : mRhi( rhi )
  , mSegmentPoints( segmentPoints )
  , mBudget( budgetBytes )
{}

ResidentPointStore::~ResidentPointStore()
{
  clear();
}

uint64_t ResidentPointStore::bytes() const
{
  uint64_t total = 0;
  for ( const ResidentSet &s : mSets )
    total += s.bytes();
  return total;
}

void ResidentPointStore::clear()
{
  for ( ResidentSet &s : mSets )
    releaseSet( s );
  mSets.clear();
}

void ResidentPointStore::release( ResidentColumn &column )
{
  for ( QRhiBuffer *b : column.segments )
    delete b;
  column = ResidentColumn();
}

void ResidentPointStore::releaseSet( ResidentSet &set )
{
  for ( QRhiShaderResourceBindings *srb : set.bindings )
    delete srb;
  set.bindings.clear();
  set.bindingsKey = 0;
  release( set.x );
  release( set.y );
  release( set.values );
  release( set.categories );
}

void ResidentPointStore::dropExpired()
{
  for ( auto it = mSets.begin(); it != mSets.end(); )
  {
    if ( it->lifetime.expired() )
    {
      releaseSet( *it );
      it = mSets.erase( it );
    }
    else
      ++it;
  }
}

bool ResidentPointStore::evictFor( uint64_t bytes, const ResidentSet *keep )
{
  while ( this->bytes() + bytes > mBudget )
  {
    auto victim = mSets.end();
    for ( auto it = mSets.begin(); it != mSets.end(); ++it )
    {
      if ( &*it != keep && ( victim == mSets.end() || it->lastUse < victim->lastUse ) )
        victim = it;
    }
    if ( victim == mSets.end() )
      return false;
    releaseSet( *victim );
    mSets.erase( victim );
  }
  return true;
}

Status ResidentPointStore::upload( ResidentColumn &column, uint64_t id, const void *data, size_t elementBytes, size_t count )
{
  release( column );
  const char *bytes = static_cast<const char *>( data );
  QRhiResourceUpdateBatch *batch = nullptr;
  uint64_t staged = 0;
  auto submit = [&]() -> bool {
    QRhiCommandBuffer *cb = nullptr;
    if ( mRhi->beginOffscreenFrame( &cb ) != QRhi::FrameOpSuccess )
    {
      batch->release();
      batch = nullptr;
      return false;
    }
    cb->resourceUpdate( batch );
    batch = nullptr;
    staged = 0;
    return mRhi->endOffscreenFrame() == QRhi::FrameOpSuccess;
  };
  for ( size_t first = 0; first < count; first += mSegmentPoints )
  {
    const size_t n = std::min( mSegmentPoints, count - first );
    const int size = static_cast<int>( columnBytes( n, elementBytes ) );
    // Storage buffers are sized in multiples of 16 bytes on some drivers.
    QRhiBuffer *buffer = mRhi->newBuffer( QRhiBuffer::Immutable, QRhiBuffer::StorageBuffer, ( size + 15 ) & ~15 );
    if ( !createResource( buffer ) )
    {
      delete buffer;
      if ( batch )
        batch->release();
      release( column );
      return Status::error( QStringLiteral( "GPU buffer allocation of %1 MiB failed" ).arg( mib( size ) ) );
    }
    column.segments.push_back( buffer );
    column.bytes += static_cast<uint64_t>( buffer->size() );
    if ( !batch )
      batch = mRhi->nextResourceUpdateBatch();
    batch->uploadStaticBuffer( buffer, 0, size, bytes + columnBytes( first, elementBytes ) );
    staged += static_cast<uint64_t>( size );
    if ( staged >= STAGING_BYTES && !submit() )
    {
      release( column );
      return Status::error( QStringLiteral( "GPU upload failed (device lost?)" ) );
    }
  }
  if ( batch && !submit() )
  {
    release( column );
    return Status::error( QStringLiteral( "GPU upload failed (device lost?)" ) );
  }
  column.id = id;
  column.count = count;
  return Status::ok();
}

ResidentSet *ResidentPointStore::obtain( const PointColumns &points, bool needValues, bool needCategories, Status &status )
{
  dropExpired();
  const size_t n = points.size();
  ResidentSet *set = nullptr;
  for ( ResidentSet &s : mSets )
  {
    if ( s.coordinatesId == points.coordinatesId() )
      set = &s;
  }
  const bool coordinatesFit = set && set->x.count >= n;
  const bool valuesFit = !needValues || ( set && set->values.id == points.valuesId() && set->values.count >= n );
  const bool categoriesFit = !needCategories || ( set && set->categories.id == points.categoriesId() && set->categories.count >= n );
  uint64_t missing = 0;
  if ( !coordinatesFit )
    missing += 2 * columnBytes( n, sizeof( double ) );
  if ( !valuesFit )
    missing += columnBytes( n, sizeof( double ) );
  if ( !categoriesFit )
    missing += columnBytes( n, sizeof( int32_t ) );
  if ( missing > 0 && !evictFor( missing, set ) )
  {
    status = Status::error( QStringLiteral( "the points need %1 MiB more GPU memory than the %2 MiB budget allows (GRIDSHADE_GPU_MEMORY_MB)" )
                              .arg( mib( missing ) )
                              .arg( mib( mBudget ) ) );
    return nullptr;
  }
  if ( !set )
  {
    mSets.emplace_back();
    set = &mSets.back();
    set->coordinatesId = points.coordinatesId();
    set->lifetime = points.coordinatesLifetime();
  }
  auto fail = [&]( const Status &s ) -> ResidentSet * {
    status = s;
    releaseSet( *set );
    mSets.remove_if( [set]( const ResidentSet &r ) { return &r == set; } );
    return nullptr;
  };
  if ( !coordinatesFit )
  {
    // New coordinates invalidate every other column's segment layout too.
    releaseSet( *set );
    if ( Status s = upload( set->x, points.coordinatesId(), points.x(), sizeof( double ), n ); !s )
      return fail( s );
    if ( Status s = upload( set->y, points.coordinatesId(), points.y(), sizeof( double ), n ); !s )
      return fail( s );
  }
  if ( needValues && !( set->values.id == points.valuesId() && set->values.count >= n ) )
  {
    if ( Status s = upload( set->values, points.valuesId(), points.values(), sizeof( double ), n ); !s )
      return fail( s );
  }
  if ( needCategories && !( set->categories.id == points.categoriesId() && set->categories.count >= n ) )
  {
    if ( Status s = upload( set->categories, points.categoriesId(), points.categories(), sizeof( int32_t ), n ); !s )
      return fail( s );
  }
  set->lastUse = ++mClock;
  status = Status::ok();
  return set;
}

} // namespace gridshade::gpu
