// SPDX-License-Identifier: GPL-2.0
/*
 * hddsim: a simulated rotating disk, served to the kernel's nbd driver.
 *
 * The kernel end of a socketpair goes to /dev/nbdX with the nbd ioctls
 * (nbd.c); this process answers the NBD requests on the other end, each
 * when the disk model (model.c) says the disk would have finished it, in
 * the order the queue (queue.c) picks.  The data lives in a sparse
 * anonymous mapping.  See Documentation/hddsim.rst.
 *
 * Threads: the receiver reads requests while the disk has room for them,
 * the disk serves them one at a time in simulated time, a control thread
 * handles signals, and the main thread sits in NBD_DO_IT.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <linux/nbd.h>

#include "hddsim.h"
#include "model.h"
#include "nbd.h"
#include "options.h"
#include "queue.h"
#include "stats.h"

struct hddsim {
	const struct hddsim_opts *o;
	struct hdd_model m;
	struct hddsim_clock clk;
	struct nbd_conn conn;
	struct nbd_dev dev;
	int reported; /* the device was reported ready */
	char *data;
	FILE *log;
	sigset_t sigs; /* for the control thread */
	double oversleep; /* mean, wall ns */

	struct cmd_queue q; /* the serving thread's */
	pthread_mutex_t lock; /* for st */
	struct stats st;
};

/*
 * The pipe to the parent waiting for the device (daemonize()): fail()
 * reports there from wherever the setup fails.
 */
static int ready_fd = -1;

void fail(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (n > (int)sizeof(msg) - 2)
		n = sizeof(msg) - 2;
	msg[n++] = '\n';
	if (ready_fd >= 0) {
		if (write(ready_fd, "E", 1) != 1 ||
		    write(ready_fd, msg, n) != n)
			exit(1);
	} else {
		fprintf(stderr, "hddsim: %.*s", n, msg);
	}
	exit(1);
}

static void write_stats(struct hddsim *hs)
{
	struct stats s;

	if (!hs->o->stats_path)
		return;
	pthread_mutex_lock(&hs->lock);
	s = hs->st;
	pthread_mutex_unlock(&hs->lock);
	stats_write(hs->o->stats_path, &s, &hs->m, hs->o->qd, hs->clk.scale);
}

/* --- serving --- */

static void trim_data(char *data, uint64_t from, uint64_t len)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t a = (from + pg - 1) / pg * pg, b = (from + len) / pg * pg;

	if (a >= b) {
		memset(data + from, 0, len);
		return;
	}
	memset(data + from, 0, a - from);
	memset(data + b, 0, from + len - b);
	madvise(data + a, b - a, MADV_DONTNEED);
}

/* Read one request into the queue; -1 at the end (DISC, EOF, error). */
static int rx_one(struct hddsim *hs)
{
	struct cmd *c = nbd_recv(&hs->conn, &hs->clk);

	if (!c)
		return -1;
	queue_add(&hs->q, c);
	return 0;
}

/*
 * Wait for the completion time of the command in service, reading the
 * requests that arrive meanwhile while the disk has room for them (its
 * queue depth, plus one to know when the next one arrived): the rest
 * wait in the kernel's I/O scheduler.  Sleeping alone wakes late by the
 * timer and scheduling latency (hundreds of microseconds under QEMU
 * TCG), so sleep until a margin before, twice the mean oversleep seen so
 * far, and spin the rest.  Returns 1 when the time had already passed.
 */
static int wait_done(struct hddsim *hs, double sim, int *eof)
{
	const struct hddsim_clock *clk = &hs->clk;
	double oversleep = hs->oversleep;
	double target = sim * clk->scale, now = wall_ns(clk);
	int late = now >= target;

	while (now < target) {
		double margin = hs->o->spin ? fmin(2 * oversleep, 2e6) : 0;
		double until = target - margin;
		int room = !*eof && hs->q.queued < hs->o->qd + 1;

		if (until > now) {
			if (room ? nbd_ready(&hs->conn, clk, until) :
				   (sleep_wall(clk, until), 0)) {
				if (rx_one(hs))
					*eof = 1;
			} else {
				oversleep +=
					(wall_ns(clk) - until - oversleep) / 16;
			}
		} else if (room && nbd_ready(&hs->conn, clk, 0) && rx_one(hs)) {
			*eof = 1;
		}
		now = wall_ns(clk);
	}
	hs->oversleep = oversleep;
	return late;
}

