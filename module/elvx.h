/* SPDX-License-Identifier: GPL-2.0 */
/*
 * elvx: interfaces between the module's parts.
 */
#ifndef _ELVX_H
#define _ELVX_H

#define ELVX_VERSION	"0.1.0"

/*
 * The scheduler tags (of @nr) that writes and other requests that are not
 * synchronous reads may hold by default, both elevators' async_depth:
 * three quarters, keeping the rest for synchronous reads.  But the reserve
 * gives way on a device with few tags, so that with its @hw_depth driver
 * tags busy and one request parked on the hardware queue's dispatch list,
 * a request is still left waiting in the scheduler for writes to merge
 * into (4 scheduler tags over 2 driver tags: all 4).  compat.h's
 * elvx_async_default() then makes it a count the kernel's sbitmap can
 * limit requests to (rounding up only to keep that room).
 */
static inline unsigned int elvx_async_depth(unsigned int nr,
					    unsigned int hw_depth)
{
	unsigned int reserve = nr / 4, room = hw_depth + 2;

	if (nr < room + reserve)
		reserve = nr > room ? nr - room : 0;
	return nr - reserve ? nr - reserve : 1;
}

#ifdef __KERNEL__	/* the host unit tests take only the arithmetic above */

#include <linux/blk-mq.h>
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/sched.h>

/*
 * sysfs: a tunable's value from @page, for both elevators.  Strict: a
 * decimal number (kstrtouint(): an optional "+", no "-", no spaces, one
 * trailing newline at most) from @min to @max, else -EINVAL and *@val is
 * not changed.
 */
static inline int elvx_parse_uint(const char *page, unsigned int min,
				  unsigned int max, unsigned int *val)
{
	unsigned int v;

	if (kstrtouint(page, 10, &v) || v < min || v > max)
		return -EINVAL;
	*val = v;
	return 0;
}

/*
 * Both elevators' sync_dispatch: run @hctx from the submitting task, as
 * the block layer does after a plug flush, so that a request inserted
 * outside a plug reaches the driver without a kblockd worker's wake-up.
 * Only without a plug (its flush runs the queue anyway) and where the
 * block layer could dispatch synchronously itself: task context,
 * preemptible, a driver whose dispatch does not sleep.  Why and what it
 * gains: Documentation/xdeadline.rst, "Cost per request".
 *
 * Call it from insert_requests after dropping the elevator's lock, with
 * whether to call it read under that lock, and touch no elevator data
 * after: the requests just inserted may complete and an elevator switch
 * free that data.  The hardware queue outlives it.
 */
static inline void elvx_run_from_submitter(struct blk_mq_hw_ctx *hctx)
{
	if (in_task() && !current->plug && preemptible() &&
	    !(hctx->flags & BLK_MQ_F_BLOCKING))
		blk_mq_run_hw_queue(hctx, false);
}

#endif /* __KERNEL__ */

/* cfq-iosched.c */
int cfq_register(void);
void cfq_unregister(void);
void cfq_alive(unsigned int *queues, unsigned int *groups);

/* xdeadline.c */
int xdeadline_register(void);
void xdeadline_unregister(void);

#endif /* _ELVX_H */
