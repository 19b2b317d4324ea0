/*
 * tasks.c - the recorder's table of live threads or processes, by id.
 *
 *     struct rec_tasks *t = rec_tasks_new();
 *     struct rec_task *e = rec_tasks_put(t, tid);   // found or zeroed
 *     strcpy(e->comm, "bash");
 *     rec_tasks_get(t, tid);                         // NULL when absent
 *     rec_tasks_del(t, tid);                         // at exit
 *
 * Open addressing with linear probing and backward-shift deletion (no
 * tombstones), so the table only holds live entries: its memory follows
 * the number of live tasks, not the number ever seen.  Pointers returned
 * stay valid until the next put or del on the table.
 */
#include "config.h"
#include "record/record.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct rec_tasks {
	struct rec_task *slot; /* id 0 = empty */
	size_t cap;            /* power of two */
	size_t n;
};

static size_t task_hash(uint32_t id, size_t cap)
{
	return (size_t)((id * 0x9e3779b1u) & (cap - 1));
}

struct rec_tasks *rec_tasks_new(void)
{
	struct rec_tasks *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->cap = 1024;
	t->slot = calloc(t->cap, sizeof(*t->slot));
	if (!t->slot) {
		free(t);
		return NULL;
	}
	return t;
}

static void task_clear(struct rec_task *e)
{
	free(e->exe);
	free(e->cmdline);
	free(e->cgroup);
	memset(e, 0, sizeof(*e));
}

void rec_tasks_free(struct rec_tasks *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i].id)
			task_clear(&t->slot[i]);
	free(t->slot);
	free(t);
}

struct rec_task *rec_tasks_get(struct rec_tasks *t, uint32_t id)
{
	if (!id)
		return NULL;
	for (size_t i = task_hash(id, t->cap);; i = (i + 1) & (t->cap - 1)) {
		if (t->slot[i].id == id)
			return &t->slot[i];
		if (!t->slot[i].id)
			return NULL;
	}
}

static int tasks_grow(struct rec_tasks *t)
{
	size_t ncap = t->cap * 2;
	struct rec_task *ns = calloc(ncap, sizeof(*ns));

	if (!ns)
		return -ENOMEM;
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slot[i].id)
			continue;
		size_t j = task_hash(t->slot[i].id, ncap);

		while (ns[j].id)
			j = (j + 1) & (ncap - 1);
		ns[j] = t->slot[i];
	}
	free(t->slot);
	t->slot = ns;
	t->cap = ncap;
	return 0;
}

struct rec_task *rec_tasks_put(struct rec_tasks *t, uint32_t id)
{
	struct rec_task *e;

	if (!id) {
		errno = EINVAL;
		return NULL;
	}
	if ((e = rec_tasks_get(t, id)))
		return e;
	if ((t->n + 1) * 10 > t->cap * 7 && tasks_grow(t) < 0) {
		errno = ENOMEM;
		return NULL;
	}
	size_t i = task_hash(id, t->cap);

	while (t->slot[i].id)
		i = (i + 1) & (t->cap - 1);
	t->slot[i].id = id;
	t->n++;
	return &t->slot[i];
}

void rec_tasks_del(struct rec_tasks *t, uint32_t id)
{
	struct rec_task *e = rec_tasks_get(t, id);
	size_t i, j, mask = t->cap - 1;

	if (!e)
		return;
	task_clear(e);
	t->n--;
	/* Backward shift: move later entries of the run into the hole when
	 * their home slot does not lie between the hole and them. */
	i = (size_t)(e - t->slot);
	for (j = (i + 1) & mask; t->slot[j].id; j = (j + 1) & mask) {
		size_t home = task_hash(t->slot[j].id, t->cap);

		if (((j - home) & mask) >= ((j - i) & mask)) {
			t->slot[i] = t->slot[j];
			memset(&t->slot[j], 0, sizeof(t->slot[j]));
			i = j;
		}
	}
}

size_t rec_tasks_count(const struct rec_tasks *t)
{
	return t->n;
}
