// SPDX-License-Identifier: GPL-2.0
/*
 * aioload: the command line.
 *
 * Options are named as fio names them.  Those given before the first --name
 * are defaults for every job; each --name starts a job that takes them and
 * then its own.  Run-wide options (output, intervals, --thread) may appear
 * anywhere.  One table drives getopt_long, the parsing and --help.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "size.h"

const char *const rw_names[] = {
	"read", "write", "randread", "randwrite", "rw", "randrw", NULL,
};

const char *const engine_names[] = {
	"sync", "psync", "libaio", "posixaio", "io_uring", "pvsync2", NULL,
};

const char *const prioclass_names[] = { "none", "rt", "be", "idle", NULL };
const char *const notify_names[] = {
	"poll", "suspend", "signal", "thread", NULL,
};
const char *const lio_names[] = { "off", "wait", "nowait", NULL };
const char *const completion_names[] = { "wait", "epoll", NULL };
static const char *const verify_names[] = { "none", "crc32c", NULL };
static const char *const format_names[] = { "normal", "json", NULL };
static const char *const eta_names[] = { "auto", "always", "never", NULL };

enum opt_type {
	OT_STR, /* a string kept as given */
	OT_SIZE, /* bytes, as fio writes them (size.h) */
	OT_UINT, /* a plain number */
	OT_BOOL, /* 0/1, yes/no, on/off; no value means 1 */
	OT_TIME, /* a duration with us/ms/s/m/h suffixes */
	OT_ENUM, /* one of names[], or its index */
	OT_SPECIAL, /* handled in apply_special() */
};

enum field_type { FT_NONE, FT_BOOL, FT_INT, FT_UINT, FT_U64, FT_STR };

#define S_JOB 0
#define S_GLOBAL 1

struct opt_desc {
	const char *name;
	enum opt_type type;
	int scope;
	enum field_type ft;
	size_t off;
	const char *const *names;
	uint64_t min, max;
	uint64_t unit; /* OT_TIME: what a bare number means, in ns */
	const char *arg;
	const char *help;
};

/*
 * Special options, parsed by apply_special(): their ids sit in .off.
 */
enum {
	SP_NAME,
	SP_HELP,
	SP_VERSION,
	SP_RWMIXWRITE,
	SP_BUFFERED,
	SP_PERCENTILES,
	SP_READWRITE,
	SP_RANDSEED,
};

#define U32MAX 0xffffffffULL

