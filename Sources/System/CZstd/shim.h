// libzstd: Zstandard decompression for Parquet ZSTD pages and Avro zstandard blocks (Debian libzstd-dev).
#include <zstd.h>
