/*
 * hmap.h - the hash map of kscope: 64-bit keys to 32-bit values, most
 * often indexes into the caller's array of records.
 *
 *     struct hmap m = { 0 };                     // empty; no allocation
 *     if (hmap_put(&m, pid, (uint32_t)n) < 0)    // insert or replace
 *             return -ENOMEM;
 *     uint32_t ix;
 *     if (hmap_get(&m, pid, &ix))                // 1 found, 0 not
 *             recs[ix].count++;
 *     long i = hmap_index(&m, tid);              // the same, -1 when absent
 *     hmap_del(&m, pid);                         // 1 removed, 0 absent
 *     hmap_free(&m);                             // empty again, reusable
 *
 * Any key is allowed (0 and UINT64_MAX too) and any value.  Strings are
 * keyed by hmap_hash_str: the caller compares its own copy on a hit and,
 * when two strings share a hash, moves on to hash + 1 (see
 * report_str_intern; such maps must not delete).
 *
 * Open addressing with linear probing over a power-of-two table of
 * (key, value, used) slots that doubles at half load and never shrinks;
 * the key is mixed (murmur3's finalizer) so that sequential pids and tids
 * spread; deletion shifts the run back (no tombstones).  The map owns
 * only its table.
 */
#ifndef KSCOPE_STORE_HMAP_H
#define KSCOPE_STORE_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_slot {
	uint64_t key;
	uint32_t val;
	uint32_t used;
};

struct hmap {
	struct hmap_slot *slot;
	size_t cap, n; /* cap: 0 or a power of two; n: keys held */
};

/* *VAL for KEY: 1 found, 0 not (*VAL untouched). */
int hmap_get(const struct hmap *m, uint64_t key, uint32_t *val);
/* Set KEY to VAL.  0 or -ENOMEM (M unchanged); replacing the value of
 * a key M holds never fails. */
int hmap_put(struct hmap *m, uint64_t key, uint32_t val);
/* Remove KEY: 1, or 0 when M did not hold it. */
int hmap_del(struct hmap *m, uint64_t key);
void hmap_free(struct hmap *m);

/* KEY's value, or -1 when M does not hold KEY. */
static inline long hmap_index(const struct hmap *m, uint64_t key)
{
	uint32_t v;

	return hmap_get(m, key, &v) ? (long)v : -1;
}

/* FNV-1a of the string S, for string-keyed maps. */
uint64_t hmap_hash_str(const char *s);

#endif
