/*
 * sqlguard.c - the one authorizer for SQL over a trace (see sqlguard.h).
 *
 * An allow-list: actions not named below are denied, so an action a newer
 * SQLite adds is refused until someone decides it is a read.  PRAGMAs are
 * split in two lists: those that only report (allowed with any argument:
 * the argument names a table or an index) and those that report when
 * given no value and change a setting when given one (allowed only
 * without).
 */
#include "config.h"
#include "analyze/sql/sqlguard.h"

#include <string.h>

/* PRAGMAs that never change anything, whatever their argument. */
static const char *const pragma_read[] = {
	"table_info", "table_xinfo", "table_list", "index_list", "index_info",
	"index_xinfo", "foreign_key_list", "foreign_key_check",
	"function_list", "module_list", "pragma_list", "collation_list",
	"database_list", "compile_options", "integrity_check", "quick_check",
	"page_count", "freelist_count", "data_version", "stats",
};

/* PRAGMAs that read a setting without a value and set it with one. */
static const char *const pragma_get[] = {
	"application_id", "user_version", "schema_version", "page_size",
	"encoding", "journal_mode", "auto_vacuum", "max_page_count",
	"foreign_keys", "cache_size", "query_only", "trusted_schema",
};

/* Functions that read or write files, or load code.  kscope defines none
 * of them; the sqlite3 program defines the file ones. */
static const char *const func_denied[] = {
	"load_extension", "writefile", "readfile", "edit", "fts3_tokenizer",
};

static int in(const char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (!sqlite3_stricmp(list[i], name))
			return 1;
	return 0;
}

#define IN(list, name) in(list, sizeof(list) / sizeof(list[0]), name)

int sqlguard_check(int action, const char *a, const char *b)
{
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_RECURSIVE:
	case SQLITE_TRANSACTION: /* BEGIN/COMMIT of a read */
	case SQLITE_SAVEPOINT:
		return SQLITE_OK;
	case SQLITE_FUNCTION: /* a: NULL, b: the function's name */
		return IN(func_denied, b) ? SQLITE_DENY : SQLITE_OK;
	case SQLITE_UPDATE: /* a: the table, b: the column */
		/* Connecting an eponymous virtual table (ours, pragma_*)
		 * asks for an UPDATE of the schema table's columns.  SQLite
		 * itself refuses a user's write there (writable_schema is
		 * off, and setting it is denied below). */
		return a && (!strcmp(a, "sqlite_master") ||
			     !strcmp(a, "sqlite_temp_master")) ?
			SQLITE_OK : SQLITE_DENY;
	case SQLITE_PRAGMA: /* a: the pragma, b: its argument or value */
		if (IN(pragma_read, a) || (!b && IN(pragma_get, a)))
			return SQLITE_OK;
		return SQLITE_DENY;
	default:
		return SQLITE_DENY;
	}
}

static int authorize(void *arg, int action, const char *a, const char *b,
		     const char *db, const char *trigger)
{
	(void)arg;
	(void)db;
	(void)trigger;
	return sqlguard_check(action, a, b);
}

int sqlguard_install(sqlite3 *db)
{
	return sqlite3_set_authorizer(db, authorize, NULL);
}

const char *sqlguard_hint(int rc)
{
	if ((rc & 0xff) != SQLITE_AUTH)
		return "";
	return " (kscope only reads traces: no writes, ATTACH, VACUUM, "
	       "settings or file functions)";
}
