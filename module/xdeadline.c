// SPDX-License-Identifier: GPL-2.0
/*
 * xdeadline: the deadline I/O scheduler with the legacy tunables, for blk-mq.
 *
 * See Documentation/xdeadline.rst for the tunables.
 *
 * 1. Algorithm
 *
 * Every request is queued twice per direction: in a red-black tree sorted
 * by sector and in a FIFO ordered by deadline (insertion time plus
 * read_expire or write_expire).  Requests leave in batches of up to
 * fifo_batch requests of one direction in ascending sector order.  At a
 * batch boundary the direction is chosen:
 *
 *   a. writes, if the oldest write has expired and the last batch read;
 *   b. reads, if the oldest read has expired and the last batch wrote;
 *   c. writes, if reads have passed writes over writes_starved times;
 *   d. reads otherwise (reads are preferred).
 *
 * The batch then starts at the oldest request of that direction if it
 * has expired, or if the last batch went the other way; else it goes on
 * in sector order from where the last batch stopped.  a. and b. alternate
 * when both directions are late, so neither can starve the other even
 * with writes_starved at 0 or very large.
 *
 * A write batch that began with no read queued (d. with no reads; not
 * with writes_starved 0) ends at the first read queued: a synchronous
 * reader, one read at a time, always arrives during such a batch, and
 * would otherwise wait for fifo_batch writes every time.
 *
 * Bios are merged at the back through the elevator hash and, when
 * front_merges is 1, at the front through the sector tree; with 0, not at
 * the front at all (not even through the block layer's one-hit cache).
 * A request merged with an older one takes over the older deadline.
 *
 * 2. I/O priority classes
 *
 * There is one set of trees and FIFOs per class (RT, BE, IDLE; NONE counts
 * as BE; the level 0-7 inside a class is ignored, as in mq-deadline).  The
 * highest class with queued requests is served first.  When requests of
 * more than one class are queued, the oldest request of a lower class is
 * dispatched ahead once it has waited prio_aging_expire, so a busy higher
 * class delays a lower one but never starves it.  Unlike mq-deadline, a
 * class counts as busy only while it has requests queued here, not while
 * they are in flight in the driver: xdeadline does nothing when a request
 * completes (6.12 and 7.2 require a finish_request hook, so it has an
 * empty one, ELVX_NO_FINISH_REQUEST) and keeps no atomic counters.  On a
 * device with a deep queue a lower class can therefore reach the device
 * while a higher class has requests in flight; lower nr_requests or the
 * device queue depth where that matters.
 *
 * 3. Tag reservation (async_depth)
 *
 * Writes (and any other request that is not a synchronous read) may use at
 * most async_depth of the scheduler tags, by default 3/4 of nr_requests
 * (less reserve on a device with very few tags, elvx_async_depth()), so
 * that a synchronous read always finds a free tag even under a write
 * flood.  limit_depth's shallow depth counts tags of each sbitmap word on
 * 6.1 and on 6.12 before 6.12.43, of the whole bitmap from 6.12.43 on and
 * on 7.2: elvx_shallow_depth_of() gives exactly async_depth tags where the
 * kernel can, else the most below; the default is a count the kernel
 * gives (elvx_async_default()).  async_depth returns to its default when
 * nr_requests changes.
 *
 * 4. Zoned block devices
 *
 * xdeadline does no zone write locking.  On 6.1 it does not declare
 * ELEVATOR_F_ZBD_SEQ_WRITE, so the block layer does not offer it for zoned
 * devices that require sequential writes (use mq-deadline there).  6.12
 * and 7.2 have no elevator features: zone write plugging lets one write
 * per zone through at a time, in order, so no scheduler can reorder them,
 * and every scheduler is offered for every device, xdeadline included.
 *
 * 5. Cost per request, compared with mq-deadline (6.1)
 *
 *  - No prepare_request/finish_request hooks: two indirect calls and an
 *    atomic increment per request less, and no in-flight accounting.
 *    (6.12 and 7.2 require finish_request: there xdeadline's does
 *    nothing, one indirect call to an empty function.)
 *  - has_work reads one counter instead of nine lists.
 *  - bio_merge and the insert merge skip the lock and the hash look-up
 *    when nothing is sorted (random I/O on a fast device: nearly always).
 *  - Dispatch takes the lock once and, while only one priority class is
 *    queued (the usual case), goes straight to it: the class set is a
 *    bitmask, aging is looked at only when two classes are queued.
 *  - Deadlines and aging use jiffies, read once per insert batch or per
 *    batch boundary; no ktime calls.
 *  - Debug counters are plain integers under the lock, no statistics atomics.
 *  - With sync_dispatch (default 1), insert runs the hardware queue from
 *    the submitting task (elvx_run_from_submitter()), instead of leaving
 *    the dispatch of an unplugged request to a kblockd worker: no wake-up
 *    and no context switches per request, the largest cost of all.
 *
 * 6. Locking
 *
 * xd->lock protects all of struct xdeadline_data.  It is taken by the
 * insert, dispatch and merge hooks, by sysfs stores and by debugfs, never
 * from interrupt context, and nothing that sleeps runs under it (requests
 * freed by a merge are freed after it is dropped).  Fields read without
 * it are marked: nr_queued and busy (has_work and merge hints; a stale
 * value costs a missed merge or an extra dispatch call, never a request),
 * and async_shallow (limit_depth).  Nothing of xd is touched after the
 * insert hook drops the lock: the inserted requests may complete at once,
 * and an elevator switch free xd.  Functions that expect the lock assert
 * it with lockdep_assert_held().
 */
