// SPDX-License-Identifier: GPL-2.0
/*
 * hddsim: a simulated rotating disk, served to the kernel's nbd driver.
 *
 * The kernel end of a socketpair goes to /dev/nbdX with the nbd ioctls;
 * this process answers the NBD requests on the other end, each when the
 * disk model (model.c) says the disk would have finished it.  The data
 * lives in a sparse anonymous mapping.  See Documentation/hddsim.rst.
 *
 * Threads: the receiver reads requests while the disk has room for them,
 * the disk serves them one at a time in simulated time, a control thread
 * handles signals, and the main thread sits in NBD_DO_IT.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <math.h>
#include <poll.h>
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
#include <arpa/inet.h>
#include <endian.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <linux/nbd.h>

#include "hddsim.h"
#include "model.h"
#include "options.h"
#include "queue.h"
#include "stats.h"

#ifndef NBD_FLAG_ROTATIONAL
#define NBD_FLAG_ROTATIONAL (1 << 4)
#endif

static struct {
	struct hddsim_opts o;
	struct hdd_model m;
	char name[32]; /* nbd0 */
	int sock_fd; /* our end */
	int kern_fd; /* the kernel's end */
	int nbd_fd;
	int ready_fd; /* pipe to the waiting parent */
	int rot_set; /* we turned rotational on */
	int doit_done; /* NBD_DO_IT returned (atomic) */
	int reported; /* the device was reported ready */
	char *data;
	struct timespec t0;
	FILE *log;

	pthread_mutex_t lock;
	struct cmd_queue q;
	struct stats st;
} hs = {
	.sock_fd = -1,
	.kern_fd = -1,
	.nbd_fd = -1,
	.ready_fd = -1,
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

/* An error before the device is up: to the waiting parent, or stderr. */
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
	if (hs.ready_fd >= 0) {
		if (write(hs.ready_fd, "E", 1) != 1 ||
		    write(hs.ready_fd, msg, n) != n)
			exit(1);
	} else {
		fprintf(stderr, "hddsim: %.*s", n, msg);
	}
	exit(1);
}

/* --- time --- */

static double wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec - hs.t0.tv_sec) * 1e9 + (ts.tv_nsec - hs.t0.tv_nsec);
}

static double sim_now(void)
{
	return wall_ns() / hs.o.scale;
}

static void sleep_wall(double w)
{
	struct timespec ts = hs.t0;
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

/* --- I/O helpers --- */

static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static int writev_full(int fd, struct iovec *iov, int cnt)
{
	while (cnt) {
		ssize_t n = writev(fd, iov, cnt);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		while (cnt && (size_t)n >= iov->iov_len) {
			n -= iov->iov_len;
			iov++;
			cnt--;
		}
		if (cnt) {
			iov->iov_base = (char *)iov->iov_base + n;
			iov->iov_len -= n;
		}
	}
	return 0;
}

/* --- statistics --- */

static void write_stats(void)
{
	struct stats s;

	if (!hs.o.stats_path)
		return;
	pthread_mutex_lock(&hs.lock);
	s = hs.st;
	pthread_mutex_unlock(&hs.lock);
	stats_write(hs.o.stats_path, &s, &hs.m, hs.o.qd, hs.o.scale);
}

/* --- the disk --- */

static void trim_data(uint64_t from, uint64_t len)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t a = (from + pg - 1) / pg * pg, b = (from + len) / pg * pg;

	if (a >= b) {
		memset(hs.data + from, 0, len);
		return;
	}
	memset(hs.data + from, 0, a - from);
	memset(hs.data + b, 0, from + len - b);
	madvise(hs.data + a, b - a, MADV_DONTNEED);
}

/* --- serving --- */

/* Set the kernel end's send buffer; 0 or less: leave it alone. */
static void kern_sndbuf(int bytes)
{
	if (hs.kern_fd < 0 || bytes <= 0)
		return;
	if (setsockopt(hs.kern_fd, SOL_SOCKET, SO_SNDBUFFORCE, &bytes,
		       sizeof(bytes)))
		setsockopt(hs.kern_fd, SOL_SOCKET, SO_SNDBUF, &bytes,
			   sizeof(bytes));
}

