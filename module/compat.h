/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h: every difference between the kernels elvx builds for, Debian
 * 12's 6.1, Debian 13's 6.12 and Debian unstable's 7.2, in one place.  The
 * scheduler files use the helpers below and never test the kernel version
 * themselves.  (Not to be confused with cfq-compat.h, which lets
 * cfq-sched.c build in userspace for the host unit tests.)
 *
 * It also includes the private block-layer headers (block/ of the kernel
 * source, -I$(ELVX_KBLOCK)), whose set changed: 6.12 and 7.2 have no
 * blk-mq-tag.h.
 *
 * Where a difference has a macro to test, that is what is tested; else the
 * kernel version.  Only 6.1.y, 6.12.y and 7.2.y are built and tested: a
 * kernel in between or after stops the build here, until someone checks
 * the list below against it (README.md, "Supported kernels").
 */
#ifndef _ELVX_COMPAT_H
#define _ELVX_COMPAT_H

/*
 * The shallow-depth arithmetic (limit_depth(), below) comes first, plain
 * C that selftests/host/shallow_depth_test.c builds in userspace with
 * ELVX_COMPAT_ARITH_ONLY defined, for both kernels' sbitmap: @whole is 0
 * for a shallow depth counted per sbitmap word, 1 for one counted over
 * the whole bitmap.  A bitmap has @depth bits in words of 1 << @shift
 * bits, the last one maybe shorter.
 *
 * elvx_shallow_tags(): how many tags requests limited to shallow depth @s
 * can hold at once.  Per word (lib/sbitmap.c of 6.1): each word up to
 * min(@s, its bits).  Whole bitmap (6.12.43 and later,
 * __map_depth_with_shallow()): word i of w bits up to w * @s / @depth,
 * one more when the remainder is at least (i + 1) * w, every bit from
 * @s >= @depth on.  That is @s itself on bitmaps of equal words, but not
 * always with a shorter last word (19 tags in words of 4: 9 for 10), and
 * some counts no shallow depth gives; per word it moves in steps of the
 * number of words (4 tags in words of 1 bit: all 4 for any).
 */
static inline unsigned int elvx_shallow_tags(unsigned int s,
					     unsigned int depth,
					     unsigned int shift, int whole)
{
	unsigned int bits = 1U << shift, full = depth >> shift;
	unsigned int last = depth & (bits - 1), tags;

	if (!whole)
		return full * (s < bits ? s : bits) + (s < last ? s : last);
	if (s >= depth)
		return depth;
	/* the full words share quotient and remainder */
	tags = full * (bits * s / depth);
	tags += bits * s % depth / bits < full ?
		bits * s % depth / bits : full;
	if (last)
		tags += last * s / depth +
			(last * s % depth >= (full + 1) * last);
	return tags;
}

/*
 * elvx_shallow_for(): the shallow depth for at most @tags tags: exactly
 * @tags when some shallow depth gives that many, else the most below
 * (the fewest, 1, if even that is more).  elvx_shallow_tags() grows with
 * @s: take the largest @s whose count is not above @tags.  Over the whole
 * bitmap the count of @s is @s or @s - 1 (shallow_depth_test checks it
 * for every bitmap), so that is @tags or @tags + 1, without a search:
 * cfq_limit_depth() asks it for every request of a group over its part.
 * Per word, a search over one word's bits.
 */
static inline unsigned int elvx_shallow_for(unsigned int tags,
					    unsigned int depth,
					    unsigned int shift, int whole)
{
	unsigned int lo = 1, hi = 1U << shift;

	if (whole) {
		if (tags >= depth)
			return depth ? depth : 1;
		if (!tags)
			return 1;
		return elvx_shallow_tags(tags + 1, depth, shift, 1) <= tags ?
		       tags + 1 : tags;
	}
	while (lo < hi) {
		unsigned int mid = hi - (hi - lo) / 2;

		if (elvx_shallow_tags(mid, depth, shift, whole) <= tags)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/*
 * elvx_async_reach(): the count of tags a default async depth of @tags
 * really is: rounded down to what a shallow depth gives, as any async
 * depth, unless that is below @room (writes' room, the device's depth
 * and two: elvx_async_depth()); then rounded up.  An async_depth tunable
 * that starts there shows the tags it gives.
 */
static inline unsigned int elvx_async_reach(unsigned int tags,
					    unsigned int room,
					    unsigned int depth,
					    unsigned int shift, int whole)
{
	unsigned int s = elvx_shallow_for(tags, depth, shift, whole);
	unsigned int got = elvx_shallow_tags(s, depth, shift, whole);

	if (got < tags && got < room)
		got = elvx_shallow_tags(s + 1, depth, shift, whole);
	return got ? got : 1;
}

#ifndef ELVX_COMPAT_ARITH_ONLY

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0) || \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0) && \
	 LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)) || \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0) && \
	 LINUX_VERSION_CODE < KERNEL_VERSION(7, 2, 0)) || \
	LINUX_VERSION_CODE >= KERNEL_VERSION(7, 3, 0)
