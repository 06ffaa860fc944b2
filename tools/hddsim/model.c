// SPDX-License-Identifier: GPL-2.0
/*
 * hddsim disk model.
 *
 * Geometry: heads surfaces, cylinders from the outer edge (LBA 0) inwards,
 * tracks numbered cylinder by cylinder.  Zoned bit recording: the tracks
 * fall into zones of equal cylinder count whose sectors per track fall
 * linearly from the outer zone to the inner one.  Each track starts at an
 * angle skewed from the previous one by the head or track switch time, so
 * a sequential transfer never waits a revolution at a track boundary.
 *
 * Seek time (Ruemmler & Wilkes 1994): zero for no movement, else a settle
 * time plus b sqrt(x) for short seeks and a straight line for long ones,
 * with x the distance as a fraction of the full stroke.  The line is the
 * tangent of the square-root curve at x0, so the curve is smooth; a, b and
 * x0 are fitted to the one-cylinder, average and full-stroke figures.
 *
 * Rotation: the platter turns at rpm from angle 0 at time 0; the angle of
 * a sector is fixed, so the rotational delay is the time until the target
 * sector comes under the head.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

#define NS_PER_MS 1e6

void hdd_params_default(struct hdd_params *p)
{
	memset(p, 0, sizeof(*p));
	p->capacity = 8ULL << 30;
	p->rpm = 7200;
	p->heads = 2;
	p->zones = 16;
	p->seek_track_ms = 0.8;
	p->seek_avg_ms = 8.5;
	p->seek_full_ms = 17.0;
	p->head_switch_ms = 0.5;
	p->outer_mbps = 200;
	p->inner_mbps = 100;
	p->overhead_us = 50;
	p->iface_mbps = 550;
	p->cache_kb = 8192;
	p->cache_segments = 16;
}

/*
 * The mean of the seek curve over random seeks: the distance between two
 * uniform random cylinders, as a fraction x of the stroke, has the density
 * 2 (1 - x).  Fills a and b for the given x0.
 */
static double seek_fit(double x0, double x1, double t1, double tf, double *pa,
		       double *pb)
{
	double s0 = sqrt(x0), a, b, c, e, avg;

	b = (tf - t1) / (s0 + (1 - x0) / (2 * s0) - sqrt(x1));
	a = t1 - b * sqrt(x1);
	e = b / (2 * s0);
	c = a + b * s0 - e * x0;
	avg = a * (2 * x0 - x0 * x0) +
	      2 * b * (2.0 / 3 * pow(x0, 1.5) - 2.0 / 5 * pow(x0, 2.5));
	avg += c * (1 - x0) * (1 - x0) +
	       2 * e * (1.0 / 6 - (x0 * x0 / 2 - x0 * x0 * x0 / 3));
	*pa = a;
	*pb = b;
	return avg;
}

static int fit_seek_curve(struct hdd_model *m, char *err, size_t errlen)
{
	double x1 = 1.0 / (m->cylinders - 1);
	double t1 = m->p.seek_track_ms, tf = m->p.seek_full_ms;
	double want = m->p.seek_avg_ms, lo = x1, hi = 1, a, b, amin, amax;
	int i;

	amin = seek_fit(lo, x1, t1, tf, &a, &b);
	amax = seek_fit(hi, x1, t1, tf, &a, &b);
	if (want <= amin || want >= amax) {
		snprintf(
			err, errlen,
			"seek-avg %.2f ms is not reachable with track %.2f ms and full %.2f ms: it must lie in (%.2f, %.2f)",
			want, t1, tf, amin, amax);
		return -1;
	}
	for (i = 0; i < 100; i++) {
		double mid = (lo + hi) / 2;

		if (seek_fit(mid, x1, t1, tf, &a, &b) < want)
			lo = mid;
		else
			hi = mid;
	}
	m->seek_x0 = (lo + hi) / 2;
	seek_fit(m->seek_x0, x1, t1, tf, &a, &b);
	m->seek_a = a * NS_PER_MS;
	m->seek_b = b * NS_PER_MS;
	m->seek_e = m->seek_b / (2 * sqrt(m->seek_x0));
	m->seek_c = m->seek_a + m->seek_b * sqrt(m->seek_x0) -
		    m->seek_e * m->seek_x0;
	return 0;
}