#include <linux/kernel.h>
#include <linux/blkdev.h>
#include <linux/blk-mq.h>
#include <linux/bio.h>
#include <linux/ioprio.h>
#include <linux/module.h>
#include <linux/rbtree.h>
#include <linux/sbitmap.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include <trace/events/block.h>

#include "compat.h"

#include "elvx.h"

/*
 * Defaults of the tunables, see Documentation/xdeadline.rst.
 */
static const unsigned int read_expire = 500;		/* ms before a read is late */
static const unsigned int write_expire = 5000;		/* ms before a write is late */
static const unsigned int fifo_batch = 16;		/* requests per batch */
static const unsigned int writes_starved = 2;		/* read batches per write batch */
static const unsigned int prio_aging_expire = 10000;	/* ms a lower class may wait */

enum xd_dir {
	XD_READ		= READ,
	XD_WRITE	= WRITE,
};

enum { XD_DIR_COUNT = 2 };

/* Priority classes, highest first: a lower value is served first. */
enum xd_class {
	XD_RT		= 0,
	XD_BE		= 1,
	XD_IDLE		= 2,
};

enum { XD_CLASS_COUNT = 3 };

/* IOPRIO_CLASS_* (3 bits) to xdeadline class; NONE and unknown are BE. */
static const u8 xd_ioprio_class[IOPRIO_NR_CLASSES] = {
	[IOPRIO_CLASS_NONE]				= XD_BE,
	[IOPRIO_CLASS_RT]				= XD_RT,
	[IOPRIO_CLASS_BE]				= XD_BE,
	[IOPRIO_CLASS_IDLE]				= XD_IDLE,
	[IOPRIO_CLASS_IDLE + 1 ... IOPRIO_NR_CLASSES - 1] = XD_BE,
};

/* The requests of one priority class: each is on a sort tree and a FIFO. */
struct xd_queue {
	struct rb_root sort_list[XD_DIR_COUNT];
	struct list_head fifo_list[XD_DIR_COUNT];
	unsigned int queued;		/* requests on the lists above */
};

/* Debug counters, shown in debugfs "stats"; they only ever grow. */
struct xd_stats {
	unsigned long dispatched[XD_DIR_COUNT];
	unsigned long batches[XD_DIR_COUNT];
	unsigned long expired[XD_DIR_COUNT];	/* batches started late */
	unsigned long starved;		/* write batches forced by writes_starved */
	unsigned long aged;		/* lower-class requests dispatched by age */
	unsigned long head;		/* at-head requests dispatched */
	unsigned long merged;		/* requests merged into another */
};

struct xdeadline_data {
	spinlock_t lock;

	unsigned int nr_queued;		/* sorted + dispatch; read locklessly */
	unsigned int busy;		/* BIT(class) when queued; read locklessly */
	struct list_head dispatch;	/* at-head requests, served first */
	struct xd_queue queue[XD_CLASS_COUNT];

	/* Batch state */
	struct request *next_rq;	/* sector successor of the last dispatch */
	enum xd_class batch_class;	/* class of the current batch */
	enum xd_dir last_dir;		/* direction of the current batch */
	bool yield;			/* write batch that gives way to a read */
	unsigned int batching;		/* requests dispatched in this batch */
	unsigned int starved;		/* read batches since the last write one */

	/* Tunables: milliseconds as written, and jiffies as used */
	unsigned int expire_ms[XD_DIR_COUNT];
	unsigned long fifo_expire[XD_DIR_COUNT];
	unsigned int aging_ms;
	unsigned long prio_aging_expire;
	unsigned int fifo_batch;
	unsigned int writes_starved;
	unsigned int front_merges;
	unsigned int sync_dispatch;

	/* Tag reservation */
	unsigned int async_depth;	/* tags async requests may use */
	unsigned int async_shallow;	/* its data->shallow_depth; lockless */
	unsigned int nr_requests;	/* scheduler tags, at the last update */
	unsigned int word_shift;	/* log2(bits per sbitmap word) */

	struct xd_stats stats;
};

static inline enum xd_class xd_rq_class(struct request *rq)
{
	return xd_ioprio_class[IOPRIO_PRIO_CLASS(elvx_rq_ioprio(rq))];
}

static inline struct xd_queue *xd_rq_queue(struct xdeadline_data *xd,
					   struct request *rq)
{
	return &xd->queue[xd_rq_class(rq)];
}

/* The request after @rq in sector order, or NULL. */
static inline struct request *xd_latter_request(struct request *rq)
{
	struct rb_node *node = rb_next(&rq->rb_node);

	return node ? rb_entry_rq(node) : NULL;
}

/*
 * Where @rq goes in the sort tree @root (after any request at the same
 * sector, as elv_rb_add() puts it).  *@adjacent tells whether the request
 * before it ends where @rq starts: only then can @rq be merged at insert
 * (merges need the same direction and ioprio, hence the same tree).
 */
