// SPDX-License-Identifier: GPL-2.0
/*
 * aioload: the reports, normal (for people) and JSON (for scripts).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ioprio.h"
#include "json.h"
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

static void json_lat(struct json_writer *w, const struct run *r,
		     const struct hist *h)
{
	char key[32];
	int k;

	json_object(w, "clat_ns");
	json_u64(w, "count", h->count);
	json_u64(w, "min", h->count ? h->min : 0);
	json_u64(w, "max", h->max);
	json_double(w, "mean", hist_mean(h));
	json_double(w, "stddev", hist_stddev(h));
	json_object_inline(w, "percentiles");
	for (k = 0; k < r->g->npercentiles; k++) {
		snprintf(key, sizeof(key), "%g", r->g->percentiles[k]);
		json_u64(w, key, hist_percentile(h, r->g->percentiles[k]));
	}
	json_end(w);
	json_end(w);
}

static void json_dir(struct json_writer *w, const struct run *r, int i, int d,
		     const struct job_figures *jf)
{
	const struct dir_stats *ds = &r->sh->js[i].d[d];

	json_object(w, ddir_names[d]);
	json_u64(w, "ios", ds->ios);
	json_u64(w, "bytes", ds->bytes);
	json_u64(w, "errors", ds->errors);
	json_double(w, "iops", jf->iops[d]);
	json_double(w, "bw_bytes", jf->bw[d]);
	json_lat(w, r, &ds->h);
	json_end(w);
}

static void json_series(struct json_writer *w, const struct series *s)
{
	size_t k;

	json_array(w, "series");
	for (k = 0; k < s->n; k++) {
		const struct sample *p = &s->s[k];
		double dt = p->dt_ns / 1e9;

		json_object_inline(w, NULL);
		json_u64(w, "t_ms", p->t_ns / NSEC_PER_MSEC);
		json_u64(w, "dt_ms", p->dt_ns / NSEC_PER_MSEC);
		json_u64(w, "read_ios", p->ios[0]);
		json_u64(w, "write_ios", p->ios[1]);
		json_u64(w, "read_bytes", p->bytes[0]);
		json_u64(w, "write_bytes", p->bytes[1]);
		json_double(w, "iops",
			    dt > 0 ? (p->ios[0] + p->ios[1]) / dt : 0);
		json_double(w, "bw_bytes",
			    dt > 0 ? (p->bytes[0] + p->bytes[1]) / dt : 0);
		json_u64(w, "clat_mean_ns", p->lat_mean);
		json_u64(w, "clat_p50_ns", p->lat_p50);
		json_u64(w, "clat_p99_ns", p->lat_p99);
		json_u64(w, "clat_max_ns", p->lat_max);
		json_end(w);
	}
	json_end(w);
}

/* "NAME": {"K1": V1, "K2": V2}, or null where the job does not count them */
static void json_pair(struct json_writer *w, const char *name, bool on,
		      const char *k1, uint64_t v1, const char *k2, uint64_t v2)
{
	if (!on) {
		json_null(w, name);
		return;
	}
	json_object_inline(w, name);
	json_u64(w, k1, v1);
	json_u64(w, k2, v2);
	json_end(w);
}

static void models_json(struct json_writer *w, const struct job *j,
			const struct job_stats *st,
			const struct job_figures *jf)
{
	uint64_t n = job_ios(jf);

	json_string(w, "completion", completion_names[j->o.completion]);
	json_pair(w, "nowait", j->o.nowait, "ios", st->nowait_ios, "eagain",
		  st->nowait_eagain);
	json_pair(w, "signal",
		  j->o.engine == ENG_POSIXAIO && j->o.pa_notify == PA_SIGNAL,
		  "by_signal", st->sig_completions, "by_poll",
		  st->poll_completions);
	json_pair(w, "epoll", j->o.completion == COMP_EPOLL, "eventfd_wakeups",
		  st->epoll_wakeups, "timer_wakeups", st->timer_wakeups);
	json_object_inline(w, "cpu");
	json_u64(w, "usr_us", st->usr_ns / NSEC_PER_USEC);
	json_u64(w, "sys_us", st->sys_ns / NSEC_PER_USEC);
	if (n)
		json_double(w, "us_per_io",
			    (st->usr_ns + st->sys_ns) / 1e3 / n);
	else
		json_null(w, "us_per_io");
	json_end(w);
}

