/*
 * synth_rng.h - the synthetic trace's random numbers: splitmix64 seeds one
 * xoshiro256** stream, and a few distributions are drawn from it.
 *
 *     struct rng r;
 *     rng_seed(&r, seed);
 *     uint64_t ns = rng_dur(&r, 4000, 1.0);  // log-normal, heavy tail
 *     uint32_t rank = rng_zipf(&r, n);       // P(k) ~ 1 / (k + 1)
 *
 * Everything is static inline and depends only on the seed: the same seed
 * gives the same numbers on every host, which is what makes synth traces
 * reproducible bit for bit.
 */
#ifndef KSCOPE_SYNTH_RNG_H
#define KSCOPE_SYNTH_RNG_H

#include <math.h>
#include <stdint.h>

struct rng {
	uint64_t s[4];
	double spare;
	int has_spare;
};

static inline uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
	r->has_spare = 0;
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_u64(struct rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* uniform in [0, 1) */
static inline double rng_unit(struct rng *r)
{
	return (double)(rng_u64(r) >> 11) * 0x1.0p-53;
}

/* uniform in [0, n); n > 0 */
static inline uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_u64(r) >> 32) * n) >> 32);
}

static inline int rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

static inline double rng_normal(struct rng *r)
{
	double u, v, q;

	if (r->has_spare) {
		r->has_spare = 0;
		return r->spare;
	}
	do {
		u = 2 * rng_unit(r) - 1;
		v = 2 * rng_unit(r) - 1;
		q = u * u + v * v;
	} while (q >= 1 || q == 0);
	q = sqrt(-2 * log(q) / q);
	r->spare = v * q;
	r->has_spare = 1;
	return u * q;
}

static inline double rng_exp(struct rng *r, double mean)
{
	return -mean * log(1 - rng_unit(r));
}

/* Log-normal around MEDIAN; one draw in 500 gets a Pareto (alpha 1.2)
 * factor on top: page faults, lock convoys, a slow disk. */
static inline uint64_t rng_dur(struct rng *r, double median, double sigma)
{
	double d = median * exp(sigma * rng_normal(r));

	if (rng_chance(r, 0.002))
		d *= fmin(1000, pow(1 - rng_unit(r), -1 / 1.2));
	if (d < 80)
		d = 80;
	if (d > 30e9)
		d = 30e9;
	return (uint64_t)d;
}

/* Rank in [0, n) with P(rank) ~ 1 / (rank + 1): Zipf, s = 1. */
static inline uint32_t rng_zipf(struct rng *r, uint32_t n)
{
	uint32_t k = (uint32_t)(exp(rng_unit(r) * log((double)n + 1)) - 1);

	return k < n ? k : n - 1;
}

#endif
