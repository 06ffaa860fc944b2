/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hddsim's command queue: the NBD requests read and not yet answered, and
 * the policy that picks the next one for the disk.
 */
#ifndef HDDSIM_QUEUE_H
#define HDDSIM_QUEUE_H

#include <stdint.h>

#include "model.h"

#define AGE_LIMIT_NS 500e6 /* NCQ: oldest first beyond this */

struct cmd {
	struct cmd *next;
	uint32_t type; /* NBD_CMD_* */
	uint32_t flags;
	char handle[8];
	uint64_t from;
	uint32_t len;
	char *buf;
	double arrival; /* simulated ns */
};

struct cmd_queue {
	struct cmd *head, *tail;
	unsigned int queued; /* read, not yet answered */
};

enum hdd_op cmd_op(const struct cmd *c);
/* Does the command fit the disk's @capacity (and is it one we serve)? */
int cmd_valid(const struct cmd *c, uint64_t capacity);
/* The model's cost for @c at time @t; an invalid command costs a no-op. */
void cmd_plan(const struct hdd_model *m, const struct cmd *c, double t,
	      struct hdd_cost *cost);

void queue_add(struct cmd_queue *q, struct cmd *c);
struct cmd *queue_pick(struct cmd_queue *q, struct hdd_model *m,
		       unsigned int qd, double free_at, double *start);

#endif
