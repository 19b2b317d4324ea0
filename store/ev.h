/*
 * ev.h - the event kinds kscope stores, and the one table that describes them.
 *
 * Every event kind is declared once, in store/ev_kinds.h; this header
 * expands that declaration into a plain C struct per kind, the field
 * indices EVI_<KIND>_<FIELD> and union ev_any, and ev.c into the
 * descriptor table.  The descriptor lists the struct's fields with their
 * type, offset, SQL column name and role; the chunk codec, the SQL virtual
 * tables, replay text, the filter language, export and the TUI columns all
 * walk that table.  store/ev_kinds.h says how to add a kind.
 *
 * Strings in event structs are borrowed pointers: on the write side they must
 * stay valid for the duration of store_writer_append() (the writer copies
 * them); on the read side they point into decoded chunk memory and stay
 * valid until the cursor leaves that chunk.  NULL means "no value".
 */
#ifndef KSCOPE_EV_H
#define KSCOPE_EV_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bpf/kscope_bpf.h"
#include "store/ev_kinds.h"

enum ev_kind {
#define EV_KIND_ENUM(N, ...) EV_##N,
	EV_KINDS(EV_KIND_ENUM)
#undef EV_KIND_ENUM
	EV_KIND_COUNT
};

#define EV_KIND_ALL ((1u << EV_KIND_COUNT) - 1)
/* Kinds that are dictionaries other rows point at (stacks: the frames of
 * a sched_switch.stack_id), not events in time: replay shows them only
 * when its filter can match nothing else ('kind = stack'). */
#define EV_KINDS_DICT (1u << EV_STACK)
/* The kinds an event stream shows of KINDS (those a filter can match):
 * the dictionaries only when nothing else is left. */
static inline unsigned ev_kinds_shown(unsigned kinds)
{
	return kinds & ~EV_KINDS_DICT ? kinds & ~EV_KINDS_DICT : kinds;
}

/* ks_syscall.flags */
#define EV_SYSCALL_UNFINISHED 0x1u /* no result: still in flight when recording
				    * stopped, or (with EXITED) never returns */
#define EV_SYSCALL_PATH_TRUNC 0x2u /* path was cut at the capture limit */
#define EV_SYSCALL_EARLY 0x10u     /* started before the recording: ts is when
				    * it was first seen, dur a lower bound */
#define EV_SYSCALL_EXITED 0x20u    /* with UNFINISHED: the thread exited inside
				    * the call (exit, exit_group, a fatal
				    * signal); it is not still running */

/* The marker that ends every string cut at a capture limit (path, addr,
 * filename, argv, cmdline, exe): the bytes before it are exact.  Whether a
 * value was cut is also a column of its own (path_status, truncated), as
 * a real value may end in these characters too. */
#define EV_TRUNC_MARK "..."
#define EV_TRUNC_MARK_LEN 3

/* ev_syscall.path_status: NULL (0) when the path is whole or the call has
 * no path argument. */
enum ev_path_status {
	EV_PATH_OK = 0,
	EV_PATH_TRUNCATED,  /* path ends with EV_TRUNC_MARK */
	EV_PATH_UNREADABLE, /* a path pointer was given but could not be read
			     * (path is NULL): a bad address, or memory gone */
};

/* ev_syscall.timeout_kind: what timeout_ns is. */
enum ev_timeout_kind {
	EV_TIMEOUT_NONE = 0,  /* no timeout argument, or it was not read */
	EV_TIMEOUT_RELATIVE,  /* timeout_ns from the call's start */
	EV_TIMEOUT_ABSOLUTE,  /* timeout_ns is a time of the call's clock
			       * (TIMER_ABSTIME, FUTEX_WAIT_BITSET ...) */
	EV_TIMEOUT_INFINITE,  /* NULL pointer or a negative poll timeout:
			       * waits without limit (timeout_ns 0) */
};

/* ev_proc.truncated bits (exec) */
#define EV_PROC_FILENAME_TRUNC 0x1u
#define EV_PROC_ARGV_TRUNC 0x2u

enum ev_proc_kind { EV_PROC_FORK = 0, EV_PROC_EXEC, EV_PROC_EXIT };

