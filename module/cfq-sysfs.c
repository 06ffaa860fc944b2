// SPDX-License-Identifier: GPL-2.0
/*
 * cfq-sysfs.c: the tunables in /sys/block/DEV/queue/iosched/, with legacy
 * CFQ's names, units and defaults (see Documentation/cfq-iosched.rst).
 *
 * Unlike legacy CFQ, which parsed garbage as 0 and clamped, a value that
 * is not a decimal number in the tunable's range is refused with -EINVAL
 * and changes nothing; a value accepted reads back as written.  Times are
 * kept in nanoseconds: the plain files are in milliseconds, the "_us"
 * twins in microseconds (so slice_idle_us=1500 shows as slice_idle=1).
 *
 * Locking: stores take cfq_data.lock, as the scheduler reads the tunables
 * under it; shows read a single word each and take no lock.
 */
#include <linux/kernel.h>
#include <linux/sysfs.h>

#include "cfq-iosched.h"
#include "elvx.h"

/* Upper bounds: one hour for times, ample room for counts. */
#define CFQ_MAX_MS		(3600U * 1000)
#define CFQ_MAX_US		(3600U * 1000 * 1000)
#define CFQ_MAX_COUNT		((unsigned int)INT_MAX)
#define CFQ_MAX_ASYNC_RQ	(1000U * 1000)

static ssize_t cfq_var_show(u64 var, char *page)
{
	return sysfs_emit(page, "%llu\n", var);
}

#define SHOW_FUNCTION(__FUNC, __VAR, __DIV)				\
static ssize_t __FUNC(struct elevator_queue *e, char *page)		\
{									\
	struct cfq_data *cfqd = e->elevator_data;			\
									\
	return cfq_var_show(div_u64(__VAR, __DIV), page);		\
}
SHOW_FUNCTION(cfq_quantum_show, cfqd->tun.quantum, 1);
SHOW_FUNCTION(cfq_fifo_expire_sync_show, cfqd->tun.fifo_expire[1], NSEC_PER_MSEC);
SHOW_FUNCTION(cfq_fifo_expire_async_show, cfqd->tun.fifo_expire[0], NSEC_PER_MSEC);
SHOW_FUNCTION(cfq_back_seek_max_show, cfqd->tun.back_max, 1);
SHOW_FUNCTION(cfq_back_seek_penalty_show, cfqd->tun.back_penalty, 1);
SHOW_FUNCTION(cfq_slice_sync_show, cfqd->tun.slice[1], NSEC_PER_MSEC);
SHOW_FUNCTION(cfq_slice_sync_us_show, cfqd->tun.slice[1], NSEC_PER_USEC);
SHOW_FUNCTION(cfq_slice_async_show, cfqd->tun.slice[0], NSEC_PER_MSEC);
SHOW_FUNCTION(cfq_slice_async_us_show, cfqd->tun.slice[0], NSEC_PER_USEC);
SHOW_FUNCTION(cfq_slice_async_rq_show, cfqd->tun.slice_async_rq, 1);
SHOW_FUNCTION(cfq_slice_idle_show, cfqd->tun.slice_idle, NSEC_PER_MSEC);
SHOW_FUNCTION(cfq_slice_idle_us_show, cfqd->tun.slice_idle, NSEC_PER_USEC);
SHOW_FUNCTION(cfq_group_idle_show, cfqd->tun.group_idle, NSEC_PER_MSEC);
SHOW_FUNCTION(cfq_group_idle_us_show, cfqd->tun.group_idle, NSEC_PER_USEC);
SHOW_FUNCTION(cfq_low_latency_show, cfqd->tun.latency, 1);
SHOW_FUNCTION(cfq_target_latency_show, cfqd->tun.target_latency, NSEC_PER_MSEC);
SHOW_FUNCTION(cfq_target_latency_us_show, cfqd->tun.target_latency, NSEC_PER_USEC);
SHOW_FUNCTION(cfq_sync_dispatch_show, cfqd->tun.sync_dispatch, 1);
SHOW_FUNCTION(cfq_parallel_dispatch_show, cfqd->tun.parallel_dispatch, 1);
#undef SHOW_FUNCTION

