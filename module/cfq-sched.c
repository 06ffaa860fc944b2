// SPDX-License-Identifier: GPL-2.0
/*
 * cfq-sched.c: the arithmetic of cfq -- service trees and their keys,
 * time slices, workload slices, the choice between two requests, think
 * time, seek history and the vdisktime of groups.
 *
 * Nothing here knows blk-mq, takes a lock or reads the clock: callers
 * pass "now" and hold cfq_data.lock.  The same file is built by the host
 * unit test (selftests/host/cfq_sched_test.c) through cfq-compat.h.
 *
 * Figures and formulas are legacy CFQ's (block/cfq-iosched.c, Linux 4.20);
 * the comments name the legacy function each one comes from.
 */
#include "cfq-sched.h"

/**
 * cfq_tunables_default - legacy defaults of the tunables
 * @t: tunables to fill
 * @nonrot: the device is non-rotational: no idling, IOPS mode
 */
void cfq_tunables_default(struct cfq_tunables *t, bool nonrot)
{
	t->quantum = CFQ_DEF_QUANTUM;
	t->fifo_expire[0] = CFQ_DEF_FIFO_EXPIRE_ASYNC;
	t->fifo_expire[1] = CFQ_DEF_FIFO_EXPIRE_SYNC;
	t->back_max = CFQ_DEF_BACK_MAX;
	t->back_penalty = CFQ_DEF_BACK_PENALTY;
	t->slice[0] = CFQ_DEF_SLICE_ASYNC;
	t->slice[1] = CFQ_DEF_SLICE_SYNC;
	t->slice_async_rq = CFQ_DEF_SLICE_ASYNC_RQ;
	t->slice_idle = nonrot ? 0 : CFQ_DEF_SLICE_IDLE;
	t->group_idle = CFQ_DEF_GROUP_IDLE;
	t->latency = 1;
	t->target_latency = CFQ_DEF_TARGET_LATENCY;
	t->sync_dispatch = 1;
	t->parallel_dispatch = 1;
}

/* ------------------------- think time, seeks ------------------------- */

void cfq_ttime_init(struct cfq_ttime *tt, u64 now)
{
	tt->last_end_request = now;
	tt->ttime_total = 0;
	tt->ttime_samples = 0;
	tt->ttime_mean = 0;
}

/**
 * cfq_ttime_update - account one think time sample
 * @tt: think time to update
 * @now: arrival of the new request
 * @idle: idle window; samples are clamped to twice this
 *
 * A decaying average (__cfq_update_io_thinktime): each sample weighs 1/8.
 * It becomes valid (cfq_sample_valid()) from the third sample on.
 */
void cfq_ttime_update(struct cfq_ttime *tt, u64 now, u64 idle)
{
	u64 elapsed = 0;

	if (now > tt->last_end_request)
		elapsed = now - tt->last_end_request;
	elapsed = min_t(u64, elapsed, 2 * idle);

	tt->ttime_samples = (7 * tt->ttime_samples + 256) / 8;
	tt->ttime_total = div_u64(7 * tt->ttime_total + 256 * elapsed, 8);
	tt->ttime_mean = div64_u64(tt->ttime_total + 128, tt->ttime_samples);
}

/* cfq_io_thinktime_big: a valid think time longer than the idle window */
bool cfq_ttime_big(const struct cfq_ttime *tt, u64 idle)
{
	if (!cfq_sample_valid(tt->ttime_samples))
		return false;
	return tt->ttime_mean > idle;
}

/**
 * cfq_seek_update - shift one request into a seek history
 * @history: the queue's history, one bit per request
 * @last_end: end sector of the queue's previous request, 0 if none
 * @pos: start sector of the new request
 * @nr_sectors: its size
 * @nonrot: non-rotational device: small requests count as seeks
 *
 * Return: the new history (cfq_update_io_seektime).
 */
u32 cfq_seek_update(u32 history, sector_t last_end, sector_t pos,
		    unsigned int nr_sectors, bool nonrot)
{
	sector_t sdist = 0;

	if (last_end) {
		if (last_end < pos)
			sdist = pos - last_end;
		else
			sdist = last_end - pos;
	}

	history <<= 1;
	if (nonrot)
		history |= nr_sectors < CFQQ_SECT_THR_NONROT;
	else
		history |= sdist > CFQQ_SEEK_THR;
	return history;
}

/* ------------------------------ slices ------------------------------- */

