/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aioload: a load generator for I/O schedulers.
 *
 * The parent parses the jobs, prepares their files and shared memory, starts
 * every job as a process (or a thread with --thread), releases them all at
 * once and samples their counters while they run.  Each job drives its own
 * engine and writes its statistics into its slot of the shared mapping; the
 * parent reads the slots to build the interval series and the final report.
 */
#ifndef AIOLOAD_H
#define AIOLOAD_H

#include <aio.h>
#include <libaio.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "stats.h"

#define AIOLOAD_VERSION "1.0"
#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_USEC 1000ULL

enum ddir { DDIR_READ, DDIR_WRITE, DDIR_NR };

enum rw_mode {
	RW_READ,
	RW_WRITE,
	RW_RANDREAD,
	RW_RANDWRITE,
	RW_RW,
	RW_RANDRW,
};

enum engine_id {
	ENG_SYNC,
	ENG_PSYNC,
	ENG_LIBAIO,
	ENG_POSIXAIO,
	ENG_IO_URING,
	ENG_PVSYNC2,
	ENG_NR,
};

enum pa_notify { PA_POLL, PA_SUSPEND, PA_SIGNAL, PA_THREAD };
/* how the job waits for completions: the engine's own call, or epoll */
enum completion_mode { COMP_WAIT, COMP_EPOLL };
enum lio_mode { LIOM_OFF, LIOM_WAIT, LIOM_NOWAIT };
enum verify_mode { VERIFY_NONE, VERIFY_CRC32C };
enum output_fmt { OUT_NORMAL, OUT_JSON };
enum eta_mode { ETA_AUTO, ETA_ALWAYS, ETA_NEVER };

/* What one job was asked to do: filled by the option parser. */
struct job_opts {
	const char *name;
	const char *filename;
	int engine;
	int rw;
	unsigned int rwmixread;
	uint64_t bs;
	unsigned int iodepth;
	unsigned int iodepth_batch;
	unsigned int batch_complete_min;
	unsigned int batch_complete_max;
	uint64_t size;
	uint64_t offset;
	uint64_t offset_increment;
	uint64_t runtime_ns;
	uint64_t ramp_ns;
	bool time_based;
	unsigned int loops;
	unsigned int numjobs;
	bool direct;
	int prioclass; /* -1: not set */
	int prio; /* -1: not set */
	int cmdprio_pct; /* -1: 100 when a priority is set */
	int cmdprio_class; /* -1: --prioclass */
	int cmdprio; /* -1: --prio */
	const char *cgroup;
	unsigned int cgroup_weight; /* 0: leave io.weight alone */
	unsigned int weight; /* 0: not declared */
	uint64_t rate_iops;
	uint64_t thinktime_ns;
	unsigned int thinktime_blocks;
	int verify;
	bool verify_stop;
	bool continue_on_error;
	bool end_fsync;
	bool sqpoll;
	bool regfiles;
	bool fixedbufs;
	int pa_notify;
	int lio;
	bool nowait; /* pvsync2: RWF_NOWAIT, blocking retry on EAGAIN */
	bool hipri; /* pvsync2: RWF_HIPRI (polled completion) */
	int completion; /* COMP_* */
	uint64_t randseed;
	bool randseed_set;
};

/* Options that apply to the whole run. */
struct global_opts {
	int output_format;
	const char *output;
	uint64_t status_interval_ns;
	uint64_t log_avg_ns;
	const char *series_csv;
	bool thread;
	int eta;
	double percentiles[16];
	int npercentiles;
};

#define VFAIL_MAX 16

enum vfail_kind {
	VF_MAGIC,
	VF_OFFSET,
	VF_CRC,
	VF_STALE,
	VF_JOB,
	VF_SHORT,
};

struct vfail {
	uint64_t offset;
	uint32_t kind;
	uint32_t pad;
};

struct dir_stats {
	uint64_t ios;
	uint64_t bytes;
	uint64_t errors;
	struct hist h;
};

enum job_state { JS_INIT, JS_READY, JS_RUNNING, JS_DONE, JS_FAILED };

/*
 * One job's slot in the shared mapping.  The job is its only writer; the
 * parent reads the counters while the job runs (torn reads of a 64-bit
 * counter cannot happen on the machines this runs on, and a sample that is
 * one I/O late does not matter) and everything once the job has ended.
 */