#define STORE_FUNCTION(__FUNC, __PTR, MIN, MAX, __MUL)			\
static ssize_t __FUNC(struct elevator_queue *e, const char *page,	\
		      size_t count)					\
{									\
	struct cfq_data *cfqd = e->elevator_data;			\
	unsigned int __data;						\
	int ret;							\
									\
	ret = elvx_parse_uint(page, (MIN), (MAX), &__data);		\
	if (ret)							\
		return ret;						\
	spin_lock_irq(&cfqd->lock);					\
	*(__PTR) = __data * (__MUL);					\
	spin_unlock_irq(&cfqd->lock);					\
	return count;							\
}
STORE_FUNCTION(cfq_quantum_store, &cfqd->tun.quantum, 1, CFQ_MAX_COUNT, 1U);
STORE_FUNCTION(cfq_fifo_expire_sync_store, &cfqd->tun.fifo_expire[1], 1,
	       CFQ_MAX_MS, NSEC_PER_MSEC);
STORE_FUNCTION(cfq_fifo_expire_async_store, &cfqd->tun.fifo_expire[0], 1,
	       CFQ_MAX_MS, NSEC_PER_MSEC);
STORE_FUNCTION(cfq_back_seek_max_store, &cfqd->tun.back_max, 0,
	       CFQ_MAX_COUNT, 1U);
STORE_FUNCTION(cfq_back_seek_penalty_store, &cfqd->tun.back_penalty, 1,
	       CFQ_MAX_COUNT, 1U);
STORE_FUNCTION(cfq_slice_sync_store, &cfqd->tun.slice[1], 1, CFQ_MAX_MS,
	       NSEC_PER_MSEC);
STORE_FUNCTION(cfq_slice_sync_us_store, &cfqd->tun.slice[1], 1, CFQ_MAX_US,
	       NSEC_PER_USEC);
STORE_FUNCTION(cfq_slice_async_store, &cfqd->tun.slice[0], 1, CFQ_MAX_MS,
	       NSEC_PER_MSEC);
STORE_FUNCTION(cfq_slice_async_us_store, &cfqd->tun.slice[0], 1, CFQ_MAX_US,
	       NSEC_PER_USEC);
STORE_FUNCTION(cfq_slice_async_rq_store, &cfqd->tun.slice_async_rq, 1,
	       CFQ_MAX_ASYNC_RQ, 1U);
STORE_FUNCTION(cfq_slice_idle_store, &cfqd->tun.slice_idle, 0, CFQ_MAX_MS,
	       NSEC_PER_MSEC);
STORE_FUNCTION(cfq_slice_idle_us_store, &cfqd->tun.slice_idle, 0, CFQ_MAX_US,
	       NSEC_PER_USEC);
STORE_FUNCTION(cfq_group_idle_store, &cfqd->tun.group_idle, 0, CFQ_MAX_MS,
	       NSEC_PER_MSEC);
STORE_FUNCTION(cfq_group_idle_us_store, &cfqd->tun.group_idle, 0, CFQ_MAX_US,
	       NSEC_PER_USEC);
STORE_FUNCTION(cfq_low_latency_store, &cfqd->tun.latency, 0, 1, 1U);
STORE_FUNCTION(cfq_target_latency_store, &cfqd->tun.target_latency, 1,
	       CFQ_MAX_MS, NSEC_PER_MSEC);
STORE_FUNCTION(cfq_target_latency_us_store, &cfqd->tun.target_latency, 1,
	       CFQ_MAX_US, NSEC_PER_USEC);
STORE_FUNCTION(cfq_sync_dispatch_store, &cfqd->tun.sync_dispatch, 0, 1, 1U);
STORE_FUNCTION(cfq_parallel_dispatch_store, &cfqd->tun.parallel_dispatch, 0, 1,
	       1U);
#undef STORE_FUNCTION

#define CFQ_ATTR(name) \
	__ATTR(name, 0644, cfq_##name##_show, cfq_##name##_store)

/* In legacy CFQ's order, then elvx's own. */
struct elv_fs_entry cfq_attrs[] = {
	CFQ_ATTR(quantum),
	CFQ_ATTR(fifo_expire_sync),
	CFQ_ATTR(fifo_expire_async),
	CFQ_ATTR(back_seek_max),
	CFQ_ATTR(back_seek_penalty),
	CFQ_ATTR(slice_sync),
	CFQ_ATTR(slice_sync_us),
	CFQ_ATTR(slice_async),
	CFQ_ATTR(slice_async_us),
	CFQ_ATTR(slice_async_rq),
	CFQ_ATTR(slice_idle),
	CFQ_ATTR(slice_idle_us),
	CFQ_ATTR(group_idle),
	CFQ_ATTR(group_idle_us),
	CFQ_ATTR(low_latency),
	CFQ_ATTR(target_latency),
	CFQ_ATTR(target_latency_us),
	CFQ_ATTR(sync_dispatch),
	CFQ_ATTR(parallel_dispatch),
	__ATTR_NULL
};
#undef CFQ_ATTR
