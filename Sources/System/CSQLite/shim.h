// SQLite: the embedded catalog database (Debian libsqlite3-dev)
#include <sqlite3.h>
