/*
 * capture.h - what a trace's recording left out on purpose: its capture
 * filters (kscope record --syscalls, --slower-than, --errors-only,
 * --no-errors, --comm), read from the meta keys capture_* (docs/FORMAT.md)
 * for the report header, `kscope info` and the TUI Overview, so that
 * each says its counts are of the calls kept.
 *
 *     struct capture c;
 *     char buf[512];
 *     capture_read(st, &c);
 *     if (capture_describe(&c, buf, sizeof(buf)))
 *             printf("capture %s\n", buf);  // "syscalls file,!close; ..."
 *     capture_json(&c, fp);                 // {"syscalls": ...} or null
 */
#ifndef KSCOPE_CAPTURE_H
#define KSCOPE_CAPTURE_H

#include <stddef.h>
#include <stdio.h>

#include "store/store.h"

/* The meta values (NULL: that filter was not used), valid until the
 * store is closed. */
struct capture {
	const char *syscalls, *slower, *errors, *comm;
};

/* Read ST's capture_* keys into C.  Returns 1 when the recording left
 * calls out, 0 when it kept every call. */
int capture_read(struct store *st, struct capture *c);
/* C in words into BUF ("syscalls file,!close; slower than 10.000 ms;
 * failed calls kept; comm 'nginx'; counts are of these calls only"),
 * escaped for a terminal.  Returns 0 with BUF empty when the recording
 * kept everything, else 1. */
int capture_describe(const struct capture *c, char *buf, size_t len);
/* The same as a JSON value: null, or {"syscalls": ..., "slower_than_ns":
 * ..., "errors": ..., "comm": [...]} (null members for filters not used). */
void capture_json(const struct capture *c, FILE *fp);

#endif
