// The system's zlib (Debian: zlib1g-dev), for permessage-deflate (RFC 7692) in WSKitProtocol.
// zlib's init functions are macros that pass the library version and the stream's size; Swift
// cannot import function-like macros, so these inline wrappers call them.
#ifndef WSKIT_CZLIB_SHIM_H
#define WSKIT_CZLIB_SHIM_H

#include <zlib.h>

/// `deflateInit2` for a raw deflate stream (no zlib header) with `windowBits` in 9...15.
static inline int czlib_deflate_init_raw(z_streamp stream, int level, int windowBits, int memLevel) {
    return deflateInit2(stream, level, Z_DEFLATED, -windowBits, memLevel, Z_DEFAULT_STRATEGY);
}

/// `inflateInit2` for a raw deflate stream (no zlib header) with `windowBits` in 8...15.
static inline int czlib_inflate_init_raw(z_streamp stream, int windowBits) {
    return inflateInit2(stream, -windowBits);
}

#endif
