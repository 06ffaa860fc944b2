// SPDX-License-Identifier: GPL-2.0
/*
 * aioload: a load generator for I/O schedulers.
 *
 * main() parses the jobs, prepares their files and cgroups, starts one
 * process (or thread) per job, lets them all go at the same moment, samples
 * their shared counters into time series while they run, and reports.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <limits.h>
#include <linux/magic.h>
#include <mntent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"
#include "options.h"
#include "report.h"
#include "verify.h"

static volatile sig_atomic_t got_signal;
static struct shared *shm;

/* cgroups this run created, removed again at the end */
static char *made_cgroups[256];
static int nmade_cgroups;

static void on_signal(int sig)
{
	if (got_signal && shm) {
		/* a second signal: do not wait for the jobs any longer */
		__atomic_store_n(&shm->abort, 2, __ATOMIC_RELAXED);
	}
	got_signal = sig;
	job_sig_stop = 1;
	if (shm)
		__atomic_store_n(&shm->stop, 1, __ATOMIC_RELAXED);
}

static bool job_writes(const struct job_opts *o)
{
	return o->rw != RW_READ && o->rw != RW_RANDREAD;
}

/* Fill [from, to) of a regular file with data, so that reads find some. */
static void lay_out(const char *fn, int fd, uint64_t from, uint64_t to)
{
	size_t len = 1 << 20;
	uint64_t s[4], *p;
	char *buf;

	buf = malloc(len);
	if (!buf)
		die_usage("out of memory");
	prng_seed(s, from);
	for (p = (uint64_t *)buf; (char *)p < buf + len; p++)
		*p = prng_next(s);
	while (from < to) {
		size_t n = to - from < len ? to - from : len;
		ssize_t w = pwrite(fd, buf, n, from);

		if (w <= 0)
			die_usage("%s: cannot lay out the file: %s", fn,
				  w < 0 ? strerror(errno) : "short write");
		from += w;
	}
	if (fsync(fd) < 0)
		die_usage("%s: fsync: %s", fn, strerror(errno));
	free(buf);
}

