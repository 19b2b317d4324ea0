/*
 * output.c - result-set printer: aligned table, RFC 4180 CSV, JSON.
 *
 * See output.h for the formats and the calling pattern.  How it works:
 * every format implements begin/row/end over struct output_cell values.
 * The table format renders each cell to a display string at once; the first
 * table_rows rows are kept (rendered) to size the columns, then printed, and
 * later rows are printed as they come.  CSV and JSON stream every row.
 * All bytes go through out_write() into a buffer that is handed to stdio
 * once per row (one fwrite per row, not per token); the first write error
 * is remembered so that the caller stops stepping as soon as the reader has
 * gone away.
 */
#include "config.h"
#include "analyze/output/output.h"
#include "analyze/sql/sqlguard.h"
#include "analyze/output/textesc.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define OUTPUT_TABLE_ROWS 1000
#define OUTPUT_ERRLEN 512

/* A growing string: rendered table cells, and the output buffer. */
struct sbuf {
	char *s;
	size_t len, cap;
	int oom;
};

static void sb_add(struct sbuf *b, const void *p, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 32;
		while (b->len + n + 1 > cap)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->oom = 1;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

struct cell_text {	/* a rendered table cell */
	char *s;
	size_t width;	/* terminal columns */
};

struct output {
	FILE *fp;
	enum output_format fmt;
	size_t table_rows;
	const char *null_text;	/* table: NULL as this */
	int werr;		/* first write error (errno), 0 if none */
	struct sbuf ob;		/* bytes not yet handed to FP */
	struct sbuf scratch;	/* table: the cell being rendered */
	char err[OUTPUT_ERRLEN];
	unsigned nsets;		/* result sets begun so far */

	/* the open result set */
	int open;
	int ncols;
	char **names;
	char **jkeys;		/* JSON: each name escaped, quoted, with ':' */
	uint64_t nrows;

	/* table: buffered rows, column widths, alignment */
	struct cell_text *buf;	/* nbuf rows of ncols */
	size_t nbuf;
	int flushed;		/* header and buffered rows printed */
	size_t *width;
	int *numeric;		/* 1: right-aligned */
	int *seen;		/* column had a non-NULL value while buffering */
};

int output_format_parse(const char *name, enum output_format *fmt)
{
	if (!strcmp(name, "table") || !strcmp(name, "text"))
		*fmt = OUTPUT_FORMAT_TABLE;
	else if (!strcmp(name, "csv"))
		*fmt = OUTPUT_FORMAT_CSV;
	else if (!strcmp(name, "json"))
		*fmt = OUTPUT_FORMAT_JSON;
	else
		return -EINVAL;
	return 0;
}

const char *output_format_name(enum output_format fmt)
{
	switch (fmt) {
	case OUTPUT_FORMAT_TABLE: return "table";
	case OUTPUT_FORMAT_CSV: return "csv";
	case OUTPUT_FORMAT_JSON: return "json";
	}
	return "?";
}

static void out_errf(struct output *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void out_errf(struct output *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->err, sizeof(o->err), fmt, ap);
	va_end(ap);
}

/* ---- writing bytes -------------------------------------------------- */

static void out_write(struct output *o, const void *p, size_t n)
{
	if (o->werr || n == 0)
		return;
	sb_add(&o->ob, p, n);
	if (o->ob.oom) {
		o->werr = ENOMEM;
		out_errf(o, "out of memory");
	}
}

/* Hand the buffered bytes to FP. */
static void out_commit(struct output *o)
{
	if (!o->werr && o->ob.len > 0 &&
	    fwrite(o->ob.s, 1, o->ob.len, o->fp) != o->ob.len) {
		o->werr = errno ? errno : EIO;
		out_errf(o, "write error: %s", strerror(o->werr));
	}
	o->ob.len = 0;
}

static void out_str(struct output *o, const char *s)
{
	out_write(o, s, strlen(s));
}

static void out_spaces(struct output *o, size_t n)
{
	static const char sp[] = "                                ";

	while (n > 0) {
		size_t k = n < sizeof(sp) - 1 ? n : sizeof(sp) - 1;
		out_write(o, sp, k);
		n -= k;
	}
}

/* Commit what is buffered; 0 or the first write error. */
static int out_status(struct output *o)
{
	out_commit(o);
	return o->werr ? -o->werr : 0;
}

static int out_flush(struct output *o)
{
	out_commit(o);
	if (!o->werr && fflush(o->fp) != 0) {
		o->werr = errno ? errno : EIO;
		out_errf(o, "write error: %s", strerror(o->werr));
	}
	return out_status(o);
}

/* ---- values as text ------------------------------------------------- */

void output_real_format(char *buf, size_t size, double r)
{
	if (isnan(r)) {
		snprintf(buf, size, "NaN");
		return;
	}
	if (isinf(r)) {
		snprintf(buf, size, r < 0 ? "-Inf" : "Inf");
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, r);
		if (strtod(buf, NULL) == r)
			break;
	}
	if (!strpbrk(buf, ".eE")) {
		size_t len = strlen(buf);
		if (len + 3 <= size)
			memcpy(buf + len, ".0", 3);
	}
}

