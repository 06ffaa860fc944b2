/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AIOLOAD_OPTIONS_H
#define AIOLOAD_OPTIONS_H

#include "aioload.h"

/* Exit status for bad input and setup failures. */
#define EXIT_USAGE 2

void die_usage(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/*
 * Parse the command line into the global options and the job list (numjobs
 * already expanded).  Exits with EXIT_USAGE and one line on stderr when the
 * input is bad, and with 0 after --help or --version.
 */
int parse_options(int argc, char **argv, struct global_opts *g,
		  struct job_opts **jobs);

int parse_time(const char *s, uint64_t unit_ns, uint64_t *v);

#endif
