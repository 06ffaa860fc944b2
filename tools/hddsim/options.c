// SPDX-License-Identifier: GPL-2.0
/*
 * hddsim's command line: the options, their ranges, and --help.  Every
 * bad option or value exits with status 2 and one line on stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hddsim.h"
#include "options.h"
#include "size.h"

void die_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("hddsim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static const char usage_text[] =
	"usage: hddsim [options]          serve a simulated disk on /dev/nbdN\n"
	"       hddsim --stop /dev/nbdN   disconnect it and stop its server\n"
	"\n"
	"  --device DEV        the nbd device (default: the first free one)\n"
	"  --size N            capacity, with K, M, G or T, 1024-based (default 8G)\n"
	"  --rpm N             spindle speed (default 7200)\n"
	"  --seek-track MS     one-cylinder seek (default 0.8)\n"
	"  --seek-avg MS       average seek over random seeks (default 8.5)\n"
	"  --seek-full MS      full-stroke seek (default 17)\n"
	"  --head-switch MS    head switch time (default 0.5)\n"
	"  --heads N           recording surfaces (default 2)\n"
	"  --zones N           recording zones (default 16)\n"
	"  --outer-mbps N      sustained rate at the outer edge (default 200)\n"
	"  --inner-mbps N      sustained rate at the inner edge (default 100)\n"
	"  --overhead-us N     controller overhead per command (default 50)\n"
	"  --iface-mbps N      rate from the cache to the host (default 550)\n"
	"  --cache-mb N        read cache with read-ahead, 0 for none (default 8)\n"
	"  --cache-segments N  cache segments (default 16)\n"
	"  --write-cache-mb N  write-back cache, 0 for write-through (default 0)\n"
	"  --max-sectors-kb N largest request the kernel sends, 0: nbd's (default 1280)\n"
	"  --queue-depth N     commands the disk reorders (SPTF), 1 for none (default 1)\n"
	"  --time-scale F      run F times slower than the model (default 1)\n"
	"  --timeout S         nbd request timeout in seconds (default: none)\n"
	"  --rt                serve with SCHED_FIFO priority\n"
	"  --no-spin           only sleep until completions, do not spin the last bit\n"
	"  --stats FILE        counters, written at exit and on SIGUSR1\n"
	"  --log-requests FILE one line per request\n"
	"  --foreground        do not daemonize\n"
	"  --stop DEV          stop the hddsim serving DEV\n"
	"  -h, --help          this text\n";

enum {
	O_DEVICE = 256,
	O_SIZE,
	O_RPM,
	O_SEEK_TRACK,
	O_SEEK_AVG,
	O_SEEK_FULL,
	O_HEAD_SWITCH,
	O_HEADS,
	O_ZONES,
	O_OUTER,
	O_INNER,
	O_OVERHEAD,
	O_IFACE,
	O_CACHE,
	O_CACHE_SEGS,
	O_WCACHE,
	O_MAX_KB,
	O_QD,
	O_SCALE,
	O_TIMEOUT,
	O_RT,
	O_STATS,
	O_LOG,
	O_FG,
	O_STOP,
	O_SOCKET_FD,
	O_SNDBUF,
	O_NO_SPIN,
};

static const struct option longopts[] = {
	{ "device", required_argument, NULL, O_DEVICE },
	{ "size", required_argument, NULL, O_SIZE },
	{ "rpm", required_argument, NULL, O_RPM },
	{ "seek-track", required_argument, NULL, O_SEEK_TRACK },
	{ "seek-avg", required_argument, NULL, O_SEEK_AVG },
	{ "seek-full", required_argument, NULL, O_SEEK_FULL },
	{ "head-switch", required_argument, NULL, O_HEAD_SWITCH },
	{ "heads", required_argument, NULL, O_HEADS },
	{ "zones", required_argument, NULL, O_ZONES },
	{ "outer-mbps", required_argument, NULL, O_OUTER },
	{ "inner-mbps", required_argument, NULL, O_INNER },
	{ "overhead-us", required_argument, NULL, O_OVERHEAD },
	{ "iface-mbps", required_argument, NULL, O_IFACE },
	{ "cache-mb", required_argument, NULL, O_CACHE },
	{ "cache-segments", required_argument, NULL, O_CACHE_SEGS },
	{ "write-cache-mb", required_argument, NULL, O_WCACHE },
	{ "max-sectors-kb", required_argument, NULL, O_MAX_KB },
	{ "queue-depth", required_argument, NULL, O_QD },
	{ "time-scale", required_argument, NULL, O_SCALE },
	{ "timeout", required_argument, NULL, O_TIMEOUT },
	{ "rt", no_argument, NULL, O_RT },
	{ "no-spin", no_argument, NULL, O_NO_SPIN },
	{ "stats", required_argument, NULL, O_STATS },
	{ "log-requests", required_argument, NULL, O_LOG },
	{ "foreground", no_argument, NULL, O_FG },
	{ "stop", required_argument, NULL, O_STOP },
	/* for tests: serve NBD transmission on an open socket, no device */
	{ "socket-fd", required_argument, NULL, O_SOCKET_FD },
	/* the kernel end's SO_SNDBUF, 0 for the system default */
	{ "sndbuf", required_argument, NULL, O_SNDBUF },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *opt_name(int o)
{
	const struct option *lo;

	for (lo = longopts; lo->name; lo++)
		if (lo->val == o)
			return lo->name;
	return "?";
}

