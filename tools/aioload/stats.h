/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aioload: latency histogram and fairness arithmetic.
 *
 * The histogram is log-linear, like fio's and HdrHistogram's: values below
 * 2 * HIST_SUB are counted exactly, and every power of two above is split
 * into HIST_SUB equal buckets, so a bucket is never wider than 1/HIST_SUB
 * (1.6%) of the values it holds.  Values are nanoseconds.
 */
#ifndef AIOLOAD_STATS_H
#define AIOLOAD_STATS_H

#include <stdint.h>

#define HIST_SUB_BITS 6
#define HIST_SUB (1U << HIST_SUB_BITS)
#define HIST_MAX_BITS 40 /* 2^40 ns: values above share the last bucket */
#define HIST_BUCKETS ((HIST_MAX_BITS - HIST_SUB_BITS + 1) * HIST_SUB)

struct hist {
	uint64_t count;
	uint64_t sum;
	uint64_t min;
	uint64_t max;
	double sumsq;
	uint64_t b[HIST_BUCKETS];
};

static inline unsigned int hist_index(uint64_t v)
{
	unsigned int msb, shift;

	if (v < 2 * HIST_SUB)
		return v;
	msb = 63 - __builtin_clzll(v);
	if (msb >= HIST_MAX_BITS)
		return HIST_BUCKETS - 1;
	shift = msb - HIST_SUB_BITS;
	return ((shift + 1) << HIST_SUB_BITS) + ((v >> shift) & (HIST_SUB - 1));
}

static inline void hist_add(struct hist *h, uint64_t v)
{
	h->count++;
	h->sum += v;
	h->sumsq += (double)v * (double)v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->b[hist_index(v)]++;
}

void hist_init(struct hist *h);
void hist_merge(struct hist *dst, const struct hist *src);
uint64_t hist_bucket_low(unsigned int idx);
uint64_t hist_bucket_high(unsigned int idx);
uint64_t hist_buckets_percentile(const uint64_t *b, uint64_t count, double pct,
				 uint64_t min, uint64_t max);
uint64_t hist_percentile(const struct hist *h, double pct);
double hist_mean(const struct hist *h);
double hist_stddev(const struct hist *h);

double jain_index(const double *x, int n);

#endif
