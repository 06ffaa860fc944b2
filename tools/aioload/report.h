/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AIOLOAD_REPORT_H
#define AIOLOAD_REPORT_H

#include <stdio.h>

#include "aioload.h"

/* One point of a job's time series: what happened during one interval. */
struct sample {
	uint64_t t_ns; /* end of the interval, from the start */
	uint64_t dt_ns; /* length of the interval */
	uint64_t ios[DDIR_NR];
	uint64_t bytes[DDIR_NR];
	uint64_t lat_mean; /* completion latency, both directions */
	uint64_t lat_p50;
	uint64_t lat_p99;
	uint64_t lat_max;
};

struct series {
	struct sample *s;
	size_t n, cap;
	uint64_t prev_ios[DDIR_NR];
	uint64_t prev_bytes[DDIR_NR];
	uint64_t prev_sum[DDIR_NR];
	uint64_t *prev_b; /* DDIR_NR * HIST_BUCKETS */
	uint64_t *delta_b; /* HIST_BUCKETS */
	uint64_t last_t;
};

/* Everything the reports are made of. */
struct run {
	const struct global_opts *g;
	struct job *jobs;
	int njobs;
	struct shared *sh;
	struct series *series;
	uint64_t t_go; /* when the jobs were released */
	uint64_t t_now;
	int signo; /* the signal that stopped the run */
	bool final;
};

/* Per job figures derived from its counters. */
struct job_figures {
	uint64_t runtime_ns;
	uint64_t ios[DDIR_NR];
	uint64_t bytes[DDIR_NR];
	double iops[DDIR_NR];
	double bw[DDIR_NR]; /* bytes per second */
	double share; /* of all bytes moved */
	double expected_share; /* from --weight, or -1 */
	double share_error; /* share - expected_share */
};

struct fairness {
	double jain;
	bool weighted;
	double max_share_error; /* -1 when no job declared a weight */
};

void compute_figures(const struct run *r, struct job_figures *f,
		     struct fairness *fair);
void report_normal(FILE *out, const struct run *r);
void report_json(FILE *out, const struct run *r);
void report_series_csv(FILE *out, const struct run *r);
void progress_line(FILE *out, const struct run *r);

#endif
