// SPDX-License-Identifier: GPL-2.0
/*
 * hddsim's side of NBD.  The kernel end of a socketpair goes to /dev/nbdX
 * with the nbd ioctls (no negotiation: the ioctls set size and flags);
 * requests and replies then go over the socket in the transmission
 * phase's simple replies.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <endian.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/nbd.h>

#include "nbd.h"

#ifndef NBD_FLAG_ROTATIONAL
#define NBD_FLAG_ROTATIONAL (1 << 4)
#endif

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

/* --- requests and replies --- */

/* Set the kernel end's send buffer; 0 or less: leave it alone. */
static void kern_sndbuf(struct nbd_conn *conn, int bytes)
{
	if (conn->kern_fd < 0 || bytes <= 0)
		return;
	if (setsockopt(conn->kern_fd, SOL_SOCKET, SO_SNDBUFFORCE, &bytes,
		       sizeof(bytes)))
		setsockopt(conn->kern_fd, SOL_SOCKET, SO_SNDBUF, &bytes,
			   sizeof(bytes));
}

/*
 * A write's data: through the small send buffer that keeps requests in
 * the scheduler it would come in pieces of a few KiB, each a wake-up of
 * the kernel's sender (slow under TCG).  Open the buffer for the data,
 * and close it again.
 */
static int read_payload(struct nbd_conn *conn, char *buf, uint32_t len)
{
	int ret;

	if (len <= 16384 || conn->sndbuf <= 0)
		return read_full(conn->sock_fd, buf, len);
	kern_sndbuf(conn,
		    len < (4U << 20) ? (int)len + 65536 : (4 << 20) + 65536);
	ret = read_full(conn->sock_fd, buf, len);
	kern_sndbuf(conn, conn->sndbuf);
	return ret;
}

struct cmd *nbd_recv(struct nbd_conn *conn, const struct hddsim_clock *clk)
{
	struct nbd_request rq;
	struct cmd *c;

	if (read_full(conn->sock_fd, &rq, sizeof(rq)))
		return NULL;
	if (ntohl(rq.magic) != NBD_REQUEST_MAGIC)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->arrival = sim_now(clk);
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
	if (c->type == NBD_CMD_WRITE && read_payload(conn, c->buf, c->len))
		goto end;
	return c;
end:
	free(c->buf);
	free(c);
	return NULL;
}

