// SPDX-License-Identifier: GPL-2.0
/*
 * cfq: completely fair queueing, legacy CFQ rebuilt on blk-mq.
 *
 * Every process (io context) gets a sync queue; async (write-back) requests
 * go to queues shared per class and level.  Queues take turns in time
 * slices whose length grows with their I/O priority; an empty sync queue
 * keeps the disk for slice_idle in case its process sends more nearby I/O.
 * Busy queues sit on service trees, one per class (RT, BE, IDLE) and
 * workload type (async, sync-noidle, sync) of their group.  Classes are
 * strict, workload types share the group's slice of target_latency, and
 * groups share the device by vdisktime.  Groups are the root group and
 * the blkcg groups of cfq-cgroup.c, which plug into the "groups" section
 * below.
 * Documentation/cfq-iosched.rst describes it all; cfq-sched.c does the
 * arithmetic, this file the blk-mq glue and the decisions.
 *
 * Locking:
 *  - cfq_data.lock protects all scheduler state (cfq_data, cfq_group,
 *    cfq_queue, cfq_io_cq).  Requests complete (cfq_finish_request) and
 *    the idle timer fires in hard interrupt context, so the lock is always
 *    taken with interrupts disabled: spin_lock_irq() from the insert,
 *    dispatch, merge and sysfs paths, spin_lock_irqsave() where interrupts
 *    may already be off (completion, timer, cfq_exit_icq()).
 *  - Lock order: q->queue_lock, then ioc->lock, then cfq_data.lock:
 *    cfq_exit_icq() runs under ioc->lock (and q->queue_lock when the
 *    queue's icqs are cleared).  So ioc_lookup_icq() is called before
 *    taking cfq_data.lock and put_io_context() after dropping it.
 *  - Nothing sleeps under cfq_data.lock: queues are allocated with
 *    GFP_NOWAIT, the idle timer is never cancelled under it (it is
 *    disarmed with a flag the callback reads under the lock, as its
 *    callback may be spinning on the lock: cfq_start_timer()), and
 *    hardware queues are re-run asynchronously after the lock is dropped;
 *    the insert hook's synchronous run (sync_dispatch) comes after it too.
 *  - Functions that need the lock say so with lockdep_assert_held().
 *  - The lock timing (debugfs sched/lock_time) is kept under the lock;
 *    its switch, cfq_data.lock_timing, is read before taking it, so a
 *    section that started just before a switch may be counted or not.
 *  - cfq_limit_depth() does not take cfq_data.lock: the tag counts of the
 *    groups are atomic, and it reads rq_in_driver, rq_queued,
 *    busy_sync_queues and tags_shift, and cfq_cgroup_tag_limit() the
 *    groups' weights and sync_weight, with READ_ONCE, as a heuristic;
 *    cfqq_tag_limit() reads the submitter's sync queue as a hint under
 *    RCU, as cfq_bio_merge() does (below).  It takes q->queue_lock to
 *    look up the submitter's cic (cfq_current_cic(), cfq_bio_merge()'s
 *    too); that lock is never taken under cfq_data.lock.
 *  - cfq_bio_merge() looks first without the lock: cfq_bio_may_merge()
 *    reads a process's cic->cfqq and whether that queue has requests,
 *    under RCU only, to skip the merge look-up of a bio that cannot
 *    merge.  Queues come from a SLAB_TYPESAFE_BY_RCU cache, so a queue
 *    freed meanwhile is still readable; the answer is a hint, checked
 *    again under the lock when it says a merge is possible.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/hrtimer.h>
#include <linux/ioprio.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sbitmap.h>
#include <linux/slab.h>

#include <trace/events/block.h>

#include "compat.h"
#include "elvx.h"
#include "cfq-iosched.h"

static struct kmem_cache *cfq_pool;
/* Queues allocated and not freed, for debugfs elvx/alive. */
static atomic_t cfq_nr_queues = ATOMIC_INIT(0);

static void cfq_put_queue(struct cfq_queue *cfqq);
static void cfq_check_prio_changes(struct cfq_data *cfqd,
				   struct cfq_group *cfqg,
				   enum cfq_wl_class served);

static inline u64 cfq_now(void)
{
	return elvx_now_ns();
}

static inline int cfqq_process_refs(struct cfq_queue *cfqq)
{
	return cfqq->ref - cfqq->nr_rqs;
}

/*
 * Some state changes (a completion, the timer, a process exit) may let a
 * dispatch succeed that failed before.  If dispatch held requests back,
 * clear the mark and tell the caller to re-run the hardware queues once
 * the lock is dropped.
 */
bool cfq_kick_needed(struct cfq_data *cfqd)
{
	lockdep_assert_held(&cfqd->lock);

	if (!cfqd->waiting)
		return false;
	cfqd->waiting = false;
	if (!cfqd->rq_queued && list_empty(&cfqd->dispatch))
		return false;
	cfqd->stats.kicks++;
	return true;
}

/* ------------------------------ groups ------------------------------- */
/*
 * Group scheduling.  Busy groups sit on cfqd->grp_service_tree, keyed by
 * vdisktime: the disk time they used divided by their share.  The root
 * group (cfqd->root_group) is embedded; cfq-cgroup.c adds one group per
 * blkcg (cgroup and device) and looks it up from the bio's blkg.  Queues
 * pin their group with cfqg_get()/cfqg_put().
 */

/* The group of @rq: its bio's cgroup; requests without bio go to root. */
static struct cfq_group *cfq_rq_group(struct cfq_data *cfqd,
				      struct request *rq)
{
	return rq->bio ? cfq_bio_cfqg(cfqd, rq->bio) : &cfqd->root_group;
}

static struct cfq_group *cfq_bio_group(struct cfq_data *cfqd, struct bio *bio)
{
	return cfq_bio_cfqg(cfqd, bio);
}

/* Is @cfqg @ancestor or below it? */
static bool cfqg_is_descendant(struct cfq_group *cfqg,
			       struct cfq_group *ancestor)
{
	for (; cfqg; cfqg = cfqg_parent(cfqg))
		if (cfqg == ancestor)
			return true;
	return false;
}

void cfq_group_init(struct cfq_group *cfqg, struct cfq_group *parent,
		    unsigned int weight, u64 now)
{
	struct cfq_rb_root *st;
	int i;

	memset(cfqg, 0, sizeof(*cfqg));
	for_each_cfqg_st(cfqg, i, st)
		cfq_rb_root_init(st, now);
	cfq_grp_init(&cfqg->ent, parent ? &parent->ent : NULL, weight);
	cfq_ttime_init(&cfqg->ttime, now);
}

static unsigned int cfq_group_busy_queues_wl(enum cfq_wl_class class,
					     struct cfq_group *cfqg)
{
	if (class == CFQ_WL_IDLE)
		return cfqg->service_tree_idle.count;
	return cfqg->service_trees[class][CFQ_WL_ASYNC].count +
	       cfqg->service_trees[class][CFQ_WL_SYNC_NOIDLE].count +
	       cfqg->service_trees[class][CFQ_WL_SYNC].count;
}

static unsigned int cfqg_busy_async_queues(struct cfq_group *cfqg)
{
	return cfqg->service_trees[CFQ_WL_RT][CFQ_WL_ASYNC].count +
	       cfqg->service_trees[CFQ_WL_BE][CFQ_WL_ASYNC].count;
}

/*
 * Activate @cfqg (cfq_grp_activate()).  The groups that this made active
 * no longer wait for tags unseen: they leave their parents'
 * want_count (cfqg_want_clear()).
 */
static void cfq_group_service_tree_add(struct cfq_data *cfqd,
				       struct cfq_group *cfqg)
{
	unsigned int activated;

	lockdep_assert_held(&cfqd->lock);

	activated = cfq_grp_activate(&cfqd->grp_service_tree, &cfqg->ent);
	for (; activated; activated--, cfqg = cfqg_parent(cfqg))
		cfqg_want_clear(cfqg);
}

static void cfq_group_service_tree_del(struct cfq_data *cfqd,
				       struct cfq_group *cfqg)
{
	lockdep_assert_held(&cfqd->lock);

	cfq_grp_deactivate(&cfqd->grp_service_tree, &cfqg->ent);
}

/* A queue of @cfqg became busy: the group joins the tree if it was idle. */
static void cfq_group_notify_queue_add(struct cfq_data *cfqd,
				       struct cfq_group *cfqg)
{
	struct cfq_rb_root *st = &cfqd->grp_service_tree;

	cfqg->nr_cfqq++;
	if (!RB_EMPTY_NODE(&cfqg->ent.rb_node))
		return;

	cfqg->ent.vdisktime = cfq_grp_activation_vdisktime(st,
							   cfq_iops_mode(cfqd));
	cfq_group_service_tree_add(cfqd, cfqg);
}

/* A queue of @cfqg went idle: the group leaves the tree with its last. */
static void cfq_group_notify_queue_del(struct cfq_data *cfqd,
				       struct cfq_group *cfqg)
{
	cfqg->nr_cfqq--;
	if (cfqg->nr_cfqq)
		return;

	cfq_log(cfqd, "del_from_rr group");
	cfqg_stats_update_dequeue(cfqg);
	cfq_group_service_tree_del(cfqd, cfqg);
	cfqg->saved_wl_slice = 0;
}

/* Charge @cfqg for the slice @cfqq just used (cfq_group_served). */
static void cfq_group_served(struct cfq_data *cfqd, struct cfq_group *cfqg,
			     struct cfq_queue *cfqq, u64 now)
{
	int nr_sync = cfqg->nr_cfqq - cfqg_busy_async_queues(cfqg) -
		      cfqg->service_tree_idle.count;
	u64 used, charge, unaccounted, vdelta;
	bool on_tree = !RB_EMPTY_NODE(&cfqg->ent.rb_node);

	lockdep_assert_held(&cfqd->lock);

	used = cfq_slice_usage(now, cfqq->dispatch_start, cfqq->slice_start,
			       cfqq->allocated_slice, &unaccounted);
	charge = cfq_slice_charge(used, cfqq->slice_dispatch,
				  cfqq->allocated_slice, cfq_iops_mode(cfqd),
				  !cfq_cfqq_sync(cfqq) && nr_sync <= 0);

	/*
	 * vfraction is only valid while the group is on the tree: charge by
	 * it, leave the tree, move vdisktime, and go back on (which computes
	 * the share again, from the weights of now).
	 */
	vdelta = cfq_grp_charge(&cfqg->ent, charge);
	if (on_tree)
		cfq_group_service_tree_del(cfqd, cfqg);
	cfqg->ent.vdisktime += vdelta;
	if (on_tree)
		cfq_group_service_tree_add(cfqd, cfqg);

	/* Remember the workload slice the group had left. */
	if (cfqd->workload_expires > now) {
		cfqg->saved_wl_slice = cfqd->workload_expires - now;
		cfqg->saved_wl_type = cfqd->serving_wl_type;
		cfqg->saved_wl_class = cfqd->serving_wl_class;
	} else {
		cfqg->saved_wl_slice = 0;
	}
	cfqg->time_used += used;

	cfq_log(cfqd, "served: vt=%llu min_vt=%llu", cfqg->ent.vdisktime,
		cfqd->grp_service_tree.min_vdisktime);
	cfq_log_cfqq(cfqd, cfqq,
		     "sl_used=%llu disp=%u charge=%llu iops=%u sect=%lu",
		     used, cfqq->slice_dispatch, charge, cfq_iops_mode(cfqd),
		     cfqq->nr_sectors);
}

static inline struct cfq_group *cfq_ent_cfqg(struct rb_node *n)
{
	return container_of(rb_entry(n, struct cfq_grp_entity, rb_node),
			    struct cfq_group, ent);
}

static bool cfqg_has_nonidle(struct cfq_group *cfqg)
{
	return cfq_group_busy_queues_wl(CFQ_WL_RT, cfqg) ||
	       cfq_group_busy_queues_wl(CFQ_WL_BE, cfqg);
}

/*
 * The group to serve next: the first of the group tree, unless it holds
 * only IDLE queues that must still wait out CFQ_IDLE_GRACE and a later
 * group has RT or BE work; then the first such group.  last_nonidle is
 * the device's, so the RT and BE work of the other groups is what keeps
 * the IDLE group waiting: serving them meanwhile is what the grace is for.
 * The IDLE group keeps its place in the tree.
 */
static struct cfq_group *cfq_get_next_cfqg(struct cfq_data *cfqd, u64 now)
{
	struct cfq_grp_entity *g = cfq_grp_st_first(&cfqd->grp_service_tree);
	struct cfq_group *first, *pos;
	struct rb_node *n;

	if (!g)
		return NULL;
	first = cfq_ent_cfqg(&g->rb_node);
	if (cfqg_has_nonidle(first) ||
	    now >= cfqd->last_nonidle + CFQ_IDLE_GRACE)
		return first;
	for (n = rb_next(&g->rb_node); n; n = rb_next(n)) {
		pos = cfq_ent_cfqg(n);
		if (cfqg_has_nonidle(pos))
			return pos;
	}
	return first;
}

/* ------------------------------ queues ------------------------------- */

static inline u64 cfq_prio_to_slice(struct cfq_data *cfqd,
				    struct cfq_queue *cfqq)
{
	return cfq_prio_slice(&cfqd->tun, cfq_cfqq_sync(cfqq), cfqq->ioprio);
}

static u64 cfq_scaled_cfqq_slice(struct cfq_data *cfqd, struct cfq_queue *cfqq)
{
	struct cfq_group *cfqg = cfqq->cfqg;
	unsigned int avg = 0;

	if (cfqd->tun.latency) {
		enum cfq_wl_class class = cfq_class_rt(cfqq) ? CFQ_WL_RT :
							       CFQ_WL_BE;

		avg = cfq_avg_queues(&cfqg->busy_queues_avg[class],
				     cfq_group_busy_queues_wl(class, cfqg));
	}
	return cfq_scaled_slice(&cfqd->tun, cfq_cfqq_sync(cfqq), cfqq->ioprio,
				avg, cfqg->ent.vfraction);
}

static void cfq_set_prio_slice(struct cfq_data *cfqd, struct cfq_queue *cfqq,
			       u64 now)
{
	u64 slice = cfq_scaled_cfqq_slice(cfqd, cfqq);

	cfqq->slice_start = now;
	cfqq->slice_end = now + slice;
	cfqq->allocated_slice = slice;
	cfq_log_cfqq(cfqd, cfqq, "set_slice=%llu", slice);
}

/* The slice is only set at the queue's first completion. */
static inline bool cfq_slice_used(struct cfq_queue *cfqq, u64 now)
{
	if (cfq_cfqq_slice_new(cfqq))
		return false;
	return now >= cfqq->slice_end;
}

