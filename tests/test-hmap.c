/*
 * test-hmap.c - unit tests for store/hmap.c, the one hash map.
 *
 *     make check TESTS=tests/test-hmap
 *
 * The oracle for the large cases is a sorted array searched with
 * bsearch: a different structure that must give the same answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/hmap.h"

static void test_empty(void **state)
{
	struct hmap m = { 0 };
	uint32_t v = 7;

	(void)state;
	assert_int_equal(hmap_get(&m, 0, &v), 0);
	assert_int_equal(hmap_get(&m, 42, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(hmap_index(&m, UINT64_MAX), -1);
	hmap_free(&m);
	hmap_free(&m);
	assert_int_equal(hmap_get(&m, 0, &v), 0);
}

/* 0 and UINT64_MAX are keys like any other; 0 and UINT32_MAX values. */
static void test_extreme_keys_and_values(void **state)
{
	struct hmap m = { 0 };
	uint32_t v;

	(void)state;
	assert_int_equal(hmap_get(&m, 0, &v), 0);
	assert_int_equal(hmap_put(&m, 0, 0), 0);
	assert_int_equal(hmap_get(&m, UINT64_MAX, &v), 0);
	assert_int_equal(hmap_put(&m, UINT64_MAX, UINT32_MAX), 0);
	assert_int_equal(hmap_put(&m, 1, 5), 0);
	assert_int_equal(hmap_get(&m, 0, &v), 1);
	assert_int_equal(v, 0);
	assert_int_equal(hmap_get(&m, UINT64_MAX, &v), 1);
	assert_int_equal(v, UINT32_MAX);
	assert_int_equal(hmap_index(&m, UINT64_MAX), (long)UINT32_MAX);
	assert_int_equal(hmap_index(&m, 0), 0);
	assert_int_equal(hmap_index(&m, 1), 5);
	assert_int_equal(hmap_index(&m, 2), -1);
	assert_int_equal(hmap_index(&m, UINT64_MAX - 1), -1);
	assert_int_equal(m.n, 3);
	hmap_free(&m);
	assert_int_equal(hmap_index(&m, 0), -1);
}

static void test_replace(void **state)
{
	struct hmap m = { 0 };

	(void)state;
	for (uint32_t i = 0; i < 1000; i++)
		assert_int_equal(hmap_put(&m, 99, i), 0);
	assert_int_equal(m.n, 1);
	assert_int_equal(hmap_index(&m, 99), 999);
	hmap_free(&m);
}

/* hmap.c's mixer, to build keys that share a home slot. */
static size_t home(uint64_t key, size_t cap)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdull;
	key ^= key >> 33;
	return (size_t)key & (cap - 1);
}

/* Keys with the same home slot in the first table (64 slots, no growth
 * below 32 keys) take the following slots in turn: each is found, and a
 * missing key with that home walks the whole run to an empty slot. */
static void test_collisions(void **state)
{
	struct hmap m = { 0 };
	uint64_t keys[24], absent = 0;
	size_t n = 0, want = home(12345, 64);

	(void)state;
	for (uint64_t k = 0; n < 24; k++)
		if (home(k, 64) == want)
			keys[n++] = k;
	for (uint64_t k = keys[23] + 1; !absent; k++)
		if (home(k, 64) == want)
			absent = k;
	for (size_t i = 0; i < 24; i++)
		assert_int_equal(hmap_put(&m, keys[i], (uint32_t)i * 3), 0);
	assert_int_equal(m.cap, 64);
	for (size_t i = 0; i < 24; i++)
		assert_int_equal(hmap_index(&m, keys[i]), (long)i * 3);
	assert_int_equal(hmap_index(&m, absent), -1);
	/* wrap around the end of the table */
	hmap_free(&m);
	n = 0;
	for (uint64_t k = 0; n < 24; k++)
		if (home(k, 64) == 63)
			keys[n++] = k;
	for (size_t i = 0; i < 24; i++)
		assert_int_equal(hmap_put(&m, keys[i], (uint32_t)i), 0);
	for (size_t i = 0; i < 24; i++)
		assert_int_equal(hmap_index(&m, keys[i]), (long)i);
	hmap_free(&m);
}

struct kv {
	uint64_t k;
	uint32_t v;
};

static int kv_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct kv *)a)->k, y = ((const struct kv *)b)->k;

	return x < y ? -1 : x > y;
}

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Many keys of the shapes kscope uses (small sequential ids, ids in the
 * high bits, random hashes), through many doublings, against a sorted
 * array; later puts of a key replace its value in both. */
