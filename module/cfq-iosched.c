// SPDX-License-Identifier: GPL-2.0
/*
 * cfq: skeleton elevator (FIFO order).  The real algorithm replaces this.
 *
 * Locking: cfqd->lock protects the FIFO; it is taken by the insert,
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

struct cfq_data {
	spinlock_t lock;
	struct list_head fifo;
};

static int cfq_init_sched(struct request_queue *q, struct elevator_type *e)
{
	struct elevator_queue *eq;
	struct cfq_data *d;

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

static void cfq_exit_sched(struct elevator_queue *e)
{
	struct cfq_data *d = e->elevator_data;

	WARN_ON_ONCE(!list_empty(&d->fifo));
	kfree(d);
}

static void cfq_insert_requests(struct blk_mq_hw_ctx *hctx,
				 struct list_head *list, bool at_head)
{
	struct cfq_data *d = hctx->queue->elevator->elevator_data;

	spin_lock(&d->lock);
	if (at_head)
		list_splice_init(list, &d->fifo);
	else
		list_splice_tail_init(list, &d->fifo);
	spin_unlock(&d->lock);
}

static struct request *cfq_dispatch_request(struct blk_mq_hw_ctx *hctx)
{
	struct cfq_data *d = hctx->queue->elevator->elevator_data;
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

static bool cfq_has_work(struct blk_mq_hw_ctx *hctx)
{
	struct cfq_data *d = hctx->queue->elevator->elevator_data;

	return !list_empty_careful(&d->fifo);
}

static struct elevator_type cfq_elv = {
	.ops = {
		.init_sched		= cfq_init_sched,
		.exit_sched		= cfq_exit_sched,
		.insert_requests	= cfq_insert_requests,
		.dispatch_request	= cfq_dispatch_request,
		.has_work		= cfq_has_work,
	},
	.elevator_name = "cfq",
	.elevator_owner = THIS_MODULE,
};

int cfq_register(void)
{
	return elv_register(&cfq_elv);
}

void cfq_unregister(void)
{
	elv_unregister(&cfq_elv);
}
