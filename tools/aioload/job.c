// SPDX-License-Identifier: GPL-2.0
/*
 * aioload: one job, from its setup to its last completion.
 *
 * The loop reads as fio's: it fills every free io_unit the depth (and the
 * rate) allows and commits the batch, then waits for at least one
 * completion, reaps and accounts all that are ready, and checks the end of
 * the phase.  The clock is read once per batch of completions (and once
 * per I/O for the synchronous engines), and nothing is allocated once the
 * job runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine.h"
#include "ioprio.h"
#include "verify.h"

/* how long a stopped job waits for what it has in flight */
#define STOP_GRACE_NS (10 * NSEC_PER_SEC)

volatile int job_sig_stop;

void job_fail(struct job *j, const char *fmt, ...)
{
	struct job_stats *st = j->st;
	size_t n;
	va_list ap;

	if (st->errmsg[0])
		return;
	n = snprintf(st->errmsg, sizeof(st->errmsg), "aioload: %s: ", j->name);
	va_start(ap, fmt);
	vsnprintf(st->errmsg + n, sizeof(st->errmsg) - n, fmt, ap);
	va_end(ap);
}

bool job_should_stop(struct job *j)
{
	return job_sig_stop || __atomic_load_n(&j->sh->stop, __ATOMIC_RELAXED);
}

/* An I/O failed or came back short: count it, tell once, maybe stop. */
void job_account_error(struct job *j, struct io_unit *u, int err)
{
	struct job_stats *st = j->st;

	st->io_errors++;
	st->d[u->ddir].errors++;
	if (st->io_errors == 1) {
		st->first_errno = err;
		st->first_err_offset = u->offset;
		st->first_err_ddir = u->ddir;
	}
	if (st->io_errors <= 5) {
		if (err)
			fprintf(stderr,
				"aioload: %s: %s error at offset %llu (%u bytes): %s\n",
				j->name,
				u->ddir == DDIR_READ ? "read" : "write",
				(unsigned long long)u->offset, u->len,
				strerror(err));
		else
			fprintf(stderr,
				"aioload: %s: short %s at offset %llu: %ld of %u bytes\n",
				j->name,
				u->ddir == DDIR_READ ? "read" : "write",
				(unsigned long long)u->offset, u->res, u->len);
	} else if (st->io_errors == 6) {
		fprintf(stderr,
			"aioload: %s: more I/O errors, not shown (the report counts them)\n",
			j->name);
	}
	if (!j->o.continue_on_error)
		j->phase = PH_DONE;
}

static void push_free(struct job *j, struct io_unit *u)
{
	u->next = j->free_list;
	j->free_list = u;
	j->nfree++;
}

static int set_ioprio(struct job *j)
{
	int class = j->o.prioclass, level = j->o.prio;
	int cclass, clevel;

	if (class < 0 && level < 0)
		return 0;
	if (class < 0)
		class = IOPRIO_CLASS_BE;
	if (level < 0)
		level = class == IOPRIO_CLASS_IDLE ? 0 : 4;
	if (class == IOPRIO_CLASS_NONE)
		level = 0;
	if (ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(class, level)) <
	    0) {
		job_fail(j, "ioprio_set(%s/%d): %s", prioclass_names[class],
			 level, strerror(errno));
		return -1;
	}
	j->st->ioprio = ioprio_get(IOPRIO_WHO_PROCESS, 0);

	/* the priority that the engines carry on each I/O */
	cclass = j->o.cmdprio_class >= 0 ? j->o.cmdprio_class : class;
	clevel = j->o.cmdprio >= 0 ? j->o.cmdprio : level;
	if (cclass == IOPRIO_CLASS_IDLE || cclass == IOPRIO_CLASS_NONE)
		clevel = 0;
	j->cmd_ioprio = IOPRIO_PRIO_VALUE(cclass, clevel);
	j->use_cmdprio = j->o.cmdprio_pct != 0;
	return 0;
}

