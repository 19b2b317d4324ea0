/*
 * filter.c - parse the filter language (filter.h) and compile it to SQL.
 *
 *     struct filter *f = filter_parse("kind = exec or errno = ENOENT", ...);
 *     filter_sql(f, ev_desc(EV_PROC), w);     // "(\"kind\" = 1)"
 *     filter_sql(f, ev_desc(EV_SYSCALL), w);  // "coalesce(\"ret\" = -2, 0)"
 *
 * A recursive-descent parser builds a small tree; every comparison is
 * checked against the event descriptors while parsing (unknown fields,
 * values of the wrong type, unknown enumeration names are errors that point
 * at their token).  Compilation is per kind: each node first folds to a
 * constant when it can (a field the kind lacks is false, "kind = syscall" is
 * true or false), so a filter that cannot match a kind compiles to "0" and
 * the caller skips that table.  Comparisons are wrapped in coalesce(.., 0)
 * so that NULL strings make them false, never NULL, and "not" stays a plain
 * negation.
 *
 * filter_batch evaluates the same tree on a batch of decoded rows, a
 * comparison at a time with SQL's meaning (NULL compares false, strings
 * byte-wise, enumerations by their names, "pid" of a thread through the
 * threads table), so a figure folded from the kept rows equals the one
 * SQL would compute from the selected ones.
 */
#include "config.h"
#include "analyze/replay/filter.h"
#include "analyze/output/textesc.h"
#include "analyze/sql/sqlfn.h"
#include "store/store.h"
#include "store/systab.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum filter_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_MATCH };
static const char *const op_sql[] = { "=", "=", "<", "<=", ">", ">=", "~" };

enum node_type { NODE_AND, NODE_OR, NODE_NOT, NODE_CMP };

struct node {
	enum node_type type;
	struct node *a, *b; /* AND/OR: both; NOT: a */
	/* NODE_CMP */
	const struct vfield *vf; /* NULL: a plain column called field */
	char *field;
	enum filter_op op;
	char *str;      /* the value as text */
	int is_num;     /* the value reads as an integer (num) */
	long long num;
	int glob;       /* "~" with a glob character */
	/* Per kind: a named column's index (-1: none), set when parsed;
	 * what node_const gives, once the tree is whole (node_prepare). */
	int8_t konst[EV_KIND_COUNT];
	int16_t col[EV_KIND_COUNT];
};

struct filter {
	struct node *root; /* NULL: everything matches */
	char *text;
};

/* ---- fields ---------------------------------------------------------- */

/* How a field's columns compare. */
enum vf_how {
	VF_COLS,  /* plain columns */
	VF_KIND,  /* the event kind */
	VF_ERRNO, /* -ret, on failed syscalls */
};

/* VF_COLS: the fields with a ROLE flag (EVF_*, store/ev_kinds.h) of each
 * kind, and those with a VIA flag: thread ids whose process is looked up
 * in the threads table (pid on the sched kinds). */
struct vfield {
	const char *name;
	enum vf_how how;
	unsigned role, via;
};

static const struct vfield vfields[] = {
	{ "kind", VF_KIND, 0, 0 },
	{ "errno", VF_ERRNO, 0, 0 },
	{ "pid", VF_COLS, EVF_PID, EVF_TID_PID },
	{ "tid", VF_COLS, EVF_TID, 0 },
	{ "comm", VF_COLS, EVF_COMM, 0 },
	{ "port", VF_COLS, EVF_PORT, 0 },
	{ "addr", VF_COLS, EVF_ADDR, 0 },
};
#define NVFIELDS (sizeof(vfields) / sizeof(vfields[0]))

static const struct vfield *vfield_find(const char *name)
{
	for (size_t i = 0; i < NVFIELDS; i++)
		if (!strcmp(vfields[i].name, name))
			return &vfields[i];
	return NULL;
}

/* The index of the next of N's columns in kind D after field I (-1: the
 * first), or -1 when there is none.  *VIA: the column is a thread id,
 * compared through the threads table. */
static int col_next(const struct node *n, const struct ev_desc *d, int i,
		    int *via)
{
	*via = 0;
	if (!n->vf) /* a column the user named */
		return i < 0 ? n->col[d->kind] : -1;
	if (n->vf->how == VF_ERRNO)
		return i < 0 && d->kind == EV_SYSCALL ? EVI_SYSCALL_RET : -1;
	while (++i < (int)d->nfields) {
		unsigned fl = d->fields[i].flags;
		if (fl & n->vf->role)
			return i;
		if (fl & n->vf->via) {
			*via = 1;
			return i;
		}
	}
	return -1;
}

static int col_is_str(const struct ev_field *f)
{
	return f->type == EVT_STR || f->type == EVT_SYSNAME;
}

/* Index of NAME in an enumeration field's names (case-insensitive), -1. */
static int enum_index(const struct ev_field *f, const char *name)
{
	for (uint32_t i = 0; i < f->nnames; i++)
		if (f->names[i] && !strcasecmp(f->names[i], name))
			return (int)i;
	return -1;
}

