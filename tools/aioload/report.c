// SPDX-License-Identifier: GPL-2.0
/*
 * aioload: the reports, normal (for people) and JSON (for scripts).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ioprio.h"
#include "report.h"

const char *const vfail_names[] = {
	[VF_MAGIC] = "bad magic",   [VF_OFFSET] = "misdirected",
	[VF_CRC] = "bad checksum",  [VF_STALE] = "lost write",
	[VF_JOB] = "foreign block", [VF_SHORT] = "short read",
};

static const char *const vfail_keys[] = {
	[VF_MAGIC] = "magic", [VF_OFFSET] = "offset", [VF_CRC] = "crc",
	[VF_STALE] = "stale", [VF_JOB] = "job",	      [VF_SHORT] = "short",
};

static const char *const ddir_names[] = { "read", "write" };

void compute_figures(const struct run *r, struct job_figures *f,
		     struct fairness *fair)
{
	double total = 0, wsum = 0, x[r->njobs > 0 ? r->njobs : 1];
	bool weighted = false;
	int i, d;

	for (i = 0; i < r->njobs; i++) {
		const struct job_stats *st = &r->sh->js[i];
		uint64_t end = st->t_end_ns;
		struct job_figures *jf = &f[i];
		double secs;

		if (!r->final && st->state == JS_RUNNING)
			end = r->t_now;
		jf->runtime_ns = end > st->t_start_ns ? end - st->t_start_ns :
							0;
		secs = jf->runtime_ns / 1e9;
		for (d = 0; d < DDIR_NR; d++) {
			jf->ios[d] = st->d[d].ios;
			jf->bytes[d] = st->d[d].bytes;
			jf->iops[d] = secs > 0 ? jf->ios[d] / secs : 0;
			jf->bw[d] = secs > 0 ? jf->bytes[d] / secs : 0;
		}
		total += jf->bytes[0] + jf->bytes[1];
		if (r->jobs[i].o.weight)
			weighted = true;
	}
	for (i = 0; i < r->njobs; i++)
		wsum += r->jobs[i].o.weight ? r->jobs[i].o.weight : 1;

	fair->weighted = weighted;
	fair->max_share_error = weighted ? 0 : -1;
	for (i = 0; i < r->njobs; i++) {
		struct job_figures *jf = &f[i];
		double w = r->jobs[i].o.weight ? r->jobs[i].o.weight : 1;

		jf->share = total > 0 ? (jf->bytes[0] + jf->bytes[1]) / total :
					0;
		x[i] = (jf->bw[0] + jf->bw[1]) / (weighted ? w : 1);
		if (weighted) {
			jf->expected_share = w / wsum;
			jf->share_error = jf->share - jf->expected_share;
			if (fabs(jf->share_error) > fair->max_share_error)
				fair->max_share_error = fabs(jf->share_error);
		} else {
			jf->expected_share = -1;
			jf->share_error = 0;
		}
	}
	fair->jain = jain_index(x, r->njobs);
}

/* "812ns", "12.3us", "4.56ms", "1.20s" */
static const char *fmt_lat(char *buf, size_t len, double ns)
{
	if (ns < 1000)
		snprintf(buf, len, "%.0fns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.*fus", ns < 1e5 ? 2 : 1, ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.*fms", ns < 1e8 ? 2 : 1, ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", ns / 1e9);
	return buf;
}

/* "950", "12.3k", "1.20M" */
static const char *fmt_count(char *buf, size_t len, double v)
{
	if (v < 1e4)
		snprintf(buf, len, "%.0f", v);
	else if (v < 1e6)
		snprintf(buf, len, "%.1fk", v / 1e3);
	else
		snprintf(buf, len, "%.2fM", v / 1e6);
	return buf;
}

/* binary units, as fio prints BW= */
static const char *fmt_bytes(char *buf, size_t len, double v)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (v >= 1024 * 10 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, u && v != floor(v) ? "%.1f%s" : "%.0f%s", v,
		 unit[u]);
	return buf;
}

/* a block size: "512B", "4KiB", "1MiB", or bytes when not round */
static const char *fmt_bs(char *buf, size_t len, uint64_t v)
{
	if (v >= 1 << 20 && !(v % (1 << 20)))
		snprintf(buf, len, "%lluMiB", (unsigned long long)(v >> 20));
	else if (v >= 1024 && !(v % 1024))
		snprintf(buf, len, "%lluKiB", (unsigned long long)(v >> 10));
	else
		snprintf(buf, len, "%lluB", (unsigned long long)v);
	return buf;
}