static void cfq_rq_pos(struct request *rq, struct cfq_rq_pos *pos)
{
	pos->sector = blk_rq_pos(rq);
	pos->sync = rq_is_sync(rq);
	pos->prio = rq->cmd_flags & REQ_PRIO;
}

/* Which of two requests to serve next, seen from @last. */
static struct request *cfq_choose_req(struct cfq_data *cfqd,
				      struct request *rq1, struct request *rq2,
				      sector_t last)
{
	struct cfq_rq_pos p1, p2;

	if (!rq1 || rq1 == rq2)
		return rq2;
	if (!rq2)
		return rq1;

	cfq_rq_pos(rq1, &p1);
	cfq_rq_pos(rq2, &p2);
	return cfq_choose_pos(&cfqd->tun, &p1, &p2, last) == &p1 ? rq1 : rq2;
}

/* The request after @last in @cfqq: its sort-order neighbours compete. */
static struct request *cfq_find_next_rq(struct cfq_data *cfqd,
					struct cfq_queue *cfqq,
					struct request *last)
{
	struct rb_node *rbnext = rb_next(&last->rb_node);
	struct rb_node *rbprev = rb_prev(&last->rb_node);
	struct request *next = NULL, *prev = NULL;

	if (rbprev)
		prev = rb_entry_rq(rbprev);
	if (rbnext) {
		next = rb_entry_rq(rbnext);
	} else {
		rbnext = rb_first(&cfqq->sort_list);
		if (rbnext && rbnext != &last->rb_node)
			next = rb_entry_rq(rbnext);
	}

	return cfq_choose_req(cfqd, next, prev, blk_rq_pos(last));
}

/*
 * Put @cfqq on the service tree its class and type call for, or move it
 * there (cfq_service_tree_add).  @add_front: a preempting queue goes
 * first.
 */
static void cfq_service_tree_add(struct cfq_data *cfqd, struct cfq_queue *cfqq,
				 bool add_front, u64 now)
{
	struct cfq_rb_root *st;
	bool new_cfqq;
	u64 key;

	lockdep_assert_held(&cfqd->lock);

	st = st_for(cfqq->cfqg, cfqq_class(cfqq), cfqq_type(cfqq));
	if (cfq_class_idle(cfqq)) {
		key = cfq_st_key_idle(st, &cfqq->st, now);
	} else if (!add_front) {
		/* nr_cfqq counts @cfqq only once it is on a tree */
		unsigned int others = cfqq->cfqg->nr_cfqq - !!cfqq->st.st;
		u64 offset = cfq_slice_offset(&cfqd->tun, others,
					      cfq_cfqq_sync(cfqq),
					      cfqq->ioprio);

		key = cfq_st_key_normal(now, offset, cfqq->slice_resid);
		cfqq->slice_resid = 0;
	} else {
		key = cfq_st_key_front(st, now);
	}

	new_cfqq = !cfqq->st.st;
	if (!new_cfqq) {
		if (key == cfqq->st.rb_key && cfqq->st.st == st)
			return;
		cfq_st_del(&cfqq->st);
	}
	cfq_st_add(st, &cfqq->st, key);

	if (add_front || !new_cfqq)
		return;
	cfq_group_notify_queue_add(cfqd, cfqq->cfqg);
}

/* Find the queue whose next request starts at @sector in @root. */
static struct cfq_queue *cfq_prio_tree_lookup(struct rb_root *root,
					      sector_t sector,
					      struct rb_node **ret_parent,
					      struct rb_node ***rb_link)
{
	struct rb_node **p = &root->rb_node, *parent = NULL;
	struct cfq_queue *cfqq = NULL;

	while (*p) {
		parent = *p;
		cfqq = rb_entry(parent, struct cfq_queue, p_node);

		if (sector > blk_rq_pos(cfqq->next_rq))
			p = &parent->rb_right;
		else if (sector < blk_rq_pos(cfqq->next_rq))
			p = &parent->rb_left;
		else
			break;
		cfqq = NULL;
	}

	*ret_parent = parent;
	if (rb_link)
		*rb_link = p;
	return cfqq;
}

static void cfq_prio_tree_del(struct cfq_queue *cfqq)
{
	if (cfqq->p_root) {
		rb_erase(&cfqq->p_node, cfqq->p_root);
		cfqq->p_root = NULL;
	}
}

/* (Re)index @cfqq by the position of its next request. */
static void cfq_prio_tree_add(struct cfq_data *cfqd, struct cfq_queue *cfqq)
{
	struct rb_node **p, *parent;

	cfq_prio_tree_del(cfqq);
	if (cfq_class_idle(cfqq) || !cfqq->next_rq)
		return;

	cfqq->p_root = &cfqd->prio_trees[cfqq->org_ioprio];
	if (!cfq_prio_tree_lookup(cfqq->p_root, blk_rq_pos(cfqq->next_rq),
				  &parent, &p)) {
		rb_link_node(&cfqq->p_node, parent, p);
		rb_insert_color(&cfqq->p_node, cfqq->p_root);
	} else {
		cfqq->p_root = NULL;
	}
}

static void cfq_resort_rr_list(struct cfq_data *cfqd, struct cfq_queue *cfqq,
			       u64 now)
{
	if (cfq_cfqq_on_rr(cfqq)) {
		cfq_service_tree_add(cfqd, cfqq, false, now);
		cfq_prio_tree_add(cfqd, cfqq);
	}
}

/* @cfqq has requests: it becomes busy. */
static void cfq_add_cfqq_rr(struct cfq_data *cfqd, struct cfq_queue *cfqq,
			    u64 now)
{
	cfq_log_cfqq(cfqd, cfqq, "add_to_rr");
	cfq_mark_cfqq_on_rr(cfqq);
	cfqd->busy_queues++;
	if (cfq_cfqq_sync(cfqq)) {
		unsigned int w = cfq_tag_weight(cfq_class_idle(cfqq));

		cfqd->busy_sync_queues++;
		WRITE_ONCE(cfqq->tag_weight, w);
		WRITE_ONCE(cfqq->cfqg->sync_weight, cfqq->cfqg->sync_weight + w);
	}

	cfq_resort_rr_list(cfqd, cfqq, now);
}

/* @cfqq has no request left and is not active: it leaves its tree. */
static void cfq_del_cfqq_rr(struct cfq_data *cfqd, struct cfq_queue *cfqq)
{
	cfq_log_cfqq(cfqd, cfqq, "del_from_rr");
	cfq_clear_cfqq_on_rr(cfqq);

	cfq_st_del(&cfqq->st);
	cfq_prio_tree_del(cfqq);

	cfq_group_notify_queue_del(cfqd, cfqq->cfqg);
	cfqd->busy_queues--;
	if (cfq_cfqq_sync(cfqq)) {
		cfqd->busy_sync_queues--;
		WRITE_ONCE(cfqq->cfqg->sync_weight,
			   cfqq->cfqg->sync_weight - cfqq->tag_weight);
		WRITE_ONCE(cfqq->tag_weight, 0);
	}
}

/* queued[] is also read without the lock (cfqq_tag_limit()). */
static void cfq_queued_add(struct cfq_queue *cfqq, struct request *rq,
			   int nr)
{
	int *q = &cfqq->queued[rq_is_sync(rq)];

	WRITE_ONCE(*q, *q + nr);
}

static void cfq_del_rq_rb(struct request *rq)
{
	struct cfq_queue *cfqq = RQ_CFQQ(rq);

	cfq_queued_add(cfqq, rq, -1);
	elv_rb_del(&cfqq->sort_list, rq);

	/*
	 * An empty queue leaves its service tree at its next expiry; it
	 * leaves the prio tree now.
	 */
	if (cfq_cfqq_on_rr(cfqq) && RB_EMPTY_ROOT(&cfqq->sort_list))
		cfq_prio_tree_del(cfqq);
}

static void cfq_add_rq_rb(struct cfq_data *cfqd, struct request *rq, u64 now)
{
	struct cfq_queue *cfqq = RQ_CFQQ(rq);
	struct request *prev;

	cfq_queued_add(cfqq, rq, 1);
	elv_rb_add(&cfqq->sort_list, rq);

	if (!cfq_cfqq_on_rr(cfqq))
		cfq_add_cfqq_rr(cfqd, cfqq, now);

	/* Is the new request a better candidate to serve next? */
	prev = cfqq->next_rq;
	cfqq->next_rq = cfq_choose_req(cfqd, cfqq->next_rq, rq,
				       cfqd->last_position);
	if (prev != cfqq->next_rq)
		cfq_prio_tree_add(cfqd, cfqq);
}

static void cfq_reposition_rq_rb(struct cfq_data *cfqd, struct cfq_queue *cfqq,
				 struct request *rq)
{
	elv_rb_del(&cfqq->sort_list, rq);
	cfq_queued_add(cfqq, rq, -1);
	cfq_add_rq_rb(cfqd, rq, cfq_now());
}

/* Take a queued request out of its queue (and of the merge hash). */
static void cfq_remove_request(struct cfq_data *cfqd, struct request *rq)
{
	struct cfq_queue *cfqq = RQ_CFQQ(rq);
	struct request_queue *q = cfqd->queue;

	if (cfqq->next_rq == rq)
		cfqq->next_rq = cfq_find_next_rq(cfqd, cfqq, rq);

	list_del_init(&rq->queuelist);
	cfq_del_rq_rb(rq);
	elv_rqhash_del(q, rq);
	if (q->last_merge == rq)
		q->last_merge = NULL;

	cfqd->rq_queued--;
	if (rq->cmd_flags & REQ_PRIO)
		cfqq->prio_pending--;
	cfqg_stats_update_io_remove(cfqq->cfqg, rq);
}

/* ------------------------------ slices ------------------------------- */

/*
 * The idle timer is armed lazily: cfqd->timer_armed says whether cfq
 * waits for it, and cfqd->timer_expires until when.  The hrtimer itself
 * may still be queued for an earlier time (it then fires, finds its time
 * not come and restarts for timer_expires) or after a disarm (it then
 * fires and does nothing).  On a fast device the timer is armed again,
 * and disarmed, for about every other request: this way each costs a
 * store, not an hrtimer reprogramming, and the hrtimer fires at most once
 * per slice_idle or group_idle.
 */
static inline void cfq_del_timer(struct cfq_data *cfqd)
{
	cfqd->timer_armed = false;
}

static void cfq_start_timer(struct cfq_data *cfqd, u64 now, u64 delay)
{
	struct hrtimer *timer = &cfqd->idle_slice_timer;

	cfqd->timer_expires = now + delay;
	cfqd->timer_armed = true;
	/* only cfq sets its expiry, under cfqd->lock */
	if (hrtimer_is_queued(timer) &&
	    ktime_to_ns(hrtimer_get_expires(timer)) <= cfqd->timer_expires)
		return;
	hrtimer_start(timer, ns_to_ktime(cfqd->timer_expires),
		      HRTIMER_MODE_ABS);
	cfqd->stats.timer_starts++;
}

static void __cfq_set_active_queue(struct cfq_data *cfqd,
				   struct cfq_queue *cfqq, u64 now)
{
	if (cfqq) {
		cfq_log_cfqq(cfqd, cfqq, "set_active wl_class:%d wl_type:%d",
			     cfqd->serving_wl_class, cfqd->serving_wl_type);
		cfqq->slice_start = 0;
		cfqq->dispatch_start = now;
		cfqq->allocated_slice = 0;
		cfqq->slice_end = 0;
		cfqq->slice_dispatch = 0;
		cfqq->nr_sectors = 0;

		cfq_clear_cfqq_wait_request(cfqq);
		cfq_clear_cfqq_must_dispatch(cfqq);
		cfq_clear_cfqq_fifo_expire(cfqq);
		cfq_mark_cfqq_slice_new(cfqq);

		/* also ends an IDLE class grace period */
		cfq_del_timer(cfqd);
	}

	WRITE_ONCE(cfqd->active_queue, cfqq);
}

/*
 * @cfqq's slice is over (used up, or the queue went idle): charge its
 * group and put it back on its tree, or off it when empty.  @timed_out:
 * keep what was left of the slice for its next turn.
 */
static void __cfq_slice_expired(struct cfq_data *cfqd, struct cfq_queue *cfqq,
				bool timed_out, u64 now)
{
	lockdep_assert_held(&cfqd->lock);

	cfq_log_cfqq(cfqd, cfqq, "slice expired t=%d", timed_out);

	if (cfq_cfqq_wait_request(cfqq))
		cfq_del_timer(cfqd);
	cfq_clear_cfqq_wait_request(cfqq);
	cfq_clear_cfqq_wait_busy(cfqq);
	cfqg_stats_idle_end(cfqq->cfqg, now);

	/*
	 * A queue shared by cooperating processes that became seeky is
	 * split at their next request.
	 */
	if (cfq_cfqq_coop(cfqq) && cfq_seeky(cfqq->seek_history))
		cfq_mark_cfqq_split_coop(cfqq);

	if (timed_out) {
		if (cfq_cfqq_slice_new(cfqq))
			cfqq->slice_resid = cfq_scaled_cfqq_slice(cfqd, cfqq);
		else
			cfqq->slice_resid = (s64)(cfqq->slice_end - now);
		cfq_log_cfqq(cfqd, cfqq, "resid=%lld", cfqq->slice_resid);
	}

	cfq_group_served(cfqd, cfqq->cfqg, cfqq, now);

	if (cfq_cfqq_on_rr(cfqq) && RB_EMPTY_ROOT(&cfqq->sort_list))
		cfq_del_cfqq_rr(cfqd, cfqq);

	cfq_resort_rr_list(cfqd, cfqq, now);

	if (cfqq == cfqd->active_queue)
		WRITE_ONCE(cfqd->active_queue, NULL);
	cfqd->stats.expired++;
}

static inline void cfq_slice_expired(struct cfq_data *cfqd, bool timed_out,
				     u64 now)
{
	if (cfqd->active_queue)
		__cfq_slice_expired(cfqd, cfqd->active_queue, timed_out, now);
}

/* The first queue of the tree being served. */
static struct cfq_queue *cfq_get_next_queue(struct cfq_data *cfqd)
{
	struct cfq_st_entity *e;

	if (!cfqd->rq_queued || !cfqd->serving_group)
		return NULL;
	e = cfq_st_first(st_for(cfqd->serving_group, cfqd->serving_wl_class,
				cfqd->serving_wl_type));
	return e ? container_of(e, struct cfq_queue, st) : NULL;
}

/* Any queue with requests, ignoring classes: used to make progress. */
static struct cfq_queue *cfq_get_next_queue_forced(struct cfq_data *cfqd)
{
	struct cfq_rb_root *st;
	struct rb_node *n;
	int i;

