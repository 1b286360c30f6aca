// liblz4: raw LZ4 block decompression, for Parquet LZ4_RAW pages (Debian liblz4-dev).
#include <lz4.h>
