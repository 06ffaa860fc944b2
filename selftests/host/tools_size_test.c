// SPDX-License-Identifier: GPL-2.0
/*
 * The size parser aioload and hddsim share (tools/common/size.c): a table
 * of inputs and the exact value or error each must give.
 */
#include <errno.h>
#include <stdint.h>

#include "kselftest_harness.h"
#include "../../tools/common/size.c"

#define KIB 1024ULL
#define MIB (KIB * KIB)
#define GIB (MIB * KIB)
#define TIB (GIB * KIB)
#define PIB (TIB * KIB)

struct size_case {
	const char *in;
	int err; /* 0, -EINVAL or -ERANGE */
	uint64_t want;
};

static const struct size_case good[] = {
	/* bare numbers are bytes, with an optional b */
	{ "0", 0, 0 },
	{ "1", 0, 1 },
	{ "512", 0, 512 },
	{ "512b", 0, 512 },
	{ "512B", 0, 512 },
	{ "007", 0, 7 },
	{ "18446744073709551615", 0, UINT64_MAX },
	/* the prefixes are powers of 1024, in any case */
	{ "4k", 0, 4 * KIB },
	{ "4K", 0, 4 * KIB },
	{ "1m", 0, MIB },
	{ "1M", 0, MIB },
	{ "2g", 0, 2 * GIB },
	{ "2G", 0, 2 * GIB },
	{ "3t", 0, 3 * TIB },
	{ "3T", 0, 3 * TIB },
	{ "1p", 0, PIB },
	{ "1P", 0, PIB },
	/* fio's kb_base=1024: kB, KB and kb are k */
	{ "4kb", 0, 4 * KIB },
	{ "4kB", 0, 4 * KIB },
	{ "4KB", 0, 4 * KIB },
	{ "4Kb", 0, 4 * KIB },
	{ "1MB", 0, MIB },
	{ "8GB", 0, 8 * GIB },
	/* the IEC forms: 1024 too (fio's kb_base=1024 would take 1000) */
	{ "4KiB", 0, 4 * KIB },
	{ "4kib", 0, 4 * KIB },
	{ "4KIB", 0, 4 * KIB },
	{ "4Ki", 0, 4 * KIB },
	{ "4ki", 0, 4 * KIB },
	{ "1MiB", 0, MIB },
	{ "2GiB", 0, 2 * GIB },
	{ "16TiB", 0, 16 * TIB },
	{ "1PiB", 0, PIB },
	/* hexadecimal, as fio takes it */
	{ "0x0", 0, 0 },
	{ "0x1000", 0, 4096 },
	{ "0X1000", 0, 4096 },
	{ "0xff", 0, 255 },
	{ "0xFF", 0, 255 },
	{ "0x1b", 0, 27 },
	{ "0x10k", 0, 16 * KIB },
	{ "0x10kb", 0, 16 * KIB },
	{ "0x1g", 0, GIB },
	{ "0xffffffffffffffff", 0, UINT64_MAX },
	/* the largest of each prefix */
	{ "16777215t", 0, 16777215 * TIB },
	{ "16383p", 0, 16383 * PIB },
	{ "17179869183g", 0, 17179869183ULL * GIB },
};

static const struct size_case bad[] = {
	/* empty, signs, blanks */
	{ "", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ "-1G", -EINVAL, 0 },
	{ "+1", -EINVAL, 0 },
	{ " 1", -EINVAL, 0 },
	{ "1 ", -EINVAL, 0 },
	{ "1 k", -EINVAL, 0 },
	{ "\t4k", -EINVAL, 0 },
	/* no number */
	{ "k", -EINVAL, 0 },
	{ "b", -EINVAL, 0 },
	{ "KiB", -EINVAL, 0 },
	{ "0x", -EINVAL, 0 },
	{ "0xk", -EINVAL, 0 },
	{ "x10", -EINVAL, 0 },
	/* garbage after the number */
	{ "4q", -EINVAL, 0 },
	{ "8X", -EINVAL, 0 },
	{ "4kk", -EINVAL, 0 },
	{ "4kbb", -EINVAL, 0 },
	{ "4kib ", -EINVAL, 0 },
	{ "4ib", -EINVAL, 0 },
	{ "4i", -EINVAL, 0 },
	{ "4bk", -EINVAL, 0 },
	{ "4e", -EINVAL, 0 },
	{ "4z", -EINVAL, 0 },
	{ "1.5g", -EINVAL, 0 },
	{ "1e3", -EINVAL, 0 },
	{ "12abc", -EINVAL, 0 },
	{ "0x1h", -EINVAL, 0 },
	{ "0x-1", -EINVAL, 0 },
	{ "4k\n", -EINVAL, 0 },
	/* a syntax error is reported before an overflow */
	{ "99999999999999999999q", -EINVAL, 0 },
	/* more than 64 bits */
	{ "18446744073709551616", -ERANGE, 0 },
	{ "99999999999999999999", -ERANGE, 0 },
	{ "0x10000000000000000", -ERANGE, 0 },
	{ "16777216t", -ERANGE, 0 },
	{ "16384p", -ERANGE, 0 },
	{ "17179869184g", -ERANGE, 0 },
	{ "18446744073709551615k", -ERANGE, 0 },
	{ "99999999999999999999k", -ERANGE, 0 },
};

static void check(struct __test_metadata *_metadata, const struct size_case *c,
		  size_t n)
{
	const uint64_t untouched = 0x5a5a5a5a5a5a5a5aULL;
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t v = untouched;
		int err = size_parse(c[i].in, &v);

		if (err != c[i].err || v != (c[i].err ? untouched : c[i].want))
			TH_LOG("'%s': got %d, %llu; want %d, %llu", c[i].in,
			       err, (unsigned long long)v, c[i].err,
			       (unsigned long long)c[i].want);
		EXPECT_EQ(c[i].err, err);
		EXPECT_EQ(c[i].err ? untouched : c[i].want, v);
	}
}

TEST(sizes)
{
	check(_metadata, good, ARRAY_SIZE(good));
}

TEST(not_sizes)
{
	check(_metadata, bad, ARRAY_SIZE(bad));
}

TEST_HARNESS_MAIN
