// SPDX-License-Identifier: GPL-2.0
/*
 * cfq-debugfs.c: what cfq is doing, in /sys/kernel/debug/block/DEV/sched/
 *
 *   queues    one line per busy queue, tree by tree: pid, class,
 *             level, tree, slice left, slice granted, requests
 *             dispatched and queued
 *   state     what is being served, the device-wide counts, the root
 *             group and the event counters
 *   dispatch  requests waiting on the dispatch list
 *   lock_time how long the request path holds cfq_data.lock and waits
 *             for it, per site; writing 1 clears the figures and starts
 *             the timing, 0 stops it (off by default)
 *
 * Locking: every view holds cfq_data.lock while it prints (interrupts
 * off), as the scheduler does; seq_file buffers, so nothing sleeps.
 */
#include <linux/blkdev.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/seq_file.h>

#include "cfq-iosched.h"

#ifdef CONFIG_BLK_DEBUG_FS

static const char *const cfq_wl_type_names[] = {
	[CFQ_WL_ASYNC]		= "async",
	[CFQ_WL_SYNC_NOIDLE]	= "sync-noidle",
	[CFQ_WL_SYNC]		= "sync",
};

static const char *const cfq_wl_class_names[] = {
	[CFQ_WL_BE]		= "be",
	[CFQ_WL_RT]		= "rt",
	[CFQ_WL_IDLE]		= "idle",
};

static const char *const cfqq_flag_names[] = {
	"on_rr", "wait_request", "must_dispatch", "fifo_expire",
	"idle_window", "slice_new", "sync", "coop", "split_coop", "deep",
	"wait_busy",
};

static void cfq_show_flags(struct seq_file *m, unsigned int flags)
{
	bool first = true;
	int i;

	for (i = 0; i < ARRAY_SIZE(cfqq_flag_names); i++) {
		if (!(flags & (1U << i)))
			continue;
		seq_printf(m, "%s%s", first ? "" : ",", cfqq_flag_names[i]);
		first = false;
	}
	if (first)
		seq_puts(m, "-");
}

static void cfq_show_cfqq(struct seq_file *m, struct cfq_data *cfqd,
			  struct cfq_queue *cfqq, u64 now)
{
	seq_printf(m, "pid=%d class=%s level=%u tree=%s active=%d slice_left_us=%llu slice_us=%llu dispatched=%d slice_dispatch=%u queued=%d total=%llu ref=%d flags=",
		   cfqq->pid, cfq_class_name(cfqq->ioprio_class), cfqq->ioprio,
		   cfq_wl_type_names[cfqq_type(cfqq)],
		   cfqq == cfqd->active_queue,
		   div_u64(cfq_slice_left(cfqq, now), NSEC_PER_USEC),
		   div_u64(cfqq->allocated_slice, NSEC_PER_USEC),
		   cfqq->dispatched, cfqq->slice_dispatch,
		   cfqq->queued[0] + cfqq->queued[1], cfqq->total_dispatched,
		   cfqq->ref);
	cfq_show_flags(m, cfqq->flags);
	seq_putc(m, '\n');
}

static void cfq_show_tree(struct seq_file *m, struct cfq_data *cfqd,
			  struct cfq_rb_root *st, u64 now, bool *active_seen)
{
	struct rb_node *n;

	for (n = rb_first_cached(&st->rb); n; n = rb_next(n)) {
		struct cfq_queue *cfqq = rb_entry(n, struct cfq_queue,
						  st.rb_node);

		*active_seen |= cfqq == cfqd->active_queue;
		cfq_show_cfqq(m, cfqd, cfqq, now);
	}
}

/* Busy queues of busy groups, tree by tree (for_each_cfqg_st()). */
static int cfq_queues_show(void *data, struct seq_file *m)
{
	struct request_queue *q = data;
	struct cfq_data *cfqd = q->elevator->elevator_data;
	u64 now = elvx_now_ns();
	bool active_seen = false;
	struct cfq_rb_root *st;
	struct rb_node *gn;
	int i;

	spin_lock_irq(&cfqd->lock);
	for (gn = rb_first_cached(&cfqd->grp_service_tree.rb); gn;
	     gn = rb_next(gn)) {
		struct cfq_group *cfqg = rb_entry(gn, struct cfq_group,
						  ent.rb_node);

		for_each_cfqg_st(cfqg, i, st)
			cfq_show_tree(m, cfqd, st, now, &active_seen);
	}
	if (cfqd->active_queue && !active_seen)
		cfq_show_cfqq(m, cfqd, cfqd->active_queue, now);
	spin_unlock_irq(&cfqd->lock);
	return 0;
}