int nbd_ready(struct nbd_conn *conn, const struct hddsim_clock *clk,
	      double until)
{
	struct pollfd pfd = { .fd = conn->sock_fd, .events = POLLIN };
	double w = until - wall_ns(clk);
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

int nbd_reply(struct nbd_conn *conn, const struct cmd *c, int err)
{
	struct nbd_reply rep = { .magic = htonl(NBD_REPLY_MAGIC) };
	struct iovec iov[2];
	int cnt = 1;

	rep.error = htonl(err);
	memcpy(rep.handle, c->handle, sizeof(rep.handle));
	iov[0].iov_base = &rep;
	iov[0].iov_len = sizeof(rep);
	if (c->type == NBD_CMD_READ && !err && c->len) {
		iov[1].iov_base = c->buf;
		iov[1].iov_len = c->len;
		cnt = 2;
	}
	return writev_full(conn->sock_fd, iov, cnt);
}

/* --- the nbd device --- */

static int sysfs_read(const char *name, const char *attr, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/block/%s/%s", name, attr);
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

void nbd_set_name(struct nbd_dev *dev, const char *path)
{
	const char *b = strrchr(path, '/');

	b = b ? b + 1 : path;
	if (strncmp(b, "nbd", 3) || !b[3] || strlen(b) >= sizeof(dev->name) ||
	    strspn(b + 3, "0123456789") != strlen(b + 3))
		die_usage("'%s' is not an nbd device (/dev/nbdN)", path);
	snprintf(dev->name, sizeof(dev->name), "%s", b);
}

static void pick_device(struct nbd_dev *dev)
{
	char buf[64];
	int i;

	for (i = 0; i < 256; i++) {
		snprintf(dev->name, sizeof(dev->name), "nbd%d", i);
		if (sysfs_read(dev->name, "size", buf, sizeof(buf)))
			break;
		if (sysfs_read(dev->name, "pid", buf, sizeof(buf)) &&
		    atoll(buf) == 0)
			return;
	}
	fail("no free nbd device (is the nbd module loaded? modprobe nbd)");
}

void nbd_dev_setup(struct nbd_dev *dev, struct nbd_conn *conn,
		   const char *device, uint64_t capacity, int wcache,
		   int timeout)
{
	char path[64], buf[64];
	unsigned long flags;
	int sv[2];

	if (device)
		nbd_set_name(dev, device);
	else
		pick_device(dev);
	snprintf(path, sizeof(path), "/dev/%s", dev->name);
	/* the ioctls would resize a device in use: check before */
	if (!sysfs_read(dev->name, "pid", buf, sizeof(buf)))
		fail("%s is in use (served by process %d)", path, atoi(buf));
	dev->fd = open(path, O_RDWR | O_CLOEXEC);
	if (dev->fd < 0)
		fail("%s: %s%s", path, strerror(errno),
		     errno == ENOENT ? " (modprobe nbd)" : "");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		fail("socketpair: %s", strerror(errno));
	conn->kern_fd = sv[0];
	conn->sock_fd = sv[1];
	/* Small kernel-side buffers: requests wait in the I/O scheduler. */
	kern_sndbuf(conn, conn->sndbuf);
	if (ioctl(dev->fd, NBD_SET_BLKSIZE, (unsigned long)HDD_SECTOR) < 0)
		fail("%s: NBD_SET_BLKSIZE: %s", path, strerror(errno));
	if (ioctl(dev->fd, NBD_SET_SIZE, (unsigned long)capacity) < 0)
		fail("%s: NBD_SET_SIZE: %s", path, strerror(errno));
	/* flushes and FUA only mean something with a write cache */
	flags = NBD_FLAG_HAS_FLAGS | NBD_FLAG_SEND_TRIM | NBD_FLAG_ROTATIONAL;
	if (wcache)
		flags |= NBD_FLAG_SEND_FLUSH | NBD_FLAG_SEND_FUA;
	if (ioctl(dev->fd, NBD_SET_FLAGS, flags) < 0)
		fail("%s: NBD_SET_FLAGS: %s", path, strerror(errno));
	if (timeout &&
	    ioctl(dev->fd, NBD_SET_TIMEOUT, (unsigned long)timeout) < 0)
		fail("%s: NBD_SET_TIMEOUT: %s", path, strerror(errno));
	if (ioctl(dev->fd, NBD_SET_SOCK, (unsigned long)conn->kern_fd) < 0)
		fail("%s: NBD_SET_SOCK: %s%s", path, strerror(errno),
		     errno == EBUSY ? " (already in use)" : "");
}

int nbd_dev_wait(struct nbd_dev *dev)
{
	char buf[64];

	while (sysfs_read(dev->name, "pid", buf, sizeof(buf))) {
		if (__atomic_load_n(&dev->doit_done, __ATOMIC_ACQUIRE))
			return -1;
		usleep(5000);
	}
	return 0;
}

void nbd_dev_tune(struct nbd_dev *dev, unsigned int max_kb)
{
	char buf[64];

	/* a SATA disk's largest request, not nbd's 128 KiB */
	if (max_kb) {
		snprintf(buf, sizeof(buf), "%u", max_kb);
		sysfs_write(dev->name, "queue/max_sectors_kb", buf);
	}
	if (!sysfs_read(dev->name, "queue/rotational", buf, sizeof(buf)) &&
	    atoi(buf) == 0) {
		if (!sysfs_write(dev->name, "queue/rotational", "1"))
			dev->rot_set = 1;
	}
}

void nbd_dev_release(struct nbd_dev *dev)
{
	ioctl(dev->fd, NBD_CLEAR_SOCK);
	if (dev->rot_set)
		sysfs_write(dev->name, "queue/rotational", "0");
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

int nbd_stop(const char *path)
{
	struct nbd_dev dev;
	char comm[64];
	pid_t pid;
	int i;

	nbd_set_name(&dev, path);
	pid = served_by(dev.name, comm, sizeof(comm));
	if (!pid || strcmp(comm, "hddsim")) {
		fprintf(stderr, "hddsim: /dev/%s is not served by hddsim\n",
			dev.name);
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
