// SPDX-License-Identifier: GPL-2.0
/*
 * The hddsim disk model against its documented figures: the seek curve
 * meets the track-to-track, average and full-stroke times and grows with
 * distance; rotational latency averages half a revolution; sequential
 * reads run at the zone's rate; zones slow down inwards; the read cache
 * and read-ahead behave.
 */
#include <math.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "../../tools/hddsim/model.c"

/* within a relative tolerance, logging both values */
#define EXPECT_NEAR_REL(want, got, rel)                                    \
	do {                                                               \
		double __w = (want), __g = (got);                          \
		if (fabs(__g - __w) > (rel)*fabs(__w))                     \
			TH_LOG("%s = %.4f, want %.4f within %.1f%%", #got, \
			       __g, __w, 100.0 * (rel));                   \
		EXPECT_TRUE(fabs(__g - __w) <= (rel)*fabs(__w));           \
	} while (0)

static uint64_t rnd64(void)
{
	return ((uint64_t)random() << 31) ^ (uint64_t)random();
}

static void model_init(struct __test_metadata *_metadata, struct hdd_model *m,
		       struct hdd_params *p)
{
	char err[256] = "";
	int ret = hdd_init(m, p, err, sizeof(err));

	if (ret)
		TH_LOG("hdd_init: %s", err);
	ASSERT_EQ(0, ret);
}

TEST(geometry)
{
	struct hdd_params p;
	struct hdd_model m;
	uint64_t lba;

	hdd_params_default(&p);
	model_init(_metadata, &m, &p);
	TH_LOG("%u zones, %u tracks, %u cylinders, spt %u..%u, x0 %.4f, settle %.3f ms",
	       m.nzones, m.tracks, m.cylinders, m.zone[0].spt,
	       m.zone[m.nzones - 1].spt, m.seek_x0, m.seek_a / 1e6);
	EXPECT_EQ(p.capacity / HDD_SECTOR, m.sectors);
	EXPECT_GE(m.cylinders, 1000U);
	EXPECT_GE(m.nzones, p.zones - 1);
	/* every sector maps to one place, tracks in order */
	for (lba = 0; lba < m.sectors; lba += m.sectors / 9973) {
		uint32_t s, spt, t = hdd_track(&m, lba, &s, &spt);

		ASSERT_LT(s, spt);
		ASSERT_LT(t, m.tracks);
		if (lba)
			ASSERT_GE(t, hdd_track(&m, lba - 1, NULL, NULL));
	}
	EXPECT_EQ(m.tracks - 1, hdd_track(&m, m.sectors - 1, NULL, NULL));
	hdd_free(&m);
}

TEST(seek_monotonic)
{
	struct hdd_params p;
	struct hdd_model m;
	double prev = 0;
	uint32_t d;

	hdd_params_default(&p);
	model_init(_metadata, &m, &p);
	EXPECT_TRUE(hdd_seek_time(&m, 0) == 0);
	for (d = 1; d < m.cylinders; d++) {
		double t = hdd_seek_time(&m, d);

		ASSERT_TRUE(t > prev);
		prev = t;
	}
	hdd_free(&m);
}

TEST(seek_figures)
{
	struct hdd_params p;
	struct hdd_model m;
	double sum = 0;
	int i, n = 0;

	hdd_params_default(&p);
	model_init(_metadata, &m, &p);
	EXPECT_NEAR_REL(p.seek_track_ms, hdd_seek_time(&m, 1) / 1e6, 0.001);
	EXPECT_NEAR_REL(p.seek_full_ms,
			hdd_seek_time(&m, m.cylinders - 1) / 1e6, 0.001);
	srandom(1);
	for (i = 0; i < 400000; i++) {
		uint32_t a = random() % m.cylinders, b = random() % m.cylinders;

		if (a == b)
			continue;
		sum += hdd_seek_time(&m, a > b ? a - b : b - a);
		n++;
	}
	EXPECT_NEAR_REL(p.seek_avg_ms, sum / n / 1e6, 0.02);
	/* the settle time, the curve's start, is positive */
	EXPECT_TRUE(m.seek_a > 0);
	hdd_free(&m);
}