static struct rb_node **xd_sort_slot(struct rb_root *root, struct request *rq,
				     struct rb_node **parent, bool *adjacent)
{
	struct rb_node **p = &root->rb_node;
	sector_t pos = blk_rq_pos(rq);
	struct request *prev = NULL;

	*parent = NULL;
	while (*p) {
		struct request *__rq = rb_entry_rq(*p);

		*parent = *p;
		if (pos < blk_rq_pos(__rq)) {
			p = &(*p)->rb_left;
		} else {
			prev = __rq;
			p = &(*p)->rb_right;
		}
	}
	*adjacent = prev && blk_rq_pos(prev) + blk_rq_sectors(prev) == pos;
	return p;
}

static inline struct request *xd_fifo_head(struct xd_queue *xq,
					   enum xd_dir dir)
{
	return list_first_entry_or_null(&xq->fifo_list[dir], struct request,
					queuelist);
}

/* Has the oldest request of @dir passed its deadline?  Needs a request. */
static inline bool xd_fifo_expired(struct xd_queue *xq, enum xd_dir dir,
				   unsigned long now)
{
	struct request *rq = xd_fifo_head(xq, dir);

	return time_after_eq(now, (unsigned long)rq->fifo_time);
}

/*
 * Take @rq off the sort tree, the FIFO and the merge hash.  A request that
 * is merged while being inserted was never sorted: it has no tree node and
 * is not counted.
 */
static void xd_remove_request(struct request_queue *q,
			      struct xdeadline_data *xd, struct request *rq)
{
	lockdep_assert_held(&xd->lock);

	if (!RB_EMPTY_NODE(&rq->rb_node)) {
		enum xd_class class = xd_rq_class(rq);
		struct xd_queue *xq = &xd->queue[class];

		if (xd->next_rq == rq)
			xd->next_rq = xd_latter_request(rq);
		rb_erase(&rq->rb_node, &xq->sort_list[rq_data_dir(rq)]);
		RB_CLEAR_NODE(&rq->rb_node);
		list_del_init(&rq->queuelist);
		if (!--xq->queued)
			WRITE_ONCE(xd->busy, xd->busy & ~BIT(class));
		WRITE_ONCE(xd->nr_queued, xd->nr_queued - 1);
	}
	elv_rqhash_del(q, rq);
	if (q->last_merge == rq)
		q->last_merge = NULL;
}

static void xd_request_merged(struct request_queue *q, struct request *req,
			      enum elv_merge type)
{
	struct xdeadline_data *xd = q->elevator->elevator_data;
	struct rb_root *root;

	lockdep_assert_held(&xd->lock);

	/* A front merge moved the start sector: re-sort. */
	if (type == ELEVATOR_FRONT_MERGE) {
		root = &xd_rq_queue(xd, req)->sort_list[rq_data_dir(req)];
		elv_rb_del(root, req);
		elv_rb_add(root, req);
	}
}

/* @next has been merged into @req: @req keeps the earlier deadline. */
static void xd_requests_merged(struct request_queue *q, struct request *req,
			       struct request *next)
{
	struct xdeadline_data *xd = q->elevator->elevator_data;

	lockdep_assert_held(&xd->lock);

	if (!list_empty(&req->queuelist) && !list_empty(&next->queuelist) &&
	    xd_rq_class(req) == xd_rq_class(next) &&
	    time_before((unsigned long)next->fifo_time,
			(unsigned long)req->fifo_time)) {
		list_move(&req->queuelist, &next->queuelist);
		req->fifo_time = next->fifo_time;
	}
	xd->stats.merged++;
	xd_remove_request(q, xd, next);
}

/*
 * The oldest request of a class in @lower (a set of BIT(class)) that has
 * waited prio_aging_expire, or NULL.  Arrival is deadline minus expiry.
 */
static struct request *xd_aged_request(struct xdeadline_data *xd,
				       unsigned int lower, unsigned long now)
{
	struct request *rq;
	enum xd_dir dir;

	lockdep_assert_held(&xd->lock);

	while (lower) {
		struct xd_queue *xq = &xd->queue[__ffs(lower)];

		lower &= lower - 1;
		for (dir = XD_READ; dir <= XD_WRITE; dir++) {
			rq = xd_fifo_head(xq, dir);
			if (rq && time_after_eq(now, (unsigned long)rq->fifo_time -
						xd->fifo_expire[dir] +
						xd->prio_aging_expire))
				return rq;
		}
	}
	return NULL;
}

/*
 * Choose the direction of a new batch in @xq, which has requests queued,
 * and the request it starts with.  Rules a. to d. of the header comment.
 */
static struct request *xd_start_batch(struct xdeadline_data *xd,
				      enum xd_class class, unsigned long now)
{
	struct xd_queue *xq = &xd->queue[class];
	bool reads = !list_empty(&xq->fifo_list[XD_READ]);
	bool writes = !list_empty(&xq->fifo_list[XD_WRITE]);
	struct request *rq;
	enum xd_dir dir;
	bool late;

	lockdep_assert_held(&xd->lock);

