/*
 * query.c - run SQL text statement by statement and print each result set.
 *
 * See query.h.  Statements are split by SQLite itself (sqlite3_prepare_v2
 * and its tail pointer), so ';' inside strings, comments and trigger bodies
 * is handled exactly as SQLite handles it.  Line mode (stdin text without
 * any ';') runs each line through the same path.
 */
#include "config.h"
#include "analyze/sql/query.h"
#include "analyze/sql/sqlguard.h"
#include "analyze/output/textesc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ERR as one line (line breaks and tabs as spaces), with the other
 * controls escaped: SQLite's messages quote names from the trace's
 * schema. */
static void err_oneline(char *err, size_t errlen)
{
	for (char *p = err; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	textesc_copy(err, errlen, err);
}

/* Copy MSG into ERR as one line. */
static void err_set(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	err_oneline(err, errlen);
}

/* ERR: DB's message, with why for a statement the guard refused. */
static void err_db(char *err, size_t errlen, sqlite3 *db)
{
	snprintf(err, errlen, "%s%s", sqlite3_errmsg(db),
		 sqlguard_hint(sqlite3_errcode(db)));
	err_oneline(err, errlen);
}

int query_sql_run(sqlite3 *db, const char *sql, struct output *out,
		  char *err, size_t errlen)
{
	const char *tail = sql;

	err[0] = '\0';
	while (tail && *tail) {
		sqlite3_stmt *stmt = NULL;
		const char *next;
		int rc;

		rc = sqlite3_prepare_v2(db, tail, -1, &stmt, &next);
		if (rc != SQLITE_OK) {
			err_db(err, errlen, db);
			sqlite3_finalize(stmt);
			return -EBADMSG;
		}
		if (next == tail) /* cannot happen; never loop forever */
			break;
		tail = next;
		if (!stmt) /* whitespace or a comment */
			continue;
		rc = output_stmt_print(out, stmt);
		sqlite3_finalize(stmt);
		if (rc < 0) {
			err_set(err, errlen, output_errmsg(out));
			return rc;
		}
	}
	return 0;
}

int query_text_has_semicolon(const char *s)
{
	while (*s) {
		char close;

		switch (*s) {
		case ';':
			return 1;
		case '\'': case '"': case '`':
			close = *s;
			goto quoted;
		case '[':
			close = ']';
			goto quoted;
		case '-':
			if (s[1] == '-') {
				s = strchr(s, '\n');
				if (!s)
					return 0;
			}
			s++;
			continue;
		case '/':
			if (s[1] == '*') {
				s = strstr(s + 2, "*/");
				if (!s)
					return 0;
				s += 2;
				continue;
			}
			s++;
			continue;
		default:
			s++;
			continue;
		}
quoted:
		/* a doubled quote inside is two quoted strings back to back */
		s = strchr(s + 1, close);
		if (!s)
			return 0;
		s++;
	}
	return 0;
}

int query_script_run(sqlite3 *db, const char *text, struct output *out,
		     char *err, size_t errlen)
{
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;

	if (query_text_has_semicolon(text))
		return query_sql_run(db, text, out, err, errlen);

	err[0] = '\0';
	while (*text) {
		size_t len = strcspn(text, "\n");

		if (len + 1 > cap) {
			char *p = realloc(line, len + 1);
			if (!p) {
				err_set(err, errlen, "out of memory");
				rc = -ENOMEM;
				break;
			}
			line = p;
			cap = len + 1;
		}
		memcpy(line, text, len);
		line[len] = '\0';
		if ((rc = query_sql_run(db, line, out, err, errlen)) < 0)
			break;
		text += len;
		if (*text == '\n')
			text++;
	}
	free(line);
	return rc;
}