static void test_growth_against_oracle(void **state)
{
	enum { N = 150000 };
	struct kv *o = calloc(N, sizeof(*o));
	struct hmap m = { 0 };
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	size_t n = 0;

	(void)state;
	assert_non_null(o);
	for (size_t i = 0; i < N; i++) {
		uint64_t k;

		switch (i % 3) {
		case 0: k = i / 3; break;
		case 1: k = (uint64_t)(i / 3) << 40; break;
		default: k = rng_next(&seed) % 100000; break; /* repeats */
		}
		assert_int_equal(hmap_put(&m, k, (uint32_t)i), 0);
		o[n++].k = k;
	}
	for (size_t i = 0; i < n; i++)
		assert_int_not_equal(hmap_index(&m, o[i].k), -1);
	/* as many keys as distinct ones were put */
	qsort(o, n, sizeof(*o), kv_cmp);
	size_t distinct = 0;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || o[i].k != o[i - 1].k)
			distinct++;
	assert_int_equal(m.n, distinct);
	assert_true(m.cap >= 2 * m.n);
	assert_int_equal(m.cap & (m.cap - 1), 0);
	hmap_free(&m);

	/* again, checking every value: the last one put for its key */
	memset(o, 0, N * sizeof(*o));
	seed = 12345;
	for (size_t i = 0; i < N; i++) {
		o[i].k = rng_next(&seed) % (N / 2);
		o[i].v = (uint32_t)i;
		assert_int_equal(hmap_put(&m, o[i].k, o[i].v), 0);
	}
	qsort(o, N, sizeof(*o), kv_cmp); /* equal keys: any order */
	for (size_t i = 0; i < N; i++) {
		uint32_t last = o[i].v;
		size_t j = i;

		while (j + 1 < N && o[j + 1].k == o[i].k)
			if (o[++j].v > last)
				last = o[j].v;
		assert_int_equal(hmap_index(&m, o[i].k), (long)last);
		i = j;
	}
	for (uint64_t k = N / 2; k < N; k++)
		assert_int_equal(hmap_index(&m, k), -1);
	hmap_free(&m);
	free(o);
}

/* Deleting in the middle of a run of keys that share a home slot, at the
 * end of the table (the run wraps to slot 0): the keys after the hole
 * stay reachable, the deleted one is gone, and it can come back. */
static void test_delete_in_runs(void **state)
{
	struct hmap m = { 0 };
	uint64_t keys[20];
	size_t n = 0;

	(void)state;
	for (uint64_t k = 0; n < 20; k++)
		if (home(k, 64) >= 60)
			keys[n++] = k;
	for (size_t i = 0; i < 20; i++)
		assert_int_equal(hmap_put(&m, keys[i], (uint32_t)i), 0);
	assert_int_equal(m.cap, 64);
	for (size_t d = 0; d < 20; d += 3) {
		assert_int_equal(hmap_del(&m, keys[d]), 1);
		assert_int_equal(hmap_del(&m, keys[d]), 0);
		for (size_t i = 0; i < 20; i++)
			assert_int_equal(hmap_index(&m, keys[i]),
					 i % 3 == 0 && i <= d ? -1 : (long)i);
	}
	assert_int_equal(m.n, 20 - 7);
	assert_int_equal(hmap_put(&m, keys[9], 99), 0);
	assert_int_equal(hmap_index(&m, keys[9]), 99);
	assert_int_equal(hmap_del(&m, UINT64_MAX), 0);
	hmap_free(&m);
	assert_int_equal(hmap_del(&m, 1), 0);
}

/* Random puts and deletes over a small key range (long runs, many
 * shifts), against a plain array indexed by key. */
static void test_delete_against_oracle(void **state)
{
	enum { KEYS = 3000, OPS = 400000 };
	static int64_t oracle[KEYS]; /* value, or -1 */
	struct hmap m = { 0 };
	uint64_t seed = 7;
	size_t live = 0;

	(void)state;
	for (size_t k = 0; k < KEYS; k++)
		oracle[k] = -1;
	for (size_t op = 0; op < OPS; op++) {
		uint64_t r = rng_next(&seed);
		uint64_t k = r % KEYS;
		uint64_t key = k * 0x100000000ull; /* low bits all zero */

		if ((r >> 32) % 3) {
			assert_int_equal(hmap_put(&m, key, (uint32_t)op), 0);
			live += oracle[k] < 0;
			oracle[k] = (int64_t)(uint32_t)op;
		} else {
			assert_int_equal(hmap_del(&m, key), oracle[k] >= 0);
			live -= oracle[k] >= 0;
			oracle[k] = -1;
		}
		if (op % 50000 == 0 || op == OPS - 1) {
			assert_int_equal(m.n, live);
			for (size_t j = 0; j < KEYS; j++)
				assert_int_equal(hmap_index(&m, j *
							    0x100000000ull),
						 (long)oracle[j]);
		}
	}
	hmap_free(&m);
}

/* FNV-1a 64 test vectors (Fowler, Noll, Vo). */
static void test_hash_str(void **state)
{
	(void)state;
	assert_true(hmap_hash_str("") == 0xcbf29ce484222325ull);
	assert_true(hmap_hash_str("a") == 0xaf63dc4c8601ec8cull);
	assert_true(hmap_hash_str("foobar") == 0x85944171f73967e8ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_extreme_keys_and_values),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_collisions),
		cmocka_unit_test(test_growth_against_oracle),
		cmocka_unit_test(test_delete_in_runs),
		cmocka_unit_test(test_delete_against_oracle),
		cmocka_unit_test(test_hash_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
