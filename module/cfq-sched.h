/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cfq-sched.h: cfq's policy interface, what cfq-sched.c exports -- the
 * tunables, think time, service trees and the groups' place on theirs,
 * and the arithmetic of slices and charges with its fixed point.
 *
 * It uses no blk-mq type and takes no lock, so that cfq-sched.c also
 * builds in userspace: the host unit test (selftests/host/cfq_sched_test.c)
 * includes this header alone.  The callers, in the kernel, hold
 * cfq_data.lock (cfq-iosched.h).
 *
 * See Documentation/cfq-iosched.rst for the design.
 */
#ifndef _CFQ_SCHED_H
#define _CFQ_SCHED_H

#include "cfq-compat.h"

/*
 * Tunable defaults, legacy CFQ's (block/cfq-iosched.c of Linux 4.20).
 * Times are in nanoseconds.
 */
#define CFQ_DEF_QUANTUM		8		/* requests */
#define CFQ_DEF_FIFO_EXPIRE_SYNC (NSEC_PER_SEC / 8)	/* 125 ms */
#define CFQ_DEF_FIFO_EXPIRE_ASYNC (NSEC_PER_SEC / 4)	/* 250 ms */
#define CFQ_DEF_BACK_MAX	(16 * 1024)	/* KiB */
#define CFQ_DEF_BACK_PENALTY	2		/* factor */
#define CFQ_DEF_SLICE_SYNC	(NSEC_PER_SEC / 10)	/* 100 ms */
#define CFQ_DEF_SLICE_ASYNC	(NSEC_PER_SEC / 25)	/* 40 ms */
#define CFQ_DEF_SLICE_ASYNC_RQ	2		/* requests */
#define CFQ_DEF_SLICE_IDLE	(NSEC_PER_SEC / 125)	/* 8 ms */
#define CFQ_DEF_GROUP_IDLE	(NSEC_PER_SEC / 125)	/* 8 ms */
#define CFQ_DEF_TARGET_LATENCY	(NSEC_PER_SEC * 3 / 10)	/* 300 ms */

/* A queue of the IDLE class is put this far behind the last one. */
#define CFQ_IDLE_DELAY		(NSEC_PER_SEC / 5)
/* A group returning to the tree is put this far behind the last one. */
#define CFQ_SLICE_MODE_GROUP_DELAY (NSEC_PER_SEC / 5)
#define CFQ_IOPS_MODE_GROUP_DELAY (HZ / 5)	/* a request count */
/* Below this, a think time or workload slice counts as immediate. */
#define CFQ_MIN_TT		(2 * NSEC_PER_SEC / HZ)
/* A sync queue's weight for its part of its group's tags (not IDLE). */
#define CFQ_TAG_WEIGHT		4
/* Each ioprio level moves a slice by 1/CFQ_SLICE_SCALE of the base. */
#define CFQ_SLICE_SCALE		5
/* Fixed point of vfraction (1 << CFQ_SERVICE_SHIFT is 100%). */
#define CFQ_SERVICE_SHIFT	12
/* Parallel dispatch: a request costs 1 << CFQ_WIDE_SHIFT / slice (ns). */
#define CFQ_WIDE_SHIFT		40
/* Seek distances, in sectors. */
#define CFQQ_SEEK_THR		((sector_t)8 * 100)
#define CFQQ_SECT_THR_NONROT	((sector_t)2 * 32)
/*
 * A think time counts once its decaying count of samples (cfq_ttime, 256
 * for one, each new sample weighing 1/8: 32, 60, 84...) passes this, from
 * the third sample on: one or two say little of a process, and idling on
 * them would be a guess.  Legacy CFQ's figure.
 */
#define CFQ_TTIME_VALID_SAMPLES	80
/* Weight of the history in the average of busy queues. */
#define CFQ_HIST_DIVISOR	4
/* ioprio levels of the RT and BE classes (IOPRIO_NR_LEVELS). */
#define CFQ_PRIO_LEVELS		8
#define CFQ_PRIO_NORM		4
/*
 * Legacy blkio weights, those of cgroup v1 (the v2 ones are the kernel's
 * CGROUP_WEIGHT_*); the root group gets twice the default.
 */
#define CFQ_WEIGHT_LEGACY_MIN	10
#define CFQ_WEIGHT_LEGACY_DFL	500
#define CFQ_WEIGHT_LEGACY_MAX	1000

/* Workload classes: first index of cfq_group.service_trees. */
enum cfq_wl_class {
	CFQ_WL_BE = 0,
	CFQ_WL_RT = 1,
	CFQ_WL_IDLE = 2,
	CFQ_WL_CLASS_NR,
};

/* Workload types: second index of cfq_group.service_trees. */
enum cfq_wl_type {
	CFQ_WL_ASYNC = 0,
	CFQ_WL_SYNC_NOIDLE = 1,
	CFQ_WL_SYNC = 2,
	CFQ_WL_TYPE_NR,
};

