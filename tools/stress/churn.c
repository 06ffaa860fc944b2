// SPDX-License-Identifier: GPL-2.0
/*
 * churn: thousands of short-lived processes doing verified O_DIRECT I/O on
 * a block device, for make stress.
 *
 * Every process gets its own I/O context, so the scheduler creates and
 * frees its per-process state (io_cq, queues) once per process.  Each one
 * takes a free "slot" (a few blocks of its own), changes its I/O priority
 * between requests, writes a pattern to its blocks, reads them back and
 * compares.  With -t N it also starts N threads with CLONE_IO: they share
 * its I/O context, do I/O on blocks of their own and exit at different
 * times, some while the others still have requests in flight.  At the end
 * every slot is read again and must hold what its last process wrote.
 *
 *   churn -f DEV -n PROCS [-j PARALLEL] [-t THREADS] [-k IOS] [-o OFFSET]
 *         [-S SEED] [-R] [-X]
 *
 * Priorities are BE levels and NONE; -R adds the RT and IDLE classes.
 * -X overwrites one block after the processes are done, before the final
 * check: a self-test of the mismatch detection (final_mismatches=1).
 *
 * Prints one line "procs=... threads=... ios=... errors=... mismatches=...
 * final_mismatches=... ioprio_changes=... secs=..." and exits 0 when no
 * error and no mismatch was seen, 1 otherwise, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BS 4096
#define MAGIC 0x656c7678636875ULL /* "elvxchu" */
#define STACK_SIZE (64 * 1024)
#define MAX_THREADS 16

#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_PRIO_VALUE(c, d) (((c) << IOPRIO_CLASS_SHIFT) | (d))
#define IOPRIO_WHO_PROCESS 1

struct hdr {
	uint64_t magic;
	uint64_t slot;
	uint64_t idx; /* block within the slot */
	uint64_t gen; /* number of the process that wrote it */
	uint64_t pid;
	uint64_t sum; /* of the rest of the block */
};

/* Counters shared by every process (MAP_SHARED). */
struct shared {
	unsigned long ios, errors, mismatches, prio_changes, threads;
	unsigned long max_lat_us; /* slowest single request */
};

static const char *dev;
static int fd_all = -1;
static int nthreads, ios_per = 4;
static off_t base;
static int corrupt;
static struct shared *sh;