static int join_cgroup(struct job *j)
{
	char path[4200];
	int fd;

	if (!j->cgroup_path)
		return 0;
	snprintf(path, sizeof(path), "%s/cgroup.procs", j->cgroup_path);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "0\n", 2) != 2) {
		job_fail(j, "--cgroup: cannot join %s: %s", j->cgroup_path,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int setup_buffers(struct job *j)
{
	unsigned int n = j->o.iodepth, i;
	size_t len = (size_t)n * j->o.bs;
	uint64_t s[4], *p;

	len = (len + 4095) & ~4095UL;
	j->bufmem = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (j->bufmem == MAP_FAILED) {
		j->bufmem = NULL;
		job_fail(j, "cannot map %zu bytes of buffers: %s", len,
			 strerror(errno));
		return -1;
	}
	j->ious = calloc(n, sizeof(*j->ious));
	if (!j->ious) {
		job_fail(j, "out of memory");
		return -1;
	}
	/* writes carry incompressible data */
	prng_seed(s, j->o.randseed ^ 0x5eed);
	if (j->o.rw != RW_READ && j->o.rw != RW_RANDREAD)
		for (p = j->bufmem; (char *)p < (char *)j->bufmem + len; p++)
			*p = prng_next(s);
	for (i = n; i-- > 0;) {
		struct io_unit *u = &j->ious[i];

		u->idx = i;
		u->buf = (char *)j->bufmem + (size_t)i * j->o.bs;
		u->job = j;
		push_free(j, u);
	}
	return 0;
}

static int job_setup(struct job *j)
{
	const struct job_opts *o = &j->o;

	if (set_ioprio(j))
		return -1;
	j->fd = open(o->filename, j->open_flags | O_CLOEXEC);
	if (j->fd < 0) {
		job_fail(j, "%s: %s", o->filename, strerror(errno));
		return -1;
	}
	if (setup_buffers(j))
		return -1;
	prng_seed(j->prng, o->randseed);
	j->nblocks = j->region_len / o->bs;
	if (!o->time_based)
		j->total_ios = j->nblocks * o->loops;
	if (o->rate_iops)
		j->rate_period_ns = NSEC_PER_SEC / o->rate_iops;
	if (verify_setup(j))
		return -1;
	j->ops = engine_find(o->engine);
	if (j->ops->init && j->ops->init(j))
		return -1;
	return 0;
}

static bool is_random(int rw)
{
	return rw == RW_RANDREAD || rw == RW_RANDWRITE || rw == RW_RANDRW;
}

/* Choose the next I/O of the main phase; false when there is none. */
static bool next_main(struct job *j, struct io_unit *u)
{
	uint64_t blk;
	int ddir;

	if (j->total_ios && j->issued >= j->total_ios)
		return false;
	switch (j->o.rw) {
	case RW_READ:
	case RW_RANDREAD:
		ddir = DDIR_READ;
		break;
	case RW_WRITE:
	case RW_RANDWRITE:
		ddir = DDIR_WRITE;
		break;
	default:
		ddir = prng_below(j->prng, 100) < j->o.rwmixread ? DDIR_READ :
								   DDIR_WRITE;
		break;
	}
	if (is_random(j->o.rw))
		blk = prng_below(j->prng, j->nblocks);
	else
		blk = j->seq_block;
	if (j->vtable && !verify_pick(j, &blk))
		return false;
	if (!is_random(j->o.rw))
		j->seq_block = blk + 1 == j->nblocks ? 0 : blk + 1;
	u->ddir = ddir;
	u->offset = j->region_start + blk * j->o.bs;
	u->len = j->o.bs;
	u->verify = 0;
	u->nostat = 0;
	verify_prepare(j, u);
	j->issued++;
	return true;
}

static bool next_io(struct job *j, struct io_unit *u)
{
	if (j->phase == PH_MAIN) {
		if (!next_main(j, u))
			return false;
	} else if (j->phase != PH_VERIFY || !verify_next(j, u)) {
		return false;
	}
	u->has_prio = 0;
	if (j->use_cmdprio &&
	    (j->o.cmdprio_pct < 0 || j->o.cmdprio_pct == 100 ||
	     prng_below(j->prng, 100) < (uint64_t)j->o.cmdprio_pct)) {
		u->has_prio = 1;
		u->ioprio = j->cmd_ioprio;
	}
	return true;
}

static void complete_io(struct job *j, struct io_unit *u, uint64_t now)
{
	struct job_stats *st = j->st;

	if (u->res == -ECANCELED && j->cancelled) {
		/* stopped before it ran: neither done nor failed */
	} else if (u->res != (long)u->len) {
		if (u->res >= 0)
			st->short_ios++;
		job_account_error(j, u, u->res < 0 ? (int)-u->res : 0);
	} else if (!u->nostat && !j->ramping) {
		struct dir_stats *d = &st->d[u->ddir];
		uint64_t lat = now - u->start_ns;

		d->ios++;
		d->bytes += u->len;
		hist_add(&d->h, lat);
		if (lat > st->iv_max[u->ddir])
			st->iv_max[u->ddir] = lat;
		st->t_end_ns = now;
	}
	if (u->verify)
		verify_done(j, u);
	push_free(j, u);
}

/* The main phase has nothing more to issue. */
static bool main_over(struct job *j, uint64_t now)
{
	if (j->t_end && now >= j->t_end)
		return true;
	return j->total_ios && j->issued >= j->total_ios;
}

/* --ramp_time is over: count from now on */
static inline void ramp_check(struct job *j, uint64_t now)
{
	if (j->ramping && now >= j->t_ramp_end) {
		j->ramping = false;
		j->st->t_start_ns = j->t_ramp_end;
		j->st->t_end_ns = now;
	}
}

static struct timespec ns_to_timespec(uint64_t ns)
{
	return (struct timespec){
		.tv_sec = ns / NSEC_PER_SEC,
		.tv_nsec = ns % NSEC_PER_SEC,
	};
}

static void sleep_until(uint64_t t)
{
	struct timespec ts = ns_to_timespec(t);

	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

static int do_commit(struct job *j)
{
	int r = j->ops->commit(j);

	if (r < 0) {
		if (r == -EAGAIN && j->inflight)
			return 0;
		if (r == -EAGAIN && ++j->eagain < 1000) {
			/* nothing in flight to wait for: back off */
			usleep(1000);
			return 0;
		}
		job_fail(j, "%s: submit: %s", j->ops->name, strerror(-r));
		return r;
	}
	j->eagain = 0;
	j->queued -= r;
	j->inflight += r;
	return 0;
}

/* The main phase issued its last I/O: read back next, or end. */
static void end_main(struct job *j)
{
	j->phase = j->vtable ? PH_DRAIN : PH_DONE;
}

/* Every write is in: read them all back. */
static void start_verify(struct job *j)
{
	if (j->o.verify_stop) {
		/* a test may now tamper with the data, then SIGCONT us */
		raise(SIGSTOP);
	}
	j->phase = PH_VERIFY;
	j->vcursor = 0;
}

static bool issuing(const struct job *j)
{
	return j->phase == PH_MAIN || j->phase == PH_VERIFY;
}

/* Nothing staged and nothing in flight. */
static bool idle(const struct job *j)
{
	return !j->inflight && !j->queued;
}

/* --rate_iops: the main phase's next I/O is not due yet */
static bool rate_limited(const struct job *j, uint64_t now)
{
	return j->phase == PH_MAIN && j->rate_period_ns &&
	       now < j->next_issue_ns;
}

/* --rate_iops: when the next I/O is due, catching up on a second at most */
static void rate_advance(struct job *j, uint64_t now)
{
	j->next_issue_ns += j->rate_period_ns;
	if (j->next_issue_ns + NSEC_PER_SEC < now)
		j->next_issue_ns = now;
}

/* What one turn of the job loop hands to the next. */
struct loop {
	uint64_t now; /* the clock, read once per batch of completions */
	bool interrupted; /* told to stop (signal or the parent) */
	uint64_t t_stop; /* when */
};

/*
 * Ask the engine to cancel what is in flight; what it cancels comes back
 * with ECANCELED, which complete_io() then counts as neither done nor an
 * error.
 */
static void cancel_inflight(struct job *j)
{
	if (!j->ops->cancel || !j->inflight)
		return;
	j->cancelled = true;
	j->ops->cancel(j);
}

/* Take in a stop, the end of --ramp_time and the end of each phase. */
static void update_phase(struct job *j, struct loop *l)
{
	if (!l->interrupted && job_should_stop(j)) {
		l->interrupted = true;
		l->t_stop = l->now;
		j->phase = PH_DONE;
		cancel_inflight(j);
	}
	ramp_check(j, l->now);
	if (j->phase == PH_MAIN && main_over(j, l->now))
		end_main(j);
	if (j->phase == PH_DRAIN && idle(j))
		start_verify(j);
	if (j->phase == PH_VERIFY && j->vcursor >= j->nblocks && idle(j))
		j->phase = PH_DONE;
}

/*
 * Hand @u to the engine: a synchronous one completes it here, an
 * asynchronous one stages it (committed once --iodepth_batch are).
 * Returns 0, 1 when the job was told to stop meanwhile, or -1.
 */
static int queue_io(struct job *j, struct loop *l, struct io_unit *u)
{
	unsigned int batch = j->o.iodepth_batch;
	int r;

	u->start_ns = l->now;
	r = j->ops->queue(j, u);
	switch (r) {
	case Q_COMPLETED:
		l->now = now_ns();
		ramp_check(j, l->now);
		complete_io(j, u, l->now);
		if (j->phase == PH_MAIN && main_over(j, l->now))
			end_main(j);
		return job_should_stop(j);
	case Q_QUEUED:
		j->queued++;
		if (batch && j->queued >= batch && do_commit(j))
			return -1;
		return 0;
	default:
		job_fail(j, "%s: queue: %s", j->ops->name,
			 r < 0 ? strerror(-r) : "busy");
		return -1;
	}
}

/* --thinktime: after every --thinktime_blocks I/Os, commit and pause. */
static int think(struct job *j, struct loop *l)
{
	if (!j->o.thinktime_ns || ++j->think_count % j->o.thinktime_blocks)
		return 0;
	if (j->queued && do_commit(j))
		return -1;
	sleep_until(now_ns() + j->o.thinktime_ns);
	l->now = now_ns();
	return 0;
}

/* Fill every free io_unit the phase and the rate allow, then commit. */
static int submit(struct job *j, struct loop *l)
{
	while (j->free_list && issuing(j) && !rate_limited(j, l->now)) {
		struct io_unit *u = j->free_list;
		bool main = j->phase == PH_MAIN;
		int r;

		if (!next_io(j, u))
			break;
		j->free_list = u->next;
		j->nfree--;
		if (main && j->rate_period_ns)
			rate_advance(j, l->now);
		r = queue_io(j, l, u);
		if (r < 0)
			return -1;
		if (r > 0)
			break;
		if (main && think(j, l))
			return -1;
	}
	if (j->queued && do_commit(j))
		return -1;
	return 0;
}

/*
 * Wait for at least --iodepth_batch_complete_min completions (no longer
 * than the rate allows, or a second once stopped) and account up to
 * --iodepth_batch_complete_max of them.  Returns 0, or -1 when the job
 * must end.
 */
static int reap(struct job *j, struct loop *l)
{
	unsigned int min = j->o.batch_complete_min;
	unsigned int max = j->o.batch_complete_max;
	struct timespec ts, *tsp = NULL;
	int n, i;

	if (l->interrupted) {
		/* do not wait forever for a device that hangs */
		if (l->now - l->t_stop > STOP_GRACE_NS) {
			job_fail(j,
				 "%u I/Os still in flight %llus after the stop",
				 j->inflight, STOP_GRACE_NS / NSEC_PER_SEC);
			return -1;
		}
		ts = ns_to_timespec(NSEC_PER_SEC);
		tsp = &ts;
	} else if (j->free_list && rate_limited(j, l->now)) {
		ts = ns_to_timespec(j->next_issue_ns - l->now);
		tsp = &ts;
	}
	if (min > j->inflight)
		min = j->inflight;
	if (!max || max > j->inflight)
		max = j->inflight;
	n = j->ops->getevents(j, min, max, tsp);
	if (n == -EINTR || n == -EAGAIN || n == -ETIME || n == -ETIMEDOUT) {
		l->now = now_ns();
		return 0;
	}
	if (n < 0) {
		job_fail(j, "%s: getevents: %s", j->ops->name, strerror(-n));
		return -1;
	}
	l->now = now_ns();
	ramp_check(j, l->now);
	for (i = 0; i < n; i++)
		complete_io(j, j->ops->event(j, i), l->now);
	j->inflight -= n;
	return 0;
}

/*
 * The job's I/O loop, as fio's: update the phase, submit what the depth
 * allows, reap and account completions, until the job is done and nothing
 * is left in flight.
 */
static int job_loop(struct job *j)
{
	struct loop l = { .now = now_ns() };

	for (;;) {
		update_phase(j, &l);
		if (submit(j, &l))
			return -1;
		if (!j->inflight) {
			if (j->phase == PH_DONE && !j->queued)
				return 0;
			if (rate_limited(j, l.now))
				sleep_until(j->next_issue_ns);
			l.now = now_ns();
			continue;
		}
		if (reap(j, &l))
			return -1;
	}
}

static void job_sig(int sig)
{
	(void)sig;
	job_sig_stop = 1;
}

static void wait_go(struct job *j)
{
	while (!__atomic_load_n(&j->sh->go, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&j->sh->abort, __ATOMIC_RELAXED))
		usleep(200);
}

/*
 * The CPU time of the job: its process (with the threads glibc's POSIX AIO
 * starts in it), or with --thread its own thread.  Kernel threads that work
 * for it (io_uring's io-wq and SQPOLL, kworkers) are not counted.
 */
static void cpu_usage(struct job *j, uint64_t *usr, uint64_t *sys)
{
	struct rusage ru;

	memset(&ru, 0, sizeof(ru));
	getrusage(j->g->thread ? RUSAGE_THREAD : RUSAGE_SELF, &ru);
	*usr = ru.ru_utime.tv_sec * NSEC_PER_SEC +
	       ru.ru_utime.tv_usec * NSEC_PER_USEC;
	*sys = ru.ru_stime.tv_sec * NSEC_PER_SEC +
	       ru.ru_stime.tv_usec * NSEC_PER_USEC;
}

/* Run the job; returns its exit code (0, 1 for I/O errors, 2 setup). */
int job_run(struct job *j)
{
	struct job_stats *st = j->st;
	uint64_t usr0, sys0;
	int ret = 0, r;

	st->pid = getpid();
	st->tid = syscall(SYS_gettid);
	if (!j->g->thread) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = job_sig;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (join_cgroup(j))
			goto setup_failed;
	}
	if (job_setup(j))
		goto setup_failed;

	__atomic_store_n(&st->state, JS_READY, __ATOMIC_RELEASE);
	wait_go(j);
	if (__atomic_load_n(&j->sh->abort, __ATOMIC_RELAXED))
		goto out;
	__atomic_store_n(&st->state, JS_RUNNING, __ATOMIC_RELEASE);

	j->t_go = j->sh->t_go_ns;
	j->t_ramp_end = j->t_go + j->o.ramp_ns;
	j->ramping = j->o.ramp_ns > 0;
	if (j->o.runtime_ns)
		j->t_end = j->t_ramp_end + j->o.runtime_ns;
	j->next_issue_ns = j->t_go;
	st->t_start_ns = j->t_go;
	st->t_end_ns = j->t_go;

	cpu_usage(j, &usr0, &sys0);
	r = job_loop(j);
	cpu_usage(j, &st->usr_ns, &st->sys_ns);
	st->usr_ns -= usr0;
	st->sys_ns -= sys0;
	if (r) {
		/* stop what is in flight, then report the failure */
		cancel_inflight(j);
		fprintf(stderr, "%s\n", st->errmsg);
		ret = 1;
	}
	if (j->o.end_fsync && fsync(j->fd) < 0) {
		fprintf(stderr, "aioload: %s: fsync: %s\n", j->name,
			strerror(errno));
		st->io_errors++;
	}
	if (st->io_errors)
		ret = 1;
out:
	if (j->ops && j->ops->cleanup)
		j->ops->cleanup(j);
	if (j->fd >= 0)
		close(j->fd);
	st->exit_code = ret;
	__atomic_store_n(&st->state, JS_DONE, __ATOMIC_RELEASE);
	return ret;

setup_failed:
	if (j->ops && j->ops->cleanup)
		j->ops->cleanup(j);
	st->exit_code = 2;
	__atomic_store_n(&st->state, JS_FAILED, __ATOMIC_RELEASE);
	return 2;
}
