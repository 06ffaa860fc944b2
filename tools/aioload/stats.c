// SPDX-License-Identifier: GPL-2.0
/*
 * aioload: latency histogram, percentiles and Jain's fairness index.
 */
#include <math.h>
#include <string.h>

#include "stats.h"

void hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	unsigned int i;

	if (!src->count)
		return;
	dst->count += src->count;
	dst->sum += src->sum;
	dst->sumsq += src->sumsq;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	for (i = 0; i < HIST_BUCKETS; i++)
		dst->b[i] += src->b[i];
}

/* The smallest value that falls in bucket idx. */
uint64_t hist_bucket_low(unsigned int idx)
{
	unsigned int shift;

	if (idx < 2 * HIST_SUB)
		return idx;
	shift = (idx >> HIST_SUB_BITS) - 1;
	return ((uint64_t)HIST_SUB << shift) +
	       ((uint64_t)(idx & (HIST_SUB - 1)) << shift);
}

/* The largest value that falls in bucket idx. */
uint64_t hist_bucket_high(unsigned int idx)
{
	if (idx < 2 * HIST_SUB)
		return idx;
	if (idx == HIST_BUCKETS - 1)
		return UINT64_MAX;
	return hist_bucket_low(idx + 1) - 1;
}

/*
 * The pct-th percentile of the values counted in b: the bucket holding the
 * value of rank ceil(pct/100 * count), reported as the middle of that bucket
 * and clamped to the exact [min, max] seen, so that p0 and p100 are exact.
 */
uint64_t hist_buckets_percentile(const uint64_t *b, uint64_t count, double pct,
				 uint64_t min, uint64_t max)
{
	uint64_t rank, seen = 0, lo, hi, v;
	unsigned int i;

	if (!count)
		return 0;
	if (pct <= 0)
		return min;
	if (pct >= 100)
		return max;
	rank = (uint64_t)ceil(pct / 100.0 * (double)count);
	if (rank < 1)
		rank = 1;
	if (rank > count)
		rank = count;
	for (i = 0; i < HIST_BUCKETS; i++) {
		seen += b[i];
		if (seen >= rank)
			break;
	}
	if (i == HIST_BUCKETS)
		return max;
	lo = hist_bucket_low(i);
	hi = hist_bucket_high(i);
	if (hi > max)
		hi = max;
	if (lo < min)
		lo = min;
	v = lo + (hi - lo) / 2;
	if (v < min)
		v = min;
	if (v > max)
		v = max;
	return v;
}

uint64_t hist_percentile(const struct hist *h, double pct)
{
	return hist_buckets_percentile(h->b, h->count, pct, h->min, h->max);
}

double hist_mean(const struct hist *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0.0;
}

double hist_stddev(const struct hist *h)
{
	double mean, var;

	if (h->count < 2)
		return 0.0;
	mean = hist_mean(h);
	var = (h->sumsq - (double)h->count * mean * mean) /
	      (double)(h->count - 1);
	return var > 0 ? sqrt(var) : 0.0;
}

/*
 * Jain's fairness index of n allocations: (sum x)^2 / (n * sum x^2), 1 when
 * all are equal, 1/n when one job got everything.  0 when nobody got any.
 */
double jain_index(const double *x, int n)
{
	double s = 0, s2 = 0;
	int i;

	for (i = 0; i < n; i++) {
		s += x[i];
		s2 += x[i] * x[i];
	}
	if (n <= 0 || s2 == 0)
		return 0.0;
	return s * s / ((double)n * s2);
}
