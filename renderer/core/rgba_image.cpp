// SPDX-License-Identifier: GPL-2.0-or-later
#include "rgba_image.h"


#include <cstring>

namespace gridshade
{

namespace
{

// The QImage cleanup hook owns one reference to the buffer for as long as the image lives.
void releaseBuffer( void *info )
{
  delete static_cast<std::shared_ptr<std::vector<uint32_t>> *>( info );
}

} // namespace

RgbaImage::RgbaImage( int width, int height )
  : mWidth( width > 0 ? width : 0 )
  , mHeight( height > 0 ? height : 0 )
  , mBuffer( std::make_shared<std::vector<uint32_t>>( static_cast<size_t>( mWidth ) * mHeight, 0u ) )
{}

void RgbaImage::prepare( int width, int height )
{
  if ( mBuffer && mBuffer.use_count() == 1 && width == mWidth && height == mHeight )
    return;
  *this = RgbaImage( width, height );
}

uint32_t RgbaImage::pack( uint8_t r, uint8_t g, uint8_t b, uint8_t a )
{
  const uint8_t bytes[4] = { r, g, b, a };
  uint32_t p;
  std::memcpy( &p, bytes, 4 );
  return p;
}

uint8_t RgbaImage::red( uint32_t p )
{
  return reinterpret_cast<const uint8_t *>( &p )[0];
}

uint8_t RgbaImage::green( uint32_t p )
{
  return reinterpret_cast<const uint8_t *>( &p )[1];
}

uint8_t RgbaImage::blue( uint32_t p )
{
  return reinterpret_cast<const uint8_t *>( &p )[2];
}

uint8_t RgbaImage::alpha( uint32_t p )
{
  return reinterpret_cast<const uint8_t *>( &p )[3];
}

QImage RgbaImage::view() const
{
  if ( isNull() )
    return QImage();
  auto *keepAlive = new std::shared_ptr<std::vector<uint32_t>>( mBuffer );
  return QImage( reinterpret_cast<const uchar *>( mBuffer->data() ), mWidth, mHeight, mWidth * 4,
                 QImage::Format_RGBA8888, releaseBuffer, keepAlive );
}

QImage RgbaImage::toImage( QImage::Format format ) const
{
  if ( isNull() )
    return QImage();
  // convertToFormat() copies; for the same format copy() detaches from our buffer.
  const QImage v = view();
  return format == QImage::Format_RGBA8888 ? v.copy() : v.convertToFormat( format );
}

Status RgbaImage::copyTo( uchar *destination, qsizetype bytesPerLine, QImage::Format format ) const
{
  if ( isNull() )
    return Status::error( QStringLiteral( "cannot copy an empty image" ) );
  if ( !destination )
    return Status::error( QStringLiteral( "cannot copy into a null buffer" ) );
  const QImage converted = toImage( format );
  if ( converted.isNull() )
    return Status::error( QStringLiteral( "cannot convert the image to QImage format %1" ).arg( int( format ) ) );
  const qsizetype rowBytes = static_cast<qsizetype>( converted.width() ) * converted.depth() / 8;
  if ( bytesPerLine < rowBytes )
    return Status::error( QStringLiteral( "stride of %1 bytes is smaller than a row of %2 bytes" ).arg( bytesPerLine ).arg( rowBytes ) );
  for ( int y = 0; y < mHeight; ++y )
    std::memcpy( destination + y * bytesPerLine, converted.constScanLine( y ), static_cast<size_t>( rowBytes ) );
  return Status::ok();
}

} // namespace gridshade
