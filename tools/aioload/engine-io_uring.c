// SPDX-License-Identifier: GPL-2.0
/*
 * aioload: the io_uring engine (liburing).
 *
 * ->queue() fills one SQE per I/O; the batch goes to the kernel in one
 * io_uring_enter(2), which also waits for the first completions when
 * nothing else is to be done in between (submit_and_wait).  Completions are
 * reaped in batches straight from the CQ ring.  Options: --sqthread_poll
 * (SQPOLL: a kernel thread picks the SQEs up), --registerfiles (fixed file)
 * and --fixedbufs (registered buffers, READ_FIXED/WRITE_FIXED).  The job's
 * priority travels on each I/O in sqe->ioprio.
 *
 * With --completion=epoll an eventfd is registered on the ring
 * (io_uring_register_eventfd); the job sleeps in epoll_wait on it and a
 * timerfd and reaps the CQ ring when it fires.  The ring is then a plain
 * one (no DEFER_TASKRUN, no COOP_TASKRUN: those post completions only when
 * the task enters io_uring, which a task asleep in epoll_wait does not),
 * and SQEs go out in ->commit().
 */
#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "engine.h"
#include "evloop.h"

struct uring_data {
	struct io_uring ring;
	bool ring_ok;
	bool defer; /* submit in ->getevents(), with the wait */
	unsigned int unsubmitted;
	unsigned int early; /* submitted by ->queue() when the SQ was full */
	struct io_unit **done;
	bool epoll;
	struct evloop ev;
};

static unsigned int sub_min(int r, unsigned int n)
{
	return (unsigned int)r < n ? (unsigned int)r : n;
}

static int ur_setup_ring(struct job *j, struct uring_data *ud)
{
	static const unsigned int tries[] = {
		IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
		IORING_SETUP_COOP_TASKRUN,
		0,
	};
	struct io_uring_params p;
	unsigned int i;
	int r = -EINVAL;

	for (i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		memset(&p, 0, sizeof(p));
		if (j->o.sqpoll) {
			p.flags = IORING_SETUP_SQPOLL;
			p.sq_thread_idle = 1000;
		} else if (j->o.completion == COMP_EPOLL) {
			p.flags = 0;
		} else {
			p.flags = tries[i];
		}
		p.flags |= IORING_SETUP_CQSIZE;
		p.cq_entries = 2 * j->o.iodepth;
		r = io_uring_queue_init_params(j->o.iodepth, &ud->ring, &p);
		if (r != -EINVAL || j->o.sqpoll)
			break;
	}
	if (r == -ENOSYS)
		job_fail(
			j,
			"io_uring: unavailable: the kernel has no io_uring (%s)",
			strerror(-r));
	else if (r == -EPERM)
		job_fail(
			j,
			"io_uring: unavailable: %s (see sysctl kernel.io_uring_disabled)",
			strerror(-r));
	else if (r == -ENOMEM)
		job_fail(
			j,
			"io_uring: io_uring_setup(%u): %s (RLIMIT_MEMLOCK too low?)",
			j->o.iodepth, strerror(-r));
	else if (r < 0)
		job_fail(j, "io_uring: io_uring_setup(%u%s): %s", j->o.iodepth,
			 j->o.sqpoll ? ", SQPOLL" : "", strerror(-r));
	return r;
}

static int ur_init(struct job *j)
{
	struct uring_data *ud;
	struct iovec *iov;
	unsigned int i;
	int r;

	ud = calloc(1, sizeof(*ud));
	if (!ud)
		goto nomem;
	j->edata = ud;
	ud->ev.epfd = ud->ev.efd = ud->ev.tfd = -1;
	ud->done = calloc(j->o.iodepth, sizeof(*ud->done));
	if (!ud->done)
		goto nomem;
	r = ur_setup_ring(j, ud);
	if (r < 0)
		return r;
	ud->ring_ok = true;
	ud->defer = !j->o.sqpoll && !j->o.iodepth_batch && !j->o.thinktime_ns &&
		    j->o.completion != COMP_EPOLL;
	if (j->o.completion == COMP_EPOLL) {
		r = evloop_init(j, &ud->ev);
		if (r < 0)
			return r;
		r = io_uring_register_eventfd(&ud->ring, ud->ev.efd);
		if (r < 0) {
			job_fail(j, "io_uring: io_uring_register_eventfd: %s",
				 strerror(-r));
			return r;
		}
		ud->epoll = true;
	}

	if (j->o.regfiles) {
		r = io_uring_register_files(&ud->ring, &j->fd, 1);
		if (r < 0) {
			job_fail(j, "io_uring: --registerfiles: %s",
				 strerror(-r));
			return r;
		}
	}
	if (j->o.fixedbufs) {
		iov = calloc(j->o.iodepth, sizeof(*iov));
		if (!iov)
			goto nomem;
		for (i = 0; i < j->o.iodepth; i++) {
			iov[i].iov_base = j->ious[i].buf;
			iov[i].iov_len = j->o.bs;
		}
		r = io_uring_register_buffers(&ud->ring, iov, j->o.iodepth);
		free(iov);
		if (r < 0) {
			job_fail(j, "io_uring: --fixedbufs: %s%s", strerror(-r),
				 r == -ENOMEM ? " (RLIMIT_MEMLOCK too low?)" :
						"");
			return r;
		}
	}
	return 0;
nomem:
	job_fail(j, "io_uring: out of memory");
	return -ENOMEM;
}