	if (reads && writes) {
		if (xd->last_dir == XD_READ &&
		    xd_fifo_expired(xq, XD_WRITE, now)) {
			dir = XD_WRITE;
		} else if (xd->last_dir == XD_WRITE &&
			   xd_fifo_expired(xq, XD_READ, now)) {
			dir = XD_READ;
			xd->starved++;
		} else if (xd->starved >= xd->writes_starved) {
			dir = XD_WRITE;
			xd->stats.starved++;
		} else {
			dir = XD_READ;
			xd->starved++;
		}
	} else {
		dir = reads ? XD_READ : XD_WRITE;
	}
	if (dir == XD_WRITE)
		xd->starved = 0;
	/*
	 * Writes that go only because no read is queued are owed nothing:
	 * the first read to arrive ends their batch (xd_batch_goes_on()).
	 */
	xd->yield = dir == XD_WRITE && !reads && xd->writes_starved;

	late = xd_fifo_expired(xq, dir, now);
	if (!late && xd->next_rq && xd->batch_class == class &&
	    xd->last_dir == dir) {
		rq = xd->next_rq;
	} else {
		rq = xd_fifo_head(xq, dir);
		if (late)
			xd->stats.expired[dir]++;
	}
	xd->batch_class = class;
	xd->last_dir = dir;
	xd->batching = 0;
	xd->stats.batches[dir]++;
	return rq;
}

/*
 * May the current batch go on with next_rq in @class?  Not past
 * fifo_batch, and a write batch that began with no read queued (yield)
 * ends as soon as a read of its class is queued.
 */
static inline bool xd_batch_goes_on(struct xdeadline_data *xd,
				    enum xd_class class)
{
	lockdep_assert_held(&xd->lock);

	return xd->next_rq && xd->batch_class == class &&
	       xd->batching < xd->fifo_batch &&
	       (likely(!xd->yield) ||
		list_empty(&xd->queue[class].fifo_list[XD_READ]));
}

/* Pick the next request and take it off the scheduler's lists. */
static struct request *__xd_dispatch_request(struct xdeadline_data *xd,
					     struct request_queue *q)
{
	unsigned int busy = xd->busy;
	enum xd_class class;
	struct request *rq;
	unsigned long now;

	lockdep_assert_held(&xd->lock);

	if (unlikely(!list_empty(&xd->dispatch))) {
		rq = list_first_entry(&xd->dispatch, struct request, queuelist);
		list_del_init(&rq->queuelist);
		WRITE_ONCE(xd->nr_queued, xd->nr_queued - 1);
		xd->stats.head++;
		return rq;
	}
	if (!busy)
		return NULL;

	class = __ffs(busy);
	/* Fast path: go on with the batch of the highest class. */
	if (likely(!(busy & (busy - 1)) && xd_batch_goes_on(xd, class))) {
		rq = xd->next_rq;
		goto move;
	}

	now = jiffies;
	if (busy & (busy - 1)) {
		/* Two or more classes queued: serve a lower one that aged. */
		rq = xd_aged_request(xd, busy & ~BIT(class), now);
		if (rq) {
			xd->stats.aged++;
			xd->stats.dispatched[rq_data_dir(rq)]++;
			xd_remove_request(q, xd, rq);
			return rq;
		}
		if (xd_batch_goes_on(xd, class)) {
			rq = xd->next_rq;
			goto move;
		}
	}
	rq = xd_start_batch(xd, class, now);
move:
	xd->batching++;
	xd->stats.dispatched[rq_data_dir(rq)]++;
	xd->next_rq = xd_latter_request(rq);
	xd_remove_request(q, xd, rq);
	return rq;
}

/*
 * Called from blk_mq_run_hw_queue() for any hardware queue: the scheduler
 * state is shared by all of them (QUEUE_FLAG_SQ_SCHED).
 */
static struct request *xd_dispatch_request(struct blk_mq_hw_ctx *hctx)
{
	struct request_queue *q = hctx->queue;
	struct xdeadline_data *xd = q->elevator->elevator_data;
	struct request *rq;

	spin_lock(&xd->lock);
	rq = __xd_dispatch_request(xd, q);
	spin_unlock(&xd->lock);
	if (rq)
		rq->rq_flags |= RQF_STARTED;
	return rq;
}

/*
 * Writes and other requests that are not synchronous reads may take only
 * async_depth scheduler tags (see elvx_shallow_depth_of(): at most that
 * many, exactly where the kernel's sbitmap can).
 */
static void xd_limit_depth(blk_opf_t opf, struct blk_mq_alloc_data *data)
{
	struct xdeadline_data *xd = data->q->elevator->elevator_data;

	if (op_is_sync(opf) && !op_is_write(opf))
		return;
	data->shallow_depth = READ_ONCE(xd->async_shallow);
}

static void xd_update_shallow(struct xdeadline_data *xd)
{
	lockdep_assert_held(&xd->lock);

	WRITE_ONCE(xd->async_shallow,
		   elvx_shallow_depth_of(xd->async_depth, xd->nr_requests,
					 xd->word_shift));
}

/*
 * Called at init and by blk_mq_update_nr_requests(), queue frozen.  The
 * latter calls it before it updates q->nr_requests: take the new depth
 * from the resized scheduler tags.
 */
