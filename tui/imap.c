/*
 * imap.c - open addressing with linear probing; the table doubles at 1/2
 * load.  See imap.h.
 */
#include "tui/imap.h"

#include <errno.h>
#include <stdlib.h>

static size_t slot_of(uint64_t key, size_t cap)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdull;
	key ^= key >> 33;
	return (size_t)key & (cap - 1);
}

static int grow(struct imap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	uint64_t *keys = calloc(cap, sizeof(*keys));
	uint32_t *vals = calloc(cap, sizeof(*vals));

	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->vals[i])
			continue;
		size_t s = slot_of(m->keys[i], cap);
		while (vals[s])
			s = (s + 1) & (cap - 1);
		keys[s] = m->keys[i];
		vals[s] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return 0;
}

int imap_put(struct imap *m, uint64_t key, uint32_t val)
{
	if ((m->n + 1) * 2 > m->cap && grow(m) < 0)
		return -ENOMEM;
	size_t s = slot_of(key, m->cap);
	while (m->vals[s] && m->keys[s] != key)
		s = (s + 1) & (m->cap - 1);
	if (!m->vals[s])
		m->n++;
	m->keys[s] = key;
	m->vals[s] = val + 1;
	return 0;
}

long imap_get(const struct imap *m, uint64_t key)
{
	if (!m->cap)
		return -1;
	size_t s = slot_of(key, m->cap);
	while (m->vals[s]) {
		if (m->keys[s] == key)
			return (long)m->vals[s] - 1;
		s = (s + 1) & (m->cap - 1);
	}
	return -1;
}

void imap_free(struct imap *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
	m->cap = m->n = 0;
}

uint64_t imap_hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ull;
	return h;
}