/**
 * cfq_prio_slice - base slice of a level
 * @t: tunables
 * @sync: sync (slice_sync) or async (slice_async) base
 * @prio: level, 0 (longest) to 7 (shortest)
 *
 * Each level is a fifth of the base away from level 4: with the default
 * slice_sync of 100 ms, levels 0..7 get 180, 160, ... 40 ms.
 */
u64 cfq_prio_slice(const struct cfq_tunables *t, bool sync, unsigned int prio)
{
	u64 base = t->slice[sync];
	u64 step = div_u64(base, CFQ_SLICE_SCALE);

	if (prio >= CFQ_PRIO_LEVELS)
		prio = CFQ_PRIO_LEVELS - 1;
	if (prio <= CFQ_PRIO_NORM)
		return base + step * (CFQ_PRIO_NORM - prio);
	return base - step * (prio - CFQ_PRIO_NORM);
}

/* cfq_group_slice: a group's share of target_latency */
u64 cfq_group_slice(const struct cfq_tunables *t, unsigned int vfraction)
{
	return mul_u64_u64_div_u64(t->target_latency, vfraction,
				   1ULL << CFQ_SERVICE_SHIFT);
}

/**
 * cfq_avg_queues - update a decaying average of busy queues
 * @avg: the average, updated
 * @busy: busy queues now
 *
 * Follows increases quickly and decreases slowly (cfq_group_get_avg_queues).
 *
 * Return: the new average.
 */
unsigned int cfq_avg_queues(unsigned int *avg, unsigned int busy)
{
	unsigned int min_q = min_t(unsigned int, *avg, busy);
	unsigned int max_q = max_t(unsigned int, *avg, busy);

	*avg = ((CFQ_HIST_DIVISOR - 1) * max_q + min_q +
		CFQ_HIST_DIVISOR / 2) / CFQ_HIST_DIVISOR;
	return *avg;
}

/**
 * cfq_scaled_slice - the slice a queue gets (cfq_scaled_cfqq_slice)
 * @t: tunables
 * @sync: sync queue
 * @prio: its level
 * @avg_queues: average busy queues of its class in its group
 * @vfraction: its group's share of the device
 *
 * With low_latency, when the busy queues would take longer than the
 * group's part of target_latency, every slice shrinks in proportion, but
 * not below 2 * slice_idle scaled by level.
 */
u64 cfq_scaled_slice(const struct cfq_tunables *t, bool sync,
		     unsigned int prio, unsigned int avg_queues,
		     unsigned int vfraction)
{
	u64 slice = cfq_prio_slice(t, sync, prio);
	u64 sync_slice = t->slice[1];
	u64 expect_latency, group_slice, low_slice;

	if (!t->latency)
		return slice;

	expect_latency = sync_slice * avg_queues;
	group_slice = cfq_group_slice(t, vfraction);
	if (expect_latency <= group_slice)
		return slice;

	low_slice = mul_u64_u64_div_u64(2 * t->slice_idle, slice, sync_slice);
	low_slice = min_t(u64, slice, low_slice);
	slice = mul_u64_u64_div_u64(slice, group_slice, expect_latency);
	return max_t(u64, slice, low_slice);
}

/**
 * cfq_drain_time - time allowed for a queue's requests in flight to finish
 * @slice_idle: slice_idle
 * @dispatched: the queue's requests in flight
 * @allocated_slice: its slice
 * @prio_slice: the slice of its level, before low_latency scaled it
 * @in_driver: the device's time from dispatch to completion of a sync
 *	request, a decaying average (cfq_in_driver_update()); 0 if not
 *	measured yet
 *
 * Past quantum / 2 requests in flight, a queue with others waiting may
 * send more only while its slice outlasts slice_idle per request in
 * flight (cfq_slice_used_soon).  Over a whole slice, that keeps the queue
 * at half the depth for its last slice_idle * quantum: a fixed time, so
 * the shorter the slice the larger its part at half depth.  Legacy CFQ
 * counted so, and groups whose slices low_latency cut got less service
 * per unit of disk time charged than the others (figures in
 * Documentation/cfq-iosched.rst, "How groups share a device").  Scale
 * that time with the slice, so that every slice spends the same part of
 * its length at each depth.
 *
 * slice_idle per request is a disk's time, serving one at a time.  A
 * device that serves many at once finishes the last request sent about
 * @in_driver after it is sent, however many are in flight: bound the
 * time by it, so that a short slice (level 7's 40 ms) keeps the quantum
 * in flight as long as a long one.  On a disk that serves one at a time
 * the requests in flight wait in the driver and @in_driver grows with
 * them: slice_idle per request stays the bound.
 *
 * Return: the time in ns.
 */
