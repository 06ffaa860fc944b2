// SPDX-License-Identifier: GPL-2.0
/*
 * hddsim's NBD server on the host, without the kernel: the test is the
 * client on one end of a socketpair, tools/hddsim/hddsim --socket-fd
 * serves the other.  Data reads back, errors are reported, the timing
 * follows the model, the disk reorders with a queue depth, and it stops
 * on NBD_CMD_DISC with its statistics written.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/nbd.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

struct srv {
	pid_t pid;
	int fd;
	char stats[64];
};

static const char *hddsim_path(void)
{
	static char path[4096];
	const char *top = getenv("ELVX_TOP");

	snprintf(path, sizeof(path), "%s/tools/hddsim/hddsim", top ? top : ".");
	return access(path, X_OK) ? NULL : path;
}

/* Start hddsim on a socketpair with extra options; NULL-terminated. */
static int srv_start(struct srv *s, ...)
{
	const char *argv[32], *a, *bin = hddsim_path();
	int sv[2], n = 0;
	va_list ap;

	if (!bin)
		return -1;
	snprintf(s->stats, sizeof(s->stats), "/tmp/hddsim-test.%d.stats",
		 getpid());
	unlink(s->stats);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -1;
	argv[n++] = bin;
	argv[n++] = "--socket-fd";
	argv[n++] = "3";
	argv[n++] = "--stats";
	argv[n++] = s->stats;
	va_start(ap, s);
	while ((a = va_arg(ap, const char *)) && n < 30)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	s->pid = fork();
	if (!s->pid) {
		dup2(sv[1], 3);
		execv(bin, (char **)argv);
		_exit(127);
	}
	close(sv[1]);
	s->fd = sv[0];
	return 0;
}