/* ev_wakeup.waker_ctx: what raised the wakeup. */
enum ev_waker_ctx {
	EV_WAKER_UNKNOWN = 0, /* not recorded (older traces) */
	EV_WAKER_TASK,        /* a task, waker_tid */
	EV_WAKER_HARDIRQ,
	EV_WAKER_SOFTIRQ,
	EV_WAKER_NMI,
};

enum ev_signal_kind { EV_SIGNAL_GENERATE = 0, EV_SIGNAL_DELIVER,
		      EV_SIGNAL_OOM_KILL };

enum ev_block_op { EV_BLOCK_READ = 0, EV_BLOCK_WRITE, EV_BLOCK_FLUSH,
		   EV_BLOCK_DISCARD, EV_BLOCK_SECURE_ERASE,
		   EV_BLOCK_WRITE_ZEROES, EV_BLOCK_OTHER };

/* ev_net.kind: the values the BPF program writes (bpf/kscope_bpf.h). */
enum ev_net_kind {
#define EV_NET_KIND_ENUM(N, name) EV_NET_##N = KS_NET_##N,
	KS_NET_KINDS(EV_NET_KIND_ENUM)
#undef EV_NET_KIND_ENUM
};

/* The struct of each kind: struct ev_syscall, struct ev_switch ... */
#define EV_DECL_F(K, I, ctype, member, ...) ctype member;
#define EV_DECL_E(K, I, member, ...) uint32_t member;
#define EV_DECL_V(K, I, ...)
#define EV_DECL_M(K, ctype, decl) ctype decl;
#define EV_STRUCT(N, n, ...) \
	struct ev_##n { \
		EV_FIELDS_##N(EV_DECL_F, EV_DECL_E, EV_DECL_V, EV_DECL_M, N) \
	};
EV_KINDS(EV_STRUCT)
#undef EV_STRUCT
#undef EV_DECL_F
#undef EV_DECL_E
#undef EV_DECL_V
#undef EV_DECL_M

/* Field indices, EVI_<KIND>_<FIELD>: the field's index in its kind's
 * descriptor (and SQL column), known to the compiler.  EVI_<KIND>_NONE
 * is -1, EVI_<KIND>_COUNT the kind's field count.  EVM(i) is the
 * store_scan mask bit of field i. */
#define EV_IDX_F(K, I, ...) EVI_##K##_##I,
#define EV_IDX_M(K, ...)
#define EV_IDX_ENUM(N, ...) \
	enum { \
		EVI_##N##_NONE = -1, \
		EV_FIELDS_##N(EV_IDX_F, EV_IDX_F, EV_IDX_F, EV_IDX_M, N) \
		EVI_##N##_COUNT \
	};
EV_KINDS(EV_IDX_ENUM)
#undef EV_IDX_ENUM
#undef EV_IDX_F
#undef EV_IDX_M
#define EVM(i) (1ull << (i))

/* Room for an event of any kind: where the kind is known only at run
 * time, events are built here.  Each kind's struct is a member, so every
 * descriptor's fields lie inside it. */
union ev_any {
#define EV_UNION(N, n, u, ...) struct ev_##n u;
	EV_KINDS(EV_UNION)
#undef EV_UNION
};

/* Field types.  Integers are stored as 64-bit in the codec; the C width only
 * says how to load and store them from the struct. */
enum ev_type {
	EVT_U32,
	EVT_I32,
	EVT_U64,
	EVT_I64,
	EVT_STR,  /* const char * */
	EVT_ENUM, /* uint32_t shown as text through ev_field.names */
	EVT_SYSNAME, /* derived, not stored: syscall name of the int32 at off,
	              * for the recording host's architecture */
	EVT_BLOB, /* const char *: a counted byte string (ev_blob_*), a BLOB
		   * in SQL */
};

/* Types stored as a dictionary of byte strings (text or blobs). */
static inline int ev_type_is_bytes(enum ev_type t)
{
	return t == EVT_STR || t == EVT_BLOB;
}

/* An EVT_BLOB value points at EV_BLOB_HDR bytes holding its length (a
 * uint32_t, host order), then the bytes; NULL is no value.  Writers build
 * one with ev_blob_init in a buffer of EV_BLOB_HDR + len bytes. */