static const struct opt_desc optab[] = {
	/* job definition */
	{ "name", OT_SPECIAL, S_JOB, FT_NONE, SP_NAME, NULL, 0, 0, 0, "NAME",
	  "start a new job called NAME; options before the first --name are defaults for all jobs" },
	{ "filename", OT_STR, S_JOB, FT_STR,
	  offsetof(struct job_opts, filename), NULL, 0, 0, 0, "PATH",
	  "file or block device to drive" },
	{ "ioengine", OT_ENUM, S_JOB, FT_INT, offsetof(struct job_opts, engine),
	  engine_names, 0, 0, 0, "ENGINE",
	  "sync, psync, pvsync2, libaio, posixaio or io_uring (default psync)" },
	{ "rw", OT_ENUM, S_JOB, FT_INT, offsetof(struct job_opts, rw), rw_names,
	  0, 0, 0, "MODE",
	  "read, write, randread, randwrite, rw or randrw (default read)" },
	{ "readwrite", OT_SPECIAL, S_JOB, FT_NONE, SP_READWRITE, NULL, 0, 0, 0,
	  "MODE", "same as --rw" },
	{ "rwmixread", OT_UINT, S_JOB, FT_UINT,
	  offsetof(struct job_opts, rwmixread), NULL, 0, 100, 0, "PCT",
	  "percentage of reads in rw and randrw (default 50)" },
	{ "rwmixwrite", OT_SPECIAL, S_JOB, FT_NONE, SP_RWMIXWRITE, NULL, 0, 100,
	  0, "PCT", "percentage of writes in rw and randrw (100 - rwmixread)" },
	{ "bs", OT_SIZE, S_JOB, FT_U64, offsetof(struct job_opts, bs), NULL, 1,
	  1ULL << 30, 0, "SIZE", "block size of every I/O (default 4k)" },
	{ "iodepth", OT_UINT, S_JOB, FT_UINT,
	  offsetof(struct job_opts, iodepth), NULL, 1, 65536, 0, "N",
	  "I/Os kept in flight by the asynchronous engines (default 1)" },
	{ "iodepth_batch", OT_UINT, S_JOB, FT_UINT,
	  offsetof(struct job_opts, iodepth_batch), NULL, 0, 65536, 0, "N",
	  "submit once N I/Os are staged (default 0: all that fit)" },
	{ "iodepth_batch_submit", OT_UINT, S_JOB, FT_UINT,
	  offsetof(struct job_opts, iodepth_batch), NULL, 0, 65536, 0, "N",
	  "same as --iodepth_batch" },
	{ "iodepth_batch_complete_min", OT_UINT, S_JOB, FT_UINT,
	  offsetof(struct job_opts, batch_complete_min), NULL, 0, 65536, 0, "N",
	  "wait for at least N completions at a time (default 1)" },
	{ "iodepth_batch_complete_max", OT_UINT, S_JOB, FT_UINT,
	  offsetof(struct job_opts, batch_complete_max), NULL, 0, 65536, 0, "N",
	  "reap at most N completions at a time (default 0: all in flight)" },
	{ "size", OT_SIZE, S_JOB, FT_U64, offsetof(struct job_opts, size), NULL,
	  0, UINT64_MAX, 0, "SIZE",
	  "bytes of the region to drive (default: the file or device from --offset on)" },
	{ "offset", OT_SIZE, S_JOB, FT_U64, offsetof(struct job_opts, offset),
	  NULL, 0, UINT64_MAX, 0, "SIZE", "start of the region (default 0)" },
	{ "offset_increment", OT_SIZE, S_JOB, FT_U64,
	  offsetof(struct job_opts, offset_increment), NULL, 0, UINT64_MAX, 0,
	  "SIZE", "the k-th clone of --numjobs starts k * SIZE further" },
	{ "runtime", OT_TIME, S_JOB, FT_U64,
	  offsetof(struct job_opts, runtime_ns), NULL, 0, UINT64_MAX,
	  NSEC_PER_SEC, "TIME",
	  "stop after TIME (seconds, or with us/ms/s/m/h)" },
	{ "time_based", OT_BOOL, S_JOB, FT_BOOL,
	  offsetof(struct job_opts, time_based), NULL, 0, 1, 0, "[BOOL]",
	  "run for the whole --runtime, going over the region again as needed" },
	{ "ramp_time", OT_TIME, S_JOB, FT_U64,
	  offsetof(struct job_opts, ramp_ns), NULL, 0, UINT64_MAX, NSEC_PER_SEC,
	  "TIME", "run TIME before counting anything" },
	{ "loops", OT_UINT, S_JOB, FT_UINT, offsetof(struct job_opts, loops),
	  NULL, 1, U32MAX, 0, "N", "go over the region N times (default 1)" },
	{ "numjobs", OT_UINT, S_JOB, FT_UINT,
	  offsetof(struct job_opts, numjobs), NULL, 1, 4096, 0, "N",
	  "run N clones of this job (default 1)" },
	{ "direct", OT_BOOL, S_JOB, FT_BOOL, offsetof(struct job_opts, direct),
	  NULL, 0, 1, 0, "[BOOL]", "open with O_DIRECT (default 0)" },
	{ "buffered", OT_SPECIAL, S_JOB, FT_NONE, SP_BUFFERED, NULL, 0, 1, 0,
	  "[BOOL]", "the opposite of --direct" },
	{ "prioclass", OT_ENUM, S_JOB, FT_INT,
	  offsetof(struct job_opts, prioclass), prioclass_names, 0, 0, 0,
	  "CLASS", "I/O priority class: rt, be, idle, none or 1, 2, 3, 0" },
	{ "prio", OT_UINT, S_JOB, FT_INT, offsetof(struct job_opts, prio), NULL,
	  0, 7, 0, "LEVEL",
	  "I/O priority level 0 (highest) to 7 (default 4 when a class is given)" },
	{ "cmdprio_percentage", OT_UINT, S_JOB, FT_INT,
	  offsetof(struct job_opts, cmdprio_pct), NULL, 0, 100, 0, "PCT",
	  "percentage of I/Os that carry a per-I/O priority (libaio, io_uring; default 100 when a priority is set)" },
	{ "cmdprio_class", OT_ENUM, S_JOB, FT_INT,
	  offsetof(struct job_opts, cmdprio_class), prioclass_names, 0, 0, 0,
	  "CLASS", "class of the per-I/O priority (default --prioclass)" },
	{ "cmdprio", OT_UINT, S_JOB, FT_INT, offsetof(struct job_opts, cmdprio),
	  NULL, 0, 7, 0, "LEVEL",
	  "level of the per-I/O priority (default --prio)" },
	{ "cgroup", OT_STR, S_JOB, FT_STR, offsetof(struct job_opts, cgroup),
	  NULL, 0, 0, 0, "PATH",
	  "cgroup the job joins: relative to the cgroup2 mount, or absolute (cgroup2, or a cgroup v1 blkio hierarchy); created if missing" },
	{ "cgroup_weight", OT_UINT, S_JOB, FT_UINT,
	  offsetof(struct job_opts, cgroup_weight), NULL, 1, 10000, 0, "N",
	  "write N to the cgroup's weight file of the scheduler the job's disk runs: io.cfq.weight or blkio.weight (cfq), io.bfq.weight or blkio.bfq.weight (bfq), io.weight (blk-iocost enabled); exit 2 if none" },
	{ "weight", OT_UINT, S_JOB, FT_UINT, offsetof(struct job_opts, weight),
	  NULL, 1, 1000000, 0, "N",
	  "the share of service this job should get, relative to the other jobs' weights" },
	{ "rate_iops", OT_UINT, S_JOB, FT_U64,
	  offsetof(struct job_opts, rate_iops), NULL, 0, 100000000, 0, "N",
	  "issue at most N I/Os per second" },
	{ "thinktime", OT_TIME, S_JOB, FT_U64,
	  offsetof(struct job_opts, thinktime_ns), NULL, 0, UINT64_MAX,
	  NSEC_PER_USEC, "TIME",
	  "pause TIME (microseconds, or with a suffix) after every --thinktime_blocks I/Os" },
	{ "thinktime_blocks", OT_UINT, S_JOB, FT_UINT,
	  offsetof(struct job_opts, thinktime_blocks), NULL, 1, U32MAX, 0, "N",
	  "I/Os between two pauses of --thinktime (default 1)" },
	{ "verify", OT_ENUM, S_JOB, FT_INT, offsetof(struct job_opts, verify),
	  verify_names, 0, 0, 0, "MODE",
	  "none (0) or crc32c (1): write checkable blocks and check them when read" },
	{ "verify_stop", OT_BOOL, S_JOB, FT_BOOL,
	  offsetof(struct job_opts, verify_stop), NULL, 0, 1, 0, "[BOOL]",
	  "stop the job (SIGSTOP) between its write and read-back phases, for tests that tamper with the data" },
	{ "continue_on_error", OT_BOOL, S_JOB, FT_BOOL,
	  offsetof(struct job_opts, continue_on_error), NULL, 0, 1, 0, "[BOOL]",
	  "keep going after an I/O error (they are still counted)" },
	{ "end_fsync", OT_BOOL, S_JOB, FT_BOOL,
	  offsetof(struct job_opts, end_fsync), NULL, 0, 1, 0, "[BOOL]",
	  "fsync the file when the job ends" },
	{ "randseed", OT_SPECIAL, S_JOB, FT_NONE, SP_RANDSEED, NULL, 0, 0, 0,
	  "N",
	  "seed of the offsets and the read/write mix (default: from the job number)" },
	/* engine options */
	{ "sqthread_poll", OT_BOOL, S_JOB, FT_BOOL,
	  offsetof(struct job_opts, sqpoll), NULL, 0, 1, 0, "[BOOL]",
	  "io_uring: a kernel thread polls the submission queue (SQPOLL)" },
	{ "registerfiles", OT_BOOL, S_JOB, FT_BOOL,
	  offsetof(struct job_opts, regfiles), NULL, 0, 1, 0, "[BOOL]",
	  "io_uring: register the file (fixed file)" },
	{ "fixedbufs", OT_BOOL, S_JOB, FT_BOOL,
	  offsetof(struct job_opts, fixedbufs), NULL, 0, 1, 0, "[BOOL]",
	  "io_uring: register the buffers (READ_FIXED / WRITE_FIXED)" },
	{ "posixaio_notify", OT_ENUM, S_JOB, FT_INT,
	  offsetof(struct job_opts, pa_notify), notify_names, 0, 0, 0, "HOW",
	  "posixaio: learn of completions by poll (aio_error), suspend (aio_suspend), signal (SIGEV_SIGNAL) or thread (SIGEV_THREAD); default suspend" },
	{ "lio", OT_ENUM, S_JOB, FT_INT, offsetof(struct job_opts, lio),
	  lio_names, 0, 0, 0, "MODE",
	  "posixaio: submit batches with lio_listio: off, wait (LIO_WAIT) or nowait (LIO_NOWAIT)" },
	{ "nowait", OT_BOOL, S_JOB, FT_BOOL, offsetof(struct job_opts, nowait),
	  NULL, 0, 1, 0, "[BOOL]",
	  "pvsync2: RWF_NOWAIT; an I/O that would block fails with EAGAIN, is counted and done again blocking" },
	{ "hipri", OT_BOOL, S_JOB, FT_BOOL, offsetof(struct job_opts, hipri),
	  NULL, 0, 1, 0, "[BOOL]",
	  "pvsync2: RWF_HIPRI, poll for the completion (needs --direct and a device with poll queues)" },
	{ "completion", OT_ENUM, S_JOB, FT_INT,
	  offsetof(struct job_opts, completion), completion_names, 0, 0, 0,
	  "HOW",
	  "libaio, io_uring: wait for completions in the engine's own call (wait, the default) or in epoll on an eventfd the engine signals, next to a timerfd (epoll)" },
	/* run-wide */
	{ "thread", OT_BOOL, S_GLOBAL, FT_BOOL,
	  offsetof(struct global_opts, thread), NULL, 0, 1, 0, "[BOOL]",
	  "run the jobs as threads of one process instead of separate processes" },
	{ "output-format", OT_ENUM, S_GLOBAL, FT_INT,
	  offsetof(struct global_opts, output_format), format_names, 0, 0, 0,
	  "FMT", "normal or json" },
	{ "output", OT_STR, S_GLOBAL, FT_STR,
	  offsetof(struct global_opts, output), NULL, 0, 0, 0, "FILE",
	  "write the report to FILE instead of stdout" },
	{ "status-interval", OT_TIME, S_GLOBAL, FT_U64,
	  offsetof(struct global_opts, status_interval_ns), NULL, 0, UINT64_MAX,
	  NSEC_PER_SEC, "TIME", "also report every TIME while the jobs run" },
	{ "log_avg_msec", OT_TIME, S_GLOBAL, FT_U64,
	  offsetof(struct global_opts, log_avg_ns), NULL, 0, UINT64_MAX,
	  NSEC_PER_MSEC, "TIME",
	  "interval of the time series (milliseconds, or with a suffix; default 1000)" },
	{ "series_csv", OT_STR, S_GLOBAL, FT_STR,
	  offsetof(struct global_opts, series_csv), NULL, 0, 0, 0, "FILE",
	  "write the time series to FILE as CSV" },
	{ "percentile_list", OT_SPECIAL, S_GLOBAL, FT_NONE, SP_PERCENTILES,
	  NULL, 0, 0, 0, "P:P:...",
	  "latency percentiles to report (default 50:90:99:99.9)" },
	{ "eta", OT_ENUM, S_GLOBAL, FT_INT, offsetof(struct global_opts, eta),
	  eta_names, 0, 0, 0, "WHEN",
	  "progress line on stderr: auto (when a terminal), always or never" },
	{ "help", OT_SPECIAL, S_GLOBAL, FT_NONE, SP_HELP, NULL, 0, 0, 0, NULL,
	  "show this help" },
	{ "version", OT_SPECIAL, S_GLOBAL, FT_NONE, SP_VERSION, NULL, 0, 0, 0,
	  NULL, "show the version" },
};

