/*
 * textparse.c - strict CSV and JSON readers for the output tests.
 * See textparse.h.
 */
#include "tests/textparse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- CSV ------------------------------------------------------------ */

struct buf {
	char *s;
	size_t n, cap;
};

static int buf_add(struct buf *b, const char *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s)
			return -1;
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->n, p, n);
	b->n += n;
	b->s[b->n] = '\0';
	return 0;
}

static int csv_push_field(struct csv_row *row, struct buf *b, int quoted)
{
	struct csv_field *f = realloc(row->fields,
				      (row->nfields + 1) * sizeof(*f));
	if (!f)
		return -1;
	row->fields = f;
	if (!b->s && buf_add(b, "", 0) < 0)
		return -1;
	f[row->nfields].s = b->s;
	f[row->nfields].n = b->n;
	f[row->nfields].quoted = quoted;
	row->nfields++;
	memset(b, 0, sizeof(*b));
	return 0;
}

static int csv_push_row(struct csv_doc *d, struct csv_row *row)
{
	struct csv_row *r = realloc(d->rows, (d->nrows + 1) * sizeof(*r));
	if (!r)
		return -1;
	d->rows = r;
	r[d->nrows++] = *row;
	memset(row, 0, sizeof(*row));
	return 0;
}

struct csv_doc *csv_parse(const char *t, size_t len)
{
	struct csv_doc *d = calloc(1, sizeof(*d));
	struct csv_row row = { 0 };
	struct buf b = { 0 };
	size_t i = 0;

	if (!d)
		return NULL;
	while (i < len) {
		int quoted = 0;

		/* one field */
		if (t[i] == '"') {
			quoted = 1;
			i++;
			for (;;) {
				if (i >= len)
					goto bad; /* unterminated */
				if (t[i] == '"') {
					if (i + 1 < len && t[i + 1] == '"') {
						if (buf_add(&b, "\"", 1) < 0)
							goto bad;
						i += 2;
						continue;
					}
					i++;
					break;
				}
				if (buf_add(&b, t + i, 1) < 0)
					goto bad;
				i++;
			}
		} else {
			while (i < len && t[i] != ',' && t[i] != '\r' &&
			       t[i] != '\n') {
				if (t[i] == '"')
					goto bad; /* quote in a bare field */
				if (buf_add(&b, t + i, 1) < 0)
					goto bad;
				i++;
			}
		}
		if (csv_push_field(&row, &b, quoted) < 0)
			goto bad;
		if (i < len && t[i] == ',') {
			i++;
			if (i == len)
				goto bad;
			continue;
		}
		if (i + 1 < len && t[i] == '\r' && t[i + 1] == '\n') {
			i += 2;
			if (csv_push_row(d, &row) < 0)
				goto bad;
			continue;
		}
		goto bad; /* bare LF, CR, text after a closing quote, or EOF
			   * without CRLF */
	}
	return d;
bad:
	free(b.s);
	for (size_t f = 0; f < row.nfields; f++)
		free(row.fields[f].s);
	free(row.fields);
	csv_free(d);
	return NULL;
}

void csv_free(struct csv_doc *d)
{
	if (!d)
		return;
	for (size_t r = 0; r < d->nrows; r++) {
		for (size_t f = 0; f < d->rows[r].nfields; f++)
			free(d->rows[r].fields[f].s);
		free(d->rows[r].fields);
	}
	free(d->rows);
	free(d);
}

/* ---- JSON ----------------------------------------------------------- */

struct jp {
	const char *t;
	size_t len, i;
	int depth;
};

static void jp_ws(struct jp *p)
{
	while (p->i < p->len && (p->t[p->i] == ' ' || p->t[p->i] == '\t' ||
				 p->t[p->i] == '\n' || p->t[p->i] == '\r'))
		p->i++;
}

static int utf8_put(struct buf *b, uint32_t c)
{
	char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (c >> 18));
		u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	return buf_add(b, u, n);
}

