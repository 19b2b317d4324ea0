# cmocka unit tests and live tests.  A test that cannot run here exits 77.
TEST_LIBS = libanalyze.a libstore.a $(CMOCKA_LIBS) $(SQLITE_LIBS) $(LZ4_LIBS) -lm