/* Check the job's file, create or extend it as needed, fix its region. */
static void prepare_file(struct job *j)
{
	struct job_opts *o = &j->o;
	const char *fn = o->filename;
	unsigned int lbs = 512;
	uint64_t fsize, end;
	struct stat sb;
	int fd;

	if (stat(fn, &sb) < 0) {
		if (errno != ENOENT)
			die_usage("%s: %s", fn, strerror(errno));
		if (!o->size)
			die_usage(
				"%s: No such file or directory (give --size to create it)",
				fn);
		fd = open(fn, O_CREAT | O_RDWR | O_CLOEXEC, 0644);
		if (fd < 0)
			die_usage("%s: cannot create: %s", fn, strerror(errno));
		close(fd);
		if (stat(fn, &sb) < 0)
			die_usage("%s: %s", fn, strerror(errno));
	}
	if (S_ISBLK(sb.st_mode)) {
		j->is_bdev = true;
		fd = open(fn, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die_usage("%s: %s", fn, strerror(errno));
		if (ioctl(fd, BLKGETSIZE64, &fsize) < 0 ||
		    ioctl(fd, BLKSSZGET, &lbs) < 0)
			die_usage("%s: cannot get the device size: %s", fn,
				  strerror(errno));
		close(fd);
	} else if (S_ISREG(sb.st_mode)) {
		fsize = sb.st_size;
	} else {
		die_usage("%s: not a regular file or a block device", fn);
	}

	if (!o->size) {
		if (fsize <= o->offset)
			die_usage(
				"%s: nothing to do: --offset %llu is at or past the end (%llu bytes; give --size)",
				fn, (unsigned long long)o->offset,
				(unsigned long long)fsize);
		o->size = fsize - o->offset;
	}
	j->region_start = o->offset;
	j->region_len = o->size / o->bs * o->bs;
	if (!j->region_len)
		die_usage(
			"%s: the region (%llu bytes) is smaller than --bs %llu",
			fn, (unsigned long long)o->size,
			(unsigned long long)o->bs);
	end = j->region_start + j->region_len;
	if (end > fsize) {
		if (j->is_bdev)
			die_usage(
				"%s: the region ends at %llu, past the end of the device (%llu bytes)",
				fn, (unsigned long long)end,
				(unsigned long long)fsize);
		fd = open(fn, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			die_usage("%s: %s", fn, strerror(errno));
		if (job_writes(o)) {
			if (ftruncate(fd, end) < 0)
				die_usage("%s: cannot extend to %llu bytes: %s",
					  fn, (unsigned long long)end,
					  strerror(errno));
		} else {
			lay_out(fn, fd, fsize, end);
		}
		close(fd);
	}

	j->open_flags = job_writes(o) || o->verify_stop ? O_RDWR : O_RDONLY;
	if (o->direct) {
		j->open_flags |= O_DIRECT;
		fd = open(fn, j->open_flags | O_CLOEXEC);
		if (fd < 0 && errno == EINVAL)
			die_usage(
				"%s: O_DIRECT not supported by this file system (--direct=1)",
				fn);
		if (fd < 0)
			die_usage("%s: %s", fn, strerror(errno));
		close(fd);
		if (o->bs % lbs || j->region_start % lbs)
			die_usage(
				"%s: --direct=1 needs --bs and --offset in multiples of %u bytes",
				fn, lbs);
	} else {
		fd = open(fn, j->open_flags | O_CLOEXEC);
		if (fd < 0)
			die_usage("%s: %s", fn, strerror(errno));
		close(fd);
	}
}

/*
 * A job that verifies must be alone on its blocks: another job writing
 * them would look like corruption.
 */
static void check_verify(struct run *r)
{
	struct stat a, b;
	int i, k;

	for (i = 0; i < r->njobs; i++) {
		struct job *x = &r->jobs[i];

		if (!x->o.verify)
			continue;
		if (job_writes(&x->o) &&
		    x->region_len / x->o.bs > VERIFY_MAX_BLOCKS)
			die_usage(
				"%s: --verify: %llu blocks are too many (at most %llu: lower --size or raise --bs)",
				x->name,
				(unsigned long long)(x->region_len / x->o.bs),
				VERIFY_MAX_BLOCKS);
		if (stat(x->o.filename, &a) < 0)
			continue;
		for (k = 0; k < r->njobs; k++) {
			struct job *y = &r->jobs[k];

			if (k == i ||
			    (!job_writes(&x->o) && !job_writes(&y->o)))
				continue;
			if (stat(y->o.filename, &b) < 0 ||
			    a.st_rdev != b.st_rdev || a.st_ino != b.st_ino ||
			    a.st_dev != b.st_dev)
				continue;
			if (x->region_start < y->region_start + y->region_len &&
			    y->region_start < x->region_start + x->region_len)
				die_usage(
					"--verify: jobs '%s' and '%s' share blocks of %s (give them separate regions with --offset or --offset_increment)",
					x->name, y->name, x->o.filename);
		}
	}
}

static char *cgroup2_mount(void)
{
	struct mntent *m;
	char *dir = NULL;
	FILE *f;

	f = setmntent("/proc/self/mounts", "r");
	if (!f)
		return NULL;
	while ((m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "cgroup2")) {
			dir = strdup(m->mnt_dir);
			break;
		}
	}
	endmntent(f);
	return dir;
}

/* The cgroup file system @path is on: 2 (cgroup2), 1 (cgroup v1), 0. */
static int cgroup_version(const char *path)
{
	char buf[4096], *slash;
	struct statfs sfs;

	snprintf(buf, sizeof(buf), "%s", path);
	for (;;) {
		if (!statfs(buf, &sfs)) {
			if (sfs.f_type == CGROUP2_SUPER_MAGIC)
				return 2;
			return sfs.f_type == CGROUP_SUPER_MAGIC;
		}
		slash = strrchr(buf, '/');
		if (!slash || slash == buf)
			return 0;
		*slash = '\0';
	}
}

/* mkdir -p inside the cgroup tree; remembers what it made. */
static void make_cgroup(const char *path)
{
	char buf[4096], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1;; p++) {
		if (*p != '/' && *p)
			continue;
		{
			char c = *p;

			*p = '\0';
			if (!mkdir(buf, 0755)) {
				if (nmade_cgroups < 256)
					made_cgroups[nmade_cgroups++] =
						strdup(buf);
			} else if (errno != EEXIST) {
				die_usage("--cgroup: cannot create %s: %s", buf,
					  strerror(errno));
			}
			*p = c;
			if (!c)
				break;
		}
	}
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? 0 : -1;
}

