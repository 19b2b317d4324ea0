/*
 * textparse.h - strict little CSV (RFC 4180) and JSON parsers for tests.
 *
 * The output tests print values and read them back with these, so the
 * parsers are deliberately strict: CSV records must end in CRLF, a quote
 * may only open or close a field; JSON must follow RFC 8259 exactly (no raw
 * control characters in strings, no trailing garbage, valid \u escapes).
 *
 *     struct csv_doc *d = csv_parse(text, len);   // NULL when malformed
 *     d->rows[r].fields[f].s / .n / .quoted
 *     csv_free(d);
 *
 *     struct jv *v = json_parse(text, len, &end);  // NULL when malformed
 *     v->type == JV_ARRAY, v->items[i], json_get(obj, "key")
 *     jv_free(v);
 */
#ifndef KSCOPE_TEST_TEXTPARSE_H
#define KSCOPE_TEST_TEXTPARSE_H

#include <stddef.h>

struct csv_field {
	char *s; /* NUL-terminated copy; may hold NULs inside (n counts) */
	size_t n;
	int quoted;
};
struct csv_row {
	struct csv_field *fields;
	size_t nfields;
};
struct csv_doc {
	struct csv_row *rows;
	size_t nrows;
};

struct csv_doc *csv_parse(const char *text, size_t len);
void csv_free(struct csv_doc *d);

enum jv_type { JV_NULL, JV_BOOL, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT };

struct jv {
	enum jv_type type;
	char *s;	/* STRING: decoded UTF-8; NUMBER: its text; BOOL: "true"/"false" */
	size_t n;	/* bytes in s */
	struct jv **items; /* ARRAY, OBJECT values */
	char **keys;	/* OBJECT keys (decoded) */
	size_t nitems;
};

/* Parse one JSON value at TEXT (leading/trailing whitespace allowed);
 * *END (if not NULL) is set past it, so several values can be read one
 * after the other.  Without END, trailing non-space is an error. */
struct jv *json_parse(const char *text, size_t len, size_t *end);
/* The value of KEY in object O, or NULL. */
struct jv *json_get(const struct jv *o, const char *key);
void jv_free(struct jv *v);

#endif
