/*
 * cmd_compact.c - `kscope compact [-l LEVEL] FILE...`: make finished
 * traces smaller.
 *
 *     kscope compact t.kscope && scp t.kscope laptop:
 *
 * Each FILE in turn goes through store_compact (every chunk's columns
 * recompressed with zstd through a copy renamed over the file when
 * whole); a line per file says what it weighed before and after.
 * Exit codes: 0 every file compacted, 1 one could not be (left as it
 * was), 2 bad usage.
 */
#include "config.h"
#include "kscope.h"
#include "cmdopt.h"
#include "store/store.h"

#include <stdio.h>

#define COMPACT_LEVEL_MAX 22 /* zstd's highest */

static void compact_usage(FILE *fp)
{
	fprintf(fp,
"usage: kscope compact [-l LEVEL] FILE...\n"
"\n"
"Make each finished trace FILE smaller: every chunk is checked and its\n"
"columns recompressed with zstd at LEVEL (1 to %d, default %d; higher is\n"
"smaller and slower).  The new file is written beside FILE and renamed\n"
"over it only when whole, with FILE's owner and permissions: on any\n"
"failure (a damaged chunk, a full disk) FILE is left as it was.  A trace\n"
"being recorded is refused.  Prints each file's size before and after.\n"
"\n"
"  -l, --level LEVEL  zstd level (default %d; the recorder uses %d)\n"
"  -h, --help         show this help\n", COMPACT_LEVEL_MAX,
		STORE_COMPACT_LEVEL, STORE_COMPACT_LEVEL,
		STORE_COMPACT_CLOSE_LEVEL);
}

int cmd_compact(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "level", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmdopt co = CMDOPT_INIT("compact", argc, argv, "l:h", longopts,
				       compact_usage);
	uint64_t level = STORE_COMPACT_LEVEL;
	int c, rc, status = 0;

	while ((c = cmdopt_next(&co)) != -1) {
		switch (c) {
		case 'l':
			if (cmdopt_uint(optarg, COMPACT_LEVEL_MAX, &level) < 0 ||
			    !level)
				return cmdopt_usage(&co, "bad level '%s' (1 to "
						    "%d)", optarg,
						    COMPACT_LEVEL_MAX);
			break;
		default:
			return cmdopt_exit(&co, c);
		}
	}
	if ((rc = cmdopt_operands(&co, 0, NULL)))
		return rc;
	for (int i = co.ind; i < argc; i++) {
		struct store_compact_sum sum;
		char err[STORE_ERRLEN];

		if (store_compact(argv[i], (int)level, &sum, err) < 0) {
			fprintf(stderr, "kscope: compact: %s\n", err);
			status = 1;
			continue;
		}
		printf("%s: %llu -> %llu bytes (%.1f%%)\n", argv[i],
		       (unsigned long long)sum.before,
		       (unsigned long long)sum.after,
		       sum.before ? 100.0 * (double)sum.after /
				    (double)sum.before : 100.0);
	}
	return status;
}