double hdd_seek_time(const struct hdd_model *m, uint32_t dist)
{
	double x;

	if (!dist)
		return 0;
	x = (double)dist / (m->cylinders - 1);
	if (x < m->seek_x0)
		return m->seek_a + m->seek_b * sqrt(x);
	return m->seek_c + m->seek_e * x;
}

static int __attribute__((format(printf, 3, 4)))
bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int check_params(const struct hdd_params *p, char *err, size_t errlen)
{
	if (p->rpm < 3600 || p->rpm > 20000)
		return bad(err, errlen, "rpm %u out of range [3600, 20000]",
			   p->rpm);
	if (p->heads < 1 || p->heads > 32)
		return bad(err, errlen, "heads %u out of range [1, 32]",
			   p->heads);
	if (p->zones < 1 || p->zones > 256)
		return bad(err, errlen, "zones %u out of range [1, 256]",
			   p->zones);
	if (!(p->seek_track_ms > 0 && p->seek_track_ms < p->seek_avg_ms &&
	      p->seek_avg_ms < p->seek_full_ms && p->seek_full_ms <= 100))
		return bad(
			err, errlen,
			"seek times must satisfy 0 < track (%g) < avg (%g) < full (%g) <= 100 ms",
			p->seek_track_ms, p->seek_avg_ms, p->seek_full_ms);
	if (!(p->head_switch_ms >= 0 && p->head_switch_ms <= p->seek_full_ms))
		return bad(err, errlen, "head switch %g ms out of range",
			   p->head_switch_ms);
	if (!(p->inner_mbps >= 1 && p->outer_mbps >= p->inner_mbps &&
	      p->outer_mbps <= 10000))
		return bad(
			err, errlen,
			"rates must satisfy 1 <= inner (%g) <= outer (%g) <= 10000 MB/s",
			p->inner_mbps, p->outer_mbps);
	if (!(p->overhead_us >= 0 && p->overhead_us <= 100000))
		return bad(err, errlen, "overhead %g us out of range",
			   p->overhead_us);
	if (!(p->iface_mbps >= 1))
		return bad(err, errlen, "interface rate %g MB/s too low",
			   p->iface_mbps);
	if (p->capacity < HDD_SECTOR || p->capacity % HDD_SECTOR)
		return bad(err, errlen, "size must be a multiple of %d bytes",
			   HDD_SECTOR);
	if (p->cache_kb && (p->cache_segments < 1 || p->cache_segments > 1024 ||
			    p->cache_kb / p->cache_segments < 4))
		return bad(err, errlen,
			   "cache of %u KiB cannot hold %u segments",
			   p->cache_kb, p->cache_segments);
	return 0;
}

/* Sectors per track for a sustained rate, with the average switch time. */
static uint32_t spt_for(const struct hdd_model *m, double mbps)
{
	double sw = (m->t_cyl + (m->p.heads - 1) * m->t_head) / m->p.heads;

	return (uint32_t)lround(mbps * 1e6 * (m->rev + sw) * 1e-9 / HDD_SECTOR);
}