/*
 * A write's data: through the small send buffer that keeps requests in
 * the scheduler it would come in pieces of a few KiB, each a wake-up of
 * the kernel's sender (slow under TCG).  Open the buffer for the data,
 * and close it again.
 */
static int read_payload(char *buf, uint32_t len)
{
	int ret;

	if (len <= 16384 || hs.o.sndbuf <= 0)
		return read_full(hs.sock_fd, buf, len);
	kern_sndbuf(len < (4U << 20) ? (int)len + 65536 : (4 << 20) + 65536);
	ret = read_full(hs.sock_fd, buf, len);
	kern_sndbuf(hs.o.sndbuf);
	return ret;
}

/* Read one request into the queue; -1 at the end (DISC, EOF, error). */
static int rx_one(void)
{
	struct nbd_request rq;
	struct cmd *c;

	if (read_full(hs.sock_fd, &rq, sizeof(rq)))
		return -1;
	if (ntohl(rq.magic) != NBD_REQUEST_MAGIC)
		return -1;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -1;
	c->arrival = sim_now();
	c->type = ntohl(rq.type) & 0xffff;
	c->flags = ntohl(rq.type) >> 16;
	memcpy(c->handle, rq.handle, sizeof(c->handle));
	c->from = be64toh(rq.from);
	c->len = ntohl(rq.len);
	if (c->type == NBD_CMD_DISC)
		goto end;
	if (c->type == NBD_CMD_READ || c->type == NBD_CMD_WRITE) {
		if (c->len > MAX_REQUEST)
			goto end;
		c->buf = malloc(c->len ? c->len : 1);
		if (!c->buf)
			goto end;
	}
	if (c->type == NBD_CMD_WRITE && read_payload(c->buf, c->len))
		goto end;
	queue_add(&hs.q, c);
	return 0;
end:
	free(c->buf);
	free(c);
	return -1;
}