static void prio_str(char *buf, size_t len, const struct job *j,
		     const struct job_stats *st)
{
	if (j->o.prioclass < 0 && j->o.prio < 0) {
		snprintf(buf, len, "default");
		return;
	}
	snprintf(buf, len, "%s/%d",
		 prioclass_names[IOPRIO_PRIO_CLASS(st->ioprio) & 3],
		 IOPRIO_PRIO_DATA(st->ioprio));
}

static void normal_dir(FILE *out, const struct run *r, int i, int d,
		       const struct job_figures *jf)
{
	const struct hist *h = &r->sh->js[i].d[d].h;
	char a[32], b[32], c[32], e[32];
	int k;

	fprintf(out, "  %s: IOPS=%s, BW=%s/s (%.1fMB/s) (%s/%llumsec)\n",
		ddir_names[d], fmt_count(a, sizeof(a), jf->iops[d]),
		fmt_bytes(b, sizeof(b), jf->bw[d]), jf->bw[d] / 1e6,
		fmt_bytes(c, sizeof(c), jf->bytes[d]),
		(unsigned long long)(jf->runtime_ns / NSEC_PER_MSEC));
	if (!h->count)
		return;
	fprintf(out, "    clat: min=%s, avg=%s, stdev=%s, max=%s\n",
		fmt_lat(a, sizeof(a), h->min),
		fmt_lat(b, sizeof(b), hist_mean(h)),
		fmt_lat(c, sizeof(c), hist_stddev(h)),
		fmt_lat(e, sizeof(e), h->max));
	fprintf(out, "    clat percentiles:");
	for (k = 0; k < r->g->npercentiles; k++)
		fprintf(out, " p%g=%s", r->g->percentiles[k],
			fmt_lat(a, sizeof(a),
				hist_percentile(h, r->g->percentiles[k])));
	fputc('\n', out);
}

static uint64_t job_ios(const struct job_figures *jf)
{
	return jf->ios[DDIR_READ] + jf->ios[DDIR_WRITE];
}

/* The I/O model's own counters, and the CPU time once the job is done. */
static void models_normal(FILE *out, const struct run *r, const struct job *j,
			  const struct job_stats *st,
			  const struct job_figures *jf)
{
	uint64_t n = job_ios(jf);

	if (j->o.nowait)
		fprintf(out,
			"  nowait: %llu done without blocking, %llu EAGAIN then done blocking\n",
			(unsigned long long)st->nowait_ios,
			(unsigned long long)st->nowait_eagain);
	if (j->o.engine == ENG_POSIXAIO && j->o.pa_notify == PA_SIGNAL)
		fprintf(out,
			"  signal: %llu completions by signal, %llu found by the fallback scan\n",
			(unsigned long long)st->sig_completions,
			(unsigned long long)st->poll_completions);
	if (j->o.completion == COMP_EPOLL)
		fprintf(out,
			"  epoll: %llu eventfd wakeups, %llu timerfd expirations\n",
			(unsigned long long)st->epoll_wakeups,
			(unsigned long long)st->timer_wakeups);
	if (r->final && (st->usr_ns || st->sys_ns))
		fprintf(out, "  cpu: usr=%.3fs sys=%.3fs, %.2fus per I/O\n",
			st->usr_ns / 1e9, st->sys_ns / 1e9,
			n ? (st->usr_ns + st->sys_ns) / 1e3 / n : 0.0);
}

