// SPDX-License-Identifier: GPL-2.0
/*
 * aioload: the synchronous engines.
 *
 * sync:    lseek(2) then read(2)/write(2)
 * psync:   pread(2)/pwrite(2)
 * pvsync2: preadv2(2)/pwritev2(2), with RWF_NOWAIT under --nowait and
 *          RWF_HIPRI under --hipri
 *
 * All do the I/O inside ->queue(), so the job keeps one I/O in flight
 * whatever --iodepth says.
 *
 * --nowait is the non-blocking model in the form that works for files and
 * block devices: O_NONBLOCK means nothing to them, RWF_NOWAIT does.  An I/O
 * that would have to wait (a page-cache miss, no free request tag, a lock
 * held) fails at once with EAGAIN instead; the job counts it and does it
 * again without RWF_NOWAIT, blocking, as a server would hand it to a
 * thread.  The report says how many went each way.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/uio.h>
#include <unistd.h>

#include "engine.h"

static long do_rw(struct job *j, struct io_unit *u)
{
	if (u->ddir == DDIR_READ)
		return read(j->fd, u->buf, u->len);
	return write(j->fd, u->buf, u->len);
}

static int sync_queue(struct job *j, struct io_unit *u)
{
	long r;

	if (lseek(j->fd, u->offset, SEEK_SET) == (off_t)-1) {
		u->res = -errno;
		return Q_COMPLETED;
	}
	r = do_rw(j, u);
	u->res = r < 0 ? -errno : r;
	return Q_COMPLETED;
}

static int psync_queue(struct job *j, struct io_unit *u)
{
	long r;

	if (u->ddir == DDIR_READ)
		r = pread(j->fd, u->buf, u->len, u->offset);
	else
		r = pwrite(j->fd, u->buf, u->len, u->offset);
	u->res = r < 0 ? -errno : r;
	return Q_COMPLETED;
}

const struct engine_ops engine_sync = {
	.name = "sync",
	.flags = ENGINE_SYNC,
	.queue = sync_queue,
};

const struct engine_ops engine_psync = {
	.name = "psync",
	.flags = ENGINE_SYNC,
	.queue = psync_queue,
};

static long pv2(struct job *j, struct io_unit *u, int flags)
{
	struct iovec iov = { .iov_base = u->buf, .iov_len = u->len };

	if (u->ddir == DDIR_READ)
		return preadv2(j->fd, &iov, 1, u->offset, flags);
	return pwritev2(j->fd, &iov, 1, u->offset, flags);
}

static int pvsync2_queue(struct job *j, struct io_unit *u)
{
	int flags = j->o.hipri ? RWF_HIPRI : 0;
	long r;

	if (j->o.nowait) {
		r = pv2(j, u, flags | RWF_NOWAIT);
		if (r >= 0 || errno != EAGAIN) {
			if (r >= 0)
				j->st->nowait_ios++;
			else if (errno == EOPNOTSUPP && !j->st->io_errors)
				fprintf(stderr,
					"aioload: %s: --nowait: %s does not take RWF_NOWAIT for %s\n",
					j->name, j->o.filename,
					u->ddir == DDIR_READ ? "reads" :
							       "writes");
			u->res = r < 0 ? -errno : r;
			return Q_COMPLETED;
		}
		/* it would have blocked: the fallback path blocks */
		j->st->nowait_eagain++;
	}
	r = pv2(j, u, flags);
	u->res = r < 0 ? -errno : r;
	return Q_COMPLETED;
}

const struct engine_ops engine_pvsync2 = {
	.name = "pvsync2",
	.flags = ENGINE_SYNC,
	.queue = pvsync2_queue,
};
