// SPDX-License-Identifier: GPL-2.0
/*
 * aioload: one epoll loop over an engine's completion eventfd and a
 * timerfd (see evloop.h).
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "evloop.h"

enum { EV_COMPLETION = 1, EV_TIMER = 2 };

int evloop_init(struct job *j, struct evloop *ev)
{
	struct epoll_event e;

	ev->efd = ev->tfd = -1;
	ev->armed = 0;
	ev->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (ev->epfd < 0)
		goto fail;
	ev->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (ev->efd < 0)
		goto fail;
	ev->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (ev->tfd < 0)
		goto fail;
	memset(&e, 0, sizeof(e));
	e.events = EPOLLIN;
	e.data.u32 = EV_COMPLETION;
	if (epoll_ctl(ev->epfd, EPOLL_CTL_ADD, ev->efd, &e) < 0)
		goto fail;
	e.data.u32 = EV_TIMER;
	if (epoll_ctl(ev->epfd, EPOLL_CTL_ADD, ev->tfd, &e) < 0)
		goto fail;
	return 0;
fail:
	job_fail(j, "--completion=epoll: %s", strerror(errno));
	return -errno;
}

/* Arm the timerfd for deadline dl (absolute, CLOCK_MONOTONIC; 0: none). */
static int arm(struct evloop *ev, uint64_t dl)
{
	struct itimerspec its;

	if (dl == ev->armed)
		return 0;
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = dl / NSEC_PER_SEC;
	its.it_value.tv_nsec = dl % NSEC_PER_SEC;
	if (timerfd_settime(ev->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		return -errno;
	ev->armed = dl;
	return 0;
}

int evloop_wait(struct job *j, struct evloop *ev,
		const struct timespec *timeout)
{
	struct epoll_event e[2];
	uint64_t now = now_ns(), dl = 0, v;
	int n, i, ret = 0, r;

	if (timeout)
		dl = now + timeout->tv_sec * NSEC_PER_SEC + timeout->tv_nsec;
	if (j->phase == PH_MAIN && j->t_end > now && (!dl || j->t_end < dl))
		dl = j->t_end;
	r = arm(ev, dl);
	if (r < 0)
		return r;
	n = epoll_wait(ev->epfd, e, 2, -1);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < n; i++) {
		if (e[i].data.u32 == EV_COMPLETION) {
			if (read(ev->efd, &v, sizeof(v)) == sizeof(v))
				j->st->epoll_wakeups++;
			ret = 1;
		} else if (read(ev->tfd, &v, sizeof(v)) == sizeof(v)) {
			j->st->timer_wakeups++;
			ev->armed = 0;
		}
	}
	return ret;
}

void evloop_exit(struct evloop *ev)
{
	if (ev->tfd >= 0)
		close(ev->tfd);
	if (ev->efd >= 0)
		close(ev->efd);
	if (ev->epfd >= 0)
		close(ev->epfd);
	ev->epfd = ev->efd = ev->tfd = -1;
}
