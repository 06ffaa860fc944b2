/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hddsim: what its parts share: the two ways to fail.
 */
#ifndef HDDSIM_H
#define HDDSIM_H

#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __noreturn __attribute__((noreturn))

#define MAX_REQUEST (64U << 20)

/* A bad command line: one line on stderr, exit status 2. */
void __printf(1, 2) __noreturn die_usage(const char *fmt, ...);
/* An error before the device is up: to the waiting parent, or stderr. */
void __printf(1, 2) __noreturn fail(const char *fmt, ...);

#endif
