/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aioload: the I/O engine interface, shaped like fio's.
 *
 * The job loop prepares an io_unit and hands it to ->queue().  A synchronous
 * engine does the I/O there and answers Q_COMPLETED; an asynchronous one
 * stages it and answers Q_QUEUED, or Q_BUSY when it has no room.  ->commit()
 * sends what is staged to the kernel and returns how many it took.
 * ->getevents() waits for at least min and at most max completions (or until
 * the timeout, when there is one) and ->event() hands them back one by one,
 * with u->res set to the bytes done or -errno.
 */
#ifndef AIOLOAD_ENGINE_H
#define AIOLOAD_ENGINE_H

#include <time.h>

#include "aioload.h"

enum {
	Q_COMPLETED, /* done inline: u->res is set */
	Q_QUEUED, /* staged: ->commit() sends it */
	Q_BUSY, /* no room: commit and reap first */
};

#define ENGINE_SYNC (1U << 0) /* every I/O completes inside ->queue() */

struct engine_ops {
	const char *name;
	unsigned int flags;
	/* 0, or -errno with job_fail() called to say why */
	int (*init)(struct job *j);
	/* Q_*, or -errno */
	int (*queue)(struct job *j, struct io_unit *u);
	/* how many staged I/Os went to the kernel, or -errno */
	int (*commit)(struct job *j);
	/* completions ready (0 on timeout or signal), or -errno */
	int (*getevents)(struct job *j, unsigned int min, unsigned int max,
			 const struct timespec *timeout);
	struct io_unit *(*event)(struct job *j, int i);
	/* best effort: ask the kernel to drop what is in flight */
	void (*cancel)(struct job *j);
	void (*cleanup)(struct job *j);
};

extern const struct engine_ops engine_sync;
extern const struct engine_ops engine_psync;
extern const struct engine_ops engine_libaio;
extern const struct engine_ops engine_posixaio;
extern const struct engine_ops engine_io_uring;
extern const struct engine_ops engine_pvsync2;

const struct engine_ops *engine_find(int id);

#endif