static int jp_hex4(struct jp *p, uint32_t *out)
{
	uint32_t v = 0;

	if (p->i + 4 > p->len)
		return -1;
	for (int k = 0; k < 4; k++) {
		char c = p->t[p->i++];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* A string at p->i (the opening quote); decoded into B. */
static int jp_string(struct jp *p, struct buf *b)
{
	if (p->i >= p->len || p->t[p->i] != '"')
		return -1;
	p->i++;
	if (buf_add(b, "", 0) < 0)
		return -1;
	for (;;) {
		unsigned char c;

		if (p->i >= p->len)
			return -1;
		c = (unsigned char)p->t[p->i++];
		if (c == '"')
			return 0;
		if (c < 0x20)
			return -1; /* raw control character */
		if (c != '\\') {
			if (buf_add(b, (const char *)&c, 1) < 0)
				return -1;
			continue;
		}
		if (p->i >= p->len)
			return -1;
		c = (unsigned char)p->t[p->i++];
		const char *simple = NULL;
		switch (c) {
		case '"': simple = "\""; break;
		case '\\': simple = "\\"; break;
		case '/': simple = "/"; break;
		case 'b': simple = "\b"; break;
		case 'f': simple = "\f"; break;
		case 'n': simple = "\n"; break;
		case 'r': simple = "\r"; break;
		case 't': simple = "\t"; break;
		case 'u': {
			uint32_t u, lo;
			if (jp_hex4(p, &u) < 0)
				return -1;
			if (u >= 0xd800 && u <= 0xdbff) {
				if (p->i + 2 > p->len || p->t[p->i] != '\\' ||
				    p->t[p->i + 1] != 'u')
					return -1;
				p->i += 2;
				if (jp_hex4(p, &lo) < 0 || lo < 0xdc00 ||
				    lo > 0xdfff)
					return -1;
				u = 0x10000 + ((u - 0xd800) << 10) +
				    (lo - 0xdc00);
			} else if (u >= 0xdc00 && u <= 0xdfff) {
				return -1;
			}
			if (utf8_put(b, u) < 0)
				return -1;
			continue;
		}
		default:
			return -1;
		}
		if (buf_add(b, simple, 1) < 0)
			return -1;
	}
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static struct jv *jp_value(struct jp *p);

static int jv_push(struct jv *v, struct jv *item, char *key)
{
	struct jv **items = realloc(v->items, (v->nitems + 1) * sizeof(*items));
	if (!items)
		return -1;
	v->items = items;
	if (v->type == JV_OBJECT) {
		char **keys = realloc(v->keys, (v->nitems + 1) * sizeof(*keys));
		if (!keys)
			return -1;
		v->keys = keys;
		keys[v->nitems] = key;
	}
	items[v->nitems++] = item;
	return 0;
}

static struct jv *jp_value(struct jp *p)
{
	struct jv *v = calloc(1, sizeof(*v));
	struct buf b = { 0 };

	if (!v || ++p->depth > 64)
		goto bad;
	jp_ws(p);
	if (p->i >= p->len)
		goto bad;
	char c = p->t[p->i];
	if (c == '"') {
		v->type = JV_STRING;
		if (jp_string(p, &b) < 0)
			goto bad;
		v->s = b.s;
		v->n = b.n;
		b.s = NULL;
	} else if (c == '[' || c == '{') {
		v->type = c == '[' ? JV_ARRAY : JV_OBJECT;
		p->i++;
		jp_ws(p);
		if (p->i < p->len && p->t[p->i] == (c == '[' ? ']' : '}')) {
			p->i++;
			goto done;
		}
		for (;;) {
			char *key = NULL;
			struct jv *item;

			if (v->type == JV_OBJECT) {
				struct buf kb = { 0 };
				jp_ws(p);
				if (jp_string(p, &kb) < 0) {
					free(kb.s);
					goto bad;
				}
				key = kb.s;
				jp_ws(p);
				if (p->i >= p->len || p->t[p->i] != ':') {
					free(key);
					goto bad;
				}
				p->i++;
			}
			item = jp_value(p);
			if (!item || jv_push(v, item, key) < 0) {
				free(key);
				jv_free(item);
				goto bad;
			}
			jp_ws(p);
			if (p->i >= p->len)
				goto bad;
			if (p->t[p->i] == ',') {
				p->i++;
				continue;
			}
			if (p->t[p->i] == (v->type == JV_ARRAY ? ']' : '}')) {
				p->i++;
				break;
			}
			goto bad;
		}
	} else if (c == '-' || is_digit(c)) {
		size_t s = p->i;
		v->type = JV_NUMBER;
		if (p->t[p->i] == '-')
			p->i++;
		if (p->i >= p->len || !is_digit(p->t[p->i]))
			goto bad;
		if (p->t[p->i] == '0')
			p->i++;
		else
			while (p->i < p->len && is_digit(p->t[p->i]))
				p->i++;
		if (p->i < p->len && p->t[p->i] == '.') {
			p->i++;
			if (p->i >= p->len || !is_digit(p->t[p->i]))
				goto bad;
			while (p->i < p->len && is_digit(p->t[p->i]))
				p->i++;
		}
		if (p->i < p->len && (p->t[p->i] == 'e' || p->t[p->i] == 'E')) {
			p->i++;
			if (p->i < p->len && (p->t[p->i] == '+' ||
					      p->t[p->i] == '-'))
				p->i++;
			if (p->i >= p->len || !is_digit(p->t[p->i]))
				goto bad;
			while (p->i < p->len && is_digit(p->t[p->i]))
				p->i++;
		}
		if (buf_add(&b, p->t + s, p->i - s) < 0)
			goto bad;
		v->s = b.s;
		v->n = b.n;
		b.s = NULL;
	} else {
		static const char *const words[] = { "null", "true", "false" };
		size_t k;
		for (k = 0; k < 3; k++) {
			size_t wl = strlen(words[k]);
			if (p->len - p->i >= wl &&
			    !memcmp(p->t + p->i, words[k], wl)) {
				p->i += wl;
				break;
			}
		}
		if (k == 3)
			goto bad;
		v->type = k == 0 ? JV_NULL : JV_BOOL;
		if (k > 0 && !(v->s = strdup(words[k])))
			goto bad;
	}
done:
	p->depth--;
	return v;
bad:
	free(b.s);
	jv_free(v);
	return NULL;
}

struct jv *json_parse(const char *text, size_t len, size_t *end)
{
	struct jp p = { .t = text, .len = len };
	struct jv *v = jp_value(&p);

	if (!v)
		return NULL;
	jp_ws(&p);
	if (end)
		*end = p.i;
	else if (p.i != len) {
		jv_free(v);
		return NULL;
	}
	return v;
}

struct jv *json_get(const struct jv *o, const char *key)
{
	if (!o || o->type != JV_OBJECT)
		return NULL;
	for (size_t i = 0; i < o->nitems; i++)
		if (!strcmp(o->keys[i], key))
			return o->items[i];
	return NULL;
}

void jv_free(struct jv *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->nitems; i++) {
		jv_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->s);
	free(v);
}