	for (n = rb_first_cached(&cfqd->grp_service_tree.rb); n;
	     n = rb_next(n)) {
		struct cfq_group *cfqg = container_of(n, struct cfq_group,
						      ent.rb_node);

		for_each_cfqg_st(cfqg, i, st) {
			struct rb_node *qn;

			for (qn = rb_first_cached(&st->rb); qn;
			     qn = rb_next(qn)) {
				struct cfq_queue *cfqq;

				cfqq = rb_entry(qn, struct cfq_queue,
						st.rb_node);
				if (cfqq->next_rq)
					return cfqq;
			}
		}
	}
	return NULL;
}

static struct cfq_queue *cfq_set_active_queue(struct cfq_data *cfqd,
					      struct cfq_queue *cfqq, u64 now)
{
	if (!cfqq)
		cfqq = cfq_get_next_queue(cfqd);
	__cfq_set_active_queue(cfqd, cfqq, now);
	return cfqq;
}

static inline sector_t cfq_dist_from_last(struct cfq_data *cfqd,
					  struct request *rq)
{
	if (blk_rq_pos(rq) >= cfqd->last_position)
		return blk_rq_pos(rq) - cfqd->last_position;
	return cfqd->last_position - blk_rq_pos(rq);
}

static inline bool cfq_rq_close(struct cfq_data *cfqd, struct request *rq)
{
	return cfq_dist_from_last(cfqd, rq) <= CFQQ_CLOSE_THR;
}

/* A queue (of @cur's level) whose next request is near the disk head. */
static struct cfq_queue *cfqq_close(struct cfq_data *cfqd,
				    struct cfq_queue *cur)
{
	struct rb_root *root = &cfqd->prio_trees[cur->org_ioprio];
	sector_t sector = cfqd->last_position;
	struct rb_node *parent, *node;
	struct cfq_queue *__cfqq;

	if (RB_EMPTY_ROOT(root))
		return NULL;

	/* first, a request starting right where the last one ended */
	__cfqq = cfq_prio_tree_lookup(root, sector, &parent, NULL);
	if (__cfqq)
		return __cfqq;

	/* else the parent of the leaf holds the closest sector */
	__cfqq = rb_entry(parent, struct cfq_queue, p_node);
	if (cfq_rq_close(cfqd, __cfqq->next_rq))
		return __cfqq;

	if (blk_rq_pos(__cfqq->next_rq) < sector)
		node = rb_next(&__cfqq->p_node);
	else
		node = rb_prev(&__cfqq->p_node);
	if (!node)
		return NULL;

	__cfqq = rb_entry(node, struct cfq_queue, p_node);
	if (cfq_rq_close(cfqd, __cfqq->next_rq))
		return __cfqq;
	return NULL;
}

/*
 * A queue doing I/O next to @cur's: rather than idling on @cur, serve it,
 * and merge the two if this keeps happening (cfq_close_cooperator).
 */
static struct cfq_queue *cfq_close_cooperator(struct cfq_data *cfqd,
					      struct cfq_queue *cur)
{
	struct cfq_queue *cfqq;

	if (cfq_class_idle(cur) || !cfq_cfqq_sync(cur) ||
	    cfq_seeky(cur->seek_history))
		return NULL;
	/* not worth searching when it is the only queue of its group */
	if (cur->cfqg->nr_cfqq == 1)
		return NULL;

	cfqq = cfqq_close(cfqd, cur);
	if (!cfqq || cfqq == cur)
		return NULL;
	if (cur->cfqg != cfqq->cfqg)
		return NULL;
	if (!cfq_cfqq_sync(cfqq) || cfq_seeky(cfqq->seek_history))
		return NULL;
	if (cfq_class_rt(cfqq) != cfq_class_rt(cur))
		return NULL;
	return cfqq;
}

/* Should the device stay idle for @cfqq's next request? */
static bool cfq_should_idle(struct cfq_data *cfqd, struct cfq_queue *cfqq)
{
	struct cfq_rb_root *st = cfqq->st.st;

	if (!cfqd->tun.slice_idle)
		return false;
	if (cfq_class_idle(cfqq))
		return false;

	/* deep-queue SSDs: only the service tree idling below */
	if (cfq_cfqq_idle_window(cfqq) &&
	    !(blk_queue_nonrot(cfqd->queue) && cfqd->hw_tag))
		return true;

	/*
	 * Otherwise idle for the last queue of its tree (sync-noidle),
	 * which keeps the tree's think time.
	 */
	if (st && st->count == 1 && cfq_cfqq_sync(cfqq) &&
	    !cfq_ttime_big(&st->ttime, cfqd->tun.slice_idle))
		return true;
	cfq_log_cfqq(cfqd, cfqq, "Not idling. st->count:%d",
		     st ? st->count : 0);
	return false;
}

/* The active queue went empty: wait a while for its next request? */
static void cfq_arm_slice_timer(struct cfq_data *cfqd, u64 now)
{
	struct cfq_queue *cfqq = cfqd->active_queue;
	struct cfq_rb_root *st = cfqq->st.st;
	u64 sl, group_idle = 0;

	lockdep_assert_held(&cfqd->lock);

	/*
	 * No idling on a queueing SSD, unless group idling asks for it;
	 * without queueing we still need it for sync against async.
	 */
	if (blk_queue_nonrot(cfqd->queue) && cfqd->hw_tag &&
	    !cfqd->tun.group_idle)
		return;

	if (!cfq_should_idle(cfqd, cfqq)) {
		group_idle = cfqd->tun.group_idle;
		if (!group_idle)
			return;
	}

	/* requests still in flight will bring us back */
	if (cfqq->dispatched)
		return;

	/* its processes have exited: nobody to wait for */
	if (!cfqq_process_refs(cfqq))
		return;

	/* thinks longer than the slice it has left */
	if (cfq_sample_valid(cfqq->ttime.ttime_samples) &&
	    cfq_slice_left(cfqq, now) < cfqq->ttime.ttime_mean) {
		cfq_log_cfqq(cfqd, cfqq, "Not idling. think_time:%llu",
			     cfqq->ttime.ttime_mean);
		return;
	}

	/* group idling is for a group's last queue that thinks fast */
	if (group_idle &&
	    (cfqq->cfqg->nr_cfqq > 1 ||
	     (st && cfq_ttime_big(&st->ttime, group_idle))))
		return;

	cfq_mark_cfqq_wait_request(cfqq);
	sl = group_idle ? group_idle : cfqd->tun.slice_idle;
	cfq_start_timer(cfqd, now, sl);
	cfqd->stats.idled++;
	cfqg_stats_idle_start(cfqq->cfqg, now);
	cfq_log_cfqq(cfqd, cfqq, "arm_idle: %llu group_idle: %d", sl,
		     group_idle ? 1 : 0);
}

/* Count @rq in flight: it leaves the scheduler for the driver. */
static void cfq_account_dispatch(struct cfq_data *cfqd, struct cfq_queue *cfqq,
				 struct request *rq, u64 now)
{
	cfqq->dispatched++;
	cfqq->cfqg->dispatched++;
	cfqq->total_dispatched++;
	cfqd->rq_in_flight[cfq_cfqq_sync(cfqq)]++;
	cfqd->rq_in_driver++;
	cfqd->last_position = blk_rq_pos(rq) + blk_rq_sectors(rq);
	cfqd->stats.dispatched++;
	cfqg_stats_update_dispatch(cfqq->cfqg, rq, now);
	rq->elv.priv[1] = (void *)CFQ_RQ_DISPATCHED;
	/*
	 * Out of the FIFO, fifo_time is now the time of dispatch, for
	 * in_driver_ns (blk-mq sets io_start_time_ns only with queue stats).
	 */
	rq->fifo_time = now;
	cfqg_tags_add(cfqq->cfqg, -1);
}

static void cfq_dispatch_insert(struct cfq_data *cfqd, struct request *rq,
				u64 now)
{
	struct cfq_queue *cfqq = RQ_CFQQ(rq);

	cfq_log_cfqq(cfqd, cfqq, "dispatch_insert");
	cfqq->next_rq = cfq_find_next_rq(cfqd, cfqq, rq);
	cfq_remove_request(cfqd, rq);
	cfq_account_dispatch(cfqd, cfqq, rq, now);
	cfqq->nr_sectors += blk_rq_sectors(rq);
}

/* The FIFO head if it expired. */
static struct request *cfq_fifo_expired(struct cfq_queue *cfqq, u64 now)
{
	struct request *rq;

	if (list_empty(&cfqq->fifo))
		return NULL;
	rq = rq_entry_fifo(cfqq->fifo.next);
	return now < rq->fifo_time ? NULL : rq;
}

/* The FIFO head if it expired; looked at once per slice. */
static struct request *cfq_check_fifo(struct cfq_queue *cfqq, u64 now)
{
	if (cfq_cfqq_fifo_expire(cfqq))
		return NULL;
	cfq_mark_cfqq_fifo_expire(cfqq);
	return cfq_fifo_expired(cfqq, now);
}

/*
 * Plan to merge @cfqq into @new_cfqq (or the other way round, toward the
 * queue with more processes); the processes move at their next request.
 */
static void cfq_setup_merge(struct cfq_queue *cfqq, struct cfq_queue *new_cfqq)
{
	int process_refs, new_process_refs;
	struct cfq_queue *__cfqq;

	/*
	 * Without process references on new_cfqq, the ->new_cfqq chain may
	 * hold queues that lost their last reference.
	 */
	if (!cfqq_process_refs(new_cfqq))
		return;

	/* avoid a circular list and skip interim queue merges */
	while ((__cfqq = new_cfqq->new_cfqq)) {
		if (__cfqq == cfqq)
			return;
		new_cfqq = __cfqq;
	}

	process_refs = cfqq_process_refs(cfqq);
	new_process_refs = cfqq_process_refs(new_cfqq);
	if (process_refs <= 0 || new_process_refs <= 0)
		return;

	if (new_process_refs >= process_refs) {
		cfqq->new_cfqq = new_cfqq;
		new_cfqq->ref += process_refs;
	} else {
		new_cfqq->new_cfqq = cfqq;
		cfqq->ref += new_process_refs;
	}
}

/* The workload type whose first queue has waited longest. */
static enum cfq_wl_type cfq_choose_wl_type(struct cfq_group *cfqg,
					   enum cfq_wl_class wl_class)
{
	enum cfq_wl_type cur_best = CFQ_WL_SYNC_NOIDLE;
	bool key_valid = false;
	u64 lowest_key = 0;
	int i;

	for (i = 0; i < CFQ_WL_TYPE_NR; i++) {
		struct cfq_st_entity *e = cfq_st_first(st_for(cfqg, wl_class, i));

		if (e && (!key_valid || e->rb_key < lowest_key)) {
			lowest_key = e->rb_key;
			cur_best = i;
			key_valid = true;
		}
	}
	return cur_best;
}

/*
 * Choose the class (strictly RT, then BE, then IDLE) and the workload type
 * to serve in @cfqg, and the workload slice.
 *
 * Return: false if only IDLE queues are busy and RT/BE were active less
 * than CFQ_IDLE_GRACE ago: nothing may be served yet.
 */
static bool cfq_choose_wl_class_and_type(struct cfq_data *cfqd,
					 struct cfq_group *cfqg, u64 now)
{
	enum cfq_wl_class original_class = cfqd->serving_wl_class;
	struct cfq_wl_load load;
	struct cfq_rb_root *st;

	if (cfq_group_busy_queues_wl(CFQ_WL_RT, cfqg))
		cfq_check_prio_changes(cfqd, cfqg, CFQ_WL_RT);
	else if (cfqg->service_tree_idle.count)
		cfq_check_prio_changes(cfqd, cfqg, CFQ_WL_BE);

	if (cfq_group_busy_queues_wl(CFQ_WL_RT, cfqg)) {
		cfqd->serving_wl_class = CFQ_WL_RT;
	} else if (cfq_group_busy_queues_wl(CFQ_WL_BE, cfqg)) {
		cfqd->serving_wl_class = CFQ_WL_BE;
	} else {
		if (now < cfqd->last_nonidle + CFQ_IDLE_GRACE)
			return false;
		cfqd->serving_wl_class = CFQ_WL_IDLE;
		cfqd->workload_slice = jiffies_to_nsecs(1);
		cfqd->workload_expires = now + cfqd->workload_slice;
		return true;
	}

	if (original_class == cfqd->serving_wl_class) {
		/* keep the workload while it lasts and has queues */
		st = st_for(cfqg, cfqd->serving_wl_class, cfqd->serving_wl_type);
		if (st->count && now <= cfqd->workload_expires)
			return true;
	}

	cfqd->serving_wl_type = cfq_choose_wl_type(cfqg, cfqd->serving_wl_class);
	st = st_for(cfqg, cfqd->serving_wl_class, cfqd->serving_wl_type);

	load.type = cfqd->serving_wl_type;
	load.group_slice = cfq_group_slice(&cfqd->tun, cfqg->ent.vfraction);
	load.count = st->count;
	load.busy_avg = cfqg->busy_queues_avg[cfqd->serving_wl_class];
	load.busy_class = cfq_group_busy_queues_wl(cfqd->serving_wl_class,
						   cfqg);
	load.busy_async = cfqg_busy_async_queues(cfqg);
	load.busy_total = cfqd->busy_queues;
	cfqd->workload_slice = cfq_workload_slice(&cfqd->tun, &load);
	cfqd->workload_expires = now + cfqd->workload_slice;
	cfq_log(cfqd, "workload slice:%llu", cfqd->workload_slice);
	return true;
}

/* Serve the first group; pick up the workload it was serving. */
static bool cfq_choose_cfqg(struct cfq_data *cfqd, u64 now)
{
	struct cfq_group *cfqg = cfq_get_next_cfqg(cfqd, now);

	cfqd->serving_group = cfqg;
	if (!cfqg)
		return false;

	if (cfqg->saved_wl_slice) {
		cfqd->workload_expires = now + cfqg->saved_wl_slice;
		cfqd->serving_wl_type = cfqg->saved_wl_type;
		cfqd->serving_wl_class = cfqg->saved_wl_class;
	} else {
		cfqd->workload_expires = now - 1;
	}

	return cfq_choose_wl_class_and_type(cfqd, cfqg, now);
}

/*
 * Will the idle timer act?  While armed, the hrtimer is queued (for
 * timer_expires or earlier), or its callback waits for cfqd->lock and
 * will see to it.  The callback disarms before it kicks the queues, so
 * the dispatch it kicked does not count on it.
 */
static inline bool cfq_timer_pending(struct cfq_data *cfqd)
{
	return cfqd->timer_armed;
}

