// SPDX-License-Identifier: GPL-2.0
/*
 * hddsim's statistics: the counters of the commands served, the file
 * written at exit and on SIGUSR1, and the log of one line per request.
 */
#include <limits.h>
#include <stdio.h>
#include <linux/nbd.h>

#include "stats.h"

static void late_percentiles(const struct stats *s, double *p50, double *p99)
{
	uint64_t n = 0, acc = 0;
	int i;

	*p50 = *p99 = 0;
	for (i = 0; i <= LATE_BUCKETS; i++)
		n += s->late_hist[i];
	for (i = 0; i <= LATE_BUCKETS && n; i++) {
		acc += s->late_hist[i];
		if (!*p50 && acc * 2 >= n)
			*p50 = (i + 1) * 10.0;
		if (acc * 100 >= n * 99) {
			*p99 = (i + 1) * 10.0;
			break;
		}
	}
}

void stats_write(const char *path, const struct stats *s,
		 const struct hdd_model *m, unsigned int qd, double scale)
{
	uint64_t n, rq;
	double p50, p99, span;
	char tmp[PATH_MAX];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	rq = s->requests;
	n = rq ? rq : 1;
	late_percentiles(s, &p50, &p99);
	span = s->last > s->first ? s->last - s->first : 0;
	fprintf(f,
		"# hddsim statistics; times in ms of simulated time unless noted\n");
	fprintf(f, "capacity_bytes: %llu\n", (unsigned long long)m->p.capacity);
	fprintf(f, "rpm: %u\n", m->p.rpm);
	fprintf(f, "cylinders: %u\nheads: %u\nzones: %u\n", m->cylinders,
		m->p.heads, m->nzones);
	fprintf(f, "outer_mbps: %.1f\ninner_mbps: %.1f\n", hdd_zone_mbps(m, 0),
		hdd_zone_mbps(m, m->nzones - 1));
	fprintf(f, "queue_depth: %u\ncache_kb: %u\ntime_scale: %g\n", qd,
		m->p.cache_kb, scale);
	fprintf(f, "requests: %llu\n", (unsigned long long)rq);
	fprintf(f, "reads: %llu\nwrites: %llu\nflushes: %llu\ntrims: %llu\n",
		(unsigned long long)s->ops[NBD_CMD_READ],
		(unsigned long long)s->ops[NBD_CMD_WRITE],
		(unsigned long long)s->ops[NBD_CMD_FLUSH],
		(unsigned long long)s->ops[NBD_CMD_TRIM]);
	fprintf(f, "errors: %llu\n", (unsigned long long)s->errors);
	fprintf(f, "bytes_read: %llu\nbytes_written: %llu\n",
		(unsigned long long)s->bytes_read,
		(unsigned long long)s->bytes_written);
	fprintf(f,
		"cache_hits: %llu\nreadahead_hits: %llu\nmedia_accesses: %llu\n",
		(unsigned long long)s->hits, (unsigned long long)s->streams,
		(unsigned long long)s->media);
	fprintf(f, "write_cache_kb: %u\nwrite_cached: %llu\n", m->p.wcache_kb,
		(unsigned long long)s->wcached);
	fprintf(f, "write_backs: %llu\nwrite_back_ms_total: %.3f\n",
		(unsigned long long)s->destages, s->destage_ns / 1e6);
	fprintf(f, "write_back_wait_ms_mean: %.4f\n", s->wait / n / 1e6);
	fprintf(f, "seeks: %llu\n", (unsigned long long)s->seeks);
	fprintf(f, "seek_distance_mean_cyl: %.1f\n",
		s->seeks ? (double)s->dist_sum / s->seeks : 0);
	fprintf(f, "service_ms_mean: %.4f\n", s->svc / n / 1e6);
	fprintf(f, "overhead_ms_mean: %.4f\n", s->ovh / n / 1e6);
	fprintf(f, "seek_ms_mean: %.4f\n", s->seek / n / 1e6);
	fprintf(f, "rotation_ms_mean: %.4f\n", s->rot / n / 1e6);
	fprintf(f, "transfer_ms_mean: %.4f\n", s->xfer / n / 1e6);
	fprintf(f, "queue_ms_mean: %.4f\n", s->queue / n / 1e6);
	fprintf(f, "busy_s: %.3f\nelapsed_s: %.3f\nutilization: %.3f\n",
		s->svc / 1e9, span / 1e9, span > 0 ? s->svc / span : 0);
	fprintf(f,
		"# lateness: wall time from the model's completion to sending the reply\n");
	fprintf(f,
		"late_us_mean: %.1f\nlate_us_p50: %.0f\nlate_us_p99: %.0f\nlate_us_max: %.0f\n",
		s->late_sum / n / 1e3, p50, p99, s->late_max / 1e3);
	fprintf(f, "reply_us_mean: %.1f\n", s->reply_sum / n / 1e3);
	fprintf(f, "behind: %llu\n", (unsigned long long)s->behind);
	fprintf(f, "service_error_pct: %.2f\n",
		s->svc > 0 ? 100.0 * s->late_sum / (s->svc * scale) : 0);
	fclose(f);
	rename(tmp, path);
}