int hdd_init(struct hdd_model *m, const struct hdd_params *p, char *err,
	     size_t errlen)
{
	uint32_t no, ni, cz, track = 0;
	uint64_t sum = 0, left, lba = 0;
	unsigned int z, nz = p->zones;

	memset(m, 0, sizeof(*m));
	m->ra.seg = -1;
	if (check_params(p, err, errlen))
		return -1;
	m->p = *p;
	m->rev = 60e9 / p->rpm;
	m->t_cyl = p->seek_track_ms * NS_PER_MS;
	m->t_head = p->head_switch_ms * NS_PER_MS;
	m->ovh = p->overhead_us * 1e3;
	m->iface = HDD_SECTOR / (p->iface_mbps * 1e6) * 1e9;
	m->sectors = p->capacity / HDD_SECTOR;

	no = spt_for(m, p->outer_mbps);
	ni = spt_for(m, p->inner_mbps);
	if (ni < 16)
		return bad(err, errlen, "inner rate too low for %u rpm",
			   p->rpm);
	for (z = 0; z < nz; z++)
		sum += nz > 1 ? no - (uint64_t)(no - ni) * z / (nz - 1) : no;
	cz = (uint32_t)((m->sectors + sum * p->heads - 1) / (sum * p->heads));

	m->zone = calloc(nz, sizeof(*m->zone));
	if (!m->zone) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	left = m->sectors;
	for (z = 0; z < nz && left; z++) {
		struct hdd_zone *zn = &m->zone[z];
		uint64_t cap;

		zn->spt = nz > 1 ? no - (uint32_t)((uint64_t)(no - ni) * z /
						   (nz - 1)) :
				   no;
		zn->tracks = cz * p->heads;
		cap = (uint64_t)zn->tracks * zn->spt;
		if (cap > left) {
			cap = left;
			zn->tracks = (uint32_t)((left + zn->spt - 1) / zn->spt);
		}
		zn->first_lba = lba;
		zn->first_track = track;
		zn->sectors = cap;
		lba += cap;
		track += zn->tracks;
		left -= cap;
	}
	m->nzones = z;
	m->tracks = track;
	m->cylinders = (track + p->heads - 1) / p->heads;
	if (m->cylinders < HDD_MIN_CYLINDERS) {
		uint64_t mib = (uint64_t)HDD_MIN_CYLINDERS * p->heads *
				       (no + ni) / 2 * HDD_SECTOR * 21 / 20 >>
			       20;

		hdd_free(m);
		return bad(
			err, errlen,
			"size too small: %u cylinders, the model needs at least %u (about %llu MiB)",
			m->cylinders, HDD_MIN_CYLINDERS,
			(unsigned long long)mib + 1);
	}
	if (fit_seek_curve(m, err, errlen)) {
		hdd_free(m);
		return -1;
	}

	if (p->wcache_kb) {
		m->wcache_sectors = (uint64_t)p->wcache_kb * 1024 / HDD_SECTOR;
		m->maxdirty = 512;
		m->dirty = calloc(m->maxdirty, sizeof(*m->dirty));
		if (!m->dirty) {
			hdd_free(m);
			return bad(err, errlen, "out of memory");
		}
	}
	if (p->cache_kb) {
		m->nsegs = p->cache_segments;
		m->seg_sectors = (uint64_t)p->cache_kb * 1024 /
				 p->cache_segments / HDD_SECTOR;
		m->seg = calloc(m->nsegs, sizeof(*m->seg));
		if (!m->seg) {
			hdd_free(m);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

void hdd_free(struct hdd_model *m)
{
	free(m->zone);
	free(m->seg);
	free(m->dirty);
	m->zone = NULL;
	m->seg = NULL;
	m->dirty = NULL;
}

const struct hdd_zone *hdd_zone_of(const struct hdd_model *m, uint64_t lba)
{
	unsigned int lo = 0, hi = m->nzones - 1;

	while (lo < hi) {
		unsigned int mid = (lo + hi + 1) / 2;

		if (m->zone[mid].first_lba <= lba)
			lo = mid;
		else
			hi = mid - 1;
	}
	return &m->zone[lo];
}

uint32_t hdd_track(const struct hdd_model *m, uint64_t lba, uint32_t *sector,
		   uint32_t *spt)
{
	const struct hdd_zone *z = hdd_zone_of(m, lba);
	uint64_t off = lba - z->first_lba;

	if (sector)
		*sector = (uint32_t)(off % z->spt);
	if (spt)
		*spt = z->spt;
	return z->first_track + (uint32_t)(off / z->spt);
}

/* Switch time from track ta to track tb > ta, passing every track between. */
static double switches(const struct hdd_model *m, uint32_t ta, uint32_t tb)
{
	uint32_t ncyl = tb / m->p.heads - ta / m->p.heads;

	return ncyl * m->t_cyl + (double)(tb - ta - ncyl) * m->t_head;
}

/* Angle of a sector's start, in revolutions [0, 1). */
double hdd_angle(const struct hdd_model *m, uint64_t lba)
{
	uint32_t s, spt, tr = hdd_track(m, lba, &s, &spt);
	double a = (double)s / spt + switches(m, 0, tr) / m->rev;

	return a - floor(a);
}

double hdd_rot_wait(const struct hdd_model *m, uint64_t lba, double t)
{
	double now = fmod(t, m->rev) / m->rev;
	double d = hdd_angle(m, lba) - now;

	d -= floor(d);
	return d * m->rev;
}

/* Time to read [from, to) with the head arriving at from's start. */
double hdd_seq_time(const struct hdd_model *m, uint64_t from, uint64_t to)
{
	uint32_t sa, na, sl, nl, ta, tl;

	if (to <= from)
		return 0;
	ta = hdd_track(m, from, &sa, &na);
	tl = hdd_track(m, to - 1, &sl, &nl);
	if (ta == tl)
		return (double)(sl + 1 - sa) / na * m->rev;
	return ((double)(na - sa) / na + (tl - ta - 1) +
		(double)(sl + 1) / nl) *
		       m->rev +
	       switches(m, ta, tl);
}

/* The end of what reading from @from for @dt covers, at most @limit. */
uint64_t hdd_seq_advance(const struct hdd_model *m, uint64_t from, double dt,
			 uint64_t limit)
{
	uint64_t lo = from, hi = limit;

	if (limit > m->sectors)
		hi = limit = m->sectors;
	if (dt <= 0 || limit <= from)
		return from;
	if (hdd_seq_time(m, from, limit) <= dt)
		return limit;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;

		if (hdd_seq_time(m, from, mid) <= dt)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* Sustained rate of a zone, MB/s, switches included. */
double hdd_zone_mbps(const struct hdd_model *m, unsigned int z)
{
	double sw = (m->t_cyl + (m->p.heads - 1) * m->t_head) / m->p.heads;

	return m->zone[z].spt * (double)HDD_SECTOR / (m->rev + sw) * 1e3;
}

/* Where the read-ahead has got to at time t. */
static uint64_t ra_pos(const struct hdd_model *m, double t)
{
	const struct hdd_stream *s = &m->ra;

	if (s->seg < 0)
		return 0;
	return hdd_seq_advance(m, s->from, t - s->at, s->limit);
}

/* Where the head is at time t, for a command that starts then. */
static uint32_t head_at(const struct hdd_model *m, uint64_t ra_pos)
{
	if (m->ra.seg < 0)
		return m->head_track;
	return hdd_track(m, ra_pos < m->sectors ? ra_pos : m->sectors - 1, NULL,
			 NULL);
}

/* Seek, rotation and transfer of [lba, lba + n) from track head at t. */
static double media(const struct hdd_model *m, uint32_t head, double t,
		    uint64_t lba, uint32_t n, struct hdd_cost *c)
{
	uint32_t tr = hdd_track(m, lba, NULL, NULL);
	uint32_t a = hdd_cyl(m, tr), b = hdd_cyl(m, head);
	uint32_t dist = a > b ? a - b : b - a;
	double seek = 0, rot, xfer;

	if (dist)
		seek = hdd_seek_time(m, dist);
	else if (tr != head)
		seek = m->t_head;
	rot = hdd_rot_wait(m, lba, t + seek);
	xfer = hdd_seq_time(m, lba, lba + n);
	c->dist += dist;
	c->seek += seek;
	c->rot += rot;
	c->xfer += xfer;
	c->end_track = hdd_track(m, lba + n - 1, NULL, NULL);
	return t + seek + rot + xfer;
}

/* C-LOOK: the first dirty extent at or beyond the head, else the first. */
static unsigned int next_dirty(const struct hdd_model *m, uint32_t head)
{
	unsigned int i;

	for (i = 0; i < m->ndirty; i++)
		if (hdd_track(m, m->dirty[i].lba, NULL, NULL) >= head)
			return i;
	return 0;
}

static int in_dirty(const struct hdd_model *m, uint64_t lba, uint32_t n)
{
	unsigned int i;

	for (i = 0; i < m->ndirty && m->dirty[i].lba <= lba; i++)
		if (lba + n <= m->dirty[i].lba + m->dirty[i].n)
			return 1;
	return 0;
}

/* Does a write of [lba, lba + n) fit in the write cache? */
static int wcache_fits(const struct hdd_model *m, uint64_t lba, uint32_t n)
{
	unsigned int i;

	if (!m->wcache_sectors || m->dirty_sectors + n > m->wcache_sectors)
		return 0;
	if (m->ndirty < m->maxdirty)
		return 1;
	/* full of extents: only one that grows an existing extent */
	for (i = 0; i < m->ndirty; i++)
		if (lba <= m->dirty[i].lba + m->dirty[i].n &&
		    m->dirty[i].lba <= lba + n)
			return 1;
	return 0;
}

void hdd_plan(const struct hdd_model *m, double t, enum hdd_op op, uint64_t lba,
	      uint32_t n, struct hdd_cost *c)
{
	uint32_t head;
	unsigned int i;
	double te;

	memset(c, 0, sizeof(*c));
	c->start = t;
	c->overhead = m->ovh;
	c->seg = -1;
	c->hit = HDD_MISS;
	if (m->ra.seg >= 0)
		c->ra_pos = ra_pos(m, t);
	c->end_track = head_at(m, c->ra_pos);

	if (op == HDD_FLUSH && m->ndirty) {
		/* write back everything, in C-LOOK order from the head */
		unsigned int k = next_dirty(m, c->end_track), j;

		te = t > m->busy_until ? t : m->busy_until;
		c->wait = te - t;
		c->done = te + c->overhead;
		for (j = 0; j < m->ndirty; j++) {
			i = (k + j) % m->ndirty;
			c->done = media(m, c->end_track, c->done,
					m->dirty[i].lba, m->dirty[i].n, c);
		}
		return;
	}
	if (op == HDD_FLUSH || op == HDD_TRIM || !n || lba + n > m->sectors) {
		c->hit = HDD_NOMEDIA;
		c->done = t + c->overhead;
		return;
	}
	if (op == HDD_WRITE && wcache_fits(m, lba, n)) {
		c->hit = HDD_WCACHE;
		c->xfer = n * m->iface;
		c->done = t + c->overhead + c->xfer;
		return;
	}

	if (op == HDD_READ && m->ra.seg >= 0) {
		const struct hdd_stream *s = &m->ra;
		uint64_t pos = c->ra_pos, lo = s->start;
		int moving = pos < s->limit;

		if (pos > lo + m->seg_sectors)
			lo = pos - m->seg_sectors;
		if (lba >= lo &&
		    (lba + n <= pos || (moving && lba < s->limit))) {
			double ready =
				s->at + hdd_seq_time(m, s->from, lba + n);
			double busy = c->overhead + n * m->iface;

			c->hit = lba + n <= pos ? HDD_HIT : HDD_STREAM;
			c->seg = s->seg;
			if (c->hit == HDD_HIT) {
				c->xfer = n * m->iface;
				c->done = t + busy;
			} else {
				c->done = ready > t + busy ? ready : t + busy;
				c->xfer = c->done - t - c->overhead;
			}
			if (!moving) {
				double r = t + c->overhead;

				c->ra_resume = r + hdd_rot_wait(m, s->limit, r);
			}
			return;
		}
	}
	if (op == HDD_READ) {
		for (i = 0; i < m->nsegs; i++) {
			if ((int)i == m->ra.seg)
				continue;
			if (m->seg[i].start <= lba &&
			    lba + n <= m->seg[i].end) {
				c->hit = HDD_HIT;
				c->seg = i;
				c->xfer = n * m->iface;
				c->done = t + c->overhead + c->xfer;
				return;
			}
		}
		if (in_dirty(m, lba, n)) {
			c->hit = HDD_HIT;
			c->xfer = n * m->iface;
			c->done = t + c->overhead + c->xfer;
			return;
		}
	}

	/* From the media, once the write-back under way is done. */
	te = t > m->busy_until ? t : m->busy_until;
	c->wait = te - t;
	head = c->end_track;
	c->track = hdd_track(m, lba, NULL, NULL);
	c->done = media(m, head, te + c->overhead, lba, n, c);
}

static void seg_drop_overlap(struct hdd_model *m, uint64_t lba, uint32_t n)
{
	unsigned int i;

	for (i = 0; i < m->nsegs; i++)
		if (m->seg[i].start < lba + n && lba < m->seg[i].end)
			m->seg[i].start = m->seg[i].end = 0;
}

/* Stop the read-ahead: its segment keeps what it holds at c->start. */
static void ra_freeze(struct hdd_model *m, const struct hdd_cost *c)
{
	struct hdd_stream *s = &m->ra;
	struct hdd_seg *g;
	uint64_t pos = c->ra_pos;

	if (s->seg < 0)
		return;
	g = &m->seg[s->seg];
	g->end = pos;
	g->start = pos > s->start + m->seg_sectors ? pos - m->seg_sectors :
						     s->start;
	m->head_track = hdd_track(m, pos < m->sectors ? pos : m->sectors - 1,
				  NULL, NULL);
	s->seg = -1;
}

/* Add [lba, lba + n) to the dirty extents, merging what touches it. */
static void dirty_add(struct hdd_model *m, uint64_t lba, uint32_t n)
{
	uint64_t end = lba + n;
	unsigned int i = 0, j;

	while (i < m->ndirty && m->dirty[i].lba + m->dirty[i].n < lba)
		i++;
	/* extents i .. j-1 touch the new one */
	for (j = i; j < m->ndirty && m->dirty[j].lba <= end; j++) {
		if (m->dirty[j].lba < lba)
			lba = m->dirty[j].lba;
		if (m->dirty[j].lba + m->dirty[j].n > end)
			end = m->dirty[j].lba + m->dirty[j].n;
		m->dirty_sectors -= m->dirty[j].n;
	}
	if (j == i) {
		memmove(&m->dirty[i + 1], &m->dirty[i],
			(m->ndirty - i) * sizeof(*m->dirty));
		m->ndirty++;
	} else if (j > i + 1) {
		memmove(&m->dirty[i + 1], &m->dirty[j],
			(m->ndirty - j) * sizeof(*m->dirty));
		m->ndirty -= j - i - 1;
	}
	m->dirty[i].lba = lba;
	m->dirty[i].n = (uint32_t)(end - lba);
	m->dirty_sectors += end - lba;
}

/*
 * The disk's own work while no command needs the media: read-ahead first,
 * then writing dirty extents back, C-LOOK from the head, each begun before
 * time t.  The last one may end after t: busy_until says when.
 */
void hdd_background(struct hdd_model *m, double t)
{
	double cur = m->media_free > m->busy_until ? m->media_free :
						     m->busy_until;
	struct hdd_cost c;

	if (!m->ndirty)
		return;
	if (m->ra.seg >= 0) {
		double end =
			m->ra.at + hdd_seq_time(m, m->ra.from, m->ra.limit);

		if (end > cur)
			cur = end;
	}
	while (m->ndirty && cur < t) {
		unsigned int i;

		memset(&c, 0, sizeof(c));
		c.ra_pos = m->ra.seg >= 0 ? ra_pos(m, cur) : 0;
		ra_freeze(m, &c);
		i = next_dirty(m, m->head_track);
		c.end_track = m->head_track;
		cur = media(m, m->head_track, cur, m->dirty[i].lba,
			    m->dirty[i].n, &c);
		m->head_track = c.end_track;
		m->dirty_sectors -= m->dirty[i].n;
		memmove(&m->dirty[i], &m->dirty[i + 1],
			(m->ndirty - i - 1) * sizeof(*m->dirty));
		m->ndirty--;
		m->destages++;
		m->destage_ns += c.seek + c.rot + c.xfer;
		m->busy_until = cur;
	}
}

void hdd_commit(struct hdd_model *m, enum hdd_op op, uint64_t lba, uint32_t n,
		const struct hdd_cost *c)
{
	struct hdd_stream *s = &m->ra;
	unsigned int i, victim = 0;

	if (c->seg >= 0)
		m->seg[c->seg].lru = ++m->lru_clock;

	if (op == HDD_FLUSH && c->hit == HDD_MISS) {
		ra_freeze(m, c);
		m->head_track = c->end_track;
		m->ndirty = 0;
		m->dirty_sectors = 0;
		m->media_free = c->done;
		m->destages++;
		m->destage_ns += c->seek + c->rot + c->xfer;
		return;
	}
	if (c->hit == HDD_WCACHE) {
		seg_drop_overlap(m, lba, n);
		dirty_add(m, lba, n);
		/* no write-back of this data before it arrived */
		if (m->busy_until < c->done)
			m->busy_until = c->done;
		return;
	}
	if (c->hit == HDD_NOMEDIA) {
		if (op == HDD_TRIM && n && lba + n <= m->sectors) {
			if (s->seg >= 0 && lba < s->limit && s->start < lba + n)
				ra_freeze(m, c);
			seg_drop_overlap(m, lba, n);
		}
		return;
	}
	if (c->hit == HDD_HIT || c->hit == HDD_STREAM) {
		if (c->seg == s->seg) {
			if (c->ra_resume > 0) {
				s->from = s->limit;
				s->at = c->ra_resume;
			}
			if (lba + n + m->seg_sectors > s->limit)
				s->limit = lba + n + m->seg_sectors;
			if (s->limit > m->sectors)
				s->limit = m->sectors;
		}
		return;
	}

	ra_freeze(m, c);
	m->head_track = c->end_track;
	m->media_free = c->done;
	if (op == HDD_WRITE || op == HDD_WRITE_FUA) {
		seg_drop_overlap(m, lba, n);
		return;
	}
	if (!m->nsegs)
		return;
	/* A read: its data and the read-ahead after it fill the LRU segment. */
	seg_drop_overlap(m, lba, n);
	for (i = 1; i < m->nsegs; i++)
		if (m->seg[i].lru < m->seg[victim].lru)
			victim = i;
	m->seg[victim].lru = ++m->lru_clock;
	s->seg = victim;
	s->start = lba + n > m->seg_sectors ? lba + n - m->seg_sectors : 0;
	if (s->start < lba)
		s->start = lba;
	s->from = lba + n;
	s->at = c->done;
	s->limit = lba + n + m->seg_sectors;
	if (s->limit > m->sectors)
		s->limit = m->sectors;
}

void hdd_service(struct hdd_model *m, double t, enum hdd_op op, uint64_t lba,
		 uint32_t n, struct hdd_cost *c)
{
	hdd_background(m, t);
	hdd_plan(m, t, op, lba, n, c);
	hdd_commit(m, op, lba, n, c);
}