u64 cfq_drain_time(u64 slice_idle, unsigned int dispatched,
		   u64 allocated_slice, u64 prio_slice, u64 in_driver)
{
	u64 drain = slice_idle * dispatched;

	if (allocated_slice && allocated_slice < prio_slice)
		drain = mul_u64_u64_div_u64(drain, allocated_slice, prio_slice);
	if (in_driver && in_driver < drain)
		drain = in_driver;
	return drain;
}

/**
 * cfq_in_driver_update - account one sync request's time in the driver
 * @mean: the decaying average so far, 0 for none
 * @sample: the request's time from dispatch to completion
 *
 * Return: the new average, 7/8 of the old one and 1/8 of @sample; the
 * first sample as it is.  Samples are capped at a second (a request
 * that timed out says nothing of the device's pace).
 */
u64 cfq_in_driver_update(u64 mean, u64 sample)
{
	sample = min_t(u64, sample, NSEC_PER_SEC);
	if (!mean)
		return sample ? sample : 1;
	return (mean * 7 + sample) / 8;
}

/* cfq_prio_to_maxrq: async requests a slice of this level may dispatch */
unsigned int cfq_prio_to_maxrq(const struct cfq_tunables *t,
			       unsigned int prio)
{
	if (prio >= CFQ_PRIO_LEVELS)
		prio = CFQ_PRIO_LEVELS - 1;
	return 2 * t->slice_async_rq * (CFQ_PRIO_LEVELS - prio);
}

/**
 * cfq_slice_offset - how far behind "now" a queue is put on its tree
 * @t: tunables
 * @nr_others: other busy queues in its group
 * @sync: sync queue
 * @prio: its level
 *
 * Lower levels wait longer: by the difference between the longest sync
 * slice and the queue's slice.  A queue expiring at the end of its slice
 * is thus keyed by the start of that slice plus the longest slice, and
 * busy queues take one turn each per round, so that their shares follow
 * their slices.  Legacy CFQ multiplied the offset by the number of busy
 * queues less one: with three or more queues the low levels then lost
 * whole turns (figures in Documentation/cfq-iosched.rst, "Service
 * trees").
 */
u64 cfq_slice_offset(const struct cfq_tunables *t, unsigned int nr_others,
		     bool sync, unsigned int prio)
{
	u64 longest = cfq_prio_slice(t, true, 0);
	u64 slice = cfq_prio_slice(t, sync, prio);

	/* (an async slice may be set longer than the longest sync one) */
	if (!nr_others || slice >= longest)
		return 0;
	return longest - slice;
}

/**
 * cfq_workload_slice - length of a workload slice (choose_wl_class_and_type)
 * @t: tunables
 * @l: the workload's figures
 *
 * A workload gets the group's slice in proportion of its queues among the
 * busy queues of the class.  Async workloads get at most their share of
 * target_latency among all busy queues, scaled by slice_async/slice_sync;
 * sync workloads at least 2 * slice_idle.  Never less than CFQ_MIN_TT.
 */
u64 cfq_workload_slice(const struct cfq_tunables *t,
		       const struct cfq_wl_load *l)
{
	unsigned int busy = max_t(unsigned int, l->busy_avg, l->busy_class);
	u64 slice;

	if (!busy)
		busy = 1;
	slice = mul_u64_u64_div_u64(l->group_slice, l->count, busy);

	if (l->type == CFQ_WL_ASYNC) {
		u64 tmp = 0;

		if (l->busy_total)
			tmp = mul_u64_u64_div_u64(t->target_latency,
						  l->busy_async, l->busy_total);
		slice = min_t(u64, slice, tmp);
		slice = mul_u64_u64_div_u64(slice, t->slice[0], t->slice[1]);
	} else {
		slice = max_t(u64, slice, 2 * t->slice_idle);
	}

	return max_t(u64, slice, CFQ_MIN_TT);
}

/* --------------------------- request choice -------------------------- */

/**
 * cfq_choose_pos - which of two requests to serve next (cfq_choose_req)
 * @t: tunables (back_seek_max, back_seek_penalty)
 * @p1: first request, or NULL
 * @p2: second request, or NULL
 * @last: position of the disk head (end of the last request)
 *
 * Sync beats async and REQ_PRIO beats the rest.  Otherwise the nearer
 * request ahead of the head wins; a request behind the head costs its
 * distance times back_seek_penalty, and is only considered within
 * back_seek_max.  A tie goes to the higher sector.  When both are too far
 * behind, the lower sector goes first (one backward seek).
 *
 * Return: @p1 or @p2.
 */
