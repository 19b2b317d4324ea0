/*
 * cmd_query.c - `kscope query FILE [SQL] [--format table|csv|json]`.
 *
 *     kscope query t.kscope 'SELECT name, count(*) FROM syscalls GROUP BY 1'
 *     kscope query t.kscope --format csv < queries.sql
 *     echo 'SELECT * FROM meta' | kscope query t.kscope -F json
 *
 * With no SQL (or SQL "-") the statements come from standard input, one per
 * line or ';'-separated (query.h); at a terminal, each runs as soon as its
 * ';' is typed, as in the sqlite3 shell.  Exit codes: 0 success (also when the
 * reader of our output went away early), 1 cannot open the trace or an SQL
 * error, 2 bad usage.
 */
#include "config.h"
#include "kscope.h"
#include "analyze/output/textesc.h"
#include "cmdopt.h"
#include "analyze/analyze.h"
#include "analyze/output/output.h"
#include "analyze/sql/query.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void query_usage(FILE *fp)
{
	/* the event tables, then the others */
	const char *more[] = { "processes", "threads", "lost", "meta." };
	int col = 0;

	fprintf(fp,
"usage: kscope query FILE [SQL] [--format table|csv|json]\n"
"\n"
"Run SQL over the trace FILE and print the results.  Without SQL (or with\n"
"SQL '-') statements are read from standard input, one per line, or\n"
"separated by ';' when they span lines; at a terminal each statement runs\n"
"when its ';' is typed, until Ctrl-D.\n"
"\n"
"  -F, --format FMT   table (aligned, the default), csv (RFC 4180) or json\n"
"                     (an array of objects per statement)\n"
"  -h, --help         show this help\n"
"\n");
	col = fprintf(fp, "Tables:");
	for (unsigned i = 0; i < EV_KIND_COUNT + 4; i++) {
		const char *t = i < EV_KIND_COUNT ? ev_desc(i)->table :
						    more[i - EV_KIND_COUNT];
		if (col + 2 + (int)strlen(t) > 75)
			col = fprintf(fp, ",\n%s", t) - 2;
		else
			col += fprintf(fp, "%s%s", i ? ", " : " ", t);
	}
	fprintf(fp, "\n"
"Views: syscalls_p, errors, threads_p, thread_state.  Functions:\n"
"errno_name, wall, fmt_dur, percentile, log2_bucket.  Timestamps (ts) are\n"
"boot-clock nanoseconds; wall(ts) is the UTC time.  kscope(1) lists every\n"
"column.\n");
}

/* Read all of FP into a NUL-terminated malloc'd string; NULL + errno. */
static char *read_all(FILE *fp)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	for (;;) {
		size_t n = fread(buf + len, 1, cap - len - 1, fp);
		len += n;
		if (len + 1 == cap) {
			char *p = realloc(buf, cap * 2);
			if (!p) {
				free(buf);
				errno = ENOMEM;
				return NULL;
			}
			buf = p;
			cap *= 2;
			continue;
		}
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		int e = errno ? errno : EIO;
		free(buf);
		errno = e;
		return NULL;
	}
	buf[len] = '\0';
	if (strlen(buf) != len) {
		free(buf);
		errno = EILSEQ;
		return NULL;
	}
	return buf;
}

/* Statements typed at a terminal, as the sqlite3 shell takes them: each
 * runs when it ends with ';' (a "...>" prompt says one is unfinished), an
 * error is shown and the session goes on, and end of input (Ctrl-D) runs
 * what is left.  Returns 0, 1 if any statement failed, or -EPIPE. */