static double num(int o, const char *s, double lo, double hi)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v))
		die_usage("--%s: '%s' is not a number", opt_name(o), s);
	if (v < lo || v > hi)
		die_usage("--%s: %s out of range [%g, %g]", opt_name(o), s, lo,
			  hi);
	return v;
}

static unsigned int inum(int o, const char *s, double lo, double hi)
{
	double v = num(o, s, lo, hi);

	if (v != floor(v))
		die_usage("--%s: '%s' is not a whole number", opt_name(o), s);
	return (unsigned int)v;
}

static uint64_t size_arg(const char *s)
{
	uint64_t v;
	int err = size_parse(s, &v);

	if (err == -EINVAL)
		die_usage("--size: '%s' is not a size (N[KMGTP][i][B])", s);
	if (err || !v || v > 16ULL << 40)
		die_usage("--size: %s out of range (at most 16T)", s);
	if (v % HDD_SECTOR)
		die_usage("--size: %s is not a multiple of %d bytes", s,
			  HDD_SECTOR);
	return v;
}

void opts_parse(struct hddsim_opts *opts, int argc, char **argv)
{
	struct hdd_params *p = &opts->p;
	int o;

	*opts = (struct hddsim_opts){
		.qd = 1,
		.scale = 1,
		.sock_fd = -1,
		.sndbuf = 1,
		.spin = 1,
		.max_kb = 1280,
	};
	hdd_params_default(p);
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (o) {
		case O_DEVICE:
			opts->device = optarg;
			break;
		case O_SIZE:
			p->capacity = size_arg(optarg);
			break;
		case O_RPM:
			p->rpm = inum(o, optarg, 3600, 20000);
			break;
		case O_SEEK_TRACK:
			p->seek_track_ms = num(o, optarg, 0.01, 100);
			break;
		case O_SEEK_AVG:
			p->seek_avg_ms = num(o, optarg, 0.01, 100);
			break;
		case O_SEEK_FULL:
			p->seek_full_ms = num(o, optarg, 0.01, 100);
			break;
		case O_HEAD_SWITCH:
			p->head_switch_ms = num(o, optarg, 0, 100);
			break;
		case O_HEADS:
			p->heads = inum(o, optarg, 1, 32);
			break;
		case O_ZONES:
			p->zones = inum(o, optarg, 1, 256);
			break;
		case O_OUTER:
			p->outer_mbps = num(o, optarg, 1, 10000);
			break;
		case O_INNER:
			p->inner_mbps = num(o, optarg, 1, 10000);
			break;
		case O_OVERHEAD:
			p->overhead_us = num(o, optarg, 0, 100000);
			break;
		case O_IFACE:
			p->iface_mbps = num(o, optarg, 1, 100000);
			break;
		case O_CACHE:
			p->cache_kb = inum(o, optarg, 0, 4096) * 1024;
			break;
		case O_CACHE_SEGS:
			p->cache_segments = inum(o, optarg, 1, 1024);
			break;
		case O_WCACHE:
			p->wcache_kb = inum(o, optarg, 0, 4096) * 1024;
			break;
		case O_MAX_KB:
			opts->max_kb = inum(o, optarg, 0, 32768);
			break;
		case O_QD:
			opts->qd = inum(o, optarg, 1, 32);
			break;
		case O_SCALE:
			opts->scale = num(o, optarg, 0.01, 1000);
			break;
		case O_TIMEOUT:
			opts->timeout = inum(o, optarg, 0, 86400);
			break;
		case O_RT:
			opts->rt = 1;
			break;
		case O_NO_SPIN:
			opts->spin = 0;
			break;
		case O_STATS:
			opts->stats_path = optarg;
			break;
		case O_LOG:
			opts->log_path = optarg;
			break;
		case O_FG:
			opts->foreground = 1;
			break;
		case O_STOP:
			opts->stop = optarg;
			break;
		case O_SOCKET_FD:
			opts->sock_fd = inum(o, optarg, 0, 65535);
			break;
		case O_SNDBUF:
			opts->sndbuf = inum(o, optarg, 0, 1 << 30);
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		case ':':
			die_usage("option '%s' needs a value (see --help)",
				  argv[optind - 1]);
		default:
			die_usage("unknown option '%s' (see --help)",
				  argv[optind - 1]);
		}
	}
	if (optind < argc)
		die_usage("unexpected argument '%s' (see --help)",
			  argv[optind]);
}
