/*
 * namecache.c - names of small kernel numbers (an irq, a disk's dev_t),
 * read once from sysfs when first seen while recording, and kept.
 *
 *     struct rec_names *n = rec_names_new("/sys/kernel/irq", read_irq);
 *     const char *s = rec_names_get(n, 24);   // read_irq's answer, kept
 *     rec_names_free(n);
 *
 * READ(ROOT, KEY, NAME, SIZE) writes KEY's name; it is called once per key
 * and must always write one (the number as text when nothing names it).
 * A name stays valid until the cache is freed.
 */
#include "config.h"
#include "record/record.h"
#include "store/hmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 64

struct rec_names {
	char *root;
	rec_names_read_fn *read;
	struct hmap ix; /* key -> index in v */
	char **v;
	size_t n, cap;
};

struct rec_names *rec_names_new(const char *root, rec_names_read_fn *read)
{
	struct rec_names *n = calloc(1, sizeof(*n));

	if (!n || !(n->root = strdup(root))) {
		free(n);
		errno = ENOMEM;
		return NULL;
	}
	n->read = read;
	return n;
}

void rec_names_free(struct rec_names *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		free(n->v[i]);
	free(n->v);
	hmap_free(&n->ix);
	free(n->root);
	free(n);
}

const char *rec_names_get(struct rec_names *n, uint32_t key)
{
	char name[NAME_MAX_LEN], *s;
	uint32_t i;

	if (hmap_get(&n->ix, key, &i))
		return n->v[i];
	if (n->n == n->cap) {
		size_t cap = n->cap ? 2 * n->cap : 16;
		char **v = realloc(n->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		n->v = v;
		n->cap = cap;
	}
	name[0] = 0;
	n->read(n->root, key, name, sizeof(name));
	if (!(s = strdup(name)))
		return NULL;
	if (hmap_put(&n->ix, key, (uint32_t)n->n) < 0) {
		free(s);
		return NULL;
	}
	n->v[n->n++] = s;
	return s;
}
