// SPDX-License-Identifier: GPL-2.0-or-later
// Zero-copy QImage view and the explicit copy path.
#include "core/rgba_image.h"

#include <QtTest>

using namespace gridshade;

class TestRgbaImage : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void zeroCopyView();
    void viewOutlivesImage();
    void copyPath();
    void prepareReuses();
};

void TestRgbaImage::zeroCopyView()
{
  RgbaImage img( 5, 3 );
  img.data()[7] = RgbaImage::pack( 10, 20, 30, 255 );
  const QImage view = img.view();
  QCOMPARE( view.format(), QImage::Format_RGBA8888 );
  // The very same memory: no copy.
  QCOMPARE( static_cast<const void *>( view.constBits() ), static_cast<const void *>( img.constData() ) );
  QCOMPARE( view.bytesPerLine(), 5 * 4 );
  QCOMPARE( view.pixelColor( 2, 1 ), QColor( 10, 20, 30, 255 ) );
  QCOMPARE( view.pixelColor( 0, 0 ), QColor( 0, 0, 0, 0 ) );
}

void TestRgbaImage::viewOutlivesImage()
{
  QImage view;
  const void *address = nullptr;
  {
    RgbaImage img( 4, 4 );
    img.data()[0] = RgbaImage::pack( 1, 2, 3, 4 );
    view = img.view();
    address = img.constData();
  }
  // The view keeps the buffer alive after the RgbaImage is gone.
  QCOMPARE( static_cast<const void *>( view.constBits() ), address );
  QCOMPARE( view.pixelColor( 0, 0 ), QColor( 1, 2, 3, 4 ) );
}

void TestRgbaImage::copyPath()
{
  RgbaImage img( 3, 2 );
  img.data()[0] = RgbaImage::pack( 255, 0, 0, 128 );
  img.data()[5] = RgbaImage::pack( 0, 0, 255, 255 );
  const QImage argb = img.toImage( QImage::Format_ARGB32 );
  QVERIFY( argb.constBits() != reinterpret_cast<const uchar *>( img.constData() ) );
  QCOMPARE( argb.pixel( 0, 0 ), qRgba( 255, 0, 0, 128 ) );
  QCOMPARE( argb.pixel( 2, 1 ), qRgba( 0, 0, 255, 255 ) );
  const QImage premultiplied = img.toImage( QImage::Format_ARGB32_Premultiplied );
  QCOMPARE( qRed( premultiplied.pixel( 0, 0 ) ), 128 ); // 255 * 128 / 255, premultiplied
  QCOMPARE( premultiplied.pixelColor( 0, 0 ).red(), 255 ); // pixelColor() un-premultiplies
  // Into caller memory with a padded stride.
  std::vector<uchar> buffer( 2 * 16, 0xAB );
  QVERIFY( img.copyTo( buffer.data(), 16, QImage::Format_RGBA8888 ) );
  QCOMPARE( int( buffer[0] ), 255 );
  QCOMPARE( int( buffer[3] ), 128 );
  QCOMPARE( int( buffer[12] ), 0xAB ); // padding untouched
  QCOMPARE( int( buffer[16 + 8 + 2] ), 255 );
  QVERIFY( !img.copyTo( buffer.data(), 8, QImage::Format_RGBA8888 ).isOk() ); // stride too small
  QVERIFY( !img.copyTo( nullptr, 16, QImage::Format_RGBA8888 ).isOk() );
  QVERIFY( !RgbaImage().copyTo( buffer.data(), 16, QImage::Format_RGBA8888 ).isOk() );
}

void TestRgbaImage::prepareReuses()
{
  RgbaImage img( 8, 8 );
  const uint32_t *before = img.constData();
  img.prepare( 8, 8 );
  QCOMPARE( img.constData(), before );
  const QImage view = img.view(); // shared now: prepare must not hand out the shared buffer
  img.prepare( 8, 8 );
  QVERIFY( img.constData() != before );
  img.prepare( 4, 2 );
  QCOMPARE( img.width(), 4 );
  QCOMPARE( img.height(), 2 );
}

QTEST_APPLESS_MAIN( TestRgbaImage )
#include "test_rgba_image.moc"
