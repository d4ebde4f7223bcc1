// SPDX-License-Identifier: GPL-2.0-or-later
#include "raster_reader_pool.h"

namespace gridshade
{

RasterReaderPool::RasterReaderPool( const QString &gdalSource, const RasterOverrides &overrides )
  : mSource( gdalSource )
  , mOverrides( overrides )
{}

RasterReaderPool::Handle RasterReaderPool::acquire()
{
  std::unique_ptr<RasterWindowReader> reader;
  {
    QMutexLocker lock( &mMutex );
    if ( !mFree.empty() )
    {
      reader = std::move( mFree.back() );
      mFree.pop_back();
    }
  }
  if ( !reader )
    reader = std::make_unique<RasterWindowReader>( mSource, mOverrides );
  // The pool outlives no handle: renderers hold the pool by shared_ptr while they read.
  return Handle( reader.release(), [this]( RasterWindowReader *r ) { release( r ); } );
}

void RasterReaderPool::release( RasterWindowReader *reader )
{
  std::unique_ptr<RasterWindowReader> owned( reader );
  if ( !owned->status() )
    return; // a reader that failed to open is not worth keeping
  QMutexLocker lock( &mMutex );
  if ( mFree.size() < MAX_FREE )
    mFree.push_back( std::move( owned ) );
}

} // namespace gridshade