/* The first line of @path, without its newline, in @buf; 0 or -1. */
static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int ret = -1;

	if (!f)
		return -1;
	if (fgets(buf, len, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		ret = 0;
	}
	fclose(f);
	return ret;
}

/*
 * The disk under @file (a block device, or a file on one; a partition's
 * parent disk): its "MAJ:MIN" in @devno and the scheduler it runs in
 * @sched.  Return: 0, or -1 when it cannot be told.
 */
static int file_disk_sched(const char *file, char *devno, size_t devno_len,
			   char *sched, size_t sched_len)
{
	char link[128], real[PATH_MAX], path[PATH_MAX + 32], line[512];
	char *p, *e;
	struct stat st;
	dev_t d;

	if (stat(file, &st))
		return -1;
	d = S_ISBLK(st.st_mode) ? st.st_rdev : st.st_dev;
	snprintf(link, sizeof(link), "/sys/dev/block/%u:%u", major(d),
		 minor(d));
	if (!realpath(link, real))
		return -1;
	snprintf(path, sizeof(path), "%s/partition", real);
	if (!access(path, F_OK)) {
		p = strrchr(real, '/');
		if (!p)
			return -1;
		*p = '\0';
	}
	snprintf(path, sizeof(path), "%s/dev", real);
	if (read_line(path, devno, devno_len))
		return -1;
	snprintf(path, sizeof(path), "%s/queue/scheduler", real);
	if (read_line(path, line, sizeof(line)))
		return -1;
	/* "mq-deadline [cfq] none", or "none" alone without an elevator */
	p = strchr(line, '[');
	e = p ? strchr(p, ']') : NULL;
	if (p && e) {
		*e = '\0';
		p++;
	} else {
		p = line;
	}
	if (strlen(p) >= sched_len)
		return -1;
	memcpy(sched, p, strlen(p) + 1);
	return 0;
}

/* Is blk-iocost enabled on @devno ("MAJ:MIN enable=1" in io.cost.qos)? */
static bool iocost_enabled(const char *mnt, const char *devno)
{
	char path[4200], line[512];
	bool on = false;
	FILE *f;

	if (!mnt)
		return false;
	snprintf(path, sizeof(path), "%s/io.cost.qos", mnt);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(devno);

		if (!strncmp(line, devno, n) && line[n] == ' ' &&
		    strstr(line, " enable=1"))
			on = true;
	}
	fclose(f);
	return on;
}

/*
 * The weight file of the scheduler @file's disk runs: cfq's io.cfq.weight
 * (cgroup v2) or blkio.weight (v1), bfq's io.bfq.weight or
 * blkio.bfq.weight, blk-iocost's io.weight on a disk where it is enabled.
 * Any other case ends aioload with one line: the weight would do nothing.
 * On cgroup v2 the io controller is enabled from the top down to the
 * cgroup's parent first (best effort: the weight file says whether it
 * worked).
 */
