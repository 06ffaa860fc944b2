// SPDX-License-Identifier: GPL-2.0
/*
 * xdeadline: skeleton elevator (FIFO order).  The real algorithm replaces this.
 *
 * Locking: xdeadlined->lock protects the FIFO; it is taken by the insert,
 * dispatch and has_work hooks and never held across a call that sleeps.
 */
#include <linux/blkdev.h>
#include <linux/blk-mq.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "elevator.h"
#include "blk.h"
#include "blk-mq.h"
#include "blk-mq-sched.h"

#include "elvx.h"

struct xdeadline_data {
	spinlock_t lock;
	struct list_head fifo;
};

static int xdeadline_init_sched(struct request_queue *q, struct elevator_type *e)
{
	struct elevator_queue *eq;
	struct xdeadline_data *d;

	eq = elevator_alloc(q, e);
	if (!eq)
		return -ENOMEM;
	d = kzalloc_node(sizeof(*d), GFP_KERNEL, q->node);
	if (!d) {
		kobject_put(&eq->kobj);
		return -ENOMEM;
	}
	spin_lock_init(&d->lock);
	INIT_LIST_HEAD(&d->fifo);
	eq->elevator_data = d;
	q->elevator = eq;
	return 0;
}

static void xdeadline_exit_sched(struct elevator_queue *e)
{
	struct xdeadline_data *d = e->elevator_data;

	WARN_ON_ONCE(!list_empty(&d->fifo));
	kfree(d);
}

static void xdeadline_insert_requests(struct blk_mq_hw_ctx *hctx,
				 struct list_head *list, bool at_head)
{
	struct xdeadline_data *d = hctx->queue->elevator->elevator_data;

	spin_lock(&d->lock);
	if (at_head)
		list_splice_init(list, &d->fifo);
	else
		list_splice_tail_init(list, &d->fifo);
	spin_unlock(&d->lock);
}

static struct request *xdeadline_dispatch_request(struct blk_mq_hw_ctx *hctx)
{
	struct xdeadline_data *d = hctx->queue->elevator->elevator_data;
	struct request *rq;

	spin_lock(&d->lock);
	rq = list_first_entry_or_null(&d->fifo, struct request, queuelist);
	if (rq) {
		list_del_init(&rq->queuelist);
		rq->rq_flags |= RQF_STARTED;
	}
	spin_unlock(&d->lock);
	return rq;
}

static bool xdeadline_has_work(struct blk_mq_hw_ctx *hctx)
{
	struct xdeadline_data *d = hctx->queue->elevator->elevator_data;

	return !list_empty_careful(&d->fifo);
}

static struct elevator_type xdeadline_elv = {
	.ops = {
		.init_sched		= xdeadline_init_sched,
		.exit_sched		= xdeadline_exit_sched,
		.insert_requests	= xdeadline_insert_requests,
		.dispatch_request	= xdeadline_dispatch_request,
		.has_work		= xdeadline_has_work,
	},
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
