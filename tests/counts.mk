# the count accumulators of analyze/fold/ (sysc, errs, files, tasks, ovw)
# against planted events (tests/synth_counts.h) and SQL
check_PROGRAMS += tests/test-fold-counts
TESTS += tests/test-fold-counts
tests_test_fold_counts_SOURCES = tests/test-fold-counts.c \
	tests/synth_counts.c tests/synth_counts.h
tests_test_fold_counts_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_test_fold_counts_LDADD = tests/libsynth.a $(TEST_LIBS)

# writes that planted trace for tests/test-agree.sh
check_PROGRAMS += tests/plant-counts
tests_plant_counts_SOURCES = tests/plant-counts.c tests/synth_counts.c \
	tests/synth_counts.h
tests_plant_counts_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
tests_plant_counts_LDADD = tests/libsynth.a $(TEST_LIBS)