ELVX_DEPTH_UPDATED_FN(xd_depth_updated, hctx)
{
	struct request_queue *q = hctx->queue;
	struct xdeadline_data *xd = q->elevator->elevator_data;
	struct sbitmap_queue *bt = &hctx->sched_tags->bitmap_tags;
	unsigned int hw_depth = q->tag_set->queue_depth;

	spin_lock(&xd->lock);
	xd->nr_requests = bt->sb.depth;
	xd->word_shift = bt->sb.shift;
	xd->async_depth = elvx_async_default(bt,
			elvx_async_depth(xd->nr_requests, hw_depth),
			hw_depth);
	xd_update_shallow(xd);
	spin_unlock(&xd->lock);

	/* Any shallow depth down to one bit must still wake waiters. */
	sbitmap_queue_min_shallow_depth(bt, 1);
}

static int xd_init_hctx(struct blk_mq_hw_ctx *hctx, unsigned int hctx_idx)
{
	xd_depth_updated(ELVX_DEPTH_ARG(hctx));
	return 0;
}

static void xd_exit_sched(struct elevator_queue *e)
{
	struct xdeadline_data *xd = e->elevator_data;

	WARN_ON_ONCE(xd->nr_queued);
	kfree(xd);
}

static int xd_init_sched(struct request_queue *q, elvx_init_sched_t e)
{
	struct xdeadline_data *xd;
	struct elevator_queue *eq;
	int class, dir;

	eq = elvx_elevator_alloc(q, e);
	if (!eq)
		return -ENOMEM;

	xd = kzalloc_node(sizeof(*xd), GFP_KERNEL, q->node);
	if (!xd) {
		elvx_elevator_put(eq);
		return -ENOMEM;
	}
	eq->elevator_data = xd;

	spin_lock_init(&xd->lock);
	INIT_LIST_HEAD(&xd->dispatch);
	for (class = 0; class < XD_CLASS_COUNT; class++) {
		for (dir = 0; dir < XD_DIR_COUNT; dir++) {
			xd->queue[class].sort_list[dir] = RB_ROOT;
			INIT_LIST_HEAD(&xd->queue[class].fifo_list[dir]);
		}
	}
	xd->last_dir = XD_READ;
	xd->expire_ms[XD_READ] = read_expire;
	xd->expire_ms[XD_WRITE] = write_expire;
	xd->fifo_expire[XD_READ] = msecs_to_jiffies(read_expire);
	xd->fifo_expire[XD_WRITE] = msecs_to_jiffies(write_expire);
	xd->aging_ms = prio_aging_expire;
	xd->prio_aging_expire = msecs_to_jiffies(prio_aging_expire);
	xd->fifo_batch = fifo_batch;
	xd->writes_starved = writes_starved;
	xd->front_merges = 1;
	xd->sync_dispatch = 1;

	/* One scheduler for all hardware queues. */
	blk_queue_flag_set(QUEUE_FLAG_SQ_SCHED, q);

	q->elevator = eq;
	return 0;
}

/* Front merge look-up: a request that starts where @bio ends. */
static int xd_request_merge(struct request_queue *q, struct request **rq,
			    struct bio *bio)
{
	struct xdeadline_data *xd = q->elevator->elevator_data;
	u8 class = xd_ioprio_class[IOPRIO_PRIO_CLASS(bio->bi_ioprio)];
	sector_t sector = bio_end_sector(bio);
	struct request *__rq;

	lockdep_assert_held(&xd->lock);

	if (!xd->front_merges)
		return ELEVATOR_NO_MERGE;

	__rq = elv_rb_find(&xd->queue[class].sort_list[bio_data_dir(bio)],
			   sector);
	if (__rq && elv_bio_merge_ok(__rq, bio)) {
		*rq = __rq;
		if (blk_discard_mergable(__rq))
			return ELEVATOR_DISCARD_MERGE;
		return ELEVATOR_FRONT_MERGE;
	}
	return ELEVATOR_NO_MERGE;
}

/* Merge @bio into a queued request; called before a request is made. */
static bool xd_bio_merge(struct request_queue *q, struct bio *bio,
			 unsigned int nr_segs)
{
	struct xdeadline_data *xd = q->elevator->elevator_data;
	struct request *free = NULL;
	bool ret;

	/* Nothing sorted, nothing to merge with: spare the lock. */
	if (!READ_ONCE(xd->busy))
		return false;

	spin_lock(&xd->lock);
	/*
	 * The block layer tries its one-hit cache, q->last_merge, before
	 * asking us: keep it from front-merging when front merges are off.
	 */
	if (!xd->front_merges && q->last_merge &&
	    blk_rq_pos(q->last_merge) == bio_end_sector(bio))
		q->last_merge = NULL;
	ret = blk_mq_sched_try_merge(q, bio, nr_segs, &free);
	spin_unlock(&xd->lock);

	if (free)
		blk_mq_free_request(free);

	return ret;
}

/* Sort @rq in, or merge it into a queued request (then it joins @free). */
static void xd_insert_request(struct request_queue *q,
			      struct xdeadline_data *xd, struct request *rq,
			      bool at_head, unsigned long now,
			      struct list_head *free)
{
	enum xd_dir dir = rq_data_dir(rq);
	enum xd_class class = xd_rq_class(rq);
	struct xd_queue *xq = &xd->queue[class];
	struct rb_root *root = &xq->sort_list[dir];
	struct rb_node **slot, *parent;
	bool adjacent;

