// SPDX-License-Identifier: GPL-2.0
/*
 * hddsim's request-reordering policy: with no command queueing the disk
 * serves the oldest command; with a queue depth, the shortest positioning
 * time first, as NCQ does.
 */
#include <math.h>
#include <stddef.h>
#include <linux/nbd.h>

#include "queue.h"

enum hdd_op cmd_op(const struct cmd *c)
{
	switch (c->type) {
	case NBD_CMD_WRITE:
		return c->flags & (NBD_CMD_FLAG_FUA >> 16) ? HDD_WRITE_FUA :
							     HDD_WRITE;
	case NBD_CMD_FLUSH:
		return HDD_FLUSH;
	case NBD_CMD_TRIM:
		return HDD_TRIM;
	default:
		return HDD_READ;
	}
}

int cmd_valid(const struct cmd *c, uint64_t capacity)
{
	if (c->type > NBD_CMD_TRIM || c->type == NBD_CMD_DISC)
		return 0;
	if (c->type == NBD_CMD_FLUSH)
		return 1;
	return c->from % HDD_SECTOR == 0 && c->len % HDD_SECTOR == 0 &&
	       c->from <= capacity && c->len <= capacity - c->from;
}

void cmd_plan(const struct hdd_model *m, const struct cmd *c, double t,
	      struct hdd_cost *cost)
{
	if (!cmd_valid(c, m->p.capacity)) {
		hdd_plan(m, t, HDD_TRIM, 0, 0, cost);
		return;
	}
	hdd_plan(m, t, cmd_op(c), c->from / HDD_SECTOR, c->len / HDD_SECTOR,
		 cost);
}

void queue_add(struct cmd_queue *q, struct cmd *c)
{
	if (q->tail)
		q->tail->next = c;
	else
		q->head = c;
	q->tail = c;
	q->queued++;
}

/*
 * The next command and its start time: with no command queueing the
 * oldest; with a queue depth, the shortest positioning time among the
 * first qd commands that have arrived when the disk is free, oldest first
 * once it has waited too long.  It leaves the list, not the count of
 * commands queued: that drops when it is answered.
 */
struct cmd *queue_pick(struct cmd_queue *q, struct hdd_model *m,
		       unsigned int qd, double free_at, double *start)
{
	struct cmd *c, *best = q->head, **pp, **bestp = &q->head;
	double t = free_at > q->head->arrival ? free_at : q->head->arrival;
	double bpos = INFINITY;
	unsigned int i = 0;

	*start = t;
	hdd_background(m, t);
	if (qd > 1 && t - q->head->arrival < AGE_LIMIT_NS) {
		for (pp = &q->head; (c = *pp) && i < qd; pp = &c->next, i++) {
			struct hdd_cost cost;
			double pos;

			if (c->arrival > t)
				continue;
			cmd_plan(m, c, t, &cost);
			pos = cost.done - t - cost.xfer;
			if (pos < bpos) {
				bpos = pos;
				best = c;
				bestp = pp;
			}
		}
	}
	*bestp = best->next;
	if (q->tail == best) {
		q->tail = NULL;
		for (c = q->head; c; c = c->next)
			q->tail = c;
	}
	return best;
}
