/*
 * evbuf.h - a growable text buffer for event lines and JSON (replay, export,
 * the TUI), with fast writers of numbers and escaped strings.
 *
 *     struct evbuf b = EVBUF_INIT;
 *     evbuf_adds(&b, "read(");
 *     evbuf_addu(&b, 3);
 *     evbuf_addc(&b, ')');
 *     if (!b.oom)
 *             puts(b.p);                 // "read(3)"
 *     evbuf_clear(&b);                   // reuse: keeps the memory
 *     evbuf_free(&b);
 *
 * p is always NUL-terminated once anything was appended; the buffer owns
 * it.  On allocation failure appends stop and oom is set (check once at the
 * end).  Implementation: evbuf.c.
 */
#ifndef KSCOPE_EVBUF_H
#define KSCOPE_EVBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct evbuf {
	char *p;
	size_t len, cap;
	int oom;
};
#define EVBUF_INIT { NULL, 0, 0, 0 }
static inline void evbuf_clear(struct evbuf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}
void evbuf_free(struct evbuf *b);

/* Room for NEED more bytes and the NUL: 0, or -1 with oom set. */
int evbuf_reserve(struct evbuf *b, size_t need);

/* N bytes of S (NULL when N is 0, as SQLite gives an empty blob), a
 * string, one character. */
static inline void evbuf_add(struct evbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap && evbuf_reserve(b, n) < 0)
		return;
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void evbuf_adds(struct evbuf *b, const char *s)
{
	evbuf_add(b, s, strlen(s));
}

static inline void evbuf_addc(struct evbuf *b, char c)
{
	evbuf_add(b, &c, 1);
}

/* Numbers: decimal, V in WIDTH zero-padded digits (more when V needs
 * more: a value is never cut), NS (< 1e9) as
 * the 9 digits of a fraction of a second, 0x-prefixed hex, 0-prefixed
 * octal, a duration as sqlfn_fmt_dur writes it ("812 ns", "4.20 us",
 * "1.50 ms", "2.000 s"). */
void evbuf_addu(struct evbuf *b, uint64_t v);
void evbuf_addi(struct evbuf *b, int64_t v);
void evbuf_add_pad(struct evbuf *b, uint64_t v, int width);
void evbuf_add_ns9(struct evbuf *b, uint32_t ns);
void evbuf_add_hex(struct evbuf *b, uint64_t v);
void evbuf_add_oct(struct evbuf *b, uint64_t v);
void evbuf_add_dur(struct evbuf *b, uint64_t ns);

/* Text as strace shows strings: control characters and backslashes
 * escaped, invalid UTF-8 as \xNN; with QUOTE (not 0) around it and escaped
 * inside. */
void evbuf_add_text(struct evbuf *b, const char *s, char quote);
/* A value that may have been cut (CUT not 0): quoted without the
 * EV_TRUNC_MARK it ends with, and the mark after the quote, as strace
 * shows a cut string ("abc"...).  A CUT value that lacks the mark (older
 * traces) is shown whole, then the mark. */
void evbuf_add_text_cut(struct evbuf *b, const char *s, int cut, char quote);

/* A quoted JSON string, escaped by textesc_json (analyze/output/textesc.h):
 * RFC 8259, plus DEL, C1 controls, U+2028 and U+2029; invalid UTF-8 as
 * U+FFFD. */
void evbuf_add_json(struct evbuf *b, const char *s);

/* "00".."99": two digits of N at evbuf_digit_pairs + 2 * N. */
extern const char evbuf_digit_pairs[201];

#endif
