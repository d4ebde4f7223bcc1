// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// A GDAL virtual file system for the tests: /vsicount/<path> reads <path> and counts every byte
// GDAL reads through it, so that tests can measure I/O (e.g. what overviews save). Unbuffered:
// each GDAL read is one counted read of the real file.

#include <cpl_vsi.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>

namespace gridshade::test
{

class CountingVsi
{
  public:
    static constexpr const char *PREFIX = "/vsicount/";

    //! Installs the handler once per process.
    static void install()
    {
      static const bool installed = [] {
        VSIFilesystemPluginCallbacksStruct *cb = VSIAllocFilesystemPluginCallbacksStruct();
        cb->open = &open;
        cb->read = &read;
        cb->seek = &seek;
        cb->tell = &tell;
        cb->eof = &eof;
        cb->close = &close;
        cb->stat = &stat;
        cb->nBufferSize = 0;
        cb->nCacheSize = 0;
        const bool ok = VSIInstallPluginHandler( PREFIX, cb ) == 0;
        VSIFreeFilesystemPluginCallbacksStruct( cb );
        return ok;
      }();
      (void) installed;
    }

    static uint64_t bytesRead() { return counter().load(); }
    static void reset() { counter() = 0; }

  private:
    static std::atomic<uint64_t> &counter()
    {
      static std::atomic<uint64_t> bytes { 0 };
      return bytes;
    }
    // GDAL hands the callbacks the name without the prefix ("/vsicount/tmp/a.tif" -> "tmp/a.tif").
    static std::string realPath( const char *name )
    {
      const size_t n = std::strlen( PREFIX );
      if ( std::strncmp( name, PREFIX, n ) == 0 )
        return std::string( name + n - 1 );
      return name[0] == '/' ? std::string( name ) : "/" + std::string( name );
    }
    static void *open( void *, const char *name, const char *access ) { return VSIFOpenL( realPath( name ).c_str(), access ); }
    static size_t read( void *f, void *buffer, size_t size, size_t count )
    {
      const size_t got = VSIFReadL( buffer, size, count, static_cast<VSILFILE *>( f ) );
      counter() += got * size;
      return got;
    }
    static int seek( void *f, vsi_l_offset offset, int whence ) { return VSIFSeekL( static_cast<VSILFILE *>( f ), offset, whence ); }
    static vsi_l_offset tell( void *f ) { return VSIFTellL( static_cast<VSILFILE *>( f ) ); }
    static int eof( void *f ) { return VSIFEofL( static_cast<VSILFILE *>( f ) ); }
    static int close( void *f ) { return VSIFCloseL( static_cast<VSILFILE *>( f ) ); }
    static int stat( void *, const char *name, VSIStatBufL *buf, int flags ) { return VSIStatExL( realPath( name ).c_str(), buf, flags ); }
};

} // namespace gridshade::test
