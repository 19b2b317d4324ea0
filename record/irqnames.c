/*
 * irqnames.c - names of the interrupts that woke threads, for
 * sched_wakeup.waker_irq.
 *
 *     struct rec_irqnames *n = rec_irqnames_new("/sys/kernel/irq");
 *     rec_waker_irq_name(n, KS_WAKER_SOFTIRQ, 3);   // "NET_RX"
 *     rec_waker_irq_name(n, KS_WAKER_HARDIRQ, 24);  // "virtio0-input.0"
 *     rec_irqnames_free(n);
 *
 * The BPF side records a softirq's vector and a hardirq's number (cheaper
 * than copying a name into every wakeup).  Softirq names are the kernel's
 * own (softirq_to_name, fixed).  An irq number is named by its actions as
 * the kernel lists them in SYSROOT/N/actions ("a,b" when shared: the
 * record does not say which action ran), read the first time the number
 * is seen, while recording, and kept; a number with no readable name
 * reads as the number.
 */
#include "config.h"
#include "record/record.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IRQ_NAME_MAX 64
#define IRQ_SLOTS 256 /* a power of two; open addressing by number */

struct irq_slot {
	uint32_t irq;
	int used;
	char name[IRQ_NAME_MAX];
};

struct rec_irqnames {
	char *root;
	struct irq_slot *slots;
	size_t n, cap;
	char scratch[16]; /* an out-of-table number's text */
};

static const char *const softirq_names[] = {
	"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET",
	"SCHED", "HRTIMER", "RCU",
};

const char *rec_softirq_name(uint32_t vec)
{
	if (vec < sizeof(softirq_names) / sizeof(softirq_names[0]))
		return softirq_names[vec];
	return NULL;
}

struct rec_irqnames *rec_irqnames_new(const char *sysroot)
{
	struct rec_irqnames *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->root = strdup(sysroot);
	n->cap = IRQ_SLOTS;
	n->slots = calloc(n->cap, sizeof(*n->slots));
	if (!n->root || !n->slots) {
		rec_irqnames_free(n);
		errno = ENOMEM;
		return NULL;
	}
	return n;
}

void rec_irqnames_free(struct rec_irqnames *n)
{
	if (!n)
		return;
	free(n->root);
	free(n->slots);
	free(n);
}

/* NAME (IRQ_NAME_MAX) := the actions of irq IRQ, or its number. */
static void irq_read(const struct rec_irqnames *n, uint32_t irq, char *name)
{
	char path[512];
	size_t len = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%u/actions", n->root, irq);
	f = fopen(path, "re");
	if (f) {
		if (fgets(name, IRQ_NAME_MAX, f))
			len = strcspn(name, "\n");
		fclose(f);
	}
	name[len] = 0;
	if (!len)
		snprintf(name, IRQ_NAME_MAX, "%u", irq);
}

static struct irq_slot *irq_find(struct rec_irqnames *n, uint32_t irq)
{
	size_t i = (irq * 2654435761u) & (n->cap - 1);

	while (n->slots[i].used && n->slots[i].irq != irq)
		i = (i + 1) & (n->cap - 1);
	return &n->slots[i];
}

static int irq_grow(struct rec_irqnames *n)
{
	struct rec_irqnames big = { .cap = n->cap * 2 };

	big.slots = calloc(big.cap, sizeof(*big.slots));
	if (!big.slots)
		return -ENOMEM;
	for (size_t i = 0; i < n->cap; i++)
		if (n->slots[i].used)
			*irq_find(&big, n->slots[i].irq) = n->slots[i];
	free(n->slots);
	n->slots = big.slots;
	n->cap = big.cap;
	return 0;
}

/* The name of irq IRQ; valid until the next call. */
static const char *irq_name(struct rec_irqnames *n, uint32_t irq)
{
	struct irq_slot *s;

	if ((n->n + 1) * 2 > n->cap && irq_grow(n) < 0) {
		snprintf(n->scratch, sizeof(n->scratch), "%u", irq);
		return n->scratch;
	}
	s = irq_find(n, irq);
	if (!s->used) {
		s->used = 1;
		s->irq = irq;
		irq_read(n, irq, s->name);
		n->n++;
	}
	return s->name;
}

const char *rec_waker_irq_name(struct rec_irqnames *n, unsigned ctx,
			       uint32_t irq)
{
	if (irq == KS_WAKER_IRQ_NONE)
		return NULL;
	switch (ctx) {
	case KS_WAKER_SOFTIRQ:
		if (!rec_softirq_name(irq)) {
			snprintf(n->scratch, sizeof(n->scratch), "%u", irq);
			return n->scratch;
		}
		return rec_softirq_name(irq);
	case KS_WAKER_HARDIRQ:
		if (irq == KS_WAKER_IRQ_HRTIMER)
			return "hrtimer";
		return irq_name(n, irq);
	default:
		return NULL;
	}
}
