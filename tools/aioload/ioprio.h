/* SPDX-License-Identifier: GPL-2.0 */
/* aioload: ioprio_set(2) and ioprio_get(2), which glibc does not wrap. */
#ifndef AIOLOAD_IOPRIO_H
#define AIOLOAD_IOPRIO_H

#include <sys/syscall.h>
#include <unistd.h>

#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_PRIO_VALUE(class, data) \
	(((class) << IOPRIO_CLASS_SHIFT) | (data))
#define IOPRIO_PRIO_CLASS(v) ((v) >> IOPRIO_CLASS_SHIFT)
#define IOPRIO_PRIO_DATA(v) ((v) & ((1 << IOPRIO_CLASS_SHIFT) - 1))

enum {
	IOPRIO_CLASS_NONE,
	IOPRIO_CLASS_RT,
	IOPRIO_CLASS_BE,
	IOPRIO_CLASS_IDLE,
};

enum {
	IOPRIO_WHO_PROCESS = 1,
	IOPRIO_WHO_PGRP,
	IOPRIO_WHO_USER,
};

static inline int ioprio_set(int which, int who, int ioprio)
{
	return syscall(SYS_ioprio_set, which, who, ioprio);
}

static inline int ioprio_get(int which, int who)
{
	return syscall(SYS_ioprio_get, which, who);
}

#endif