static struct io_uring_sqe *ur_get_sqe(struct job *j, struct uring_data *ud)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ud->ring);
	int r;

	if (sqe)
		return sqe;
	/*
	 * The SQ ring is full: with SQPOLL the kernel thread has not taken
	 * the last batch yet.  Push what is there and wait for room.
	 */
	r = io_uring_submit(&ud->ring);
	if (j->o.sqpoll) {
		/* SQPOLL counts what the ring holds, not what it took */
		if (r >= 0) {
			ud->early += ud->unsubmitted;
			ud->unsubmitted = 0;
		}
		io_uring_sqring_wait(&ud->ring);
	} else if (r > 0) {
		ud->early += r;
		ud->unsubmitted -= sub_min(r, ud->unsubmitted);
	}
	return io_uring_get_sqe(&ud->ring);
}

static int ur_queue(struct job *j, struct io_unit *u)
{
	struct uring_data *ud = j->edata;
	struct io_uring_sqe *sqe;
	int fd = j->o.regfiles ? 0 : j->fd;

	sqe = ur_get_sqe(j, ud);
	if (!sqe)
		return -EBUSY;
	if (j->o.fixedbufs) {
		if (u->ddir == DDIR_READ)
			io_uring_prep_read_fixed(sqe, fd, u->buf, u->len,
						 u->offset, u->idx);
		else
			io_uring_prep_write_fixed(sqe, fd, u->buf, u->len,
						  u->offset, u->idx);
	} else {
		if (u->ddir == DDIR_READ)
			io_uring_prep_read(sqe, fd, u->buf, u->len, u->offset);
		else
			io_uring_prep_write(sqe, fd, u->buf, u->len, u->offset);
	}
	if (j->o.regfiles)
		sqe->flags |= IOSQE_FIXED_FILE;
	sqe->ioprio = u->has_prio ? u->ioprio : 0;
	io_uring_sqe_set_data(sqe, u);
	ud->unsubmitted++;
	return Q_QUEUED;
}

static int ur_commit(struct job *j)
{
	struct uring_data *ud = j->edata;
	int r, n;

	if (ud->defer) {
		/* counted as in flight now, entered with the next wait */
		n = ud->unsubmitted + ud->early;
		ud->early = 0;
		return n;
	}
	r = io_uring_submit(&ud->ring);
	if (r < 0)
		return r == -EINTR ? -EAGAIN : r;
	if (j->o.sqpoll)
		r = ud->unsubmitted; /* all are in the ring now */
	n = r + ud->early;
	ud->early = 0;
	ud->unsubmitted -= sub_min(r, ud->unsubmitted);
	return n;
}

static int ur_getevents(struct job *j, unsigned int min, unsigned int max,
			const struct timespec *timeout)
{
	struct uring_data *ud = j->edata;
	struct __kernel_timespec kts;
	struct io_uring_cqe *cqe;
	unsigned int got = 0, head, seen, wait_nr;
	int r;

	if (timeout) {
		kts.tv_sec = timeout->tv_sec;
		kts.tv_nsec = timeout->tv_nsec;
	}
	for (;;) {
		seen = 0;
		io_uring_for_each_cqe(&ud->ring, head, cqe)
		{
			struct io_unit *u = io_uring_cqe_get_data(cqe);

			if (got == max)
				break;
			seen++;
			if (!u) /* the answer to a cancel */
				continue;
			u->res = cqe->res;
			ud->done[got++] = u;
		}
		io_uring_cq_advance(&ud->ring, seen);
		if (got >= min && !(ud->defer && ud->unsubmitted))
			return got;

		wait_nr = got >= min ? 0 : min - got;
		if (ud->epoll) {
			r = evloop_wait(j, &ud->ev, timeout);
			if (r <= 0)
				return r < 0 ? r : (int)got;
			continue;
		}
		if (ud->defer && ud->unsubmitted) {
			if (timeout)
				r = io_uring_submit_and_wait_timeout(
					&ud->ring, &cqe, wait_nr, &kts, NULL);
			else
				r = io_uring_submit_and_wait(&ud->ring,
							     wait_nr);
			if (r > 0)
				ud->unsubmitted -= sub_min(r, ud->unsubmitted);
		} else if (timeout) {
			r = io_uring_wait_cqes(&ud->ring, &cqe, wait_nr, &kts,
					       NULL);
		} else {
			r = io_uring_wait_cqe_nr(&ud->ring, &cqe, wait_nr);
		}
		if (r == -ETIME || r == -EINTR || r == -EAGAIN || r == -EBUSY)
			return got;
		if (r < 0)
			return r;
		/* and reap what the wait brought */
	}
}

static struct io_unit *ur_event(struct job *j, int i)
{
	struct uring_data *ud = j->edata;

	return ud->done[i];
}

static void ur_cancel(struct job *j)
{
	struct uring_data *ud = j->edata;
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ud->ring);

	if (!sqe)
		return;
	/* whatever cannot be cancelled completes as usual */
	io_uring_prep_cancel(sqe, NULL, IORING_ASYNC_CANCEL_ANY);
	io_uring_sqe_set_data(sqe, NULL);
	if (!ud->defer)
		io_uring_submit(&ud->ring);
}

static void ur_cleanup(struct job *j)
{
	struct uring_data *ud = j->edata;

	if (!ud)
		return;
	if (ud->ring_ok)
		io_uring_queue_exit(&ud->ring);
	evloop_exit(&ud->ev);
	free(ud->done);
	free(ud);
	j->edata = NULL;
}

const struct engine_ops engine_io_uring = {
	.name = "io_uring",
	.init = ur_init,
	.queue = ur_queue,
	.commit = ur_commit,
	.getevents = ur_getevents,
	.event = ur_event,
	.cancel = ur_cancel,
	.cleanup = ur_cleanup,
};
