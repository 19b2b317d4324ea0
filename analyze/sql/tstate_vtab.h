/*
 * tstate_vtab.h - SQL `thread_state` (see tstate_vtab.c).
 *
 *     tstate_vtab_register(store_db(st), st);   // SQLITE_OK or an error
 *     SELECT * FROM thread_state WHERE tid = 42;
 */
#ifndef KSCOPE_TSTATE_VTAB_H
#define KSCOPE_TSTATE_VTAB_H

#include <sqlite3.h>

#include "store/store.h"

/* Register thread_state on DB, the connection of ST (borrowed: ST must
 * outlive DB's use of the table). */
int tstate_vtab_register(sqlite3 *db, struct store *st);

#endif