/* The value of N's operand for enumeration F (its names are what SQL
 * shows): a name, or a number that has one.  -1 if neither. */
static int enum_value(const struct ev_field *f, const struct node *n)
{
	if (n->is_num)
		return ev_enum_name(f, n->num) ? (int)n->num : -1;
	return enum_index(f, n->str);
}

/* The errno number of NAME ("ENOENT"), or -1. */
static int errno_by_name(const char *name)
{
	for (int e = 1; e < 4096; e++) {
		const char *s = sqlfn_errno_name(-e);
		if (s && !strcasecmp(s, name))
			return e;
	}
	return -1;
}

/* ---- kinds ----------------------------------------------------------- */

/* What "kind = NAME" means: a mask of whole kinds, or one kind's enum
 * "kind" column equal to a value (*SUB_KIND, *SUB_VAL).  -1 if unknown. */
static int kind_lookup(const char *name, unsigned *mask, int *sub_kind,
		       int *sub_val)
{
	*mask = 0;
	*sub_kind = -1;
	for (unsigned k = 0; k < EV_KIND_COUNT; k++) {
		const struct ev_desc *d = ev_desc(k);
		if (!strcasecmp(name, d->title) || !strcasecmp(name, d->table)) {
			*mask = 1u << k;
			return 0;
		}
	}
	for (unsigned c = 0; ev_class_name(c); c++) {
		if (!strcasecmp(name, ev_class_name(c))) {
			*mask = ev_class_kinds(c);
			return 0;
		}
	}
	for (unsigned k = 0; k < EV_KIND_COUNT; k++) {
		const struct ev_desc *d = ev_desc(k);
		int v;
		if (d->subkind < 0)
			continue;
		if ((v = enum_index(&d->fields[d->subkind], name)) >= 0) {
			*sub_kind = (int)k;
			*sub_val = v;
			return 0;
		}
	}
	return -1;
}

/* Append ", S" (S alone first) to the list in BUF of LEN bytes, *L long. */
static void names_add(char *buf, size_t len, size_t *l, const char *s)
{
	if (*l < len)
		*l += (size_t)snprintf(buf + *l, len - *l, "%s%s",
				       *l ? ", " : "", s);
}

/* The names kind_lookup knows, ", "-separated, into BUF: the kinds, the
 * classes (but one named as its only kind), the sub-kinds. */
static void kind_names(char *buf, size_t len)
{
	size_t l = 0;

	buf[0] = '\0';
	for (unsigned k = 0; k < EV_KIND_COUNT; k++)
		names_add(buf, len, &l, ev_desc(k)->title);
	for (unsigned c = 0; ev_class_name(c); c++) {
		unsigned m = ev_class_kinds(c);
		if (!m || m & (m - 1) ||
		    strcmp(ev_desc(__builtin_ctz(m))->title, ev_class_name(c)))
			names_add(buf, len, &l, ev_class_name(c));
	}
	for (unsigned k = 0; k < EV_KIND_COUNT; k++) {
		const struct ev_desc *d = ev_desc(k);
		if (d->subkind < 0)
			continue;
		for (uint32_t i = 0; i < d->fields[d->subkind].nnames; i++)
			if (d->fields[d->subkind].names[i])
				names_add(buf, len, &l,
					  d->fields[d->subkind].names[i]);
	}
}

/* ---- tokens ---------------------------------------------------------- */

enum tok_type { TOK_END, TOK_LP, TOK_RP, TOK_AND, TOK_OR, TOK_NOT, TOK_OP,
		TOK_WORD, TOK_STRING };

struct parser {
	const char *text;
	const char *p;
	/* current token */
	enum tok_type tt;
	size_t tpos, tlen;
	enum filter_op op;
	char *word; /* WORD / STRING value, malloc'd */
	char *err;
	size_t errlen;
	int failed;
	int depth; /* of "not" and "(": bounded, the parser recurses */
};

#define FILTER_MAX_DEPTH 200

static int is_opchar(int c)
{
	return c == '=' || c == '!' || c == '<' || c == '>' || c == '~';
}

static int is_wordchar(int c)
{
	return c && !isspace(c) && c != '(' && c != ')' && c != '"' &&
	       c != '\'' && !is_opchar(c) && c != '&' && c != '|';
}

