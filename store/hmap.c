/*
 * hmap.c - open addressing with linear probing; the table doubles at half
 * load.  See hmap.h.
 */
#include "store/hmap.h"

#include <errno.h>
#include <stdlib.h>

static size_t slot_of(uint64_t key, size_t cap)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdull;
	key ^= key >> 33;
	return (size_t)key & (cap - 1);
}

/* The slot holding KEY, or the empty slot where it would go. */
static struct hmap_slot *probe(const struct hmap *m, uint64_t key)
{
	size_t i = slot_of(key, m->cap);

	while (m->slot[i].used && m->slot[i].key != key)
		i = (i + 1) & (m->cap - 1);
	return &m->slot[i];
}

static int grow(struct hmap *m)
{
	struct hmap g = { .cap = m->cap ? m->cap * 2 : 64, .n = m->n };

	if (!(g.slot = calloc(g.cap, sizeof(*g.slot))))
		return -ENOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].used)
			*probe(&g, m->slot[i].key) = m->slot[i];
	free(m->slot);
	*m = g;
	return 0;
}

int hmap_get(const struct hmap *m, uint64_t key, uint32_t *val)
{
	const struct hmap_slot *s;

	if (!m->cap)
		return 0;
	s = probe(m, key);
	if (!s->used)
		return 0;
	*val = s->val;
	return 1;
}

int hmap_put(struct hmap *m, uint64_t key, uint32_t val)
{
	struct hmap_slot *s = m->cap ? probe(m, key) : NULL;

	if (!s || !s->used) {
		if ((m->n + 1) * 2 > m->cap) {
			if (grow(m) < 0)
				return -ENOMEM;
			s = probe(m, key);
		}
		s->key = key;
		s->used = 1;
		m->n++;
	}
	s->val = val;
	return 0;
}

int hmap_del(struct hmap *m, uint64_t key)
{
	struct hmap_slot *s;
	size_t mask = m->cap - 1, i, j;

	if (!m->cap || !(s = probe(m, key))->used)
		return 0;
	/* Backward shift: each later slot of the run moves into the hole
	 * unless its home lies after the hole, so that no run has a gap
	 * and no tombstone is needed. */
	i = (size_t)(s - m->slot);
	for (j = (i + 1) & mask; m->slot[j].used; j = (j + 1) & mask) {
		size_t home = slot_of(m->slot[j].key, m->cap);

		if (((j - home) & mask) >= ((j - i) & mask)) {
			m->slot[i] = m->slot[j];
			i = j;
		}
	}
	m->slot[i].used = 0;
	m->n--;
	return 1;
}

void hmap_free(struct hmap *m)
{
	free(m->slot);
	m->slot = NULL;
	m->cap = m->n = 0;
}

uint64_t hmap_hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ull;
	return h;
}
