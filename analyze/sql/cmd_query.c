/*
 * cmd_query.c - `kscope query FILE... [SQL] [--format table|csv|json]`.
 *
 *     kscope query t.kscope 'SELECT name, count(*) FROM syscalls GROUP BY 1'
 *     kscope query t.kscope --format csv < queries.sql
 *     echo 'SELECT * FROM meta' | kscope query t.kscope -F json
 *     kscope query a.kscope b.kscope 'SELECT trace, count(*) FROM syscalls
 *                                     GROUP BY trace'
 *
 * Every operand that opens as a trace is one (traceargs.h); the last
 * operand is the SQL when it is not a trace and does not name a file
 * (sql_operand).  One trace is queried on its own connection, as ever;
 * several through the union tables of multi.h (trace and host columns).
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
#include "analyze/sql/multi.h"
#include "analyze/sql/query.h"
#include "analyze/traceargs.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void query_usage(FILE *fp)
{
	/* the event tables, then the others */
	const char *more[] = { "processes", "threads", "lost", "meta." };
	int col = 0;

	fprintf(fp,
"usage: kscope query FILE [SQL] [--format table|csv|json]\n"
"       kscope query FILE FILE... [SQL] [--format table|csv|json]\n"
"\n"
"Run SQL over the trace FILE and print the results.  Without SQL (or with\n"
"SQL '-') statements are read from standard input, one per line, or\n"
"separated by ';' when they span lines; at a terminal each statement runs\n"
"when its ';' is typed, until Ctrl-D.\n"
"\n"
"With several traces every table has two more columns first: trace (the\n"
"FILE as given) and host (the trace's meta host).  ts stays each trace's\n"
"boot clock: wall(ts, trace) and wall_ns(ts, trace) align rows by wall\n"
"clock.  The last argument is the SQL unless it is a trace or a file.\n"
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
"errno_name, wall, wall_ns, fmt_dur, percentile, log2_bucket.  Timestamps\n"
"(ts) are boot-clock nanoseconds; wall(ts) is the UTC time, wall_ns(ts)\n"
"the same in ns since the epoch.  kscope(1) lists every column.\n");
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

/* Does operand ARG read as SQL rather than a trace?  "-" does (standard
 * input); a trace does not, nor does any existing file, nor one word
 * with a '.' or '/' and no '(' (a trace misspelt: "no such file" beats
 * "syntax error"). */
static int sql_operand(const char *arg)
{
	struct stat sb;

	if (!strcmp(arg, "-"))
		return 1;
	if (traceargs_is_trace(arg) || stat(arg, &sb) == 0)
		return 0;
	return arg[strcspn(arg, " \t\r\n(")] != '\0' ||
	       !arg[strcspn(arg, "./")];
}

/* The traces the user's SQL runs over: one store, or several. */
struct query_src {
	struct store *st;
	struct multi *m;
};

static sqlite3 *query_src_open(struct query_src *q, char **paths, int n,
			       char err[STORE_ERRLEN])
{
	if (n == 1) {
		q->st = analyze_trace_open(paths[0], err);
		return q->st ? store_db(q->st) : NULL;
	}
	q->m = multi_open((const char *const *)paths, n, err);
	return q->m ? multi_db(q->m) : NULL;
}

static void query_src_close(struct query_src *q)
{
	store_close(q->st);
	multi_close(q->m);
}

int cmd_query(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum output_format fmt = OUTPUT_FORMAT_TABLE;
	const char *sql = NULL;
	char serr[STORE_ERRLEN], qerr[QUERY_ERRLEN];
	struct query_src src = { NULL, NULL };
	struct output *out;
	sqlite3 *db;
	char *text = NULL;
	struct cmdopt co = CMDOPT_INIT("query", argc, argv, "F:h", longopts,
				       query_usage);
	int c, rc, interactive, ntraces;

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
	if ((rc = cmdopt_operands(&co, 0, "")))
		return rc;
	ntraces = argc - co.ind;
	if (ntraces > 1 && sql_operand(argv[argc - 1]))
		sql = argv[--ntraces + co.ind];
	for (int i = 1; i < ntraces; i++)
		if (sql_operand(argv[co.ind + i]))
			return cmdopt_usage(&co, "too many arguments (quote "
					    "the SQL as one argument)");

	db = query_src_open(&src, argv + co.ind, ntraces, serr);
	if (!db) {
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
			query_src_close(&src);
			return 1;
		}
	}
	out = output_open(stdout, fmt, NULL);
	if (!out) {
		fprintf(stderr, "kscope: query: out of memory\n");
		free(text);
		query_src_close(&src);
		return 1;
	}

	/* A closed pipe shows up as EPIPE from a write, and stops us. */
	signal(SIGPIPE, SIG_IGN);
	if (interactive) {
		rc = query_interactive(db, out);
		output_close(out);
		query_src_close(&src);
		return rc == -EPIPE ? 0 : rc;
	}
	if (text)
		rc = query_script_run(db, text, out, qerr, sizeof(qerr));
	else
		rc = query_sql_run(db, sql, out, qerr, sizeof(qerr));
	int spent = src.st ? store_budget_spent(src.st) :
			     multi_budget_spent(src.m);
	output_close(out);
	free(text);
	query_src_close(&src);

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