	lockdep_assert_held(&xd->lock);

	if (unlikely(at_head)) {
		trace_block_rq_insert(rq);
		list_add(&rq->queuelist, &xd->dispatch);
		WRITE_ONCE(xd->nr_queued, xd->nr_queued + 1);
		return;
	}

	/*
	 * Ask the block layer to merge only when there is a candidate: the
	 * look-up costs several calls and random I/O never has one.  A
	 * failed attempt changes nothing, so the slot stays valid.
	 */
	RB_CLEAR_NODE(&rq->rb_node);	/* unsorted until linked below */
	slot = xd_sort_slot(root, rq, &parent, &adjacent);
	if ((adjacent || req_op(rq) == REQ_OP_DISCARD) &&
	    blk_mq_sched_try_insert_merge(q, rq, free))
		return;

	trace_block_rq_insert(rq);

	rb_link_node(&rq->rb_node, parent, slot);
	rb_insert_color(&rq->rb_node, root);
	if (rq_mergeable(rq)) {
		elv_rqhash_add(q, rq);
		if (!q->last_merge)
			q->last_merge = rq;
	}
	rq->fifo_time = now + xd->fifo_expire[dir];
	list_add_tail(&rq->queuelist, &xq->fifo_list[dir]);
	if (!xq->queued++)
		WRITE_ONCE(xd->busy, xd->busy | BIT(class));
	WRITE_ONCE(xd->nr_queued, xd->nr_queued + 1);
}

static void xd_insert_requests(struct blk_mq_hw_ctx *hctx,
			       struct list_head *list, elvx_insert_t flags)
{
	bool at_head = elvx_insert_at_head(flags);
	struct request_queue *q = hctx->queue;
	struct xdeadline_data *xd = q->elevator->elevator_data;
	unsigned long now = jiffies;
	LIST_HEAD(free);
	bool run;

	spin_lock(&xd->lock);
	while (!list_empty(list)) {
		struct request *rq;

		rq = list_first_entry(list, struct request, queuelist);
		list_del_init(&rq->queuelist);
		xd_insert_request(q, xd, rq, at_head, now, &free);
	}
	/*
	 * Read under the lock: once it is dropped, the requests may complete
	 * and an elevator switch free xd before this function returns.
	 */
	run = xd->sync_dispatch;
	spin_unlock(&xd->lock);

	blk_mq_free_requests(&free);
	if (run)
		elvx_run_from_submitter(hctx);
}

static bool xd_has_work(struct blk_mq_hw_ctx *hctx)
{
	struct xdeadline_data *xd = hctx->queue->elevator->elevator_data;

	return READ_ONCE(xd->nr_queued);
}

#define SHOW_UINT(__NAME, __VAR)					\
static ssize_t xd_##__NAME##_show(struct elevator_queue *e, char *page)	\
{									\
	struct xdeadline_data *xd = e->elevator_data;			\
									\
	return sysfs_emit(page, "%u\n", READ_ONCE(__VAR));		\
}
SHOW_UINT(read_expire, xd->expire_ms[XD_READ]);
SHOW_UINT(write_expire, xd->expire_ms[XD_WRITE]);
SHOW_UINT(writes_starved, xd->writes_starved);
SHOW_UINT(front_merges, xd->front_merges);
SHOW_UINT(sync_dispatch, xd->sync_dispatch);
SHOW_UINT(async_depth, xd->async_depth);
SHOW_UINT(fifo_batch, xd->fifo_batch);
SHOW_UINT(prio_aging_expire, xd->aging_ms);
#undef SHOW_UINT

/*
 * Store a parsed value; a millisecond tunable keeps it as written (it reads
 * back exactly) and also sets its jiffies twin.
 */
static ssize_t xd_store(struct xdeadline_data *xd, const char *page,
			size_t count, unsigned int *var, unsigned long *jif,
			unsigned int min, unsigned int max)
{
	unsigned int v;

	if (elvx_parse_uint(page, min, max, &v))
		return -EINVAL;
	spin_lock(&xd->lock);
	WRITE_ONCE(*var, v);
	if (jif)
		*jif = msecs_to_jiffies(v);
	spin_unlock(&xd->lock);
	return count;
}

#define STORE_FUNCTION(__NAME, __VAR, __JIFFIES, MIN, MAX)		\
static ssize_t xd_##__NAME##_store(struct elevator_queue *e,		\
				   const char *page, size_t count)	\
{									\
	struct xdeadline_data *xd = e->elevator_data;			\
									\
	return xd_store(xd, page, count, &(__VAR), __JIFFIES, MIN, MAX); \
}
#define STORE_UINT(__NAME, __VAR, MIN, MAX)				\
	STORE_FUNCTION(__NAME, __VAR, NULL, MIN, MAX)
#define STORE_MSECS(__NAME, __MS, __JIFFIES)				\
	STORE_FUNCTION(__NAME, __MS, &(__JIFFIES), 0, INT_MAX)
STORE_MSECS(read_expire, xd->expire_ms[XD_READ],
	    xd->fifo_expire[XD_READ]);
