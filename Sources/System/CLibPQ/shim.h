// libpq: PostgreSQL client connections (Debian libpq-dev), for SQL catalogs kept in PostgreSQL
#include <postgresql/libpq-fe.h>
