// SPDX-License-Identifier: GPL-2.0
/*
 * aioload: the POSIX AIO engine (glibc's aio_* and lio_listio).
 *
 * Without --lio every I/O goes out at once with aio_read(3)/aio_write(3);
 * with --lio=wait or --lio=nowait the batch goes out in one lio_listio(3)
 * call, LIO_WAIT (which returns when all are done) or LIO_NOWAIT.
 *
 * --posixaio_notify chooses how the job learns of completions:
 *   poll     scan the I/Os in flight with aio_error(3)
 *   suspend  sleep in aio_suspend(3), then scan
 *   signal   SIGEV_SIGNAL: a queued real-time signal per I/O, taken
 *            synchronously with sigtimedwait(2); a scan after 100ms
 *            without a signal covers any the queue could not hold.  The
 *            job counts the completions each way (sig_completions,
 *            poll_completions): with working signals the scan finds none
 *   thread   SIGEV_THREAD: glibc calls back in a thread, which hands the
 *            I/O over to the job through a mutex and a condition variable
 * and aio_return(3) then collects each result.  glibc runs the I/Os in a
 * pool of threads; it serves the requests of one file descriptor one after
 * the other, so the device sees less depth than --iodepth asks for.
 */
#include <aio.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

struct pa_data {
	struct io_unit **flight; /* issued, not yet reaped */
	unsigned int nflight;
	struct io_unit **done; /* reaped by the last ->getevents() */
	unsigned int ndone;
	const struct aiocb **list; /* scratch for aio_suspend */
	struct aiocb **staged; /* for lio_listio */
	unsigned int nstaged;
	unsigned int pending; /* issued since the last ->commit() */
	int signo;
	sigset_t sigset;
	/* SIGEV_THREAD hand-over */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct io_unit **ring;
	unsigned int rhead, rcount;
	bool sync_ok;
};

static int pa_init(struct job *j)
{
	unsigned int n = j->o.iodepth;
	struct pa_data *pd;
	struct aioinit ai;
	pthread_condattr_t ca;

	pd = calloc(1, sizeof(*pd));
	if (!pd)
		goto nomem;
	j->edata = pd;
	pd->flight = calloc(n, sizeof(*pd->flight));
	pd->done = calloc(n, sizeof(*pd->done));
	pd->list = calloc(n, sizeof(*pd->list));
	pd->staged = calloc(n, sizeof(*pd->staged));
	pd->ring = calloc(n, sizeof(*pd->ring));
	if (!pd->flight || !pd->done || !pd->list || !pd->staged || !pd->ring)
		goto nomem;

	memset(&ai, 0, sizeof(ai));
	ai.aio_threads = n < 64 ? n : 64;
	ai.aio_num = n;
	ai.aio_idle_time = 1;
	aio_init(&ai);

	if (j->o.pa_notify == PA_SIGNAL) {
		pd->signo = SIGRTMIN + 1;
		sigemptyset(&pd->sigset);
		sigaddset(&pd->sigset, pd->signo);
		/* taken with sigtimedwait, never delivered */
		if (pthread_sigmask(SIG_BLOCK, &pd->sigset, NULL)) {
			job_fail(j, "posixaio: cannot block signal %d",
				 pd->signo);
			return -EINVAL;
		}
	}
	if (j->o.pa_notify == PA_THREAD) {
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&pd->cond, &ca);
		pthread_condattr_destroy(&ca);
		pthread_mutex_init(&pd->lock, NULL);
		pd->sync_ok = true;
	}
	return 0;
nomem:
	job_fail(j, "posixaio: out of memory");
	return -ENOMEM;
}

/* SIGEV_THREAD: runs in a thread glibc made for it */
static void pa_thread_cb(union sigval sv)
{
	struct io_unit *u = sv.sival_ptr;
	struct pa_data *pd = u->job->edata;
	unsigned int n = u->job->o.iodepth;

	pthread_mutex_lock(&pd->lock);
	pd->ring[(pd->rhead + pd->rcount) % n] = u;
	pd->rcount++;
	pthread_cond_signal(&pd->cond);
	pthread_mutex_unlock(&pd->lock);
}

static void flight_add(struct pa_data *pd, struct io_unit *u)
{
	u->slot = pd->nflight;
	pd->flight[pd->nflight++] = u;
}

static bool in_flight(struct pa_data *pd, struct io_unit *u)
{
	return u->slot < pd->nflight && pd->flight[u->slot] == u;
}

static void flight_del(struct pa_data *pd, struct io_unit *u)
{
	struct io_unit *last = pd->flight[--pd->nflight];

	pd->flight[u->slot] = last;
	last->slot = u->slot;
	u->slot = (unsigned int)-1;
}