/* V in decimal into BUF (at least 21 bytes); returns the length. */
static size_t int_format(char *buf, size_t size, int64_t v)
{
	char tmp[24];
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	size_t n = 0, len;

	(void)size;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	len = n + (v < 0);
	if (v < 0)
		*buf++ = '-';
	while (n)
		*buf++ = tmp[--n];
	*buf = '\0';
	return len;
}

static const char hexdig[] = "0123456789abcdef";

/* Terminal columns taken by code point CP: 0 for combining marks and
 * zero-width characters, 2 for East Asian wide and emoji, else 1. */
static size_t cp_width(uint32_t cp)
{
	if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0x20d0 && cp <= 0x20ff))
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) ||
	    (cp >= 0x1f300 && cp <= 0x1f64f) ||
	    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
	    (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

static void sb_hexbyte(struct sbuf *b, const char *prefix, unsigned char c)
{
	char h[2] = { hexdig[c >> 4], hexdig[c & 15] };

	sb_add(b, prefix, strlen(prefix));
	sb_add(b, h, 2);
}

/* Append CELL rendered for the table format to B; returns its width in
 * terminal columns (B->oom tells of a failed allocation). */
static size_t cell_render_into(const struct output_cell *cell,
			       const char *null_text, struct sbuf *b)
{
	char num[64];
	size_t width = 0, len, start = b->len;

	switch (cell->type) {
	case SQLITE_INTEGER:
		len = int_format(num, sizeof(num), cell->i);
		sb_add(b, num, len);
		return len;
	case SQLITE_FLOAT:
		output_real_format(num, sizeof(num), cell->r);
		sb_add(b, num, strlen(num));
		return strlen(num);
	case SQLITE_TEXT: {
		const unsigned char *s = cell->p;
		size_t i = 0;

		while (i < cell->n) {
			int32_t cp;
			size_t run = i;

			/* printable ASCII goes in one piece */
			while (run < cell->n && s[run] >= 0x20 && s[run] < 0x7f)
				run++;
			if (run > i) {
				sb_add(b, s + i, run - i);
				width += run - i;
				i = run;
				continue;
			}
			len = textesc_unit(s + i, cell->n - i, &cp);
			if (textesc_needed(cp)) {
				char e[TEXTESC_MAX];
				size_t elen = textesc_format(s + i, len, cp, e);

				sb_add(b, e, elen);
				width += elen;
			} else {
				sb_add(b, s + i, len);
				width += cp_width((uint32_t)cp);
			}
			i += len;
		}
		if (b->len == start)
			sb_add(b, "", 0); /* a string, even when empty */
		return width;
	}
	case SQLITE_BLOB: {
		const unsigned char *s = cell->p;

		sb_add(b, "x'", 2);
		for (size_t i = 0; i < cell->n; i++)
			sb_hexbyte(b, "", s[i]);
		sb_add(b, "'", 1);
		return b->len - start;
	}
	default:
		sb_add(b, null_text, strlen(null_text));
		return strlen(null_text);
	}
}

/* Render CELL for the table format into OUT (malloc'd); 0 or -ENOMEM. */
static int cell_render(const struct output_cell *cell, const char *null_text,
		       struct cell_text *out)
{
	struct sbuf b = { 0 };
	size_t width = cell_render_into(cell, null_text, &b);

	if (b.oom) {
		free(b.s);
		return -ENOMEM;
	}
	out->s = b.s;
	out->width = width;
	return 0;
}

/* ---- table ---------------------------------------------------------- */

/* Column C's cell TEXT (LEN bytes, WIDTH columns), padded and separated. */
static void table_cell_write(struct output *o, int c, const char *text,
			     size_t len, size_t width)
{
	size_t pad = width < o->width[c] ? o->width[c] - width : 0;

	if (c > 0)
		out_write(o, "  ", 2);
	if (o->numeric[c])
		out_spaces(o, pad);
	out_write(o, text, len);
	if (!o->numeric[c] && c < o->ncols - 1)
		out_spaces(o, pad);
}

static void table_line(struct output *o, const struct cell_text *row)
{
	for (int c = 0; c < o->ncols; c++)
		table_cell_write(o, c, row[c].s, strlen(row[c].s),
				 row[c].width);
	out_write(o, "\n", 1);
}

static void table_rows_free(struct output *o)
{
	for (size_t i = 0; i < o->nbuf * (size_t)o->ncols; i++)
		free(o->buf[i].s);
	o->nbuf = 0;
}

/* Print the header and the buffered rows; widths are final after this. */
static int table_flush(struct output *o)
{
	struct cell_text *hdr;

	if (o->flushed)
		return out_status(o);
	o->flushed = 1;
	hdr = calloc(o->ncols, sizeof(*hdr));
	if (!hdr) {
		out_errf(o, "out of memory");
		return -ENOMEM;
	}
	for (int c = 0; c < o->ncols; c++) {
		struct output_cell name = OUTPUT_TEXT(o->names[c]);
		if (cell_render(&name, o->null_text, &hdr[c]) < 0)
			goto oom;
		if (hdr[c].width > o->width[c])
			o->width[c] = hdr[c].width;
	}
	table_line(o, hdr);
	for (int c = 0; c < o->ncols; c++) {
		char *dash = malloc(o->width[c] + 1);
		if (!dash)
			goto oom;
		memset(dash, '-', o->width[c]);
		dash[o->width[c]] = '\0';
		free(hdr[c].s);
		hdr[c].s = dash;
		hdr[c].width = o->width[c];
	}
	table_line(o, hdr);
	for (size_t r = 0; r < o->nbuf; r++)
		table_line(o, o->buf + r * o->ncols);
	for (int c = 0; c < o->ncols; c++)
		free(hdr[c].s);
	free(hdr);
	table_rows_free(o);
	return out_status(o);
oom:
	for (int c = 0; c < o->ncols; c++)
		free(hdr[c].s);
	free(hdr);
	out_errf(o, "out of memory");
	return -ENOMEM;
}

static int table_row(struct output *o, const struct output_cell *cells)
{
	struct cell_text *row;
	int rc = 0;

	if (o->flushed) {
		/* streaming: render each cell into one reused buffer */
		for (int c = 0; c < o->ncols; c++) {
			size_t width;

			o->scratch.len = 0;
			width = cell_render_into(&cells[c], o->null_text,
						 &o->scratch);
			if (o->scratch.oom) {
				out_errf(o, "out of memory");
				return -ENOMEM;
			}
			table_cell_write(o, c, o->scratch.s, o->scratch.len,
					 width);
		}
		out_write(o, "\n", 1);
		return out_status(o);
	}

	row = o->buf + o->nbuf * o->ncols;
	for (int c = 0; c < o->ncols; c++) {
		if ((rc = cell_render(&cells[c], o->null_text, &row[c])) < 0) {
			while (c-- > 0)
				free(row[c].s);
			out_errf(o, "out of memory");
			return rc;
		}
		if (row[c].width > o->width[c])
			o->width[c] = row[c].width;
		if (cells[c].type != SQLITE_NULL) {
			int num = cells[c].type == SQLITE_INTEGER ||
				  cells[c].type == SQLITE_FLOAT;
			o->numeric[c] = o->seen[c] ? o->numeric[c] && num : num;
			o->seen[c] = 1;
		}
	}
	if (++o->nbuf >= o->table_rows)
		return table_flush(o);
	return 0;
}

/* ---- CSV ------------------------------------------------------------ */

static void csv_field(struct output *o, const char *s, size_t n)
{
	if (n > 0 && !memchr(s, ',', n) && !memchr(s, '"', n) &&
	    !memchr(s, '\n', n) && !memchr(s, '\r', n)) {
		out_write(o, s, n);
		return;
	}
	out_write(o, "\"", 1);
	for (const char *q; n > 0 && (q = memchr(s, '"', n)); ) {
		out_write(o, s, q - s + 1);
		out_write(o, "\"", 1);
		n -= q - s + 1;
		s = q + 1;
	}
	out_write(o, s, n);
	out_write(o, "\"", 1);
}

static void csv_cell(struct output *o, const struct output_cell *cell)
{
	char num[64];

	switch (cell->type) {
	case SQLITE_INTEGER:
		out_write(o, num, int_format(num, sizeof(num), cell->i));
		break;
	case SQLITE_FLOAT:
		output_real_format(num, sizeof(num), cell->r);
		out_str(o, num);
		break;
	case SQLITE_TEXT:
		csv_field(o, cell->p, cell->n);
		break;
	case SQLITE_BLOB: {
		const unsigned char *s = cell->p;
		for (size_t i = 0; i < cell->n; i++) {
			char h[2] = { hexdig[s[i] >> 4], hexdig[s[i] & 15] };
			out_write(o, h, 2);
		}
		break;
	}
	default: /* NULL: an empty, unquoted field */
		break;
	}
}

static void csv_header(struct output *o)
{
	for (int c = 0; c < o->ncols; c++) {
		if (c > 0)
			out_write(o, ",", 1);
		csv_field(o, o->names[c], strlen(o->names[c]));
	}
	out_write(o, "\r\n", 2);
}

static int csv_row(struct output *o, const struct output_cell *cells)
{
	for (int c = 0; c < o->ncols; c++) {
		if (c > 0)
			out_write(o, ",", 1);
		csv_cell(o, &cells[c]);
	}
	out_write(o, "\r\n", 2);
	return out_status(o);
}

/* ---- JSON ----------------------------------------------------------- */

static void emit_file(void *ctx, const void *p, size_t n)
{
	fwrite(p, 1, n, ctx);
}

void output_json_string(FILE *fp, const char *s, size_t n)
{
	putc('"', fp);
	textesc_json(s, n, emit_file, fp);
	putc('"', fp);
}

static void emit_output(void *ctx, const void *p, size_t n)
{
	out_write(ctx, p, n);
}

static void json_string(struct output *o, const char *s, size_t n)
{
	out_write(o, "\"", 1);
	textesc_json(s, n, emit_output, o);
	out_write(o, "\"", 1);
}

static void json_cell(struct output *o, const struct output_cell *cell)
{
	char num[64];

	switch (cell->type) {
	case SQLITE_INTEGER:
		out_write(o, num, int_format(num, sizeof(num), cell->i));
		break;
	case SQLITE_FLOAT:
		if (!isfinite(cell->r)) {
			out_str(o, "null");
			break;
		}
		output_real_format(num, sizeof(num), cell->r);
		out_str(o, num);
		break;
	case SQLITE_TEXT:
		json_string(o, cell->p, cell->n);
		break;
	case SQLITE_BLOB: {
		const unsigned char *s = cell->p;
		out_write(o, "\"", 1);
		for (size_t i = 0; i < cell->n; i++) {
			char h[2] = { hexdig[s[i] >> 4], hexdig[s[i] & 15] };
			out_write(o, h, 2);
		}
		out_write(o, "\"", 1);
		break;
	}
	default:
		out_str(o, "null");
		break;
	}
}

static int json_row(struct output *o, const struct output_cell *cells)
{
	out_write(o, o->nrows == 0 ? "[\n{" : ",\n{", 3);
	for (int c = 0; c < o->ncols; c++) {
		if (c > 0)
			out_write(o, ",", 1);
		out_str(o, o->jkeys[c]);
		json_cell(o, &cells[c]);
	}
	out_write(o, "}", 1);
	return out_status(o);
}

/* "name": for each column, escaped once per result set. */
static int json_keys_make(struct output *o)
{
	o->jkeys = calloc(o->ncols ? o->ncols : 1, sizeof(*o->jkeys));
	if (!o->jkeys)
		return -ENOMEM;
	for (int c = 0; c < o->ncols; c++) {
		char *mem = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&mem, &len);

		if (!m)
			return -ENOMEM;
		output_json_string(m, o->names[c], strlen(o->names[c]));
		putc(':', m);
		if (fclose(m) != 0) {
			free(mem);
			return -ENOMEM;
		}
		o->jkeys[c] = mem;
	}
	return 0;
}

