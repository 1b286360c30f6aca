// libpg_query: the PostgreSQL 15 parser as a library (Debian libpg-query-dev).
#include <pg_query.h>