/* u is done: collect its result with aio_return and hand it back */
static void reap(struct pa_data *pd, struct io_unit *u, int err)
{
	ssize_t r = aio_return(&u->aiocb);

	u->res = err ? -err : r;
	flight_del(pd, u);
	pd->done[pd->ndone++] = u;
}

static int pa_queue(struct job *j, struct io_unit *u)
{
	struct pa_data *pd = j->edata;
	struct aiocb *cb = &u->aiocb;
	int r;

	memset(cb, 0, sizeof(*cb));
	cb->aio_fildes = j->fd;
	cb->aio_buf = u->buf;
	cb->aio_nbytes = u->len;
	cb->aio_offset = u->offset;
	cb->aio_lio_opcode = u->ddir == DDIR_READ ? LIO_READ : LIO_WRITE;
	switch (j->o.pa_notify) {
	case PA_SIGNAL:
		cb->aio_sigevent.sigev_notify = SIGEV_SIGNAL;
		cb->aio_sigevent.sigev_signo = pd->signo;
		cb->aio_sigevent.sigev_value.sival_ptr = u;
		break;
	case PA_THREAD:
		cb->aio_sigevent.sigev_notify = SIGEV_THREAD;
		cb->aio_sigevent.sigev_notify_function = pa_thread_cb;
		cb->aio_sigevent.sigev_value.sival_ptr = u;
		break;
	default:
		cb->aio_sigevent.sigev_notify = SIGEV_NONE;
		break;
	}
	flight_add(pd, u);
	pd->pending++;
	if (j->o.lio != LIOM_OFF) {
		pd->staged[pd->nstaged++] = cb;
		return Q_QUEUED;
	}
	r = u->ddir == DDIR_READ ? aio_read(cb) : aio_write(cb);
	if (r < 0) {
		/* never started: it completes now, with the error */
		u->res = -errno;
		flight_del(pd, u);
		pd->pending--;
		return Q_COMPLETED;
	}
	return Q_QUEUED;
}

static int pa_commit(struct job *j)
{
	struct pa_data *pd = j->edata;
	int n = pd->pending, r, mode;

	if (j->o.lio != LIOM_OFF && pd->nstaged) {
		mode = j->o.lio == LIOM_WAIT ? LIO_WAIT : LIO_NOWAIT;
		r = lio_listio(mode, pd->staged, pd->nstaged, NULL);
		/*
		 * EIO (some I/O failed), EINTR (LIO_WAIT interrupted) and
		 * EAGAIN (some could not be queued): the I/Os say how each
		 * did through aio_error.  Anything else: none was started.
		 */
		if (r < 0 && errno != EIO && errno != EINTR && errno != EAGAIN)
			return -errno;
		pd->nstaged = 0;
	}
	pd->pending = 0;
	return n;
}

/* Reap what is done among the I/Os in flight, up to max in all. */
static void scan(struct pa_data *pd, unsigned int max)
{
	unsigned int i = 0;

	while (i < pd->nflight && pd->ndone < max) {
		struct io_unit *u = pd->flight[i];
		int e = aio_error(&u->aiocb);

		if (e == EINPROGRESS) {
			i++;
			continue;
		}
		reap(pd, u, e); /* moves the last one into slot i */
	}
}

static void deadline_of(const struct timespec *timeout, struct timespec *dl)
{
	clock_gettime(CLOCK_MONOTONIC, dl);
	dl->tv_sec += timeout->tv_sec;
	dl->tv_nsec += timeout->tv_nsec;
	if (dl->tv_nsec >= (long)NSEC_PER_SEC) {
		dl->tv_sec++;
		dl->tv_nsec -= NSEC_PER_SEC;
	}
}

static bool past(const struct timespec *dl)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > dl->tv_sec ||
	       (now.tv_sec == dl->tv_sec && now.tv_nsec >= dl->tv_nsec);
}

static int get_poll(struct job *j, unsigned int min, unsigned int max,
		    const struct timespec *timeout)
{
	struct pa_data *pd = j->edata;
	struct timespec dl;

	if (timeout)
		deadline_of(timeout, &dl);
	for (;;) {
		scan(pd, max);
		if (pd->ndone >= min || (timeout && past(&dl)) || job_sig_stop)
			return pd->ndone;
		sched_yield();
	}
}

static int get_suspend(struct job *j, unsigned int min, unsigned int max,
		       const struct timespec *timeout)
{
	struct pa_data *pd = j->edata;
	unsigned int i;

	for (;;) {
		scan(pd, max);
		if (pd->ndone >= min || !pd->nflight)
			return pd->ndone;
		for (i = 0; i < pd->nflight; i++)
			pd->list[i] = &pd->flight[i]->aiocb;
		if (aio_suspend(pd->list, pd->nflight, timeout) < 0) {
			if (errno == EAGAIN || errno == EINTR) {
				scan(pd, max);
				return pd->ndone;
			}
			return -errno;
		}
	}
}