static void set_cgroup_weight(const char *path, const char *mnt,
			      const char *file, unsigned int weight)
{
	char buf[4200], val[32], devno[32], sched[64];
	size_t i, top = mnt ? strlen(mnt) : 0;
	int v = cgroup_version(path);
	const char *wfile = NULL;

	if (file_disk_sched(file, devno, sizeof(devno), sched, sizeof(sched)))
		die_usage("--cgroup_weight: cannot tell which disk %s is on",
			  file);
	if (!strcmp(sched, "cfq"))
		wfile = v == 2 ? "io.cfq.weight" : "blkio.weight";
	else if (!strcmp(sched, "bfq"))
		wfile = v == 2 ? "io.bfq.weight" : "blkio.bfq.weight";
	else if (v == 2 && iocost_enabled(mnt, devno))
		wfile = "io.weight";
	if (!wfile)
		die_usage(
			"--cgroup_weight: %s is on disk %s, whose scheduler %s has no cgroup weights (cfq and bfq do, or io.weight with blk-iocost enabled)",
			file, devno, sched);

	for (i = top; v == 2 && path[i]; i++) {
		if (path[i] != '/' || i < top)
			continue;
		snprintf(buf, sizeof(buf), "%.*s/cgroup.subtree_control",
			 (int)i, path);
		write_file(buf, "+io");
	}
	snprintf(val, sizeof(val), "%u", weight);
	snprintf(buf, sizeof(buf), "%s/%s", path, wfile);
	if (write_file(buf, val))
		die_usage(
			"--cgroup_weight: cannot write %u to %s (%s runs %s): %s",
			weight, buf, devno, sched, strerror(errno));
}

static void resolve_cgroup(struct job *j, const char *mnt)
{
	const char *cg = j->o.cgroup;
	char *path;

	if (!cg)
		return;
	if (cg[0] == '/' && cgroup_version(cg)) {
		path = strdup(cg);
	} else {
		if (!mnt)
			die_usage(
				"--cgroup: no cgroup2 file system is mounted");
		while (*cg == '/')
			cg++;
		if (asprintf(&path, "%s/%s", mnt, cg) < 0)
			die_usage("out of memory");
	}
	if (!path)
		die_usage("out of memory");
	while (strlen(path) > 1 && path[strlen(path) - 1] == '/')
		path[strlen(path) - 1] = '\0';
	make_cgroup(path);
	j->cgroup_path = path;
	if (j->o.cgroup_weight)
		set_cgroup_weight(path, mnt, j->o.filename, j->o.cgroup_weight);
}

static void remove_cgroups(void)
{
	while (nmade_cgroups > 0) {
		char *p = made_cgroups[--nmade_cgroups];
		int tries;

		/* the last tasks may still be leaving */
		for (tries = 0; tries < 50 && rmdir(p) < 0 && errno == EBUSY;
		     tries++)
			usleep(10000);
		free(p);
	}
}

static void *job_thread(void *arg)
{
	struct job *j = arg;

	j->exit_code = job_run(j);
	return NULL;
}