const struct cfq_rq_pos *cfq_choose_pos(const struct cfq_tunables *t,
					const struct cfq_rq_pos *p1,
					const struct cfq_rq_pos *p2,
					sector_t last)
{
	sector_t s1, s2, d1 = 0, d2 = 0;
	sector_t back_max;
	bool wrap1 = false, wrap2 = false;

	if (!p1 || p1 == p2)
		return p2;
	if (!p2)
		return p1;

	if (p1->sync != p2->sync)
		return p1->sync ? p1 : p2;
	if (p1->prio != p2->prio)
		return p1->prio ? p1 : p2;

	s1 = p1->sector;
	s2 = p2->sector;
	back_max = (sector_t)t->back_max * 2;	/* KiB to sectors */

	if (s1 >= last)
		d1 = s1 - last;
	else if (s1 + back_max >= last)
		d1 = (last - s1) * t->back_penalty;
	else
		wrap1 = true;

	if (s2 >= last)
		d2 = s2 - last;
	else if (s2 + back_max >= last)
		d2 = (last - s2) * t->back_penalty;
	else
		wrap2 = true;

	if (!wrap1 && !wrap2) {
		if (d1 < d2)
			return p1;
		if (d2 < d1)
			return p2;
		return s1 >= s2 ? p1 : p2;
	}
	if (!wrap1)
		return p1;
	if (!wrap2)
		return p2;
	/* both behind: start with the one further back */
	return s1 <= s2 ? p1 : p2;
}

/* --------------------------- service trees --------------------------- */

void cfq_rb_root_init(struct cfq_rb_root *st, u64 now)
{
	st->rb = RB_ROOT_CACHED;
	st->rb_rightmost = NULL;
	st->count = 0;
	st->min_vdisktime = 0;
	cfq_ttime_init(&st->ttime, now);
	st->wide_vt = 0;
}

/**
 * cfq_st_add - put a queue on a service tree
 * @st: the tree
 * @e: the queue's entity, on no tree
 * @key: its service key; equal keys go right (behind)
 */
void cfq_st_add(struct cfq_rb_root *st, struct cfq_st_entity *e, u64 key)
{
	struct rb_node **p = &st->rb.rb_root.rb_node, *parent = NULL;
	bool leftmost = true, rightmost = true;

	while (*p) {
		struct cfq_st_entity *__e;

		parent = *p;
		__e = rb_entry(parent, struct cfq_st_entity, rb_node);
		if (key < __e->rb_key) {
			p = &parent->rb_left;
			rightmost = false;
		} else {
			p = &parent->rb_right;
			leftmost = false;
		}
	}

	e->rb_key = key;
	e->st = st;
	rb_link_node(&e->rb_node, parent, p);
	rb_insert_color_cached(&e->rb_node, &st->rb, leftmost);
	if (rightmost)
		st->rb_rightmost = &e->rb_node;
	st->count++;
}

/* cfq_st_del: take a queue off the tree it is on, if any */
void cfq_st_del(struct cfq_st_entity *e)
{
	struct cfq_rb_root *st = e->st;

	if (!st)
		return;
	if (st->rb_rightmost == &e->rb_node)
		st->rb_rightmost = rb_prev(&e->rb_node);
	rb_erase_cached(&e->rb_node, &st->rb);
	RB_CLEAR_NODE(&e->rb_node);
	st->count--;
	e->st = NULL;
}

/* cfq_st_first: the queue to serve first on a tree, NULL if empty */
struct cfq_st_entity *cfq_st_first(struct cfq_rb_root *st)
{
	struct rb_node *n = rb_first_cached(&st->rb);

	return n ? rb_entry(n, struct cfq_st_entity, rb_node) : NULL;
}

/* cfq_st_last: the queue served last on a tree, NULL if empty */
struct cfq_st_entity *cfq_st_last(struct cfq_rb_root *st)
{
	struct rb_node *n = st->rb_rightmost;

	return n ? rb_entry(n, struct cfq_st_entity, rb_node) : NULL;
}

/**
 * cfq_st_key_normal - service key of an RT or BE queue (cfq_service_tree_add)
 * @now: current time
 * @offset: cfq_slice_offset() of the queue
 * @resid: slice left unused at its last expiry; negative for an overrun,
 *	which pushes the queue back
 */
