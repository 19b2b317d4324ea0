/*
 * cursor-walk.c - the floor under `kscope replay`: walk every event of a
 * trace in time order through store_cursor and touch every field (each
 * integer loaded, each string's length taken), writing nothing.
 *
 *     bench/cursor-walk TRACE          prints "events=N checksum=X"
 *
 * bench/replay-bench.sh times it beside replay and export; what replay
 * costs above it is formatting and writing.
 */
#include "store/store.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	char err[STORE_ERRLEN];
	struct store *st;
	struct store_cursor *c;
	enum ev_kind kind;
	const void *ev;
	uint64_t n = 0, sum = 0;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: cursor-walk TRACE\n");
		return 2;
	}
	if (!(st = store_open(argv[1], err))) {
		fprintf(stderr, "cursor-walk: %s\n", err);
		return 1;
	}
	c = store_cursor_open(st, EV_KIND_ALL, 0, UINT64_MAX);
	while (c && (rc = store_cursor_next(c, &kind, &ev)) > 0) {
		const struct ev_desc *d = ev_desc(kind);
		for (unsigned i = 0; i < d->nfields; i++) {
			const struct ev_field *f = &d->fields[i];
			if (f->type == EVT_STR) {
				const char *s = ev_get_str(f, ev);
				sum += s ? strlen(s) : 0;
			} else {
				sum += (uint64_t)ev_get_int(f, ev);
			}
		}
		n++;
	}
	if (!c || rc < 0) {
		fprintf(stderr, "cursor-walk: %s\n", store_errmsg(st));
		return 1;
	}
	store_cursor_close(c);
	store_close(st);
	printf("events=%llu checksum=%llx\n", (unsigned long long)n,
	       (unsigned long long)sum);
	return 0;
}
