// SPDX-License-Identifier: GPL-2.0
/*
 * aioload: unit test of the histogram, the percentiles and Jain's index.
 * Prints TAP.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "stats.h"

static int tests, failed;

static void ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#include <stdarg.h>

static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tests++;
	if (!cond)
		failed++;
	printf("%sok %d - ", cond ? "" : "not ", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The exact percentile, with the same rank rule: ceil(p/100 * n). */
static uint64_t exact_pct(const uint64_t *sorted, size_t n, double p)
{
	size_t rank;

	if (p <= 0)
		return sorted[0];
	if (p >= 100)
		return sorted[n - 1];
	rank = (size_t)ceil(p / 100.0 * n);
	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

/* within one bucket's width: 1/64 relative, exact below 128 */
static int close_enough(uint64_t got, uint64_t want)
{
	double tol = want < 2 * HIST_SUB ? 0 : (double)want / HIST_SUB + 1;

	return fabs((double)got - (double)want) <= tol;
}

static void test_buckets(void)
{
	uint64_t v, prev_hi = 0;
	unsigned int i, bad = 0, idx;

	for (i = 0; i < HIST_BUCKETS - 1; i++) {
		uint64_t lo = hist_bucket_low(i), hi = hist_bucket_high(i);

		if (lo > hi || (i && lo != prev_hi + 1) ||
		    hist_index(lo) != i || hist_index(hi) != i)
			bad++;
		if (lo >= 2 * HIST_SUB &&
		    (double)(hi - lo + 1) > (double)lo / HIST_SUB + 1)
			bad++;
		prev_hi = hi;
	}
	ok(!bad, "buckets tile the values, each at most 1/%u wide", HIST_SUB);

	bad = 0;
	for (v = 0; v < 1000000; v += 7) {
		idx = hist_index(v);
		if (v < hist_bucket_low(idx) || v > hist_bucket_high(idx))
			bad++;
	}
	ok(!bad, "every value falls in the bucket hist_index gives");
	ok(hist_index(1ULL << 50) == HIST_BUCKETS - 1,
	   "values past 2^%d share the last bucket", HIST_MAX_BITS);
	ok(hist_index(0) == 0 && hist_index(127) == 127,
	   "values below %u are exact", 2 * HIST_SUB);
}

static void check_set(const char *what, uint64_t *vals, size_t n)
{
	static const double pcts[] = { 0, 1, 10, 50, 90, 99, 99.9, 100 };
	struct hist *h = malloc(sizeof(*h));
	uint64_t *sorted = malloc(n * sizeof(*sorted));
	double sum = 0, sumsq = 0, mean, sd;
	unsigned int k, bad = 0;
	size_t i;

	hist_init(h);
	for (i = 0; i < n; i++) {
		hist_add(h, vals[i]);
		sum += vals[i];
	}
	memcpy(sorted, vals, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	mean = sum / n;
	for (i = 0; i < n; i++)
		sumsq += (vals[i] - mean) * (vals[i] - mean);
	sd = n > 1 ? sqrt(sumsq / (n - 1)) : 0;

	ok(h->count == n && h->min == sorted[0] && h->max == sorted[n - 1],
	   "%s: count, min and max are exact", what);
	ok(fabs(hist_mean(h) - mean) < 1e-6 * mean + 1e-9,
	   "%s: mean %.3f is exact", what, hist_mean(h));
	ok(fabs(hist_stddev(h) - sd) < 1e-6 * sd + 1e-6,
	   "%s: stddev %.3f matches %.3f", what, hist_stddev(h), sd);
	for (k = 0; k < sizeof(pcts) / sizeof(pcts[0]); k++) {
		uint64_t got = hist_percentile(h, pcts[k]);
		uint64_t want = exact_pct(sorted, n, pcts[k]);

		if (!close_enough(got, want)) {
			bad++;
			printf("# %s: p%g = %llu, want %llu\n", what, pcts[k],
			       (unsigned long long)got,
			       (unsigned long long)want);
		}
	}
	ok(!bad, "%s: p0 p1 p10 p50 p90 p99 p99.9 p100 within one bucket",
	   what);
	free(h);
	free(sorted);
}

static void test_percentiles(void)
{
	uint64_t *v = malloc(100000 * sizeof(*v));
	uint64_t x = 12345;
	size_t i;
	struct hist *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));

	/* 1..100: everything exact */
	for (i = 0; i < 100; i++)
		v[i] = i + 1;
	check_set("1..100", v, 100);
	hist_init(a);
	for (i = 0; i < 100; i++)
		hist_add(a, v[i]);
	ok(hist_percentile(a, 50) == 50 && hist_percentile(a, 90) == 90 &&
		   hist_percentile(a, 99) == 99 &&
		   hist_percentile(a, 99.9) == 100,
	   "1..100: p50=50 p90=90 p99=99 p99.9=100 exactly");

	/* a known latency-like set: 1000 values in microseconds */
	for (i = 0; i < 1000; i++)
		v[i] = (i < 900 ? 10000 + 10 * i :
			i < 990 ? 100000 + 1000 * (i - 900) :
				  5000000 + i);
	check_set("bimodal 10us-5ms", v, 1000);
	hist_init(a);
	for (i = 0; i < 1000; i++)
		hist_add(a, v[i]);
	ok(close_enough(hist_percentile(a, 90), 18990) &&
		   close_enough(hist_percentile(a, 99), 189000),
	   "bimodal: p90 ~ 18990ns, p99 ~ 189000ns (got %llu, %llu)",
	   (unsigned long long)hist_percentile(a, 90),
	   (unsigned long long)hist_percentile(a, 99));

	/* 100000 pseudo-random values over six decades */
	for (i = 0; i < 100000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v[i] = (x % 1000) * (1ULL << (x >> 58) % 20) + 1;
	}
	check_set("random 1ns-500ms", v, 100000);

	/* merging two halves gives the same as one histogram */
	hist_init(a);
	hist_init(b);
	for (i = 0; i < 50000; i++)
		hist_add(a, v[i]);
	for (; i < 100000; i++)
		hist_add(b, v[i]);
	hist_merge(a, b);
	hist_init(b);
	for (i = 0; i < 100000; i++)
		hist_add(b, v[i]);
	ok(!memcmp(a->b, b->b, sizeof(a->b)) && a->count == b->count &&
		   a->min == b->min && a->max == b->max && a->sum == b->sum,
	   "merge of two halves equals the whole");

	hist_init(a);
	ok(hist_percentile(a, 50) == 0 && hist_mean(a) == 0,
	   "empty histogram gives 0");
	hist_add(a, 1ULL << 45);
	ok(hist_percentile(a, 99) == 1ULL << 45,
	   "a value past the last bucket is reported exactly (clamped to max)");
	free(a);
	free(b);
	free(v);
}