u64 cfq_st_key_normal(u64 now, u64 offset, s64 resid)
{
	u64 key = now + offset;

	/* keys are times: do not wrap below zero (right after boot) */
	if (resid > 0 && (u64)resid > key)
		return 0;
	return key - (u64)resid;
}

/* cfq_st_key_idle: an IDLE queue goes CFQ_IDLE_DELAY behind the last one */
u64 cfq_st_key_idle(struct cfq_rb_root *st, const struct cfq_st_entity *e,
		    u64 now)
{
	struct cfq_st_entity *last = cfq_st_last(st);

	if (last && last != e)
		return last->rb_key + CFQ_IDLE_DELAY;
	return now + CFQ_IDLE_DELAY;
}

/* cfq_st_key_front: a preempting queue goes one second before the first */
u64 cfq_st_key_front(struct cfq_rb_root *st, u64 now)
{
	struct cfq_st_entity *first = cfq_st_first(st);
	u64 key = first ? first->rb_key : now;

	return key > NSEC_PER_SEC ? key - NSEC_PER_SEC : 0;
}

/* ---------------------------- group tree ----------------------------- */

static s64 cfq_grp_key(struct cfq_rb_root *st, struct cfq_grp_entity *g)
{
	return (s64)(g->vdisktime - st->min_vdisktime);
}

/**
 * cfq_grp_st_add - put a group on the group service tree
 * @st: the group tree
 * @g: the group's entity; keyed by vdisktime - min_vdisktime, so that
 *	keys compare right across a wrap of vdisktime
 */
void cfq_grp_st_add(struct cfq_rb_root *st, struct cfq_grp_entity *g)
{
	struct rb_node **p = &st->rb.rb_root.rb_node, *parent = NULL;
	s64 key = cfq_grp_key(st, g);
	bool leftmost = true, rightmost = true;

	while (*p) {
		struct cfq_grp_entity *__g;

		parent = *p;
		__g = rb_entry(parent, struct cfq_grp_entity, rb_node);
		if (key < cfq_grp_key(st, __g)) {
			p = &parent->rb_left;
			rightmost = false;
		} else {
			p = &parent->rb_right;
			leftmost = false;
		}
	}

	rb_link_node(&g->rb_node, parent, p);
	rb_insert_color_cached(&g->rb_node, &st->rb, leftmost);
	if (rightmost)
		st->rb_rightmost = &g->rb_node;
	st->count++;
}

void cfq_grp_st_del(struct cfq_rb_root *st, struct cfq_grp_entity *g)
{
	if (RB_EMPTY_NODE(&g->rb_node))
		return;
	if (st->rb_rightmost == &g->rb_node)
		st->rb_rightmost = rb_prev(&g->rb_node);
	rb_erase_cached(&g->rb_node, &st->rb);
	RB_CLEAR_NODE(&g->rb_node);
	st->count--;
}

/**
 * cfq_grp_st_first - the group to serve next (cfq_get_next_cfqg)
 * @st: the group tree
 *
 * Also raises min_vdisktime, never lowering it, to the first group's
 * vdisktime (update_min_vdisktime).
 *
 * Return: the group with the least vdisktime, NULL if the tree is empty.
 */
struct cfq_grp_entity *cfq_grp_st_first(struct cfq_rb_root *st)
{
	struct rb_node *n = rb_first_cached(&st->rb);
	struct cfq_grp_entity *g;

	if (!n)
		return NULL;
	g = rb_entry(n, struct cfq_grp_entity, rb_node);
	if ((s64)(g->vdisktime - st->min_vdisktime) > 0)
		st->min_vdisktime = g->vdisktime;
	return g;
}

struct cfq_grp_entity *cfq_grp_st_last(struct cfq_rb_root *st)
{
	struct rb_node *n = st->rb_rightmost;

	return n ? rb_entry(n, struct cfq_grp_entity, rb_node) : NULL;
}

/**
 * cfq_grp_activation_vdisktime - vdisktime of a group joining the tree
 * @st: the group tree
 * @iops: IOPS mode
 *
 * A group joins behind the last one (cfq_group_notify_queue_add): it gets
 * no credit for the time it was idle.  As in legacy CFQ the delay is added
 * without the fixed point scaling of vdisktime.
 */
