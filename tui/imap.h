/*
 * imap.h - a small open-addressing hash map from 64-bit keys to row indexes.
 *
 *     struct imap m = { 0 };
 *     if (imap_put(&m, pid, idx) < 0) ...        // -ENOMEM
 *     long i = imap_get(&m, pid);                 // -1 when absent
 *     imap_free(&m);
 *
 * The aggregates (agg.c) keep their records in plain arrays and use this
 * map to find a record by pid, tid, syscall number, socket or string hash.
 * Keys are any 64-bit value; the map owns only its own arrays.
 */
#ifndef KSCOPE_TUI_IMAP_H
#define KSCOPE_TUI_IMAP_H

#include <stddef.h>
#include <stdint.h>

struct imap {
	uint64_t *keys;
	uint32_t *vals; /* index + 1; 0 marks an empty slot */
	size_t cap, n;
};

int imap_put(struct imap *m, uint64_t key, uint32_t val);
long imap_get(const struct imap *m, uint64_t key);
void imap_free(struct imap *m);

/* FNV-1a of a string, for string-keyed maps (compare the key on a hit). */
uint64_t imap_hash_str(const char *s);

#endif