#error "elvx supports Linux 6.1, 6.12 and 7.2: check the differences here"
#endif

/*
 * 6.12 (and later), and 7.2, where no macro tells a difference apart.
 * Each difference below names the first of these kernels that has it:
 * "7.2" is a change made upstream after 6.12.
 */
#define ELVX_K612	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0))
#define ELVX_K72	(LINUX_VERSION_CODE >= KERNEL_VERSION(7, 2, 0))

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/sbitmap.h>

#include "elevator.h"
#include "blk.h"
#include "blk-mq.h"
#include "blk-mq-debugfs.h"
#include "blk-mq-sched.h"
#if !ELVX_K612
#include "blk-mq-tag.h"		/* 6.1; in blk-mq.h on 6.12 and 7.2 */
#endif
#include "blk-wbt.h"
#ifdef CONFIG_BLK_CGROUP
#include "blk-cgroup.h"
#endif

/*
 * insert_requests(hctx, list, X): 6.1 passes "bool at_head", 6.12
 * "blk_insert_t flags" (BLK_MQ_INSERT_AT_HEAD).  Declare the argument as
 * elvx_insert_t and test it with elvx_insert_at_head().
 */
#ifdef BLK_MQ_INSERT_AT_HEAD
typedef blk_insert_t elvx_insert_t;
static inline bool elvx_insert_at_head(elvx_insert_t flags)
{
	return !!(flags & BLK_MQ_INSERT_AT_HEAD);
}
#else
typedef bool elvx_insert_t;
static inline bool elvx_insert_at_head(elvx_insert_t at_head)
{
	return at_head;
}
#endif

/*
 * init_sched(q, X): up to 6.12 X is the elevator_type and init_sched
 * allocates the elevator_queue (elevator_alloc()) and puts it again when
 * it fails; from 7.2 blk_mq_init_sched() allocates it with the scheduler
 * tags, X is that elevator_queue, and the core puts it when init_sched
 * fails.  Declare the argument as elvx_init_sched_t, get the
 * elevator_queue with elvx_elevator_alloc() and drop it on failure with
 * elvx_elevator_put().  q->elevator is still set by init_sched on all.
 */
#if ELVX_K72
typedef struct elevator_queue *elvx_init_sched_t;

static inline struct elevator_queue *
elvx_elevator_alloc(struct request_queue *q, elvx_init_sched_t eq)
{
	return eq;
}

static inline void elvx_elevator_put(struct elevator_queue *eq)
{
}
#else
typedef struct elevator_type *elvx_init_sched_t;

static inline struct elevator_queue *
elvx_elevator_alloc(struct request_queue *q, elvx_init_sched_t e)
{
	return elevator_alloc(q, e);
}

static inline void elvx_elevator_put(struct elevator_queue *eq)
{
	kobject_put(&eq->kobj);
}
#endif

/*
 * depth_updated: up to 6.12 (struct blk_mq_hw_ctx *), called for each
 * hardware queue whose scheduler tags were resized; from 7.2
 * (struct request_queue *), once, after q->nr_requests changed, and also
 * when queue/async_depth is written (a queue attribute from 7.2).
 * Define it per hardware queue as
 *
 *	ELVX_DEPTH_UPDATED_FN(xd_depth_updated, hctx)
 *	{
 *		... hctx, on all ...
 *	}
 *
 * set .depth_updated = xd_depth_updated, and call it from init_hctx as
 * xd_depth_updated(ELVX_DEPTH_ARG(hctx)) (on 7.2 that does every
 * hardware queue's: their scheduler tags are all set by then).
 */