u64 cfq_grp_activation_vdisktime(struct cfq_rb_root *st, bool iops)
{
	struct cfq_grp_entity *last = cfq_grp_st_last(st);

	if (!last)
		return st->min_vdisktime;
	return last->vdisktime + (iops ? CFQ_IOPS_MODE_GROUP_DELAY :
				  CFQ_SLICE_MODE_GROUP_DELAY);
}

/**
 * cfq_scale_charge - vdisktime of some service (cfqg_scale_charge)
 * @charge: service: disk time in ns, or requests in IOPS mode
 * @vfraction: the group's share (fixed point)
 *
 * Return: @charge / @vfraction in CFQ_SERVICE_SHIFT fixed point.  Charges
 * over 2^40 (18 minutes) are taken as 2^40.
 */
u64 cfq_scale_charge(u64 charge, unsigned int vfraction)
{
	const u64 max_charge = U64_MAX >> (2 * CFQ_SERVICE_SHIFT);

	if (!vfraction)
		vfraction = 1;
	charge = min_t(u64, charge, max_charge);
	return div64_u64(charge << (2 * CFQ_SERVICE_SHIFT), vfraction);
}

/* ------------------------- group hierarchy -------------------------- */

/**
 * cfq_grp_init - set up a group's entity, inactive and off the tree
 * @g: the entity
 * @parent: the parent group's entity, NULL for the root group
 * @weight: its weight, and that of its own queues (leaf_weight): 1 or
 *	more (cfq_weight_valid())
 */
void cfq_grp_init(struct cfq_grp_entity *g, struct cfq_grp_entity *parent,
		  unsigned int weight)
{
	RB_CLEAR_NODE(&g->rb_node);
	g->vdisktime = 0;
	g->parent = parent;
	g->nr_active = 0;
	g->children_weight = 0;
	g->vfraction = 0;
	g->weight = weight;
	g->leaf_weight = weight;
}

/**
 * cfq_grp_activate - put a group on the group tree and work out its share
 * @st: the group tree
 * @g: the group's entity, off the tree, its vdisktime set
 *
 * The group's own queues count as one more child of it, of its
 * leaf_weight.  A group that had no active child becomes an active child
 * of its parent, which counts its weight, and so on up to the first
 * ancestor that was active already (cfq_group_service_tree_add).
 *
 * The share (vfraction) compounds, from @g up to the root, each one's
 * weight over the weights active in its parent:
 *
 *	vfr = 4096 * leaf_weight(g) / children_weight(g),
 *	vfr = vfr * weight(pos) / children_weight(parent(pos)), up,
 *
 * in unsigned int, truncated at each level (so below the exact product by
 * less than one unit of 1/4096 per level), and at least 1.  The shares of
 * the other groups on the tree are not recomputed: each group's follows at
 * its next activation (each service takes it off the tree and on again).
 *
 * Return: how many entities became active, @g and its ancestors: 0 when
 * @g was active already (for a child), at most its depth + 1.
 */
unsigned int cfq_grp_activate(struct cfq_rb_root *st,
			      struct cfq_grp_entity *g)
{
	unsigned int vfr = 1 << CFQ_SERVICE_SHIFT, activated = 0;
	struct cfq_grp_entity *pos = g, *parent;
	bool propagate;

	cfq_grp_st_add(st, g);

	propagate = !pos->nr_active++;
	pos->children_weight += pos->leaf_weight;
	vfr = vfr * pos->leaf_weight / pos->children_weight;

	while ((parent = pos->parent)) {
		if (propagate) {
			activated++;
			propagate = !parent->nr_active++;
			parent->children_weight += pos->weight;
		}
		vfr = vfr * pos->weight / parent->children_weight;
		pos = parent;
	}
	if (propagate)
		activated++;

	g->vfraction = max_t(unsigned int, vfr, 1);
	return activated;
}

/**
 * cfq_grp_deactivate - take a group off the group tree
 * @st: the group tree
 * @g: the group's entity, on the tree
 *
 * The undoing of cfq_grp_activate(): its own queues leave its children,
 * and a group left with no active child leaves its parent's, and so on up
 * (cfq_group_service_tree_del).  Each group that became inactive loses
 * its share (vfraction 0); one still active for a child keeps its last.
 */
