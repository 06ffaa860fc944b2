/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cfq: completely fair queueing for blk-mq -- the scheduler state, and the
 * interfaces between cfq-iosched.c (blk-mq glue), cfq-cgroup.c (groups of
 * cgroups), cfq-sysfs.c (tunables) and cfq-debugfs.c (debugfs views).
 * The policy arithmetic (cfq-sched.c) has its own header, cfq-sched.h,
 * free of blk-mq for the host unit test.
 *
 * See Documentation/cfq-iosched.rst for the design.
 */
#ifndef _CFQ_IOSCHED_H
#define _CFQ_IOSCHED_H

#include <linux/blkdev.h>
#include <linux/blktrace_api.h>
#include <linux/hrtimer.h>
#include <linux/iocontext.h>
#include <linux/ioprio.h>
#include <linux/spinlock.h>

#include "compat.h"
#include "cfq-sched.h"

/*
 * The IDLE class is served only once RT and BE have been quiet (nothing
 * inserted, nothing completed) for this long.
 */
#define CFQ_IDLE_GRACE		(NSEC_PER_SEC / 5)
/*
 * The longest a submitter waits at the tag gate (cfq_limit_depth()): its
 * group's requests are dispatched or complete long before, and each of
 * those wakes it; this only bounds a wake-up that never comes.
 */
#define CFQ_TAG_GATE_WAIT	(HZ / 10)
/* The least part of the tags a sync queue is held to (cfqq_tag_limit()). */
#define CFQ_TAG_PART_MIN	8
/* Requests in flight above which a device is taken to queue (NCQ). */
#define CFQ_HW_QUEUE_MIN	5
/*
 * Busy completions (more than CFQ_HW_QUEUE_MIN requests queued or in
 * flight) after which the deepest depth seen decides whether the device
 * queues (hw_tag): enough for a queueing device to have taken more than
 * CFQ_HW_QUEUE_MIN at once, few enough to decide in the first moments of
 * load.  Legacy CFQ's count.
 */
#define CFQ_HW_TAG_SAMPLES	50
/*
 * A queue that has this many requests queued at once is deep: its process
 * keeps several in flight (AIO, threads sharing an io context), so its
 * seeks do not take its idle window away, as the device has several of
 * its requests to order.  It stays deep until idling for it does not pay.
 * Legacy CFQ's figure.
 */
#define CFQ_DEEP_QUEUED		4
/*
 * low_latency: a sync queue is young until it has dispatched this many
 * requests, and a young queue may preempt a streaming one (see
 * cfq_think_preempts()).  Enough for a program to start (python3 with its
 * standard library: a few hundred reads) or for a command to read a few
 * hundred small files; a long-lived reader is young for its first few
 * seconds at most.
 */
#define CFQ_YOUNG_RQS		256
/* Distance (sectors) from the disk head within which a request is close. */
#define CFQQ_CLOSE_THR		((sector_t)8 * 1024)

struct cfq_data;

/* Flags of struct cfq_queue; see CFQ_CFQQ_FNS() below. */
enum cfqq_state_flags {
	CFQ_CFQQ_FLAG_on_rr = 0,	/* on a service tree (busy) */
	CFQ_CFQQ_FLAG_wait_request,	/* idling for a request */
	CFQ_CFQQ_FLAG_must_dispatch,	/* must be allowed a dispatch */
	CFQ_CFQQ_FLAG_fifo_expire,	/* FIFO checked in this slice */
	CFQ_CFQQ_FLAG_idle_window,	/* slice idling enabled */
	CFQ_CFQQ_FLAG_slice_new,	/* no request completed in slice */
	CFQ_CFQQ_FLAG_sync,		/* synchronous queue */
	CFQ_CFQQ_FLAG_coop,		/* shared by cooperating processes */
	CFQ_CFQQ_FLAG_split_coop,	/* shared queue to be split */
	CFQ_CFQQ_FLAG_deep,		/* had a deep queue */
	CFQ_CFQQ_FLAG_wait_busy,	/* waiting for the group's next rq */
};

