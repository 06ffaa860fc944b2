// SPDX-License-Identifier: GPL-2.0
/*
 * elvx: out-of-tree blk-mq I/O schedulers.
 *
 * One module registers two elevators: "cfq" (completely fair queueing with
 * per-process time slices, ioprio classes and cgroup weights) and
 * "xdeadline" (sector-sorted batches under read and write deadlines).
 */
#include <linux/debugfs.h>
#include <linux/module.h>
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