TEST(seek_other_figures)
{
	struct hdd_params p;
	struct hdd_model m;
	double sum = 0;
	int i;

	hdd_params_default(&p);
	p.seek_track_ms = 0.3;
	p.seek_avg_ms = 4.0;
	p.seek_full_ms = 8.0;
	p.capacity = 64ULL << 30;
	model_init(_metadata, &m, &p);
	EXPECT_NEAR_REL(0.3, hdd_seek_time(&m, 1) / 1e6, 0.001);
	EXPECT_NEAR_REL(8.0, hdd_seek_time(&m, m.cylinders - 1) / 1e6, 0.001);
	srandom(2);
	for (i = 0; i < 200000; i++) {
		uint32_t a = random() % m.cylinders, b = random() % m.cylinders;

		sum += hdd_seek_time(&m, a > b ? a - b : b - a);
	}
	EXPECT_NEAR_REL(4.0, sum / i / 1e6, 0.02);
	hdd_free(&m);
}

TEST(bad_params)
{
	struct hdd_params p;
	struct hdd_model m;
	char err[256];

	hdd_params_default(&p);
	p.rpm = 100;
	EXPECT_EQ(-1, hdd_init(&m, &p, err, sizeof(err)));
	hdd_params_default(&p);
	p.seek_avg_ms = 16; /* beyond a pure square-root curve */
	EXPECT_EQ(-1, hdd_init(&m, &p, err, sizeof(err)));
	TH_LOG("%s", err);
	hdd_params_default(&p);
	p.seek_avg_ms = 3; /* below a straight line */
	EXPECT_EQ(-1, hdd_init(&m, &p, err, sizeof(err)));
	hdd_params_default(&p);
	p.inner_mbps = 300;
	EXPECT_EQ(-1, hdd_init(&m, &p, err, sizeof(err)));
	hdd_params_default(&p);
	p.capacity = 1 << 20;
	EXPECT_EQ(-1, hdd_init(&m, &p, err, sizeof(err)));
	TH_LOG("%s", err);
	hdd_params_default(&p);
	p.capacity = (8ULL << 30) + 1;
	EXPECT_EQ(-1, hdd_init(&m, &p, err, sizeof(err)));
}

TEST(rotation_average_half_revolution)
{
	struct hdd_params p;
	struct hdd_model m;
	double sum = 0, max = 0;
	int i, n = 200000;

	hdd_params_default(&p);
	model_init(_metadata, &m, &p);
	EXPECT_NEAR_REL(60e9 / 7200, m.rev, 1e-9);
	srandom(3);
	for (i = 0; i < n; i++) {
		uint64_t lba = rnd64() % m.sectors;
		double t = (double)(rnd64() % 1000000000000ULL);
		double w = hdd_rot_wait(&m, lba, t);

		sum += w;
		if (w > max)
			max = w;
		/* after the wait the sector is under the head */
		ASSERT_TRUE(fabs(fmod(t + w, m.rev) / m.rev -
				 hdd_angle(&m, lba)) < 1e-6 ||
			    fabs(fmod(t + w, m.rev) / m.rev -
				 hdd_angle(&m, lba)) > 1 - 1e-6);
	}
	EXPECT_NEAR_REL(m.rev / 2, sum / n, 0.01);
	EXPECT_TRUE(max < m.rev);
	hdd_free(&m);
}

