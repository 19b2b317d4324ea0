/*
 * textesc.c - which characters a terminal must not get raw, and their
 * escapes (see textesc.h).
 */
#include "config.h"
#include "analyze/output/textesc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t textesc_unit(const unsigned char *s, size_t n, int32_t *cp)
{
	uint32_t c;
	size_t len;

	*cp = -1;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 1;
	}
	if (len > n)
		return 1;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 1;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 1;
	*cp = (int32_t)c;
	return len;
}

size_t textesc_format(const unsigned char *s, size_t len, int32_t cp,
		      char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (cp == '\n' || cp == '\t' || cp == '\r') {
		out[0] = '\\';
		out[1] = cp == '\n' ? 'n' : cp == '\t' ? 't' : 'r';
		out[2] = '\0';
		return 2;
	}
	for (size_t i = 0; i < len && i < 4; i++) {
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[s[i] >> 4];
		out[o++] = hex[s[i] & 15];
	}
	out[o] = '\0';
	return o;
}

/* The N bytes at P escaped into BUF (LEN > 0 bytes), NUL-terminated, cut
 * before a unit that does not fit.  Returns 1 if cut, else 0.  P and BUF
 * must not overlap. */
static int esc_into(char *buf, size_t len, const unsigned char *p, size_t n)
{
	size_t o = 0, i = 0;

	while (i < n) {
		char e[TEXTESC_MAX];
		int32_t cp;
		size_t ulen = textesc_unit(p + i, n - i, &cp);
		const char *piece = (const char *)p + i;
		size_t plen = ulen;

		if (textesc_needed(cp)) {
			plen = textesc_format(p + i, ulen, cp, e);
			piece = e;
		}
		if (o + plen >= len)
			break;
		memcpy(buf + o, piece, plen);
		o += plen;
		i += ulen;
	}
	buf[o] = '\0';
	return i < n;
}

void textesc_copy(char *buf, size_t len, const char *s)
{
	size_t n = strlen(s), o = 0;
	char *src = malloc(n + 1);

	if (!src) { /* no room to escape: drop what would need it */
		for (size_t i = 0; i + 1 < len && s[i]; i++)
			buf[o++] = (unsigned char)s[i] >= 0x20 &&
				   (unsigned char)s[i] < 0x7f ? s[i] : '?';
		buf[o] = '\0';
		return;
	}
	memcpy(src, s, n + 1);
	esc_into(buf, len, (const unsigned char *)src, n);
	free(src);
}

const char *textesc_quote(char *buf, size_t len, const char *s, size_t n)
{
	if (esc_into(buf, len - 3, (const unsigned char *)s, n))
		strcat(buf, "...");
	return buf;
}

void textesc_fputs(const char *s, FILE *fp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	for (size_t i = 0; i < n;) {
		char e[TEXTESC_MAX];
		int32_t cp;
		size_t ulen = textesc_unit(p + i, n - i, &cp);

		if (textesc_needed(cp))
			fwrite(e, 1, textesc_format(p + i, ulen, cp, e), fp);
		else
			fwrite(p + i, 1, ulen, fp);
		i += ulen;
	}
}

/* The JSON escape of the character CP (or -1, a stray byte) into BUF (at
 * least 7 bytes), or NULL when it goes as it is. */
static const char *json_escape(int32_t cp, char *buf)
{
	switch (cp) {
	case -1: return "\\ufffd";
	case '"': return "\\\"";
	case '\\': return "\\\\";
	case '\n': return "\\n";
	case '\r': return "\\r";
	case '\t': return "\\t";
	case '\b': return "\\b";
	case '\f': return "\\f";
	}
	if (!textesc_needed(cp) && cp != 0x2028 && cp != 0x2029)
		return NULL;
	snprintf(buf, 7, "\\u%04x", (unsigned)cp);
	return buf;
}

void textesc_json(const char *str, size_t n,
		  void (*emit)(void *ctx, const void *p, size_t n), void *ctx)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0; /* s[run..i) is a stretch to copy as is */

	while (i < n) {
		int32_t cp;
		size_t len;
		const char *esc;
		char ubuf[8];

		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' &&
		    s[i] != '\\') {
			i++;
			continue;
		}
		len = textesc_unit(s + i, n - i, &cp);
		if ((esc = json_escape(cp, ubuf))) {
			emit(ctx, s + run, i - run);
			emit(ctx, esc, strlen(esc));
			run = i + len;
		}
		i += len;
	}
	emit(ctx, s + run, i - run);
}