void report_normal(FILE *out, const struct run *r)
{
	struct job_figures f[r->njobs];
	struct fairness fair;
	char a[32], b[32];
	int i, d;

	compute_figures(r, f, &fair);
	if (!r->final)
		fprintf(out, "-- status at %.1fs --\n",
			(r->t_now - r->t_go) / 1e9);
	for (i = 0; i < r->njobs; i++) {
		const struct job *j = &r->jobs[i];
		const struct job_stats *st = &r->sh->js[i];
		const struct job_figures *jf = &f[i];

		prio_str(a, sizeof(a), j, st);
		fprintf(out,
			"%s: (jobnum=%d, pid=%d): ioengine=%s rw=%s bs=%s iodepth=%u prio=%s%s%s\n",
			j->name, i, (int)st->tid, engine_names[j->o.engine],
			rw_names[j->o.rw], fmt_bs(b, sizeof(b), j->o.bs),
			j->o.iodepth, a, j->o.cgroup ? " cgroup=" : "",
			j->o.cgroup ? j->o.cgroup : "");
		for (d = 0; d < DDIR_NR; d++)
			if (jf->ios[d] || st->d[d].errors ||
			    (d == DDIR_READ && j->o.rw != RW_WRITE &&
			     j->o.rw != RW_RANDWRITE) ||
			    (d == DDIR_WRITE && j->o.rw != RW_READ &&
			     j->o.rw != RW_RANDREAD))
				normal_dir(out, r, i, d, jf);
		fprintf(out, "  share: %.2f%% of bytes", jf->share * 100);
		if (jf->expected_share >= 0)
			fprintf(out,
				" (weight %u, expected %.2f%%, error %+.2f%%)",
				j->o.weight ? j->o.weight : 1,
				jf->expected_share * 100,
				jf->share_error * 100);
		fputc('\n', out);
		models_normal(out, r, j, st, jf);
		if (st->io_errors)
			fprintf(out,
				"  errors: %llu (first: %s at offset %llu: %s)\n",
				(unsigned long long)st->io_errors,
				ddir_names[st->first_err_ddir],
				(unsigned long long)st->first_err_offset,
				st->first_errno ? strerror(st->first_errno) :
						  "short transfer");
		if (j->o.verify) {
			unsigned int k;

			fprintf(out,
				"  verify: %llu blocks checked, %llu bad\n",
				(unsigned long long)st->verify_blocks,
				(unsigned long long)st->verify_errors);
			for (k = 0; k < st->nfail && k < VFAIL_MAX; k++)
				fprintf(out,
					"    bad block at offset %llu: %s\n",
					(unsigned long long)st->fail[k].offset,
					vfail_names[st->fail[k].kind]);
		}
	}
	if (r->njobs > 1) {
		fprintf(out, "fairness: %d jobs, Jain index %.4f (%s)",
			r->njobs, fair.jain,
			fair.weighted ? "bandwidth per unit of weight" :
					"bandwidth");
		if (fair.max_share_error >= 0)
			fprintf(out, ", max share error %.2f%%",
				fair.max_share_error * 100);
		fputc('\n', out);
	}
	if (r->final && r->signo)
		fprintf(out, "stopped by signal %d after %.1fs\n", r->signo,
			(r->t_now - r->t_go) / 1e9);
	fflush(out);
}

/* --- JSON --- */

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void json_num(FILE *out, double v)
{
	if (!isfinite(v))
		fputs("null", out);
	else if (v == floor(v) && fabs(v) < 1e15)
		fprintf(out, "%.0f", v);
	else
		fprintf(out, "%.6g", v);
}

static void json_lat(FILE *out, const struct run *r, const struct hist *h,
		     const char *ind)
{
	int k;

	fprintf(out, "{\n%s  \"count\": %llu,\n", ind,
		(unsigned long long)h->count);
	fprintf(out, "%s  \"min\": %llu,\n", ind,
		(unsigned long long)(h->count ? h->min : 0));
	fprintf(out, "%s  \"max\": %llu,\n", ind, (unsigned long long)h->max);
	fprintf(out, "%s  \"mean\": ", ind);
	json_num(out, hist_mean(h));
	fprintf(out, ",\n%s  \"stddev\": ", ind);
	json_num(out, hist_stddev(h));
	fprintf(out, ",\n%s  \"percentiles\": {", ind);
	for (k = 0; k < r->g->npercentiles; k++)
		fprintf(out, "%s\"%g\": %llu", k ? ", " : "",
			r->g->percentiles[k],
			(unsigned long long)hist_percentile(
				h, r->g->percentiles[k]));
	fprintf(out, "}\n%s}", ind);
}

static void json_dir(FILE *out, const struct run *r, int i, int d,
		     const struct job_figures *jf)
{
	const struct dir_stats *ds = &r->sh->js[i].d[d];
	const char *ind = "        ";

	fprintf(out, "      \"%s\": {\n", ddir_names[d]);
	fprintf(out, "%s\"ios\": %llu,\n", ind, (unsigned long long)ds->ios);
	fprintf(out, "%s\"bytes\": %llu,\n", ind,
		(unsigned long long)ds->bytes);
	fprintf(out, "%s\"errors\": %llu,\n", ind,
		(unsigned long long)ds->errors);
	fprintf(out, "%s\"iops\": ", ind);
	json_num(out, jf->iops[d]);
	fprintf(out, ",\n%s\"bw_bytes\": ", ind);
	json_num(out, jf->bw[d]);
	fprintf(out, ",\n%s\"clat_ns\": ", ind);
	json_lat(out, r, &ds->h, ind);
	fprintf(out, "\n      },\n");
}

