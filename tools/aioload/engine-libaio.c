// SPDX-License-Identifier: GPL-2.0
/*
 * aioload: the libaio engine (Linux native AIO).
 *
 * ->queue() prepares the iocb and stages it; ->commit() hands the staged
 * iocbs to io_submit(2) in one call; ->getevents() is io_getevents(2).  A
 * job priority set with --prioclass/--prio travels on each I/O with
 * IOCB_FLAG_IOPRIO and aio_reqprio.
 *
 * With --completion=epoll every iocb carries an eventfd (io_set_eventfd,
 * IOCB_FLAG_RESFD) that the kernel signals as it completes; the job sleeps
 * in epoll_wait on it and a timerfd, then reaps with a non-blocking
 * io_getevents.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "evloop.h"

#ifndef IOCB_FLAG_IOPRIO
#define IOCB_FLAG_IOPRIO (1 << 1)
#endif

struct libaio_data {
	io_context_t ctx;
	struct io_event *events;
	struct iocb **staged;
	unsigned int nstaged;
	unsigned int head; /* first staged iocb not yet submitted */
	bool epoll;
	struct evloop ev;
};

static const char *aio_max_nr(void)
{
	static char buf[32] = "?";
	FILE *f = fopen("/proc/sys/fs/aio-max-nr", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			strcpy(buf, "?");
		buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
	return buf;
}

static int la_init(struct job *j)
{
	struct libaio_data *ld;
	int r;

	ld = calloc(1, sizeof(*ld));
	if (!ld)
		goto nomem;
	j->edata = ld;
	ld->ev.epfd = ld->ev.efd = ld->ev.tfd = -1;
	ld->events = calloc(j->o.iodepth, sizeof(*ld->events));
	ld->staged = calloc(j->o.iodepth, sizeof(*ld->staged));
	if (!ld->events || !ld->staged)
		goto nomem;
	r = io_setup(j->o.iodepth, &ld->ctx);
	if (r < 0) {
		if (r == -EAGAIN)
			job_fail(
				j,
				"libaio: io_setup(%u): %s (fs.aio-max-nr is %s for all contexts; lower --iodepth)",
				j->o.iodepth, strerror(-r), aio_max_nr());
		else
			job_fail(j, "libaio: io_setup(%u): %s", j->o.iodepth,
				 strerror(-r));
		ld->ctx = 0;
		return r;
	}
	if (j->o.completion == COMP_EPOLL) {
		r = evloop_init(j, &ld->ev);
		if (r < 0)
			return r;
		ld->epoll = true;
	}
	return 0;
nomem:
	job_fail(j, "libaio: out of memory");
	return -ENOMEM;
}

static int la_queue(struct job *j, struct io_unit *u)
{
	struct libaio_data *ld = j->edata;
	struct iocb *io = &u->iocb;

	if (u->ddir == DDIR_READ)
		io_prep_pread(io, j->fd, u->buf, u->len, u->offset);
	else
		io_prep_pwrite(io, j->fd, u->buf, u->len, u->offset);
	io->data = u;
	if (ld->epoll)
		io_set_eventfd(io, ld->ev.efd);
	if (ld->head) {
		/* a partial submit left some behind: move them first */
		ld->nstaged -= ld->head;
		memmove(ld->staged, ld->staged + ld->head,
			ld->nstaged * sizeof(*ld->staged));
		ld->head = 0;
	}
	if (u->has_prio) {
		io->u.c.flags |= IOCB_FLAG_IOPRIO;
		io->aio_reqprio = u->ioprio;
	}
	ld->staged[ld->nstaged++] = io;
	return Q_QUEUED;
}

static int la_commit(struct job *j)
{
	struct libaio_data *ld = j->edata;
	int done = 0, r;

	while (ld->head < ld->nstaged) {
		r = io_submit(ld->ctx, ld->nstaged - ld->head,
			      ld->staged + ld->head);
		if (r > 0) {
			ld->head += r;
			done += r;
			continue;
		}
		if (r == -EINTR)
			continue;
		if (r == 0)
			r = -EAGAIN;
		/* EAGAIN: the kernel is short of requests; reap, then retry */
		if (done)
			break;
		return r;
	}
	if (ld->head == ld->nstaged)
		ld->head = ld->nstaged = 0;
	return done;
}

/* reap what is ready without blocking, sleep in epoll for the rest */
static int la_getevents_epoll(struct job *j, unsigned int min, unsigned int max,
			      const struct timespec *timeout)
{
	struct libaio_data *ld = j->edata;
	struct timespec zero = { 0, 0 };
	unsigned int got = 0;
	int r;

	for (;;) {
		r = io_getevents(ld->ctx, 0, max - got, ld->events + got,
				 &zero);
		if (r < 0)
			return r == -EINTR && got ? (int)got : r;
		got += r;
		if (got >= min || got == max)
			return got;
		r = evloop_wait(j, &ld->ev, timeout);
		if (r <= 0)
			return r < 0 ? r : (int)got;
	}
}

static int la_getevents(struct job *j, unsigned int min, unsigned int max,
			const struct timespec *timeout)
{
	struct libaio_data *ld = j->edata;
	struct timespec ts;
	int r;

	if (ld->epoll)
		return la_getevents_epoll(j, min, max, timeout);
	if (timeout)
		ts = *timeout;
	r = io_getevents(ld->ctx, min, max, ld->events, timeout ? &ts : NULL);
	return r;
}

static struct io_unit *la_event(struct job *j, int i)
{
	struct libaio_data *ld = j->edata;
	struct io_event *ev = &ld->events[i];
	struct io_unit *u = ev->data;

	u->res = (long)ev->res;
	u->iocb.data = NULL;
	return u;
}

static void la_cancel(struct job *j)
{
	struct libaio_data *ld = j->edata;
	struct io_event ev;
	unsigned int i;

	/*
	 * Most files and block devices cannot cancel: io_cancel(2) then
	 * fails with EINVAL and the I/O completes as usual.  What it did
	 * cancel completes with -ECANCELED through io_getevents.
	 */
	for (i = 0; i < j->o.iodepth; i++) {
		struct io_unit *u = &j->ious[i];

		/* since Linux 4.19 a success is -EINPROGRESS, never 0 */
		if (u->iocb.data == u)
			io_cancel(ld->ctx, &u->iocb, &ev);
	}
}

static void la_cleanup(struct job *j)
{
	struct libaio_data *ld = j->edata;

	if (!ld)
		return;
	if (ld->ctx)
		io_destroy(ld->ctx);
	evloop_exit(&ld->ev);
	free(ld->events);
	free(ld->staged);
	free(ld);
	j->edata = NULL;
}

const struct engine_ops engine_libaio = {
	.name = "libaio",
	.init = la_init,
	.queue = la_queue,
	.commit = la_commit,
	.getevents = la_getevents,
	.event = la_event,
	.cancel = la_cancel,
	.cleanup = la_cleanup,
};