#define NOPTS (sizeof(optab) / sizeof(optab[0]))

void die_usage(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("aioload: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_USAGE);
}

static int parse_u64(const char *s, uint64_t *v, char **end)
{
	int base = 10;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16;
	errno = 0;
	*v = strtoull(s, end, base);
	if (errno || *end == s)
		return -1;
	return 0;
}

/* "10", "500ms", "2m": a bare number counts in unit_ns. */
int parse_time(const char *s, uint64_t unit_ns, uint64_t *v)
{
	uint64_t n, mul;
	char *end;

	if (parse_u64(s, &n, &end))
		return -1;
	if (!*end)
		mul = unit_ns;
	else if (!strcmp(end, "ns"))
		mul = 1;
	else if (!strcmp(end, "us") || !strcmp(end, "usec"))
		mul = NSEC_PER_USEC;
	else if (!strcmp(end, "ms") || !strcmp(end, "msec"))
		mul = NSEC_PER_MSEC;
	else if (!strcmp(end, "s") || !strcmp(end, "sec"))
		mul = NSEC_PER_SEC;
	else if (!strcmp(end, "m") || !strcmp(end, "min"))
		mul = 60 * NSEC_PER_SEC;
	else if (!strcmp(end, "h"))
		mul = 3600 * NSEC_PER_SEC;
	else
		return -1;
	if (n && mul > UINT64_MAX / n)
		return -1;
	*v = n * mul;
	return 0;
}

static int parse_bool(const char *s, bool *v)
{
	if (!s || !strcmp(s, "1") || !strcasecmp(s, "yes") ||
	    !strcasecmp(s, "on") || !strcasecmp(s, "true"))
		*v = true;
	else if (!strcmp(s, "0") || !strcasecmp(s, "no") ||
		 !strcasecmp(s, "off") || !strcasecmp(s, "false"))
		*v = false;
	else
		return -1;
	return 0;
}

static void enum_list(const char *const *names, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; names[i] && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
			      names[i]);
}

