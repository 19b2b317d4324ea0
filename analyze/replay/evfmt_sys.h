/*
 * evfmt_sys.h - syscall events as text, for the event formatter (private to
 * analyze/replay/evfmt*.c, but for the signal names, which the reports
 * use too).
 *
 *     const struct sys_spec *sp = evfmt_sys_spec(name);  // NULL: unknown
 *     const struct flagname *of = evfmt_sys_open_flags(store_meta(st, "arch"));
 *     evfmt_sys_call(b, name, sp, of, sc);
 *
 * The argument tables and flag names live in evfmt_sys.c.
 */
#ifndef KSCOPE_EVFMT_SYS_H
#define KSCOPE_EVFMT_SYS_H

#include <stdint.h>

#include "analyze/replay/evbuf.h"
#include "store/ev.h"

struct sys_spec;  /* how one syscall's arguments and result are shown */
struct flagname;  /* a table of flag or value names */

/* The argument spec of syscall NAME, or NULL when it has none. */
const struct sys_spec *evfmt_sys_spec(const char *name);

/* The open(2) flag names of trace architecture ARCH (may be NULL). */
const struct flagname *evfmt_sys_open_flags(const char *arch);

/* "SIGKILL" for 9 and so on; NULL for numbers without a name. */
const char *evfmt_sys_signal_name(int64_t sig);

/* Append "name(args) = ret <dur>" for SC: NAME NULL writes syscall_NR, SP
 * NULL the captured values and raw arguments; OFLAGS decodes open flags.
 * Captured values the spec has no place for follow as path= and addr=. */
void evfmt_sys_call(struct evbuf *b, const char *name,
		    const struct sys_spec *sp, const struct flagname *oflags,
		    const struct ev_syscall *sc);

#endif
