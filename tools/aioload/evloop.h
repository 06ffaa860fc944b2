/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aioload: --completion=epoll, the multiplexing model for disk I/O.
 *
 * epoll cannot watch a regular file or a block device (epoll_ctl answers
 * EPERM: they are always "ready"), so an event-driven program learns of
 * disk completions through an eventfd that the asynchronous interface
 * signals: libaio's io_set_eventfd() on each iocb, io_uring's
 * io_uring_register_eventfd() on the ring.  The eventfd sits in one epoll
 * set next to a timerfd, as it would next to sockets in a server's loop.
 * The timerfd carries the job loop's deadlines: the end of --runtime, the
 * next issue of --rate_iops and the wait after a stop.
 */
#ifndef AIOLOAD_EVLOOP_H
#define AIOLOAD_EVLOOP_H

#include <time.h>

#include "aioload.h"

struct evloop {
	int epfd;
	int efd; /* the eventfd the engine signals */
	int tfd; /* the timerfd of the job's next deadline */
	uint64_t armed; /* when tfd expires, 0: disarmed */
};

/* 0, or -errno with job_fail() called */
int evloop_init(struct job *j, struct evloop *ev);
/*
 * Wait for the eventfd or the next deadline (timeout from now, or the end
 * of --runtime).  1: the eventfd fired, reap; 0: a deadline passed or a
 * signal came, back to the job loop; -errno on failure.
 */
int evloop_wait(struct job *j, struct evloop *ev,
		const struct timespec *timeout);
void evloop_exit(struct evloop *ev);

#endif
