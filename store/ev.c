/*
 * ev.c - the event-descriptor table, expanded from the declaration of the
 * kinds (store/ev_kinds.h), and the accessors that walk it.
 *
 * One entry per event kind.  The order of fields is the order of SQL columns
 * and of columns inside a chunk; it is part of the file format (see
 * docs/FORMAT.md): append new fields at the end of a kind, never reorder.
 * The compiler checks that each member is as wide as its type says, that
 * every kind starts with ts, has at most one sub-kind, and that the
 * indices match the table.
 */
#include "store/ev.h"

#include <string.h>

static const char *const proc_kind_names[] = { "fork", "exec", "exit", NULL };
static const char *const net_kind_names[] = {
#define NET_KIND_NAME(N, name) [KS_NET_##N] = name,
	KS_NET_KINDS(NET_KIND_NAME)
#undef NET_KIND_NAME
	NULL
};
/* Index = enum ev_waker_ctx; 0 (not recorded) reads as NULL. */
static const char *const waker_ctx_names[] = {
	NULL, "task", "hardirq", "softirq", "nmi", NULL
};
static const char *const signal_kind_names[] = {
	"generate", "deliver", "oom_kill", NULL
};
static const char *const block_op_names[] = {
	"read", "write", "flush", "discard", "secure_erase", "write_zeroes",
	"other", NULL
};
/* Index = kernel TCP state number (include/net/tcp_states.h). */
static const char *const tcp_state_names[] = {
	NULL,        "ESTABLISHED", "SYN_SENT", "SYN_RECV",   "FIN_WAIT1",
	"FIN_WAIT2", "TIME_WAIT",   "CLOSE",    "CLOSE_WAIT", "LAST_ACK",
	"LISTEN",    "CLOSING",     "NEW_SYN_RECV", NULL
};
/* Index = enum ev_path_status; 0 (whole, or no path) reads as NULL. */
static const char *const path_status_names[] = {
	NULL, "truncated", "unreadable", NULL
};

/* Index = enum ev_timeout_kind; 0 (no timeout read) reads as NULL. */
static const char *const timeout_kind_names[] = {
	NULL, "relative", "absolute", "infinite", NULL
};

/* struct ev_<name> by the kind's NAME, for the field macros. */
#define KIND_TYPEDEF(N, n, ...) typedef struct ev_##n ev_##N##_t;
EV_KINDS(KIND_TYPEDEF)
#undef KIND_TYPEDEF

/* The bytes a field of type T takes in its struct. */
#define TYPE_SIZE(t)                                                       \
	((t) == EVT_STR || (t) == EVT_BLOB ? sizeof(const char *) :      \
	 (t) == EVT_U64 || (t) == EVT_I64 ? 8 : 4)

