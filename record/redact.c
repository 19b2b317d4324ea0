/*
 * redact.c - redaction at record time (redact.h): categories of text
 * rewritten by their shape, and POSIX extended regexes rewritten wherever
 * they match.  The recorder calls redact_apply on every string (and
 * payload) before it hands it to the store.
 *
 * Everything happens in the caller's buffer: a replacement moves the rest
 * of the text (memmove), and text pushed past the buffer's end is dropped
 * with the marker closing what is kept, so that nothing redacted can
 * survive a lack of room.  Patterns run after the categories, each over
 * the whole text, left to right, leftmost-longest (POSIX); an empty match
 * replaces nothing.
 */
#include "config.h"
#include "record/redact.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct redact {
	unsigned what;
	size_t n;
	regex_t re[]; /* the patterns, compiled */
};

static const char *const what_names[] = {
	"argv", "env", "paths", "addrs", "payload",
};
#define WHAT_COUNT (sizeof(what_names) / sizeof(*what_names))
_Static_assert(REDACT_ALL == (1u << WHAT_COUNT) - 1, "a name per category");

int redact_parse_what(const char *s, unsigned *what)
{
	const char *p = s;

	*what = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		unsigned i;

		if (n == 3 && !strncmp(p, "all", 3)) {
			*what |= REDACT_ALL;
		} else {
			for (i = 0; i < WHAT_COUNT; i++)
				if (strlen(what_names[i]) == n &&
				    !strncmp(p, what_names[i], n))
					break;
			if (i == WHAT_COUNT)
				return -1;
			*what |= 1u << i;
		}
		p += n;
		if (*p == ',' && *++p == 0)
			return -1; /* a trailing comma */
	}
	return *what ? 0 : -1;
}

struct redact *redact_new(unsigned what, const char *const *patterns,
			  size_t n, char *err, size_t errlen)
{
	struct redact *r = calloc(1, sizeof(*r) + n * sizeof(regex_t));
	char msg[256];

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->what = what & REDACT_ALL;
	for (; r->n < n; r->n++) {
		int rc = regcomp(&r->re[r->n], patterns[r->n], REG_EXTENDED);

		if (rc) {
			/* regerror names the fault, never the text. */
			regerror(rc, &r->re[r->n], msg, sizeof(msg));
			snprintf(err, errlen, "bad --redact-pattern #%zu: %s",
				 r->n + 1, msg);
			redact_free(r);
			errno = rc == REG_ESPACE ? ENOMEM : EINVAL;
			return NULL;
		}
	}
	return r;
}

void redact_free(struct redact *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		regfree(&r->re[i]);
	free(r);
}

int redact_active(const struct redact *r, unsigned what)
{
	return r && ((r->what & what) || r->n);
}

/*
 * BUF[SO, EO) becomes the marker; returns the new length.  When the text
 * after it no longer fits in CAP - 1 bytes, that text is dropped (and the
 * marker moved back if it must) and *CUT is set: the caller stops.
 */
static size_t mark(char *buf, size_t len, size_t cap, size_t so, size_t eo,
		   int *cut)
{
	size_t room = cap - 1, tail = len - eo;

	if (so + REDACT_MARK_LEN + tail <= room) {
		memmove(buf + so + REDACT_MARK_LEN, buf + eo, tail);
		memcpy(buf + so, REDACT_MARK, REDACT_MARK_LEN);
		return so + REDACT_MARK_LEN + tail;
	}
	*cut = 1;
	if (room < REDACT_MARK_LEN)
		return 0;
	if (so > room - REDACT_MARK_LEN)
		so = room - REDACT_MARK_LEN;
	memcpy(buf + so, REDACT_MARK, REDACT_MARK_LEN);
	return so + REDACT_MARK_LEN;
}

/* argv: what follows argv[0] (its NUL) becomes one marker. */
static size_t do_argv(char *buf, size_t len, size_t cap, int *cut)
{
	const char *nul = memchr(buf, 0, len);
	size_t at = nul ? (size_t)(nul - buf) + 1 : len;

	return at < len ? mark(buf, len, cap, at, len, cut) : len;
}

static int env_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
}

/* env: the value of each NAME=VALUE argument becomes the marker. */
static size_t do_env(char *buf, size_t len, size_t cap, int *cut)
{
	size_t s = 0;

	while (s < len && !*cut) {
		const char *nul = memchr(buf + s, 0, len - s);
		size_t e = nul ? (size_t)(nul - buf) : len, eq = s;

		while (eq < e && env_name_char(buf[eq]))
			eq++;
		if (eq > s && eq + 1 < e && buf[eq] == '=') {
			len = mark(buf, len, cap, eq + 1, e, cut);
			e = eq + 1 + REDACT_MARK_LEN;
		}
		s = e + 1;
	}
	return len;
}

