/*
 * sqlext-api.h - forced first (-include) into every source of the loadable
 * extension kscope.so (analyze/sql/sqlext.mk).  It makes each sqlite3_* call
 * in store/ and analyze/ go through the routines table the loading SQLite
 * hands to sqlite3_kscope_init, so the extension uses the sqlite3 program's
 * own library whether that is linked statically or not.
 */
#ifndef KSCOPE_SQLEXT_API_H
#define KSCOPE_SQLEXT_API_H

#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#endif