#define EV_BLOB_HDR 4
static inline uint32_t ev_blob_len(const char *b)
{
	uint32_t n;

	memcpy(&n, b, sizeof(n));
	return n;
}
static inline const char *ev_blob_data(const char *b)
{
	return b + EV_BLOB_HDR;
}
static inline char *ev_blob_init(char *buf, uint32_t len)
{
	memcpy(buf, &len, sizeof(len));
	return buf;
}

/* ev_field.flags */
#define EVF_TS 0x1u     /* the event timestamp (first field of every kind) */
#define EVF_DELTA 0x2u  /* consecutive values are close: delta-encode */
#define EVF_HIDDEN 0x4u /* stored, and a SQL column, but not shown in replay */
#define EVF_DERIVED 0x8u /* computed from other fields; not in chunks */
/* Roles: what the filter language's pid, tid, comm, port and addr compare,
 * and where export finds an event's process. */
#define EVF_PID 0x10u     /* a process id */
#define EVF_TID 0x20u     /* a thread id */
#define EVF_TID_PID 0x40u /* a thread id whose process "pid" looks up */
#define EVF_COMM 0x80u    /* a thread name */
#define EVF_PORT 0x100u   /* a TCP/UDP port */
#define EVF_ADDR 0x200u   /* a socket address */
#define EVF_SUBKIND 0x400u /* the enumeration naming what happened
			    * ("kind = exec" in filters) */
#define EVF_SPAN 0x800u /* a duration from ts: the codec may store ts as
			 * the gap after the previous event's end */

struct ev_field {
	const char *name; /* SQL column name */
	enum ev_type type;
	uint16_t off;
	uint16_t flags;
	const char *const *names; /* EVT_ENUM: value -> name, NULL-terminated */
	uint32_t nnames;
	/* The index of a field this one often equals in the same event (pid
	 * and tid, fd and arg0), or -1: the codec may store the difference. */
	int16_t ref;
};

struct ev_desc {
	enum ev_kind kind;
	const char *table; /* SQL table name */
	const char *title; /* event name in replay text */
	size_t size;       /* sizeof the struct */
	const struct ev_field *fields;
	unsigned nfields;
	enum ks_class klass;   /* KS_CLASS_* */
	int who_tid, who_comm; /* the acting thread's fields, or -1 */
	int cpu;               /* the CPU field */
	int subkind;           /* the EVF_SUBKIND field, or -1 */
};

const struct ev_desc *ev_desc(enum ev_kind kind);
/* The descriptor whose table is NAME, or NULL. */
const struct ev_desc *ev_desc_by_table(const char *name);
/* Index of the field called NAME in D, or -1: for names that come at run
 * time (a user's SQL or filter); code uses EVI_* constants. */
int ev_field_index(const struct ev_desc *d, const char *name);

/* Load/store one field of an event struct.  Integers travel as int64_t
 * (U64 values keep their bit pattern).  The load is inline: replay text
 * and the tests call it per field of every event.  (The chunk builder
 * loads fields by width from a plan it makes once, see store/chunk.c.) */
static inline int64_t ev_get_int(const struct ev_field *f, const void *ev)
{
	const char *p = (const char *)ev + f->off;
	uint32_t u32;
	int32_t i32;
	int64_t i64;

	switch (f->type) {
	case EVT_U32:
	case EVT_ENUM:
		memcpy(&u32, p, sizeof(u32));
		return u32;
	case EVT_I32:
	case EVT_SYSNAME:
		memcpy(&i32, p, sizeof(i32));
		return i32;
	case EVT_U64:
	case EVT_I64:
		memcpy(&i64, p, sizeof(i64));
		return i64;
	case EVT_STR:
	case EVT_BLOB:
		break;
	}
	return 0;
}
void ev_set_int(const struct ev_field *f, void *ev, int64_t v);
const char *ev_get_str(const struct ev_field *f, const void *ev);
void ev_set_str(const struct ev_field *f, void *ev, const char *s);
/* Name for an EVT_ENUM value, or NULL when out of range. */
const char *ev_enum_name(const struct ev_field *f, int64_t v);

/* The timestamp of any event (the first field, by convention). */
static inline uint64_t ev_ts(const void *ev) { return *(const uint64_t *)ev; }

const char *ev_tcp_state_name(unsigned state);
/* The name of class C ("syscall", "sched", ...), NULL when out of range;
 * the mask of the kinds of class C. */
const char *ev_class_name(unsigned c);
unsigned ev_class_kinds(unsigned c);

#endif