static int cfq_state_show(void *data, struct seq_file *m)
{
	struct request_queue *q = data;
	struct cfq_data *cfqd = q->elevator->elevator_data;
	struct cfq_group *cfqg = &cfqd->root_group;
	struct cfq_stats *s = &cfqd->stats;
	u64 now = elvx_now_ns();
	u64 wl_left = 0;

	spin_lock_irq(&cfqd->lock);
	if (cfqd->workload_expires > now)
		wl_left = cfqd->workload_expires - now;
	seq_printf(m, "active_pid=%d\n",
		   cfqd->active_queue ? cfqd->active_queue->pid : -1);
	seq_printf(m, "serving_class=%s\nserving_type=%s\nworkload_left_us=%llu\nworkload_slice_us=%llu\n",
		   cfq_wl_class_names[cfqd->serving_wl_class],
		   cfq_wl_type_names[cfqd->serving_wl_type],
		   div_u64(wl_left, NSEC_PER_USEC),
		   div_u64(cfqd->workload_slice, NSEC_PER_USEC));
	seq_printf(m, "busy_queues=%u\nbusy_sync_queues=%u\nrq_queued=%d\n",
		   cfqd->busy_queues, cfqd->busy_sync_queues, cfqd->rq_queued);
	seq_printf(m, "rq_in_driver=%d\nrq_in_flight_async=%d\nrq_in_flight_sync=%d\n",
		   cfqd->rq_in_driver, cfqd->rq_in_flight[0],
		   cfqd->rq_in_flight[1]);
	seq_printf(m, "hw_tag=%d\nhw_tag_est_depth=%d\niops_mode=%d\nin_driver_us=%llu\n",
		   cfqd->hw_tag, cfqd->hw_tag_est_depth, cfq_iops_mode(cfqd),
		   div_u64(cfqd->in_driver_ns, NSEC_PER_USEC));
	seq_printf(m, "waiting=%d\nidle_timer=%d\nidle_timer_left_us=%llu\nasync_depth=%u\n",
		   cfqd->waiting, cfqd->timer_armed,
		   cfqd->timer_armed && cfqd->timer_expires > now ?
		   div_u64(cfqd->timer_expires - now, NSEC_PER_USEC) : 0,
		   cfqd->async_depth);
	seq_printf(m, "last_nonidle_ago_us=%lld\nlast_delayed_sync_ago_us=%lld\n",
		   div_s64((s64)(now - cfqd->last_nonidle), NSEC_PER_USEC),
		   div_s64((s64)(now - cfqd->last_delayed_sync),
			   NSEC_PER_USEC));
	seq_printf(m, "root_vdisktime=%llu\nmin_vdisktime=%llu\nroot_vfraction=%u\nroot_time_used_us=%llu\n",
		   cfqg->ent.vdisktime, cfqd->grp_service_tree.min_vdisktime,
		   cfqg->ent.vfraction, div_u64(cfqg->time_used, NSEC_PER_USEC));
	seq_printf(m, "inserted=%llu\ndispatched=%llu\ncompleted=%llu\nmerged=%llu\n",
		   s->inserted, s->dispatched, s->completed, s->merged);
	seq_printf(m, "preempted=%llu\nthink_preempted=%llu\nyoung_preempted=%llu\nexpired=%llu\nidled=%llu\nqueue_merges=%llu\nrescued=%llu\nkicks=%llu\ntimer_starts=%llu\n",
		   s->preempted, s->think_preempted, s->young_preempted,
		   s->expired, s->idled,
		   s->queue_merges, s->rescued, s->kicks, s->timer_starts);
	seq_printf(m, "wide_dispatched=%llu\n", s->wide);
	spin_unlock_irq(&cfqd->lock);
	return 0;
}