static void sample_job(struct run *r, int i, uint64_t now)
{
	struct job_stats *st = &r->sh->js[i];
	struct series *s = &r->series[i];
	uint64_t cnt = 0, sum = 0, max = 0, v, m;
	struct sample p;
	unsigned int k;
	int d;

	memset(&p, 0, sizeof(p));
	p.t_ns = now - r->t_go;
	p.dt_ns = now - s->last_t;
	s->last_t = now;
	memset(s->delta_b, 0, HIST_BUCKETS * sizeof(*s->delta_b));
	for (d = 0; d < DDIR_NR; d++) {
		struct dir_stats *ds = &st->d[d];
		uint64_t *prev = s->prev_b + d * HIST_BUCKETS;

		v = ds->ios;
		p.ios[d] = v - s->prev_ios[d];
		s->prev_ios[d] = v;
		v = ds->bytes;
		p.bytes[d] = v - s->prev_bytes[d];
		s->prev_bytes[d] = v;
		v = ds->h.sum;
		sum += v - s->prev_sum[d];
		s->prev_sum[d] = v;
		for (k = 0; k < HIST_BUCKETS; k++) {
			v = ds->h.b[k];
			s->delta_b[k] += v - prev[k];
			cnt += v - prev[k];
			prev[k] = v;
		}
		m = __atomic_exchange_n(&st->iv_max[d], 0, __ATOMIC_RELAXED);
		if (m > max)
			max = m;
	}
	if (cnt) {
		p.lat_mean = sum / cnt;
		p.lat_p50 =
			hist_buckets_percentile(s->delta_b, cnt, 50, 0, max);
		p.lat_p99 =
			hist_buckets_percentile(s->delta_b, cnt, 99, 0, max);
		p.lat_max = max;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct sample *ns = realloc(s->s, cap * sizeof(*ns));

		if (!ns)
			return;
		s->s = ns;
		s->cap = cap;
	}
	s->s[s->n++] = p;
}

static bool job_alive(const struct job_stats *st)
{
	return st->state != JS_DONE && st->state != JS_FAILED;
}

/* Collect the jobs that ended; returns how many are still running. */
static int reap_jobs(struct run *r, bool block)
{
	int i, alive = 0, status;
	pid_t pid;

	if (r->g->thread) {
		for (i = 0; i < r->njobs; i++) {
			struct job *j = &r->jobs[i];

			if (!j->thread)
				continue;
			if (job_alive(&r->sh->js[i]) && !block) {
				alive++;
				continue;
			}
			pthread_join(j->thread, NULL);
			j->thread = 0;
		}
		return alive;
	}
	while ((pid = waitpid(-1, &status, block ? 0 : WNOHANG)) > 0 ||
	       (pid < 0 && errno == EINTR)) {
		if (pid < 0)
			continue;
		for (i = 0; i < r->njobs; i++) {
			struct job *j = &r->jobs[i];
			struct job_stats *st = &r->sh->js[i];

			if (j->pid != pid)
				continue;
			j->pid = 0;
			if (WIFEXITED(status)) {
				j->exit_code = WEXITSTATUS(status);
			} else {
				j->exit_code = 1;
				snprintf(st->errmsg, sizeof(st->errmsg),
					 "aioload: %s: killed by signal %d",
					 j->name, WTERMSIG(status));
				fprintf(stderr, "%s\n", st->errmsg);
				if (st->state == JS_INIT)
					st->state = JS_FAILED;
				else
					st->state = JS_DONE;
				st->exit_code = 1;
			}
		}
	}
	for (i = 0; i < r->njobs; i++)
		if (r->jobs[i].pid)
			alive++;
	return alive;
}

static void start_jobs(struct run *r)
{
	int i;

	fflush(NULL);
	for (i = 0; i < r->njobs; i++) {
		struct job *j = &r->jobs[i];

		if (r->g->thread) {
			if (pthread_create(&j->thread, NULL, job_thread, j))
				die_usage("cannot start a thread");
			continue;
		}
		j->pid = fork();
		if (j->pid < 0)
			die_usage("fork: %s", strerror(errno));
		if (!j->pid)
			_exit(job_run(j));
	}
}

/* Wait until every job is set up; one failure stops them all. */
static void wait_ready(struct run *r)
{
	int i, ready, failed = -1;

	for (;;) {
		ready = 0;
		for (i = 0; i < r->njobs; i++) {
			int s = __atomic_load_n(&r->sh->js[i].state,
						__ATOMIC_ACQUIRE);

			if (s == JS_READY)
				ready++;
			else if (s == JS_FAILED || s == JS_DONE)
				if (failed < 0)
					failed = i;
		}
		if (failed < 0 && !r->g->thread &&
		    reap_jobs(r, false) < r->njobs)
			for (i = 0; i < r->njobs; i++)
				if (!r->jobs[i].pid && failed < 0)
					failed = i;
		if (failed >= 0 || ready == r->njobs || got_signal)
			break;
		usleep(1000);
	}
	if (failed < 0 && !got_signal)
		return;
	__atomic_store_n(&r->sh->abort, 1, __ATOMIC_RELEASE);
	reap_jobs(r, true);
	remove_cgroups();
	if (failed >= 0) {
		const char *msg = r->sh->js[failed].errmsg;

		if (msg[0])
			fprintf(stderr, "%s\n", msg);
		else
			fprintf(stderr, "aioload: %s: failed to start\n",
				r->jobs[failed].name);
		exit(EXIT_USAGE);
	}
	exit(128 + got_signal);
}