static void take_signal(struct job *j, const siginfo_t *si)
{
	struct pa_data *pd = j->edata;
	struct io_unit *u = si->si_value.sival_ptr;
	int e;

	/* a late signal for an I/O that a scan already reaped */
	if (!u || !in_flight(pd, u))
		return;
	e = aio_error(&u->aiocb);
	if (e != EINPROGRESS) {
		reap(pd, u, e);
		j->st->sig_completions++;
	}
}

static int get_signal(struct job *j, unsigned int min, unsigned int max,
		      const struct timespec *timeout)
{
	static const struct timespec zero, slice = { 0, 100000000 };
	struct pa_data *pd = j->edata;
	struct timespec dl;
	unsigned int before;
	siginfo_t si;

	if (timeout)
		deadline_of(timeout, &dl);
	for (;;) {
		/* take every signal that is already queued */
		while (pd->ndone < max &&
		       sigtimedwait(&pd->sigset, &si, &zero) == pd->signo)
			take_signal(j, &si);
		if (pd->ndone >= min)
			return pd->ndone;
		if (sigtimedwait(&pd->sigset, &si, &slice) == pd->signo) {
			take_signal(j, &si);
			continue;
		}
		if (errno == EINTR)
			return pd->ndone;
		/* a quiet slice: signals may have been lost, look */
		before = pd->ndone;
		scan(pd, max);
		j->st->poll_completions += pd->ndone - before;
		if (pd->ndone >= min || (timeout && past(&dl)))
			return pd->ndone;
	}
}

static int get_thread(struct job *j, unsigned int min, unsigned int max,
		      const struct timespec *timeout)
{
	struct pa_data *pd = j->edata;
	unsigned int n = j->o.iodepth;
	struct timespec dl, slice;

	if (timeout)
		deadline_of(timeout, &dl);
	pthread_mutex_lock(&pd->lock);
	while (pd->rcount < min) {
		static const struct timespec tenth = { 0, 100000000 };

		deadline_of(&tenth, &slice);
		if (timeout &&
		    (slice.tv_sec > dl.tv_sec ||
		     (slice.tv_sec == dl.tv_sec && slice.tv_nsec > dl.tv_nsec)))
			slice = dl;
		pthread_cond_timedwait(&pd->cond, &pd->lock, &slice);
		if ((timeout && past(&dl)) || job_sig_stop)
			break;
	}
	while (pd->rcount && pd->ndone < max) {
		struct io_unit *u = pd->ring[pd->rhead];

		pd->rhead = (pd->rhead + 1) % n;
		pd->rcount--;
		pthread_mutex_unlock(&pd->lock);
		reap(pd, u, aio_error(&u->aiocb));
		pthread_mutex_lock(&pd->lock);
	}
	pthread_mutex_unlock(&pd->lock);
	return pd->ndone;
}

static int pa_getevents(struct job *j, unsigned int min, unsigned int max,
			const struct timespec *timeout)
{
	struct pa_data *pd = j->edata;

	pd->ndone = 0;
	switch (j->o.pa_notify) {
	case PA_POLL:
		return get_poll(j, min, max, timeout);
	case PA_SIGNAL:
		return get_signal(j, min, max, timeout);
	case PA_THREAD:
		return get_thread(j, min, max, timeout);
	default:
		return get_suspend(j, min, max, timeout);
	}
}

static struct io_unit *pa_event(struct job *j, int i)
{
	struct pa_data *pd = j->edata;

	return pd->done[i];
}

static void pa_cancel(struct job *j)
{
	/* what glibc had not started yet ends with ECANCELED */
	aio_cancel(j->fd, NULL);
}

static void pa_cleanup(struct job *j)
{
	struct pa_data *pd = j->edata;
	unsigned int i;

	if (!pd)
		return;
	/* glibc must be done with the aiocbs before they go */
	while (pd->nflight) {
		for (i = 0; i < pd->nflight; i++)
			pd->list[i] = &pd->flight[i]->aiocb;
		aio_suspend(pd->list, pd->nflight, NULL);
		pd->ndone = 0;
		scan(pd, j->o.iodepth);
	}
	if (pd->sync_ok) {
		/* a callback may still be on its way out of the lock */
		pthread_mutex_lock(&pd->lock);
		pthread_mutex_unlock(&pd->lock);
	}
	free(pd->flight);
	free(pd->done);
	free(pd->list);
	free(pd->staged);
	free(pd->ring);
	free(pd);
	j->edata = NULL;
}

const struct engine_ops engine_posixaio = {
	.name = "posixaio",
	.init = pa_init,
	.queue = pa_queue,
	.commit = pa_commit,
	.getevents = pa_getevents,
	.event = pa_event,
	.cancel = pa_cancel,
	.cleanup = pa_cleanup,
};
