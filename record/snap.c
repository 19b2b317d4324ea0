/*
 * snap.c - payload snapshots and decoded arguments, user side: which
 * syscalls the BPF side gives a snap tail (bpf/snap.bpf.h), and the
 * argument memory of that tail turned into the syscall's args_mem,
 * timeout_ns and timeout_kind columns.
 *
 *     rec_snap_plan(&plan, arch);                    // in rec_plan_init
 *     rec_snap_rodata(&plan, skel->rodata->snap_info);
 *     rec_snap_mem(&plan, &ev, mem, mem_len, buf);   // per syscall
 *
 * The payload itself needs no decoding: convert.c stores its bytes.
 * args_mem keeps the items as the BPF side wrote them (docs/FORMAT.md);
 * replay decodes them strace's way.
 */
#include "config.h"
#include "record/record.h"
#include "store/systab.h"

#include <string.h>

static const struct { const char *name; uint8_t kind; } snap_calls[] = {
	{ "read", KS_SNAP_BUF },        { "write", KS_SNAP_BUF },
	{ "pread64", KS_SNAP_BUF },     { "pwrite64", KS_SNAP_BUF },
	{ "sendto", KS_SNAP_BUF },      { "recvfrom", KS_SNAP_BUF },
	{ "readv", KS_SNAP_IOV },       { "writev", KS_SNAP_IOV },
	{ "sendmsg", KS_SNAP_MSG },     { "recvmsg", KS_SNAP_MSG },
	{ "nanosleep", KS_SNAP_NANOSLEEP },
	{ "clock_nanosleep", KS_SNAP_CLOCK_NANOSLEEP },
	{ "futex", KS_SNAP_FUTEX },     { "poll", KS_SNAP_POLL },
	{ "ppoll", KS_SNAP_PPOLL },     { "pselect6", KS_SNAP_PSELECT },
	{ "select", KS_SNAP_SELECT },   { "getsockopt", KS_SNAP_SOCKOPT },
	{ "epoll_wait", REC_SNAP_EPOLL_WAIT },
	{ "epoll_pwait", REC_SNAP_EPOLL_WAIT },
};

void rec_snap_plan(struct rec_plan *plan, const char *arch)
{
	for (size_t i = 0; i < sizeof(snap_calls) / sizeof(snap_calls[0]);
	     i++) {
		int nr = systab_nr(arch, snap_calls[i].name);

		if (nr >= 0 && nr < KS_NR_MAX)
			plan->snap[nr] = snap_calls[i].kind;
	}
}

void rec_snap_rodata(const struct rec_plan *plan, uint8_t info[KS_NR_MAX])
{
	for (int nr = 0; nr < KS_NR_MAX; nr++)
		info[nr] = plan->snap[nr] <= KS_SNAP_SOCKOPT ?
			plan->snap[nr] : KS_SNAP_NONE;
}

#define NS 1000000000LL
#define TIMER_ABSTIME 1

/* The futex ops that wait with a timeout, and whether it is absolute. */
static int futex_waits(uint64_t op, int *absolute)
{
	switch (op & 0x7f) {
	case 0:  /* FUTEX_WAIT: relative */
		*absolute = 0;
		return 1;
	case 6:  /* FUTEX_LOCK_PI */
	case 9:  /* FUTEX_WAIT_BITSET */
	case 11: /* FUTEX_WAIT_REQUEUE_PI */
	case 13: /* FUTEX_LOCK_PI2 */
		*absolute = 1;
		return 1;
	}
	return 0;
}

/* NS of a timespec (or of a timeval: USEC 1), saturated. */
static int64_t to_ns(int64_t sec, int64_t frac, int usec)
{
	if (usec)
		frac *= 1000;
	if (sec > INT64_MAX / NS - 1)
		return INT64_MAX;
	if (sec < INT64_MIN / NS + 1)
		return INT64_MIN;
	return sec * NS + frac;
}

/* A timeout of an int of milliseconds (poll, epoll_wait). */
static void timeout_ms(struct ev_syscall *ev, uint64_t arg)
{
	int32_t ms = (int32_t)(uint32_t)arg;

	if (ms < 0) {
		ev->timeout_kind = EV_TIMEOUT_INFINITE;
	} else {
		ev->timeout_kind = EV_TIMEOUT_RELATIVE;
		ev->timeout_ns = (int64_t)ms * 1000000;
	}
}

/* The timeout argument of call kind K: its index, whether it is absolute,
 * or -1 when the call has none (as called). */
static int timeout_arg(uint8_t k, const uint64_t *args, int *absolute)
{
	*absolute = 0;
	switch (k) {
	case KS_SNAP_NANOSLEEP:
		return 0;
	case KS_SNAP_CLOCK_NANOSLEEP:
		*absolute = !!(args[1] & TIMER_ABSTIME);
		return 2;
	case KS_SNAP_FUTEX:
		return futex_waits(args[1], absolute) ? 3 : -1;
	case KS_SNAP_PPOLL:
		return 2;
	case KS_SNAP_PSELECT:
	case KS_SNAP_SELECT:
		return 4;
	}
	return -1;
}

int rec_snap_mem(const struct rec_plan *plan, struct ev_syscall *ev,
		 const char *mem, size_t mem_len, char *args_mem)
{
	uint8_t k = ev->nr >= 0 && ev->nr < KS_NR_MAX ? plan->snap[ev->nr] : 0;
	int absolute, targ = timeout_arg(k, ev->arg, &absolute);
	size_t at = 0;

	if (k == KS_SNAP_POLL)
		timeout_ms(ev, ev->arg[2]);
	else if (k == REC_SNAP_EPOLL_WAIT)
		timeout_ms(ev, ev->arg[3]);
	else if (targ >= 0 && !ev->arg[targ])
		ev->timeout_kind = EV_TIMEOUT_INFINITE;
	if (!mem_len)
		return 0;
	if (mem_len > KS_SNAP_MEM_BYTES)
		return -1;
	while (at < mem_len) {
		struct ks_mem m;
		int64_t v[2];

		if (mem_len - at < sizeof(m))
			return -1;
		memcpy(&m, mem + at, sizeof(m));
		at += sizeof(m);
		if (m.len > mem_len - at || m.arg >= 6)
			return -1;
		switch (m.kind & ~KS_MEM_CUT) {
		case KS_MEM_TIMESPEC:
		case KS_MEM_TIMEVAL:
			if (m.len != sizeof(v))
				return -1;
			memcpy(v, mem + at, sizeof(v));
			if (m.arg == targ) {
				ev->timeout_ns = to_ns(v[0], v[1],
						       m.kind == KS_MEM_TIMEVAL);
				ev->timeout_kind = absolute ?
					EV_TIMEOUT_ABSOLUTE :
					EV_TIMEOUT_RELATIVE;
			}
			break;
		case KS_MEM_POLLFD:
			if (m.len % 8 || m.len > 8 * KS_POLLFD_MAX)
				return -1;
			break;
		case KS_MEM_INT:
			if (m.len != 4)
				return -1;
			break;
		default:
			return -1;
		}
		at += m.len;
	}
	memcpy(args_mem + EV_BLOB_HDR, mem, mem_len);
	ev->args_mem = ev_blob_init(args_mem, (uint32_t)mem_len);
	return 0;
}