#if ELVX_K72
#define ELVX_DEPTH_UPDATED_FN(name, hctx)				\
static void name##_hctx(struct blk_mq_hw_ctx *hctx);			\
static void name(struct request_queue *q)				\
{									\
	struct blk_mq_hw_ctx *h;					\
	unsigned long i;						\
									\
	queue_for_each_hw_ctx(q, h, i)					\
		name##_hctx(h);						\
}									\
static void name##_hctx(struct blk_mq_hw_ctx *hctx)
#define ELVX_DEPTH_ARG(hctx)	((hctx)->queue)
#else
#define ELVX_DEPTH_UPDATED_FN(name, hctx)				\
static void name(struct blk_mq_hw_ctx *hctx)
#define ELVX_DEPTH_ARG(hctx)	(hctx)
#endif

/*
 * hrtimer_init() and setting ->function: gone from 7.2, where
 * hrtimer_setup() does both.
 */
static inline void
elvx_hrtimer_setup(struct hrtimer *timer,
		   enum hrtimer_restart (*function)(struct hrtimer *),
		   clockid_t clock_id, enum hrtimer_mode mode)
{
#if ELVX_K72
	hrtimer_setup(timer, function, clock_id, mode);
#else
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
#endif
}

/*
 * The request flag that says prepare_request() ran and finish_request()
 * will.  6.1: RQF_ELVPRIV (not set for REQ_PREFLUSH/REQ_FUA requests).
 * 6.12: RQF_USE_SCHED, which also says that the request went through the
 * elevator; it is set for REQ_PREFLUSH/REQ_FUA writes too (not for
 * REQ_OP_FLUSH), so those get prepare_request() and finish_request(), and
 * may be finished without ever being inserted (the flush machinery takes
 * them) or be inserted (a FUA write on a FUA device).
 */
#ifdef RQF_USE_SCHED
#define ELVX_RQF_ELVPRIV	RQF_USE_SCHED
#else
#define ELVX_RQF_ELVPRIV	RQF_ELVPRIV
#endif

/*
 * Two helpers of 6.1 and 6.12 that 7.2 no longer has: blk_queue_nonrot()
 * (7.2 has blk_queue_rot(), its opposite) and bio_prio() (7.2 reads
 * bio->bi_ioprio).  Defined here, with what they were, where missing.
 */
#ifndef blk_queue_nonrot
#define blk_queue_nonrot(q)	(!blk_queue_rot(q))
#endif
#ifndef bio_prio
#define bio_prio(bio)		((bio)->bi_ioprio)
#endif

/*
 * finish_request: optional on 6.1; mandatory on 6.12, where elv_register()
 * refuses (with a warning) an elevator without one, and calls it for every
 * RQF_USE_SCHED request.  An elevator with nothing to do when a request is
 * freed puts ELVX_NO_FINISH_REQUEST in its ops initializer.
 */
#if ELVX_K612
static inline void elvx_finish_request_nop(struct request *rq)
{
}

#define ELVX_NO_FINISH_REQUEST	.finish_request = elvx_finish_request_nop,
#else
#define ELVX_NO_FINISH_REQUEST
#endif

/*
 * Clocks.  The block layer stamps requests (rq->start_time_ns,
 * io_start_time_ns, alloc_time_ns) with ktime_get_ns() on 6.1 and with
 * blk_time_get_ns() on 6.12: the same clock, but cached per plug, so it
 * may lag ktime_get_ns() (by up to a plug's life), never lead it.
 *
 * elvx_now_ns(), ktime_get_ns() on both, is the schedulers' own clock: it
 * never goes back between the submitter's context and the completion
 * interrupt or the idle timer (which see the uncached clock), and it is
 * never behind a request's stamps, so "now - rq->start_time_ns" is safe.
 */
static inline u64 elvx_now_ns(void)
{
	return ktime_get_ns();
}

/*
 * A request's I/O priority: 6.1 keeps it in rq->ioprio, 6.12 has no such
 * field and reads its first bio's (0, IOPRIO_CLASS_NONE, with no bio).  So
 * call elvx_rq_ioprio() while the request has its bios (insert, merge,
 * dispatch: merges only join requests of the same priority, on both) and
 * keep a copy for later (completion, finish_request, requeue after a
 * partial completion).
 */
static inline unsigned short elvx_rq_ioprio(struct request *rq)
{
	return req_get_ioprio(rq);
}

