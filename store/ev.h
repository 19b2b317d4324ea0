/*
 * ev.h - the event kinds kscope stores, and the one table that describes them.
 *
 * Every event kind is a plain C struct (below) plus one entry in the
 * descriptor table (ev.c).  The descriptor lists the struct's fields with
 * their type, offset and SQL column name; the chunk codec, the SQL virtual
 * tables, replay text, export and the TUI columns all walk that table, so
 * adding an event kind means: one struct here, one table entry in ev.c, one
 * BPF handler in bpf/.
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

enum ev_kind {
	EV_SYSCALL = 0,
	EV_SWITCH,
	EV_WAKEUP,
	EV_MIGRATE,
	EV_PROC,
	EV_NET,
	EV_KIND_COUNT
};

#define EV_KIND_ALL ((1u << EV_KIND_COUNT) - 1)

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

/* ev_proc.truncated bits (exec) */
#define EV_PROC_FILENAME_TRUNC 0x1u
#define EV_PROC_ARGV_TRUNC 0x2u

struct ev_syscall {
	uint64_t ts;  /* entry, boot-clock ns */
	uint64_t dur; /* ns; 0 when unfinished */
	uint32_t cpu;
	uint32_t pid;
	uint32_t tid;
	int32_t nr;
	int64_t ret; /* raw: negative errno on failure */
	uint64_t arg[6];
	int32_t fd; /* -1 when the call takes no fd */
	uint32_t flags;
	const char *comm;
	const char *path;
	const char *addr;
	uint32_t path_status; /* enum ev_path_status */
};

struct ev_switch {
	uint64_t ts;
	uint32_t cpu;
	uint32_t prev_tid;
	int64_t prev_state; /* kernel task state bits; 0 = runnable (preempted) */
	int32_t prev_prio;
	uint32_t next_tid;
	int32_t next_prio;
	const char *prev_comm;
	const char *next_comm;
};

struct ev_wakeup {
	uint64_t ts;
	uint32_t cpu;
	uint32_t tid;
	uint32_t waker_tid;
	uint32_t target_cpu;
	uint32_t is_new; /* 1 for sched_wakeup_new (a new task's first run) */
	int32_t prio;
};

struct ev_migrate {
	uint64_t ts;
	uint32_t cpu;
	uint32_t tid;
	uint32_t orig_cpu;
	uint32_t dest_cpu;
};

enum ev_proc_kind { EV_PROC_FORK = 0, EV_PROC_EXEC, EV_PROC_EXIT };

struct ev_proc {
	uint64_t ts;
	uint32_t cpu;
	uint32_t kind; /* enum ev_proc_kind */
	uint32_t pid;
	uint32_t tid;
	uint32_t ppid;
	uint32_t child_pid; /* fork: new process (or thread) id */
	int32_t exit_code;  /* exit: status >> 8 */
	int32_t exit_signal; /* exit: terminating signal, 0 if none */
	const char *comm;
	const char *filename; /* exec */
	const char *argv;     /* exec: arguments joined by spaces */
	uint32_t truncated;   /* exec: EV_PROC_*_TRUNC */
};

enum ev_net_kind {
	EV_NET_STATE = 0, /* TCP state change */
	EV_NET_RETRANSMIT,
	EV_NET_RESET_SENT,
	EV_NET_RESET_RECV,
	EV_NET_SEND,
	EV_NET_RECV,
};

struct ev_net {
	uint64_t ts;
	uint32_t cpu;
	uint32_t kind; /* enum ev_net_kind */
	uint32_t pid;
	uint32_t tid;
	uint32_t family; /* AF_INET / AF_INET6 */
	uint32_t sport;
	uint32_t dport;
	uint32_t old_state; /* TCP_* (1..12), 0 when not a state change */
	uint32_t new_state;
	int64_t bytes;
	uint64_t sock; /* kernel socket identity, stable over its life */
	const char *comm;
	const char *saddr;
	const char *daddr;
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
};

/* ev_field.flags */
#define EVF_TS 0x1u     /* the event timestamp (first field of every kind) */
#define EVF_DELTA 0x2u  /* consecutive values are close: delta-encode */
#define EVF_HIDDEN 0x4u /* stored, and a SQL column, but not shown in replay */
#define EVF_DERIVED 0x8u /* computed from other fields; not in chunks */

struct ev_field {
	const char *name; /* SQL column name */
	enum ev_type type;
	uint16_t off;
	uint16_t flags;
	const char *const *names; /* EVT_ENUM: value -> name, NULL-terminated */
	uint32_t nnames;
	/* A field this one often equals in the same event (pid and tid, fd
	 * and arg0): the codec may store the difference instead. */
	const char *ref;
};

struct ev_desc {
	enum ev_kind kind;
	const char *table; /* SQL table name */
	const char *title; /* event name in replay text */
	size_t size;       /* sizeof the struct */
	const struct ev_field *fields;
	unsigned nfields;
};

const struct ev_desc *ev_desc(enum ev_kind kind);
/* The descriptor whose table is NAME, or NULL. */
const struct ev_desc *ev_desc_by_table(const char *name);
/* Index of the field called NAME in D, or -1. */
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
		break;
	}
	return 0;
}
void ev_set_int(const struct ev_field *f, void *ev, int64_t v);
const char *ev_get_str(const struct ev_field *f, const void *ev);
void ev_set_str(const struct ev_field *f, void *ev, const char *s);
/* Name for an EVT_ENUM value, or NULL when out of range. */
const char *ev_enum_name(const struct ev_field *f, int64_t v);
static inline int ev_type_is_str(enum ev_type t) { return t == EVT_STR; }

/* The timestamp of any event (the first field, by convention). */
static inline uint64_t ev_ts(const void *ev) { return *(const uint64_t *)ev; }

const char *ev_tcp_state_name(unsigned state);

#endif
