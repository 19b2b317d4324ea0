# fuzz.mk - the trace reader as untrusted-input code: libFuzzer targets
# (tests/fuzz/, docs/FUZZING.md) and hostile traces (test-hostile.sh).
#
# configure enables them when $(CLANG) links -fsanitize=fuzzer.  They are
# compiled here with clang, apart from the gcc build: the store sources plus
# a harness, with ASan, UBSan and FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
# (chunk.c then accepts any checksum).  make check runs each for a few
# thousand fixed-seed inputs over the seed corpus (tests/fuzz/run-fuzz.sh).
FUZZ_BINS = tests/fuzz/fuzz-chunk tests/fuzz/fuzz-trace
FUZZ_CC = $(CLANG) -g -O1 -std=gnu11 -fno-omit-frame-pointer \
	-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION $(FUZZ_FLAGS) \
	$(AM_CPPFLAGS) $(SQLITE_CFLAGS) $(LZ4_CFLAGS) $(ZSTD_CFLAGS)
FUZZ_LIBS = $(SQLITE_LIBS) $(LZ4_LIBS) $(ZSTD_LIBS) -lm
# the .c files of libstore.a (and libanalyze.a), in the source tree
FUZZ_STORE_C = `for f in $(libstore_a_SOURCES); do \
	case $$f in *.c) echo "$(srcdir)/$$f";; esac; done`
FUZZ_ANALYZE_C = `for f in $(libanalyze_a_SOURCES); do \
	case $$f in *.c) echo "$(srcdir)/$$f";; esac; done`
FUZZ_DEPS = $(libstore_a_SOURCES) config.h
# the TUI's model without curses: libtui.a but the drawing and key files
FUZZ_TUI_C = `for f in $(libtui_a_SOURCES); do \
	case $$f in tui/cmd_tui.c|tui/draw*.c|tui/keys.c|tui/help.c) ;; \
	*.c) echo "$(srcdir)/$$f";; esac; done`

TESTS += tests/fuzz/run-fuzz.sh
EXTRA_DIST += tests/fuzz/run-fuzz.sh tests/fuzz/fuzz-chunk.c \
	tests/fuzz/fuzz-trace.c tests/fuzz/corpus-chunk tests/fuzz/corpus-trace
CLEANFILES += $(FUZZ_BINS)

if FUZZING
tests/fuzz/run-fuzz.log: $(FUZZ_BINS)
endif

tests/fuzz/fuzz-chunk: tests/fuzz/fuzz-chunk.c $(FUZZ_DEPS)
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) -o $@.new $(srcdir)/tests/fuzz/fuzz-chunk.c \
		$(FUZZ_STORE_C) $(FUZZ_LIBS) && mv -f $@.new $@

# analyze_trace_open, as the commands open traces: all of libanalyze.a
# (with the commands' option parsing and escapes, libcmdopt.a), and the
# TUI's model
tests/fuzz/fuzz-trace: tests/fuzz/fuzz-trace.c $(libanalyze_a_SOURCES) \
		$(libtui_a_SOURCES) $(libcmdopt_a_SOURCES) $(FUZZ_DEPS)
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) -o $@.new $(srcdir)/tests/fuzz/fuzz-trace.c \
		$(FUZZ_ANALYZE_C) $(FUZZ_TUI_C) $(FUZZ_STORE_C) \
		$(srcdir)/cmdopt.c $(srcdir)/analyze/output/textesc.c \
		$(FUZZ_LIBS) -lpthread && mv -f $@.new $@

# Traces crafted to attack the reader (tests/hostile.py makes them)
TESTS += tests/test-hostile.sh
EXTRA_DIST += tests/test-hostile.sh tests/hostile.py
