// libzstd: Zstandard decompression for Parquet ZSTD pages (Debian libzstd-dev).
#include <zstd.h>