static int xfull(int fd, void *buf, size_t len, int wr)
{
	char *p = buf;

	while (len) {
		ssize_t n = wr ? write(fd, p, len) : read(fd, p, len);

		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static int send_req(int fd, int type, uint64_t handle, uint64_t from,
		    uint32_t len, const void *data)
{
	struct nbd_request rq = {
		.magic = htonl(NBD_REQUEST_MAGIC),
		.type = htonl(type),
		.from = htobe64(from),
		.len = htonl(len),
	};

	memcpy(rq.handle, &handle, 8);
	if (xfull(fd, &rq, sizeof(rq), 1))
		return -1;
	if ((type & 0xffff) == NBD_CMD_WRITE && xfull(fd, (void *)data, len, 1))
		return -1;
	return 0;
}

/* Read one reply; its data, if any, into buf (len bytes). */
static int recv_reply(int fd, uint64_t *handle, void *buf, uint32_t len)
{
	struct nbd_reply rep;

	if (xfull(fd, &rep, sizeof(rep), 0))
		return -1;
	if (ntohl(rep.magic) != NBD_REPLY_MAGIC)
		return -1;
	memcpy(handle, rep.handle, 8);
	if (rep.error)
		return ntohl(rep.error);
	if (buf && len && xfull(fd, buf, len, 0))
		return -1;
	return 0;
}

/* One synchronous command; returns the reply's error or -1. */
static int cmd(int fd, int type, uint64_t from, uint32_t len, void *buf)
{
	static uint64_t h;
	uint64_t got;
	int ret;

	if (send_req(fd, type, ++h, from, len, buf))
		return -1;
	ret = recv_reply(fd, &got, type == NBD_CMD_READ ? buf : NULL, len);
	return ret == 0 && got != h ? -1 : ret;
}

static int srv_stop(struct srv *s)
{
	int st;

	send_req(s->fd, NBD_CMD_DISC, 0, 0, 0, NULL);
	close(s->fd);
	if (waitpid(s->pid, &st, 0) != s->pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static double stat_get(struct srv *s, const char *key)
{
	char line[256];
	size_t kl = strlen(key);
	double v = NAN;
	FILE *f = fopen(s->stats, "r");

	if (!f)
		return NAN;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && line[kl] == ':')
			v = atof(line + kl + 1);
	fclose(f);
	return v;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

#define NEED_SERVER(s, ...)                                            \
	do {                                                           \
		if (srv_start(s, ##__VA_ARGS__, NULL))                 \
			SKIP(return, "tools/hddsim/hddsim not built"); \
	} while (0)

TEST(data_reads_back)
{
	static char a[1 << 20], b[1 << 20];
	struct srv s;
	size_t i;

	NEED_SERVER(&s, "--size", "1G", "--time-scale", "0.01");
	for (i = 0; i < sizeof(a); i++)
		a[i] = (char)(i * 7 + i / 4096);
	ASSERT_EQ(0, cmd(s.fd, NBD_CMD_WRITE, 4096 * 1000, sizeof(a), a));
	ASSERT_EQ(0, cmd(s.fd, NBD_CMD_WRITE, (1ULL << 30) - 512, 512, a));
	ASSERT_EQ(0, cmd(s.fd, NBD_CMD_WRITE, 512 * 3, 1024, a + 9));
	ASSERT_EQ(0, cmd(s.fd, NBD_CMD_FLUSH, 0, 0, NULL));
	ASSERT_EQ(0, cmd(s.fd, NBD_CMD_READ, 4096 * 1000, sizeof(b), b));
	EXPECT_EQ(0, memcmp(a, b, sizeof(a)));
	ASSERT_EQ(0, cmd(s.fd, NBD_CMD_READ, (1ULL << 30) - 512, 512, b));
	EXPECT_EQ(0, memcmp(a, b, 512));
	ASSERT_EQ(0, cmd(s.fd, NBD_CMD_READ, 512 * 3, 1024, b));
	EXPECT_EQ(0, memcmp(a + 9, b, 1024));
	/* never written: zeros */
	memset(b, 1, 4096);
	ASSERT_EQ(0, cmd(s.fd, NBD_CMD_READ, 1ULL << 29, 4096, b));
	for (i = 0; i < 4096; i++)
		ASSERT_EQ(0, b[i]);
	/* trimmed: zeros, with partial pages at both ends */
	ASSERT_EQ(0,
		  cmd(s.fd, NBD_CMD_TRIM, 4096 * 1000 + 512, 3 * 4096, NULL));
	ASSERT_EQ(0, cmd(s.fd, NBD_CMD_READ, 4096 * 1000, 5 * 4096, b));
	EXPECT_EQ(0, memcmp(a, b, 512));
	for (i = 512; i < 512 + 3 * 4096; i++)
		ASSERT_EQ(0, b[i]);
	EXPECT_EQ(0,
		  memcmp(a + 512 + 3 * 4096, b + 512 + 3 * 4096, 4096 - 512));
	/* out of range and misaligned requests fail, the server goes on */
	EXPECT_EQ(EINVAL, cmd(s.fd, NBD_CMD_READ, 1ULL << 30, 512, b));
	EXPECT_EQ(EINVAL, cmd(s.fd, NBD_CMD_READ, 100, 512, b));
	EXPECT_EQ(EINVAL, cmd(s.fd, 9, 0, 512, b));
	ASSERT_EQ(0, cmd(s.fd, NBD_CMD_READ, 512 * 3, 1024, b));
	EXPECT_EQ(0, srv_stop(&s));
	EXPECT_EQ(8, (int)stat_get(&s, "reads"));
	EXPECT_EQ(3, (int)stat_get(&s, "writes"));
	EXPECT_EQ(3, (int)stat_get(&s, "errors"));
	unlink(s.stats);
}

/*
 * QD1 random 4 KiB reads take about overhead + seek + half a revolution;
 * sequential ones run from the read-ahead.  The achieved times stay close
 * to the simulated ones.
 */
TEST(timing_follows_model)
{
	static char buf[128 << 10];
	double t0, rnd, seq, err, late;
	struct srv s;
	int i, n = 60;

	NEED_SERVER(&s, "--size", "8G", "--rt");
	srandom(5);
	t0 = now_ms();
	for (i = 0; i < n; i++)
		ASSERT_EQ(0, cmd(s.fd, NBD_CMD_READ,
				 (uint64_t)(random() % (2 << 20)) * 4096, 4096,
				 buf));
	rnd = (now_ms() - t0) / n;
	t0 = now_ms();
	for (i = 0; i < n; i++)
		ASSERT_EQ(0, cmd(s.fd, NBD_CMD_READ,
				 (1ULL << 30) + (uint64_t)i * sizeof(buf),
				 sizeof(buf), buf));
	seq = n * sizeof(buf) / 1e3 / (now_ms() - t0);
	EXPECT_EQ(0, srv_stop(&s));
	TH_LOG("random 4k: %.2f ms/read; sequential 128k: %.1f MB/s", rnd, seq);
	EXPECT_TRUE(rnd > 10 && rnd < 25);
	EXPECT_TRUE(seq > 60 && seq < 210);
	EXPECT_TRUE(seq * rnd > 20 * 4.096);
	err = stat_get(&s, "service_error_pct");
	late = stat_get(&s, "late_us_mean");
	TH_LOG("lateness %.1f us mean, p99 %.0f us, max %.0f us: %.2f%% of the service time",
	       late, stat_get(&s, "late_us_p99"), stat_get(&s, "late_us_max"),
	       err);
	EXPECT_TRUE(err < 15);
	EXPECT_EQ(2 * n, (int)stat_get(&s, "requests"));
	EXPECT_TRUE(stat_get(&s, "seek_distance_mean_cyl") > 100);
	unlink(s.stats);
}

/* With a queue depth the disk serves queued commands by SPTF. */
TEST(queue_depth_reorders)
{
	static char buf[4096];
	double ms[2];
	int qd, i, n = 64, reordered = 0;

	for (qd = 0; qd < 2; qd++) {
		struct srv s;
		uint64_t h, prev = 0;
		double t0;

		NEED_SERVER(&s, "--size", "8G", "--queue-depth",
			    qd ? "16" : "1", "--cache-mb", "0");
		srandom(6);
		t0 = now_ms();
		for (i = 1; i <= n; i++)
			ASSERT_EQ(0, send_req(s.fd, NBD_CMD_READ, i,
					      (uint64_t)(random() % (2 << 20)) *
						      4096,
					      4096, NULL));
		for (i = 0; i < n; i++) {
			ASSERT_EQ(0, recv_reply(s.fd, &h, buf, sizeof(buf)));
			if (h != prev + 1)
				reordered += qd;
			prev = h;
		}
		ms[qd] = (now_ms() - t0) / n;
		EXPECT_EQ(0, srv_stop(&s));
		unlink(s.stats);
	}
	TH_LOG("64 queued random reads: %.2f ms each at depth 1, %.2f at depth 16",
	       ms[0], ms[1]);
	EXPECT_TRUE(reordered > 0);
	EXPECT_TRUE(ms[1] < 0.75 * ms[0]);
}

TEST(signals)
{
	static char buf[4096];
	struct srv s;
	int st, i;

	NEED_SERVER(&s, "--size", "1G");
	ASSERT_EQ(0, cmd(s.fd, NBD_CMD_READ, 0, sizeof(buf), buf));
	/* SIGUSR1 writes the statistics and goes on */
	kill(s.pid, SIGUSR1);
	for (i = 0; i < 100 && isnan(stat_get(&s, "requests")); i++)
		usleep(10000);
	EXPECT_EQ(1, (int)stat_get(&s, "requests"));
	ASSERT_EQ(0, cmd(s.fd, NBD_CMD_READ, 0, sizeof(buf), buf));
	kill(s.pid, SIGTERM);
	ASSERT_EQ(s.pid, waitpid(s.pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	EXPECT_EQ(2, (int)stat_get(&s, "requests"));
	close(s.fd);
	unlink(s.stats);
}

/* With a write cache, writes return at once and a flush writes them back. */
TEST(write_cache_and_flush)
{
	static char buf[4096];
	double t0, w, f;
	struct srv s;
	int i, n = 40;

	NEED_SERVER(&s, "--size", "8G", "--write-cache-mb", "16");
	srandom(8);
	t0 = now_ms();
	for (i = 0; i < n; i++)
		ASSERT_EQ(0, cmd(s.fd, NBD_CMD_WRITE,
				 (uint64_t)(random() % (2 << 20)) * 4096,
				 sizeof(buf), buf));
	w = (now_ms() - t0) / n;
	t0 = now_ms();
	ASSERT_EQ(0, cmd(s.fd, NBD_CMD_FLUSH, 0, 0, NULL));
	f = now_ms() - t0;
	/* FUA: through to the media */
	t0 = now_ms();
	ASSERT_EQ(0, send_req(s.fd, NBD_CMD_WRITE | NBD_CMD_FLAG_FUA, 1,
			      1ULL << 32, sizeof(buf), buf));
	ASSERT_EQ(0, recv_reply(s.fd, &(uint64_t){ 0 }, NULL, 0));
	TH_LOG("cached writes %.2f ms each, flush of %d %.0f ms, FUA write %.1f ms",
	       w, n, f, now_ms() - t0);
	EXPECT_TRUE(w < f / n);
	EXPECT_TRUE(f > n * 1.0);
	EXPECT_EQ(0, srv_stop(&s));
	EXPECT_TRUE(stat_get(&s, "write_cached") >= n - 1);
	EXPECT_TRUE(stat_get(&s, "write_backs") >= 1);
	unlink(s.stats);
}

TEST_HARNESS_MAIN