/**
 * struct cfq_queue - requests of one process (sync) or of one class and
 * level (async), served in time slices
 * @ref: references: one per io context pointing at it, one per request
 *	associated with it, one pin for async queues, and those a queue
 *	merge moves to it
 * @nr_rqs: requests holding a reference
 * @flags: CFQ_CFQQ_FLAG_* bits
 * @cfqd: the device
 * @st: place on its group's service tree
 * @p_node: node on the cfq_data.prio_trees tree of its level, keyed by
 *	the sector of @next_rq, to find close cooperators
 * @p_root: that tree, NULL when on none
 * @sort_list: queued requests by sector
 * @next_rq: request to dispatch next, if the FIFO does not expire
 * @queued: queued requests, [0] async, [1] sync
 * @fifo: queued requests in insertion order
 * @dispatch_start: when it became the active queue (ns)
 * @allocated_slice: length of its current slice (ns)
 * @slice_start: when its current slice started: first completion (ns)
 * @slice_end: when its current slice ends (ns)
 * @slice_resid: slice left at its last expiry; negative for an overrun
 * @slice_dispatch: requests dispatched in the current slice, with those of
 *	the other queues of its tree while it is active (parallel dispatch)
 * @prio_pending: queued REQ_PRIO requests
 * @dispatched: requests dispatched and not yet completed
 * @ioprio: level in use (0 highest .. 7 lowest)
 * @org_ioprio: level asked for; @ioprio differs while boosted
 * @ioprio_class: class in use (IOPRIO_CLASS_RT, _BE or _IDLE)
 * @org_ioprio_class: class asked for
 * @pid: process that created it
 * @seek_history: one bit per request, set when it was a seek
 * @last_request_pos: end sector of its last queued request
 * @ttime: think time of its processes
 * @new_cfqq: the queue this one is to be merged into (cooperators)
 * @cic: the io context it serves (one of them when shared), NULL for
 *	async queues and once its processes exited
 * @cfqg: its group
 * @nr_sectors: sectors dispatched in the current slice
 * @total_dispatched: requests ever dispatched (debugfs)
 * @tag_weight: a busy sync queue's weight in its group's @sync_weight
 *	(cfq_tag_weight()), 0 while not busy or async
 *
 * Locking: every field is protected by cfq_data.lock.  A queue is freed
 * when @ref drops to 0, with cfq_data.lock held; its memory stays a
 * cfq_queue for RCU readers (SLAB_TYPESAFE_BY_RCU), so that
 * cfq_bio_may_merge() may look at @sort_list, and cfqq_tag_limit() at
 * @cfqg, @tag_weight and @queued, without the lock, as hints
 * (WRITE_ONCE where they change).
 */
struct cfq_queue {
	int ref;
	int nr_rqs;
	unsigned int flags;
	struct cfq_data *cfqd;
	struct cfq_st_entity st;
	struct rb_node p_node;
	struct rb_root *p_root;
	struct rb_root sort_list;
	struct request *next_rq;
	int queued[2];
	struct list_head fifo;
	u64 dispatch_start;
	u64 allocated_slice;
	u64 slice_start;
	u64 slice_end;
	s64 slice_resid;
	unsigned int slice_dispatch;
	int prio_pending;
	int dispatched;
	unsigned short ioprio, org_ioprio;
	unsigned short ioprio_class, org_ioprio_class;
	pid_t pid;
	u32 seek_history;
	sector_t last_request_pos;
	struct cfq_ttime ttime;
	struct cfq_queue *new_cfqq;
	struct cfq_io_cq *cic;
	struct cfq_group *cfqg;
	unsigned long nr_sectors;
	u64 total_dispatched;
	unsigned int tag_weight;
};