void cfq_grp_deactivate(struct cfq_rb_root *st, struct cfq_grp_entity *g)
{
	struct cfq_grp_entity *pos = g;
	bool propagate;

	propagate = !--pos->nr_active;
	pos->children_weight -= pos->leaf_weight;

	while (propagate) {
		struct cfq_grp_entity *parent = pos->parent;

		pos->vfraction = 0;
		if (!parent)
			break;
		propagate = !--parent->nr_active;
		parent->children_weight -= pos->weight;
		pos = parent;
	}

	cfq_grp_st_del(st, g);
}

/**
 * cfq_grp_charge - the vdisktime a group is charged for some service
 * @g: the group's entity, with the share of its last activation
 * @charge: cfq_slice_charge(): disk time in ns, or requests in IOPS mode
 *
 * Return: cfq_scale_charge() of @charge by the group's vfraction, to add
 * to its vdisktime.  Take it before cfq_grp_deactivate(), which may zero
 * the share (a share of 0 counts as 1).
 */
u64 cfq_grp_charge(const struct cfq_grp_entity *g, u64 charge)
{
	return cfq_scale_charge(charge, g->vfraction);
}

/**
 * cfq_grp_set_weight - give a group a new weight, now
 * @g: the group's entity
 * @weight: its weight, and that of its own queues: 1 or more
 *	(cfq_weight_valid())
 *
 * The parent's children_weight counts @g's weight while @g is active
 * (nr_active), and @g's own counts its leaf_weight while @g is on the
 * tree: both sums follow.  The shares computed from them follow at each
 * group's next activation.
 */
void cfq_grp_set_weight(struct cfq_grp_entity *g, unsigned int weight)
{
	if (g->nr_active && g->parent)
		g->parent->children_weight += weight - g->weight;
	g->weight = weight;

	if (!RB_EMPTY_NODE(&g->rb_node))
		g->children_weight += weight - g->leaf_weight;
	g->leaf_weight = weight;
}

/**
 * cfq_grp_tag_limit - a group's part of its parent's scheduler tags
 * @limit: the parent's part, in tags (at the top, the tags of requests
 *	waiting in cfq)
 * @weight: the group's weight for its part: 1 (equal parts), or a sync
 *	queue's tag weight (cfq_tag_weight())
 * @sum: the weights it shares the parent's part with, its own included:
 *	for groups the count of the parent's active children and of the
 *	groups waiting for tags off the tree (want_count)
 *
 * The caller reads the weights without cfq_data.lock, and goes down from
 * the root's children to the group, each part the next one's @limit
 * (cfq_cgroup_tag_limit()).
 *
 * Return: @limit * @weight / @sum rounded to the closest, at least 1; 0
 * when @weight is all of @sum (or more, in a stale reading): no part is
 * taken at this level.
 */
unsigned int cfq_grp_tag_limit(unsigned int limit, unsigned int weight,
			       unsigned int sum)
{
	if (weight >= sum)
		return 0;
	return max_t(unsigned int, DIV_ROUND_CLOSEST(limit * weight, sum), 1U);
}

/**
 * cfq_tag_weight - a sync queue's weight for its part of its group's tags
 * @idle_class: the queue is of the IDLE class
 *
 * The sync queues of a group hold equal parts of its tags, whatever their
 * level: a level's share comes from its slice (or, in IOPS mode, from its
 * charge per request), and a queue needs as many requests queued as any
 * other to keep the device as busy in its slice as the others keep it in
 * theirs.  Parts in the ratio of the slices were tried: with time slices,
 * a level 7 queue holding 7 tags of 56 kept fewer in flight in its slice,
 * and its share fell to a quarter of its ideal.  The IDLE class, served
 * only when the others are quiet, holds a quarter of a part.  The parts
 * are those of cfq_grp_tag_limit() with the weights of the group's busy
 * sync queues as the sum.
 */
unsigned int cfq_tag_weight(bool idle_class)
{
	return idle_class ? 1 : CFQ_TAG_WEIGHT;
}

/**
 * cfq_weight_valid - may a cgroup file set this weight?
 * @weight: the number written (blkio.weight's is a u64)
 * @min: the file's least weight: 1 on cgroup v2, CFQ_WEIGHT_LEGACY_MIN on v1
 * @max: its greatest: 10000 on v2, CFQ_WEIGHT_LEGACY_MAX on v1
 * @zero_resets: 0 is also taken, to remove a weight (blkio.weight_device)
 *
 * A group's weight is never 0: the shares divide by sums of weights.
 */
bool cfq_weight_valid(u64 weight, unsigned int min, unsigned int max,
		      bool zero_resets)
{
	if (!weight && zero_resets)
		return true;
	return weight >= min && weight <= max;
}