/*
 * limit_depth() sets data->shallow_depth: the tags a request may take out
 * of each sbitmap word on 6.1 and 6.12 before 6.12.43, out of the whole
 * bitmap from 6.12.43 on, and on 7.2 ("lib/sbitmap: convert shallow_depth
 * from one word to the whole sbitmap"), as elvx_shallow_tags() counts them.
 * elvx_shallow_depth() turns @depth, tags of the whole bitmap @bt, into
 * the value to set for at most @depth tags (exactly, when the kernel can:
 * elvx_shallow_for()); it is at least 1.  limit_depth() runs before the
 * hardware queue is known: compute it in depth_updated(), or later from
 * the bitmap's depth and shift kept then, with elvx_shallow_depth_of().
 *
 * The wake batch: sbitmap_queue_min_shallow_depth() must be given no more
 * than the smallest shallow depth ever set, or waiters for a tag that only
 * those requests free may never be woken.  An async depth of 1 and cfq's
 * limit of a group make that 1, as bfq and mq-deadline set it: the wake
 * batch is then 1 on 6.12.43 and later (7.2 too), an eighth of the words
 * (at least 1) before.  7.2 also has blk_mq_set_min_shallow_depth(), which
 * does it for every hardware queue.
 */
#define ELVX_SHALLOW_WHOLE	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 43))

static inline unsigned int elvx_shallow_depth_of(unsigned int depth,
						 unsigned int bitmap_depth,
						 unsigned int shift)
{
	return elvx_shallow_for(depth, bitmap_depth, shift,
				ELVX_SHALLOW_WHOLE);
}

static inline unsigned int elvx_shallow_depth(const struct sbitmap_queue *bt,
					      unsigned int depth)
{
	return elvx_shallow_depth_of(depth, bt->sb.depth, bt->sb.shift);
}

/*
 * The default async depth of @bt, elvx_async_depth()'s count of tags
 * (@hw_depth the device's) as a count a shallow depth gives
 * (elvx_async_reach()).
 */
static inline unsigned int elvx_async_default(const struct sbitmap_queue *bt,
					      unsigned int tags,
					      unsigned int hw_depth)
{
	return elvx_async_reach(tags, hw_depth + 2, bt->sb.depth,
				bt->sb.shift, ELVX_SHALLOW_WHOLE);
}

/*
 * Write-back throttling: 6.1 takes the request_queue, 6.12 and 7.2 the
 * gendisk.  6.12 also has ELEVATOR_FLAG_DISABLE_WBT to keep it off while
 * the elevator is in use (when the disk is registered again, for one),
 * which bfq sets; 7.2 has the queue flag QUEUE_FLAG_DISABLE_WBT_DEF
 * (blk_queue_disable_wbt()) for that instead.  Call elvx_wbt_disable() in
 * init_sched, elvx_wbt_enable() in exit_sched.
 */
static inline void elvx_wbt_disable(struct elevator_queue *eq,
				    struct request_queue *q)
{
#if defined(blk_queue_disable_wbt)
	blk_queue_flag_set(QUEUE_FLAG_DISABLE_WBT_DEF, q);
	wbt_disable_default(q->disk);
#elif ELVX_K612
	set_bit(ELEVATOR_FLAG_DISABLE_WBT, &eq->flags);
	wbt_disable_default(q->disk);
#else
	wbt_disable_default(q);
#endif
}

static inline void elvx_wbt_enable(struct elevator_queue *eq,
				   struct request_queue *q)
{
#if defined(blk_queue_disable_wbt)
	blk_queue_flag_clear(QUEUE_FLAG_DISABLE_WBT_DEF, q);
	wbt_enable_default(q->disk);
#elif ELVX_K612
	clear_bit(ELEVATOR_FLAG_DISABLE_WBT, &eq->flags);
	wbt_enable_default(q->disk);
#else
	wbt_enable_default(q);
#endif
}

#ifdef CONFIG_BLK_CGROUP
/*
 * blkcg policies.  (De)activation: 6.1 takes the request_queue, 6.12 the
 * gendisk.
 */
static inline int elvx_blkcg_activate_policy(struct request_queue *q,
					     const struct blkcg_policy *pol)
{
#if ELVX_K612
	return blkcg_activate_policy(q->disk, pol);
#else
	return blkcg_activate_policy(q, pol);
#endif
}