/* Only IDLE queues wait, in their grace period: wake up when it ends. */
static void cfq_arm_idle_grace(struct cfq_data *cfqd, u64 now)
{
	u64 end = cfqd->last_nonidle + CFQ_IDLE_GRACE;

	if (cfq_timer_pending(cfqd))
		return;
	cfq_start_timer(cfqd, now, end > now ? end - now : 1);
	cfq_log(cfqd, "idle class grace %llu", end - now);
}

/*
 * Select the queue to dispatch from: keep the active queue while it has
 * slice and requests, or while idling for it makes sense; else expire it
 * and choose the next group, class, workload and queue.  NULL: dispatch
 * nothing now (cfq_select_queue).
 */
static struct cfq_queue *cfq_select_queue(struct cfq_data *cfqd, u64 now)
{
	struct cfq_queue *cfqq, *new_cfqq = NULL;

	lockdep_assert_held(&cfqd->lock);

	cfqq = cfqd->active_queue;
	if (!cfqq)
		goto new_queue;

	if (!cfqd->rq_queued)
		return NULL;

	/* we waited for the group to get busy: it did, expire */
	if (cfq_cfqq_wait_busy(cfqq) && !RB_EMPTY_ROOT(&cfqq->sort_list))
		goto expire;

	if (cfq_slice_used(cfqq, now) && !cfq_cfqq_must_dispatch(cfqq)) {
		/*
		 * The slice ran out while idling all along on this, the
		 * group's only queue: let its request in flight finish
		 * before expiring, so that the group gets busy again.
		 */
		if (cfqq->cfqg->nr_cfqq == 1 &&
		    RB_EMPTY_ROOT(&cfqq->sort_list) && cfqq->dispatched &&
		    cfq_should_idle(cfqd, cfqq))
			return NULL;
		goto check_group_idle;
	}

	/* requests and slice left: keep it */
	if (!RB_EMPTY_ROOT(&cfqq->sort_list))
		return cfqq;

	/*
	 * Another queue has a request close to the head: serve it rather
	 * than idle, and plan to merge the two.
	 */
	new_cfqq = cfq_close_cooperator(cfqd, cfqq);
	if (new_cfqq) {
		if (!cfqq->new_cfqq)
			cfq_setup_merge(cfqq, new_cfqq);
		goto expire;
	}

	/* idling for the active queue */
	if (cfq_timer_pending(cfqd))
		return NULL;

	/*
	 * A seeky queue on a device much faster than it: stop idling.  Not
	 * while the tag gate keeps the queues' parts: the queue ran dry
	 * waiting for a tag (legacy CFQ's active queue could always
	 * allocate), and without its idle window its process, deep as it
	 * is, went to the sync-noidle tree, leaving the sync tree's
	 * workload slices to the queues still on it.  Where the parts are
	 * too small to keep, its process competes for tags in arrival
	 * order and idling for it would waste the device.
	 */
	if (cfq_seeky(cfqq->seek_history) && cfq_cfqq_idle_window(cfqq) &&
	    !cfq_tags_gated(cfqd) &&
	    (cfq_cfqq_slice_new(cfqq) ||
	     cfq_slice_left(cfqq, now) > now - cfqq->slice_start)) {
		cfq_clear_cfqq_deep(cfqq);
		cfq_clear_cfqq_idle_window(cfqq);
	}

	if (cfqq->dispatched && cfq_should_idle(cfqd, cfqq))
		return NULL;

check_group_idle:
	/* group idling: wait for the group's requests in flight */
	if (cfqd->tun.group_idle && cfqq->cfqg->nr_cfqq == 1 &&
	    cfqq->cfqg->dispatched &&
	    !cfq_ttime_big(&cfqq->cfqg->ttime, cfqd->tun.group_idle))
		return NULL;

expire:
	cfq_slice_expired(cfqd, false, now);
new_queue:
	if (!new_cfqq && !cfq_choose_cfqg(cfqd, now)) {
		if (cfqd->serving_group)
			cfq_arm_idle_grace(cfqd, now);
		return NULL;
	}
	return cfq_set_active_queue(cfqd, new_cfqq, now);
}

static inline bool cfq_slice_used_soon(struct cfq_data *cfqd,
				       struct cfq_queue *cfqq, u64 now)
{
	/* no request completed yet: cannot tell */
	if (cfq_cfqq_slice_new(cfqq))
		return true;
	return now + cfq_drain_time(cfqd->tun.slice_idle, cfqq->dispatched,
				    cfqq->allocated_slice,
				    cfq_prio_to_slice(cfqd, cfqq),
				    cfqd->in_driver_ns) >
	       cfqq->slice_end;
}

/* May @cfqq send one more request to the device? (cfq_may_dispatch) */
static bool cfq_may_dispatch(struct cfq_data *cfqd, struct cfq_queue *cfqq,
			     u64 now)
{
	unsigned int max_dispatch;

	if (cfq_cfqq_must_dispatch(cfqq))
		return true;

	/* drain async requests before starting sync ones */
	if (cfq_should_idle(cfqd, cfqq) && cfqd->rq_in_flight[0])
		return false;

	/* async waits while sync requests are in flight */
	if (cfqd->rq_in_flight[1] && !cfq_cfqq_sync(cfqq))
		return false;

	/* parallel dispatch: the device's depth is the limit */
	if (cfq_wide(cfqd, cfqq))
		return true;

	max_dispatch = max_t(unsigned int, cfqd->tun.quantum / 2, 1);
	if (cfq_class_idle(cfqq))
		max_dispatch = 1;

	if (cfqq->dispatched >= max_dispatch) {
		bool promote_sync = false;

		/* an IDLE queue has one request in flight at most */
		if (cfq_class_idle(cfqq))
			return false;

		/*
		 * The only sync queue may preempt async ones anyway: no
		 * point limiting it.
		 */
		if (cfq_cfqq_sync(cfqq) && cfqd->busy_sync_queues == 1)
			promote_sync = true;

		/* others are waiting: stop before the slice ends */
		if (cfqd->busy_queues > 1 &&
		    cfq_slice_used_soon(cfqd, cfqq, now) && !promote_sync)
			return false;

		if (cfqd->busy_queues == 1 || promote_sync)
			max_dispatch = UINT_MAX;
		else
			/* deeper early in the slice, up to quantum */
			max_dispatch = cfqd->tun.quantum;
	}

	/*
	 * low_latency: ramp the async depth up with the time since a sync
	 * request was last delayed.
	 */
	if (!cfq_cfqq_sync(cfqq) && cfqd->tun.latency) {
		u64 last_sync = now - cfqd->last_delayed_sync;
		u64 depth = div64_u64(last_sync, cfqd->tun.slice[1]);

		if (!depth && !cfqq->dispatched)
			depth = 1;
		if (depth < max_dispatch)
			max_dispatch = depth;
	}

	return cfqq->dispatched < max_dispatch;
}

/* One request from @cfqq, or NULL if it may not dispatch now. */
static struct request *cfq_dispatch_from(struct cfq_data *cfqd,
					 struct cfq_queue *cfqq, u64 now)
{
	struct request *rq;

	rq = cfq_check_fifo(cfqq, now);
	if (rq)
		cfq_mark_cfqq_must_dispatch(cfqq);

	if (!cfq_may_dispatch(cfqd, cfqq, now))
		return NULL;

	if (rq)
		cfq_log_cfqq(cfqd, cfqq, "fifo=%llu", (u64)blk_rq_pos(rq));
	else
		rq = cfqq->next_rq;
	cfq_dispatch_insert(cfqd, rq, now);
	return rq;
}

/* Queues of a tree that parallel dispatch compares, from its front. */
#define CFQ_WIDE_SCAN	8

/*
 * Parallel dispatch (cfq_wide()): the queue to send the next request,
 * among @active and the first CFQ_WIDE_SCAN queues of its tree that have
 * requests waiting: of those within their part of the requests in flight
 * (cfq_wide_fits(), the parts in the ratio of their slices), the one with
 * the lowest start key (cfq_wide_key()).  NULL if that is @active.  With
 * more queues on the tree, the others wait to come to its front as the
 * active queues rotate.
 */
static struct cfq_queue *cfq_wide_pick(struct cfq_data *cfqd,
				       struct cfq_queue *active)
{
	struct cfq_rb_root *st = active->st.st;
	struct cfq_queue *cand[CFQ_WIDE_SCAN + 1], *best = NULL;
	u64 w[CFQ_WIDE_SCAN + 1], weights = 0, key, best_key = 0;
	unsigned int flight = 0;
	struct rb_node *n;
	int i, nr = 0;

	if (!RB_EMPTY_ROOT(&active->sort_list))
		cand[nr++] = active;
	for (n = rb_first_cached(&st->rb), i = 0; n && i < CFQ_WIDE_SCAN;
	     n = rb_next(n), i++) {
		struct cfq_queue *cfqq = rb_entry(n, struct cfq_queue,
						  st.rb_node);

		if (cfqq != active && !RB_EMPTY_ROOT(&cfqq->sort_list))
			cand[nr++] = cfqq;
	}
	for (i = 0; i < nr; i++) {
		w[i] = cfq_prio_to_slice(cfqd, cand[i]);
		weights += w[i];
		flight += cand[i]->dispatched;
	}
	for (i = 0; i < nr; i++) {
		if (!cfq_wide_fits(cand[i]->dispatched, w[i], flight, weights))
			continue;
		key = cfq_wide_key(st, &cand[i]->st);
		if (!best || (s64)(key - best_key) < 0) {
			best = cand[i];
			best_key = key;
		}
	}
	return best == active ? NULL : best;
}

/*
 * One request from @cfqq, a queue of the active queue's tree other than
 * the active one: its FIFO head if expired, else its next request.  It
 * counts in the active queue's slice_dispatch, which the group is charged
 * with; the queue leaves the tree as soon as it is empty, having no slice
 * to idle in.
 */
static struct request *cfq_wide_dispatch(struct cfq_data *cfqd,
					 struct cfq_queue *cfqq, u64 now)
{
	struct request *rq = cfq_fifo_expired(cfqq, now) ?: cfqq->next_rq;

	cfq_wide_served(cfqq->st.st, &cfqq->st, cfq_prio_to_slice(cfqd, cfqq));
	cfq_dispatch_insert(cfqd, rq, now);
	cfqd->active_queue->slice_dispatch++;
	cfqd->stats.wide++;
	if (RB_EMPTY_ROOT(&cfqq->sort_list))
		cfq_del_cfqq_rr(cfqd, cfqq);
	cfq_log_cfqq(cfqd, cfqq, "wide dispatch");
	return rq;
}

/*
 * Nothing will re-run the queues (no request in flight, no timer) but
 * requests are queued: serve any queue rather than stall.  This is a
 * safety net; the rules above always leave a wake-up behind.
 */
static struct request *cfq_rescue_dispatch(struct cfq_data *cfqd, u64 now)
{
	struct cfq_queue *cfqq;
	struct request *rq;

	cfq_slice_expired(cfqd, false, now);
	cfqq = cfq_get_next_queue_forced(cfqd);
	if (!cfqq)
		return NULL;
	cfqd->stats.rescued++;
	cfq_log_cfqq(cfqd, cfqq, "rescue dispatch");
	__cfq_set_active_queue(cfqd, cfqq, now);
	rq = cfqq->next_rq;
	cfq_dispatch_insert(cfqd, rq, now);
	cfqq->slice_dispatch++;
	return rq;
}

static struct request *cfq_dispatch_locked(struct cfq_data *cfqd)
{
	struct cfq_queue *cfqq;
	struct request *rq;
	bool wide;
	u64 now;

	lockdep_assert_held(&cfqd->lock);

	rq = list_first_entry_or_null(&cfqd->dispatch, struct request,
				      queuelist);
	if (rq) {
		list_del_init(&rq->queuelist);
		cfqq = RQ_CFQQ(rq);
		if (cfqq && !(RQ_CFQ_FLAGS(rq) & CFQ_RQ_DISPATCHED))
			cfq_account_dispatch(cfqd, cfqq, rq, cfq_now());
		return rq;
	}

	if (!cfqd->busy_queues)
		return NULL;

	now = cfq_now();
	cfqq = cfq_select_queue(cfqd, now);
	wide = cfqq && cfq_wide(cfqd, cfqq);
	if (wide) {
		struct cfq_queue *other = cfq_wide_pick(cfqd, cfqq);

		if (other)
			return cfq_wide_dispatch(cfqd, other, now);
	}
	rq = cfqq ? cfq_dispatch_from(cfqd, cfqq, now) : NULL;
	if (!rq) {
		if (!cfqd->rq_queued)
			return NULL;
		if (!cfqd->rq_in_driver && !cfq_timer_pending(cfqd))
			return cfq_rescue_dispatch(cfqd, now);
		/* a completion or the timer will re-run the queues */
		cfqd->waiting = true;
		return NULL;
	}

	cfqq->slice_dispatch++;
	cfq_clear_cfqq_must_dispatch(cfqq);
	if (wide)
		cfq_wide_served(cfqq->st.st, &cfqq->st,
				cfq_prio_to_slice(cfqd, cfqq));

	/*
	 * An async queue that used its requests for the slice, or an IDLE
	 * queue after each request, makes way when others are busy.
	 */
	if (cfqd->busy_queues > 1 &&
	    ((!cfq_cfqq_sync(cfqq) &&
	      cfqq->slice_dispatch >= cfq_prio_to_maxrq(&cfqd->tun,
							cfqq->ioprio)) ||
	     cfq_class_idle(cfqq))) {
		cfqq->slice_end = now + 1;
		cfq_slice_expired(cfqd, false, now);
	}

	cfq_log_cfqq(cfqd, cfqq, "dispatched a request");
	return rq;
}

/* -------------------------- queue lifetime --------------------------- */

static void cfq_put_queue(struct cfq_queue *cfqq)
{
	struct cfq_data *cfqd = cfqq->cfqd;
	struct cfq_group *cfqg;

	lockdep_assert_held(&cfqd->lock);

	if (WARN_ON_ONCE(cfqq->ref <= 0))
		return;
	cfqq->ref--;
	if (cfqq->ref)
		return;

	cfq_log_cfqq(cfqd, cfqq, "put_queue");
	WARN_ON_ONCE(!RB_EMPTY_ROOT(&cfqq->sort_list));
	cfqg = cfqq->cfqg;

	if (unlikely(cfqd->active_queue == cfqq))
		__cfq_slice_expired(cfqd, cfqq, false, cfq_now());
	if (cfq_cfqq_on_rr(cfqq))
		cfq_del_cfqq_rr(cfqd, cfqq);

	kmem_cache_free(cfq_pool, cfqq);
	atomic_dec(&cfq_nr_queues);
	cfqg_put(cfqg);
}