static void json_series(FILE *out, const struct series *s)
{
	size_t k;

	fprintf(out, "      \"series\": [");
	for (k = 0; k < s->n; k++) {
		const struct sample *p = &s->s[k];
		double dt = p->dt_ns / 1e9;

		fprintf(out, "%s\n        {\"t_ms\": %llu, \"dt_ms\": %llu, ",
			k ? "," : "",
			(unsigned long long)(p->t_ns / NSEC_PER_MSEC),
			(unsigned long long)(p->dt_ns / NSEC_PER_MSEC));
		fprintf(out, "\"read_ios\": %llu, \"write_ios\": %llu, ",
			(unsigned long long)p->ios[0],
			(unsigned long long)p->ios[1]);
		fprintf(out, "\"read_bytes\": %llu, \"write_bytes\": %llu, ",
			(unsigned long long)p->bytes[0],
			(unsigned long long)p->bytes[1]);
		fprintf(out, "\"iops\": ");
		json_num(out, dt > 0 ? (p->ios[0] + p->ios[1]) / dt : 0);
		fprintf(out, ", \"bw_bytes\": ");
		json_num(out, dt > 0 ? (p->bytes[0] + p->bytes[1]) / dt : 0);
		fprintf(out,
			", \"clat_mean_ns\": %llu, \"clat_p50_ns\": %llu, \"clat_p99_ns\": %llu, \"clat_max_ns\": %llu}",
			(unsigned long long)p->lat_mean,
			(unsigned long long)p->lat_p50,
			(unsigned long long)p->lat_p99,
			(unsigned long long)p->lat_max);
	}
	fprintf(out, "%s],\n", s->n ? "\n      " : "");
}

/* ,"NAME": {"K1": V1, "K2": V2}, or null where the job does not count them */
static void json_pair(FILE *out, const char *name, bool on, const char *k1,
		      uint64_t v1, const char *k2, uint64_t v2)
{
	fprintf(out, "      \"%s\": ", name);
	if (on)
		fprintf(out, "{\"%s\": %llu, \"%s\": %llu},\n", k1,
			(unsigned long long)v1, k2, (unsigned long long)v2);
	else
		fputs("null,\n", out);
}

static void models_json(FILE *out, const struct job *j,
			const struct job_stats *st,
			const struct job_figures *jf)
{
	uint64_t n = job_ios(jf);

	fprintf(out, "      \"completion\": \"%s\",\n",
		completion_names[j->o.completion]);
	json_pair(out, "nowait", j->o.nowait, "ios", st->nowait_ios, "eagain",
		  st->nowait_eagain);
	json_pair(out, "signal",
		  j->o.engine == ENG_POSIXAIO && j->o.pa_notify == PA_SIGNAL,
		  "by_signal", st->sig_completions, "by_poll",
		  st->poll_completions);
	json_pair(out, "epoll", j->o.completion == COMP_EPOLL,
		  "eventfd_wakeups", st->epoll_wakeups, "timer_wakeups",
		  st->timer_wakeups);
	fprintf(out,
		"      \"cpu\": {\"usr_us\": %llu, \"sys_us\": %llu, \"us_per_io\": ",
		(unsigned long long)(st->usr_ns / NSEC_PER_USEC),
		(unsigned long long)(st->sys_ns / NSEC_PER_USEC));
	if (n)
		json_num(out, (st->usr_ns + st->sys_ns) / 1e3 / n);
	else
		fputs("null", out);
	fprintf(out, "},\n");
}