static int parse_enum(const struct opt_desc *d, const char *s)
{
	char list[256];
	uint64_t n;
	char *end;
	int i;

	for (i = 0; d->names[i]; i++)
		if (!strcmp(s, d->names[i]))
			return i;
	/* aliases fio knows */
	if (d->names == rw_names) {
		if (!strcmp(s, "readwrite"))
			return RW_RW;
		if (!strcmp(s, "randreadwrite"))
			return RW_RANDRW;
	}
	if (d->names == engine_names && !strcmp(s, "uring"))
		return ENG_IO_URING;
	if (!parse_u64(s, &n, &end) && !*end) {
		for (i = 0; d->names[i]; i++)
			;
		if (n < (uint64_t)i)
			return n;
	}
	enum_list(d->names, list, sizeof(list));
	die_usage("--%s: unknown value '%s' (%s)", d->name, s, list);
}

static void store(const struct opt_desc *d, void *base, uint64_t v,
		  const char *s)
{
	void *p = (char *)base + d->off;

	switch (d->ft) {
	case FT_BOOL:
		*(bool *)p = v;
		break;
	case FT_INT:
		*(int *)p = (int)v;
		break;
	case FT_UINT:
		*(unsigned int *)p = (unsigned int)v;
		break;
	case FT_U64:
		*(uint64_t *)p = v;
		break;
	case FT_STR:
		*(const char **)p = s;
		break;
	case FT_NONE:
		break;
	}
}