static void perr(struct parser *ps, size_t pos, size_t len, const char *fmt,
		 ...)
{
	va_list ap;
	size_t n;
	int w;

	if (ps->failed)
		return;
	ps->failed = 1;
	if (!ps->err || !ps->errlen)
		return;
	n = (size_t)snprintf(ps->err, ps->errlen, "bad filter at column %zu: ",
			     pos + 1);
	if (n >= ps->errlen)
		return;
	va_start(ap, fmt);
	w = vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
	va_end(ap);
	if (w < 0 || (n += (size_t)w) >= ps->errlen)
		return;
	w = snprintf(ps->err + n, ps->errlen - n, "\n  ");
	if (w < 0 || (n += (size_t)w) >= ps->errlen)
		return;
	/* the text, control characters shown as spaces so the caret lines up */
	for (const char *c = ps->text; *c && n + 1 < ps->errlen; c++)
		ps->err[n++] = (unsigned char)*c < ' ' ? ' ' : *c;
	if (n + 4 >= ps->errlen) {
		ps->err[n < ps->errlen ? n : ps->errlen - 1] = '\0';
		return;
	}
	ps->err[n++] = '\n';
	ps->err[n++] = ' ';
	ps->err[n++] = ' ';
	for (size_t i = 0; i < pos && n + 2 < ps->errlen; i++)
		ps->err[n++] = ' ';
	for (size_t i = 0; i < (len ? len : 1) && n + 1 < ps->errlen; i++)
		ps->err[n++] = '^';
	ps->err[n] = '\0';
}

/* Read the next token into PS. */
static void tok_next(struct parser *ps)
{
	const char *p = ps->p;

	free(ps->word);
	ps->word = NULL;
	while (isspace((unsigned char)*p))
		p++;
	ps->tpos = (size_t)(p - ps->text);
	if (!*p) {
		ps->tt = TOK_END;
		ps->tlen = 0;
		ps->p = p;
		return;
	}
	if (*p == '(' || *p == ')') {
		ps->tt = *p == '(' ? TOK_LP : TOK_RP;
		ps->tlen = 1;
		ps->p = p + 1;
		return;
	}
	if ((p[0] == '&' && p[1] == '&') || (p[0] == '|' && p[1] == '|')) {
		ps->tt = p[0] == '&' ? TOK_AND : TOK_OR;
		ps->tlen = 2;
		ps->p = p + 2;
		return;
	}
	if (is_opchar((unsigned char)*p)) {
		static const struct { const char *s; enum filter_op op; } ops[] = {
			{ "==", OP_EQ }, { "!=", OP_NE }, { "<=", OP_LE },
			{ ">=", OP_GE }, { "=", OP_EQ }, { "<", OP_LT },
			{ ">", OP_GT }, { "~", OP_MATCH },
		};
		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
			size_t l = strlen(ops[i].s);
			if (strncmp(p, ops[i].s, l))
				continue;
			ps->tt = TOK_OP;
			ps->op = ops[i].op;
			ps->tlen = l;
			ps->p = p + l;
			return;
		}
		/* a lone '!' is "not" */
		ps->tt = TOK_NOT;
		ps->tlen = 1;
		ps->p = p + 1;
		return;
	}
	if (*p == '"' || *p == '\'') {
		char q = *p;
		const char *s = p + 1;
		size_t n = 0;
		char *w = malloc(strlen(s) + 1);
		if (!w) {
			perr(ps, ps->tpos, 1, "out of memory");
			ps->tt = TOK_END;
			return;
		}
		while (*s && *s != q) {
			if (*s == '\\' && (s[1] == q || s[1] == '\\'))
				s++;
			w[n++] = *s++;
		}
		w[n] = '\0';
		if (!*s) {
			free(w);
			ps->tlen = (size_t)(s - p);
			ps->tt = TOK_END;
			perr(ps, ps->tpos, ps->tlen, "unterminated string");
			return;
		}
		ps->tt = TOK_STRING;
		ps->word = w;
		ps->tlen = (size_t)(s + 1 - p);
		ps->p = s + 1;
		return;
	}
	if (!is_wordchar((unsigned char)*p)) {
		/* a lone '&' or '|' */
		ps->tlen = 1;
		ps->tt = TOK_END;
		perr(ps, ps->tpos, 1, "unexpected '%s'", TEXTESC_QN(p, 1));
		return;
	}
	const char *s = p;
	while (is_wordchar((unsigned char)*s))
		s++;
	ps->tlen = (size_t)(s - p);
	ps->p = s;
	ps->word = strndup(p, ps->tlen);
	if (!ps->word) {
		perr(ps, ps->tpos, 1, "out of memory");
		ps->tt = TOK_END;
		return;
	}
	ps->tt = TOK_WORD;
	if (!strcasecmp(ps->word, "and"))
		ps->tt = TOK_AND;
	else if (!strcasecmp(ps->word, "or"))
		ps->tt = TOK_OR;
	else if (!strcasecmp(ps->word, "not"))
		ps->tt = TOK_NOT;
}

/* ---- values ---------------------------------------------------------- */

/* An integer or a duration with a unit; 0 and *V, or -1. */
static int value_number(const char *s, long long *v)
{
	static const struct { const char *unit; double mul; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
		{ "m", 60e9 }, { "h", 3600e9 },
	};
	char *end;

	if (!*s)
		return -1;
	errno = 0;
	*v = strtoll(s, &end, 0);
	if (!errno && !*end && end != s)
		return 0;
	if (!isdigit((unsigned char)*s) && *s != '.')
		return -1;
	errno = 0;
	double d = strtod(s, &end);
	if (errno || end == s || isnan(d))
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].unit)) {
			double x = d * units[i].mul;
			if (x > 9.2e18)
				return -1;
			*v = (long long)(x + 0.5);
			return 0;
		}
	return -1;
}