/**
 * cfq_slice_usage - disk time a queue used in its slice (cfq_cfqq_slice_usage)
 * @now: expiry time
 * @dispatch_start: when it became active
 * @slice_start: when its slice started (first completion), 0 if none yet
 * @allocated_slice: its slice length
 * @unaccounted: time not charged: past the slice, or before it started
 *
 * A queue expired before any completion is charged the time since it
 * became active, at least one jiffy, so that seeky queues pay for their
 * seeks.  Otherwise the time since the slice started, at most the slice.
 */
u64 cfq_slice_usage(u64 now, u64 dispatch_start, u64 slice_start,
		    u64 allocated_slice, u64 *unaccounted)
{
	u64 used;

	*unaccounted = 0;
	if (!slice_start || slice_start >= now) {
		used = now > dispatch_start ? now - dispatch_start : 0;
		return max_t(u64, used, jiffies_to_nsecs(1));
	}

	used = now - slice_start;
	if (used > allocated_slice) {
		*unaccounted = used - allocated_slice;
		used = allocated_slice;
	}
	if (slice_start > dispatch_start)
		*unaccounted += slice_start - dispatch_start;
	return used;
}

/* ------------------------- parallel dispatch ------------------------- */
/*
 * In IOPS mode on a non-rotational device, cfq serves the other queues of
 * the active queue's tree too, one request at a time, in start-time fair
 * queueing: each queue has a virtual service (cfq_st_entity.wide_vt) that
 * a request moves on by 1 << CFQ_WIDE_SHIFT over the queue's slice, so
 * that queues that all have requests waiting are served in the ratio of
 * their slices, legacy CFQ's ratio of levels.  The next request comes from
 * the queue with the lowest start key.
 */

/**
 * cfq_wide_key - the start key of @e's next request on @st
 * @st: the queue tree
 * @e: a queue on it
 *
 * Its virtual service, but not below the tree's virtual time (the key of
 * the request served last): a queue that had nothing to send brings no
 * credit back.  A queue last served on another tree (its class, level or
 * workload type changed) starts from the tree's virtual time.
 */
u64 cfq_wide_key(const struct cfq_rb_root *st, const struct cfq_st_entity *e)
{
	if (e->wide_st != st || (s64)(e->wide_vt - st->wide_vt) < 0)
		return st->wide_vt;
	return e->wide_vt;
}

/**
 * cfq_wide_served - @e sent a request: move the virtual times on
 * @st: the queue tree
 * @e: the queue served, on @st
 * @slice: its slice (cfq_prio_slice()), its weight (ns)
 */
void cfq_wide_served(struct cfq_rb_root *st, struct cfq_st_entity *e,
		     u64 slice)
{
	u64 key = cfq_wide_key(st, e);

	st->wide_vt = key;
	e->wide_st = st;
	e->wide_vt = key + div64_u64(1ULL << CFQ_WIDE_SHIFT,
				     max_t(u64, slice, 1));
}

/**
 * cfq_wide_fits - may a queue have one more request in flight?
 * @dispatched: its requests in flight
 * @weight: its slice (ns)
 * @flight: requests in flight of the queues compared, itself included
 * @weights: the sum of their slices
 *
 * Its part of the requests in flight, one more counted, must stay below
 * its part of the weights: @dispatched / (@flight + 1) < @weight /
 * @weights.  The start keys alone decide only while the device is full;
 * when the processes rather than the device limit the throughput, each
 * queue's rate follows its requests in flight, and these parts keep it
 * in the ratio of the slices.  A queue alone, or one with nothing in
 * flight, always fits, and of the queues compared one always does.
 */
bool cfq_wide_fits(unsigned int dispatched, u64 weight, unsigned int flight,
		   u64 weights)
{
	return (u64)dispatched * weights < weight * ((u64)flight + 1);
}

/**
 * cfq_slice_charge - what a group is charged for a slice (cfq_group_served)
 * @used: cfq_slice_usage()
 * @slice_dispatch: requests dispatched in the slice
 * @allocated_slice: the slice length
 * @iops: IOPS mode: charge requests instead of time
 * @async_only: an async queue of a group with no busy sync queue, which
 *	is charged its whole slice
 */
u64 cfq_slice_charge(u64 used, unsigned int slice_dispatch,
		     u64 allocated_slice, bool iops, bool async_only)
{
	if (iops)
		return slice_dispatch;
	if (async_only)
		return allocated_slice;
	return used;
}
