/*
 * evbuf.c - the growable text buffer of event lines, and its writers of
 * numbers and strings (API in evbuf.h).
 *
 *     evbuf_addu(&b, 1234);              // "1234"
 *     evbuf_add_dur(&b, 4200);           // "4.20 us"
 *     evbuf_add_text(&b, path, '"');     // quoted, as strace shows it
 *
 * Replay writes millions of lines a second through these, so numbers are
 * written by hand two digits at a time (evbuf_digit_pairs), not through
 * printf; appending a few bytes is inline (evbuf.h) and only growing the
 * buffer is a call.  Once an allocation fails the buffer sets oom and
 * every later append is dropped, so writers check once at the end.
 */
#include "config.h"
#include "analyze/replay/evbuf.h"
#include "analyze/output/textesc.h"
#include "store/ev.h"

#include <stdlib.h>
#include <string.h>

void evbuf_free(struct evbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int evbuf_reserve(struct evbuf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 256;
	char *p;

	if (b->oom)
		return -1;
	while (cap < b->len + need + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

const char evbuf_digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

void evbuf_addu(struct evbuf *b, uint64_t v)
{
	char tmp[24];
	int i = sizeof(tmp);

	while (v >= 100) {
		i -= 2;
		memcpy(tmp + i, evbuf_digit_pairs + (v % 100) * 2, 2);
		v /= 100;
	}
	if (v >= 10) {
		i -= 2;
		memcpy(tmp + i, evbuf_digit_pairs + v * 2, 2);
	} else {
		tmp[--i] = (char)('0' + v);
	}
	evbuf_add(b, tmp + i, sizeof(tmp) - (size_t)i);
}

void evbuf_addi(struct evbuf *b, int64_t v)
{
	if (v < 0) {
		evbuf_addc(b, '-');
		evbuf_addu(b, (uint64_t)0 - (uint64_t)v);
	} else {
		evbuf_addu(b, (uint64_t)v);
	}
}

/* V in exactly WIDTH digits, zero-padded. */
void evbuf_add_pad(struct evbuf *b, uint64_t v, int width)
{
	char tmp[24];
	uint64_t rest = v;
	int i = width;

	while (i >= 2) {
		i -= 2;
		memcpy(tmp + i, evbuf_digit_pairs + (rest % 100) * 2, 2);
		rest /= 100;
	}
	if (i) {
		tmp[0] = (char)('0' + rest % 10);
		rest /= 10;
	}
	if (rest) {	/* wider than WIDTH: all its digits, never the last */
		evbuf_addu(b, v);
		return;
	}
	evbuf_add(b, tmp, (size_t)width);
}

/* NS (< 1e9) as exactly 9 digits: the fraction of a second on every
 * line, twice, so it avoids the general loop. */
void evbuf_add_ns9(struct evbuf *b, uint32_t ns)
{
	char t[9];
	uint32_t hi = ns / 100000, lo = ns % 100000; /* 4 and 5 digits */

	memcpy(t, evbuf_digit_pairs + hi / 100 * 2, 2);
	memcpy(t + 2, evbuf_digit_pairs + hi % 100 * 2, 2);
	memcpy(t + 4, evbuf_digit_pairs + lo / 1000 * 2, 2);
	memcpy(t + 6, evbuf_digit_pairs + lo / 10 % 100 * 2, 2);
	t[8] = (char)('0' + lo % 10);
	evbuf_add(b, t, 9);
}

void evbuf_add_hex(struct evbuf *b, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[20];
	int i = sizeof(tmp);

	do {
		tmp[--i] = digits[v & 15];
		v >>= 4;
	} while (v);
	tmp[--i] = 'x';
	tmp[--i] = '0';
	evbuf_add(b, tmp + i, sizeof(tmp) - (size_t)i);
}

void evbuf_add_oct(struct evbuf *b, uint64_t v)
{
	char tmp[24];
	int i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + (v & 7));
		v >>= 3;
	} while (v);
	tmp[--i] = '0';
	evbuf_add(b, tmp + i, sizeof(tmp) - (size_t)i);
}

/* Text with backslashes and what textesc_needed refuses (C0, DEL, C1,
 * bytes that are not UTF-8) escaped (and QUOTE, when not 0, escaped and
 * around it), as strace shows strings; up to END or the first NUL. */
static void add_text(struct evbuf *b, const char *s, const char *end,
		     char quote)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	size_t n = end ? strnlen(s, (size_t)(end - s)) : strlen(s);

	if (quote)
		evbuf_addc(b, quote);
	for (size_t i = 0; i < n;) {
		char e[TEXTESC_MAX];
		size_t elen;
		int32_t cp;
		size_t len;

		if (p[i] >= ' ' && p[i] < 0x7f && p[i] != '\\' &&
		    p[i] != (unsigned char)quote) {
			i++;
			continue;
		}
		len = textesc_unit(p + i, n - i, &cp);
		if (!textesc_needed(cp) && cp != '\\' && cp != quote) {
			i += len;
			continue;
		}
		evbuf_add(b, (const char *)run, (size_t)(p + i - run));
		if (cp == '\\' || (quote && cp == quote)) {
			e[0] = '\\';
			e[1] = (char)cp;
			elen = 2;
		} else {
			elen = textesc_format(p + i, len, cp, e);
		}
		evbuf_add(b, e, elen);
		i += len;
		run = p + i;
	}
	evbuf_add(b, (const char *)run, (size_t)(p + n - run));
	if (quote)
		evbuf_addc(b, quote);
}

void evbuf_add_text(struct evbuf *b, const char *s, char quote)
{
	add_text(b, s, NULL, quote);
}

void evbuf_add_text_cut(struct evbuf *b, const char *s, int cut, char quote)
{
	size_t n = strlen(s);

	const size_t m = EV_TRUNC_MARK_LEN;

	if (cut && n >= m && !memcmp(s + n - m, EV_TRUNC_MARK, m))
		n -= m;
	add_text(b, s, s + n, quote);
	if (cut)
		evbuf_adds(b, EV_TRUNC_MARK);
}

static void emit_evbuf(void *b, const void *p, size_t n)
{
	evbuf_add(b, p, n);
}

/* A JSON string, escaped as every JSON string of kscope (textesc.h). */
void evbuf_add_json(struct evbuf *b, const char *s)
{
	evbuf_addc(b, '"');
	textesc_json(s, strlen(s), emit_evbuf, b);
	evbuf_addc(b, '"');
}

/* NS the way sqlfn_fmt_dur writes it ("812 ns", "4.20 us", "1.50 ms",
 * "2.000 s"), without printf. */
void evbuf_add_dur(struct evbuf *b, uint64_t ns)
{
	uint64_t unit, scaled;
	int dec;
	const char *name;

	if (ns < 1000) {
		evbuf_addu(b, ns);
		evbuf_adds(b, " ns");
		return;
	}
	if (ns < 1000000) {
		unit = 1000, dec = 2, name = " us";
	} else if (ns < 1000000000) {
		unit = 1000000, dec = 2, name = " ms";
	} else {
		unit = 1000000000, dec = 3, name = " s";
	}
	uint64_t div = unit / (dec == 2 ? 100 : 1000);
	scaled = (ns + div / 2) / div; /* value * 10^dec, rounded */
	uint64_t p = dec == 2 ? 100 : 1000;
	evbuf_addu(b, scaled / p);
	evbuf_addc(b, '.');
	evbuf_add_pad(b, scaled % p, dec);
	evbuf_adds(b, name);
}
