/*
 * redact.h - redaction at record time (`kscope record --redact WHAT
 * --redact-pattern RE`): text and bytes are rewritten in the recorder,
 * before they reach the store, so the trace file never holds them.
 *
 *     unsigned what;
 *     redact_parse_what("argv,paths", &what);          // 0 or -1
 *     struct redact *r = redact_new(what, pats, n, err, sizeof(err));
 *     char buf[CAP];                                    // LEN bytes in it
 *     len = redact_apply(r, REDACT_PATHS, buf, len, sizeof(buf));
 *     redact_free(r);
 *
 * A category rewrites text of its kind (docs/RECORD.md, "Redaction"):
 *   REDACT_ARGV    every argument after argv[0]: one marker for them all
 *   REDACT_ENV     the value of every NAME=VALUE argument (NAME of
 *                  letters, digits, '_', '.', '-': env words, --opt=val)
 *   REDACT_PATHS   a path past its first directory: "/home/[redacted]";
 *                  a relative path whole
 *   REDACT_ADDRS   the host part of socket addresses, ports kept:
 *                  "[redacted]:443", "tcp [redacted]:1->[redacted]:2",
 *                  "unix:[redacted]"
 *   REDACT_PAYLOAD payload bytes, whole
 * Each pattern (POSIX extended regex) rewrites every match, in text of
 * any kind and in payloads; what a category or a pattern removes becomes
 * REDACT_MARK.  A handle is read-only once made: calls may share it.
 */
#ifndef KSCOPE_REDACT_H
#define KSCOPE_REDACT_H

#include <stddef.h>

enum {
	REDACT_ARGV = 1u << 0,
	REDACT_ENV = 1u << 1,
	REDACT_PATHS = 1u << 2,
	REDACT_ADDRS = 1u << 3,
	REDACT_PAYLOAD = 1u << 4,
	REDACT_ALL = (1u << 5) - 1,
};

#define REDACT_MARK "[redacted]"
#define REDACT_MARK_LEN 10

/* "argv,env,paths,addrs,payload" (any of them) or "all" -> *WHAT; -1 when
 * a word is none of these. */
int redact_parse_what(const char *s, unsigned *what);

struct redact;

/* A redactor for categories WHAT and the N patterns PATTERNS (compiled
 * here; the strings are not kept).  NULL with a one-line message in ERR
 * naming the bad pattern by its position ("--redact-pattern #2"), never
 * by its text, which may be the secret itself; errno EINVAL or ENOMEM. */
struct redact *redact_new(unsigned what, const char *const *patterns,
			  size_t n, char *err, size_t errlen);
/* NULL is fine. */
void redact_free(struct redact *r);

/* Would redact_apply(R, WHAT, ...) ever change anything: one of the
 * categories in WHAT is on in R, or R has a pattern.  0 for a NULL R. */
int redact_active(const struct redact *r, unsigned what);

/*
 * Rewrite the LEN bytes at BUF in place, as categories WHAT (a mask of
 * REDACT_*; those not on in R are left out; 0 for text of no category)
 * and then every pattern of R say, and return the new length.  BUF has
 * CAP bytes (CAP > LEN): the result is at most CAP - 1 bytes long and is
 * followed by a NUL.  For REDACT_ARGV and REDACT_ENV, BUF holds the
 * arguments separated by NULs (as /proc/PID/cmdline and exec give them);
 * the result keeps that shape.  Text that does not fit after a
 * replacement grew it is dropped at the end: the result then ends with
 * REDACT_MARK, whole.  Patterns see bytes (REG_STARTEND): payloads may
 * hold NULs.  A NULL R changes nothing.
 */
size_t redact_apply(const struct redact *r, unsigned what, char *buf,
		    size_t len, size_t cap);

/* The category of a file descriptor's name (syscalls.fd_name):
 * REDACT_PATHS for a path, REDACT_ADDRS for "tcp ...", "udp ...",
 * "unix:...", 0 for the rest ("pipe:[123]", "anon_inode:[eventfd]"). */
unsigned redact_name_kind(const char *name);

/* The meta value `redacted`: the categories, then the pattern count,
 * e.g. "argv,paths; 2 patterns" (never the patterns' text).  Returns
 * the length snprintf would have written. */
int redact_describe(const struct redact *r, char *buf, size_t len);

#endif