void report_json(FILE *out, const struct run *r)
{
	struct job_figures f[r->njobs];
	struct fairness fair;
	int i, d;

	compute_figures(r, f, &fair);
	fprintf(out, "{\n  \"aioload_version\": \"%s\",\n", AIOLOAD_VERSION);
	fprintf(out, "  \"schema\": 1,\n");
	fprintf(out, "  \"final\": %s,\n", r->final ? "true" : "false");
	fprintf(out, "  \"elapsed_ms\": %llu,\n",
		(unsigned long long)((r->t_now - r->t_go) / NSEC_PER_MSEC));
	fprintf(out, "  \"signal\": %d,\n", r->signo);
	fprintf(out, "  \"log_avg_msec\": %llu,\n",
		(unsigned long long)(r->g->log_avg_ns / NSEC_PER_MSEC));
	fprintf(out, "  \"jobs\": [");
	for (i = 0; i < r->njobs; i++) {
		const struct job *j = &r->jobs[i];
		const struct job_stats *st = &r->sh->js[i];
		const struct job_figures *jf = &f[i];
		unsigned int k;

		fprintf(out, "%s\n    {\n", i ? "," : "");
		fprintf(out, "      \"name\": ");
		json_str(out, j->name);
		fprintf(out, ",\n      \"jobnum\": %d,\n", i);
		fprintf(out, "      \"pid\": %d,\n", (int)st->pid);
		fprintf(out, "      \"tid\": %d,\n", (int)st->tid);
		fprintf(out, "      \"filename\": ");
		json_str(out, j->o.filename);
		fprintf(out, ",\n      \"ioengine\": \"%s\",\n",
			engine_names[j->o.engine]);
		fprintf(out, "      \"rw\": \"%s\",\n", rw_names[j->o.rw]);
		fprintf(out, "      \"bs\": %llu,\n",
			(unsigned long long)j->o.bs);
		fprintf(out, "      \"iodepth\": %u,\n", j->o.iodepth);
		fprintf(out, "      \"direct\": %s,\n",
			j->o.direct ? "true" : "false");
		fprintf(out, "      \"offset\": %llu,\n",
			(unsigned long long)j->region_start);
		fprintf(out, "      \"size\": %llu,\n",
			(unsigned long long)j->region_len);
		if (j->o.prioclass >= 0 || j->o.prio >= 0)
			fprintf(out,
				"      \"prioclass\": \"%s\",\n      \"prio\": %d,\n",
				prioclass_names[IOPRIO_PRIO_CLASS(st->ioprio) &
						3],
				IOPRIO_PRIO_DATA(st->ioprio));
		else
			fprintf(out,
				"      \"prioclass\": null,\n      \"prio\": null,\n");
		fprintf(out, "      \"cgroup\": ");
		if (j->cgroup_path)
			json_str(out, j->cgroup_path);
		else
			fputs("null", out);
		fprintf(out, ",\n      \"weight\": ");
		if (j->o.weight)
			fprintf(out, "%u", j->o.weight);
		else
			fputs("null", out);
		fprintf(out, ",\n      \"runtime_ms\": %llu,\n",
			(unsigned long long)(jf->runtime_ns / NSEC_PER_MSEC));
		for (d = 0; d < DDIR_NR; d++)
			json_dir(out, r, i, d, jf);
		fprintf(out, "      \"share\": ");
		json_num(out, jf->share);
		fprintf(out, ",\n      \"expected_share\": ");
		if (jf->expected_share >= 0)
			json_num(out, jf->expected_share);
		else
			fputs("null", out);
		fprintf(out, ",\n      \"share_error\": ");
		if (jf->expected_share >= 0)
			json_num(out, jf->share_error);
		else
			fputs("null", out);
		fprintf(out, ",\n      \"errors\": %llu,\n",
			(unsigned long long)st->io_errors);
		fprintf(out, "      \"first_error\": ");
		if (st->io_errors) {
			fprintf(out,
				"{\"ddir\": \"%s\", \"offset\": %llu, \"errno\": %d, \"message\": ",
				ddir_names[st->first_err_ddir],
				(unsigned long long)st->first_err_offset,
				st->first_errno);
			json_str(out, st->first_errno ?
					      strerror(st->first_errno) :
					      "short transfer");
			fputc('}', out);
		} else {
			fputs("null", out);
		}
		fprintf(out, ",\n      \"verify\": ");
		if (j->o.verify) {
			fprintf(out,
				"{\"blocks\": %llu, \"errors\": %llu, \"failures\": [",
				(unsigned long long)st->verify_blocks,
				(unsigned long long)st->verify_errors);
			for (k = 0; k < st->nfail && k < VFAIL_MAX; k++)
				fprintf(out,
					"%s{\"offset\": %llu, \"kind\": \"%s\"}",
					k ? ", " : "",
					(unsigned long long)st->fail[k].offset,
					vfail_keys[st->fail[k].kind]);
			fprintf(out, "]}");
		} else {
			fputs("null", out);
		}
		fprintf(out, ",\n");
		models_json(out, j, st, jf);
		json_series(out, &r->series[i]);
		fprintf(out, "      \"exit_code\": %d\n    }", st->exit_code);
	}
	fprintf(out, "\n  ],\n  \"fairness\": {\n");
	fprintf(out, "    \"jobs\": %d,\n    \"jain_index\": ", r->njobs);
	json_num(out, fair.jain);
	fprintf(out, ",\n    \"basis\": \"%s\",\n",
		fair.weighted ? "bw_per_weight" : "bw");
	fprintf(out, "    \"weighted\": %s,\n",
		fair.weighted ? "true" : "false");
	fprintf(out, "    \"max_share_error\": ");
	if (fair.max_share_error >= 0)
		json_num(out, fair.max_share_error);
	else
		fputs("null", out);
	fprintf(out, "\n  }\n}\n");
	fflush(out);
}

