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
 * is seen, while recording, and kept (record/namecache.c); a number with
 * no readable name reads as the number.
 */
#include "config.h"
#include "record/record.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rec_irqnames {
	struct rec_names *irqs; /* by number, from SYSROOT/N/actions */
	char scratch[16];       /* an unnamed softirq's number */
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

/* NAME := the actions of irq IRQ under ROOT, or its number. */
static void irq_read(const char *root, uint32_t irq, char *name,
		     size_t size)
{
	char path[512];
	size_t len = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%u/actions", root, irq);
	f = fopen(path, "re");
	if (f) {
		if (fgets(name, (int)size, f))
			len = strcspn(name, "\n");
		fclose(f);
	}
	name[len] = 0;
	if (!len)
		snprintf(name, size, "%u", irq);
}

struct rec_irqnames *rec_irqnames_new(const char *sysroot)
{
	struct rec_irqnames *n = calloc(1, sizeof(*n));

	if (!n || !(n->irqs = rec_names_new(sysroot, irq_read))) {
		free(n);
		errno = ENOMEM;
		return NULL;
	}
	return n;
}

void rec_irqnames_free(struct rec_irqnames *n)
{
	if (!n)
		return;
	rec_names_free(n->irqs);
	free(n);
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
		return rec_names_get(n->irqs, irq);
	default:
		return NULL;
	}
}