/* Drop the references taken for a planned merge (cfq_setup_merge). */
static void cfq_put_cooperator(struct cfq_queue *cfqq)
{
	struct cfq_queue *__cfqq, *next;

	__cfqq = cfqq->new_cfqq;
	while (__cfqq) {
		if (__cfqq == cfqq)
			break;
		next = __cfqq->new_cfqq;
		cfq_put_queue(__cfqq);
		__cfqq = next;
	}
}

/* Point @cic at @cfqq (or at none), keeping the queue's back pointer. */
static void cic_set_cfqq(struct cfq_io_cq *cic, struct cfq_queue *cfqq)
{
	if (cic->cfqq && cic->cfqq->cic == cic)
		cic->cfqq->cic = NULL;
	/* read without the lock by cfq_bio_may_merge() */
	WRITE_ONCE(cic->cfqq, cfqq);
	if (cfqq && !cfqq->cic && cfqq != &cfqq->cfqd->oom_cfqq)
		cfqq->cic = cic;
}

/* A process left @cfqq (exit or split): drop its reference. */
static void cfq_exit_cfqq(struct cfq_data *cfqd, struct cfq_queue *cfqq)
{
	if (unlikely(cfqq == cfqd->active_queue))
		__cfq_slice_expired(cfqd, cfqq, false, cfq_now());

	cfq_put_cooperator(cfqq);
	cfq_put_queue(cfqq);
}

/*
 * Called when the io context's last process exits, or when its icqs are
 * cleared (switch of elevator): under ioc->lock, perhaps q->queue_lock.
 */
static void cfq_exit_icq(struct io_cq *icq)
{
	struct cfq_io_cq *cic = icq_to_cic(icq);
	struct cfq_data *cfqd = icq->q->elevator->elevator_data;
	unsigned long flags;
	bool kick;

	spin_lock_irqsave(&cfqd->lock, flags);
	cic->exited = true;
	if (cic->cfqq) {
		struct cfq_queue *cfqq = cic->cfqq;

		cic_set_cfqq(cic, NULL);
		cfq_exit_cfqq(cfqd, cfqq);
	}
	kick = cfq_kick_needed(cfqd);
	spin_unlock_irqrestore(&cfqd->lock, flags);

	if (kick)
		blk_mq_run_hw_queues(cfqd->queue, true);
}

/*
 * The class and level @ioprio asks for; IDLE has one level, the lowest.
 * Without a class (IOPRIO_CLASS_NONE, or one unknown): BE at the normal
 * level.  The block layer gives every bio the class and level of its task
 * (from the nice value if none was set), so only requests that did not
 * come from a bio have none; an io context has none until its task sets
 * one.
 *
 * Return: whether @ioprio has a class.
 */
static bool cfq_ioprio_class_level(unsigned short ioprio,
				   unsigned short *class,
				   unsigned short *level)
{
	switch (IOPRIO_PRIO_CLASS(ioprio)) {
	case IOPRIO_CLASS_RT:
	case IOPRIO_CLASS_BE:
		*class = IOPRIO_PRIO_CLASS(ioprio);
		*level = IOPRIO_PRIO_LEVEL(ioprio);
		return true;
	case IOPRIO_CLASS_IDLE:
		*class = IOPRIO_CLASS_IDLE;
		*level = CFQ_PRIO_LEVELS - 1;
		return true;
	default:
		*class = IOPRIO_CLASS_BE;
		*level = CFQ_PRIO_NORM;
		return false;
	}
}

/*
 * Give @cfqq a class and level (the equivalent of cfq_init_prio_data()).
 * @boost: a REQ_PRIO (metadata) request is queued: an IDLE or low level
 * queue runs as BE/4 meanwhile, lest it hold others up
 * (cfqq_boost_on_prio).
 */
static void cfq_change_prio(struct cfq_data *cfqd, struct cfq_queue *cfqq,
			    unsigned short class, unsigned short level,
			    bool boost)
{
	unsigned short old_class = cfqq->ioprio_class;

	if (class != cfqq->org_ioprio_class || level != cfqq->org_ioprio) {
		cfq_log_cfqq(cfqd, cfqq, "prio %s/%u -> %s/%u",
			     cfq_class_name(cfqq->org_ioprio_class),
			     cfqq->org_ioprio, cfq_class_name(class), level);
		cfqq->org_ioprio_class = class;
		cfqq->org_ioprio = level;
		if (class == IOPRIO_CLASS_IDLE)
			cfq_clear_cfqq_idle_window(cfqq);
		else if (cfqq->ioprio_class == IOPRIO_CLASS_IDLE &&
			 cfq_cfqq_sync(cfqq))
			cfq_mark_cfqq_idle_window(cfqq);
		if (cfqq->p_root)
			cfq_prio_tree_add(cfqd, cfqq);
	}

	cfqq->ioprio_class = cfqq->org_ioprio_class;
	cfqq->ioprio = cfqq->org_ioprio;
	if (boost) {
		if (cfq_class_idle(cfqq))
			cfqq->ioprio_class = IOPRIO_CLASS_BE;
		if (cfqq->ioprio > CFQ_PRIO_NORM)
			cfqq->ioprio = CFQ_PRIO_NORM;
	}

	/* a busy queue that changed class moves to its new tree now */
	if (cfqq->ioprio_class != old_class && cfq_cfqq_on_rr(cfqq) &&
	    cfqq != cfqd->active_queue)
		cfq_service_tree_add(cfqd, cfqq, false, cfq_now());
}

/*
 * @cfqq takes the class and level of @rq, its latest request: a process's
 * ioprio change (which tags its new bios) takes effect with its next
 * request.
 */
static void cfq_init_prio_data(struct cfq_data *cfqd, struct cfq_queue *cfqq,
			       struct request *rq)
{
	unsigned short class, level;

	cfq_ioprio_class_level(elvx_rq_ioprio(rq), &class, &level);
	cfq_change_prio(cfqd, cfqq, class, level, rq->cmd_flags & REQ_PRIO);
}

/*
 * ioprio_set() tells no elevator: a new ioprio only comes with a process's
 * next request.  But a process whose request is queued in a class that is
 * not being served (an IDLE queue next to busy BE ones) sends no other,
 * and would wait for ever after being moved up.  So when a class is chosen,
 * the waiting queues of the classes below are checked for an io context
 * whose ioprio changed since their last request (check_ioprio_changed).
 */
static void cfq_check_prio_changes(struct cfq_data *cfqd,
				   struct cfq_group *cfqg,
				   enum cfq_wl_class served)
{
	struct cfq_rb_root *st;
	int i;

	for_each_cfqg_st(cfqg, i, st) {
		struct rb_node *n, *next;

		/* the trees of the classes left waiting */
		if (served == CFQ_WL_BE && st != &cfqg->service_tree_idle)
			continue;
		if (served == CFQ_WL_RT &&
		    st >= &cfqg->service_trees[CFQ_WL_RT][0] &&
		    st <= &cfqg->service_trees[CFQ_WL_RT][CFQ_WL_TYPE_NR - 1])
			continue;

		for (n = rb_first_cached(&st->rb); n; n = next) {
			struct cfq_queue *cfqq = rb_entry(n, struct cfq_queue,
							  st.rb_node);
			struct cfq_io_cq *cic = cfqq->cic;
			unsigned short ioprio, class, level;

			next = rb_next(n);
			if (!cic)
				continue;
			ioprio = READ_ONCE(cic->icq.ioc->ioprio);
			if (ioprio == cic->ioprio_seen)
				continue;
			cic->ioprio_seen = ioprio;
			if (cfq_ioprio_class_level(ioprio, &class, &level))
				cfq_change_prio(cfqd, cfqq, class, level,
						false);
		}
	}
}

static void cfq_init_cfqq(struct cfq_data *cfqd, struct cfq_queue *cfqq,
			  pid_t pid, bool is_sync, unsigned short class,
			  unsigned short level)
{
	RB_CLEAR_NODE(&cfqq->st.rb_node);
	cfqq->st.st = NULL;
	RB_CLEAR_NODE(&cfqq->p_node);
	cfqq->sort_list = RB_ROOT;
	INIT_LIST_HEAD(&cfqq->fifo);

	cfqq->cfqd = cfqd;
	cfqq->ioprio_class = class;
	cfqq->org_ioprio_class = class;
	cfqq->ioprio = level;
	cfqq->org_ioprio = level;
	if (is_sync) {
		cfq_mark_cfqq_sync(cfqq);
		if (class != IOPRIO_CLASS_IDLE)
			cfq_mark_cfqq_idle_window(cfqq);
	}
	cfqq->pid = pid;
	cfq_ttime_init(&cfqq->ttime, cfq_now());
}

static void cfq_link_cfqq_cfqg(struct cfq_queue *cfqq, struct cfq_group *cfqg)
{
	WRITE_ONCE(cfqq->cfqg, cfqg);
	cfqg_get(cfqg);
}

static struct cfq_queue *cfq_alloc_queue(struct cfq_data *cfqd,
					 struct cfq_group *cfqg, bool is_sync,
					 pid_t pid, unsigned short class,
					 unsigned short level)
{
	struct cfq_queue *cfqq;

	cfqq = kmem_cache_alloc_node(cfq_pool,
				     GFP_NOWAIT | __GFP_ZERO | __GFP_NOWARN,
				     cfqd->queue->node);
	if (!cfqq)
		return NULL;
	atomic_inc(&cfq_nr_queues);
	cfq_init_cfqq(cfqd, cfqq, pid, is_sync, class, level);
	cfq_link_cfqq_cfqg(cfqq, cfqg);
	cfq_log_cfqq(cfqd, cfqq, "alloced %s/%u", cfq_class_name(class), level);
	return cfqq;
}

static struct cfq_queue **cfq_async_queue_prio(struct cfq_group *cfqg,
					       unsigned short class,
					       unsigned short level)
{
	switch (class) {
	case IOPRIO_CLASS_RT:
		return &cfqg->async_cfqq[0][level];
	case IOPRIO_CLASS_IDLE:
		return &cfqg->async_idle_cfqq;
	default:
		return &cfqg->async_cfqq[1][level];
	}
}

/* The async queue of a class and level, created and pinned on first use. */
static struct cfq_queue *cfq_async_queue(struct cfq_data *cfqd,
					 struct cfq_group *cfqg,
					 unsigned short class,
					 unsigned short level)
{
	struct cfq_queue **slot = cfq_async_queue_prio(cfqg, class, level);
	struct cfq_queue *cfqq = *slot;

	if (cfqq)
		return cfqq;
	cfqq = cfq_alloc_queue(cfqd, cfqg, false, 0, class, level);
	if (!cfqq)
		return &cfqd->oom_cfqq;
	cfqq->ref++;		/* the group's pin, until it goes away */
	*slot = cfqq;
	return cfqq;
}

void cfq_put_async_queues(struct cfq_data *cfqd, struct cfq_group *cfqg)
{
	int i, lvl;

	for (i = 0; i < 2; i++) {
		for (lvl = 0; lvl < CFQ_PRIO_LEVELS; lvl++) {
			if (cfqg->async_cfqq[i][lvl]) {
				cfq_put_queue(cfqg->async_cfqq[i][lvl]);
				cfqg->async_cfqq[i][lvl] = NULL;
			}
		}
	}
	if (cfqg->async_idle_cfqq) {
		cfq_put_queue(cfqg->async_idle_cfqq);
		cfqg->async_idle_cfqq = NULL;
	}
}

/*
 * Move @cfqq, with its queued and in-flight requests, to @cfqg: its group
 * went offline (cfq-cgroup.c).  A busy queue leaves its old group's tree
 * and joins the new group's.
 */
void cfq_move_cfqq(struct cfq_data *cfqd, struct cfq_queue *cfqq,
		   struct cfq_group *cfqg)
{
	struct cfq_group *old = cfqq->cfqg;
	u64 now = cfq_now();
	struct request *rq;
	bool busy;

	lockdep_assert_held(&cfqd->lock);

	if (old == cfqg || cfqq == &cfqd->oom_cfqq)
		return;
	cfq_log_cfqq(cfqd, cfqq, "move to another group");
	if (cfqq == cfqd->active_queue)
		__cfq_slice_expired(cfqd, cfqq, false, now);

	busy = cfq_cfqq_on_rr(cfqq);
	if (busy)
		cfq_del_cfqq_rr(cfqd, cfqq);
	list_for_each_entry(rq, &cfqq->fifo, queuelist) {
		cfqg_stats_update_io_remove(old, rq);
		cfqg_stats_update_io_add(cfqg, rq);
	}
	old->dispatched -= cfqq->dispatched;
	cfqg->dispatched += cfqq->dispatched;
	cfqg_tags_add(old, cfqq->dispatched - cfqq->nr_rqs);
	cfqg_tags_add(cfqg, cfqq->nr_rqs - cfqq->dispatched);

	cfq_link_cfqq_cfqg(cfqq, cfqg);
	if (busy)
		cfq_add_cfqq_rr(cfqd, cfqq, now);
	cfqg_put(old);
}

/* The process of @cic now uses the queue it was to be merged into. */
static struct cfq_queue *cfq_merge_cfqqs(struct cfq_data *cfqd,
					 struct cfq_io_cq *cic,
					 struct cfq_queue *cfqq)
{
	cfq_log_cfqq(cfqd, cfqq, "merging with queue %d", cfqq->new_cfqq->pid);
	cic_set_cfqq(cic, cfqq->new_cfqq);
	cfq_mark_cfqq_coop(cfqq->new_cfqq);
	cfqd->stats.queue_merges++;
	cfq_put_queue(cfqq);
	return cic->cfqq;
}

/*
 * The processes sharing @cfqq stopped cooperating: @cic's process gets
 * its own queue again.  Return: @cfqq if it was the last process on it,
 * else NULL (a new queue must be allocated).
 */
static struct cfq_queue *cfq_split_cfqq(struct cfq_data *cfqd,
					struct cfq_io_cq *cic,
					struct cfq_queue *cfqq)
{
	cfq_log_cfqq(cfqd, cfqq, "breaking apart cfqq");
	if (cfqq_process_refs(cfqq) == 1) {
		cfqq->pid = cic->pid;
		cfq_clear_cfqq_coop(cfqq);
		cfq_clear_cfqq_split_coop(cfqq);
		return cfqq;
	}

	cic_set_cfqq(cic, NULL);
	cfq_put_cooperator(cfqq);
	cfq_put_queue(cfqq);
	return NULL;
}