STORE_MSECS(write_expire, xd->expire_ms[XD_WRITE],
	    xd->fifo_expire[XD_WRITE]);
STORE_UINT(writes_starved, xd->writes_starved, 0, INT_MAX);
STORE_UINT(front_merges, xd->front_merges, 0, 1);
STORE_UINT(sync_dispatch, xd->sync_dispatch, 0, 1);
STORE_UINT(fifo_batch, xd->fifo_batch, 0, INT_MAX);
STORE_MSECS(prio_aging_expire, xd->aging_ms, xd->prio_aging_expire);
#undef STORE_MSECS
#undef STORE_UINT
#undef STORE_FUNCTION

/* 1 to nr_requests: more would not limit anything. */
static ssize_t xd_async_depth_store(struct elevator_queue *e, const char *page,
				    size_t count)
{
	struct xdeadline_data *xd = e->elevator_data;
	ssize_t ret = -EINVAL;
	unsigned int v;

	if (kstrtouint(page, 10, &v))
		return -EINVAL;
	spin_lock(&xd->lock);
	if (v >= 1 && v <= xd->nr_requests) {
		WRITE_ONCE(xd->async_depth, v);
		xd_update_shallow(xd);
		ret = count;
	}
	spin_unlock(&xd->lock);
	return ret;
}

#define XD_ATTR(name) \
	__ATTR(name, 0644, xd_##name##_show, xd_##name##_store)

static struct elv_fs_entry xd_attrs[] = {
	XD_ATTR(read_expire),
	XD_ATTR(write_expire),
	XD_ATTR(writes_starved),
	XD_ATTR(front_merges),
	XD_ATTR(sync_dispatch),
	XD_ATTR(async_depth),
	XD_ATTR(fifo_batch),
	XD_ATTR(prio_aging_expire),
	__ATTR_NULL
};
#undef XD_ATTR

#ifdef CONFIG_BLK_DEBUG_FS
/* FIFO lists per class and direction: read0_fifo_list ... write2_fifo_list */
#define XD_FIFO_ATTRS(class, dir, name)					\
static void *xd_##name##_fifo_start(struct seq_file *m, loff_t *pos)	\
	__acquires(&xd->lock)						\
{									\
	struct request_queue *q = m->private;				\
	struct xdeadline_data *xd = q->elevator->elevator_data;		\
									\
	spin_lock(&xd->lock);						\
	return seq_list_start(&xd->queue[class].fifo_list[dir], *pos);	\
}									\
									\
static void *xd_##name##_fifo_next(struct seq_file *m, void *v,	\
				   loff_t *pos)				\
{									\
	struct request_queue *q = m->private;				\
	struct xdeadline_data *xd = q->elevator->elevator_data;		\
									\
	return seq_list_next(v, &xd->queue[class].fifo_list[dir], pos);	\
}									\
									\
static void xd_##name##_fifo_stop(struct seq_file *m, void *v)		\
	__releases(&xd->lock)						\
{									\
	struct request_queue *q = m->private;				\
	struct xdeadline_data *xd = q->elevator->elevator_data;		\
									\
	spin_unlock(&xd->lock);						\
}									\
									\
static const struct seq_operations xd_##name##_fifo_seq_ops = {	\
	.start	= xd_##name##_fifo_start,				\
	.next	= xd_##name##_fifo_next,				\
	.stop	= xd_##name##_fifo_stop,				\
	.show	= blk_mq_debugfs_rq_show,				\
}
XD_FIFO_ATTRS(XD_RT, XD_READ, read0);
XD_FIFO_ATTRS(XD_RT, XD_WRITE, write0);
XD_FIFO_ATTRS(XD_BE, XD_READ, read1);
XD_FIFO_ATTRS(XD_BE, XD_WRITE, write1);
XD_FIFO_ATTRS(XD_IDLE, XD_READ, read2);
XD_FIFO_ATTRS(XD_IDLE, XD_WRITE, write2);
#undef XD_FIFO_ATTRS

static void *xd_dispatch_start(struct seq_file *m, loff_t *pos)
	__acquires(&xd->lock)
{
	struct request_queue *q = m->private;
	struct xdeadline_data *xd = q->elevator->elevator_data;

	spin_lock(&xd->lock);
	return seq_list_start(&xd->dispatch, *pos);
}

static void *xd_dispatch_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct request_queue *q = m->private;
	struct xdeadline_data *xd = q->elevator->elevator_data;

	return seq_list_next(v, &xd->dispatch, pos);
}

static void xd_dispatch_stop(struct seq_file *m, void *v)
	__releases(&xd->lock)
{
	struct request_queue *q = m->private;
	struct xdeadline_data *xd = q->elevator->elevator_data;

	spin_unlock(&xd->lock);
}

static const struct seq_operations xd_dispatch_seq_ops = {
	.start	= xd_dispatch_start,
	.next	= xd_dispatch_next,
	.stop	= xd_dispatch_stop,
	.show	= blk_mq_debugfs_rq_show,
};

static int xd_next_rq_show(void *data, struct seq_file *m)
{
	struct request_queue *q = data;
	struct xdeadline_data *xd = q->elevator->elevator_data;

	spin_lock(&xd->lock);
	if (xd->next_rq)
		__blk_mq_debugfs_rq_show(m, xd->next_rq);
	spin_unlock(&xd->lock);
	return 0;
}