static void init_series(struct run *r)
{
	int i;

	r->series = calloc(r->njobs, sizeof(*r->series));
	if (!r->series)
		die_usage("out of memory");
	for (i = 0; i < r->njobs; i++) {
		r->series[i].prev_b =
			calloc(DDIR_NR * HIST_BUCKETS, sizeof(uint64_t));
		r->series[i].delta_b = calloc(HIST_BUCKETS, sizeof(uint64_t));
		if (!r->series[i].prev_b || !r->series[i].delta_b)
			die_usage("out of memory");
	}
}

static void report(FILE *out, struct run *r)
{
	if (r->g->output_format == OUT_JSON)
		report_json(out, r);
	else
		report_normal(out, r);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Sample, report and show progress until every job has ended. */
static void monitor(struct run *r, FILE *out, bool progress)
{
	const struct global_opts *g = r->g;
	uint64_t next_sample, next_status, next_progress, now, wake;
	bool stopped = false;
	struct timespec ts;
	int i;

	next_sample = r->t_go + g->log_avg_ns;
	next_status = g->status_interval_ns ? r->t_go + g->status_interval_ns :
					      UINT64_MAX;
	next_progress = progress ? r->t_go + NSEC_PER_SEC / 2 : UINT64_MAX;
	for (i = 0; i < r->njobs; i++)
		r->series[i].last_t = r->t_go;

	for (;;) {
		if (got_signal && !stopped) {
			stopped = true;
			__atomic_store_n(&r->sh->stop, 1, __ATOMIC_RELAXED);
			/* wake the jobs out of their waits */
			for (i = 0; i < r->njobs; i++)
				if (r->jobs[i].pid)
					kill(r->jobs[i].pid, SIGTERM);
		}
		if (__atomic_load_n(&r->sh->abort, __ATOMIC_RELAXED) == 2) {
			for (i = 0; i < r->njobs; i++)
				if (r->jobs[i].pid)
					kill(r->jobs[i].pid, SIGKILL);
			if (r->g->thread) {
				remove_cgroups();
				_exit(128 + got_signal);
			}
		}
		if (!reap_jobs(r, false))
			break;
		now = now_ns();
		if (now >= next_sample) {
			for (i = 0; i < r->njobs; i++)
				sample_job(r, i, now);
			next_sample += g->log_avg_ns;
			if (next_sample <= now)
				next_sample = now + g->log_avg_ns;
		}
		if (now >= next_status) {
			r->t_now = now;
			if (progress)
				fputs("\r\033[K", stderr);
			report(out, r);
			next_status += g->status_interval_ns;
		}
		if (now >= next_progress) {
			r->t_now = now;
			progress_line(stderr, r);
			next_progress += NSEC_PER_SEC;
		}
		wake = min_u64(min_u64(next_sample, next_status),
			       min_u64(next_progress,
				       now + 50 * NSEC_PER_MSEC));
		if (wake > now) {
			ts.tv_sec = wake / NSEC_PER_SEC;
			ts.tv_nsec = wake % NSEC_PER_SEC;
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
					NULL);
		}
	}
	now = now_ns();
	/* the last, partial interval */
	if (now - r->series[0].last_t >= g->log_avg_ns / 10 || !r->series[0].n)
		for (i = 0; i < r->njobs; i++)
			sample_job(r, i, now);
	r->t_now = now;
	if (progress)
		fputs("\r\033[K", stderr);
}