/*
 * The queue @rq goes to: the sync queue of its io context, or the async
 * queue of its class and level.  Done at insertion, not in
 * prepare_request, as a prepared request may still turn into one that
 * never reaches the scheduler.  The caller takes the request's reference.
 */
static struct cfq_queue *cfq_rq_queue(struct cfq_data *cfqd, struct request *rq)
{
	struct cfq_io_cq *cic = rq->elv.icq ? icq_to_cic(rq->elv.icq) : NULL;
	struct cfq_group *cfqg = cfq_rq_group(cfqd, rq);
	unsigned short class, level;
	struct cfq_queue *cfqq;

	cfq_ioprio_class_level(elvx_rq_ioprio(rq), &class, &level);
	if (!rq_is_sync(rq))
		return cfq_async_queue(cfqd, cfqg, class, level);
	if (!cic)
		return &cfqd->oom_cfqq;

	cfqq = cic->cfqq;
	if (cfqq && (cfqq->cfqg != cfqg || cfqq == &cfqd->oom_cfqq)) {
		/* moved to another group, or retry after running out */
		cic_set_cfqq(cic, NULL);
		cfq_put_queue(cfqq);
		cfqq = NULL;
	}
	if (cfqq && cfq_cfqq_coop(cfqq) && cfq_cfqq_split_coop(cfqq))
		cfqq = cfq_split_cfqq(cfqd, cic, cfqq);
	if (cfqq && cfqq->new_cfqq)
		cfqq = cfq_merge_cfqqs(cfqd, cic, cfqq);

	if (!cfqq) {
		cfqq = cfq_alloc_queue(cfqd, cfqg, true, READ_ONCE(cic->pid),
				       class, level);
		if (!cfqq)
			cfqq = &cfqd->oom_cfqq;
		if (!cic->exited) {
			cic_set_cfqq(cic, cfqq);
			cfqq->ref++;	/* the process's reference */
		}
	}
	cic->ioprio_seen = READ_ONCE(cic->icq.ioc->ioprio);
	return cfqq;
}

/* ------------------------- request arrival --------------------------- */

static void cfq_update_io_thinktime(struct cfq_data *cfqd,
				    struct cfq_queue *cfqq, u64 now)
{
	/*
	 * A request sent while the queue waits for its turn with others
	 * queued says nothing of the process's thinking: the time since its
	 * last completion is the other queues' turns (and, deeper than its
	 * part of the tags, its wait at the tag gate, cfq_tag_gate()).
	 * Counted, it took deep readers for thinkers: they lost their idle
	 * window and moved between the sync and sync-noidle trees.
	 */
	if (cfqq != cfqd->active_queue &&
	    cfqq->queued[0] + cfqq->queued[1] > 1)
		return;
	if (cfq_cfqq_sync(cfqq)) {
		cfq_ttime_update(&cfqq->ttime, now, cfqd->tun.slice_idle);
		if (cfqq->st.st)
			cfq_ttime_update(&cfqq->st.st->ttime, now,
					 cfqd->tun.slice_idle);
	}
	cfq_ttime_update(&cfqq->cfqg->ttime, now, cfqd->tun.group_idle);
}

/* A sync write without REQ_IDLE: the writer will not send more soon. */
static inline bool cfq_req_noidle(struct request *req)
{
	return req_op(req) == REQ_OP_WRITE &&
	       (req->cmd_flags & (REQ_SYNC | REQ_IDLE)) == REQ_SYNC;
}

/*
 * Disable the idle window of a queue whose process thinks too long or
 * seeks too much for idling to pay (cfq_update_idle_window).
 */
static void cfq_update_idle_window(struct cfq_data *cfqd,
				   struct cfq_queue *cfqq)
{
	bool old_idle, enable_idle;

	if (!cfq_cfqq_sync(cfqq) || cfq_class_idle(cfqq))
		return;

	enable_idle = old_idle = cfq_cfqq_idle_window(cfqq);

	if (cfqq->queued[0] + cfqq->queued[1] >= CFQ_DEEP_QUEUED)
		cfq_mark_cfqq_deep(cfqq);

	if (cfqq->next_rq && cfq_req_noidle(cfqq->next_rq))
		enable_idle = false;
	else if (!cfqq_process_refs(cfqq) || !cfqd->tun.slice_idle ||
		 (!cfq_cfqq_deep(cfqq) && cfq_seeky(cfqq->seek_history)))
		enable_idle = false;
	else if (cfq_sample_valid(cfqq->ttime.ttime_samples))
		enable_idle = cfqq->ttime.ttime_mean <= cfqd->tun.slice_idle;

	if (old_idle != enable_idle) {
		cfq_log_cfqq(cfqd, cfqq, "idle=%d", enable_idle);
		if (enable_idle)
			cfq_mark_cfqq_idle_window(cfqq);
		else
			cfq_clear_cfqq_idle_window(cfqq);
	}
}

/*
 * A sync queue whose process thinks longer than slice_idle between its
 * requests, or that has just started (no valid think time yet): it uses
 * the disk a request at a time.
 */
static bool cfq_cfqq_thinks(struct cfq_data *cfqd, struct cfq_queue *cfqq)
{
	return !cfq_sample_valid(cfqq->ttime.ttime_samples) ||
	       cfq_ttime_big(&cfqq->ttime, cfqd->tun.slice_idle);
}

/* A sync queue that has not dispatched CFQ_YOUNG_RQS requests yet. */
static inline bool cfq_cfqq_young(struct cfq_queue *cfqq)
{
	return cfqq->total_dispatched < CFQ_YOUNG_RQS;
}

/*
 * low_latency, with idling: a queue that thinks, or that is young, takes
 * over from a queue of its group and class that streams (sends its next
 * request without thinking), at the same level or a lower one; a young
 * one only from a queue that is not young itself.  Without it the thinker
 * waits out the streamer's slice at each request: a program starting
 * beside a sequential reader waits a slice per file it opens.  A young
 * queue that does not think, such as cat reading small files one after
 * the other, is seeky and has no idle window either (it waits on the
 * sync-noidle tree): without the rule it waits for the streamer's
 * workload slice at each file.  It takes little: a thinker's turn ends
 * when its request is done and it thinks longer than it is served; a
 * young queue is young for CFQ_YOUNG_RQS requests, and the streamer keeps
 * the rest of its slice.  Counts the preemption it allows.  Called from
 * cfq_should_preempt() once the class rules are passed: both queues are
 * RT or both BE.
 */
static bool cfq_think_preempts(struct cfq_data *cfqd,
			       struct cfq_queue *cfqq,
			       struct cfq_queue *new_cfqq)
{
	if (!cfqd->tun.latency || !cfqd->tun.slice_idle ||
	    !cfq_cfqq_sync(cfqq) || !cfq_cfqq_sync(new_cfqq) ||
	    new_cfqq->cfqg != cfqq->cfqg || new_cfqq->ioprio > cfqq->ioprio ||
	    cfq_cfqq_thinks(cfqd, cfqq))
		return false;
	if (cfq_cfqq_thinks(cfqd, new_cfqq)) {
		cfqd->stats.think_preempted++;
		return true;
	}
	if (cfq_cfqq_young(new_cfqq) && !cfq_cfqq_young(cfqq)) {
		cfqd->stats.young_preempted++;
		return true;
	}
	return false;
}

/* Should @new_cfqq, just sent @rq, take over from the active queue? */
static bool cfq_should_preempt(struct cfq_data *cfqd,
			       struct cfq_queue *new_cfqq, struct request *rq,
			       u64 now)
{
	struct cfq_queue *cfqq = cfqd->active_queue;

	if (!cfqq)
		return false;
	if (cfq_class_idle(new_cfqq))
		return false;
	if (cfq_class_idle(cfqq))
		return true;

	/* a non-RT request does not preempt an RT slice */
	if (cfq_class_rt(cfqq) && !cfq_class_rt(new_cfqq))
		return false;

	/* sync beats async, unless async must dispatch */
	if (rq_is_sync(rq) && !cfq_cfqq_sync(cfqq) &&
	    !cfq_cfqq_must_dispatch(cfqq))
		return true;

	/* only within the active group or its ancestors */
	if (!cfqg_is_descendant(cfqq->cfqg, new_cfqq->cfqg))
		return false;

	if (cfq_slice_used(cfqq, now))
		return true;

	/* RT preempts BE */
	if (cfq_class_rt(new_cfqq) && !cfq_class_rt(cfqq))
		return true;

	if (cfq_think_preempts(cfqd, cfqq, new_cfqq))
		return true;

	/* idling on the sync-noidle tree: let another of its queues in */
	if (cfqd->serving_wl_type == CFQ_WL_SYNC_NOIDLE &&
	    cfqq_type(new_cfqq) == CFQ_WL_SYNC_NOIDLE &&
	    RB_EMPTY_ROOT(&cfqq->sort_list))
		return true;

	/* metadata beats regular I/O */
	if ((rq->cmd_flags & REQ_PRIO) && !cfqq->prio_pending)
		return true;

	/* the active queue is empty and should not idle */
	if (RB_EMPTY_ROOT(&cfqq->sort_list) && !cfq_should_idle(cfqd, cfqq))
		return true;

	if (!cfq_cfqq_wait_request(cfqq))
		return false;

	/* as good as what we idle for: close to the head */
	return cfq_rq_close(cfqd, rq);
}

/* @cfqq takes over: expire the active queue, put @cfqq first. */
static void cfq_preempt_queue(struct cfq_data *cfqd, struct cfq_queue *cfqq,
			      u64 now)
{
	enum cfq_wl_type old_type = cfqq_type(cfqd->active_queue);

	cfq_log_cfqq(cfqd, cfqq, "preempt");
	cfqd->stats.preempted++;
	cfq_slice_expired(cfqd, true, now);

	/* a saved slice of another workload type would stop the preemption */
	if (old_type != cfqq_type(cfqq))
		cfqq->cfqg->saved_wl_slice = 0;

	cfq_service_tree_add(cfqd, cfqq, true, now);

	cfqq->slice_end = 0;
	cfq_mark_cfqq_slice_new(cfqq);
}

/* @rq was queued to @cfqq: update histories, stop idling, preempt. */
static void cfq_rq_enqueued(struct cfq_data *cfqd, struct cfq_queue *cfqq,
			    struct request *rq, u64 now)
{
	cfqd->rq_queued++;
	if (rq->cmd_flags & REQ_PRIO)
		cfqq->prio_pending++;
	if (!cfq_class_idle(cfqq))
		cfqd->last_nonidle = now;

	cfq_update_io_thinktime(cfqd, cfqq, now);
	cfqq->seek_history = cfq_seek_update(cfqq->seek_history,
					     cfqq->last_request_pos,
					     blk_rq_pos(rq), blk_rq_sectors(rq),
					     blk_queue_nonrot(cfqd->queue));
	cfq_update_idle_window(cfqd, cfqq);
	cfqq->last_request_pos = blk_rq_pos(rq) + blk_rq_sectors(rq);

	if (cfqq == cfqd->active_queue) {
		/*
		 * We idled for this.  A large request, or others waiting:
		 * stop idling now.  Else let it dispatch, and keep the timer
		 * so that small requests still get a chance to merge.
		 */
		if (cfq_cfqq_wait_request(cfqq)) {
			cfqg_stats_idle_end(cfqq->cfqg, now);
			if (blk_rq_bytes(rq) > PAGE_SIZE ||
			    cfqd->busy_queues > 1) {
				cfq_del_timer(cfqd);
				cfq_clear_cfqq_wait_request(cfqq);
			} else {
				cfq_mark_cfqq_must_dispatch(cfqq);
			}
		}
	} else if (cfq_should_preempt(cfqd, cfqq, rq, now)) {
		cfq_preempt_queue(cfqd, cfqq, now);
	}
}

static void cfq_insert_request(struct cfq_data *cfqd, struct request *rq,
			       bool at_head, struct list_head *free, u64 now)
{
	struct request_queue *q = cfqd->queue;
	struct cfq_queue *cfqq = RQ_CFQQ(rq);

	lockdep_assert_held(&cfqd->lock);

	/* a requeue: still counted in flight, it goes out first */
	if (cfqq && (RQ_CFQ_FLAGS(rq) & CFQ_RQ_DISPATCHED)) {
		list_add(&rq->queuelist, &cfqd->dispatch);
		return;
	}

	if (blk_mq_sched_try_insert_merge(q, rq, free)) {
		cfqd->stats.merged++;
		return;
	}

	trace_block_rq_insert(rq);

	if (!cfqq) {
		/* no finish_request() will come for it: keep it out */
		if (!(rq->rq_flags & ELVX_RQF_ELVPRIV)) {
			if (at_head)
				list_add(&rq->queuelist, &cfqd->dispatch);
			else
				list_add_tail(&rq->queuelist, &cfqd->dispatch);
			return;
		}
		cfqq = cfq_rq_queue(cfqd, rq);
		cfqq->ref++;
		cfqq->nr_rqs++;
		cfqg_tags_add(cfqq->cfqg, 1);
		rq->elv.priv[0] = cfqq;
		rq->elv.priv[1] = NULL;
	}

	if (at_head) {
		list_add(&rq->queuelist, &cfqd->dispatch);
		return;
	}

	cfq_init_prio_data(cfqd, cfqq, rq);
	cfq_log_cfqq(cfqd, cfqq, "insert_request");

	rq->fifo_time = now + cfqd->tun.fifo_expire[rq_is_sync(rq)];
	list_add_tail(&rq->queuelist, &cfqq->fifo);
	cfq_add_rq_rb(cfqd, rq, now);
	cfqg_stats_update_io_add(cfqq->cfqg, rq);
	if (rq_mergeable(rq)) {
		elv_rqhash_add(q, rq);
		if (!q->last_merge)
			q->last_merge = rq;
	}
	cfqd->stats.inserted++;
	cfq_rq_enqueued(cfqd, cfqq, rq, now);
}

/* ---------------------------- completion ----------------------------- */

/*
 * Does the device queue requests itself?  Decided over CFQ_HW_TAG_SAMPLES
 * busy completions.
 */
static void cfq_update_hw_tag(struct cfq_data *cfqd)
{
	struct cfq_queue *cfqq = cfqd->active_queue;

	if (cfqd->rq_in_driver > cfqd->hw_tag_est_depth)
		cfqd->hw_tag_est_depth = cfqd->rq_in_driver;

	if (cfqd->hw_tag == 1)
		return;

	if (cfqd->rq_queued <= CFQ_HW_QUEUE_MIN &&
	    cfqd->rq_in_driver <= CFQ_HW_QUEUE_MIN)
		return;

	/*
	 * An idling queue with few requests may not drive the device
	 * deep enough to tell.
	 */
	if (cfqq && cfq_cfqq_idle_window(cfqq) &&
	    cfqq->dispatched + cfqq->queued[0] + cfqq->queued[1] <
	    CFQ_HW_QUEUE_MIN && cfqd->rq_in_driver < CFQ_HW_QUEUE_MIN)
		return;

	if (cfqd->hw_tag_samples++ < CFQ_HW_TAG_SAMPLES)
		return;

	cfqd->hw_tag = cfqd->hw_tag_est_depth >= CFQ_HW_QUEUE_MIN;
}

