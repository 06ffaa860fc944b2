// SPDX-License-Identifier: GPL-2.0
/*
 * elvx: out-of-tree blk-mq I/O schedulers.
 *
 * One module registers two elevators: "cfq" (completely fair queueing with
 * per-process time slices, ioprio classes and cgroup weights) and
 * "xdeadline" (sector-sorted batches under read and write deadlines).
 */
#include <linux/blk-mq.h>
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#include "elvx.h"

/*
 * debugfs elvx/alive: the objects the module has allocated and not yet
 * freed, over every device; all 0 once no device uses cfq (the stress
 * runs check that after their teardown).  Root only, like the rest of
 * debugfs.
 */
static struct dentry *elvx_debugfs;

static int elvx_alive_show(struct seq_file *m, void *v)
{
	unsigned int queues, groups;

	cfq_alive(&queues, &groups);
	seq_printf(m, "cfq_queues %u\ncfq_groups %u\n", queues, groups);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(elvx_alive);

/*
 * Dispatch from the submitting task (both elevators' sync_dispatch).
 *
 * With an elevator attached, 6.1's blk_mq_submit_bio() inserts a request
 * that was not plugged and then runs the hardware queue asynchronously:
 * the dispatch happens in a kblockd worker, so every such request costs
 * a worker wake-up and two context switches, often an IPI as well ("none"
 * issues it directly instead).  Single-request io_submit() (libaio below
 * 3 iocbs is not plugged), io_uring without batching and O_DIRECT pread()
 * all take that path.  6.12's __submit_bio() plugs every bio, so there
 * the request is dispatched from the submitter either way.
 *
 * Called by an elevator's insert hook after it has dropped its lock, this
 * runs the queue synchronously, as the block layer does after a plug
 * flush, so the request usually reaches the driver before the block
 * layer's own asynchronous run, which then finds nothing to do and queues
 * no work.  Requests the device cannot take stay queued in the elevator,
 * where they are sorted and merged as before.
 *
 * Only for a task without a plug: with one, the insert comes from the
 * plug's flush, after which the block layer runs the queue itself
 * (synchronously, or deliberately from kblockd when the task is on its
 * way to sleep), so a run here would be a second one.  And only where the
 * block layer itself could dispatch synchronously: in task context,
 * preemptible (no spinlock held, interrupts on), and not for
 * BLK_MQ_F_BLOCKING drivers, whose dispatch may sleep.
 * blk_mq_run_hw_queue() itself still defers to kblockd on a CPU outside
 * the hardware queue's mask, and does nothing on a quiesced queue.
 *
 * The caller reads whether to call this under its lock and touches none
 * of its elevator data afterwards: once the lock is dropped, the requests
 * just inserted may complete and an elevator switch free that data.  The
 * hardware queue outlives it, and the block layer uses it there too.
 */
void elvx_run_from_submitter(struct blk_mq_hw_ctx *hctx)
{
	if (in_task() && !current->plug && preemptible() &&
	    !(hctx->flags & BLK_MQ_F_BLOCKING))
		blk_mq_run_hw_queue(hctx, false);
}

static int __init elvx_init(void)
{
	int ret;

	ret = cfq_register();
	if (ret)
		return ret;
	ret = xdeadline_register();
	if (ret) {
		cfq_unregister();
		return ret;
	}
	/* debugfs failures are not fatal, and are checked by debugfs itself */
	elvx_debugfs = debugfs_create_dir("elvx", NULL);
	debugfs_create_file("alive", 0400, elvx_debugfs, NULL, &elvx_alive_fops);
	return 0;
}

static void __exit elvx_exit(void)
{
	debugfs_remove_recursive(elvx_debugfs);
	xdeadline_unregister();
	cfq_unregister();
}

module_init(elvx_init);
module_exit(elvx_exit);

MODULE_AUTHOR("The elvx developers");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CFQ-style fair queueing and deadline I/O schedulers for blk-mq");
MODULE_VERSION(ELVX_VERSION);
MODULE_ALIAS("cfq-iosched");
MODULE_ALIAS("xdeadline-iosched");