static void node_free(struct node *n)
{
	if (!n)
		return;
	node_free(n->a);
	node_free(n->b);
	free(n->field);
	free(n->str);
	free(n);
}

static const char *type_word(const struct ev_field *f)
{
	return col_is_str(f) ? "text" : "a number";
}

/* Check comparison N against every kind; errors point at the field (FPOS),
 * the operator (OPOS) or the value (VPOS). */
static void cmp_check(struct parser *ps, struct node *n, size_t fpos,
		      size_t flen, size_t opos, size_t olen, size_t vpos,
		      size_t vlen)
{
	int found = 0;

	if (n->vf && n->vf->how == VF_KIND) {
		unsigned mask;
		int sk, sv;
		if (n->op != OP_EQ && n->op != OP_NE) {
			perr(ps, opos, olen, "'kind' takes only = and !=");
			return;
		}
		if (kind_lookup(n->str, &mask, &sk, &sv) < 0) {
			char names[512];
			kind_names(names, sizeof(names));
			perr(ps, vpos, vlen, "unknown kind '%s' (%s)",
			     TEXTESC_Q(n->str), names);
		}
		return;
	}
	if (n->vf && n->vf->how == VF_ERRNO) {
		if (n->op == OP_MATCH) {
			perr(ps, opos, olen, "'~' matches text, and errno is "
			     "a number");
			return;
		}
		if (!n->is_num) {
			int e = errno_by_name(n->str);
			if (e < 0) {
				perr(ps, vpos, vlen, "unknown errno '%s' (a "
				     "name like ENOENT, or a number)",
				     TEXTESC_Q(n->str));
				return;
			}
			n->is_num = 1;
			n->num = e;
		}
		return;
	}
	for (unsigned k = 0; k < EV_KIND_COUNT && !ps->failed; k++) {
		const struct ev_desc *d = ev_desc(k);
		int via;
		for (int i = col_next(n, d, -1, &via); i >= 0;
		     i = col_next(n, d, i, &via)) {
			const struct ev_field *f = &d->fields[i];
			found = 1;
			if (f->type == EVT_BLOB) {
				perr(ps, fpos, flen, "'%s' holds bytes: select "
				     "on it with kscope query",
				     TEXTESC_Q(n->field));
				return;
			}
			if (col_is_str(f))
				continue;
			if (f->type == EVT_ENUM && n->op != OP_EQ &&
			    n->op != OP_NE && n->op != OP_MATCH) {
				perr(ps, opos, olen, "'%s' is a name: use =, != "
				     "or ~", TEXTESC_Q(n->field));
				return;
			}
			if (f->type == EVT_ENUM &&
			    (n->op == OP_MATCH || enum_value(f, n) >= 0))
				continue;
			if (n->op == OP_MATCH) {
				perr(ps, opos, olen, "'~' matches text, and "
				     "'%s' is %s", TEXTESC_Q(n->field),
				     type_word(f));
				return;
			}
			if (n->is_num && f->type != EVT_ENUM)
				continue;
			if (f->type == EVT_ENUM) {
				char names[256] = "";
				size_t l = 0;
				for (uint32_t j = 0; j < f->nnames; j++)
					if (f->names[j] && l < sizeof(names))
						l += (size_t)snprintf(names + l,
							sizeof(names) - l,
							"%s%s", l ? ", " : "",
							f->names[j]);
				perr(ps, vpos, vlen, "'%s' is not a value of "
				     "%s (%s)", TEXTESC_Q(n->str),
				     TEXTESC_Q(n->field), names);
			} else {
				perr(ps, vpos, vlen, "'%s' is not a number "
				     "(%s takes integers or durations like "
				     "10ms)", TEXTESC_Q(n->str),
				     TEXTESC_Q(n->field));
			}
			return;
		}
	}
	if (!found && !ps->failed)
		perr(ps, fpos, flen, "unknown field '%s' (pid, tid, comm, "
		     "kind, name, ret, errno, dur, path, fd, addr, port, cpu, "
		     "or a column of an event table)",
		     TEXTESC_Q(n->field));
}

/* ---- parser ---------------------------------------------------------- */

static struct node *parse_or(struct parser *ps);

static struct node *node_new(enum node_type t, struct node *a,
			     struct node *b)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n) {
		node_free(a);
		node_free(b);
		return NULL;
	}
	n->type = t;
	n->a = a;
	n->b = b;
	return n;
}

static struct node *parse_cmp(struct parser *ps)
{
	struct node *n;
	size_t fpos, flen, opos, olen;