/* Is a request waiting?  Waits up to wall time @until (0: just look). */
static int rx_ready(double until)
{
	struct pollfd pfd = { .fd = hs.sock_fd, .events = POLLIN };
	double w = until - wall_ns();
	struct timespec ts;
	int n;

	if (w < 0)
		w = 0;
	ts.tv_sec = (time_t)(w / 1e9);
	ts.tv_nsec = (long)(w - ts.tv_sec * 1e9);
	do
		n = ppoll(&pfd, 1, &ts, NULL);
	while (n < 0 && errno == EINTR);
	return n > 0;
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
static int wait_done(double sim, int *eof)
{
	static double oversleep = 50e3;
	double target = sim * hs.o.scale, now = wall_ns();
	int late = now >= target;

	while (now < target) {
		double margin = hs.o.spin ? fmin(2 * oversleep, 2e6) : 0;
		double until = target - margin;
		int room = !*eof && hs.q.queued < hs.o.qd + 1;

		if (until > now) {
			if (room ? rx_ready(until) : (sleep_wall(until), 0)) {
				if (rx_one())
					*eof = 1;
			} else {
				oversleep +=
					(wall_ns() - until - oversleep) / 16;
			}
		} else if (room && rx_ready(0) && rx_one()) {
			*eof = 1;
		}
		now = wall_ns();
	}
	return late;
}

static void *serve_thread(void *arg)
{
	double free_at = 0;
	int eof = 0;

	(void)arg;
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	if (hs.o.rt) {
		struct sched_param sp = { .sched_priority = 10 };

		pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
	}
	for (;;) {
		struct nbd_reply rep = { .magic = htonl(NBD_REPLY_MAGIC) };
		struct hdd_cost cost;
		struct iovec iov[2];
		struct cmd *c;
		double start, late, reply;
		int err = 0, cnt = 1, behind;

		/* idle: wait for a command */
		if (!hs.q.head && !eof && rx_one())
			eof = 1;
		if (!hs.q.head)
			break;
		c = queue_pick(&hs.q, &hs.m, hs.o.qd, free_at, &start);

		cmd_plan(&hs.m, c, start, &cost);
		if (!cmd_valid(c, hs.o.p.capacity)) {
			err = EINVAL;
		} else {
			hdd_commit(&hs.m, cmd_op(c), c->from / HDD_SECTOR,
				   c->len / HDD_SECTOR, &cost);
			if (c->type == NBD_CMD_READ)
				memcpy(c->buf, hs.data + c->from, c->len);
			else if (c->type == NBD_CMD_WRITE)
				memcpy(hs.data + c->from, c->buf, c->len);
			else if (c->type == NBD_CMD_TRIM && c->len)
				trim_data(c->from, c->len);
		}
		behind = wait_done(cost.done, &eof);

		rep.error = htonl(err);
		memcpy(rep.handle, c->handle, sizeof(rep.handle));
		iov[0].iov_base = &rep;
		iov[0].iov_len = sizeof(rep);
		if (c->type == NBD_CMD_READ && !err && c->len) {
			iov[1].iov_base = c->buf;
			iov[1].iov_len = c->len;
			cnt = 2;
		}
		late = wall_ns() - cost.done * hs.o.scale;
		pthread_mutex_lock(&hs.lock);
		stats_account(&hs.st, &hs.m, c, &cost, err, late);
		hs.st.behind += behind;
		pthread_mutex_unlock(&hs.lock);

		writev_full(hs.sock_fd, iov, cnt);
		reply = wall_ns() - cost.done * hs.o.scale - late;
		free_at = cost.done;
		hs.q.queued--;
		pthread_mutex_lock(&hs.lock);
		hs.st.reply_sum += reply;
		pthread_mutex_unlock(&hs.lock);
		if (hs.log)
			stats_log(hs.log, c, &cost, late);
		free(c->buf);
		free(c);
	}
	/* All answered: let the kernel see the end of the connection. */
	shutdown(hs.sock_fd, SHUT_RDWR);
	return NULL;
}

/* --- the nbd device --- */

static int sysfs_read(const char *attr, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/block/%s/%s", hs.name, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

static int sysfs_write(const char *name, const char *attr, const char *val)
{
	char path[128];
	int fd, ret;

	snprintf(path, sizeof(path), "/sys/block/%s/%s", name, attr);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ret = write(fd, val, strlen(val)) == (ssize_t)strlen(val) ? 0 : -1;
	close(fd);
	return ret;
}

static void set_name(const char *dev)
{
	const char *b = strrchr(dev, '/');

	b = b ? b + 1 : dev;
	if (strncmp(b, "nbd", 3) || !b[3] || strlen(b) >= sizeof(hs.name) ||
	    strspn(b + 3, "0123456789") != strlen(b + 3))
		die_usage("'%s' is not an nbd device (/dev/nbdN)", dev);
	snprintf(hs.name, sizeof(hs.name), "%s", b);
}

static void pick_device(void)
{
	char buf[64];
	int i;

	for (i = 0; i < 256; i++) {
		snprintf(hs.name, sizeof(hs.name), "nbd%d", i);
		if (sysfs_read("size", buf, sizeof(buf)))
			break;
		if (sysfs_read("pid", buf, sizeof(buf)) && atoll(buf) == 0)
			return;
	}
	fail("no free nbd device (is the nbd module loaded? modprobe nbd)");
}

/* Waits for the kernel to start the device, then reports it ready. */
static void *ready_thread(void *arg)
{
	char buf[64];

	(void)arg;
	while (sysfs_read("pid", buf, sizeof(buf))) {
		if (__atomic_load_n(&hs.doit_done, __ATOMIC_ACQUIRE))
			return NULL;
		usleep(5000);
	}
	/* a SATA disk's largest request, not nbd's 128 KiB */
	if (hs.o.max_kb) {
		snprintf(buf, sizeof(buf), "%u", hs.o.max_kb);
		sysfs_write(hs.name, "queue/max_sectors_kb", buf);
	}
	if (!sysfs_read("queue/rotational", buf, sizeof(buf)) &&
	    atoi(buf) == 0) {
		if (!sysfs_write(hs.name, "queue/rotational", "1"))
			hs.rot_set = 1;
	}
	hs.reported = 1;
	if (hs.ready_fd >= 0) {
		char msg[64];
		int n = snprintf(msg, sizeof(msg), "/dev/%s\n", hs.name);

		if (write(hs.ready_fd, msg, n) != n)
			hs.ready_fd = -1;
		close(hs.ready_fd);
		hs.ready_fd = -1;
		n = open("/dev/null", O_RDWR);
		if (n >= 0) {
			dup2(n, 0);
			dup2(n, 1);
			dup2(n, 2);
			if (n > 2)
				close(n);
		}
	} else {
		printf("/dev/%s\n", hs.name);
		fflush(stdout);
	}
	return NULL;
}

static void nbd_setup(void)
{
	char path[64], buf[64];
	unsigned long flags;
	int sv[2];

	if (hs.o.device)
		set_name(hs.o.device);
	else
		pick_device();
	snprintf(path, sizeof(path), "/dev/%s", hs.name);
	/* the ioctls would resize a device in use: check before */
	if (!sysfs_read("pid", buf, sizeof(buf)))
		fail("%s is in use (served by process %d)", path, atoi(buf));
	hs.nbd_fd = open(path, O_RDWR | O_CLOEXEC);
	if (hs.nbd_fd < 0)
		fail("%s: %s%s", path, strerror(errno),
		     errno == ENOENT ? " (modprobe nbd)" : "");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		fail("socketpair: %s", strerror(errno));
	hs.kern_fd = sv[0];
	hs.sock_fd = sv[1];
	/* Small kernel-side buffers: requests wait in the I/O scheduler. */
	kern_sndbuf(hs.o.sndbuf);
	if (ioctl(hs.nbd_fd, NBD_SET_BLKSIZE, (unsigned long)HDD_SECTOR) < 0)
		fail("%s: NBD_SET_BLKSIZE: %s", path, strerror(errno));
	if (ioctl(hs.nbd_fd, NBD_SET_SIZE, (unsigned long)hs.o.p.capacity) < 0)
		fail("%s: NBD_SET_SIZE: %s", path, strerror(errno));
	/* flushes and FUA only mean something with a write cache */
	flags = NBD_FLAG_HAS_FLAGS | NBD_FLAG_SEND_TRIM | NBD_FLAG_ROTATIONAL;
	if (hs.o.p.wcache_kb)
		flags |= NBD_FLAG_SEND_FLUSH | NBD_FLAG_SEND_FUA;
	if (ioctl(hs.nbd_fd, NBD_SET_FLAGS, flags) < 0)
		fail("%s: NBD_SET_FLAGS: %s", path, strerror(errno));
	if (hs.o.timeout &&
	    ioctl(hs.nbd_fd, NBD_SET_TIMEOUT, (unsigned long)hs.o.timeout) < 0)
		fail("%s: NBD_SET_TIMEOUT: %s", path, strerror(errno));
	if (ioctl(hs.nbd_fd, NBD_SET_SOCK, (unsigned long)hs.kern_fd) < 0)
		fail("%s: NBD_SET_SOCK: %s%s", path, strerror(errno),
		     errno == EBUSY ? " (already in use)" : "");
}

/* --- control --- */

static void *ctl_thread(void *arg)
{
	sigset_t *set = arg;
	int stopping = 0;

	for (;;) {
		struct timespec to = { .tv_sec = 10 };
		int sig = sigtimedwait(set, NULL, stopping ? &to : NULL);

		if (sig == SIGUSR1) {
			write_stats();
			continue;
		}
		if (sig < 0 && errno == EINTR)
			continue;
		if (sig < 0) {
			/* the kernel did not let go: close our end */
			shutdown(hs.sock_fd, SHUT_RDWR);
			continue;
		}
		stopping = 1;
		if (hs.nbd_fd >= 0)
			ioctl(hs.nbd_fd, NBD_DISCONNECT);
		else
			shutdown(hs.sock_fd, SHUT_RD);
	}
	return NULL;
}

static pid_t served_by(const char *name, char *comm, size_t len)
{
	char path[128], buf[64];
	pid_t pid;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/block/%s/pid", name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	pid = fgets(buf, sizeof(buf), f) ? atoi(buf) : 0;
	fclose(f);
	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "r");
	comm[0] = 0;
	if (f) {
		if (fgets(comm, len, f))
			comm[strcspn(comm, "\n")] = 0;
		fclose(f);
	}
	return pid;
}

/* Exited: no such process, or a zombie nobody reaps. */
static int gone(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 1;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	if (!p)
		return 1;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

static int do_stop(const char *dev)
{
	char comm[64];
	pid_t pid;
	int i;

	set_name(dev);
	pid = served_by(hs.name, comm, sizeof(comm));
	if (!pid || strcmp(comm, "hddsim")) {
		fprintf(stderr, "hddsim: /dev/%s is not served by hddsim\n",
			hs.name);
		return 1;
	}
	if (kill(pid, SIGTERM)) {
		fprintf(stderr, "hddsim: kill %d: %s\n", pid, strerror(errno));
		return 1;
	}
	for (i = 0; i < 1200; i++) {
		if (gone(pid))
			return 0;
		usleep(50000);
	}
	fprintf(stderr, "hddsim: process %d did not exit\n", pid);
	return 1;
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
	hs.ready_fd = pfd[1];
	setsid();
}

int main(int argc, char **argv)
{
	pthread_t serve, ctl, ready;
	const char *stop;
	int sockfd, ret = 0;
	char err[256];
	sigset_t set;

	opts_parse(&hs.o, argc, argv);
	stop = hs.o.stop;
	sockfd = hs.o.sock_fd;
	/* request buffers come and go: keep them off mmap */
	mallopt(M_MMAP_THRESHOLD, MAX_REQUEST);
	mallopt(M_TRIM_THRESHOLD, 4 * MAX_REQUEST);
	if (stop)
		return do_stop(stop);
	if (hdd_init(&hs.m, &hs.o.p, err, sizeof(err)))
		die_usage("%s", err);
	if (hs.o.device && sockfd < 0)
		set_name(hs.o.device);

	if (hs.o.log_path) {
		hs.log = fopen(hs.o.log_path, "w");
		if (!hs.log)
			die_usage("--log-requests: %s: %s", hs.o.log_path,
				  strerror(errno));
		stats_log_header(hs.log);
	}
	if (hs.o.stats_path) {
		FILE *f = fopen(hs.o.stats_path, "a");

		if (!f)
			die_usage("--stats: %s: %s", hs.o.stats_path,
				  strerror(errno));
		fclose(f);
	}
	if (!hs.o.foreground && sockfd < 0)
		daemonize();

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	hs.data = mmap(NULL, hs.o.p.capacity, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (hs.data == MAP_FAILED)
		fail("cannot map %llu bytes: %s",
		     (unsigned long long)hs.o.p.capacity, strerror(errno));

	if (sockfd >= 0)
		hs.sock_fd = sockfd;
	else
		nbd_setup();

	clock_gettime(CLOCK_MONOTONIC, &hs.t0);
	if (pthread_create(&serve, NULL, serve_thread, NULL) ||
	    pthread_create(&ctl, NULL, ctl_thread, &set))
		fail("cannot start threads");

	if (sockfd < 0) {
		if (pthread_create(&ready, NULL, ready_thread, NULL))
			fail("cannot start threads");
		if (ioctl(hs.nbd_fd, NBD_DO_IT) < 0)
			ret = errno;
		__atomic_store_n(&hs.doit_done, 1, __ATOMIC_RELEASE);
		pthread_join(ready, NULL);
		ioctl(hs.nbd_fd, NBD_CLEAR_SOCK);
		if (hs.rot_set)
			sysfs_write(hs.name, "queue/rotational", "0");
		if (!hs.reported)
			fail("/dev/%s: NBD_DO_IT: %s", hs.name,
			     strerror(ret ? ret : EIO));
		/* the kernel is gone: stop reading */
		shutdown(hs.sock_fd, SHUT_RDWR);
	}
	pthread_join(serve, NULL);
	write_stats();
	if (hs.log)
		fclose(hs.log);
	return 0;
}
