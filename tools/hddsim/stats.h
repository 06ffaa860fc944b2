/* SPDX-License-Identifier: GPL-2.0 */
/* hddsim's counters, its statistics file and its request log. */
#ifndef HDDSIM_STATS_H
#define HDDSIM_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "model.h"
#include "queue.h"

#define LATE_BUCKETS 10000 /* 10 us each, up to 100 ms */

struct stats {
	uint64_t requests;
	uint64_t ops[5]; /* by NBD_CMD_* */
	uint64_t errors, bytes_read, bytes_written;
	uint64_t hits, streams, media, seeks, dist_sum;
	uint64_t behind; /* ready only after the deadline */
	uint64_t wcached; /* writes into the write cache */
	double wait; /* for the write-back under way */
	uint64_t destages;
	double destage_ns;
	double svc, ovh, seek, rot, xfer, queue;
	double late_sum, late_max, reply_sum;
	uint64_t late_hist[LATE_BUCKETS + 1];
	double first, last;
};

/* Count @c, served as @cost and answered @late ns of wall time late. */
void stats_account(struct stats *s, const struct hdd_model *m,
		   const struct cmd *c, const struct hdd_cost *cost, int err,
		   double late);
/* Write @s to @path (through path.tmp); nothing when it cannot. */
void stats_write(const char *path, const struct stats *s,
		 const struct hdd_model *m, unsigned int qd, double scale);
void stats_log_header(FILE *log);
void stats_log(FILE *log, const struct cmd *c, const struct hdd_cost *cost,
	       double late);

#endif