void report_series_csv(FILE *out, const struct run *r)
{
	int i;
	size_t k;

	fprintf(out,
		"t_ms,dt_ms,jobnum,name,read_ios,write_ios,read_bytes,write_bytes,iops,bw_bytes,clat_mean_ns,clat_p50_ns,clat_p99_ns,clat_max_ns\n");
	for (i = 0; i < r->njobs; i++) {
		const struct series *s = &r->series[i];

		for (k = 0; k < s->n; k++) {
			const struct sample *p = &s->s[k];
			double dt = p->dt_ns / 1e9;

			fprintf(out,
				"%llu,%llu,%d,%s,%llu,%llu,%llu,%llu,%.1f,%.1f,%llu,%llu,%llu,%llu\n",
				(unsigned long long)(p->t_ns / NSEC_PER_MSEC),
				(unsigned long long)(p->dt_ns / NSEC_PER_MSEC),
				i, r->jobs[i].name,
				(unsigned long long)p->ios[0],
				(unsigned long long)p->ios[1],
				(unsigned long long)p->bytes[0],
				(unsigned long long)p->bytes[1],
				dt > 0 ? (p->ios[0] + p->ios[1]) / dt : 0,
				dt > 0 ? (p->bytes[0] + p->bytes[1]) / dt : 0,
				(unsigned long long)p->lat_mean,
				(unsigned long long)p->lat_p50,
				(unsigned long long)p->lat_p99,
				(unsigned long long)p->lat_max);
		}
	}
	fflush(out);
}

/* One line, rewritten in place: elapsed time, jobs, IOPS and bandwidth. */
void progress_line(FILE *out, const struct run *r)
{
	uint64_t ios[DDIR_NR] = { 0 }, bytes[DDIR_NR] = { 0 }, limit = 0;
	char a[32], b[32], c[32], e[32], t[32];
	int i, running = 0;
	double dt = 0;

	for (i = 0; i < r->njobs; i++) {
		const struct series *s = &r->series[i];
		const struct job *j = &r->jobs[i];
		uint64_t lim;

		if (r->sh->js[i].state == JS_RUNNING)
			running++;
		if (s->n) {
			const struct sample *p = &s->s[s->n - 1];

			ios[0] += p->ios[0];
			ios[1] += p->ios[1];
			bytes[0] += p->bytes[0];
			bytes[1] += p->bytes[1];
			dt = p->dt_ns / 1e9;
		}
		lim = j->o.runtime_ns ? j->o.ramp_ns + j->o.runtime_ns : 0;
		if (lim > limit)
			limit = lim;
	}
	if (dt <= 0)
		dt = 1;
	if (limit)
		snprintf(t, sizeof(t), "%.0fs/%.0fs",
			 (r->t_now - r->t_go) / 1e9, limit / 1e9);
	else
		snprintf(t, sizeof(t), "%.0fs", (r->t_now - r->t_go) / 1e9);
	fprintf(out,
		"\r[%s] jobs: %d/%d  r: %s IOPS %s/s  w: %s IOPS %s/s\033[K", t,
		running, r->njobs, fmt_count(a, sizeof(a), ios[0] / dt),
		fmt_bytes(b, sizeof(b), bytes[0] / dt),
		fmt_count(c, sizeof(c), ios[1] / dt),
		fmt_bytes(e, sizeof(e), bytes[1] / dt));
	fflush(out);
}
