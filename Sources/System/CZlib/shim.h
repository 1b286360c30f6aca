// zlib: inflate for Parquet GZIP pages (gzip header) and Avro deflate blocks (raw), plus CRC-32 (Debian zlib1g-dev).
#include <zlib.h>

// inflateInit2 is a macro in zlib.h, which Swift cannot call; this wrapper passes the version and
// stream size the macro would.
static inline int weir_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2_(stream, windowBits, ZLIB_VERSION, (int)sizeof(z_stream));
}