/* paths: all past an absolute path's first directory ("/home/"), a
 * relative path whole; "/" and "/home/" keep what they are. */
static size_t do_path(char *buf, size_t len, size_t cap, int *cut)
{
	size_t at = 0;

	if (len && buf[0] == '/') {
		const char *sl = memchr(buf + 1, '/', len - 1);

		at = sl ? (size_t)(sl - buf) + 1 : 1;
	}
	return at < len ? mark(buf, len, cap, at, len, cut) : len;
}

/* addrs: the host of each endpoint of "A:p", "[v6]:p", a bare address,
 * "tcp A:p->B:q"; "unix:" keeps only its prefix; "family:N" is kept. */
static size_t do_addrs(char *buf, size_t len, size_t cap, int *cut)
{
	size_t s = 0;

	if (len >= 5 && !memcmp(buf, "unix:", 5))
		return len > 5 ? mark(buf, len, cap, 5, len, cut) : len;
	if (len >= 7 && !memcmp(buf, "family:", 7))
		return len;
	if (len >= 3 && (!memcmp(buf, "tcp", 3) || !memcmp(buf, "udp", 3))) {
		const char *sp = memchr(buf, ' ', len);

		if (!sp)
			return len;
		s = (size_t)(sp - buf) + 1;
	}
	while (s < len && !*cut) {
		size_t e = s, he, colons = 0, last = 0;

		while (e < len && !(buf[e] == '-' && e + 1 < len &&
				    buf[e + 1] == '>')) {
			if (buf[e] == ':') {
				colons++;
				last = e;
			}
			e++;
		}
		if (buf[s] == '[') {
			const char *rb = memchr(buf + s, ']', e - s);

			he = rb ? (size_t)(rb - buf) + 1 : e;
		} else {
			he = colons == 1 ? last : e;
		}
		if (he > s) {
			len = mark(buf, len, cap, s, he, cut);
			e = e - (he - s) + REDACT_MARK_LEN;
		}
		s = e + 2; /* past "->" */
	}
	return len;
}

static size_t do_patterns(const struct redact *r, char *buf, size_t len,
			  size_t cap, int *cut)
{
	for (size_t i = 0; i < r->n && !*cut; i++) {
		size_t pos = 0;

		while (pos < len && !*cut) {
			regmatch_t m = { .rm_so = (regoff_t)pos,
					 .rm_eo = (regoff_t)len };

			if (regexec(&r->re[i], buf, 1, &m, REG_STARTEND))
				break;
			if (m.rm_eo == m.rm_so) {
				pos = (size_t)m.rm_so + 1;
				continue;
			}
			len = mark(buf, len, cap, (size_t)m.rm_so,
				   (size_t)m.rm_eo, cut);
			pos = (size_t)m.rm_so + REDACT_MARK_LEN;
		}
	}
	return len;
}

size_t redact_apply(const struct redact *r, unsigned what, char *buf,
		    size_t len, size_t cap)
{
	int cut = 0;

	if (!r)
		return len;
	what &= r->what;
	if (what & REDACT_ENV)
		len = do_env(buf, len, cap, &cut);
	if ((what & REDACT_ARGV) && !cut)
		len = do_argv(buf, len, cap, &cut);
	if ((what & REDACT_PATHS) && !cut)
		len = do_path(buf, len, cap, &cut);
	if ((what & REDACT_ADDRS) && !cut)
		len = do_addrs(buf, len, cap, &cut);
	if ((what & REDACT_PAYLOAD) && len && !cut)
		len = mark(buf, len, cap, 0, len, &cut);
	if (!cut)
		len = do_patterns(r, buf, len, cap, &cut);
	buf[len] = 0;
	return len;
}

unsigned redact_name_kind(const char *name)
{
	if (name[0] == '/')
		return REDACT_PATHS;
	if (!strncmp(name, "unix:", 5) ||
	    ((!strncmp(name, "tcp", 3) || !strncmp(name, "udp", 3)) &&
	     (!name[3] || name[3] == ' ')))
		return REDACT_ADDRS;
	return 0;
}

int redact_describe(const struct redact *r, char *buf, size_t len)
{
	size_t n = 0;

#define ROOM buf + (n < len ? n : 0), n < len ? len - n : 0
	if (len)
		buf[0] = 0;
	for (unsigned i = 0; i < WHAT_COUNT; i++)
		if (r->what & (1u << i))
			n += (size_t)snprintf(ROOM, "%s%s", n ? "," : "",
					      what_names[i]);
	if (r->n)
		n += (size_t)snprintf(ROOM, "%s%zu pattern%s", n ? "; " : "",
				      r->n, r->n == 1 ? "" : "s");
#undef ROOM
	return (int)n;
}
