// zstd: Zstandard decompression (Debian libzstd-dev)
#include <zstd.h>