/**
 * struct cfq_tunables - the sysfs tunables of one device
 * @quantum: bound of a queue's requests in flight (requests)
 * @fifo_expire: FIFO deadline, [0] async, [1] sync (ns)
 * @back_max: longest backward seek allowed (KiB)
 * @back_penalty: cost factor of a backward seek
 * @slice: base time slice, [0] async, [1] sync (ns)
 * @slice_async_rq: async requests per slice, scaled by level
 * @slice_idle: idle window of a sync queue (ns); 0 selects IOPS mode
 * @group_idle: idle window of a group (ns)
 * @latency: low_latency: shrink slices to fit @target_latency
 * @target_latency: wanted length of a round of busy queues (ns)
 * @sync_dispatch: run the hardware queue from the submitting task
 * @parallel_dispatch: in IOPS mode on a non-rotational device, serve the
 *	other queues of the active queue's tree too (cfq_wide_key())
 *
 * Locking: written by cfq-sysfs.c and read everywhere else under
 * cfq_data.lock.
 */
struct cfq_tunables {
	unsigned int quantum;
	u64 fifo_expire[2];
	unsigned int back_max;
	unsigned int back_penalty;
	u64 slice[2];
	unsigned int slice_async_rq;
	u64 slice_idle;
	u64 group_idle;
	unsigned int latency;
	u64 target_latency;
	unsigned int sync_dispatch;
	unsigned int parallel_dispatch;
};

/**
 * struct cfq_ttime - think time: how long a process takes to send its next
 * request after the previous one completed
 * @last_end_request: when the last request completed (ns)
 * @ttime_total: decaying sum of samples (fixed point, 256 = 1)
 * @ttime_samples: decaying count of samples (fixed point, 256 = 1)
 * @ttime_mean: the mean (ns)
 */
struct cfq_ttime {
	u64 last_end_request;
	u64 ttime_total;
	u64 ttime_samples;
	u64 ttime_mean;
};

/**
 * struct cfq_rb_root - a service tree: queues (or groups) sorted by key
 * @rb: the tree, with its leftmost node cached
 * @rb_rightmost: its rightmost node
 * @count: number of entities on it
 * @min_vdisktime: group trees: floor of the vdisktime keys
 * @ttime: queue trees: think time of the tree's queues
 * @wide_vt: queue trees: virtual time of parallel dispatch, the start key
 *	of the request served last (cfq_wide_key())
 */
struct cfq_rb_root {
	struct rb_root_cached rb;
	struct rb_node *rb_rightmost;
	unsigned int count;
	u64 min_vdisktime;
	struct cfq_ttime ttime;
	u64 wide_vt;
};

/**
 * struct cfq_st_entity - a queue's place on a service tree
 * @rb_node: node on @st
 * @rb_key: service key: lower is served first (ns, from now)
 * @st: the tree it is on, NULL when on none
 * @wide_vt: virtual service received by parallel dispatch: the finish key
 *	of its last request served that way (cfq_wide_served())
 * @wide_st: the tree @wide_vt counts on, NULL if none yet
 */
struct cfq_st_entity {
	struct rb_node rb_node;
	u64 rb_key;
	struct cfq_rb_root *st;
	u64 wide_vt;
	const struct cfq_rb_root *wide_st;
};

/**
 * struct cfq_grp_entity - a group's place in the hierarchy of groups and on
 * the group service tree (as bfq's bfq_entity)
 * @rb_node: node on the group tree, empty while off it
 * @vdisktime: virtual disk time used, scaled by its share (fixed point)
 * @parent: the parent group's entity, NULL for the root group
 * @nr_active: active children, counting itself (its own queues) while
 *	on the tree; a group is active while this is not 0
 * @children_weight: weights of the active children, counting its own
 *	@leaf_weight while on the tree
 * @vfraction: its share of the device while on the tree (fixed point,
 *	1 << CFQ_SERVICE_SHIFT = 100%), set at each activation
 * @weight: weight against its sibling groups
 * @leaf_weight: weight of its own queues against its child groups
 *
 * Locking: the cfq_grp_*() functions are called, and the fields written,
 * under cfq_data.lock; cfq_cgroup_tag_limit() reads @weight, @nr_active
 * and @children_weight without it (READ_ONCE), as a heuristic.
 */
struct cfq_grp_entity {
	struct rb_node rb_node;
	u64 vdisktime;
	struct cfq_grp_entity *parent;
	int nr_active;
	unsigned int children_weight;
	unsigned int vfraction;
	unsigned int weight;
	unsigned int leaf_weight;
};

/**
 * struct cfq_rq_pos - what cfq_choose_pos() knows of a request
 * @sector: start sector
 * @sync: synchronous request
 * @prio: REQ_PRIO (metadata) request
 */
struct cfq_rq_pos {
	sector_t sector;
	bool sync;
	bool prio;
};

/**
 * struct cfq_wl_load - the figures a workload slice is computed from
 * @type: workload type chosen
 * @group_slice: the group's share of target_latency (ns)
 * @count: busy queues on the chosen tree
 * @busy_avg: the group's average of busy queues in the class
 * @busy_class: busy queues of the class in the group
 * @busy_async: busy async queues in the group
 * @busy_total: busy queues of the device
 */