/* The first I/O error, null when there was none. */
static void json_first_error(struct json_writer *w, const struct job_stats *st)
{
	if (!st->io_errors) {
		json_null(w, "first_error");
		return;
	}
	json_object_inline(w, "first_error");
	json_string(w, "ddir", ddir_names[st->first_err_ddir]);
	json_u64(w, "offset", st->first_err_offset);
	json_int(w, "errno", st->first_errno);
	json_string(w, "message",
		    st->first_errno ? strerror(st->first_errno) :
				      "short transfer");
	json_end(w);
}

/* What --verify found, null without it. */
static void json_verify(struct json_writer *w, const struct job *j,
			const struct job_stats *st)
{
	unsigned int k;

	if (!j->o.verify) {
		json_null(w, "verify");
		return;
	}
	json_object_inline(w, "verify");
	json_u64(w, "blocks", st->verify_blocks);
	json_u64(w, "errors", st->verify_errors);
	json_array_inline(w, "failures");
	for (k = 0; k < st->nfail && k < VFAIL_MAX; k++) {
		json_object_inline(w, NULL);
		json_u64(w, "offset", st->fail[k].offset);
		json_string(w, "kind", vfail_keys[st->fail[k].kind]);
		json_end(w);
	}
	json_end(w);
	json_end(w);
}

static void json_job(struct json_writer *w, const struct run *r, int i,
		     const struct job_figures *jf)
{
	const struct job *j = &r->jobs[i];
	const struct job_stats *st = &r->sh->js[i];
	bool prio = j->o.prioclass >= 0 || j->o.prio >= 0;
	bool shares = jf->expected_share >= 0;
	int d;

	json_object(w, NULL);
	json_string(w, "name", j->name);
	json_int(w, "jobnum", i);
	json_int(w, "pid", (int)st->pid);
	json_int(w, "tid", (int)st->tid);
	json_string(w, "filename", j->o.filename);
	json_string(w, "ioengine", engine_names[j->o.engine]);
	json_string(w, "rw", rw_names[j->o.rw]);
	json_u64(w, "bs", j->o.bs);
	json_u64(w, "iodepth", j->o.iodepth);
	json_bool(w, "direct", j->o.direct);
	json_u64(w, "offset", j->region_start);
	json_u64(w, "size", j->region_len);
	if (prio) {
		json_string(w, "prioclass",
			    prioclass_names[IOPRIO_PRIO_CLASS(st->ioprio) & 3]);
		json_int(w, "prio", IOPRIO_PRIO_DATA(st->ioprio));
	} else {
		json_null(w, "prioclass");
		json_null(w, "prio");
	}
	json_string(w, "cgroup", j->cgroup_path);
	if (j->o.weight)
		json_u64(w, "weight", j->o.weight);
	else
		json_null(w, "weight");
	json_u64(w, "runtime_ms", jf->runtime_ns / NSEC_PER_MSEC);
	for (d = 0; d < DDIR_NR; d++)
		json_dir(w, r, i, d, jf);
	json_double(w, "share", jf->share);
	/* NAN is written as null: no job declared a --weight */
	json_double(w, "expected_share", shares ? jf->expected_share : NAN);
	json_double(w, "share_error", shares ? jf->share_error : NAN);
	json_u64(w, "errors", st->io_errors);
	json_first_error(w, st);
	json_verify(w, j, st);
	models_json(w, j, st, jf);
	json_series(w, &r->series[i]);
	json_int(w, "exit_code", st->exit_code);
	json_end(w);
}

void report_json(FILE *out, const struct run *r)
{
	struct job_figures f[r->njobs];
	struct json_writer w;
	struct fairness fair;
	int i;

	compute_figures(r, f, &fair);
	json_init(&w, out);
	json_object(&w, NULL);
	json_string(&w, "aioload_version", AIOLOAD_VERSION);
	json_int(&w, "schema", 1);
	json_bool(&w, "final", r->final);
	json_u64(&w, "elapsed_ms", (r->t_now - r->t_go) / NSEC_PER_MSEC);
	json_int(&w, "signal", r->signo);
	json_u64(&w, "log_avg_msec", r->g->log_avg_ns / NSEC_PER_MSEC);
	json_array(&w, "jobs");
	for (i = 0; i < r->njobs; i++)
		json_job(&w, r, i, &f[i]);
	json_end(&w);
	json_object(&w, "fairness");
	json_int(&w, "jobs", r->njobs);
	json_double(&w, "jain_index", fair.jain);
	json_string(&w, "basis", fair.weighted ? "bw_per_weight" : "bw");
	json_bool(&w, "weighted", fair.weighted);
	json_double(&w, "max_share_error",
		    fair.max_share_error >= 0 ? fair.max_share_error : NAN);
	json_end(&w);
	json_end(&w);
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
