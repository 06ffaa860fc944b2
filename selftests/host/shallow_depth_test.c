// SPDX-License-Identifier: GPL-2.0
/*
 * The shallow-depth arithmetic of module/compat.h against a model of both
 * kernels' sbitmap: for every bitmap of 1 to 1024 tags in words of 1 to 64
 * bits (shift 0 to 6: blk-mq picks sbitmap_calculate_shift()'s, and keeps
 * it when nr_requests shrinks the bitmap), the tags that requests limited
 * by elvx_shallow_depth_of()'s value can hold at once must be the async
 * depth asked for, when some shallow depth gives exactly that many; else
 * the most below it (the fewest a shallow depth gives, if even that is
 * more).
 *
 * The model is lib/sbitmap.c's, sbitmap_get_shallow() until it fails:
 *  - 6.1 (and 6.12 before 6.12.43): each word up to min(shallow, its bits);
 *  - 6.12.43 and later: word i of w bits up to w * shallow / depth bits,
 *    one more when the remainder is at least (i + 1) * w
 *    (__map_depth_with_shallow()), all of them from depth on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ELVX_COMPAT_ARITH_ONLY
#include "../../module/compat.h"
#include "../../module/elvx.h"

#include "kselftest_harness.h"

#pragma GCC diagnostic ignored "-Wsign-compare"

#define MAX_DEPTH	1024
#define MAX_SHIFT	6

/* the bits of word @i of a bitmap of @depth bits in words of 1 << @shift */
static unsigned int word_bits(unsigned int depth, unsigned int shift,
			      unsigned int i)
{
	unsigned int nr = (depth + (1U << shift) - 1) >> shift;

	return i == nr - 1 ? depth - (i << shift) : 1U << shift;
}

/* fill a bitmap with sbitmap_get_shallow(@s) until it fails: how many? */
static unsigned int model_tags(unsigned int s, unsigned int depth,
			       unsigned int shift, int whole)
{
	unsigned int nr = (depth + (1U << shift) - 1) >> shift, i, tags = 0;

	for (i = 0; i < nr; i++) {
		unsigned int w = word_bits(depth, shift, i), d;

		if (!whole) {
			d = s < w ? s : w;
		} else if (s >= depth) {
			d = w;
		} else {
			unsigned long long x = (unsigned long long)w * s;

			d = x / depth;
			if (x % depth >= (unsigned long long)(i + 1) * w)
				d++;
		}
		tags += d;
	}
	return tags;
}

/* the sbitmap shift blk-mq picks for @depth tags (include/linux/sbitmap.h) */
static unsigned int calculate_shift(unsigned int depth)
{
	unsigned int shift = 6;

	if (depth >= 4)
		while ((4U << shift) > depth)
			shift--;
	return shift;
}

/*
 * The tags each shallow depth gives, and the intended count for each
 * async depth: itself if some shallow depth gives it, else the most
 * below, else the fewest.
 */
static unsigned int intended(unsigned int depth, unsigned int shift,
			     int whole, unsigned int *want)
{
	unsigned int top = whole ? depth : 1U << shift, s, n, best, bad = 0;
	static unsigned char reach[MAX_DEPTH + 1];

	memset(reach, 0, sizeof(reach));
	for (s = 1; s <= top; s++) {
		unsigned int t = model_tags(s, depth, shift, whole);

		reach[t] = 1;
		/* compat.h's own count of them */
		bad += elvx_shallow_tags(s, depth, shift, whole) != t;
	}
	best = 0;
	for (n = 1; n <= depth; n++) {
		if (reach[n])
			best = n;
		want[n] = best;
	}
	for (n = 1; n <= depth && !want[n]; n++)
		;
	for (s = n, n = 1; n <= depth && !want[n]; n++)
		want[n] = s;
	return bad;
}