#define CFQ_CFQQ_FNS(name)						\
static inline void cfq_mark_cfqq_##name(struct cfq_queue *cfqq)		\
{									\
	cfqq->flags |= (1 << CFQ_CFQQ_FLAG_##name);			\
}									\
static inline void cfq_clear_cfqq_##name(struct cfq_queue *cfqq)	\
{									\
	cfqq->flags &= ~(1 << CFQ_CFQQ_FLAG_##name);			\
}									\
static inline bool cfq_cfqq_##name(const struct cfq_queue *cfqq)	\
{									\
	return cfqq->flags & (1 << CFQ_CFQQ_FLAG_##name);		\
}

CFQ_CFQQ_FNS(on_rr);
CFQ_CFQQ_FNS(wait_request);
CFQ_CFQQ_FNS(must_dispatch);
CFQ_CFQQ_FNS(fifo_expire);
CFQ_CFQQ_FNS(idle_window);
CFQ_CFQQ_FNS(slice_new);
CFQ_CFQQ_FNS(sync);
CFQ_CFQQ_FNS(coop);
CFQ_CFQQ_FNS(split_coop);
CFQ_CFQQ_FNS(deep);
CFQ_CFQQ_FNS(wait_busy);
#undef CFQ_CFQQ_FNS

static inline bool cfq_class_idle(const struct cfq_queue *cfqq)
{
	return cfqq->ioprio_class == IOPRIO_CLASS_IDLE;
}

static inline bool cfq_class_rt(const struct cfq_queue *cfqq)
{
	return cfqq->ioprio_class == IOPRIO_CLASS_RT;
}

/* Counters of struct cfqg_stats, by direction (blkg_rwstat's order). */
enum cfqg_stat_dir {
	CFQG_STAT_READ,
	CFQG_STAT_WRITE,
	CFQG_STAT_SYNC,
	CFQG_STAT_ASYNC,
	CFQG_STAT_DISCARD,
	CFQG_STAT_NR,
};

/**
 * struct cfqg_stats - a group's statistics (io.cfq.stat, blkio.cfq.*)
 * @ios: requests dispatched, by direction
 * @bytes: bytes dispatched, by direction
 * @service_time: dispatch to completion, by direction (ns)
 * @wait_time: insertion to dispatch, by direction (ns)
 * @merged: bios and requests merged into the group's requests
 * @queued: requests queued now (not a sum: kept across resets)
 * @idle_time: time the device idled for the group's queues (ns)
 * @dequeue: times the group left the group service tree
 * @time: disk time charged, in snapshots and in removed children's
 *	sums; the live figure is cfq_group.time_used (ns)
 *
 * Locking: cfq_data.lock.
 */
struct cfqg_stats {
	u64 ios[CFQG_STAT_NR];
	u64 bytes[CFQG_STAT_NR];
	u64 service_time[CFQG_STAT_NR];
	u64 wait_time[CFQG_STAT_NR];
	u64 merged[CFQG_STAT_NR];
	u64 queued[CFQG_STAT_NR];
	u64 idle_time;
	u64 dequeue;
	u64 time;
};

/**
 * struct cfqg_blkcg - a group as the blkcg policy data of a (cgroup,
 * device) pair; see cfq-cgroup.c
 * @pd: the blkcg core's part
 * @cfqd: the device
 * @ref: references: the blkcg core's until pd_free, one per queue linked
 *	to the group, one per child group; the root group has none
 * @online: the cgroup lives; requests of an offline group go to its
 *	first online ancestor
 * @pin_parent: holds a reference on cfq_group.parent (not the root)
 * @dev_weight: the cgroup's weight on this device, 0 if none
 * @nr_tags: requests of the group and of its descendants waiting in cfq,
 *	each holding a scheduler tag (linked to one of their queues at
 *	insertion, until dispatched or freed); cfq_limit_depth() weighs it
 *	against the group's share
 * @wanting: 1 while this group is counted in its parent's @want_count
 *	(it asked for a tag while off the group tree), 0 if not
 * @want_count: the child groups asking for tags while off the
 *	tree: groups waiting in the tag allocator, which cfq cannot see
 * @idle_start: when the device began idling for the group, 0 if not
 * @stats: its counters
 * @dead_stats: counters of its removed descendants
 *
 * Locking: @ref, @nr_tags, @wanting and @want_count are atomic; @pd is
 * the blkcg core's; the rest is protected by cfq_data.lock.
 */
struct cfqg_blkcg {
	struct blkg_policy_data pd;
	struct cfq_data *cfqd;
	refcount_t ref;
	bool online;
	bool pin_parent;
	unsigned int dev_weight;
	atomic_t nr_tags;
	atomic_t wanting;
	atomic_t want_count;
	u64 idle_start;
	struct cfqg_stats stats;
	struct cfqg_stats dead_stats;
};

/**
 * struct cfq_group - queues sharing a weight; every queue belongs to one
 * @ent: place in the hierarchy (parent, weights, share) and on
 *	cfq_data.grp_service_tree (key: vdisktime), kept by cfq-sched.c
 * @nr_cfqq: busy queues in the group
 * @busy_queues_avg: decaying average of busy queues, per class
 * @service_trees: busy queues, [class: BE, RT][type: async, sync-noidle,
 *	sync]
 * @service_tree_idle: busy queues of the IDLE class
 * @saved_wl_slice: workload slice left when the group was expired (ns)
 * @saved_wl_type: workload type it was serving then
 * @saved_wl_class: workload class it was serving then
 * @dispatched: its requests in flight
 * @ttime: think time of the group
 * @async_cfqq: async queues, [0] RT, [1] BE, by level
 * @async_idle_cfqq: async queue of the IDLE class
 * @time_used: disk time charged to it (ns, for debugfs)
 * @sync_weight: the tag_weight of its busy sync queues, summed: the parts
 *	of its tags (cfqq_tag_limit())
 * @cg: its blkcg policy data and statistics (cfq-cgroup.c)
 *
 * Locking: every field is protected by cfq_data.lock (but see struct
 * cfq_grp_entity and struct cfqg_blkcg); @sync_weight is also read
 * without it (WRITE_ONCE).  The root group is embedded in
 * struct cfq_data; the groups of other cgroups are allocated by
 * cfq-cgroup.c and reference counted (cfqg_get(), cfqg_put()).
 */
struct cfq_group {
	struct cfq_grp_entity ent;
	int nr_cfqq;
	unsigned int busy_queues_avg[CFQ_WL_CLASS_NR];
	struct cfq_rb_root service_trees[2][CFQ_WL_TYPE_NR];
	struct cfq_rb_root service_tree_idle;
	u64 saved_wl_slice;
	enum cfq_wl_type saved_wl_type;
	enum cfq_wl_class saved_wl_class;
	int dispatched;
	struct cfq_ttime ttime;
	struct cfq_queue *async_cfqq[2][CFQ_PRIO_LEVELS];
	struct cfq_queue *async_idle_cfqq;
	u64 time_used;
	unsigned int sync_weight;
	struct cfqg_blkcg cg;
};

/* The parent group of @cfqg, NULL for the root group. */
static inline struct cfq_group *cfqg_parent(const struct cfq_group *cfqg)
{
	struct cfq_grp_entity *p = cfqg->ent.parent;

	return p ? container_of(p, struct cfq_group, ent) : NULL;
}

/**
 * struct cfq_io_cq - a process's (io context's) link to one device
 * @icq: the block layer's part; must be first
 * @cfqq: its sync queue, NULL until its first sync request
 * @pid: process that first sent a request through it
 * @exited: cfq_exit_icq() ran: no new queue may be attached
 * @ioprio_seen: the io context's ioprio at its last request
 *
 * Locking: @cfqq, @exited and @ioprio_seen are protected by
 * cfq_data.lock; @cfqq is also read without it (READ_ONCE, under RCU) by
 * cfq_bio_may_merge(), as a hint.  @pid is set once without lock
 * (WRITE_ONCE) in the submitter's context.
 */
struct cfq_io_cq {
	struct io_cq icq;
	struct cfq_queue *cfqq;
	pid_t pid;
	bool exited;
	unsigned short ioprio_seen;
};

/*
 * Where the request path takes cfq_data.lock, for the lock timing of
 * debugfs sched/lock_time (off by default: cfq_lock_clock()).
 */
enum cfq_lock_site {
	CFQ_LOCK_INSERT,	/* cfq_insert_requests() */
	CFQ_LOCK_DISPATCH,	/* cfq_dispatch_request() */
	CFQ_LOCK_MERGE,		/* cfq_bio_merge() */
	CFQ_LOCK_FINISH,	/* cfq_finish_request() */
	CFQ_LOCK_TIMER,		/* cfq_idle_slice_timer() */
	CFQ_LOCK_SITES,
};

/**
 * struct cfq_lock_time - cfq_data.lock at one site, while timing is on
 * @count: times taken
 * @hold_ns: time held, summed (from acquired to just before release)
 * @hold_max_ns: longest hold
 * @wait_ns: time spent spinning for it, summed
 * @wait_max_ns: longest wait
 */
struct cfq_lock_time {
	u64 count;
	u64 hold_ns;
	u64 hold_max_ns;
	u64 wait_ns;
	u64 wait_max_ns;
};

/**
 * struct cfq_stats - event counters shown in debugfs
 * @inserted: requests inserted into queues
 * @dispatched: requests dispatched from queues
 * @completed: dispatched requests completed
 * @merged: requests and bios merged
 * @preempted: active queues preempted
 * @think_preempted: of those, by a queue that thinks (cfq_think_preempts)
 * @young_preempted: of those, by a young queue that does not think (same)
 * @expired: slices expired
 * @idled: idle timers armed
 * @queue_merges: cooperating queues merged
 * @rescued: dispatches forced because nothing would have woken us
 * @kicks: re-runs of the hardware queues after dispatch held back
 * @timer_starts: hrtimer_start() calls for the idle timer (cfq_start_timer())
 * @wide: requests dispatched from a queue other than the active one
 *	(parallel dispatch, cfq_wide_pick())
 */
struct cfq_stats {
	u64 inserted;
	u64 dispatched;
	u64 completed;
	u64 merged;
	u64 preempted;
	u64 think_preempted;
	u64 young_preempted;
	u64 expired;
	u64 idled;
	u64 queue_merges;
	u64 rescued;
	u64 kicks;
	u64 timer_starts;
	u64 wide;
};

/**
 * struct cfq_data - per device state of the cfq elevator
 * @lock: protects everything below and the cfq_queue, cfq_group and
 *	cfq_io_cq fields; taken with interrupts disabled, as requests
 *	complete and the idle timer fires in hard interrupt context
 * @lock_timing: time @lock at each site (debugfs sched/lock_time); read
 *	before taking @lock, hence next to it
 * @queue: the request queue
 * @grp_service_tree: busy groups by vdisktime
 * @root_group: the root group
 * @serving_wl_class: workload class being served
 * @serving_wl_type: workload type being served
 * @workload_expires: end of the current workload slice (ns)
 * @workload_slice: length of the last workload slice chosen (ns), for
 *	debugfs
 * @serving_group: group being served
 * @prio_trees: busy queues by the sector of their next request, per level
 * @busy_queues: queues on a service tree
 * @busy_sync_queues: sync queues among them
 * @rq_in_driver: requests dispatched and not completed
 * @rq_in_flight: the same, [0] of async queues, [1] of sync queues
 * @rq_queued: requests in queues (not counting @dispatch)
 * @hw_tag: device queues requests itself: 1 yes, 0 no, -1 not known yet
 * @hw_tag_est_depth: deepest @rq_in_driver seen
 * @hw_tag_samples: samples taken for @hw_tag
 * @idle_slice_timer: ends idling, and the IDLE class grace period
 * @timer_expires: when the idle timer is to act (ns)
 * @timer_armed: the idle timer is to act at @timer_expires; @idle_slice_timer
 *	may fire earlier, or after a disarm (cfq_start_timer())
 * @active_queue: queue being served, NULL when none
 * @last_position: end sector of the last dispatched request
 * @tun: tunables
 * @oom_cfqq: queue of last resort when a queue cannot be allocated
 * @last_delayed_sync: completion of the last sync request that waited
 *	longer than fifo_expire_sync (ns)
 * @last_nonidle: last RT or BE insertion or completion (ns)
 * @waiting: dispatch held requests back (idling, depth limits); the next
 *	event that may change that must re-run the hardware queues
 * @async_depth: data->shallow_depth of async requests, for
 *	elvx_async_depth() of the scheduler tags (elvx_shallow_depth())
 * @tags_shift: log2 of the bits per word of the scheduler tags' sbitmap,
 *	for the shallow depth of a group over its part (cfq_limit_depth)
 * @dispatch: requests to dispatch first (at-head insertions, requeues,
 *	requests without scheduler data)
 * @bio_cic: the submitter's cfq_io_cq while cfq_bio_merge() runs
 * @tag_gate: submitters of groups over their part of the tags, waiting
 *	in cfq_limit_depth() rather than in the tag allocator
 * @stats: event counters
 * @lock_time: the lock timing per site (debugfs sched/lock_time), while
 *	@lock_timing is on
 */
struct cfq_data {
	spinlock_t lock;
	bool lock_timing;
	struct request_queue *queue;

	struct cfq_rb_root grp_service_tree;
	struct cfq_group root_group;

	enum cfq_wl_class serving_wl_class;
	enum cfq_wl_type serving_wl_type;
	u64 workload_expires;
	u64 workload_slice;
	struct cfq_group *serving_group;

	struct rb_root prio_trees[CFQ_PRIO_LEVELS];

	unsigned int busy_queues;
	unsigned int busy_sync_queues;

	int rq_in_driver;
	int rq_in_flight[2];
	int rq_queued;

	/* sync requests' mean ns from dispatch to completion, 0 for none */
	u64 in_driver_ns;

	int hw_tag;
	int hw_tag_est_depth;
	unsigned int hw_tag_samples;

	struct hrtimer idle_slice_timer;
	u64 timer_expires;
	bool timer_armed;
	struct cfq_queue *active_queue;
	sector_t last_position;

	struct cfq_tunables tun;

	struct cfq_queue oom_cfqq;

	u64 last_delayed_sync;
	u64 last_nonidle;
	bool waiting;
	unsigned int async_depth;
	unsigned int tags_shift;

	struct list_head dispatch;
	struct cfq_io_cq *bio_cic;
	struct wait_queue_head tag_gate;

	struct cfq_stats stats;

	struct cfq_lock_time lock_time[CFQ_LOCK_SITES];
};

/*
 * Lock timing: cfq_lock_clock() before taking cfq_data.lock, the time
 * asked; cfq_lock_got() once taken; cfq_lock_account() just before
 * releasing it.  Off, it costs a flag read next to the lock and two
 * tests of a zero time per site.
 */
static inline u64 cfq_lock_clock(const struct cfq_data *cfqd)
{
	return unlikely(READ_ONCE(cfqd->lock_timing)) ? ktime_get_ns() : 0;
}

static inline u64 cfq_lock_got(u64 asked)
{
	return unlikely(asked) ? ktime_get_ns() : 0;
}

void __cfq_lock_account(struct cfq_data *cfqd, enum cfq_lock_site site,
			u64 asked, u64 got);

static inline void cfq_lock_account(struct cfq_data *cfqd,
				    enum cfq_lock_site site, u64 asked, u64 got)
{
	if (unlikely(got))
		__cfq_lock_account(cfqd, site, asked, got);
}

/* Requests know their queue and whether they were counted in flight. */
#define RQ_CFQQ(rq)		((struct cfq_queue *)(rq)->elv.priv[0])
#define CFQ_RQ_DISPATCHED	1UL
#define RQ_CFQ_FLAGS(rq)	((unsigned long)(rq)->elv.priv[1])

static inline struct cfq_io_cq *icq_to_cic(struct io_cq *icq)
{
	/* cic->icq is the first member, %NULL will convert to %NULL */
	return container_of(icq, struct cfq_io_cq, icq);
}

/*
 * IOPS mode: with no idling on a queueing device, disk time cannot be
 * measured per queue, so service is charged in requests.
 */
static inline bool cfq_iops_mode(const struct cfq_data *cfqd)
{
	return !cfqd->tun.slice_idle && cfqd->hw_tag;
}

/*
 * Parallel dispatch: in IOPS mode on a non-rotational device, the other
 * sync queues of the active queue's tree dispatch too (cfq_wide_pick()),
 * while its group is the only busy one: groups take turns, and the
 * requests a group left in flight would delay the next group's turn.
 */
static inline bool cfq_wide(const struct cfq_data *cfqd,
			    const struct cfq_queue *active)
{
	return cfqd->tun.parallel_dispatch && cfq_iops_mode(cfqd) &&
	       blk_queue_nonrot(cfqd->queue) && cfq_cfqq_sync(active) &&
	       !cfq_class_idle(active) && active->st.st &&
	       cfqd->grp_service_tree.count <= 1;
}

/* Time left in the slice; 0 when used up or not started. */
static inline u64 cfq_slice_left(const struct cfq_queue *cfqq, u64 now)
{
	if (cfq_cfqq_slice_new(cfqq) || now >= cfqq->slice_end)
		return 0;
	return cfqq->slice_end - now;
}

static inline enum cfq_wl_class cfqq_class(const struct cfq_queue *cfqq)
{
	if (cfq_class_idle(cfqq))
		return CFQ_WL_IDLE;
	if (cfq_class_rt(cfqq))
		return CFQ_WL_RT;
	return CFQ_WL_BE;
}

static inline enum cfq_wl_type cfqq_type(const struct cfq_queue *cfqq)
{
	if (!cfq_cfqq_sync(cfqq))
		return CFQ_WL_ASYNC;
	if (!cfq_cfqq_idle_window(cfqq))
		return CFQ_WL_SYNC_NOIDLE;
	return CFQ_WL_SYNC;
}

static inline struct cfq_rb_root *st_for(struct cfq_group *cfqg,
					 enum cfq_wl_class class,
					 enum cfq_wl_type type)
{
	if (class == CFQ_WL_IDLE)
		return &cfqg->service_tree_idle;
	return &cfqg->service_trees[class][type];
}

/*
 * A group's seven service trees by index: BE's async, sync-noidle and
 * sync trees (0-2), RT's (3-5), then the IDLE tree (6).
 */
#define CFQG_NR_ST	(2 * CFQ_WL_TYPE_NR + 1)

static inline struct cfq_rb_root *cfqg_st(struct cfq_group *cfqg, int i)
{
	if (i < 2 * CFQ_WL_TYPE_NR)
		return &cfqg->service_trees[i / CFQ_WL_TYPE_NR][i % CFQ_WL_TYPE_NR];
	return &cfqg->service_tree_idle;
}

/* Each service tree @st of @cfqg, in index order, @i its index. */
#define for_each_cfqg_st(cfqg, i, st)					\
	for ((i) = 0; (i) < CFQG_NR_ST && ((st) = cfqg_st((cfqg), (i)), 1); \
	     (i)++)

static inline const char *cfq_class_name(unsigned short ioprio_class)
{
	switch (ioprio_class) {
	case IOPRIO_CLASS_RT:
		return "rt";
	case IOPRIO_CLASS_BE:
		return "be";
	case IOPRIO_CLASS_IDLE:
		return "idle";
	default:
		return "none";
	}
}

/* blktrace messages, as legacy CFQ logged them ("cfq<pid><S|A><N> ..."). */
#define cfq_log_cfqq(cfqd, cfqq, fmt, args...)				\
	blk_add_trace_msg((cfqd)->queue, "cfq%d%c%c " fmt, (cfqq)->pid,	\
			  cfq_cfqq_sync(cfqq) ? 'S' : 'A',		\
			  cfqq_type(cfqq) == CFQ_WL_SYNC_NOIDLE ? 'N' : ' ', \
			  ##args)
#define cfq_log(cfqd, fmt, args...)					\
	blk_add_trace_msg((cfqd)->queue, "cfq " fmt, ##args)

/* cfq-sysfs.c */
extern struct elv_fs_entry cfq_attrs[];

/* cfq-debugfs.c */
#ifdef CONFIG_BLK_DEBUG_FS
extern const struct blk_mq_debugfs_attr cfq_queue_debugfs_attrs[];
#endif

/* cfq-iosched.c, for cfq-cgroup.c (under cfq_data.lock) */
void cfq_group_init(struct cfq_group *cfqg, struct cfq_group *parent,
		    unsigned int weight, u64 now);
void cfq_put_async_queues(struct cfq_data *cfqd, struct cfq_group *cfqg);
void cfq_move_cfqq(struct cfq_data *cfqd, struct cfq_queue *cfqq,
		   struct cfq_group *cfqg);
bool cfq_kick_needed(struct cfq_data *cfqd);

/* ---------------- cgroup interface (cfq-cgroup.c) ------------------ */

int cfq_cgroup_register(void);
void cfq_cgroup_unregister(void);
unsigned int cfq_cgroup_alive(void);
int cfq_cgroup_init(struct cfq_data *cfqd);
void cfq_cgroup_exit(struct cfq_data *cfqd);
struct cfq_group *cfq_bio_cfqg(struct cfq_data *cfqd, struct bio *bio);
unsigned int cfq_cgroup_tag_limit(struct cfq_data *cfqd, unsigned int tags,
				  const struct cfq_io_cq *cic);

/*
 * @cfqg joins the group tree: it no longer waits for tags unseen, so its
 * count leaves its parent's want_count (cfqg_tag_limit()).
 */
static inline void cfqg_want_clear(struct cfq_group *cfqg)
{
	unsigned int w;

	if (!cfqg->ent.parent || !atomic_read(&cfqg->cg.wanting))
		return;
	w = atomic_xchg(&cfqg->cg.wanting, 0);
	if (w)
		atomic_sub(w, &cfqg_parent(cfqg)->cg.want_count);
}
void cfqg_free(struct cfq_group *cfqg);

/* A queue or a child group pins its group; the root group is not counted. */
static inline void cfqg_get(struct cfq_group *cfqg)
{
	if (cfqg->ent.parent)
		refcount_inc(&cfqg->cg.ref);
}

static inline void cfqg_put(struct cfq_group *cfqg)
{
	if (cfqg->ent.parent && refcount_dec_and_test(&cfqg->cg.ref))
		cfqg_free(cfqg);
}

/*
 * @nr more (or fewer) requests of @cfqg wait in cfq: count them in the
 * group and its ancestors, for cfq_cgroup_tag_limit().  The root group is
 * never limited, nor counted.
 */
static inline void cfqg_tags_add(struct cfq_group *cfqg, int nr)
{
	for (; cfqg->ent.parent; cfqg = cfqg_parent(cfqg))
		atomic_add(nr, &cfqg->cg.nr_tags);
}

/**
 * cfqq_tag_limit - is the submitter's sync queue over its part of tags?
 * @cfqd: the device
 * @cfqg: the submitter's group
 * @tags: the group's part of the tags of requests waiting in cfq
 * @cic: the submitter's link to the device
 *
 * The processes of a group share its tags as its groups share theirs
 * (cfq_cgroup_tag_limit()): a busy sync queue's part is in the ratio of
 * its tag_weight to its group's sync_weight (equal parts, but for the
 * IDLE class), so that the queue being served finds tags to refill from
 * while the others wait at the gate, not in the tag allocator where they
 * would take the freed tags in arrival order.  The queue being served is
 * not held to its part (as legacy CFQ let it allocate beyond the request
 * pool's limit, ELV_MQUEUE_MUST): holding its submitter at the gate cost
 * an eighth of the IOPS in time-slice mode, and it cannot take more than
 * the others, held to theirs, leave free.  Parts below
 * CFQ_TAG_PART_MIN are not kept: on 8 tags (parts of 2 to 4), three
 * queues lost 40 % of the IOPS to the gate and their shares stayed a
 * third each; raise nr_requests there.  A queue not busy is not
 * limited.  Context: without cfq_data.lock, under RCU; the queue is read
 * as a hint (SLAB_TYPESAFE_BY_RCU), @cfqg only compared with its group.
 * Return: the part exceeded, 0 if none.
 */
static inline unsigned int cfqq_tag_limit(struct cfq_data *cfqd,
					  struct cfq_group *cfqg,
					  unsigned int tags,
					  const struct cfq_io_cq *cic)
{
	const struct cfq_queue *cfqq = READ_ONCE(cic->cfqq);
	unsigned int weight, limit;

	if (!cfqq || READ_ONCE(cfqq->cfqg) != cfqg ||
	    cfqq == READ_ONCE(cfqd->active_queue))
		return 0;
	weight = READ_ONCE(cfqq->tag_weight);
	if (!weight)
		return 0;
	limit = cfq_grp_tag_limit(tags, weight, READ_ONCE(cfqg->sync_weight));
	if (limit >= CFQ_TAG_PART_MIN && READ_ONCE(cfqq->queued[1]) >= (int)limit)
		return limit;
	return 0;
}

/* The tags of requests waiting in cfq: those not in the driver. */
static inline unsigned int cfq_tags_waiting(struct cfq_data *cfqd,
					    unsigned int nr)
{
	return nr - clamp(READ_ONCE(cfqd->rq_in_driver), 0, (int)nr - 1);
}

/*
 * The requests waiting in cfq hold half the tags not in the driver or
 * more: submitters may wait for a tag.  Without the lock, a hint.
 */
static inline bool cfq_tags_contended(struct cfq_data *cfqd, unsigned int nr)
{
	return READ_ONCE(cfqd->rq_queued) >= cfq_tags_waiting(cfqd, nr) / 2;
}

/*
 * The tag gate keeps the queues' parts: the tags are contended, and an
 * equal part of those not in the driver for each busy sync queue is not
 * below CFQ_TAG_PART_MIN (cfqq_tag_limit(); a hint, groups aside).
 */
static inline bool cfq_tags_gated(struct cfq_data *cfqd)
{
	unsigned int nr = cfqd->queue->nr_requests;
	unsigned int busy = max(READ_ONCE(cfqd->busy_sync_queues), 1U);

	return cfq_tags_contended(cfqd, nr) &&
	       cfq_tags_waiting(cfqd, nr) / busy >= CFQ_TAG_PART_MIN;
}

/*
 * A request waiting in cfq went to the driver, or one was freed: the
 * submitters at the tag gate (cfq_limit_depth()) look at their part again.
 */
static inline void cfq_tag_gate_wake(struct cfq_data *cfqd)
{
	if (wq_has_sleeper(&cfqd->tag_gate))
		wake_up(&cfqd->tag_gate);
}

/*
 * Statistics, kept under cfq_data.lock at insertion, merge, dispatch,
 * completion and idling; cfq-cgroup.c shows them.
 */
static inline void cfqg_stat_add(u64 *cnt, blk_opf_t opf, u64 val)
{
	if (op_is_discard(opf))
		cnt[CFQG_STAT_DISCARD] += val;
	else if (op_is_write(opf))
		cnt[CFQG_STAT_WRITE] += val;
	else
		cnt[CFQG_STAT_READ] += val;
	cnt[op_is_sync(opf) ? CFQG_STAT_SYNC : CFQG_STAT_ASYNC] += val;
}

static inline void cfqg_stats_update_io_add(struct cfq_group *cfqg,
					    struct request *rq)
{
	cfqg_stat_add(cfqg->cg.stats.queued, rq->cmd_flags, 1);
}

static inline void cfqg_stats_update_io_remove(struct cfq_group *cfqg,
					       struct request *rq)
{
	cfqg_stat_add(cfqg->cg.stats.queued, rq->cmd_flags, -1);
}

static inline void cfqg_stats_update_io_merged(struct cfq_group *cfqg,
					       blk_opf_t opf)
{
	cfqg_stat_add(cfqg->cg.stats.merged, opf, 1);
}

/* The service time is measured from here: keep the dispatch time. */
static inline void cfqg_stats_update_dispatch(struct cfq_group *cfqg,
					      struct request *rq, u64 now)
{
	cfqg_stat_add(cfqg->cg.stats.ios, rq->cmd_flags, 1);
	cfqg_stat_add(cfqg->cg.stats.bytes, rq->cmd_flags, blk_rq_bytes(rq));
	if (rq->start_time_ns && now > rq->start_time_ns)
		cfqg_stat_add(cfqg->cg.stats.wait_time, rq->cmd_flags,
			      now - rq->start_time_ns);
	rq->io_start_time_ns = now;
}

static inline void cfqg_stats_update_completion(struct cfq_group *cfqg,
						struct request *rq, u64 now)
{
	if (rq->io_start_time_ns && now > rq->io_start_time_ns)
		cfqg_stat_add(cfqg->cg.stats.service_time, rq->cmd_flags,
			      now - rq->io_start_time_ns);
}

static inline void cfqg_stats_idle_start(struct cfq_group *cfqg, u64 now)
{
	cfqg->cg.idle_start = now;
}

static inline void cfqg_stats_idle_end(struct cfq_group *cfqg, u64 now)
{
	if (!cfqg->cg.idle_start)
		return;
	if (now > cfqg->cg.idle_start)
		cfqg->cg.stats.idle_time += now - cfqg->cg.idle_start;
	cfqg->cg.idle_start = 0;
}

static inline void cfqg_stats_update_dequeue(struct cfq_group *cfqg)
{
	cfqg->cg.stats.dequeue++;
}

#endif /* _CFQ_IOSCHED_H */