static void test_jain(void)
{
	double eq[4] = { 5, 5, 5, 5 }, one[4] = { 8, 0, 0, 0 };
	double two[2] = { 1, 3 }, zero[3] = { 0, 0, 0 };

	ok(fabs(jain_index(eq, 4) - 1.0) < 1e-12, "Jain: equal shares give 1");
	ok(fabs(jain_index(one, 4) - 0.25) < 1e-12,
	   "Jain: one job of four served gives 1/4");
	ok(fabs(jain_index(two, 2) - 0.8) < 1e-12,
	   "Jain: 1 and 3 give 16/20 = 0.8");
	ok(jain_index(zero, 3) == 0, "Jain: nobody served gives 0");
}

static void test_crc(void)
{
	static char buf[4096];
	unsigned int i;
	uint32_t whole, parts;

	ok(crc32c(0, "123456789", 9) == 0xe3069283,
	   "crc32c(\"123456789\") = 0xe3069283");
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i * 7 + 3;
	whole = crc32c(0, buf, sizeof(buf));
	parts = crc32c(crc32c(0, buf, 1000), buf + 1000, sizeof(buf) - 1000);
	ok(whole == parts, "crc32c of a block equals crc32c of its two parts");
	buf[100] ^= 1;
	ok(crc32c(0, buf, sizeof(buf)) != whole,
	   "one flipped bit changes the crc");
}

int main(void)
{
	printf("TAP version 13\n");
	test_buckets();
	test_percentiles();
	test_jain();
	test_crc();
	printf("1..%d\n", tests);
	printf("# %d passed, %d failed\n", tests - failed, failed);
	return failed ? 1 : 0;
}
