// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "status.h"

#include <QImage>

#include <cstdint>
#include <memory>
#include <vector>

namespace gridshade
{

/**
 * \brief A north-up RGBA image with straight (not premultiplied) alpha, one uint32 per pixel
 * holding the bytes R, G, B, A in memory order (Datashader's packed layout on little-endian
 * machines), rows tightly packed.
 *
 * view() wraps the same memory in a QImage without copying; the QImage keeps the buffer alive.
 * copyTo() and toImage() are the explicit copy path for callers that need another format or
 * stride. Copies of an RgbaImage share the buffer; pixels are written only by the engine while
 * it builds the image, so any thread may read a finished one.
 */
class RgbaImage
{
  public:
    RgbaImage() = default;
    //! A transparent image (all bytes zero).
    RgbaImage( int width, int height );

    /**
     * Makes this a \a width x \a height image for the engine to overwrite completely. The buffer
     * is reused when it already has that size and no copy or QImage view shares it (saving the
     * allocation and page faults of a new one); its old pixels then remain until overwritten.
     */
    void prepare( int width, int height );

    int width() const { return mWidth; }
    int height() const { return mHeight; }
    bool isNull() const { return !mBuffer || mWidth <= 0 || mHeight <= 0; }
    size_t pixelCount() const { return static_cast<size_t>( mWidth ) * static_cast<size_t>( mHeight ); }

    uint32_t *data() { return mBuffer ? mBuffer->data() : nullptr; }
    const uint32_t *constData() const { return mBuffer ? mBuffer->data() : nullptr; }
    uint32_t pixel( int x, int y ) const { return ( *mBuffer )[static_cast<size_t>( y ) * mWidth + x]; }

    static uint32_t pack( uint8_t r, uint8_t g, uint8_t b, uint8_t a );
    static uint8_t red( uint32_t p );
    static uint8_t green( uint32_t p );
    static uint8_t blue( uint32_t p );
    static uint8_t alpha( uint32_t p );

    //! A QImage (Format_RGBA8888, read-only) over this buffer: no copy.
    QImage view() const;
    //! A deep copy converted to \a format.
    QImage toImage( QImage::Format format = QImage::Format_ARGB32_Premultiplied ) const;
    //! Copies into caller memory of height() rows of \a bytesPerLine bytes, converted to \a format.
    Status copyTo( uchar *destination, qsizetype bytesPerLine, QImage::Format format ) const;

  private:
    int mWidth = 0;
    int mHeight = 0;
    std::shared_ptr<std::vector<uint32_t>> mBuffer;
};

} // namespace gridshade
