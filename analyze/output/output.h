/*
 * output.h - print result sets as an aligned table, RFC 4180 CSV or JSON.
 *
 * Used by `kscope query` and by the reports:
 *
 *     struct output *o = output_open(stdout, OUTPUT_TABLE, NULL);
 *     rc = output_stmt_print(o, stmt);       // steps STMT to the end
 *     if (rc == -EPIPE) ...                  // reader went away: stop quietly
 *     else if (rc < 0) fprintf(stderr, "%s\n", output_errmsg(o));
 *     output_close(o);
 *
 * or, for rows that do not come from a statement:
 *
 *     output_begin(o, 2, (const char *[]){ "name", "count" });
 *     output_row(o, (struct output_cell[]){ OUTPUT_TEXT("read"),
 *                                           OUTPUT_INT(42) });
 *     output_end(o);
 *
 * One output may print several result sets; they are separated by a blank
 * line (table, CSV) or printed as one JSON array per line-group (JSON).
 *
 * Formats:
 *   table  Column widths come from the first table_rows rows (default
 *          1000), which are buffered; later rows stream with those widths
 *          (a wider value pushes its row out, it is never cut).  Numeric
 *          columns are right-aligned.  NULL prints as NULL (or the
 *          opts' null_text: the reports print "-"), control
 *          characters and invalid UTF-8 as \n, \t, \xNN; blobs as x'0a1b'.
 *   csv    RFC 4180: a header row, CRLF line ends, fields holding a comma,
 *          quote, CR or LF are quoted with quotes doubled.  NULL is an
 *          empty field, the empty string is "".  Blobs are lowercase hex.
 *          Text bytes are passed through unchanged.
 *   json   An array of objects, one object per line.  Integers and reals
 *          are numbers (non-finite reals are null), NULL is null, blobs
 *          are lowercase hex strings.  Strings are escaped (quotes,
 *          backslash, control characters, U+2028/2029); invalid UTF-8
 *          bytes become U+FFFD.
 *
 * Errors: functions return 0 or a negative errno and keep a one-line
 * message (output_errmsg).  A failed write stops the output: -EPIPE when the
 * reader closed the pipe (the caller should ignore SIGPIPE), another errno
 * otherwise.  output_stmt_print returns -EBADMSG when sqlite3_step fails,
 * with SQLite's message.  Nothing here exits or prints to stderr.
 */
#ifndef KSCOPE_OUTPUT_H
#define KSCOPE_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>

enum output_format { OUTPUT_FORMAT_TABLE, OUTPUT_FORMAT_CSV, OUTPUT_FORMAT_JSON };

/* "table" (or "text", the name the reports use), "csv" or "json";
 * -EINVAL for anything else. */
int output_format_parse(const char *name, enum output_format *fmt);
const char *output_format_name(enum output_format fmt);

struct output_opts {
	size_t table_rows; /* rows buffered to size table columns; 0 = 1000 */
	const char *null_text; /* table: what NULL prints as; NULL = "NULL" */
};

/* One value.  TYPE is SQLite's: SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT,
 * SQLITE_BLOB or SQLITE_NULL.  Text and blob bytes are borrowed for the
 * duration of output_row(); text need not be NUL-terminated. */
struct output_cell {
	int type;
	int64_t i;
	double r;
	const void *p;
	size_t n;
};

#define OUTPUT_NULL ((struct output_cell){ .type = SQLITE_NULL })
#define OUTPUT_INT(v) ((struct output_cell){ .type = SQLITE_INTEGER, .i = (v) })
#define OUTPUT_REAL(v) ((struct output_cell){ .type = SQLITE_FLOAT, .r = (v) })
#define OUTPUT_TEXT(s) \
	((struct output_cell){ .type = SQLITE_TEXT, .p = (s), .n = strlen(s) })

struct output;

/* Print to FP (not closed by output_close).  OPTS may be NULL.
 * NULL + errno (ENOMEM) on failure. */
struct output *output_open(FILE *fp, enum output_format fmt,
			   const struct output_opts *opts);
/* Frees O; a result set still open is ended first. */
void output_close(struct output *o);
const char *output_errmsg(const struct output *o);

/* A result set of NCOLS columns named NAMES (copied). */
int output_begin(struct output *o, int ncols, const char *const *names);
/* One row of ncols cells. */
int output_row(struct output *o, const struct output_cell *cells);
/* End the result set and flush FP. */
int output_end(struct output *o);
/* The rows of the last result set begun (ended or not). */
uint64_t output_rows(const struct output *o);

/* Step STMT to completion and print its rows as one result set.  A
 * statement without result columns prints nothing.  Rows printed before a
 * failing step stay printed, and the result set is ended well-formed. */
int output_stmt_print(struct output *o, sqlite3_stmt *stmt);

/* Write S (N bytes) to FP as a quoted JSON string, escaped as above.
 * Check ferror(FP) afterwards.  For other JSON writers (kscope info). */
void output_json_string(FILE *fp, const char *s, size_t n);

/* Format a real the way every format prints it: the shortest of %.15g,
 * %.16g and %.17g that reads back equal, with ".0" added when it would
 * otherwise look like an integer; "Inf", "-Inf", "NaN" when not finite.
 * BUF holds at least 32 bytes. */
void output_real_format(char *buf, size_t size, double r);

#endif