	if (ps->tt == TOK_END) {
		if (!ps->failed)
			perr(ps, ps->tpos, 1, "expected a field here");
		return NULL;
	}
	if (ps->tt != TOK_WORD) {
		perr(ps, ps->tpos, ps->tlen, "expected a field, not '%s'",
		     TEXTESC_QN(ps->text + ps->tpos, ps->tlen));
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n) {
		perr(ps, ps->tpos, 1, "out of memory");
		return NULL;
	}
	n->type = NODE_CMP;
	n->field = ps->word;
	ps->word = NULL;
	for (char *c = n->field; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	n->vf = vfield_find(n->field);
	for (unsigned k = 0; k < EV_KIND_COUNT; k++)
		n->col[k] = (int16_t)(n->vf ? -1 :
				      ev_field_index(ev_desc(k), n->field));
	fpos = ps->tpos;
	flen = ps->tlen;
	tok_next(ps);
	if (ps->tt != TOK_OP) {
		if (ps->tt == TOK_END && !ps->failed)
			perr(ps, ps->tpos, 1, "expected an operator (= != < "
			     "<= > >= ~) after '%s'",
			     TEXTESC_Q(n->field));
		else
			perr(ps, ps->tpos, ps->tlen, "expected an operator "
			     "(= != < <= > >= ~) after '%s'",
			     TEXTESC_Q(n->field));
		node_free(n);
		return NULL;
	}
	n->op = ps->op;
	opos = ps->tpos;
	olen = ps->tlen;
	tok_next(ps);
	if (ps->tt != TOK_WORD && ps->tt != TOK_STRING) {
		if (!ps->failed)
			perr(ps, ps->tpos, ps->tlen, "expected a value after "
			     "'%s'", TEXTESC_QN(ps->text + opos, olen));
		node_free(n);
		return NULL;
	}
	n->str = ps->word;
	ps->word = NULL;
	n->is_num = value_number(n->str, &n->num) == 0;
	n->glob = n->op == OP_MATCH && strpbrk(n->str, "*?[") != NULL;
	cmp_check(ps, n, fpos, flen, opos, olen, ps->tpos, ps->tlen);
	if (ps->failed) {
		node_free(n);
		return NULL;
	}
	tok_next(ps);
	return n;
}

static struct node *parse_unary(struct parser *ps)
{
	if ((ps->tt == TOK_NOT || ps->tt == TOK_LP) &&
	    ++ps->depth > FILTER_MAX_DEPTH) {
		perr(ps, ps->tpos, ps->tlen, "nested more than %d deep",
		     FILTER_MAX_DEPTH);
		return NULL;
	}
	if (ps->tt == TOK_NOT) {
		tok_next(ps);
		struct node *a = parse_unary(ps);
		return a ? node_new(NODE_NOT, a, NULL) : NULL;
	}
	if (ps->tt == TOK_LP) {
		size_t lpos = ps->tpos;
		tok_next(ps);
		struct node *a = parse_or(ps);
		if (!a)
			return NULL;
		if (ps->tt != TOK_RP) {
			if (ps->tt == TOK_END)
				perr(ps, lpos, 1, "'(' is never closed");
			else
				perr(ps, ps->tpos, ps->tlen, "expected 'and', "
				     "'or' or ')', not '%s'",
				     TEXTESC_QN(ps->text + ps->tpos,
						ps->tlen));
			node_free(a);
			return NULL;
		}
		tok_next(ps);
		return a;
	}
	return parse_cmp(ps);
}

static struct node *parse_and(struct parser *ps)
{
	struct node *a = parse_unary(ps);

	while (a && ps->tt == TOK_AND) {
		tok_next(ps);
		struct node *b = parse_unary(ps);
		if (!b) {
			node_free(a);
			return NULL;
		}
		a = node_new(NODE_AND, a, b);
	}
	return a;
}

static struct node *parse_or(struct parser *ps)
{
	struct node *a = parse_and(ps);

	while (a && ps->tt == TOK_OR) {
		tok_next(ps);
		struct node *b = parse_and(ps);
		if (!b) {
			node_free(a);
			return NULL;
		}
		a = node_new(NODE_OR, a, b);
	}
	return a;
}

static void node_prepare(struct node *n);

struct filter *filter_parse(const char *text, char *err, size_t len)
{
	struct parser ps = { .text = text ? text : "", .err = err,
			     .errlen = len };
	struct filter *f = calloc(1, sizeof(*f));

