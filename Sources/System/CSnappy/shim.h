// Snappy through its C interface, for Parquet SNAPPY pages and Avro snappy blocks (Debian libsnappy-dev).
#include <stddef.h>
#include <snappy-c.h>
