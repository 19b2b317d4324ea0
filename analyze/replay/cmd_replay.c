/*
 * cmd_replay.c - `kscope replay FILE [FILTER] [--from T] [--to T]
 * [--format text|json]`.
 *
 *     kscope replay t.kscope
 *     kscope replay t.kscope 'comm = nginx and (errno = ENOENT or dur > 10ms)'
 *     kscope replay t.kscope 'kind = sched and cpu = 3' --from +2s --to +2.5s
 *     kscope replay t.kscope --format json | jq .
 *
 * One line per event in time order (evfmt.h), or one JSON object per line.
 * Lines are gathered into 64 KiB writes.  A reader that goes away (| head)
 * ends the replay quietly with exit 0.  Writing to a file with a terminal
 * on stderr shows progress there; a pipe or a terminal on stdout gets none.
 * Exit codes: 0 done, 1 cannot open the trace / corrupt data / write
 * error, 2 bad usage (bad filter, bad time, unknown option).
 */
#include "config.h"
#include "kscope.h"
#include "analyze/empty.h"
#include "analyze/output/textesc.h"
#include "cmdopt.h"
#include "analyze/analyze.h"
#include "analyze/replay/evfmt.h"
#include "analyze/replay/filter.h"
#include "analyze/output/progress.h"
#include "analyze/replay/replay.h"
#include "analyze/timearg.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void replay_usage(FILE *fp)
{
	fprintf(fp,
"usage: kscope replay FILE [FILTER] [--from T] [--to T] [--format text|json]\n"
"\n"
"Print the events of trace FILE in time order, one per line: time from the\n"
"start, UTC wall time, [cpu], comm/tid, and the event (syscalls with decoded\n"
"arguments, result, errno name and duration).\n"
"\n"
"FILTER keeps matching events:  field op value, joined by and, or, not and\n"
"parentheses; op is = != < <= > >= or ~ (substring, or glob with * ? [).\n"
"  fields: pid tid comm kind name ret errno dur path fd addr port cpu, and\n"
"          any column of an event table (prev_state, new_state, bytes...)\n"
"  kinds:  syscall switch wakeup migrate proc net signal block stack,\n"
"          classes sched ..., and sub-kinds: fork exec exit state send\n"
"          recv retransmit reset_sent reset_recv generate deliver oom_kill\n"
"          read write flush ... (stack rows only with 'kind = stack')\n"
"  values: 42, 10ms, 1.5s, ENOENT, nginx, \"quoted text\"\n"
"  e.g.    'comm = nginx and (errno = ENOENT or dur > 10ms)'\n"
"          'kind = exec or kind = exit'   'port = 5432'   'path ~ \"/etc/*\"'\n"
"\n"
"      --from T       start of the window; --to T its end.  T is\n"
"      --to T         " TIMEARG_FORMS_1 "\n"
"                     " TIMEARG_FORMS_2 "\n"
"  -F, --format FMT   text (the default) or json (one object per line)\n"
"  -h, --help         show this help\n"
"\n"
"See FILTERS in kscope(1) for the whole filter language.\n");
}

/* Write B out when it holds more than LIMIT bytes; 0, -EPIPE, -errno. */
static int flush_buf(struct evbuf *b, size_t limit)
{
	if (b->len <= limit)
		return 0;
	if (fwrite(b->p, 1, b->len, stdout) != b->len) {
		int e = errno ? errno : EIO;
		evbuf_clear(b);
		return -e;
	}
	evbuf_clear(b);
	return 0;
}