void stats_log_header(FILE *log)
{
	fprintf(log,
		"# arrival_ms start_ms done_ms op lba sectors seek_cyl cache overhead_ms seek_ms rot_ms xfer_ms late_us\n");
}

void stats_log(FILE *log, const struct cmd *c, const struct hdd_cost *cost,
	       double late)
{
	static const char *const ops[] = { "R", "W", "D", "F", "T" };
	static const char *const hits[] = { "miss", "hit", "ra", "-", "wc" };

	fprintf(log,
		"%.3f %.3f %.3f %s %llu %u %u %s %.3f %.3f %.3f %.3f %.1f\n",
		c->arrival / 1e6, cost->start / 1e6, cost->done / 1e6,
		c->type < 5 ? ops[c->type] : "?",
		(unsigned long long)c->from / HDD_SECTOR, c->len / HDD_SECTOR,
		cost->dist, hits[cost->hit], cost->overhead / 1e6,
		cost->seek / 1e6, cost->rot / 1e6, cost->xfer / 1e6,
		late / 1e3);
}

void stats_account(struct stats *s, const struct hdd_model *m,
		   const struct cmd *c, const struct hdd_cost *cost, int err,
		   double late)
{
	int b;

	s->requests++;
	if (c->type <= NBD_CMD_TRIM)
		s->ops[c->type]++;
	if (err)
		s->errors++;
	else if (c->type == NBD_CMD_READ)
		s->bytes_read += c->len;
	else if (c->type == NBD_CMD_WRITE)
		s->bytes_written += c->len;
	if (cost->hit == HDD_HIT)
		s->hits++;
	else if (cost->hit == HDD_STREAM)
		s->streams++;
	else if (cost->hit == HDD_MISS)
		s->media++;
	else if (cost->hit == HDD_WCACHE)
		s->wcached++;
	s->wait += cost->wait;
	s->destages = m->destages;
	s->destage_ns = m->destage_ns;
	if (cost->dist) {
		s->seeks++;
		s->dist_sum += cost->dist;
	}
	s->svc += cost->done - cost->start;
	s->ovh += cost->overhead;
	s->seek += cost->seek;
	s->rot += cost->rot;
	s->xfer += cost->xfer;
	s->queue += cost->start - c->arrival;
	if (late < 0)
		late = 0;
	s->late_sum += late;
	if (late > s->late_max)
		s->late_max = late;
	b = (int)(late / 10e3);
	s->late_hist[b < LATE_BUCKETS ? b : LATE_BUCKETS]++;
	if (!s->first || c->arrival < s->first)
		s->first = c->arrival;
	s->last = cost->done;
}
