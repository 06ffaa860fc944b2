// SPDX-License-Identifier: GPL-2.0
/*
 * aioload: the synchronous engines.
 *
 * sync:  lseek(2) then read(2)/write(2)
 * psync: pread(2)/pwrite(2)
 *
 * Both do the I/O inside ->queue(), so the job keeps one I/O in flight
 * whatever --iodepth says.
 */
#include <errno.h>
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
