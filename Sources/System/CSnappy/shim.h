// Snappy through its C interface, for Parquet SNAPPY pages (Debian libsnappy-dev).
#include <stddef.h>
#include <snappy-c.h>