static int xd_batching_show(void *data, struct seq_file *m)
{
	struct request_queue *q = data;
	struct xdeadline_data *xd = q->elevator->elevator_data;

	seq_printf(m, "%u\n", READ_ONCE(xd->batching));
	return 0;
}

static int xd_starved_show(void *data, struct seq_file *m)
{
	struct request_queue *q = data;
	struct xdeadline_data *xd = q->elevator->elevator_data;

	seq_printf(m, "%u\n", READ_ONCE(xd->starved));
	return 0;
}

static int xd_async_depth_dbg_show(void *data, struct seq_file *m)
{
	struct request_queue *q = data;
	struct xdeadline_data *xd = q->elevator->elevator_data;

	spin_lock(&xd->lock);
	seq_printf(m, "%u (shallow depth %u, words of %u)\n", xd->async_depth,
		   xd->async_shallow, 1U << xd->word_shift);
	spin_unlock(&xd->lock);
	return 0;
}

/* Queued requests per class: "rt be idle", then the at-head ones. */
static int xd_queued_show(void *data, struct seq_file *m)
{
	struct request_queue *q = data;
	struct xdeadline_data *xd = q->elevator->elevator_data;
	unsigned int queued[XD_CLASS_COUNT], total;

	spin_lock(&xd->lock);
	queued[XD_RT] = xd->queue[XD_RT].queued;
	queued[XD_BE] = xd->queue[XD_BE].queued;
	queued[XD_IDLE] = xd->queue[XD_IDLE].queued;
	total = xd->nr_queued;
	spin_unlock(&xd->lock);

	seq_printf(m, "%u %u %u %u\n", queued[XD_RT], queued[XD_BE],
		   queued[XD_IDLE],
		   total - queued[XD_RT] - queued[XD_BE] - queued[XD_IDLE]);
	return 0;
}

static int xd_stats_show(void *data, struct seq_file *m)
{
	struct request_queue *q = data;
	struct xdeadline_data *xd = q->elevator->elevator_data;
	struct xd_stats s;

	spin_lock(&xd->lock);
	s = xd->stats;
	spin_unlock(&xd->lock);

	seq_printf(m, "read_dispatched %lu\nwrite_dispatched %lu\n",
		   s.dispatched[XD_READ], s.dispatched[XD_WRITE]);
	seq_printf(m, "read_batches %lu\nwrite_batches %lu\n",
		   s.batches[XD_READ], s.batches[XD_WRITE]);
	seq_printf(m, "read_expired %lu\nwrite_expired %lu\n",
		   s.expired[XD_READ], s.expired[XD_WRITE]);
	seq_printf(m, "starved %lu\naged %lu\nhead %lu\nmerged %lu\n",
		   s.starved, s.aged, s.head, s.merged);
	return 0;
}

#define XD_QUEUE_FIFO_ATTR(name)					\
	{#name "_fifo_list", 0400, .seq_ops = &xd_##name##_fifo_seq_ops}

static const struct blk_mq_debugfs_attr xd_queue_debugfs_attrs[] = {
	XD_QUEUE_FIFO_ATTR(read0),
	XD_QUEUE_FIFO_ATTR(write0),
	XD_QUEUE_FIFO_ATTR(read1),
	XD_QUEUE_FIFO_ATTR(write1),
	XD_QUEUE_FIFO_ATTR(read2),
	XD_QUEUE_FIFO_ATTR(write2),
	{"next_rq", 0400, xd_next_rq_show},
	{"batching", 0400, xd_batching_show},
	{"starved", 0400, xd_starved_show},
	{"async_depth", 0400, xd_async_depth_dbg_show},
	{"dispatch", 0400, .seq_ops = &xd_dispatch_seq_ops},
	{"queued", 0400, xd_queued_show},
	{"stats", 0400, xd_stats_show},
	{},
};
#undef XD_QUEUE_FIFO_ATTR
#endif /* CONFIG_BLK_DEBUG_FS */

static struct elevator_type xdeadline_elv = {
	.ops = {
		.depth_updated		= xd_depth_updated,
		.limit_depth		= xd_limit_depth,
		.insert_requests	= xd_insert_requests,
		.dispatch_request	= xd_dispatch_request,
		.next_request		= elv_rb_latter_request,
		.former_request		= elv_rb_former_request,
		.bio_merge		= xd_bio_merge,
		.request_merge		= xd_request_merge,
		.requests_merged	= xd_requests_merged,
		.request_merged		= xd_request_merged,
		.has_work		= xd_has_work,
		.init_sched		= xd_init_sched,
		.exit_sched		= xd_exit_sched,
		.init_hctx		= xd_init_hctx,
		ELVX_NO_FINISH_REQUEST
	},
#ifdef CONFIG_BLK_DEBUG_FS
	.queue_debugfs_attrs = xd_queue_debugfs_attrs,
#endif
	.elevator_attrs = xd_attrs,
	.elevator_name = "xdeadline",
	.elevator_owner = THIS_MODULE,
};

int xdeadline_register(void)
{
	return elv_register(&xdeadline_elv);
}

void xdeadline_unregister(void)
{
	elv_unregister(&xdeadline_elv);
}
