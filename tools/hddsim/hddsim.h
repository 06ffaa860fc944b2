/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hddsim: what its parts share: the clock of simulated time and the two
 * ways to fail.
 */
#ifndef HDDSIM_H
#define HDDSIM_H

#include <errno.h>
#include <time.h>

#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __noreturn __attribute__((noreturn))

#define MAX_REQUEST (64U << 20)

/* Simulated time runs @scale times slower than the wall clock from @t0. */
struct hddsim_clock {
	struct timespec t0;
	double scale;
};

static inline double wall_ns(const struct hddsim_clock *clk)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec - clk->t0.tv_sec) * 1e9 +
	       (ts.tv_nsec - clk->t0.tv_nsec);
}

static inline double sim_now(const struct hddsim_clock *clk)
{
	return wall_ns(clk) / clk->scale;
}

/* Sleep until wall time @w. */
static inline void sleep_wall(const struct hddsim_clock *clk, double w)
{
	struct timespec ts = clk->t0;
	long long ns = (long long)w;

	ts.tv_sec += ns / 1000000000LL;
	ts.tv_nsec += ns % 1000000000LL;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

/* A bad command line: one line on stderr, exit status 2. */
void __printf(1, 2) __noreturn die_usage(const char *fmt, ...);
/* An error before the device is up: to the waiting parent, or stderr. */
void __printf(1, 2) __noreturn fail(const char *fmt, ...);

#endif