/* ---- result sets ---------------------------------------------------- */

struct output *output_open(FILE *fp, enum output_format fmt,
			   const struct output_opts *opts)
{
	struct output *o = calloc(1, sizeof(*o));

	if (!o) {
		errno = ENOMEM;
		return NULL;
	}
	o->fp = fp;
	o->fmt = fmt;
	o->table_rows = opts && opts->table_rows ? opts->table_rows :
			OUTPUT_TABLE_ROWS;
	o->null_text = opts && opts->null_text ? opts->null_text : "NULL";
	return o;
}

const char *output_errmsg(const struct output *o)
{
	return o->err[0] ? o->err : "no error";
}

static void set_free(struct output *o)
{
	if (o->buf)
		table_rows_free(o);
	for (int c = 0; c < o->ncols; c++) {
		free(o->names[c]);
		if (o->jkeys)
			free(o->jkeys[c]);
	}
	free(o->names);
	free(o->jkeys);
	o->jkeys = NULL;
	free(o->buf);
	free(o->width);
	free(o->numeric);
	free(o->seen);
	o->names = NULL;
	o->buf = NULL;
	o->width = NULL;
	o->numeric = o->seen = NULL;
	o->ncols = 0;
	o->open = 0;
}

int output_begin(struct output *o, int ncols, const char *const *names)
{
	if (o->werr)
		return -o->werr;
	if (o->open)
		output_end(o);
	if (ncols < 0)
		return -EINVAL;
	o->names = calloc(ncols ? ncols : 1, sizeof(*o->names));
	o->width = calloc(ncols ? ncols : 1, sizeof(*o->width));
	o->numeric = calloc(ncols ? ncols : 1, sizeof(*o->numeric));
	o->seen = calloc(ncols ? ncols : 1, sizeof(*o->seen));
	if (o->fmt == OUTPUT_FORMAT_TABLE)
		o->buf = calloc(o->table_rows * (ncols ? ncols : 1),
				sizeof(*o->buf));
	if (!o->names || !o->width || !o->numeric || !o->seen ||
	    (o->fmt == OUTPUT_FORMAT_TABLE && !o->buf))
		goto oom;
	o->ncols = ncols;
	for (int c = 0; c < ncols; c++) {
		o->names[c] = strdup(names[c] ? names[c] : "");
		if (!o->names[c])
			goto oom;
	}
	if (o->fmt == OUTPUT_FORMAT_JSON && json_keys_make(o) < 0)
		goto oom;
	o->open = 1;
	o->nrows = 0;
	o->nbuf = 0;
	o->flushed = 0;

	if (o->nsets++ > 0 && o->fmt == OUTPUT_FORMAT_TABLE)
		out_write(o, "\n", 1);
	else if (o->nsets > 1 && o->fmt == OUTPUT_FORMAT_CSV)
		out_write(o, "\r\n", 2);
	if (o->fmt == OUTPUT_FORMAT_CSV)
		csv_header(o);
	return out_status(o);
oom:
	set_free(o);
	out_errf(o, "out of memory");
	return -ENOMEM;
}