/* The next sector after a transfer comes under the head after a switch. */
TEST(track_skew)
{
	struct hdd_params p;
	struct hdd_model m;
	unsigned int z;

	hdd_params_default(&p);
	model_init(_metadata, &m, &p);
	for (z = 0; z < m.nzones; z++) {
		const struct hdd_zone *zn = &m.zone[z];
		uint64_t a = zn->first_lba + zn->spt / 3;
		uint64_t b = zn->first_lba + zn->spt * 3; /* track 3's start */
		double t0 = hdd_angle(&m, a) * m.rev + 77 * m.rev;
		double t1 = t0 + hdd_seq_time(&m, a, b);
		uint32_t tr = hdd_track(&m, b, NULL, NULL);
		double sw = tr % p.heads ? m.t_head : m.t_cyl;

		EXPECT_TRUE(fabs(hdd_rot_wait(&m, b, t1) - sw) < 1);
		/* mid-track: no wait at all */
		t1 = t0 + hdd_seq_time(&m, a, a + 7);
		EXPECT_TRUE(hdd_rot_wait(&m, a + 7, t1) < 1 ||
			    hdd_rot_wait(&m, a + 7, t1) > m.rev - 1);
	}
	hdd_free(&m);
}

TEST(zone_rates_fall_inwards)
{
	struct hdd_params p;
	struct hdd_model m;
	unsigned int z;

	hdd_params_default(&p);
	model_init(_metadata, &m, &p);
	for (z = 1; z < m.nzones; z++) {
		EXPECT_LT(m.zone[z].spt, m.zone[z - 1].spt);
		EXPECT_TRUE(hdd_zone_mbps(&m, z) < hdd_zone_mbps(&m, z - 1));
	}
	EXPECT_NEAR_REL(p.outer_mbps, hdd_zone_mbps(&m, 0), 0.005);
	EXPECT_NEAR_REL(p.inner_mbps + (p.outer_mbps - p.inner_mbps) *
					       (p.zones - m.nzones) /
					       (p.zones - 1),
			hdd_zone_mbps(&m, m.nzones - 1), 0.005);
	TH_LOG("zone rates %.1f .. %.1f MB/s", hdd_zone_mbps(&m, 0),
	       hdd_zone_mbps(&m, m.nzones - 1));
	hdd_free(&m);
}

/* A long read from the media runs at the zone's sustained rate. */
TEST(sequential_media_rate)
{
	struct hdd_params p;
	struct hdd_model m;
	struct hdd_cost c;
	unsigned int z;

	hdd_params_default(&p);
	p.cache_kb = 0;
	model_init(_metadata, &m, &p);
	for (z = 0; z < m.nzones; z += m.nzones - 1) {
		uint64_t lba = m.zone[z].first_lba;
		uint32_t n = 32768; /* 16 MiB */

		hdd_service(&m, 1e9, HDD_READ, lba, n, &c);
		EXPECT_NEAR_REL(hdd_zone_mbps(&m, z), n * 512.0 / c.xfer * 1e3,
				0.02);
		if (!z && m.nzones == 1)
			break;
	}
	hdd_free(&m);
}

/*
 * Back-to-back sequential reads: without a cache each 4 KiB read misses a
 * revolution; with read-ahead 64 KiB reads run at the media rate.
 */
TEST(sequential_small_reads)
{
	struct hdd_params p;
	struct hdd_model m;
	struct hdd_cost c;
	uint64_t lba = 1000;
	double t = 1e9, t0 = 0, gap = 30e3; /* 30 us host turnaround */
	int i, n = 2000, cached;

	for (cached = 0; cached < 2; cached++) {
		uint32_t len = cached ? 128 : 8;

		hdd_params_default(&p);
		if (!cached)
			p.cache_kb = 0;
		model_init(_metadata, &m, &p);
		for (i = 0; i < n; i++) {
			hdd_service(&m, t, HDD_READ, lba, len, &c);
			if (i == 0)
				t0 = c.done;
			t = c.done + gap;
			lba += len;
		}
		if (!cached) {
			EXPECT_NEAR_REL(m.rev, (c.done - t0) / (n - 1), 0.02);
		} else {
			double mbps = (n - 1) * 65536.0 / (c.done - t0) * 1e3;

			TH_LOG("64 KiB sequential reads with read-ahead: %.1f MB/s",
			       mbps);
			EXPECT_NEAR_REL(hdd_zone_mbps(&m, 0), mbps, 0.05);
		}
		hdd_free(&m);
	}
}

