// SPDX-License-Identifier: GPL-2.0
/*
 * elvx: out-of-tree blk-mq I/O schedulers.
 *
 * One module registers two elevators: "cfq" (completely fair queueing with
 * per-process time slices, ioprio classes and cgroup weights) and
 * "xdeadline" (sector-sorted batches under read and write deadlines).
 */
#include <linux/module.h>

#include "elvx.h"

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
	return 0;
}

static void __exit elvx_exit(void)
{
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