static void check_all(struct __test_metadata *_metadata, int whole,
		      const char *kernel)
{
	static unsigned int want[MAX_DEPTH + 1];
	unsigned int depth, shift, n, fails = 0, exact = 0, cases = 0;
	unsigned int counts = 0;

	for (depth = 1; depth <= MAX_DEPTH; depth++) {
		for (shift = 0; shift <= MAX_SHIFT; shift++) {
			counts += intended(depth, shift, whole, want);
			for (n = 1; n <= depth; n++) {
				unsigned int s = elvx_shallow_for(n, depth,
								  shift, whole);
				unsigned int got = model_tags(s, depth, shift,
							      whole);

				cases++;
				exact += got == n;
				if (got == want[n])
					continue;
				if (!fails++)
					TH_LOG("%s: first failure: %u tags in words of %u, async depth %u: shallow depth %u gives %u tags, not %u",
					       kernel, depth, 1U << shift, n,
					       s, got, want[n]);
			}
		}
	}
	TH_LOG("%s: %u of %u cases wrong; %u give exactly the async depth",
	       kernel, fails, cases, exact);
	EXPECT_EQ(0, fails);
	/*
	 * Over the whole bitmap, shallow depth s gives s or s - 1 tags:
	 * elvx_shallow_for() relies on it instead of searching.
	 */
	for (depth = 1, fails = 0; whole && depth <= MAX_DEPTH; depth++)
		for (shift = 0; shift <= MAX_SHIFT; shift++)
			for (n = 1; n <= depth; n++) {
				unsigned int t = model_tags(n, depth, shift, 1);

				fails += t != n && t + 1 != n;
			}
	EXPECT_EQ(0, fails);
	/* elvx_shallow_tags() counts as the model does */
	EXPECT_EQ(0, counts);
}

/* 6.1, and 6.12 before 6.12.43: shallow_depth per sbitmap word */
TEST(per_word)
{
	check_all(_metadata, 0, "per word (6.1)");
}

/* 6.12.43 and later: shallow_depth over the whole bitmap */
TEST(whole_bitmap)
{
	check_all(_metadata, 1, "whole bitmap (6.12.43+)");
}

/*
 * The default async depth, on the bitmaps blk-mq makes for every device
 * depth: a count the kernel gives exactly, on both.
 */
TEST(default_async_depth)
{
	unsigned int depth, hw, fails = 0;
	int whole;

	for (whole = 0; whole <= 1; whole++)
		for (depth = 1; depth <= MAX_DEPTH; depth++)
			for (hw = 1; hw <= depth; hw++) {
				unsigned int shift = calculate_shift(depth);
				unsigned int n = elvx_async_reach(
					elvx_async_depth(depth, hw), hw + 2,
					depth, shift, whole);
				unsigned int s = elvx_shallow_for(n, depth,
								  shift, whole);

				if (model_tags(s, depth, shift, whole) == n)
					continue;
				if (!fails++)
					TH_LOG("%s: %u tags over %u: default %u, gives %u",
					       whole ? "whole" : "per word",
					       depth, hw, n,
					       model_tags(s, depth, shift,
							  whole));
			}
	EXPECT_EQ(0, fails);
}

/* figures of Documentation/xdeadline.rst */
TEST(examples)
{
	/* 4 tags over 2 (null_blk hw_queue_depth=2): words of 1 bit */
	EXPECT_EQ(4, model_tags(elvx_shallow_for(3, 4, 0, 0), 4, 0, 0));
	EXPECT_EQ(3, model_tags(elvx_shallow_for(3, 4, 0, 1), 4, 0, 1));
	/* 64 tags: words of 16 bits, the per-word limit in steps of 4 */
	EXPECT_EQ(48, model_tags(elvx_shallow_for(48, 64, 4, 0), 64, 4, 0));
	EXPECT_EQ(44, model_tags(elvx_shallow_for(47, 64, 4, 0), 64, 4, 0));
	EXPECT_EQ(47, model_tags(elvx_shallow_for(47, 64, 4, 1), 64, 4, 1));
	/* 8 tags over 4: words of 2 bits; 6 wanted, 4 or 8 on 6.1 */
	EXPECT_EQ(8, elvx_async_reach(elvx_async_depth(8, 4), 6, 8, 1, 0));
	EXPECT_EQ(6, elvx_async_reach(elvx_async_depth(8, 4), 6, 8, 1, 1));
}

TEST_HARNESS_MAIN