/*
 * Should the group's only queue, empty, keep the slice until its next
 * request rather than expire (and let the group lose its turn)?
 */
static bool cfq_should_wait_busy(struct cfq_data *cfqd, struct cfq_queue *cfqq,
				 u64 now)
{
	if (!RB_EMPTY_ROOT(&cfqq->sort_list))
		return false;
	if (cfqq->cfqg->nr_cfqq > 1)
		return false;
	if (cfq_ttime_big(&cfqq->cfqg->ttime, cfqd->tun.group_idle))
		return false;
	if (cfq_slice_used(cfqq, now))
		return true;

	/* less slice left than the think time */
	if (cfq_sample_valid(cfqq->ttime.ttime_samples) &&
	    cfq_slice_left(cfqq, now) < cfqq->ttime.ttime_mean)
		return true;

	/* think times under a jiffy: wait busy in the last jiffy */
	return cfq_slice_left(cfqq, now) <= jiffies_to_nsecs(1);
}

static void cfq_completed_request(struct cfq_data *cfqd,
				  struct cfq_queue *cfqq, struct request *rq,
				  u64 now)
{
	const bool sync = rq_is_sync(rq);

	lockdep_assert_held(&cfqd->lock);

	cfq_log_cfqq(cfqd, cfqq, "complete rqnoidle %d", cfq_req_noidle(rq));
	cfq_update_hw_tag(cfqd);

	cfqd->rq_in_driver--;
	cfqq->dispatched--;
	cfqq->cfqg->dispatched--;
	cfqd->rq_in_flight[cfq_cfqq_sync(cfqq)]--;
	cfqd->stats.completed++;
	cfqg_stats_update_completion(cfqq->cfqg, rq, now);
	rq->elv.priv[1] = NULL;

	if (!cfq_class_idle(cfqq))
		cfqd->last_nonidle = now;

	if (sync) {
		struct cfq_rb_root *st = cfqq->st.st;

		if (!st)
			st = st_for(cfqq->cfqg, cfqq_class(cfqq),
				    cfqq_type(cfqq));
		cfqq->ttime.last_end_request = now;
		st->ttime.last_end_request = now;
		if (now > rq->fifo_time)
			cfqd->in_driver_ns = cfq_in_driver_update(
				cfqd->in_driver_ns, now - rq->fifo_time);
		if (rq->start_time_ns + cfqd->tun.fifo_expire[1] <= now)
			cfqd->last_delayed_sync = now;
	}
	cfqq->cfqg->ttime.last_end_request = now;

	if (cfqd->active_queue != cfqq)
		return;

	/* the slice starts with the first completion */
	if (cfq_cfqq_slice_new(cfqq)) {
		cfq_set_prio_slice(cfqd, cfqq, now);
		cfq_clear_cfqq_slice_new(cfqq);
	}

	if (cfq_should_wait_busy(cfqd, cfqq, now)) {
		u64 extend = cfqd->tun.slice_idle ? cfqd->tun.slice_idle :
						    cfqd->tun.group_idle;

		cfqq->slice_end = now + extend;
		cfq_mark_cfqq_wait_busy(cfqq);
		cfq_log_cfqq(cfqd, cfqq, "will busy wait");
	}

	/*
	 * No idling for used slices, the IDLE class, async queues, queues
	 * with requests, or when a close cooperator can take over.
	 */
	if (cfq_slice_used(cfqq, now) || cfq_class_idle(cfqq))
		__cfq_slice_expired(cfqd, cfqq, true, now);
	else if (sync && RB_EMPTY_ROOT(&cfqq->sort_list) &&
		 !cfq_close_cooperator(cfqd, cfqq))
		cfq_arm_slice_timer(cfqd, now);
}

/* ---------------------------- blk-mq hooks --------------------------- */

/* In the submitter's context: find (or create) its io context's icq. */
static void cfq_prepare_request(struct request *rq)
{
	struct io_cq *icq = ioc_find_get_icq(rq->q);

	rq->elv.icq = icq;
	rq->elv.priv[0] = NULL;
	rq->elv.priv[1] = NULL;
	if (icq) {
		struct cfq_io_cq *cic = icq_to_cic(icq);

		if (!READ_ONCE(cic->pid))
			WRITE_ONCE(cic->pid, current->pid);
	}
}

/* The lock timing of one critical section (cfq_lock_account()). */
void __cfq_lock_account(struct cfq_data *cfqd, enum cfq_lock_site site,
			u64 asked, u64 got)
{
	struct cfq_lock_time *lt = &cfqd->lock_time[site];
	u64 hold = ktime_get_ns() - got, wait = got - asked;

	lockdep_assert_held(&cfqd->lock);
	lt->count++;
	lt->hold_ns += hold;
	lt->wait_ns += wait;
	if (hold > lt->hold_max_ns)
		lt->hold_max_ns = hold;
	if (wait > lt->wait_max_ns)
		lt->wait_max_ns = wait;
}

/*
 * The request is freed: completion accounting if it was dispatched, and
 * drop its references on its queue and io context.  May run in hard
 * interrupt context.
 */
static void cfq_finish_request(struct request *rq)
{
	struct cfq_queue *cfqq = RQ_CFQQ(rq);
	struct io_cq *icq = rq->elv.icq;

	if (cfqq) {
		struct cfq_data *cfqd = cfqq->cfqd;
		bool queued = !(RQ_CFQ_FLAGS(rq) & CFQ_RQ_DISPATCHED);
		u64 lt0 = cfq_lock_clock(cfqd), lt1;
		unsigned long flags;
		bool kick;

		spin_lock_irqsave(&cfqd->lock, flags);
		lt1 = cfq_lock_got(lt0);
		if (!queued) {
			cfq_completed_request(cfqd, cfqq, rq, cfq_now());
		} else if (!RB_EMPTY_NODE(&rq->rb_node)) {
			/* freed while queued (a merge we were not told of) */
			cfq_remove_request(cfqd, rq);
			if (cfq_cfqq_on_rr(cfqq) &&
			    RB_EMPTY_ROOT(&cfqq->sort_list) &&
			    cfqq != cfqd->active_queue)
				cfq_del_cfqq_rr(cfqd, cfqq);
		}
		cfqq->nr_rqs--;
		if (queued)
			cfqg_tags_add(cfqq->cfqg, -1);
		cfq_put_queue(cfqq);
		kick = cfq_kick_needed(cfqd);
		cfq_lock_account(cfqd, CFQ_LOCK_FINISH, lt0, lt1);
		spin_unlock_irqrestore(&cfqd->lock, flags);

		rq->elv.priv[0] = NULL;
		rq->elv.priv[1] = NULL;
		cfq_tag_gate_wake(cfqd);
		if (kick)
			blk_mq_run_hw_queues(cfqd->queue, true);
	}

	if (icq) {
		put_io_context(icq->ioc);
		rq->elv.icq = NULL;
	}
}

static void cfq_insert_requests(struct blk_mq_hw_ctx *hctx,
				struct list_head *list, elvx_insert_t flags)
{
	struct cfq_data *cfqd = hctx->queue->elevator->elevator_data;
	bool at_head = elvx_insert_at_head(flags);
	u64 lt0 = cfq_lock_clock(cfqd), lt1;
	LIST_HEAD(free);
	bool run;
	u64 now;

	spin_lock_irq(&cfqd->lock);
	lt1 = cfq_lock_got(lt0);
	/* one clock read for the batch, under the lock: never behind */
	now = cfq_now();
	while (!list_empty(list)) {
		struct request *rq;

		rq = list_first_entry(list, struct request, queuelist);
		list_del_init(&rq->queuelist);
		cfq_insert_request(cfqd, rq, at_head, &free, now);
	}
	/* the caller runs the hardware queue next */
	cfqd->waiting = false;
	run = cfqd->tun.sync_dispatch;
	cfq_lock_account(cfqd, CFQ_LOCK_INSERT, lt0, lt1);
	spin_unlock_irq(&cfqd->lock);

	blk_mq_free_requests(&free);
	if (run)
		elvx_run_from_submitter(hctx);
}

/*
 * One request to send to the driver, maybe for another hardware queue:
 * the state is shared by all (QUEUE_FLAG_SQ_SCHED).
 */
static struct request *cfq_dispatch_request(struct blk_mq_hw_ctx *hctx)
{
	struct cfq_data *cfqd = hctx->queue->elevator->elevator_data;
	u64 lt0 = cfq_lock_clock(cfqd), lt1;
	struct request *rq;

	spin_lock_irq(&cfqd->lock);
	lt1 = cfq_lock_got(lt0);
	rq = cfq_dispatch_locked(cfqd);
	if (rq)
		rq->rq_flags |= RQF_STARTED;
	cfq_lock_account(cfqd, CFQ_LOCK_DISPATCH, lt0, lt1);
	spin_unlock_irq(&cfqd->lock);

	if (rq)
		cfq_tag_gate_wake(cfqd);
	return rq;
}

/*
 * Racy on purpose: a stale answer costs one useless dispatch call, and
 * whoever clears ->waiting re-runs the queues.
 */
static bool cfq_has_work(struct blk_mq_hw_ctx *hctx)
{
	struct cfq_data *cfqd = hctx->queue->elevator->elevator_data;

	return !list_empty_careful(&cfqd->dispatch) ||
	       (READ_ONCE(cfqd->rq_queued) && !READ_ONCE(cfqd->waiting));
}

/*
 * The current task's link to the device, NULL if it has none yet.  The
 * lookup takes q->queue_lock, which nests outside cfq_data.lock.
 */
static struct cfq_io_cq *cfq_current_cic(struct request_queue *q)
{
	struct cfq_io_cq *cic;
	unsigned long flags;

	if (!current->io_context)
		return NULL;
	spin_lock_irqsave(&q->queue_lock, flags);
	cic = icq_to_cic(ioc_lookup_icq(q));
	spin_unlock_irqrestore(&q->queue_lock, flags);
	return cic;
}

/*
 * May @bio merge at all?  A sync bio merges only into a request of its
 * process's queue (cfq_allow_merge()): with no such queue, or nothing
 * queued in it, there is nothing to take cfqd->lock for.  Racy on
 * purpose, like the rq_queued test: a queue freed meanwhile is still a
 * cfq_queue under RCU (SLAB_TYPESAFE_BY_RCU), and a stale answer costs
 * one merge or one useless look-up.  Async bios are looked up as before.
 */
static bool cfq_bio_may_merge(struct cfq_io_cq *cic, struct bio *bio)
{
	struct cfq_queue *cfqq;
	bool ret;

	if (!op_is_sync(bio->bi_opf))
		return true;
	if (!cic)
		return false;

	rcu_read_lock();
	cfqq = READ_ONCE(cic->cfqq);
	ret = cfqq && READ_ONCE(cfqq->sort_list.rb_node);
	rcu_read_unlock();
	return ret;
}

static bool cfq_bio_merge(struct request_queue *q, struct bio *bio,
			  unsigned int nr_segs)
{
	struct cfq_data *cfqd = q->elevator->elevator_data;
	struct cfq_io_cq *cic;
	struct request *free = NULL;
	u64 lt0, lt1;
	bool ret;

	/* nothing queued, nothing to merge with */
	if (!READ_ONCE(cfqd->rq_queued))
		return false;

	cic = cfq_current_cic(q);
	if (!cfq_bio_may_merge(cic, bio))
		return false;

	lt0 = cfq_lock_clock(cfqd);
	spin_lock_irq(&cfqd->lock);
	lt1 = cfq_lock_got(lt0);
	cfqd->bio_cic = cic;
	ret = blk_mq_sched_try_merge(q, bio, nr_segs, &free);
	cfqd->bio_cic = NULL;
	if (ret)
		cfqd->stats.merged++;
	cfq_lock_account(cfqd, CFQ_LOCK_MERGE, lt0, lt1);
	spin_unlock_irq(&cfqd->lock);

	if (free)
		blk_mq_free_request(free);
	return ret;
}

/* The queue @bio would go to, if it exists. */
static struct cfq_queue *cfq_bio_queue(struct cfq_data *cfqd, struct bio *bio)
{
	struct cfq_group *cfqg = cfq_bio_group(cfqd, bio);
	unsigned short class, level;

	if (op_is_sync(bio->bi_opf))
		return cfqd->bio_cic ? cfqd->bio_cic->cfqq : NULL;

	cfq_ioprio_class_level(bio_prio(bio), &class, &level);
	return *cfq_async_queue_prio(cfqg, class, level);
}

/* Front merge: a request of the bio's queue that starts where it ends. */
static int cfq_request_merge(struct request_queue *q, struct request **req,
			     struct bio *bio)
{
	struct cfq_data *cfqd = q->elevator->elevator_data;
	struct cfq_queue *cfqq;
	struct request *__rq;

	lockdep_assert_held(&cfqd->lock);

	cfqq = cfq_bio_queue(cfqd, bio);
	if (!cfqq)
		return ELEVATOR_NO_MERGE;

	__rq = elv_rb_find(&cfqq->sort_list, bio_end_sector(bio));
	if (__rq && elv_bio_merge_ok(__rq, bio)) {
		*req = __rq;
		if (blk_discard_mergable(__rq))
			return ELEVATOR_DISCARD_MERGE;
		return ELEVATOR_FRONT_MERGE;
	}
	return ELEVATOR_NO_MERGE;
}

static void cfq_request_merged(struct request_queue *q, struct request *req,
			       enum elv_merge type)
{
	struct cfq_data *cfqd = q->elevator->elevator_data;

	lockdep_assert_held(&cfqd->lock);

	/* a front merge moved the request's start */
	if (type == ELEVATOR_FRONT_MERGE && RQ_CFQQ(req))
		cfq_reposition_rq_rb(cfqd, RQ_CFQQ(req), req);
	if (RQ_CFQQ(req))
		cfqg_stats_update_io_merged(RQ_CFQQ(req)->cfqg, req->cmd_flags);
}

/* @next was merged into @rq and goes away. */
static void cfq_requests_merged(struct request_queue *q, struct request *rq,
				struct request *next)
{
	struct cfq_data *cfqd = q->elevator->elevator_data;
	struct cfq_queue *cfqq = RQ_CFQQ(rq);
	struct cfq_queue *ncfqq = RQ_CFQQ(next);