int output_row(struct output *o, const struct output_cell *cells)
{
	int rc;

	if (!o->open)
		return -EINVAL;
	if (o->werr)
		return -o->werr;
	switch (o->fmt) {
	case OUTPUT_FORMAT_TABLE: rc = table_row(o, cells); break;
	case OUTPUT_FORMAT_CSV: rc = csv_row(o, cells); break;
	default: rc = json_row(o, cells); break;
	}
	if (rc == 0)
		o->nrows++;
	return rc;
}

int output_end(struct output *o)
{
	int rc = 0;

	if (!o->open)
		return out_status(o);
	switch (o->fmt) {
	case OUTPUT_FORMAT_TABLE:
		rc = table_flush(o);
		break;
	case OUTPUT_FORMAT_CSV:
		break;
	case OUTPUT_FORMAT_JSON:
		out_str(o, o->nrows == 0 ? "[]\n" : "\n]\n");
		break;
	}
	set_free(o);
	if (rc < 0)
		return rc;
	return out_flush(o);
}

uint64_t output_rows(const struct output *o)
{
	return o->nrows;
}

void output_close(struct output *o)
{
	if (!o)
		return;
	if (o->open)
		output_end(o);
	set_free(o);
	free(o->ob.s);
	free(o->scratch.s);
	free(o);
}

