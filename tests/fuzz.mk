# fuzz.mk - the trace reader as untrusted-input code: hostile traces
# (test-hostile.sh).

# Traces crafted to attack the reader (tests/hostile.py makes them)
TESTS += tests/test-hostile.sh
EXTRA_DIST += tests/test-hostile.sh tests/hostile.py