#define FIELD_V(K, I, member, col, ty, fl, r)                              \
	{ .name = col, .type = ty, .off = offsetof(ev_##K##_t, member),    \
	  .flags = fl, .ref = EVI_##K##_##r },
#define FIELD_F(K, I, ctype, ...) FIELD_V(K, I, __VA_ARGS__)
#define FIELD_E(K, I, member, col, tbl, fl)                                \
	{ .name = col, .type = EVT_ENUM, .off = offsetof(ev_##K##_t, member), \
	  .flags = fl, .names = tbl,                                       \
	  .nnames = sizeof(tbl) / sizeof(tbl[0]) - 1, .ref = -1 },
#define FIELD_M(K, ...)
#define FIELDS(N, ...)                                                     \
	static const struct ev_field fields_##N[] = {                      \
		EV_FIELDS_##N(FIELD_F, FIELD_E, FIELD_V, FIELD_M, N)       \
	};
EV_KINDS(FIELDS)

/* Each member is as wide as its type says. */
#define CHECK_V(K, I, member, col, ty, ...)                                \
	_Static_assert(sizeof(((ev_##K##_t *)0)->member) == TYPE_SIZE(ty), \
		       "width of " #K "." #member);
#define CHECK_F(K, I, ctype, ...) CHECK_V(K, I, __VA_ARGS__)
#define CHECK_E(K, I, member, ...)                                         \
	_Static_assert(sizeof(((ev_##K##_t *)0)->member) == 4,             \
		       "width of " #K "." #member);
#define NSUB_V(K, I, member, col, ty, fl, ...) !!((fl) & EVF_SUBKIND) +
#define NSUB_F(K, I, ctype, ...) NSUB_V(K, I, __VA_ARGS__)
#define NSUB_E(K, I, member, col, tbl, fl) !!((fl) & EVF_SUBKIND) +
#define CHECK_KIND(N, ...)                                                 \
	EV_FIELDS_##N(CHECK_F, CHECK_E, CHECK_V, FIELD_M, N)               \
	_Static_assert(sizeof(fields_##N) / sizeof(fields_##N[0]) ==       \
		       EVI_##N##_COUNT, "field count of " #N);             \
	_Static_assert(EVI_##N##_TS == 0, #N ": ts comes first");          \
	_Static_assert(EV_FIELDS_##N(NSUB_F, NSUB_E, NSUB_V, FIELD_M, N)   \
		       0 <= 1, #N ": one sub-kind at most");
EV_KINDS(CHECK_KIND)

/* The EVF_SUBKIND field of kind N, or -1. */
#define SUBKIND_V(K, I, member, col, ty, fl, ...)                          \
	((fl) & EVF_SUBKIND ? EVI_##K##_##I + 1 : 0) +
#define SUBKIND_F(K, I, ctype, ...) SUBKIND_V(K, I, __VA_ARGS__)
#define SUBKIND_E(K, I, member, col, tbl, fl)                              \
	((fl) & EVF_SUBKIND ? EVI_##K##_##I + 1 : 0) +
#define SUBKIND(N)                                                         \
	(EV_FIELDS_##N(SUBKIND_F, SUBKIND_E, SUBKIND_V, FIELD_M, N) 0) - 1

#define DESC(N, n, u, tbl, ttl, cls, wt, wc)                               \
	[EV_##N] = { .kind = EV_##N, .table = tbl, .title = ttl,           \
		     .size = sizeof(struct ev_##n), .fields = fields_##N,  \
		     .nfields = EVI_##N##_COUNT, .klass = cls,              \
		     .who_tid = EVI_##N##_##wt, .who_comm = EVI_##N##_##wc, \
		     .cpu = EVI_##N##_CPU, .subkind = SUBKIND(N) },
static const struct ev_desc descs[EV_KIND_COUNT] = { EV_KINDS(DESC) };

static const char *const class_names[KS_CLASS_COUNT] = {
#define CLASS_NAME(N, name) [KS_CLASS_##N] = name,
	KS_CLASSES(CLASS_NAME)
#undef CLASS_NAME
};

const struct ev_desc *ev_desc(enum ev_kind kind)
{
	if ((unsigned)kind >= EV_KIND_COUNT)
		return NULL;
	return &descs[kind];
}

const struct ev_desc *ev_desc_by_table(const char *name)
{
	for (unsigned k = 0; k < EV_KIND_COUNT; k++)
		if (strcmp(descs[k].table, name) == 0)
			return &descs[k];
	return NULL;
}

int ev_field_index(const struct ev_desc *d, const char *name)
{
	for (unsigned i = 0; i < d->nfields; i++)
		if (strcmp(d->fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

void ev_set_int(const struct ev_field *f, void *ev, int64_t v)
{
	char *p = (char *)ev + f->off;

	switch (f->type) {
	case EVT_U32:
	case EVT_ENUM:
		*(uint32_t *)p = (uint32_t)v;
		break;
	case EVT_I32:
		*(int32_t *)p = (int32_t)v;
		break;
	case EVT_U64:
		*(uint64_t *)p = (uint64_t)v;
		break;
	case EVT_I64:
		*(int64_t *)p = v;
		break;
	case EVT_STR:
	case EVT_SYSNAME:
	case EVT_BLOB:
		break;
	}
}

const char *ev_get_str(const struct ev_field *f, const void *ev)
{
	return *(const char *const *)((const char *)ev + f->off);
}

void ev_set_str(const struct ev_field *f, void *ev, const char *s)
{
	*(const char **)((char *)ev + f->off) = s;
}

const char *ev_enum_name(const struct ev_field *f, int64_t v)
{
	if (!f->names || v < 0 || (uint64_t)v >= f->nnames)
		return NULL;
	return f->names[v];
}

const char *ev_class_name(unsigned c)
{
	return c < KS_CLASS_COUNT ? class_names[c] : NULL;
}

unsigned ev_class_kinds(unsigned c)
{
	unsigned mask = 0;

	for (unsigned k = 0; k < EV_KIND_COUNT; k++)
		if (descs[k].klass == c)
			mask |= 1u << k;
	return mask;
}

const char *ev_tcp_state_name(unsigned state)
{
	if (state >= sizeof(tcp_state_names) / sizeof(tcp_state_names[0]))
		return NULL;
	return tcp_state_names[state];
}