int main(int argc, char **argv)
{
	struct global_opts g;
	struct job_opts *opts;
	struct run r;
	struct sigaction sa;
	FILE *out = stdout;
	bool progress;
	char *mnt = NULL;
	uint64_t seed;
	int i, njobs, ret = 0;
	size_t len;

	njobs = parse_options(argc, argv, &g, &opts);
	if (!g.log_avg_ns)
		die_usage("--log_avg_msec: must be at least 1ms");

	memset(&r, 0, sizeof(r));
	r.g = &g;
	r.njobs = njobs;
	r.jobs = calloc(njobs, sizeof(*r.jobs));
	if (!r.jobs)
		die_usage("out of memory");
	seed = now_ns() ^ ((uint64_t)getpid() << 32);
	for (i = 0; i < njobs; i++) {
		struct job *j = &r.jobs[i];

		j->o = opts[i];
		j->g = &g;
		j->num = i;
		j->fd = -1;
		snprintf(j->name, sizeof(j->name), "%s", opts[i].name);
		if (!engine_find(j->o.engine))
			die_usage("--ioengine=%s: not available in this build",
				  engine_names[j->o.engine]);
		if (engine_find(j->o.engine)->flags & ENGINE_SYNC)
			j->o.iodepth = 1;
		if (!j->o.randseed_set)
			j->o.randseed = 0x9e3779b97f4a7c15ULL * (i + 1);
		if (j->o.cgroup && !mnt)
			mnt = cgroup2_mount();
		prepare_file(j);
	}
	check_verify(&r);
	/* a failure from here on still removes the cgroups made */
	atexit(remove_cgroups);
	for (i = 0; i < njobs; i++)
		resolve_cgroup(&r.jobs[i], mnt);

	if (g.output) {
		out = fopen(g.output, "w");
		if (!out)
			die_usage("--output: %s: %s", g.output,
				  strerror(errno));
	}

	len = sizeof(struct shared) + njobs * sizeof(struct job_stats);
	shm = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		die_usage("cannot map the shared counters: %s",
			  strerror(errno));
	shm->run_id = splitmix64(&seed);
	r.sh = shm;
	for (i = 0; i < njobs; i++) {
		struct job *j = &r.jobs[i];
		int d;

		j->sh = shm;
		j->st = &shm->js[i];
		j->run_id = shm->run_id;
		for (d = 0; d < DDIR_NR; d++)
			hist_init(&j->st->d[d].h);
	}
	init_series(&r);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	progress = g.eta == ETA_ALWAYS ||
		   (g.eta == ETA_AUTO && isatty(STDERR_FILENO));

	start_jobs(&r);
	wait_ready(&r);
	r.t_go = now_ns();
	shm->t_go_ns = r.t_go;
	__atomic_store_n(&shm->go, 1, __ATOMIC_RELEASE);

	monitor(&r, out, progress);
	reap_jobs(&r, true);
	remove_cgroups();

	r.final = true;
	r.signo = got_signal;
	report(out, &r);
	if (g.series_csv) {
		FILE *f = fopen(g.series_csv, "w");

		if (!f) {
			fprintf(stderr, "aioload: --series_csv: %s: %s\n",
				g.series_csv, strerror(errno));
			ret = 1;
		} else {
			report_series_csv(f, &r);
			if (fclose(f))
				ret = 1;
		}
	}
	if (out != stdout && fclose(out))
		ret = 1;

	for (i = 0; i < njobs; i++) {
		const struct job_stats *st = &shm->js[i];

		if (r.jobs[i].exit_code || st->exit_code || st->io_errors ||
		    st->verify_errors)
			ret = 1;
	}
	if (got_signal)
		ret = 128 + got_signal;
	return ret;
}