int output_stmt_print(struct output *o, sqlite3_stmt *stmt)
{
	int ncols = sqlite3_column_count(stmt);
	struct output_cell *cells = NULL;
	const char **names = NULL;
	int rc = 0, src;

	if (o->werr)
		return -o->werr;
	if (ncols == 0) {
		while ((src = sqlite3_step(stmt)) == SQLITE_ROW)
			;
		goto done;
	}
	names = calloc(ncols, sizeof(*names));
	cells = calloc(ncols, sizeof(*cells));
	if (!names || !cells) {
		free(names);
		free(cells);
		out_errf(o, "out of memory");
		return -ENOMEM;
	}
	for (int c = 0; c < ncols; c++)
		names[c] = sqlite3_column_name(stmt, c);
	rc = output_begin(o, ncols, names);
	free(names);
	if (rc < 0) {
		free(cells);
		return rc;
	}
	while ((src = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (int c = 0; c < ncols; c++) {
			struct output_cell *cell = &cells[c];

			cell->type = sqlite3_column_type(stmt, c);
			switch (cell->type) {
			case SQLITE_INTEGER:
				cell->i = sqlite3_column_int64(stmt, c);
				break;
			case SQLITE_FLOAT:
				cell->r = sqlite3_column_double(stmt, c);
				break;
			case SQLITE_TEXT:
				cell->p = sqlite3_column_text(stmt, c);
				cell->n = sqlite3_column_bytes(stmt, c);
				break;
			case SQLITE_BLOB:
				cell->p = sqlite3_column_blob(stmt, c);
				cell->n = sqlite3_column_bytes(stmt, c);
				break;
			}
		}
		if ((rc = output_row(o, cells)) < 0)
			break;
	}
	free(cells);
	if (rc < 0) {
		output_end(o);
		return rc;
	}
	rc = output_end(o);
done:
	if (src != SQLITE_DONE) {
		sqlite3 *db = sqlite3_db_handle(stmt);
		out_errf(o, "%s%s", sqlite3_errmsg(db),
			 sqlguard_hint(sqlite3_errcode(db)));
		return -EBADMSG;
	}
	return rc;
}
