// The system's SQLite (Debian: libsqlite3-dev), for the examples only: WSKit itself has no C
// dependency besides libc.
#ifndef WSKIT_CSQLITE_SHIM_H
#define WSKIT_CSQLITE_SHIM_H

#include <sqlite3.h>

/// `SQLITE_TRANSIENT` (a cast macro Swift cannot import): SQLite copies the bound value.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }

#endif