/* Random 4 KiB reads: overhead + average seek + half a revolution. */
TEST(random_reads)
{
	struct hdd_params p;
	struct hdd_model m;
	struct hdd_cost c;
	double t = 0, sum = 0, seek = 0, rot = 0;
	int i, n = 20000;

	hdd_params_default(&p);
	model_init(_metadata, &m, &p);
	srandom(4);
	for (i = 0; i < n; i++) {
		hdd_service(&m, t, HDD_READ, (rnd64() % (m.sectors / 8)) * 8, 8,
			    &c);
		sum += c.done - c.start;
		seek += c.seek;
		rot += c.rot;
		t = c.done + (random() % 1000) * 1e3;
	}
	TH_LOG("random 4k reads: %.2f ms (seek %.2f, rotation %.2f), %.0f IOPS",
	       sum / n / 1e6, seek / n / 1e6, rot / n / 1e6, 1e9 * n / sum);
	/* LBA-uniform targets sit more on the outer, larger cylinders */
	EXPECT_NEAR_REL(p.seek_avg_ms, seek / n / 1e6, 0.12);
	EXPECT_NEAR_REL(m.rev / 2, rot / n, 0.03);
	EXPECT_NEAR_REL(p.overhead_us / 1e3 + p.seek_avg_ms + m.rev / 2e6,
			sum / n / 1e6, 0.1);
	hdd_free(&m);
}

TEST(cache_hits_and_writes)
{
	struct hdd_params p;
	struct hdd_model m;
	struct hdd_cost c;
	double t = 1e9;

	hdd_params_default(&p);
	model_init(_metadata, &m, &p);
	hdd_service(&m, t, HDD_READ, 5000000, 8, &c);
	EXPECT_EQ(HDD_MISS, (int)c.hit);
	hdd_service(&m, c.done + 1e6, HDD_READ, 100, 8, &c);
	EXPECT_EQ(HDD_MISS, (int)c.hit);
	/* the first segment was frozen, and still holds the data */
	hdd_service(&m, c.done + 1e6, HDD_READ, 5000000, 8, &c);
	EXPECT_EQ(HDD_HIT, (int)c.hit);
	EXPECT_TRUE(c.done - c.start < 0.2e6);
	/* a write drops it */
	hdd_service(&m, c.done, HDD_WRITE, 5000004, 1, &c);
	EXPECT_EQ(HDD_MISS, (int)c.hit);
	hdd_service(&m, c.done, HDD_READ, 5000000, 8, &c);
	EXPECT_EQ(HDD_MISS, (int)c.hit);
	/* flush and trim do not touch the media */
	hdd_service(&m, c.done, HDD_FLUSH, 0, 0, &c);
	EXPECT_EQ(HDD_NOMEDIA, (int)c.hit);
	EXPECT_TRUE(c.done - c.start == m.ovh);
	hdd_service(&m, c.done, HDD_TRIM, 5000000, 8, &c);
	EXPECT_EQ(HDD_NOMEDIA, (int)c.hit);
	hdd_service(&m, c.done + 1e6, HDD_READ, 5000000, 8, &c);
	EXPECT_EQ(HDD_MISS, (int)c.hit);
	hdd_free(&m);
}

/* hdd_plan() is a pure function of the state and the time. */
TEST(plan_is_pure)
{
	struct hdd_params p;
	struct hdd_model m;
	struct hdd_cost a, b;
	double base;
	int i;

	hdd_params_default(&p);
	model_init(_metadata, &m, &p);
	hdd_service(&m, 0, HDD_READ, 12345, 64, &a);
	base = a.done;
	for (i = 0; i < 1000; i++) {
		uint64_t lba = rnd64() % (m.sectors - 8);

		hdd_plan(&m, base + i * 1e5, HDD_READ, lba, 8, &a);
		hdd_plan(&m, base + i * 1e5, HDD_READ, lba, 8, &b);
		ASSERT_TRUE(a.done == b.done);
	}
	hdd_free(&m);
}

