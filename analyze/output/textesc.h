/*
 * textesc.h - text from a trace made safe for a terminal: the one place
 * that decides which characters are shown escaped.
 *
 *     textesc_fputs(store_meta(st, "host"), stdout);
 *     textesc_copy(line, sizeof(line), msg);   // an error naming file data
 *     snprintf(err, len, "bad pid '%s'", TEXTESC_Q(optarg)); // user input
 *
 *     for (i = 0; i < n; i += len) {           // a printer of its own
 *             len = textesc_unit(s + i, n - i, &cp);
 *             if (textesc_needed(cp)) elen = textesc_format(s + i, len, cp, e);
 *     }
 *
 * Escaped: the C0 controls (U+0000-U+001F), DEL, the C1 controls
 * (U+0080-U+009F, in UTF-8 C2 80-C2 9F: U+009B is CSI to a terminal that
 * honours 8-bit controls) and every byte that is not part of valid UTF-8
 * (a lone 0x9b is CSI to a Latin-1 terminal).  The escape is strace's:
 * \n \t \r, else \xHH for each byte (C1 U+009B is \xc2\x9b).
 * Everything else, printable ASCII and valid UTF-8, passes as it is.
 *
 * An error that quotes what a user typed (an option's value, a filter, a
 * command name, a file name) quotes it through TEXTESC_Q / TEXTESC_QN, so
 * that "bad pid '32046\r'" shows the CR a CSV line left, and an escape
 * sequence in an argument does not drive the terminal.  This file is
 * built into libcmdopt.a, which every command links, with cmdopt.c.
 *
 * Users: the table format (output.c), replay and report text (evbuf.c's
 * add_text, via evfmt), kscope info (info.c), the one-line errors of
 * analyze_trace_open and kscope query, and the TUI's screen writer
 * (tui/draw.c's put_text).  JSON strings, every one of them (output.c,
 * evbuf_add_json), come from textesc_json: the same set as \u00XX (\n,
 * \t and the like as JSON's short escapes), so the data stays exact, and
 * also U+2028 and U+2029, which JavaScript would take as line ends; CSV
 * keeps the bytes (it is data for programs, and a terminal is not its
 * reader).
 */
#ifndef KSCOPE_TEXTESC_H
#define KSCOPE_TEXTESC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Longest textesc_format output: a 4-byte unit as \xHH each, and NUL. */
#define TEXTESC_MAX 17

/* The unit at S (N > 0 bytes available): one valid UTF-8 character (1-4
 * bytes; overlong forms, surrogates and values above U+10FFFF are not
 * valid) or one byte that is not.  Returns its length (>= 1); *CP is the
 * code point, or -1 for a stray byte. */
size_t textesc_unit(const unsigned char *s, size_t n, int32_t *cp);

/* Is CP (from textesc_unit, or a wide character) shown escaped? */
static inline int textesc_needed(int32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
}

/* The escape of the unit at S (LEN bytes, code point CP) into OUT (at
 * least TEXTESC_MAX bytes), NUL-terminated.  Returns its length. */
size_t textesc_format(const unsigned char *s, size_t len, int32_t cp,
		      char *out);

/* S with every unit textesc_needed refuses escaped, into BUF (LEN > 0
 * bytes), NUL-terminated, cut before a unit that does not fit.  S and
 * BUF may be the same string. */
void textesc_copy(char *buf, size_t len, const char *s);

/* The N bytes at S escaped into BUF (LEN >= 4 bytes), NUL-terminated,
 * ending in "..." when cut.  Returns BUF. */
const char *textesc_quote(char *buf, size_t len, const char *s, size_t n);

/* The escape of the string S, or of the N bytes at S, for an error message
 * to quote, in a buffer that lives until the end of the enclosing block:
 *     snprintf(err, len, "bad time '%s'", TEXTESC_Q(arg)); */
#define TEXTESC_QLEN 256
#define TEXTESC_QN(s, n) \
	textesc_quote((char[TEXTESC_QLEN]){ 0 }, TEXTESC_QLEN, (s), (n))
#define TEXTESC_Q(s) TEXTESC_QN((s), strlen(s))

/* S escaped, to FP. */
void textesc_fputs(const char *s, FILE *fp);

/* S (N bytes, NULs included) as the inside of a JSON string (RFC 8259,
 * without the quotes), handed to EMIT in pieces: stretches copied as they
 * are and escapes.  Escaped: '"' and '\\', what textesc_needed refuses,
 * U+2028 and U+2029; a byte that is not valid UTF-8 becomes \ufffd. */
void textesc_json(const char *s, size_t n,
		  void (*emit)(void *ctx, const void *p, size_t n), void *ctx);

#endif
