/*
 * ev.c - the event-descriptor table.
 *
 * One entry per event kind.  The order of fields is the order of SQL columns
 * and of columns inside a chunk; it is part of the file format (see
 * docs/FORMAT.md): append new fields at the end of a kind, never reorder.
 */
#include "store/ev.h"

#include <string.h>

#define F(st, fld, col, ty, fl) \
	{ .name = col, .type = ty, .off = offsetof(st, fld), .flags = fl }
#define FR(st, fld, col, ty, fl, r) \
	{ .name = col, .type = ty, .off = offsetof(st, fld), .flags = fl, \
	  .ref = r }
#define FE(st, fld, col, tbl, fl)                                          \
	{ .name = col, .type = EVT_ENUM, .off = offsetof(st, fld), .flags = fl, \
	  .names = tbl, .nnames = sizeof(tbl) / sizeof(tbl[0]) - 1 }

static const char *const proc_kind_names[] = { "fork", "exec", "exit", NULL };
static const char *const net_kind_names[] = {
	"state", "retransmit", "reset_sent", "reset_recv", "send", "recv", NULL
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

#define S struct ev_syscall
static const struct ev_field syscall_fields[] = {
	F(S, ts, "ts", EVT_U64, EVF_TS | EVF_DELTA),
	F(S, dur, "dur", EVT_U64, 0),
	F(S, cpu, "cpu", EVT_U32, 0),
	FR(S, pid, "pid", EVT_U32, 0, "tid"),
	F(S, tid, "tid", EVT_U32, 0),
	F(S, comm, "comm", EVT_STR, 0),
	F(S, nr, "nr", EVT_I32, 0),
	F(S, nr, "name", EVT_SYSNAME, EVF_DERIVED),
	FR(S, ret, "ret", EVT_I64, 0, "arg2"), /* read, write: all of count */
	F(S, arg[0], "arg0", EVT_U64, 0),
	F(S, arg[1], "arg1", EVT_U64, 0),
	F(S, arg[2], "arg2", EVT_U64, 0),
	F(S, arg[3], "arg3", EVT_U64, 0),
	F(S, arg[4], "arg4", EVT_U64, 0),
	F(S, arg[5], "arg5", EVT_U64, 0),
	FR(S, fd, "fd", EVT_I32, 0, "arg0"),
	F(S, path, "path", EVT_STR, 0),
	F(S, addr, "addr", EVT_STR, 0),
	F(S, flags, "flags", EVT_U32, EVF_HIDDEN),
	FE(S, path_status, "path_status", path_status_names, 0),
};
#undef S

#define S struct ev_switch
static const struct ev_field switch_fields[] = {
	F(S, ts, "ts", EVT_U64, EVF_TS | EVF_DELTA),
	F(S, cpu, "cpu", EVT_U32, 0),
	F(S, prev_tid, "prev_tid", EVT_U32, 0),
	F(S, prev_comm, "prev_comm", EVT_STR, 0),
	F(S, prev_state, "prev_state", EVT_I64, 0),
	F(S, prev_prio, "prev_prio", EVT_I32, 0),
	F(S, next_tid, "next_tid", EVT_U32, 0),
	F(S, next_comm, "next_comm", EVT_STR, 0),
	F(S, next_prio, "next_prio", EVT_I32, 0),
};
#undef S

#define S struct ev_wakeup
static const struct ev_field wakeup_fields[] = {
	F(S, ts, "ts", EVT_U64, EVF_TS | EVF_DELTA),
	F(S, cpu, "cpu", EVT_U32, 0),
	F(S, tid, "tid", EVT_U32, 0),
	F(S, waker_tid, "waker_tid", EVT_U32, 0),
	FR(S, target_cpu, "target_cpu", EVT_U32, 0, "cpu"),
	F(S, is_new, "new", EVT_U32, 0),
	F(S, prio, "prio", EVT_I32, 0),
};
#undef S

#define S struct ev_migrate
static const struct ev_field migrate_fields[] = {
	F(S, ts, "ts", EVT_U64, EVF_TS | EVF_DELTA),
	F(S, cpu, "cpu", EVT_U32, 0),
	F(S, tid, "tid", EVT_U32, 0),
	F(S, orig_cpu, "orig_cpu", EVT_U32, 0),
	F(S, dest_cpu, "dest_cpu", EVT_U32, 0),
};
#undef S

#define S struct ev_proc
static const struct ev_field proc_fields[] = {
	F(S, ts, "ts", EVT_U64, EVF_TS | EVF_DELTA),
	F(S, cpu, "cpu", EVT_U32, 0),
	FE(S, kind, "kind", proc_kind_names, 0),
	F(S, pid, "pid", EVT_U32, 0),
	FR(S, tid, "tid", EVT_U32, 0, "pid"),
	F(S, comm, "comm", EVT_STR, 0),
	F(S, ppid, "ppid", EVT_U32, 0),
	F(S, child_pid, "child_pid", EVT_U32, 0),
	F(S, filename, "filename", EVT_STR, 0),
	F(S, argv, "argv", EVT_STR, 0),
	F(S, exit_code, "exit_code", EVT_I32, 0),
	F(S, exit_signal, "exit_signal", EVT_I32, 0),
	F(S, truncated, "truncated", EVT_U32, 0),
};
#undef S

#define S struct ev_net
static const struct ev_field net_fields[] = {
	F(S, ts, "ts", EVT_U64, EVF_TS | EVF_DELTA),
	F(S, cpu, "cpu", EVT_U32, 0),
	FE(S, kind, "kind", net_kind_names, 0),
	F(S, pid, "pid", EVT_U32, 0),
	FR(S, tid, "tid", EVT_U32, 0, "pid"),
	F(S, comm, "comm", EVT_STR, 0),
	F(S, family, "family", EVT_U32, 0),
	F(S, saddr, "saddr", EVT_STR, 0),
	F(S, sport, "sport", EVT_U32, 0),
	F(S, daddr, "daddr", EVT_STR, 0),
	F(S, dport, "dport", EVT_U32, 0),
	FE(S, old_state, "old_state", tcp_state_names, 0),
	FE(S, new_state, "new_state", tcp_state_names, 0),
	F(S, bytes, "bytes", EVT_I64, 0),
	F(S, sock, "sock", EVT_U64, EVF_HIDDEN),
};
#undef S

#define D(k, tbl, ttl, st, f) \
	[k] = { k, tbl, ttl, sizeof(st), f, sizeof(f) / sizeof(f[0]) }
static const struct ev_desc descs[EV_KIND_COUNT] = {
	D(EV_SYSCALL, "syscalls", "syscall", struct ev_syscall, syscall_fields),
	D(EV_SWITCH, "sched_switch", "switch", struct ev_switch, switch_fields),
	D(EV_WAKEUP, "sched_wakeup", "wakeup", struct ev_wakeup, wakeup_fields),
	D(EV_MIGRATE, "sched_migrate", "migrate", struct ev_migrate,
	  migrate_fields),
	D(EV_PROC, "proc_events", "proc", struct ev_proc, proc_fields),
	D(EV_NET, "net_events", "net", struct ev_net, net_fields),
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

const char *ev_tcp_state_name(unsigned state)
{
	if (state >= sizeof(tcp_state_names) / sizeof(tcp_state_names[0]))
		return NULL;
	return tcp_state_names[state];
}