static void *serve_thread(void *arg)
{
	struct hddsim *hs = arg;
	double scale = hs->clk.scale, free_at = 0;
	int eof = 0;

	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	if (hs->o->rt) {
		struct sched_param sp = { .sched_priority = 10 };

		pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
	}
	for (;;) {
		struct hdd_cost cost;
		struct cmd *c;
		double start, late, reply;
		int err = 0, behind;

		/* idle: wait for a command */
		if (!hs->q.head && !eof && rx_one(hs))
			eof = 1;
		if (!hs->q.head)
			break;
		c = queue_pick(&hs->q, &hs->m, hs->o->qd, free_at, &start);

		cmd_plan(&hs->m, c, start, &cost);
		if (!cmd_valid(c, hs->m.p.capacity)) {
			err = EINVAL;
		} else {
			hdd_commit(&hs->m, cmd_op(c), c->from / HDD_SECTOR,
				   c->len / HDD_SECTOR, &cost);
			if (c->type == NBD_CMD_READ)
				memcpy(c->buf, hs->data + c->from, c->len);
			else if (c->type == NBD_CMD_WRITE)
				memcpy(hs->data + c->from, c->buf, c->len);
			else if (c->type == NBD_CMD_TRIM && c->len)
				trim_data(hs->data, c->from, c->len);
		}
		behind = wait_done(hs, cost.done, &eof);

		late = wall_ns(&hs->clk) - cost.done * scale;
		pthread_mutex_lock(&hs->lock);
		stats_account(&hs->st, &hs->m, c, &cost, err, late);
		hs->st.behind += behind;
		pthread_mutex_unlock(&hs->lock);

		nbd_reply(&hs->conn, c, err);
		reply = wall_ns(&hs->clk) - cost.done * scale - late;
		free_at = cost.done;
		hs->q.queued--;
		pthread_mutex_lock(&hs->lock);
		hs->st.reply_sum += reply;
		pthread_mutex_unlock(&hs->lock);
		if (hs->log)
			stats_log(hs->log, c, &cost, late);
		free(c->buf);
		free(c);
	}
	/* All answered: let the kernel see the end of the connection. */
	shutdown(hs->conn.sock_fd, SHUT_RDWR);
	return NULL;
}

/* --- the device, control --- */

/* Waits for the kernel to start the device, then reports it ready. */
static void *ready_thread(void *arg)
{
	struct hddsim *hs = arg;

	if (nbd_dev_wait(&hs->dev))
		return NULL;
	nbd_dev_tune(&hs->dev, hs->o->max_kb);
	hs->reported = 1;
	if (ready_fd >= 0) {
		char msg[64];
		int n = snprintf(msg, sizeof(msg), "/dev/%s\n", hs->dev.name);

		if (write(ready_fd, msg, n) != n)
			ready_fd = -1;
		close(ready_fd);
		ready_fd = -1;
		n = open("/dev/null", O_RDWR);
		if (n >= 0) {
			dup2(n, 0);
			dup2(n, 1);
			dup2(n, 2);
			if (n > 2)
				close(n);
		}
	} else {
		printf("/dev/%s\n", hs->dev.name);
		fflush(stdout);
	}
	return NULL;
}

static void *ctl_thread(void *arg)
{
	struct hddsim *hs = arg;
	int stopping = 0;

	for (;;) {
		struct timespec to = { .tv_sec = 10 };
		int sig = sigtimedwait(&hs->sigs, NULL, stopping ? &to : NULL);

		if (sig == SIGUSR1) {
			write_stats(hs);
			continue;
		}
		if (sig < 0 && errno == EINTR)
			continue;
		if (sig < 0) {
			/* the kernel did not let go: close our end */
			shutdown(hs->conn.sock_fd, SHUT_RDWR);
			continue;
		}
		stopping = 1;
		if (hs->dev.fd >= 0)
			ioctl(hs->dev.fd, NBD_DISCONNECT);
		else
			shutdown(hs->conn.sock_fd, SHUT_RD);
	}
	return NULL;
}