/* Print text from column indent on, folded before column width. */
static void print_wrapped(const char *text, int indent, int width)
{
	const char *p = text;
	int col = indent;

	while (*p) {
		const char *w = p;
		int len;

		while (*w && *w != ' ')
			w++;
		len = w - p;
		if (col > indent && col + 1 + len > width) {
			printf("\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			putchar(' ');
			col++;
		}
		printf("%.*s", len, p);
		col += len;
		p = *w ? w + 1 : w;
	}
	putchar('\n');
}

static void print_help(void)
{
	unsigned int i;
	char left[64];

	printf("usage: aioload [GLOBAL OPTIONS] [--name=JOB [JOB OPTIONS]]...\n\n"
	       "A load generator for I/O schedulers: drives a file or block device through\n"
	       "sync, psync, pvsync2, libaio, posixaio or io_uring and reports each job's\n"
	       "service, latency percentiles and the fairness between jobs.\n\n"
	       "Exit status: 0 ok, 1 I/O or verify errors, 2 bad input or setup failure,\n"
	       "128+N when stopped by signal N (after the report).\n\nOptions:\n");
	for (i = 0; i < NOPTS; i++) {
		const struct opt_desc *d = &optab[i];

		if (!d->arg)
			snprintf(left, sizeof(left), "--%s", d->name);
		else if (d->arg[0] == '[')
			snprintf(left, sizeof(left), "--%s[=%s]", d->name,
				 d->arg + 1);
		else
			snprintf(left, sizeof(left), "--%s=%s", d->name,
				 d->arg);
		if (left[strlen(left) - 1] == ']')
			left[strlen(left) - 1] = '\0';
		if (strlen(left) > 28)
			printf("  %s\n  %-28s ", left, "");
		else
			printf("  %-28s ", left);
		print_wrapped(d->help, 31, 79);
	}
	printf("\n  -h                           same as --help\n"
	       "\nSizes take k, m, g, t, p suffixes, 1024-based, with or without i and B\n"
	       "(4k, 4KiB, 1MB, 0x1000); times take us, ms, s, m, h.\n");
}

static void set_defaults(struct job_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->engine = ENG_PSYNC;
	o->rw = RW_READ;
	o->rwmixread = 50;
	o->bs = 4096;
	o->iodepth = 1;
	o->batch_complete_min = 1;
	o->loops = 1;
	o->numjobs = 1;
	o->prioclass = -1;
	o->prio = -1;
	o->cmdprio_pct = -1;
	o->cmdprio_class = -1;
	o->cmdprio = -1;
	o->thinktime_blocks = 1;
	o->pa_notify = PA_SUSPEND;
	o->lio = LIOM_OFF;
}

static void parse_percentiles(struct global_opts *g, const char *s)
{
	char buf[256], *tok, *save, *end;
	double p;

	if (strlen(s) >= sizeof(buf))
		die_usage("--percentile_list: too long");
	strcpy(buf, s);
	g->npercentiles = 0;
	for (tok = strtok_r(buf, ":,", &save); tok;
	     tok = strtok_r(NULL, ":,", &save)) {
		errno = 0;
		p = strtod(tok, &end);
		if (errno || end == tok || *end || p < 0 || p > 100)
			die_usage("--percentile_list: bad percentile '%s'",
				  tok);
		if (g->npercentiles == 16)
			die_usage("--percentile_list: at most 16 percentiles");
		g->percentiles[g->npercentiles++] = p;
	}
	if (!g->npercentiles)
		die_usage("--percentile_list: bad list '%s'", s);
}

struct parse_state {
	struct global_opts *g;
	struct job_opts global;
	struct job_opts *jobs;
	int njobs;
	struct job_opts *cur;
	/* which job options were given, to check engine-only ones */
};

static void new_job(struct parse_state *ps, const char *name)
{
	struct job_opts *o;

	if (!*name)
		die_usage("--name: empty job name");
	o = realloc(ps->jobs, (ps->njobs + 1) * sizeof(*o));
	if (!o)
		die_usage("out of memory");
	ps->jobs = o;
	o = &ps->jobs[ps->njobs++];
	*o = ps->global;
	o->name = name;
	ps->cur = o;
}

static void apply(struct parse_state *ps, const struct opt_desc *d,
		  const char *arg)
{
	void *base = d->scope == S_GLOBAL ? (void *)ps->g : (void *)ps->cur;
	uint64_t v = 0;
	bool b;
	char *end;
	int err;

	switch (d->type) {
	case OT_STR:
		if (!*arg)
			die_usage("--%s: empty value", d->name);
		store(d, base, 0, arg);
		return;
	case OT_SIZE:
		err = size_parse(arg, &v);
		if (err == -ERANGE)
			die_usage("--%s: %s is out of range [%llu, %llu]",
				  d->name, arg, (unsigned long long)d->min,
				  (unsigned long long)d->max);
		if (err)
			die_usage("--%s: bad size '%s'", d->name, arg);
		break;
	case OT_UINT:
		if (parse_u64(arg, &v, &end) || *end)
			die_usage("--%s: bad number '%s'", d->name, arg);
		break;
	case OT_TIME:
		if (parse_time(arg, d->unit, &v))
			die_usage("--%s: bad time '%s'", d->name, arg);
		break;
	case OT_BOOL:
		if (parse_bool(arg, &b))
			die_usage("--%s: bad boolean '%s' (0 or 1)", d->name,
				  arg);
		v = b;
		break;
	case OT_ENUM:
		v = parse_enum(d, arg);
		store(d, base, v, arg);
		return;
	case OT_SPECIAL:
		return;
	}
	if (d->type != OT_TIME && d->type != OT_BOOL &&
	    (v < d->min || v > d->max))
		die_usage("--%s: %s is out of range [%llu, %llu]", d->name, arg,
			  (unsigned long long)d->min,
			  (unsigned long long)d->max);
	store(d, base, v, arg);
}

static void apply_special(struct parse_state *ps, const struct opt_desc *d,
			  const char *arg)
{
	uint64_t v;
	char *end;
	bool b;

	switch (d->off) {
	case SP_NAME:
		new_job(ps, arg);
		break;
	case SP_HELP:
		print_help();
		exit(0);
	case SP_VERSION:
		printf("aioload %s\n", AIOLOAD_VERSION);
		exit(0);
	case SP_RWMIXWRITE:
		if (parse_u64(arg, &v, &end) || *end)
			die_usage("--%s: bad number '%s'", d->name, arg);
		if (v > 100)
			die_usage("--%s: %s is out of range [0, 100]", d->name,
				  arg);
		ps->cur->rwmixread = 100 - v;
		break;
	case SP_BUFFERED:
		if (parse_bool(arg, &b))
			die_usage("--%s: bad boolean '%s' (0 or 1)", d->name,
				  arg);
		ps->cur->direct = !b;
		break;
	case SP_READWRITE:
		ps->cur->rw = parse_enum(&optab[3], arg);
		break;
	case SP_RANDSEED:
		if (parse_u64(arg, &v, &end) || *end)
			die_usage("--%s: bad number '%s'", d->name, arg);
		ps->cur->randseed = v;
		ps->cur->randseed_set = true;
		break;
	case SP_PERCENTILES:
		parse_percentiles(ps->g, arg);
		break;
	}
}

static void check_job(const struct job_opts *o)
{
	if (!o->filename)
		die_usage("job '%s': --filename is required", o->name);
	if (o->time_based && !o->runtime_ns)
		die_usage("job '%s': --time_based needs --runtime", o->name);
	if (o->engine != ENG_IO_URING) {
		if (o->sqpoll)
			die_usage(
				"--sqthread_poll: only for --ioengine=io_uring");
		if (o->regfiles)
			die_usage(
				"--registerfiles: only for --ioengine=io_uring");
		if (o->fixedbufs)
			die_usage("--fixedbufs: only for --ioengine=io_uring");
	}
	if (o->cgroup_weight && !o->cgroup)
		die_usage("job '%s': --cgroup_weight needs --cgroup", o->name);
	if (o->engine != ENG_POSIXAIO && o->lio != LIOM_OFF)
		die_usage("--lio: only for --ioengine=posixaio");
	if (o->engine != ENG_PVSYNC2 && o->nowait)
		die_usage(
			"--nowait: only for --ioengine=pvsync2 (%s does not honour RWF_NOWAIT here)",
			engine_names[o->engine]);
	if (o->engine != ENG_PVSYNC2 && o->hipri)
		die_usage("--hipri: only for --ioengine=pvsync2");
	if (o->completion == COMP_EPOLL && o->engine != ENG_LIBAIO &&
	    o->engine != ENG_IO_URING)
		die_usage(
			"--completion=epoll: only for --ioengine=libaio or io_uring (%s has no completion eventfd)",
			engine_names[o->engine]);
	if (o->iodepth_batch > o->iodepth)
		die_usage("job '%s': --iodepth_batch %u is above --iodepth %u",
			  o->name, o->iodepth_batch, o->iodepth);
	if ((uint64_t)o->iodepth * o->bs > (1ULL << 32))
		die_usage("job '%s': --iodepth x --bs is above 4GiB of buffers",
			  o->name);
	if (o->verify && o->bs < 512)
		die_usage("job '%s': --verify needs --bs of at least 512",
			  o->name);
}

int parse_options(int argc, char **argv, struct global_opts *g,
		  struct job_opts **jobs)
{
	struct option lopts[NOPTS + 1];
	struct parse_state ps;
	struct job_opts *out;
	unsigned int i;
	int c, n, k, nout;

	memset(g, 0, sizeof(*g));
	g->log_avg_ns = 1000 * NSEC_PER_MSEC;
	g->percentiles[0] = 50;
	g->percentiles[1] = 90;
	g->percentiles[2] = 99;
	g->percentiles[3] = 99.9;
	g->npercentiles = 4;

	memset(&ps, 0, sizeof(ps));
	ps.g = g;
	set_defaults(&ps.global);
	ps.global.name = "job";
	ps.cur = &ps.global;

	for (i = 0; i < NOPTS; i++) {
		lopts[i].name = optab[i].name;
		if (!optab[i].arg)
			lopts[i].has_arg = no_argument;
		else if (optab[i].arg[0] == '[')
			lopts[i].has_arg = optional_argument;
		else
			lopts[i].has_arg = required_argument;
		lopts[i].flag = NULL;
		lopts[i].val = 256 + i;
	}
	memset(&lopts[NOPTS], 0, sizeof(lopts[0]));

	opterr = 0;
	for (;;) {
		int prev = optind;

		c = getopt_long(argc, argv, "+:h", lopts, NULL);
		if (c == -1)
			break;
		if (c == 'h') {
			print_help();
			exit(0);
		}
		if (c == '?') {
			if (optopt && optopt < 256)
				die_usage("unknown option '-%c'", optopt);
			die_usage("unknown option '%.*s'",
				  (int)strcspn(argv[optind - 1], "="),
				  argv[optind - 1]);
		}
		if (c == ':') {
			if (optopt >= 256)
				die_usage("--%s: needs a value",
					  optab[optopt - 256].name);
			die_usage("option '%s' needs a value", argv[prev]);
		}
		i = c - 256;
		if (optab[i].type == OT_SPECIAL)
			apply_special(&ps, &optab[i], optarg);
		else
			apply(&ps, &optab[i], optarg);
		if (optab[i].type == OT_BOOL && !optarg && optind < argc &&
		    argv[optind][0] != '-' && optind == prev + 1)
			die_usage("--%s: give the value as --%s=%s",
				  optab[i].name, optab[i].name, argv[optind]);
	}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);

	if (!ps.njobs) {
		ps.jobs = malloc(sizeof(*ps.jobs));
		if (!ps.jobs)
			die_usage("out of memory");
		ps.jobs[0] = ps.global;
		ps.njobs = 1;
	}

	/* expand --numjobs */
	for (n = 0, k = 0; k < ps.njobs; k++) {
		check_job(&ps.jobs[k]);
		n += ps.jobs[k].numjobs;
	}
	out = calloc(n, sizeof(*out));
	if (!out)
		die_usage("out of memory");
	for (nout = 0, k = 0; k < ps.njobs; k++) {
		const struct job_opts *o = &ps.jobs[k];
		unsigned int m;

		for (m = 0; m < o->numjobs; m++) {
			struct job_opts *c2 = &out[nout++];

			*c2 = *o;
			c2->offset += m * o->offset_increment;
			if (o->numjobs > 1) {
				char *nm;

				if (asprintf(&nm, "%s.%u", o->name, m) < 0)
					die_usage("out of memory");
				c2->name = nm;
			}
		}
	}
	free(ps.jobs);
	if (g->thread) {
		for (k = 0; k < nout; k++) {
			if (out[k].cgroup)
				die_usage(
					"--cgroup: needs separate processes (drop --thread)");
			if (out[k].engine == ENG_POSIXAIO &&
			    out[k].pa_notify == PA_SIGNAL)
				die_usage(
					"--posixaio_notify=signal: needs separate processes (drop --thread)");
		}
	}
	*jobs = out;
	return nout;
}