static uint64_t sum_of(const unsigned char *p, size_t n)
{
	uint64_t s = 1469598103934665603ULL; /* FNV-1a */

	while (n--)
		s = (s ^ *p++) * 1099511628211ULL;
	return s;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

static void note_lat(uint64_t t0)
{
	unsigned long lat = now_us() - t0, old;

	old = __atomic_load_n(&sh->max_lat_us, __ATOMIC_RELAXED);
	while (lat > old &&
	       !__atomic_compare_exchange_n(&sh->max_lat_us, &old, lat, 0,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

static uint64_t rnd(uint64_t *st)
{
	*st ^= *st << 13;
	*st ^= *st >> 7;
	*st ^= *st << 17;
	return *st;
}

static void fill(unsigned char *buf, uint64_t slot, uint64_t idx, uint64_t gen,
		 uint64_t seed)
{
	struct hdr *h = (struct hdr *)buf;
	uint64_t st = seed | 1;
	size_t i;

	for (i = sizeof(*h); i < BS; i += 8) {
		uint64_t v = rnd(&st);

		memcpy(buf + i, &v, 8);
	}
	h->magic = MAGIC;
	h->slot = slot;
	h->idx = idx;
	h->gen = gen;
	h->pid = getpid();
	h->sum = sum_of(buf + sizeof(*h), BS - sizeof(*h));
}

/* 0: the block holds slot/idx/gen, else a description on stderr. */
static int check(const unsigned char *buf, uint64_t slot, uint64_t idx,
		 uint64_t gen, const char *when)
{
	const struct hdr *h = (const struct hdr *)buf;

	if (h->magic == MAGIC && h->slot == slot && h->idx == idx &&
	    h->gen == gen &&
	    h->sum == sum_of(buf + sizeof(*h), BS - sizeof(*h)))
		return 0;
	char msg[200];
	int n = snprintf(
		msg, sizeof(msg),
		"churn: %s: mismatch in slot %llu block %llu: magic %llx slot %llu idx %llu gen %llu (want %llu)\n",
		when, (unsigned long long)slot, (unsigned long long)idx,
		(unsigned long long)h->magic, (unsigned long long)h->slot,
		(unsigned long long)h->idx, (unsigned long long)h->gen,
		(unsigned long long)gen);

	if (write(2, msg, n) < 0)
		return 1;
	return 1;
}

/* A message without stdio (safe in the CLONE_IO threads). */
static void say(const char *what, uint64_t slot)
{
	char msg[96];
	int n = snprintf(msg, sizeof(msg), "%s in slot %llu\n", what,
			 (unsigned long long)slot);

	if (write(2, msg, n) < 0)
		return;
}

static off_t blk_off(uint64_t slot, uint64_t idx)
{
	return base + (off_t)(slot * (nthreads + 1) + idx) * BS;
}

static int all_classes;

static void set_random_ioprio(uint64_t *st)
{
	/*
	 * BE 0-7, or NONE (back to the nice-derived level); with -R also RT
	 * (as root) and IDLE, which CFQ starves by design while others are
	 * busy: use -R only where every process is short.
	 */
	static const int classes[] = { 0, 2, 2, 2, 1, 3 };
	int c = classes[rnd(st) % (all_classes ? 6 : 4)];
	int prio = c ? IOPRIO_PRIO_VALUE(c, rnd(st) % 8) : 0;

	if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, prio) == 0)
		__atomic_add_fetch(&sh->prio_changes, 1, __ATOMIC_RELAXED);
}

/*
 * Write then read back one block, ios_per times with new patterns.  The
 * CLONE_IO threads are not pthreads: no malloc and no stdio in here, the
 * caller gives the two aligned buffers.
 */
static int do_block(int fd, uint64_t slot, uint64_t idx, uint64_t gen,
		    uint64_t *st, unsigned char *w, unsigned char *r)
{
	int i, bad = 0;
	uint64_t t;

	for (i = 0; i < ios_per; i++) {
		fill(w, slot, idx, gen, rnd(st));
		if (rnd(st) % 4 == 0)
			set_random_ioprio(st);
		t = now_us();
		if (pwrite(fd, w, BS, blk_off(slot, idx)) != BS) {
			say("churn: write failed", slot);
			__atomic_add_fetch(&sh->errors, 1, __ATOMIC_RELAXED);
			bad = 1;
			break;
		}
		note_lat(t);
		t = now_us();
		if (pread(fd, r, BS, blk_off(slot, idx)) != BS) {
			say("churn: read failed", slot);
			__atomic_add_fetch(&sh->errors, 1, __ATOMIC_RELAXED);
			bad = 1;
			break;
		}
		note_lat(t);
		__atomic_add_fetch(&sh->ios, 2, __ATOMIC_RELAXED);
		if (memcmp(w, r, BS) || check(r, slot, idx, gen, "read back")) {
			__atomic_add_fetch(&sh->mismatches, 1,
					   __ATOMIC_RELAXED);
			bad = 1;
		}
	}
	return bad;
}

struct targ {
	int fd;
	uint64_t slot, idx, gen, seed;
	unsigned char *w, *r;
};

static int thread_fn(void *p)
{
	struct targ *a = p;
	uint64_t st = a->seed | 1;

	/* Exit at different times: some threads leave right away. */
	if (rnd(&st) % 3 == 0)
		usleep(rnd(&st) % 2000);
	return do_block(a->fd, a->slot, a->idx, a->gen, &st, a->w, a->r);
}

static int child(uint64_t slot, uint64_t gen, uint64_t seed)
{
	struct targ args[MAX_THREADS];
	char *stacks[MAX_THREADS];
	unsigned char *bufs;
	uint64_t st = seed | 1;
	int fd, i, bad, status;

	/* Two blocks for each thread and for this process, all set up front. */
	if (posix_memalign((void **)&bufs, BS, (size_t)2 * BS * (nthreads + 1)))
		return 1;

	fd = open(dev, O_RDWR | O_DIRECT);
	if (fd < 0) {
		fprintf(stderr, "churn: open %s: %s\n", dev, strerror(errno));
		__atomic_add_fetch(&sh->errors, 1, __ATOMIC_RELAXED);
		return 1;
	}
	set_random_ioprio(&st);
	/* The first request creates the I/O context CLONE_IO then shares. */
	bad = do_block(fd, slot, 0, gen, &st, bufs, bufs + BS);
	for (i = 0; i < nthreads; i++) {
		stacks[i] = malloc(STACK_SIZE);
		args[i] = (struct targ){ fd,
					 slot,
					 i + 1,
					 gen,
					 rnd(&st),
					 bufs + (size_t)2 * BS * (i + 1),
					 bufs + (size_t)2 * BS * (i + 1) + BS };
		if (!stacks[i] || clone(thread_fn, stacks[i] + STACK_SIZE,
					CLONE_VM | CLONE_IO | CLONE_FS |
						CLONE_FILES | SIGCHLD,
					&args[i]) < 0) {
			fprintf(stderr, "churn: clone: %s\n", strerror(errno));
			__atomic_add_fetch(&sh->errors, 1, __ATOMIC_RELAXED);
			bad = 1;
			break;
		}
		__atomic_add_fetch(&sh->threads, 1, __ATOMIC_RELAXED);
	}
	nthreads = i;
	for (i = 0; i < nthreads; i++) {
		if (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			bad = 1;
	}
	close(fd);
	return bad;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: churn -f DEV -n PROCS [-j PARALLEL] [-t THREADS] [-k IOS] [-o OFFSET] [-S SEED] [-R] [-X]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int nprocs = 0, parallel = 8, opt, running = 0, done = 0, failed = 0;
	unsigned long final_bad = 0;
	uint64_t seed = 42, st, *last_gen, slot, idx;
	pid_t *slot_pid;
	unsigned char *buf;
	double t0;

	while ((opt = getopt(argc, argv, "f:n:j:t:k:o:S:RX")) != -1) {
		switch (opt) {
		case 'f':
			dev = optarg;
			break;
		case 'n':
			nprocs = atoi(optarg);
			break;
		case 'j':
			parallel = atoi(optarg);
			break;
		case 't':
			nthreads = atoi(optarg);
			break;
		case 'k':
			ios_per = atoi(optarg);
			break;
		case 'o':
			base = strtoll(optarg, NULL, 0);
			break;
		case 'S':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'R':
			all_classes = 1;
			break;
		case 'X':
			corrupt = 1;
			break;
		default:
			usage();
		}
	}
	if (!dev || nprocs <= 0 || parallel <= 0 || nthreads < 0 ||
	    nthreads > MAX_THREADS || ios_per <= 0 || base % BS)
		usage();

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	last_gen = calloc(parallel, sizeof(*last_gen));
	slot_pid = calloc(parallel, sizeof(*slot_pid));
	if (sh == MAP_FAILED || !last_gen || !slot_pid)
		return 2;
	st = seed | 1;
	t0 = now();

	/* Keep @parallel processes running, each on a free slot. */
	while (done < nprocs) {
		int status;
		pid_t pid;

		while (running < parallel && done + running < nprocs) {
			uint64_t gen = done + running + 1, s;

			for (s = 0; s < (uint64_t)parallel && slot_pid[s]; s++)
				;
			pid = fork();
			if (pid < 0) {
				perror("churn: fork");
				return 2;
			}
			if (pid == 0)
				_exit(child(s, gen, rnd(&st)));
			slot_pid[s] = pid;
			last_gen[s] = gen;
			running++;
		}
		pid = wait(&status);
		if (pid < 0) {
			perror("churn: wait");
			return 2;
		}
		for (slot = 0; slot < (uint64_t)parallel; slot++)
			if (slot_pid[slot] == pid)
				slot_pid[slot] = 0;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
		running--;
		done++;
	}

	/* Every slot holds what its last process wrote. */
	fd_all = open(dev, O_RDWR | O_DIRECT);
	if (fd_all < 0 || posix_memalign((void **)&buf, BS, BS)) {
		perror("churn: final open");
		return 1;
	}
	if (corrupt) {
		memset(buf, 0x5a, BS);
		if (pwrite(fd_all, buf, BS, blk_off(0, 0)) != BS)
			perror("churn: corrupt");
	}
	for (slot = 0; slot < (uint64_t)parallel; slot++) {
		if (!last_gen[slot])
			continue;
		for (idx = 0; idx <= (uint64_t)nthreads; idx++) {
			if (pread(fd_all, buf, BS, blk_off(slot, idx)) != BS) {
				sh->errors++;
				continue;
			}
			final_bad +=
				check(buf, slot, idx, last_gen[slot], "final");
		}
	}
	close(fd_all);

	printf("procs=%d threads=%lu ios=%lu errors=%lu mismatches=%lu final_mismatches=%lu ioprio_changes=%lu failed_procs=%d max_lat_ms=%lu secs=%.1f\n",
	       done, sh->threads, sh->ios, sh->errors, sh->mismatches,
	       final_bad, sh->prio_changes, failed, sh->max_lat_us / 1000,
	       now() - t0);
	return (sh->errors || sh->mismatches || final_bad || failed) ? 1 : 0;
}