/* Fork; the parent waits for the child's device name or error. */
static void daemonize(void)
{
	char buf[600];
	int pfd[2];
	ssize_t n, got = 0;
	pid_t pid;

	if (pipe(pfd))
		fail("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (pid) {
		close(pfd[1]);
		while ((n = read(pfd[0], buf + got, sizeof(buf) - 1 - got)) > 0)
			got += n;
		buf[got] = 0;
		/* _exit: the child owns the buffered request log */
		if (got && buf[0] == '/') {
			fputs(buf, stdout);
			fflush(stdout);
			_exit(0);
		}
		if (got && buf[0] == 'E')
			fprintf(stderr, "hddsim: %s", buf + 1);
		else
			fprintf(stderr,
				"hddsim: the server stopped before the device was ready\n");
		_exit(1);
	}
	close(pfd[0]);
	ready_fd = pfd[1];
	setsid();
}

int main(int argc, char **argv)
{
	static struct hddsim hs = {
		.conn = { .sock_fd = -1, .kern_fd = -1 },
		.dev = { .fd = -1 },
		.oversleep = 50e3,
		.lock = PTHREAD_MUTEX_INITIALIZER,
	};
	struct hddsim_opts o;
	pthread_t serve, ctl, ready;
	int ret = 0;
	char err[256];

	opts_parse(&o, argc, argv);
	hs.o = &o;
	hs.clk.scale = o.scale;
	hs.conn.sndbuf = o.sndbuf;
	/* request buffers come and go: keep them off mmap */
	mallopt(M_MMAP_THRESHOLD, MAX_REQUEST);
	mallopt(M_TRIM_THRESHOLD, 4 * MAX_REQUEST);
	if (o.stop)
		return nbd_stop(o.stop);
	if (hdd_init(&hs.m, &o.p, err, sizeof(err)))
		die_usage("%s", err);
	if (o.device && o.sock_fd < 0)
		nbd_set_name(&hs.dev, o.device);

	if (o.log_path) {
		hs.log = fopen(o.log_path, "w");
		if (!hs.log)
			die_usage("--log-requests: %s: %s", o.log_path,
				  strerror(errno));
		stats_log_header(hs.log);
	}
	if (o.stats_path) {
		FILE *f = fopen(o.stats_path, "a");

		if (!f)
			die_usage("--stats: %s: %s", o.stats_path,
				  strerror(errno));
		fclose(f);
	}
	if (!o.foreground && o.sock_fd < 0)
		daemonize();

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&hs.sigs);
	sigaddset(&hs.sigs, SIGTERM);
	sigaddset(&hs.sigs, SIGINT);
	sigaddset(&hs.sigs, SIGHUP);
	sigaddset(&hs.sigs, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &hs.sigs, NULL);

	hs.data = mmap(NULL, o.p.capacity, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (hs.data == MAP_FAILED)
		fail("cannot map %llu bytes: %s",
		     (unsigned long long)o.p.capacity, strerror(errno));

	if (o.sock_fd >= 0)
		hs.conn.sock_fd = o.sock_fd;
	else
		nbd_dev_setup(&hs.dev, &hs.conn, o.device, o.p.capacity,
			      o.p.wcache_kb, o.timeout);

	clock_gettime(CLOCK_MONOTONIC, &hs.clk.t0);
	if (pthread_create(&serve, NULL, serve_thread, &hs) ||
	    pthread_create(&ctl, NULL, ctl_thread, &hs))
		fail("cannot start threads");

	if (o.sock_fd < 0) {
		if (pthread_create(&ready, NULL, ready_thread, &hs))
			fail("cannot start threads");
		if (ioctl(hs.dev.fd, NBD_DO_IT) < 0)
			ret = errno;
		__atomic_store_n(&hs.dev.doit_done, 1, __ATOMIC_RELEASE);
		pthread_join(ready, NULL);
		nbd_dev_release(&hs.dev);
		if (!hs.reported)
			fail("/dev/%s: NBD_DO_IT: %s", hs.dev.name,
			     strerror(ret ? ret : EIO));
		/* the kernel is gone: stop reading */
		shutdown(hs.conn.sock_fd, SHUT_RDWR);
	}
	pthread_join(serve, NULL);
	write_stats(&hs);
	if (hs.log)
		fclose(hs.log);
	return 0;
}