int cmd_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path, *from_arg = NULL, *to_arg = NULL, *ftext = NULL;
	char serr[STORE_ERRLEN], ferr[FILTER_ERRLEN];
	struct store *st = NULL;
	struct filter *flt = NULL;
	struct replay *r = NULL;
	struct evfmt *fmt = NULL;
	struct progress *pg = NULL;
	struct evbuf b = EVBUF_INIT;
	uint64_t from = 0, to = UINT64_MAX, first, last, n;
	int json = 0, c, rc = 0, werr = 0, ret = 1;
	enum ev_kind kind;
	unsigned kinds;
	const void *ev;
	struct cmdopt co = CMDOPT_INIT("replay", argc, argv, "F:h", longopts,
				       replay_usage);

	/* options may come before or after FILE and FILTER (getopt permutes) */
	while ((c = cmdopt_next(&co)) != -1) {
		switch (c) {
		case 'f':
			from_arg = optarg;
			break;
		case 't':
			to_arg = optarg;
			break;
		case 'F':
			if (strcmp(optarg, "json") && strcmp(optarg, "text"))
				return cmdopt_usage(&co, "unknown format '%s' "
						    "(text or json)",
						    TEXTESC_Q(optarg));
			json = !strcmp(optarg, "json");
			break;
		default:
			return cmdopt_exit(&co, c);
		}
	}
	if ((rc = cmdopt_operands(&co, 2, "too many arguments (quote the "
				  "filter as one argument)")))
		return rc;
	path = argv[co.ind];
	ftext = co.ind + 1 < argc ? argv[co.ind + 1] : NULL;

	flt = filter_parse(ftext, ferr, sizeof(ferr));
	if (!flt)
		return cmdopt_usage(&co, "%s", ferr);
	st = analyze_trace_open(path, serr);
	if (!st) {
		fprintf(stderr, "kscope: %s\n", serr);
		goto out;
	}
	if (timearg_window(st, from_arg, to_arg, &from, &to, serr,
			   sizeof(serr)) < 0) {
		ret = cmdopt_usage(&co, "%s", serr);
		goto out;
	}
	fmt = evfmt_new(st, 0);
	kinds = ev_kinds_shown(filter_kinds(flt));
	r = fmt ? replay_open(st, flt, kinds, from, to, serr,
			      sizeof(serr)) : NULL;
	if (!r) {
		fprintf(stderr, "kscope: replay: %s\n",
			fmt ? serr : strerror(errno));
		goto out;
	}
	if (timearg_span(st, &first, &last) < 0)
		first = last = 0;
	pg = progress_new("replay", from > first ? from : first,
			  to < last ? to : last, STDOUT_FILENO);

	/* a closed pipe shows up as EPIPE from a write, and stops us */
	signal(SIGPIPE, SIG_IGN);
	for (n = 1;; n++) {
		rc = replay_next(r, &kind, &ev);
		if (rc <= 0)
			break;
		if (json)
			evfmt_json(fmt, kind, ev, &b);
		else
			evfmt_line(fmt, kind, ev, &b);
		evbuf_add(&b, "\n", 1);
		if (b.oom) {
			fprintf(stderr, "kscope: replay: out of memory\n");
			goto out;
		}
		if ((werr = flush_buf(&b, 65536)) < 0)
			break;
		if (!(n & 0x3fff))
			progress_update(pg, ev_ts(ev), n);
	}
	if (rc < 0) {
		progress_done(pg);
		fprintf(stderr, "kscope: replay: %s\n", replay_errmsg(r));
		goto out;
	}
	if (!werr)
		werr = flush_buf(&b, 0);
	if (!werr && fflush(stdout) == EOF)
		werr = errno ? -errno : -EIO;
	progress_done(pg);
	if (n == 1 && !werr) { /* nothing printed: say why */
		char why[EMPTY_LEN];

		if (!empty_window(st, from, to, why, sizeof(why)))
			empty_match(st, ftext, from, to, why, sizeof(why));
		fprintf(stderr, "kscope: replay: %s\n", why);
	}
	if (werr && werr != -EPIPE) {
		fprintf(stderr, "kscope: replay: cannot write: %s\n",
			strerror(-werr));
		goto out;
	}
	ret = 0;
out:
	progress_free(pg);
	evbuf_free(&b);
	replay_close(r);
	evfmt_free(fmt);
	store_close(st);
	filter_free(flt);
	return ret;
}
