/*
 * cmd_tui.c - kscope tui FILE: open the trace (errors go to stderr before
 * the screen is touched), take over the terminal, and run the loop:
 *
 *     draw; loop { poll(stdin, timeout); keys -> actions -> draw;
 *                  idle -> model_work (~12 ms slices) -> draw now and then;
 *                  playing -> model_play_tick }
 *
 * The terminal is restored on every way out: normal quit, a library
 * error, and SIGSEGV / SIGBUS / SIGFPE / SIGABRT / SIGTERM / SIGINT /
 * SIGHUP / SIGQUIT, whose handler calls endwin() and re-raises the signal
 * with its default action.
 *
 * KSCOPE_TUI_LOG=FILE appends one line per event: "first-draw MS" (from
 * process start to the first screen on the terminal), "key NAME MS" (from
 * reading the key to the screen updated), "settled MS" (from the last key
 * until the background work it started - rows of a cold read, an
 * aggregate - was done and drawn), "idle-done MS" (when background
 * aggregation finished, from process start).  bench/tui-bench.sh reads it.
 */
#include "config.h"
#include "kscope.h"
#include "analyze/output/textesc.h"
#include "cmdopt.h"
#include "analyze/analyze.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/tui.h"

#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t screen_taken;

static void on_fatal(int sig)
{
	if (screen_taken)
		endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void signals_install(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGABRT, SIGTERM,
				    SIGINT, SIGHUP, SIGQUIT };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

static void usage(FILE *out)
{
	fprintf(out, "usage: kscope tui [--mono] FILE\n"
		     "       kscope tui --print VIEW [-F text|json] [--steps N] "
		     "FILE\n\n"
		     "Browse a trace in the terminal (press F1 inside for the "
		     "keys).\n\n"
		     "      --mono        no colours (also when NO_COLOR is "
		     "set)\n"
		     "      --print VIEW  no terminal: print the rows of VIEW "
		     "(overview, procs,\n"
		     "                    threads, syscalls, errors, files, "
		     "conns, timeline,\n"
		     "                    runq, runqlat, instead, signals) as "
		     "the TUI computes\n"
		     "                    them, once its figures are complete\n"
		     "  -F, --format FMT  with --print: text (the default) or "
		     "json\n"
		     "      --steps N     with --print: stop after N steps of "
		     "the computation;\n"
		     "                    the figures are then estimates, and "
		     "marked so\n"
		     "  -h, --help        show this help\n\n"
		     "The first line --print writes says whether the figures "
		     "are complete.\n"
		     "KSCOPE_TUI_LOG=FILE logs per-key response times.\n");
}

static double ms_since(uint64_t t0)
{
	return (double)(agg_now_ns() - t0) / 1e6;
}

/* Process start in the agg_now_ns clock (for the first-draw figure). */
static uint64_t process_start_ns(void)
{
	FILE *f = fopen("/proc/self/stat", "r");
	unsigned long long start = 0;
	char buf[1024];
	long hz = sysconf(_SC_CLK_TCK);

	if (f && fgets(buf, sizeof(buf), f)) {
		char *p = strrchr(buf, ')');
		/* field 22 (starttime) counts from ')' + field 3 */
		for (int field = 2; p && field < 22; field++)
			p = strchr(p + 1, ' ');
		if (p)
			start = strtoull(p + 1, NULL, 10);
	}
	if (f)
		fclose(f);
	struct timespec bt;
	clock_gettime(CLOCK_BOOTTIME, &bt);
	uint64_t boot_now = (uint64_t)bt.tv_sec * 1000000000ull +
			    (uint64_t)bt.tv_nsec;
	uint64_t started = start && hz > 0 ?
				   start * (1000000000ull / (uint64_t)hz) : boot_now;
	uint64_t age = boot_now > started ? boot_now - started : 0;
	return agg_now_ns() - age;
}

static const char *keylog_name(int k, char *buf, size_t len)
{
	const char *n = keyname(k);
	snprintf(buf, len, "%s", n ? n : "?");
	for (char *p = buf; *p; p++)
		if (*p == ' ')
			*p = '_';
	return buf;
}

static int run(struct tui *t, uint64_t t_start)
{
	struct model *m = t->m;
	uint64_t last_draw, key_t0 = 0;
	int work = 1, logged_idle = 0, awaiting = 0;

	tui_draw(t);
	last_draw = agg_now_ns();
	if (t->log)
		fprintf(t->log, "first-draw %.3f\n", ms_since(t_start)), fflush(t->log);
	for (;;) {
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		int timeout = work ? 0 : -1;
		uint64_t wait = model_play_tick(m, agg_now_ns());
		if (m->playing) {
			int ms = (int)(wait / 1000000) + 1;
			timeout = timeout == 0 ? 0 : ms;
			tui_draw(t);
		}
		int rc = poll(&p, 1, timeout);
		if (rc < 0 && errno != EINTR)
			return -errno;
		if (rc > 0 || (rc < 0 && errno == EINTR)) {
			int key;
			unsigned r = 0;
			while ((key = getch()) != ERR) {
				uint64_t t0 = agg_now_ns();
				char kn[32];
				/* each key gets a new SQL budget: the
				 * browser keeps statements open */
				store_budget_reset(m->st);
				r = tui_key_handle(t, key);
				if (r & TUI_QUIT)
					return 0;
				tui_draw(t);
				last_draw = agg_now_ns();
				if (t->log)
					fprintf(t->log, "key %s %.3f\n",
						keylog_name(key, kn, sizeof(kn)),
						ms_since(t0)), fflush(t->log);
				key_t0 = t0;
				awaiting = 1;
			}
			work = 1;
			continue;
		}
		/* idle: background work in small slices */
		rc = model_work(m, 12 * 1000000ull);
		work = rc > 0;

		if (!work && !logged_idle && t->log) {
			struct agg *a = model_agg(m);
			if (a && agg_done(a)) {
				fprintf(t->log, "idle-done %.3f\n", ms_since(t_start));
				fflush(t->log);
				logged_idle = 1;
			}
		}
		if (!work || agg_now_ns() - last_draw > 150 * 1000000ull) {
			tui_draw(t);
			last_draw = agg_now_ns();
		}
		if (!work && awaiting && t->log) {
			/* everything the last key started is on the screen */
			fprintf(t->log, "settled %.3f\n", ms_since(key_t0));
			fflush(t->log);
		}
		if (!work)
			awaiting = 0;
	}
}

int cmd_tui(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mono", no_argument, NULL, 'm' },
		{ "print", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'F' },
		{ "steps", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmdopt co = CMDOPT_INIT("tui", argc, argv, "hF:", longopts,
				       usage);
	uint64_t t_start = process_start_ns();
	const char *path = NULL, *print = NULL;
	enum output_format fmt = OUTPUT_FORMAT_TABLE;
	long steps = -1;
	char err[STORE_ERRLEN];
	struct tui t;
	int mono = getenv("NO_COLOR") && *getenv("NO_COLOR");
	uint64_t v;
	int c, rc;

	while ((c = cmdopt_next(&co)) != -1) {
		switch (c) {
		case 'm':
			mono = 1;
			break;
		case 'p':
			print = optarg;
			break;
		case 'F':
			if (output_format_parse(optarg, &fmt) < 0 ||
			    fmt == OUTPUT_FORMAT_CSV)
				return cmdopt_usage(&co, "unknown format '%s' "
						    "(text or json)",
						    TEXTESC_Q(optarg));
			break;
		case 's':
			if (cmdopt_uint(optarg, LONG_MAX, &v) < 0)
				return cmdopt_usage(&co, "bad --steps '%s'",
						    TEXTESC_Q(optarg));
			steps = (long)v;
			break;
		default:
			return cmdopt_exit(&co, c);
		}
	}
	if ((rc = cmdopt_operands(&co, 1, "one trace file at a time")))
		return rc;
	path = argv[co.ind];
	if (!print && (fmt != OUTPUT_FORMAT_TABLE || steps >= 0))
		return cmdopt_usage(&co, "--format and --steps go with "
				    "--print");
	setlocale(LC_ALL, "");
	struct store *st = analyze_trace_open(path, err);
	if (!st) {
		fprintf(stderr, "kscope: %s\n", err);
		return 1;
	}
	if (print) {
		signal(SIGPIPE, SIG_IGN);
		rc = tui_print(st, print, fmt, steps, err, sizeof(err));
		store_close(st);
		if (rc < 0)
			fprintf(stderr, "kscope: tui: %s\n", err);
		return rc == -EINVAL ? 2 : rc < 0;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "kscope: tui: needs a terminal; use kscope "
			"query or kscope report for scripts\n");
		store_close(st);
		return 1;
	}
	struct model *m = model_open(st, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "kscope: %s: %s\n", path, err);
		store_close(st);
		return 1;
	}
	memset(&t, 0, sizeof(t));
	t.m = m;
	t.mono = mono;
	const char *cs = setlocale(LC_CTYPE, NULL);
	t.utf8 = cs && (strstr(cs, "UTF-8") || strstr(cs, "utf8"));
	const char *logp = getenv("KSCOPE_TUI_LOG");
	if (logp && *logp)
		t.log = fopen(logp, "a");

	signals_install();
	set_escdelay(25);
	if (!newterm(NULL, stdout, stdin)) {
		fprintf(stderr, "kscope: tui: cannot use this terminal "
			"(TERM=%s)\n", getenv("TERM") ? getenv("TERM") : "");
		model_close(m);
		store_close(st);
		return 1;
	}
	screen_taken = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	draw_colors_init(mono);
	curs_set(0);

	rc = run(&t, t_start);

	endwin();
	screen_taken = 0;
	if (t.log)
		fclose(t.log);
	model_close(m);
	store_close(st);
	if (rc < 0) {
		fprintf(stderr, "kscope: tui: %s\n", strerror(-rc));
		return 1;
	}
	return 0;
}