/*
 * The write cache takes writes at the interface rate, writes them back in
 * the background when idle, in C-LOOK order, and all of them on a flush.
 */
TEST(write_cache)
{
	struct hdd_params p;
	struct hdd_model m;
	struct hdd_cost c;
	double t = 1e9, d;
	int i;

	hdd_params_default(&p);
	p.wcache_kb = 4096;
	model_init(_metadata, &m, &p);
	srandom(7);
	for (i = 0; i < 100; i++) {
		hdd_service(&m, t, HDD_WRITE, (rnd64() % (m.sectors / 8)) * 8,
			    8, &c);
		ASSERT_EQ(HDD_WCACHE, (int)c.hit);
		ASSERT_TRUE(c.done - c.start < 0.1e6);
		t = c.done + 10e3;
	}
	/* one write-back started meanwhile */
	EXPECT_EQ(99U, m.ndirty);
	EXPECT_EQ(792U, m.dirty_sectors);
	/* dirty data reads from the cache */
	hdd_service(&m, t, HDD_READ, m.dirty[5].lba, 8, &c);
	EXPECT_EQ(HDD_HIT, (int)c.hit);
	t = c.done;
	/* a flush writes everything back: short seeks, C-LOOK */
	hdd_service(&m, t, HDD_FLUSH, 0, 0, &c);
	d = c.done - c.start;
	TH_LOG("flush of 100 random 4 KiB writes: %.1f ms", d / 1e6);
	EXPECT_TRUE(d > 99 * 2e6 && d < 99 * 13e6);
	EXPECT_EQ(0U, m.ndirty);
	EXPECT_EQ(0U, m.dirty_sectors);
	t = c.done;

	/* written back in the background when idle */
	for (i = 0; i < 50; i++) {
		hdd_service(&m, t, HDD_WRITE, (rnd64() % (m.sectors / 8)) * 8,
			    8, &c);
		t = c.done + 10e3;
	}
	EXPECT_EQ(49U, m.ndirty);
	hdd_service(&m, t + 2e9, HDD_READ, 0, 8, &c);
	EXPECT_EQ(0U, m.ndirty);
	EXPECT_EQ(HDD_MISS, (int)c.hit);
	EXPECT_TRUE(c.wait == 0);
	t = c.done;
	/* a read just after writes waits for at most one write-back */
	for (i = 0; i < 10; i++) {
		hdd_service(&m, t, HDD_WRITE, (rnd64() % (m.sectors / 8)) * 8,
			    8, &c);
		t = c.done + 10e3;
	}
	hdd_service(&m, c.done + 1e6, HDD_READ, m.sectors / 2, 8, &c);
	EXPECT_TRUE(c.wait < 30e6);
	EXPECT_TRUE(m.ndirty >= 9);

	/* FUA writes go to the media */
	hdd_service(&m, c.done, HDD_WRITE_FUA, 12345, 8, &c);
	EXPECT_EQ(HDD_MISS, (int)c.hit);
	/* random writes faster than the write-back fill it: write-through */
	t = c.done;
	for (i = 0; i < 2000; i++) {
		hdd_service(&m, t, HDD_WRITE, (rnd64() % (m.sectors / 8)) * 8,
			    8, &c);
		if (c.hit != HDD_WCACHE)
			break;
		t = c.done;
	}
	TH_LOG("%d random 4 KiB writes fit, %u extents dirty", i, m.ndirty);
	EXPECT_EQ(m.maxdirty, m.ndirty);
	EXPECT_EQ(HDD_MISS, (int)c.hit);
	hdd_free(&m);
}

TEST_HARNESS_MAIN
