/*
 * shedctl.c - the budget's controller: from the recorder's measured cost,
 * how much detail to shed.  Pure logic (no BPF, no clock), driven by
 * record/budget.c a few times a second:
 *
 *     struct shedctl c;
 *     shedctl_init(&c, 5.0, 2 << 20);        // 5% of a CPU, 2 MiB/s
 *     every ~200 ms:
 *             if (shedctl_step(&c, cpu_pct, bytes_per_s))
 *                     apply c.level and c.shift
 *
 * The steps, from none to most: 0 nothing shed; 1 strings (KS_SHED_PAYLOAD);
 * 2 to SHEDCTL_STEPS - 1 fast successful calls sampled 1 in 2^(step - 1)
 * (KS_SHED_SAMPLE, shift 1 to KS_SHED_SHIFT_MAX).  Each measurement is
 * smoothed (half the new value, half the old).  Over budget (either
 * figure above its limit) the step goes up one, then holds for
 * SHEDCTL_HOLD measurements so that the change can show; well under (both
 * below half their limits) for SHEDCTL_CALM measurements in a row, it
 * comes down one.  The band between half and the whole limit is the
 * hysteresis: one step down at most doubles what sampling lets through,
 * which stays within the limit.
 */
#include "config.h"
#include "record/record.h"

#include <string.h>

void shedctl_init(struct shedctl *c, double cpu_max, double rate_max)
{
	memset(c, 0, sizeof(*c));
	c->cpu_max = cpu_max;
	c->rate_max = rate_max;
}

static int over(const struct shedctl *c)
{
	return (c->cpu_max > 0 && c->cpu > c->cpu_max) ||
	       (c->rate_max > 0 && c->rate > c->rate_max);
}

static int well_under(const struct shedctl *c)
{
	return (c->cpu_max <= 0 || c->cpu < c->cpu_max / 2) &&
	       (c->rate_max <= 0 || c->rate < c->rate_max / 2);
}

/* level and shift from the step */
static void shedctl_apply(struct shedctl *c)
{
	c->level = c->step == 0 ? KS_SHED_NONE :
		   c->step == 1 ? KS_SHED_PAYLOAD : KS_SHED_SAMPLE;
	c->shift = c->step >= 2 ? c->step - 1 : 0;
}

int shedctl_step(struct shedctl *c, double cpu_pct, double rate_bps)
{
	unsigned was = c->step;

	if (!c->seen) {
		c->cpu = cpu_pct;
		c->rate = rate_bps;
		c->seen = 1;
	} else {
		c->cpu = (c->cpu + cpu_pct) / 2;
		c->rate = (c->rate + rate_bps) / 2;
	}
	if (c->hold) {
		c->hold--;
		return 0;
	}
	if (over(c)) {
		c->calm = 0;
		if (c->step + 1 < SHEDCTL_STEPS) {
			c->step++;
			c->hold = SHEDCTL_HOLD;
		}
	} else if (well_under(c)) {
		if (c->step && ++c->calm >= SHEDCTL_CALM) {
			c->step--;
			c->calm = 0;
			c->hold = SHEDCTL_HOLD;
		}
	} else {
		c->calm = 0;
	}
	shedctl_apply(c);
	return c->step != was;
}