	if (err && len)
		err[0] = '\0';
	if (!f || !(f->text = strdup(ps.text))) {
		free(f);
		if (err && len)
			snprintf(err, len, "bad filter: out of memory");
		errno = ENOMEM;
		return NULL;
	}
	ps.p = ps.text;
	tok_next(&ps);
	if (ps.tt == TOK_END && !ps.failed)
		return f; /* blank: everything */
	f->root = parse_or(&ps);
	if (f->root && ps.tt != TOK_END) {
		if (ps.tt == TOK_RP)
			perr(&ps, ps.tpos, 1, "')' without '('");
		else
			perr(&ps, ps.tpos, ps.tlen, "expected 'and' or 'or', "
			     "not '%s'",
			     TEXTESC_QN(ps.text + ps.tpos, ps.tlen));
	}
	free(ps.word);
	if (ps.failed || !f->root) {
		if (!ps.failed && err && len)
			snprintf(err, len, "bad filter: out of memory");
		filter_free(f);
		errno = EINVAL;
		return NULL;
	}
	node_prepare(f->root);
	return f;
}

void filter_free(struct filter *f)
{
	if (!f)
		return;
	node_free(f->root);
	free(f->text);
	free(f);
}

const char *filter_text(const struct filter *f)
{
	return f->text;
}

/* ---- compiling --------------------------------------------------------- */

enum { C_FALSE = 0, C_TRUE = 1, C_SQL = 2 };

/* The constant value of comparison N on kind D, or C_SQL. */
static int cmp_const(const struct node *n, const struct ev_desc *d)
{
	int via;

	if (n->vf && n->vf->how == VF_KIND) {
		unsigned mask;
		int sk, sv;
		int eq = n->op == OP_EQ;
		if (kind_lookup(n->str, &mask, &sk, &sv) < 0)
			return C_FALSE;
		if (mask)
			return (mask >> d->kind & 1) == (unsigned)eq;
		if (sk != (int)d->kind)
			return eq ? C_FALSE : C_TRUE;
		return C_SQL;
	}
	return col_next(n, d, -1, &via) >= 0 ? C_SQL : C_FALSE;
}

/* Is N always true or false for kind D's events, whatever the values?
 * Worked out for every kind when the tree is whole (node_prepare): the
 * evaluation asks it at each node of each row. */
static int node_const(const struct node *n, const struct ev_desc *d)
{
	return n->konst[d->kind];
}

static int node_const_calc(const struct node *n, const struct ev_desc *d)
{
	int a, b;

	switch (n->type) {
	case NODE_CMP:
		return cmp_const(n, d);
	case NODE_NOT:
		a = node_const(n->a, d);
		return a == C_SQL ? C_SQL : !a;
	case NODE_AND:
		a = node_const(n->a, d);
		b = node_const(n->b, d);
		if (a == C_FALSE || b == C_FALSE)
			return C_FALSE;
		return a == C_TRUE && b == C_TRUE ? C_TRUE : C_SQL;
	case NODE_OR:
		a = node_const(n->a, d);
		b = node_const(n->b, d);
		if (a == C_TRUE || b == C_TRUE)
			return C_TRUE;
		return a == C_FALSE && b == C_FALSE ? C_FALSE : C_SQL;
	}
	return C_FALSE;
}

/* Fill N's per-kind answers, children first. */
static void node_prepare(struct node *n)
{
	if (n->a)
		node_prepare(n->a);
	if (n->b)
		node_prepare(n->b);
	for (unsigned k = 0; k < EV_KIND_COUNT; k++)
		n->konst[k] = (int8_t)node_const_calc(n, ev_desc(k));
}

/* Column I compared with N's value (VIA: see col_next). */
static void col_sql(const struct node *n, const struct ev_desc *d, int i,
		    int via, sqlite3_str *out)
{
	const struct ev_field *f = &d->fields[i];
	const char *col = f->name;
	const char *op = op_sql[n->op];

	if (via) {
		sqlite3_str_appendf(out, "\"%w\" IN (SELECT tid FROM threads "
				    "WHERE pid %s %lld)", col, op, n->num);
		return;
	}
	if (n->op == OP_MATCH) {
		if (n->glob)
			sqlite3_str_appendf(out, "\"%w\" GLOB %Q", col, n->str);
		else
			sqlite3_str_appendf(out, "instr(\"%w\", %Q) > 0", col,
					    n->str);
		return;
	}
	if (col_is_str(f)) {
		sqlite3_str_appendf(out, "\"%w\" %s %Q", col, op, n->str);
		return;
	}
	if (f->type == EVT_ENUM) {
		/* SQL shows enumerations by name */
		sqlite3_str_appendf(out, "\"%w\" %s %Q", col, op,
				    f->names[enum_value(f, n)]);
		return;
	}
	sqlite3_str_appendf(out, "\"%w\" %s %lld", col, op, n->num);
}

static void cmp_sql(const struct node *n, const struct ev_desc *d,
		    sqlite3_str *out)
{
	int nc = 0, via;

	if (n->vf && n->vf->how == VF_KIND) {
		unsigned mask;
		int sk, sv;
		kind_lookup(n->str, &mask, &sk, &sv);
		const struct ev_field *kf = &d->fields[d->subkind];
		sqlite3_str_appendf(out, "coalesce(\"%w\" %s %Q, 0)",
				    kf->name, n->op == OP_EQ ? "=" : "!=",
				    kf->names[sv]);
		return;
	}
	if (n->vf && n->vf->how == VF_ERRNO) {
		/* a failed call's errno is -ret > 0: no call fails with
		 * errno 0 or below (and -num could overflow) */
		if ((n->op == OP_EQ || n->op == OP_NE) && n->num <= 0)
			sqlite3_str_appendall(out, n->op == OP_EQ ? "0" : "1");
		else if (n->op == OP_EQ || n->op == OP_NE)
			sqlite3_str_appendf(out, "(\"ret\" %s %lld)",
					    n->op == OP_EQ ? "=" : "!=",
					    -n->num);
		else
			sqlite3_str_appendf(out, "(\"ret\" < 0 AND -\"ret\" "
					    "%s %lld)", op_sql[n->op], n->num);
		return;
	}
	for (int i = col_next(n, d, -1, &via); i >= 0;
	     i = col_next(n, d, i, &via))
		nc++;
	sqlite3_str_appendall(out, n->op == OP_NE ? "NOT coalesce(" :
			      "coalesce(");
	if (nc > 1)
		sqlite3_str_appendall(out, "(");
	for (int i = col_next(n, d, -1, &via), c = 0; i >= 0;
	     i = col_next(n, d, i, &via), c++) {
		if (c)
			sqlite3_str_appendall(out, " OR ");
		col_sql(n, d, i, via, out);
	}
	sqlite3_str_appendall(out, nc > 1 ? "), 0)" : ", 0)");
}

static void node_sql(const struct node *n, const struct ev_desc *d,
		     sqlite3_str *out)
{
	int c = node_const(n, d);

	if (c != C_SQL) {
		sqlite3_str_appendall(out, c ? "1" : "0");
		return;
	}
	switch (n->type) {
	case NODE_CMP:
		cmp_sql(n, d, out);
		break;
	case NODE_NOT:
		sqlite3_str_appendall(out, "NOT ");
		node_sql(n->a, d, out);
		break;
	case NODE_AND:
	case NODE_OR: {
		/* a constant side is the neutral one here: drop it */
		int ca = node_const(n->a, d), cb = node_const(n->b, d);
		if (ca != C_SQL) {
			node_sql(n->b, d, out);
			break;
		}
		if (cb != C_SQL) {
			node_sql(n->a, d, out);
			break;
		}
		sqlite3_str_appendall(out, "(");
		node_sql(n->a, d, out);
		sqlite3_str_appendall(out, n->type == NODE_AND ? " AND " :
				      " OR ");
		node_sql(n->b, d, out);
		sqlite3_str_appendall(out, ")");
		break;
	}
	}
}

int filter_sql(const struct filter *f, const struct ev_desc *d,
	       sqlite3_str *out)
{
	if (!f || !f->root)
		sqlite3_str_appendall(out, "1");
	else
		node_sql(f->root, d, out);
	return sqlite3_str_errcode(out) == SQLITE_NOMEM ? -ENOMEM : 0;
}

unsigned filter_kinds(const struct filter *f)
{
	unsigned mask = 0;

	for (unsigned k = 0; k < EV_KIND_COUNT; k++)
		if (!f || !f->root || node_const(f->root, ev_desc(k)) != C_FALSE)
			mask |= 1u << k;
	return mask;
}

unsigned filter_kinds_all(const struct filter *f)
{
	unsigned mask = 0;

	for (unsigned k = 0; k < EV_KIND_COUNT; k++)
		if (!f || !f->root || node_const(f->root, ev_desc(k)) == C_TRUE)
			mask |= 1u << k;
	return mask;
}

/* ---- evaluating on decoded rows ---------------------------------------- */

/* The row evaluated: row I of batch B, or the event struct EV (names of
 * syscalls then come from ARCH's table). */
struct row_ctx {
	const struct store_batch *b;
	struct store *st;
	filter_pids_fn *pids;
	void *arg;
	uint32_t i;
	const struct ev_desc *d;
	const void *ev;
	const char *arch;
	int err;
};

/* Integer field FI of the row (a string field of a batch: its dictionary
 * index).  0, or a negative errno, also kept in C->err. */
static int row_int(struct row_ctx *c, unsigned fi, int64_t *v)
{
	int rc;

	if (c->ev) {
		*v = ev_get_int(&c->d->fields[fi], c->ev);
		return 0;
	}
	if ((rc = store_batch_int(c->b, fi, c->i, v)) < 0)
		c->err = rc;
	return rc;
}

static int cmp_num(long long a, enum filter_op op, long long b)
{
	switch (op) {
	case OP_EQ: return a == b;
	case OP_NE: return a != b;
	case OP_LT: return a < b;
	case OP_LE: return a <= b;
	case OP_GT: return a > b;
	case OP_GE: return a >= b;
	case OP_MATCH: break;
	}
	return 0;
}

/* Text of column F of the current row as SQL shows it (NULL: none);
 * NUM is a buffer for an enumeration value without a name. */
static const char *row_text(struct row_ctx *c, const struct ev_desc *d,
			    const struct ev_field *f, char num[24])
{
	unsigned fi = (unsigned)(f - d->fields);
	const char *s = NULL;
	int64_t v;
	int rc;

	if (f->type == EVT_STR && c->ev)
		return ev_get_str(f, c->ev);
	if (f->type == EVT_STR) {
		if ((rc = store_batch_str(c->b, fi, c->i, &s)) < 0)
			c->err = rc;
		return s;
	}
	if (f->type == EVT_SYSNAME) {
		/* derived from the integer stored at the same place */
		for (unsigned k = 0; k < d->nfields; k++)
			if (d->fields[k].off == f->off && k != fi)
				fi = k;
	}
	if (row_int(c, fi, &v) < 0)
		return NULL;
	if (f->type == EVT_SYSNAME)
		return c->ev ? systab_name(c->arch, (int)v) :
			       store_syscall_name(c->st, (int)v);
	if ((s = ev_enum_name(f, v)) || !v)
		return s;
	snprintf(num, 24, "%lld", (long long)v);
	return num;
}

/* Whether thread TID's process compares with N's value. */
static int row_pid(struct row_ctx *c, const struct node *n, int64_t tid)
{
	const uint32_t *pids;
	size_t np = c->pids ? c->pids(c->arg, (uint32_t)tid, &pids) : 0;

	for (size_t k = 0; k < np; k++)
		if (cmp_num(pids[k], n->op == OP_NE ? OP_EQ : n->op, n->num))
			return 1;
	return 0;
}

/* Column FI compared with N's value (col_sql's meaning; VIA: see
 * col_next). */
static int col_eval(const struct node *n, const struct ev_desc *d,
		    unsigned fi, int via, struct row_ctx *c)
{
	const struct ev_field *f = &d->fields[fi];
	char num[24];
	const char *s;
	int64_t v;
	int rc;

	if (via || (!col_is_str(f) && f->type != EVT_ENUM)) {
		if (row_int(c, fi, &v) < 0)
			return 0;
		if (via)
			return row_pid(c, n, v);
		return cmp_num(v, n->op == OP_NE ? OP_EQ : n->op, n->num);
	}
	if (!(s = row_text(c, d, f, num)))
		return 0;
	if (n->op == OP_MATCH)
		return n->glob ? sqlite3_strglob(n->str, s) == 0 :
				 strstr(s, n->str) != NULL;
	if (f->type == EVT_ENUM)
		return !strcmp(s, f->names[enum_value(f, n)]);
	rc = strcmp(s, n->str);
	return cmp_num(rc, n->op == OP_NE ? OP_EQ : n->op, 0);
}

static int cmp_eval(const struct node *n, const struct ev_desc *d,
		    struct row_ctx *c)
{
	int any = 0, via;
	int64_t v;