static inline void elvx_blkcg_deactivate_policy(struct request_queue *q,
						const struct blkcg_policy *pol)
{
#if ELVX_K612
	blkcg_deactivate_policy(q->disk, pol);
#else
	blkcg_deactivate_policy(q, pol);
#endif
}

/*
 * pd_alloc_fn: 6.1 (gfp_t gfp, struct request_queue *q, struct blkcg *),
 * 6.12 (struct gendisk *disk, struct blkcg *, gfp_t gfp).  Define it as
 *
 *	ELVX_PD_ALLOC_FN(cfq_pd_alloc, gfp, q, blkcg)
 *	{
 *		... gfp, q (the request_queue) and blkcg, on both ...
 *	}
 *
 * and set .pd_alloc_fn = cfq_pd_alloc.
 */
#if ELVX_K612
#define ELVX_PD_ALLOC_FN(name, gfp, q, blkcg)				\
static struct blkg_policy_data *name##_q(gfp_t gfp,			\
		struct request_queue *q, struct blkcg *blkcg);		\
static struct blkg_policy_data *name(struct gendisk *disk,		\
		struct blkcg *blkcg, gfp_t gfp)				\
{									\
	return name##_q(gfp, disk->queue, blkcg);			\
}									\
static struct blkg_policy_data *name##_q(gfp_t gfp,			\
		struct request_queue *q, struct blkcg *blkcg)
#else
#define ELVX_PD_ALLOC_FN(name, gfp, q, blkcg)				\
static struct blkg_policy_data *name(gfp_t gfp,			\
		struct request_queue *q, struct blkcg *blkcg)
#endif

/*
 * cpd_init_fn and cpd_bind_fn: 6.1 only.  6.12 calls cpd_alloc_fn alone
 * (before cpd->blkcg is set), so what init did is done there, and what
 * depends on the blkcg (the root's weight) when it is used.  Put
 * ELVX_CPD_INIT_BIND(init, bind) in the blkcg_policy initializer, and
 * mark init and bind __maybe_unused.
 */
#if ELVX_K612
#define ELVX_CPD_INIT_BIND(init, bind)
#else
#define ELVX_CPD_INIT_BIND(init, bind)	.cpd_init_fn = (init), .cpd_bind_fn = (bind),
#endif

/*
 * Per-device configuration files ("MAJ:MIN VALUE"): 6.1 has
 * blkg_conf_prep(blkcg, pol, input, ctx) and blkg_conf_finish() on
 * success; 6.12 blkg_conf_init(ctx, input), blkg_conf_prep(blkcg, pol,
 * ctx) and blkg_conf_exit() whatever happened; 7.2 wants
 * blkg_conf_open_bdev() before blkg_conf_prep(), and blkg_conf_unprep()
 * (the queue lock) then blkg_conf_close_bdev() after it.  Here, on all:
 * after elvx_blkg_conf_prep() returned 0, ctx->blkg is the group (queue
 * lock held) and ctx->body the value; then call elvx_blkg_conf_finish().
 * On an error there is nothing to finish.
 */
static inline int elvx_blkg_conf_prep(struct blkcg *blkcg,
				      const struct blkcg_policy *pol,
				      char *input, struct blkg_conf_ctx *ctx)
{
#if ELVX_K72
	int ret;

	blkg_conf_init(ctx, input);
	ret = blkg_conf_open_bdev(ctx);
	if (ret)
		return ret;
	ret = blkg_conf_prep(blkcg, pol, ctx);
	if (ret)
		blkg_conf_close_bdev(ctx);
	return ret;
#elif ELVX_K612
	int ret;

	blkg_conf_init(ctx, input);
	ret = blkg_conf_prep(blkcg, pol, ctx);
	if (ret)
		blkg_conf_exit(ctx);
	return ret;
#else
	return blkg_conf_prep(blkcg, pol, input, ctx);
#endif
}

static inline void elvx_blkg_conf_finish(struct blkg_conf_ctx *ctx)
{
#if ELVX_K72
	blkg_conf_unprep(ctx);
	blkg_conf_close_bdev(ctx);
#elif ELVX_K612
	blkg_conf_exit(ctx);
#else
	blkg_conf_finish(ctx);
#endif
}
#endif /* CONFIG_BLK_CGROUP */

#endif /* !ELVX_COMPAT_ARITH_ONLY */
#endif /* _ELVX_COMPAT_H */