static const char *const cfq_lock_site_names[] = {
	[CFQ_LOCK_INSERT]	= "insert",
	[CFQ_LOCK_DISPATCH]	= "dispatch",
	[CFQ_LOCK_MERGE]	= "merge",
	[CFQ_LOCK_FINISH]	= "finish",
	[CFQ_LOCK_TIMER]	= "timer",
};

static u64 cfq_avg(u64 sum, u64 n)
{
	return n ? div64_u64(sum, n) : 0;
}

/*
 * Per request: each request cfq queued takes the lock once in
 * cfq_finish_request(), so the finish site counts the requests.
 */
static int cfq_lock_time_show(void *data, struct seq_file *m)
{
	struct request_queue *q = data;
	struct cfq_data *cfqd = q->elevator->elevator_data;
	u64 hold = 0, wait = 0, reqs;
	int i;

	spin_lock_irq(&cfqd->lock);
	reqs = cfqd->lock_time[CFQ_LOCK_FINISH].count;
	seq_printf(m, "timing=%d\n", cfqd->lock_timing);
	for (i = 0; i < CFQ_LOCK_SITES; i++) {
		const struct cfq_lock_time *lt = &cfqd->lock_time[i];
		const char *n = cfq_lock_site_names[i];

		seq_printf(m, "%s_count=%llu %s_hold_avg_ns=%llu %s_hold_max_ns=%llu %s_wait_avg_ns=%llu %s_wait_max_ns=%llu\n",
			   n, lt->count, n, cfq_avg(lt->hold_ns, lt->count),
			   n, lt->hold_max_ns, n, cfq_avg(lt->wait_ns, lt->count),
			   n, lt->wait_max_ns);
		hold += lt->hold_ns;
		wait += lt->wait_ns;
	}
	seq_printf(m, "hold_per_request_ns=%llu\nwait_per_request_ns=%llu\n",
		   cfq_avg(hold, reqs), cfq_avg(wait, reqs));
	spin_unlock_irq(&cfqd->lock);
	return 0;
}

static ssize_t cfq_lock_time_write(void *data, const char __user *buf,
				   size_t count, loff_t *ppos)
{
	struct request_queue *q = data;
	struct cfq_data *cfqd = q->elevator->elevator_data;
	bool on;
	int ret;

	ret = kstrtobool_from_user(buf, count, &on);
	if (ret)
		return ret;
	spin_lock_irq(&cfqd->lock);
	if (on)
		memset(cfqd->lock_time, 0, sizeof(cfqd->lock_time));
	WRITE_ONCE(cfqd->lock_timing, on);
	spin_unlock_irq(&cfqd->lock);
	return count;
}

static void *cfq_dispatch_start(struct seq_file *m, loff_t *pos)
	__acquires(&cfqd->lock)
{
	struct request_queue *q = m->private;
	struct cfq_data *cfqd = q->elevator->elevator_data;

	spin_lock_irq(&cfqd->lock);
	return seq_list_start(&cfqd->dispatch, *pos);
}

static void *cfq_dispatch_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct request_queue *q = m->private;
	struct cfq_data *cfqd = q->elevator->elevator_data;

	return seq_list_next(v, &cfqd->dispatch, pos);
}

static void cfq_dispatch_stop(struct seq_file *m, void *v)
	__releases(&cfqd->lock)
{
	struct request_queue *q = m->private;
	struct cfq_data *cfqd = q->elevator->elevator_data;

	spin_unlock_irq(&cfqd->lock);
}

static const struct seq_operations cfq_dispatch_seq_ops = {
	.start	= cfq_dispatch_start,
	.next	= cfq_dispatch_next,
	.stop	= cfq_dispatch_stop,
	.show	= blk_mq_debugfs_rq_show,
};

const struct blk_mq_debugfs_attr cfq_queue_debugfs_attrs[] = {
	{"queues", 0400, cfq_queues_show},
	{"state", 0400, cfq_state_show},
	{"dispatch", 0400, .seq_ops = &cfq_dispatch_seq_ops},
	{"lock_time", 0600, cfq_lock_time_show, cfq_lock_time_write},
	{},
};

#endif /* CONFIG_BLK_DEBUG_FS */