	if (n->vf && n->vf->how == VF_KIND) {
		unsigned mask;
		int sk, sv;
		kind_lookup(n->str, &mask, &sk, &sv);
		if (row_int(c, (unsigned)d->subkind, &v) < 0)
			return 0;
		return (v == sv) == (n->op == OP_EQ);
	}
	if (n->vf && n->vf->how == VF_ERRNO) {
		if (row_int(c, EVI_SYSCALL_RET, &v) < 0)
			return 0;
		if ((n->op == OP_EQ || n->op == OP_NE) && n->num <= 0)
			return n->op == OP_NE;
		if (n->op == OP_EQ || n->op == OP_NE)
			return (v == -n->num) == (n->op == OP_EQ);
		return v < 0 && cmp_num(-v, n->op, n->num);
	}
	for (int i = col_next(n, d, -1, &via); i >= 0 && !any;
	     i = col_next(n, d, i, &via))
		any = col_eval(n, d, (unsigned)i, via, c);
	return n->op == OP_NE ? !any : any;
}

static int node_eval(const struct node *n, const struct ev_desc *d,
		     struct row_ctx *c)
{
	int k = node_const(n, d);

	if (k != C_SQL)
		return k;
	switch (n->type) {
	case NODE_CMP:
		return cmp_eval(n, d, c);
	case NODE_NOT:
		return !node_eval(n->a, d, c);
	case NODE_AND:
		return node_eval(n->a, d, c) && node_eval(n->b, d, c);
	case NODE_OR:
		return node_eval(n->a, d, c) || node_eval(n->b, d, c);
	}
	return 0;
}

int filter_batch(const struct filter *f, struct store *st,
		 filter_pids_fn *pids, void *arg, const struct store_batch *b,
		 uint8_t *keep)
{
	const struct ev_desc *d = ev_desc(b->kind);
	struct row_ctx c = { .b = b, .st = st, .pids = pids, .arg = arg,
			     .d = d };
	int k = !f || !f->root ? C_TRUE : node_const(f->root, d);

	if (k != C_SQL) {
		memset(keep, k, b->n);
		return 0;
	}
	for (c.i = 0; c.i < b->n && !c.err; c.i++)
		keep[c.i] = (uint8_t)node_eval(f->root, d, &c);
	return c.err;
}

int filter_event(const struct filter *f, enum ev_kind kind, const void *ev,
		 const char *arch)
{
	struct row_ctx c = { .d = ev_desc(kind), .ev = ev, .arch = arch };

	if (!f || !f->root)
		return 1;
	return node_eval(f->root, c.d, &c);
}
