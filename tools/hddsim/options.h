/* SPDX-License-Identifier: GPL-2.0 */
/* hddsim's command line. */
#ifndef HDDSIM_OPTIONS_H
#define HDDSIM_OPTIONS_H

#include "model.h"

struct hddsim_opts {
	struct hdd_params p;
	unsigned int qd;
	double scale;
	const char *device;
	const char *stats_path;
	const char *log_path;
	const char *stop; /* --stop DEV */
	int sock_fd; /* --socket-fd, -1: none */
	int foreground;
	int rt;
	int spin;
	unsigned int max_kb; /* queue/max_sectors_kb to set, 0: leave */
	int timeout;
	int sndbuf;
};

/* Fills @o with the defaults and the options; exits on a bad one. */
void opts_parse(struct hddsim_opts *o, int argc, char **argv);

#endif
