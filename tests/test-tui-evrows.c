/*
 * test-tui-evrows.c - the TUI's rows say what the trace knows: its Events
 * rows are the lines `kscope replay` prints for the same events, and a
 * task the threads and processes tables lack is named after its events.
 *
 * A synthetic trace gets a planted process (pid PL_PID) with a fork, an
 * exec, an exit by SIGKILL and a TCP connect (state changes, a send, a
 * reset); the TUI's event list (tui/evlist.h) over that process's events
 * must hold, row for row, the text of `./kscope replay TRACE 'pid = ...'`
 * (the binary of this build, run in the build directory), and that text
 * must show the planted facts: the exec's file and arguments, the signal,
 * the endpoints and the TCP state names.
 *
 * Task PL_LONE is in neither table; its syscall has no comm, its switches
 * name it: the Processes and Threads views show that name.
 */
#include "config.h"
#include "analyze/analyze.h"
#include "analyze/replay/evfmt.h"
#include "analyze/timearg.h"
#include "tests/synth.h"
#include "tui/evlist.h"
#include "tui/model.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define PL_PID 90001u
#define PL_CHILD 90002u
#define PL_LONE 92001u
#define T0 (5210ull * 1000000000ull)
#define MS 1000000ull

static char path[64];
static struct store *st;

static const struct ev_proc pl_fork = {
	.ts = T0 + 10 * MS, .cpu = 1, .kind = EV_PROC_FORK, .pid = PL_PID,
	.tid = PL_PID, .ppid = 1, .child_pid = PL_CHILD, .comm = "planted",
};
static const struct ev_proc pl_exec = {
	.ts = T0 + 11 * MS, .cpu = 0, .kind = EV_PROC_EXEC, .pid = PL_PID,
	.tid = PL_PID, .ppid = 1, .comm = "planted",
	.filename = "/usr/bin/planted", .argv = "planted --now",
};
static const struct ev_net pl_syn = {
	.ts = T0 + 12 * MS, .cpu = 1, .kind = EV_NET_STATE, .pid = PL_PID,
	.tid = PL_PID, .family = 2, .sport = 0, .dport = 5432,
	.old_state = 7, .new_state = 2, .sock = 0xfeed, .comm = "planted",
	.saddr = "0.0.0.0", .daddr = "10.9.9.9",
};
static const struct ev_net pl_est = {
	.ts = T0 + 13 * MS, .cpu = 1, .kind = EV_NET_STATE, .pid = PL_PID,
	.tid = PL_PID, .family = 2, .sport = 40000, .dport = 5432,
	.old_state = 2, .new_state = 1, .sock = 0xfeed, .comm = "planted",
	.saddr = "10.0.0.1", .daddr = "10.9.9.9",
};
static const struct ev_net pl_send = {
	.ts = T0 + 14 * MS, .cpu = 1, .kind = EV_NET_SEND, .pid = PL_PID,
	.tid = PL_PID, .family = 2, .sport = 40000, .dport = 5432,
	.bytes = 517, .sock = 0xfeed, .comm = "planted",
	.saddr = "10.0.0.1", .daddr = "10.9.9.9",
};
static const struct ev_net pl_rst = {
	.ts = T0 + 15 * MS, .cpu = 1, .kind = EV_NET_RESET_RECV, .pid = PL_PID,
	.tid = PL_PID, .family = 2, .sport = 40000, .dport = 5432,
	.sock = 0xfeed, .comm = "planted",
	.saddr = "10.0.0.1", .daddr = "10.9.9.9",
};
static const struct ev_proc pl_kill = {
	.ts = T0 + 16 * MS, .cpu = 0, .kind = EV_PROC_EXIT, .pid = PL_PID,
	.tid = PL_PID, .ppid = 1, .exit_signal = 9, .comm = "planted",
};

static const struct ev_switch pl_in = {
	.ts = T0 + 17 * MS, .cpu = 0, .prev_tid = 0, .prev_comm = "swapper/0",
	.next_tid = PL_LONE, .next_comm = "lone-task", .next_prio = 120,
};
static const struct ev_syscall pl_call = {
	.ts = T0 + 17 * MS + 1000, .dur = 2000, .cpu = 0, .pid = PL_LONE,
	.tid = PL_LONE, .nr = 39, .ret = PL_LONE, .fd = -1,
};
static const struct ev_switch pl_out = {
	.ts = T0 + 17 * MS + 5000, .cpu = 0, .prev_tid = PL_LONE,
	.prev_comm = "lone-task", .prev_state = 1, .prev_prio = 120,
	.next_tid = 0, .next_comm = "swapper/0",
};