static int query_interactive(sqlite3 *db, struct output *out)
{
	char qerr[QUERY_ERRLEN], *line = NULL, *buf = NULL;
	size_t cap = 0, len = 0, bcap = 0;
	int failed = 0, rc = 0, eof = 0;
	ssize_t n;

	fprintf(stderr, "kscope: end each statement with ';', and the session "
		"with Ctrl-D\n");
	while (!eof) {
		fputs(len ? "   ...> " : "kscope> ", stderr);
		n = getline(&line, &cap, stdin);
		if (n < 0) {
			eof = 1;
			putc('\n', stderr);
			if (strspn(buf ? buf : "", " \t\r\n") == len)
				break;
		} else {
			if (len + (size_t)n + 1 > bcap) {
				char *p = realloc(buf, len + n + 1 + 256);
				if (!p) {
					fprintf(stderr, "kscope: query: out of "
						"memory\n");
					rc = 1;
					break;
				}
				buf = p;
				bcap = len + n + 1 + 256;
			}
			memcpy(buf + len, line, n + 1);
			len += n;
			if (strspn(buf, " \t\r\n") == len) {
				len = 0; /* an empty line: nothing to run */
				continue;
			}
			if (!sqlite3_complete(buf))
				continue;
		}
		rc = query_script_run(db, buf, out, qerr, sizeof(qerr));
		len = 0;
		if (rc == -EPIPE)
			break;
		if (rc < 0) {
			fprintf(stderr, "kscope: query: %s\n", qerr);
			failed = 1;
		}
		rc = 0;
	}
	free(line);
	free(buf);
	if (rc == -EPIPE)
		return rc;
	return rc || failed;
}

int cmd_query(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum output_format fmt = OUTPUT_FORMAT_TABLE;
	const char *path, *sql = NULL;
	char serr[STORE_ERRLEN], qerr[QUERY_ERRLEN];
	struct store *st;
	struct output *out;
	char *text = NULL;
	struct cmdopt co = CMDOPT_INIT("query", argc, argv, "F:h", longopts,
				       query_usage);
	int c, rc, interactive;

	while ((c = cmdopt_next(&co)) != -1) {
		switch (c) {
		case 'F':
			if (output_format_parse(optarg, &fmt) < 0)
				return cmdopt_usage(&co, "unknown format '%s' "
						    "(table, csv or json)",
						    TEXTESC_Q(optarg));
			break;
		case ':':
			return cmdopt_usage(&co, "--format needs a value "
					    "(table, csv or json)");
		default:
			return cmdopt_exit(&co, c);
		}
	}
	if ((rc = cmdopt_operands(&co, 2, "too many arguments (quote the SQL "
				  "as one argument)")))
		return rc;
	path = argv[co.ind];
	if (co.ind + 1 < argc)
		sql = argv[co.ind + 1];

	st = analyze_trace_open(path, serr);
	if (!st) {
		fprintf(stderr, "kscope: %s\n", serr);
		return 1;
	}
	interactive = (!sql || !strcmp(sql, "-")) && isatty(STDIN_FILENO);
	if ((!sql || !strcmp(sql, "-")) && !interactive) {
		text = read_all(stdin);
		if (!text) {
			fprintf(stderr, "kscope: query: cannot read standard "
				"input: %s\n", errno == EILSEQ ?
				"it holds a NUL byte" : strerror(errno));
			store_close(st);
			return 1;
		}
	}
	out = output_open(stdout, fmt, NULL);
	if (!out) {
		fprintf(stderr, "kscope: query: out of memory\n");
		free(text);
		store_close(st);
		return 1;
	}

	/* A closed pipe shows up as EPIPE from a write, and stops us. */
	signal(SIGPIPE, SIG_IGN);
	if (interactive) {
		rc = query_interactive(store_db(st), out);
		output_close(out);
		store_close(st);
		return rc == -EPIPE ? 0 : rc;
	}
	if (text)
		rc = query_script_run(store_db(st), text, out, qerr,
				      sizeof(qerr));
	else
		rc = query_sql_run(store_db(st), sql, out, qerr, sizeof(qerr));
	int spent = store_budget_spent(st);
	output_close(out);
	free(text);
	store_close(st);

	if (rc == -EPIPE)
		return 0;
	if (rc < 0) {
		fprintf(stderr, "kscope: query: %s%s\n", qerr, spent ?
			" (the statement ran past the reader's budget of SQL"
			" steps: docs/FUZZING.md)" : "");
		return 1;
	}
	return 0;
}