struct job_stats {
	int state;
	int exit_code;
	pid_t pid;
	pid_t tid;
	uint64_t t_start_ns;
	uint64_t t_end_ns;
	struct dir_stats d[DDIR_NR];
	uint64_t iv_max[DDIR_NR]; /* max clat since the parent's last look */
	uint64_t io_errors;
	uint64_t short_ios;
	uint64_t first_err_offset;
	int first_errno;
	int first_err_ddir;
	uint64_t verify_blocks;
	uint64_t verify_errors;
	unsigned int nfail;
	struct vfail fail[VFAIL_MAX];
	int ioprio; /* what ioprio_get said after setting */
	/* the I/O models' own counters (see Documentation/aioload.rst) */
	uint64_t nowait_ios; /* pvsync2 --nowait: done without blocking */
	uint64_t nowait_eagain; /* EAGAIN, then done by a blocking retry */
	uint64_t sig_completions; /* posixaio signal: found by a signal */
	uint64_t poll_completions; /* posixaio signal: found by the scan */
	uint64_t epoll_wakeups; /* --completion=epoll: eventfd readable */
	uint64_t timer_wakeups; /* --completion=epoll: timerfd expired */
	uint64_t usr_ns; /* CPU time of the job while it ran */
	uint64_t sys_ns;
	char errmsg[256];
};

struct shared {
	int go;
	int stop;
	int abort;
	uint64_t t_go_ns;
	uint64_t run_id;
	struct job_stats js[];
};

struct job;

struct io_unit {
	union {
		struct iocb iocb;
		struct aiocb aiocb;
	};
	void *buf;
	uint64_t offset;
	uint32_t len;
	uint8_t ddir;
	uint8_t verify; /* read: check the block; write: track it */
	uint8_t nostat; /* read-back of the verify phase */
	uint8_t has_prio;
	uint16_t ioprio;
	unsigned int idx;
	unsigned int slot; /* engine's own index (posixaio) */
	uint64_t start_ns;
	uint64_t seq;
	long res; /* bytes done, or -errno */
	struct io_unit *next;
	struct job *job;
};

/* main, wait for the main phase's I/Os, read back (--verify), done */
enum phase { PH_MAIN, PH_DRAIN, PH_VERIFY, PH_DONE };

/* One running job: lives in the job's own process (or thread). */
struct job {
	struct job_opts o;
	const struct global_opts *g;
	int num;
	char name[96];
	bool is_bdev;
	int open_flags;
	uint64_t region_start;
	uint64_t region_len;
	uint64_t nblocks;
	char *cgroup_path; /* resolved by the parent */

	struct shared *sh;
	struct job_stats *st;
	const struct engine_ops *ops;
	void *edata;
	int fd;

	struct io_unit *ious;
	void *bufmem;
	struct io_unit *free_list;
	unsigned int nfree;
	unsigned int queued;
	unsigned int inflight;
	unsigned int eagain; /* submits refused in a row */
	bool cancelled; /* ->cancel() was called: ECANCELED is no error */

	int phase;
	uint64_t seq_block; /* next block of a sequential pass */
	uint64_t issued; /* I/Os issued in the main phase */
	uint64_t total_ios; /* 0: until the runtime ends */
	uint64_t prng[4];
	uint64_t wseq; /* write sequence for verify */
	uint64_t *vtable; /* per block: last seq written | busy */
	uint64_t vcursor;
	uint64_t run_id;

	uint64_t t_go;
	uint64_t t_ramp_end;
	uint64_t t_end; /* 0: no time limit */
	uint64_t rate_period_ns;
	uint64_t next_issue_ns;
	uint64_t think_count;
	bool ramping;
	uint16_t cmd_ioprio;
	bool use_cmdprio;

	pthread_t thread;
	pid_t pid;
	int exit_code;
};

extern volatile int job_sig_stop;

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* xoshiro256** seeded through splitmix64. */
static inline uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t rotl64(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t prng_next(uint64_t *s)
{
	uint64_t r = rotl64(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl64(s[3], 45);
	return r;
}

static inline void prng_seed(uint64_t *s, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		s[i] = splitmix64(&seed);
}

/* A uniform number in [0, n) (Lemire's multiply-shift). */
static inline uint64_t prng_below(uint64_t *s, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)prng_next(s) * n) >> 64);
}

/* job.c */
int job_run(struct job *j);
void job_fail(struct job *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void job_account_error(struct job *j, struct io_unit *u, int err);
bool job_should_stop(struct job *j);

/* names, for options and reports */
extern const char *const rw_names[];
extern const char *const engine_names[];
extern const char *const prioclass_names[];
extern const char *const notify_names[];
extern const char *const lio_names[];
extern const char *const completion_names[];
extern const char *const vfail_names[];

#endif