static int setup(void **state)
{
	static const struct synth_plant plant[] = {
		{ EV_PROC, &pl_fork }, { EV_PROC, &pl_exec },
		{ EV_NET, &pl_syn }, { EV_NET, &pl_est }, { EV_NET, &pl_send },
		{ EV_NET, &pl_rst }, { EV_PROC, &pl_kill },
		{ EV_SWITCH, &pl_in }, { EV_SYSCALL, &pl_call },
		{ EV_SWITCH, &pl_out },
	};
	struct synth_opts o = SYNTH_OPTS_INIT;
	char err[STORE_ERRLEN];
	int fd;

	snprintf(path, sizeof(path), "/tmp/test-tui-evrows.XXXXXX");
	if ((fd = mkstemp(path)) < 0)
		return -1;
	close(fd);
	o.syscalls = 5000;
	o.ts_start = T0;
	o.plant = plant;
	o.nplant = sizeof(plant) / sizeof(plant[0]);
	o.errbuf = err;
	if (synth_write(path, &o) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	st = analyze_trace_open(path, err);
	(void)state;
	return st ? 0 : -1;
}

static int teardown(void **state)
{
	store_close(st);
	unlink(path);
	(void)state;
	return 0;
}

/* The lines of `kscope replay` for the planted process (caller frees). */
static size_t replay_lines(char ***out)
{
	char cmd[256], *line = NULL, **v = NULL;
	size_t n = 0, cap = 0;
	ssize_t len;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "./kscope replay %s 'pid = %u'", path,
		 PL_PID);
	assert_non_null(p = popen(cmd, "r"));
	while ((len = getline(&line, &cap, p)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		assert_non_null(v = realloc(v, (n + 1) * sizeof(*v)));
		assert_non_null(v[n++] = strdup(line));
	}
	free(line);
	assert_int_equal(pclose(p), 0);
	*out = v;
	return n;
}

static void test_rows_are_replay_lines(void **state)
{
	const char *where[EV_KIND_COUNT] = { 0 };
	struct evfmt *fmt = evfmt_new(st, 0);
	char **want, clause[32];
	size_t n = replay_lines(&want);
	uint64_t from, to;
	struct evlist el;

	snprintf(clause, sizeof(clause), "pid = %u", PL_PID);
	where[EV_PROC] = where[EV_NET] = clause;
	assert_non_null(fmt);
	assert_int_equal(n, 7);
	assert_int_equal(timearg_span(st, &from, &to), 0);
	assert_int_equal(evlist_init(&el, st, fmt, from, to, 1u << EV_PROC |
				     1u << EV_NET, where), 0);
	assert_int_equal(evlist_seek(&el, from, 0, 20), 0);
	while (evlist_pending(&el))
		assert_true(evlist_fill(&el, 1000000000ull) >= 0);
	assert_int_equal(el.n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(el.rows[i].text, want[i]);
	/* and the text says what happened */
	assert_non_null(strstr(want[0], "child=90002"));
	assert_non_null(strstr(want[1], "/usr/bin/planted"));
	assert_non_null(strstr(want[1], "planted --now"));
	assert_non_null(strstr(want[2], "10.9.9.9:5432"));
	assert_non_null(strstr(want[2], "SYN_SENT"));
	assert_non_null(strstr(want[3], "10.0.0.1:40000"));
	assert_non_null(strstr(want[3], "ESTABLISHED"));
	assert_non_null(strstr(want[4], "517"));
	assert_non_null(strstr(want[6], "SIGKILL"));
	for (size_t i = 0; i < n; i++)
		free(want[i]);
	free(want);
	evlist_free(&el);
	evfmt_free(fmt);
	(void)state;
}

/* The COMM cell of PL_LONE's row in the current view of M. */
static const char *lone_comm(struct model *m)
{
	for (size_t i = 0; i < model_rows(m); i++)
		if (!strcmp(model_cell_text(m, i, 0), "92001"))
			return model_cell_text(m, i, 1);
	return NULL;
}

static void test_untabled_task_named(void **state)
{
	char err[256];
	struct model *m = model_open(st, err, sizeof(err));

	assert_non_null(m);
	model_layout(m, 10, 100, 64);
	model_view_switch(m, VIEW_PROCS);
	while (model_work(m, 1000000000ull) > 0)
		;
	assert_non_null(lone_comm(m));
	assert_string_equal(lone_comm(m), "lone-task");
	model_close(m);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_are_replay_lines),
		cmocka_unit_test(test_untabled_task_named),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
