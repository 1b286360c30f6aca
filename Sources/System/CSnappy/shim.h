// snappy: block decompression (Debian libsnappy-dev)
#include <snappy-c.h>