struct cfq_wl_load {
	enum cfq_wl_type type;
	u64 group_slice;
	unsigned int count;
	unsigned int busy_avg;
	unsigned int busy_class;
	unsigned int busy_async;
	unsigned int busy_total;
};

static inline bool cfq_sample_valid(u64 samples)
{
	return samples > CFQ_TTIME_VALID_SAMPLES;
}

static inline bool cfq_seeky(u32 seek_history)
{
	return hweight32(seek_history) > 32 / 8;
}

void cfq_tunables_default(struct cfq_tunables *t, bool nonrot);

void cfq_ttime_init(struct cfq_ttime *tt, u64 now);
void cfq_ttime_update(struct cfq_ttime *tt, u64 now, u64 idle);
bool cfq_ttime_big(const struct cfq_ttime *tt, u64 idle);
u32 cfq_seek_update(u32 history, sector_t last_end, sector_t pos,
		    unsigned int nr_sectors, bool nonrot);

u64 cfq_prio_slice(const struct cfq_tunables *t, bool sync,
		   unsigned int prio);
u64 cfq_group_slice(const struct cfq_tunables *t, unsigned int vfraction);
unsigned int cfq_avg_queues(unsigned int *avg, unsigned int busy);
u64 cfq_scaled_slice(const struct cfq_tunables *t, bool sync,
		     unsigned int prio, unsigned int avg_queues,
		     unsigned int vfraction);
u64 cfq_drain_time(u64 slice_idle, unsigned int dispatched,
		   u64 allocated_slice, u64 prio_slice, u64 in_driver);
u64 cfq_in_driver_update(u64 mean, u64 sample);
unsigned int cfq_prio_to_maxrq(const struct cfq_tunables *t,
			       unsigned int prio);
u64 cfq_slice_offset(const struct cfq_tunables *t, unsigned int nr_others,
		     bool sync, unsigned int prio);
u64 cfq_workload_slice(const struct cfq_tunables *t,
		       const struct cfq_wl_load *load);
const struct cfq_rq_pos *cfq_choose_pos(const struct cfq_tunables *t,
					const struct cfq_rq_pos *p1,
					const struct cfq_rq_pos *p2,
					sector_t last);

void cfq_rb_root_init(struct cfq_rb_root *st, u64 now);
void cfq_st_add(struct cfq_rb_root *st, struct cfq_st_entity *e, u64 key);
void cfq_st_del(struct cfq_st_entity *e);
struct cfq_st_entity *cfq_st_first(struct cfq_rb_root *st);
struct cfq_st_entity *cfq_st_last(struct cfq_rb_root *st);
u64 cfq_st_key_normal(u64 now, u64 offset, s64 resid);
u64 cfq_st_key_idle(struct cfq_rb_root *st, const struct cfq_st_entity *e,
		    u64 now);
u64 cfq_st_key_front(struct cfq_rb_root *st, u64 now);

void cfq_grp_st_add(struct cfq_rb_root *st, struct cfq_grp_entity *g);
void cfq_grp_st_del(struct cfq_rb_root *st, struct cfq_grp_entity *g);
struct cfq_grp_entity *cfq_grp_st_first(struct cfq_rb_root *st);
struct cfq_grp_entity *cfq_grp_st_last(struct cfq_rb_root *st);
u64 cfq_grp_activation_vdisktime(struct cfq_rb_root *st, bool iops);
u64 cfq_scale_charge(u64 charge, unsigned int vfraction);
void cfq_grp_init(struct cfq_grp_entity *g, struct cfq_grp_entity *parent,
		  unsigned int weight);
unsigned int cfq_grp_activate(struct cfq_rb_root *st,
			      struct cfq_grp_entity *g);
void cfq_grp_deactivate(struct cfq_rb_root *st, struct cfq_grp_entity *g);
u64 cfq_grp_charge(const struct cfq_grp_entity *g, u64 charge);
void cfq_grp_set_weight(struct cfq_grp_entity *g, unsigned int weight);
unsigned int cfq_grp_tag_limit(unsigned int limit, unsigned int weight,
			       unsigned int sum);
unsigned int cfq_tag_weight(bool idle_class);
bool cfq_weight_valid(u64 weight, unsigned int min, unsigned int max,
		      bool zero_resets);
u64 cfq_slice_usage(u64 now, u64 dispatch_start, u64 slice_start,
		    u64 allocated_slice, u64 *unaccounted);
u64 cfq_wide_key(const struct cfq_rb_root *st, const struct cfq_st_entity *e);
void cfq_wide_served(struct cfq_rb_root *st, struct cfq_st_entity *e,
		     u64 slice);
bool cfq_wide_fits(unsigned int dispatched, u64 weight, unsigned int flight,
		   u64 weights);
u64 cfq_slice_charge(u64 used, unsigned int slice_dispatch,
		     u64 allocated_slice, bool iops, bool async_only);

#endif /* _CFQ_SCHED_H */