	lockdep_assert_held(&cfqd->lock);

	/* @rq takes @next's place in the FIFO if @next is older */
	if (!list_empty(&rq->queuelist) && !list_empty(&next->queuelist) &&
	    next->fifo_time < rq->fifo_time && cfqq == ncfqq) {
		list_move(&rq->queuelist, &next->queuelist);
		rq->fifo_time = next->fifo_time;
	}

	/* @next may be a request being inserted, not queued yet */
	if (!ncfqq || RB_EMPTY_NODE(&next->rb_node))
		return;

	if (cfqq && cfqq->next_rq == next)
		cfqq->next_rq = rq;
	cfq_remove_request(cfqd, next);
	cfqd->stats.merged++;
	cfqg_stats_update_io_merged(ncfqq->cfqg, next->cmd_flags);

	/* all of a queue's requests may be merged into another queue's */
	if (cfq_cfqq_on_rr(ncfqq) && RB_EMPTY_ROOT(&ncfqq->sort_list) &&
	    ncfqq != cfqd->active_queue)
		cfq_del_cfqq_rr(cfqd, ncfqq);
}

/* A bio merges only into a request of the queue it would go to. */
static bool cfq_allow_merge(struct request_queue *q, struct request *rq,
			    struct bio *bio)
{
	struct cfq_data *cfqd = q->elevator->elevator_data;
	bool is_sync = op_is_sync(bio->bi_opf);
	struct cfq_queue *cfqq = RQ_CFQQ(rq);

	lockdep_assert_held(&cfqd->lock);

	/* no sync bio into an async request */
	if (is_sync && !rq_is_sync(rq))
		return false;
	if (!cfqq)
		return false;
	return cfq_bio_queue(cfqd, bio) == cfqq;
}

/* The submitter's (group's or queue's) part of the tags if over it, or 0. */
static unsigned int cfq_tag_over(struct cfq_data *cfqd, unsigned int nr,
				 const struct cfq_io_cq *cic)
{
	return cfq_cgroup_tag_limit(cfqd, cfq_tags_waiting(cfqd, nr), cic);
}

/*
 * The submitter's link to the device, when its sync queue may be over its
 * part of its group's tags (cfqq_tag_limit()): another sync queue is busy,
 * and the requests waiting in cfq hold half the tags not in the driver or
 * more (fewer leave the tag allocator free tags to hand out).  NULL when
 * not needed.
 */
static struct cfq_io_cq *cfq_tag_cic(struct cfq_data *cfqd, unsigned int nr)
{
	if (READ_ONCE(cfqd->busy_sync_queues) < 2 ||
	    !cfq_tags_contended(cfqd, nr))
		return NULL;
	return cfq_current_cic(cfqd->queue);
}

/*
 * Wait until the submitter's group, and its sync queue, are under their
 * parts of the tags: their requests waiting in cfq are dispatched (or
 * tags leave the driver) and each wakes the gate (cfq_tag_gate_wake()).
 * Waiting here, not in the tag allocator, keeps the tags free for the
 * groups under their part: the allocator hands a freed tag to its
 * waiters in turn, whatever their group, and a group over its part would
 * take the tag of one that cfq has nothing of to serve.  Bounded by CFQ_TAG_GATE_WAIT.  Process
 * context, no lock held.  Return: the part still exceeded, or 0.
 */
static unsigned int cfq_tag_gate(struct cfq_data *cfqd, unsigned int nr,
				 const struct cfq_io_cq *cic)
{
	long left = CFQ_TAG_GATE_WAIT;
	unsigned int limit;
	DEFINE_WAIT(wait);

	for (;;) {
		prepare_to_wait(&cfqd->tag_gate, &wait, TASK_UNINTERRUPTIBLE);
		limit = cfq_tag_over(cfqd, nr, cic);
		if (!limit || left <= 0)
			break;
		left = io_schedule_timeout(left);
	}
	finish_wait(&cfqd->tag_gate, &wait);
	return limit;
}

/*
 * Keep some scheduler tags for sync requests: async requests may take
 * only cfqd->async_depth of them (legacy CFQ had separate sync and async
 * request pools).  A sync request of a group that holds more than its
 * part of the tags not in the driver (cfq_cgroup_tag_limit()) waits at
 * cfq's tag gate until it is under (legacy CFQ's groups each had a
 * request pool to wait on), so that the other groups find tags to queue
 * requests cfq can order; and so does one of a sync queue over its part
 * of its group's (cfqq_tag_limit()), for the other levels and processes
 * of the group.  A submitter that may not sleep (NOWAIT, or
 * reclaim), or that waited CFQ_TAG_GATE_WAIT, may only take a tag within
 * its part of the bitmap.  No cfq_data.lock.
 */
static void cfq_limit_depth(blk_opf_t opf, struct blk_mq_alloc_data *data)
{
	struct cfq_data *cfqd = data->q->elevator->elevator_data;
	unsigned int nr = data->q->nr_requests, limit;
	struct cfq_io_cq *cic;

	if (!op_is_sync(opf)) {
		data->shallow_depth = cfqd->async_depth;
		return;
	}
	cic = cfq_tag_cic(cfqd, nr);
	limit = cfq_tag_over(cfqd, nr, cic);
	if (limit && !(data->flags & BLK_MQ_REQ_NOWAIT) &&
	    !(current->flags & PF_MEMALLOC))
		limit = cfq_tag_gate(cfqd, nr, cic);
	if (limit)
		data->shallow_depth = elvx_shallow_depth_of(limit, nr,
						READ_ONCE(cfqd->tags_shift));
}

ELVX_DEPTH_UPDATED_FN(cfq_depth_updated, hctx)
{
	struct cfq_data *cfqd = hctx->queue->elevator->elevator_data;
	struct sbitmap_queue *bt = &hctx->sched_tags->bitmap_tags;
	unsigned int hw_depth = hctx->queue->tag_set->queue_depth;

	cfqd->async_depth = elvx_shallow_depth(bt, elvx_async_default(bt,
			elvx_async_depth(bt->sb.depth, hw_depth), hw_depth));
	WRITE_ONCE(cfqd->tags_shift, bt->sb.shift);
	/* a group over its part may get as few as one (cfq_limit_depth) */
	sbitmap_queue_min_shallow_depth(bt, 1);
}

static int cfq_init_hctx(struct blk_mq_hw_ctx *hctx, unsigned int hctx_idx)
{
	cfq_depth_updated(ELVX_DEPTH_ARG(hctx));
	return 0;
}

/*
 * The idle timer: the active queue idled for slice_idle without a new
 * request (it expires), or the IDLE class grace period ended.  Hard
 * interrupt context.
 */
static enum hrtimer_restart cfq_idle_slice_timer(struct hrtimer *timer)
{
	struct cfq_data *cfqd = container_of(timer, struct cfq_data,
					     idle_slice_timer);
	enum hrtimer_restart restart = HRTIMER_NORESTART;
	struct cfq_queue *cfqq;
	unsigned long flags;
	bool kick = false;
	u64 now = cfq_now();
	u64 lt0 = cfq_lock_clock(cfqd), lt1;

	spin_lock_irqsave(&cfqd->lock, flags);
	lt1 = cfq_lock_got(lt0);
	/* disarmed since it was queued, or re-queued by cfq_start_timer() */
	if (!cfqd->timer_armed || hrtimer_is_queued(timer))
		goto out;
	/* armed again for later meanwhile: wait until then */
	if (now < cfqd->timer_expires) {
		hrtimer_set_expires(timer, ns_to_ktime(cfqd->timer_expires));
		restart = HRTIMER_RESTART;
		goto out;
	}
	cfq_log(cfqd, "idle timer fired");
	cfqd->timer_armed = false;
	cfqq = cfqd->active_queue;
	if (cfqq && cfq_cfqq_wait_request(cfqq)) {
		/* we saw a request before the queue expired: let it go */
		if (cfq_cfqq_must_dispatch(cfqq))
			goto out_kick;
		if (cfq_slice_used(cfqq, now))
			goto expire;
		if (!cfqd->busy_queues)
			goto out;
		/* not expired and has a request pending: dispatch it */
		if (!RB_EMPTY_ROOT(&cfqq->sort_list))
			goto out_kick;
		/* the idling did not pay: reset the queue depth flag */
		cfq_clear_cfqq_deep(cfqq);
expire:
		__cfq_slice_expired(cfqd, cfqq, false, cfq_now());
	}
out_kick:
	cfqd->waiting = false;
	kick = cfqd->rq_queued || !list_empty(&cfqd->dispatch);
	if (kick)
		cfqd->stats.kicks++;
out:
	cfq_lock_account(cfqd, CFQ_LOCK_TIMER, lt0, lt1);
	spin_unlock_irqrestore(&cfqd->lock, flags);

	if (kick)
		blk_mq_run_hw_queues(cfqd->queue, true);
	return restart;
}

static int cfq_init_sched(struct request_queue *q, elvx_init_sched_t e)
{
	struct elevator_queue *eq;
	struct cfq_data *cfqd;
	u64 now = cfq_now();
	int i, ret;

	eq = elvx_elevator_alloc(q, e);
	if (!eq)
		return -ENOMEM;

	cfqd = kzalloc_node(sizeof(*cfqd), GFP_KERNEL, q->node);
	if (!cfqd) {
		elvx_elevator_put(eq);
		return -ENOMEM;
	}
	eq->elevator_data = cfqd;
	init_waitqueue_head(&cfqd->tag_gate);

	spin_lock_init(&cfqd->lock);
	cfqd->queue = q;
	INIT_LIST_HEAD(&cfqd->dispatch);

	cfq_rb_root_init(&cfqd->grp_service_tree, now);
	cfq_group_init(&cfqd->root_group, NULL, 2 * CFQ_WEIGHT_LEGACY_DFL, now);
	for (i = 0; i < CFQ_PRIO_LEVELS; i++)
		cfqd->prio_trees[i] = RB_ROOT;

	/*
	 * The queue of last resort: async, in the root group, with a
	 * permanent reference.
	 */
	cfq_init_cfqq(cfqd, &cfqd->oom_cfqq, 1, false, IOPRIO_CLASS_BE,
		      CFQ_PRIO_NORM);
	cfqd->oom_cfqq.ref++;
	cfq_link_cfqq_cfqg(&cfqd->oom_cfqq, &cfqd->root_group);

	elvx_hrtimer_setup(&cfqd->idle_slice_timer, cfq_idle_slice_timer,
			   CLOCK_MONOTONIC, HRTIMER_MODE_REL);

	/* default to IOPS mode with no idling for SSDs */
	cfq_tunables_default(&cfqd->tun, blk_queue_nonrot(q));
	cfqd->hw_tag = -1;
	cfqd->async_depth = 1;
	/* start as if no sync request was delayed in the last second */
	cfqd->last_delayed_sync = now - NSEC_PER_SEC;
	cfqd->last_nonidle = now - CFQ_IDLE_GRACE;
	cfqd->serving_wl_type = CFQ_WL_SYNC_NOIDLE;

	/* one set of queues for all hardware queues */
	blk_queue_flag_set(QUEUE_FLAG_SQ_SCHED, q);
	elvx_wbt_disable(eq, q);

	/* the groups of cfq-cgroup.c find cfqd through q->elevator */
	q->elevator = eq;
	ret = cfq_cgroup_init(cfqd);
	if (ret) {
		elvx_wbt_enable(eq, q);
		kfree(cfqd);
		elvx_elevator_put(eq);
	}
	return ret;
}

static void cfq_exit_sched(struct elevator_queue *e)
{
	struct cfq_data *cfqd = e->elevator_data;

	hrtimer_cancel(&cfqd->idle_slice_timer);

	spin_lock_irq(&cfqd->lock);
	cfq_slice_expired(cfqd, false, cfq_now());
	cfq_put_async_queues(cfqd, &cfqd->root_group);
	WARN_ON_ONCE(cfqd->busy_queues || cfqd->rq_queued);
	spin_unlock_irq(&cfqd->lock);

	/* offline and free the groups of the cgroups */
	cfq_cgroup_exit(cfqd);
	hrtimer_cancel(&cfqd->idle_slice_timer);
	elvx_wbt_enable(e, cfqd->queue);
	kfree(cfqd);
}

static struct elevator_type cfq_elv = {
	.ops = {
		.init_sched		= cfq_init_sched,
		.exit_sched		= cfq_exit_sched,
		.init_hctx		= cfq_init_hctx,
		.depth_updated		= cfq_depth_updated,
		.limit_depth		= cfq_limit_depth,
		.allow_merge		= cfq_allow_merge,
		.bio_merge		= cfq_bio_merge,
		.request_merge		= cfq_request_merge,
		.request_merged		= cfq_request_merged,
		.requests_merged	= cfq_requests_merged,
		.prepare_request	= cfq_prepare_request,
		.finish_request		= cfq_finish_request,
		.insert_requests	= cfq_insert_requests,
		.dispatch_request	= cfq_dispatch_request,
		.has_work		= cfq_has_work,
		.former_request		= elv_rb_former_request,
		.next_request		= elv_rb_latter_request,
		.exit_icq		= cfq_exit_icq,
	},
	.icq_size = sizeof(struct cfq_io_cq),
	.icq_align = __alignof__(struct cfq_io_cq),
	.elevator_attrs = cfq_attrs,
#ifdef CONFIG_BLK_DEBUG_FS
	.queue_debugfs_attrs = cfq_queue_debugfs_attrs,
#endif
	.elevator_name = "cfq",
	.elevator_owner = THIS_MODULE,
};

/* cfq_queues and (cgroup) cfq_groups alive on every device. */
void cfq_alive(unsigned int *queues, unsigned int *groups)
{
	*queues = atomic_read(&cfq_nr_queues);
	*groups = cfq_cgroup_alive();
}

int cfq_register(void)
{
	int ret;

	/* cfq_bio_may_merge() looks at queues without cfqd->lock */
	cfq_pool = KMEM_CACHE(cfq_queue, SLAB_TYPESAFE_BY_RCU);
	if (!cfq_pool)
		return -ENOMEM;
	/* the blkcg policy first: elevator instances activate it */
	ret = cfq_cgroup_register();
	if (ret)
		goto out_pool;
	ret = elv_register(&cfq_elv);
	if (ret)
		goto out_cgroup;
	return 0;

out_cgroup:
	cfq_cgroup_unregister();
out_pool:
	kmem_cache_destroy(cfq_pool);
	return ret;
}

void cfq_unregister(void)
{
	elv_unregister(&cfq_elv);
	cfq_cgroup_unregister();
	kmem_cache_destroy(cfq_pool);
}
