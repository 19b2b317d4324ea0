# tui/: the model without a terminal (cmocka), and the real program in tmux.
check_PROGRAMS += tests/test-tui-model
TESTS += tests/test-tui-model
tests_test_tui_model_SOURCES = tests/test-tui-model.c
tests_test_tui_model_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS) \
	$(NCURSES_CFLAGS)
tests_test_tui_model_LDADD = libtui.a tests/libsynth.a $(TEST_LIBS) $(NCURSES_LIBS)

TESTS += tests/test-tui.sh
EXTRA_DIST += tests/test-tui.sh tests/tui-lib.sh
EXTRA_DIST += bench/tui-bench.sh

check_PROGRAMS += tests/test-tui-evrows
TESTS += tests/test-tui-evrows
tests_test_tui_evrows_SOURCES = tests/test-tui-evrows.c
tests_test_tui_evrows_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS) \
	$(NCURSES_CFLAGS)
tests_test_tui_evrows_LDADD = libtui.a tests/libsynth.a $(TEST_LIBS) $(NCURSES_LIBS)

# a trace with planted TCP connections (tests/test-agree.sh)
check_PROGRAMS += tests/synth-conns
tests_synth_conns_SOURCES = tests/synth-conns.c
tests_synth_conns_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
tests_synth_conns_LDADD = tests/libsynth.a $(TEST_LIBS)

# the Run queue and Signals views, hangs in the Overview, the tab bar
TESTS += tests/test-tui-views.sh
EXTRA_DIST += tests/test-tui-views.sh
check_PROGRAMS += tests/test-tui-sched
TESTS += tests/test-tui-sched
tests_test_tui_sched_SOURCES = tests/test-tui-sched.c
tests_test_tui_sched_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS) \
	$(NCURSES_CFLAGS)
tests_test_tui_sched_LDADD = libtui.a tests/libsynth.a $(TEST_LIBS) $(NCURSES_LIBS)
# the why pane (tui/why.h) on planted and synthetic traces
check_PROGRAMS += tests/test-tui-why
TESTS += tests/test-tui-why
tests_test_tui_why_SOURCES = tests/test-tui-why.c
tests_test_tui_why_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS) \
	$(NCURSES_CFLAGS)
tests_test_tui_why_LDADD = libtui.a tests/libsynth.a $(TEST_LIBS) $(NCURSES_LIBS)
TESTS += tests/test-tui-why-tmux.sh
EXTRA_DIST += tests/test-tui-why-tmux.sh

# the Timeline's data on planted traces
check_PROGRAMS += tests/test-timeline
TESTS += tests/test-timeline
tests_test_timeline_SOURCES = tests/test-timeline.c
tests_test_timeline_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS) \
	$(NCURSES_CFLAGS)
tests_test_timeline_LDADD = libtui.a tests/libsynth.a $(TEST_LIBS) $(NCURSES_LIBS)

# the Timeline on a live trace (root and BPF; after the live recorder
# tests, one at a time as they run)
check_PROGRAMS += tests/tlwork
tests_tlwork_SOURCES = tests/tlwork.c
tests_tlwork_LDADD = -lpthread
TESTS += tests/test-tui-timeline.sh
EXTRA_DIST += tests/test-tui-timeline.sh
tests/test-tui-timeline.log: tests/test-record-signals.log

# kscope tui --print timeline against thread_state
TESTS += tests/test-tui-print-timeline.sh
EXTRA_DIST += tests/test-tui-print-timeline.sh
