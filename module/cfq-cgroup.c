// SPDX-License-Identifier: GPL-2.0
/*
 * cfq: cgroup groups, as a blkcg policy ("cfq").
 *
 * Every (cgroup, device) pair with cfq on the device gets a cfq_group: the
 * blkcg core allocates our policy data with each blkg, and struct
 * cfq_group embeds it (cfq_group.cg.pd).  The root cgroup's group is the
 * one embedded in struct cfq_data.  A request goes to the group of its
 * bio's blkg (cfq_bio_cfqg(): two loads), so write-back is charged to the
 * cgroup that dirtied the pages, through the group's async queues.
 *
 * Groups with busy queues sit on the device's group service tree, keyed by
 * vdisktime; cfq-iosched.c serves the first and charges it the service it
 * used divided by its vfraction, its share of the device.  The share
 * compounds weight / (sum of the active siblings' weights) up to the root
 * (cfq_grp_activate() in cfq-sched.c): a child shares its parent's portion
 * with its siblings and with the parent's own queues, which weigh as
 * much as the parent (leaf_weight = weight, as legacy CFQ on cgroup v2).
 *
 * Weights: io.cfq.weight on cgroup v2 ("default 100", range 1..10000),
 * blkio.weight and blkio.weight_device on v1, legacy CFQ's names, also
 * as blkio.cfq.* (500, 10..1000); the root's own queues weigh twice the
 * default.  A new weight applies at
 * once (cfqg_set_weight()); the shares of groups on the tree follow at
 * their next service.  io.weight is blk-iocost's, hence "cfq." in names.
 *
 * Lifetime: a group is reference counted (cfqg_get(), cfqg_put()): by the
 * blkcg core until pd_free, by every queue linked to it, and by its child
 * groups, so that a group outlives its cgroup while its queues hold
 * requests.  When the cgroup goes (pd_offline), its busy queues move to
 * the first online ancestor with their requests, its async queues are
 * released, its statistics go to that ancestor, and requests still
 * tagged with its blkg go to that ancestor too.  A process moving to
 * another cgroup gets a new sync queue there with its next request
 * (cfq_rq_queue()).
 *
 * Locking:
 *  - cfq_data.lock protects the groups' scheduling state, weights and
 *    statistics.
 *  - The blkcg core calls pd_init with q->queue_lock held (and blkcg->lock
 *    when activating), pd_online and pd_offline with q->queue_lock and
 *    blkcg->lock, interrupts off; pd_free with both or none (a work
 *    item).  cfq_data.lock nests inside them: q->queue_lock, then
 *    blkcg->lock, then cfq_data.lock.  cfq-iosched.c never takes the
 *    first two under cfq_data.lock.
 *  - Nothing sleeps here except the cgroup file handlers outside the
 *    locks; policy data is allocated in pd_alloc with the core's gfp.
 *  - A group's policy data exists, and its cfq_data with it, while the
 *    policy is active on the queue; the core tests that under
 *    q->queue_lock or blkcg->lock, which our file handlers hold.
 *    cfq_exit_sched() deactivates the policy before freeing cfq_data.
 *  - pd_free may come from a work item after the elevator is gone: it
 *    only drops a reference, and freeing a group touches nothing else
 *    than its ancestors' reference counts.
 *  - cfq_cgroup_tag_limit() runs in limit_depth, without cfq_data.lock,
 *    under RCU: it reads nr_active, weight and children_weight with
 *    READ_ONCE (a heuristic: a stale value misjudges one allocation) and
 *    the atomic cg.nr_tags.
 */
#include <linux/backing-dev.h>
#include <linux/blkdev.h>
#include <linux/cgroup.h>
#include <linux/ctype.h>
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "blk-cgroup-rwstat.h"
#include "cfq-iosched.h"

/**
 * struct cfq_group_data - a cgroup's part, common to all devices
 * @cpd: the blkcg core's part
 * @weight: the cgroup's default weight
 *
 * Locking: @weight is written under blkcg->lock.
 */
struct cfq_group_data {
	struct blkcg_policy_data cpd;
	unsigned int weight;
};

static struct blkcg_policy blkcg_policy_cfq;

/* Groups allocated and not freed: module unload waits for none. */
static atomic_t cfq_nr_groups = ATOMIC_INIT(0);

static inline struct cfq_group *pd_to_cfqg(struct blkg_policy_data *pd)
{
	return pd ? container_of(pd, struct cfq_group, cg.pd) : NULL;
}

static inline struct cfq_group *blkg_to_cfqg(struct blkcg_gq *blkg)
{
	return pd_to_cfqg(blkg_to_pd(blkg, &blkcg_policy_cfq));
}

static inline struct cfq_group_data *cpd_to_cfqgd(struct blkcg_policy_data *cpd)
{
	return cpd ? container_of(cpd, struct cfq_group_data, cpd) : NULL;
}

static inline struct cfq_group_data *blkcg_to_cfqgd(struct blkcg *blkcg)
{
	return cpd_to_cfqgd(blkcg_to_cpd(blkcg, &blkcg_policy_cfq));
}

/*
 * The weight a new cgroup gets; the root's own queues weigh twice that
 * (the root has no weight file).
 */
static unsigned int cfq_default_weight(struct blkcg *blkcg)
{
	unsigned int w = cgroup_subsys_on_dfl(io_cgrp_subsys) ?
			 CGROUP_WEIGHT_DFL : CFQ_WEIGHT_LEGACY_DFL;

	return blkcg == &blkcg_root ? 2 * w : w;
}

/* ------------------------------ groups ------------------------------- */

/* Give @cfqg a new weight, now (cfq_grp_set_weight()). */
static void cfqg_set_weight(struct cfq_group *cfqg, unsigned int weight)
{
	lockdep_assert_held(&cfqg->cg.cfqd->lock);

	cfq_grp_set_weight(&cfqg->ent, weight);
}

/* The group requests of @cfqg go to: itself or its first online ancestor. */
static struct cfq_group *cfqg_online(struct cfq_group *cfqg)
{
	while (unlikely(!cfqg->cg.online) && cfqg->ent.parent)
		cfqg = cfqg_parent(cfqg);
	return cfqg;
}

/**
 * cfq_bio_cfqg - the group of a bio
 * @cfqd: the device
 * @bio: the bio; its blkg is that of the cgroup that submitted it, or
 *	that owns the pages it writes back
 *
 * Context: cfq_data.lock held; the bio pins its blkg, and the policy
 * data lives while the policy is active.
 * Return: the group, the root group for a bio without blkg.
 */
struct cfq_group *cfq_bio_cfqg(struct cfq_data *cfqd, struct bio *bio)
{
	struct blkcg_gq *blkg = bio->bi_blkg;
	struct cfq_group *cfqg;

	if (unlikely(!blkg || blkg->q != cfqd->queue))
		return &cfqd->root_group;
	cfqg = blkg_to_cfqg(blkg);
	if (unlikely(!cfqg))
		return &cfqd->root_group;
	return cfqg_online(cfqg);
}

/*
 * @cfqg asks for a tag while off the group tree: it may wait in the tag
 * allocator behind the other groups' requests, where cfq cannot see it.
 * Count it in its parent's want_count, once, until it joins the tree
 * (cfqg_want_clear()), so that its siblings' parts shrink to leave it
 * tags.  A group whose request never comes (a failed NOWAIT allocation)
 * stays counted until its next one.
 */
static void cfqg_want(struct cfq_group *cfqg)
{
	if (atomic_read(&cfqg->cg.wanting) ||
	    atomic_cmpxchg(&cfqg->cg.wanting, 0, 1))
		return;
	atomic_inc(&cfqg_parent(cfqg)->cg.want_count);
}

/*
 * Does @cfqg, or one of its ancestors, hold more than its part of @tags?
 * Going down from the root, each group's part is an equal part of its
 * parent's (cfq_grp_tag_limit() with a weight of 1): shared by the
 * parent's active children (its own queues counting as one, nr_active)
 * and the children waiting for tags off the tree (want_count).  Equal,
 * not by weight: a group's share comes from its slices (vdisktime), and
 * a group needs as many requests queued in its turn as the others in
 * theirs.  Parts by weight gave the weight-100 group of 100/200/400 8
 * tags of 56, too few to keep the device busy in its own slice: 0.04 to
 * 0.06 of the I/O for 0.14 with jobs 4 and 16 times nr_requests deep.
 * Parts under CFQ_TAG_PART_MIN are not kept (nor are the queues' within
 * them): on 8 tags, parts of one or two tags cost half the IOPS.
 * A group that is not active yet is not limited, so that cfq learns it
 * has work; it is counted as wanting.  Read without cfq_data.lock: a
 * stale value misjudges one allocation.  *@part is the group's own part,
 * 0 if it is not active.  Return: the part exceeded, 0 if none.
 */
static unsigned int cfqg_tag_limit(struct cfq_group *cfqg, unsigned int tags,
				   unsigned int *part)
{
	unsigned int depth = 0, limit = tags, i;
	struct cfq_group *pos, *parent;

	for (pos = cfqg; pos->ent.parent; pos = cfqg_parent(pos))
		depth++;

	while (depth) {
		unsigned int sum, share;

		for (pos = cfqg, i = 1; i < depth; i++)
			pos = cfqg_parent(pos);
		depth--;

		if (!READ_ONCE(pos->ent.nr_active)) {
			cfqg_want(pos);
			*part = 0;
			return 0;
		}
		parent = cfqg_parent(pos);
		sum = max(READ_ONCE(parent->ent.nr_active), 0) +
		      atomic_read(&parent->cg.want_count);
		share = cfq_grp_tag_limit(limit, 1, sum);
		if (!share)
			continue;
		/* too small to keep the device busy: not kept, as a queue's */
		if (share < CFQ_TAG_PART_MIN) {
			*part = 0;
			return 0;
		}
		limit = share;
		if (atomic_read(&pos->cg.nr_tags) >= limit)
			return limit;
	}
	*part = limit;
	return 0;
}

/**
 * cfq_cgroup_tag_limit - is the submitter over its part of tags?
 * @cfqd: the device
 * @tags: the scheduler tags of requests waiting in cfq (not in the driver)
 * @cic: the submitter's link to the device, to weigh its sync queue
 *	against the others of its group (cfqq_tag_limit()), or NULL
 *
 * blk-mq has one set of scheduler tags per device: a group that holds
 * more than its weight's part of them makes the others wait for a tag,
 * in arrival order, where cfq cannot order them.  Each group's nr_tags
 * counts its requests waiting in cfq, those cfq orders; the tags of
 * requests in the driver are not contended for by the groups' turns.
 * cfq_limit_depth() lets a group over its part take only tags within
 * that part of the bitmap (as bfq does, with one tag).  Within the group,
 * its processes' sync queues share its part (cfqq_tag_limit()).
 *
 * The group is that of the current task's cgroup: the bio does not exist
 * yet, and it is the cgroup the bio will be charged to unless the
 * submitter writes back for another (cfq_limit_depth() asks for sync
 * requests only) or a kthread submits for a cgroup (loop).
 *
 * Context: the submitter's, without cfq_data.lock, may not sleep.  Under
 * RCU, the blkg found is not released, nor its policy data (pd_free comes
 * after a grace period); a group pins its ancestors.  The policy is not
 * deactivated while the queue is in use (blk-mq freezes it first).
 * Return: the part, in tags, of the group, ancestor or queue over it; 0
 * if none.
 */
unsigned int cfq_cgroup_tag_limit(struct cfq_data *cfqd, unsigned int tags,
				  const struct cfq_io_cq *cic)
{
	struct cgroup_subsys_state *css;
	struct cfq_group *cfqg = NULL;
	struct blkcg_gq *blkg;
	unsigned int over = 0, part = tags;

	rcu_read_lock();
	css = task_css(current, io_cgrp_id);
	if (css == &blkcg_root.css) {
		cfqg = &cfqd->root_group;
	} else {
		blkg = blkg_lookup(css_to_blkcg(css), cfqd->queue);
		if (blkg)
			cfqg = blkg_to_cfqg(blkg);
		if (cfqg) {
			cfqg = cfqg_online(cfqg);
			over = cfqg_tag_limit(cfqg, tags, &part);
		}
	}
	if (!over && part && cfqg && cic)
		over = cfqq_tag_limit(cfqd, cfqg, part, cic);
	rcu_read_unlock();
	return over;
}

/**
 * cfqg_free - free a group whose last reference went
 * @cfqg: the group, not the root group
 *
 * No queue and no child group points at it any more; it is off the group
 * tree.  Drops its reference on its parent, which may go too.
 */
void cfqg_free(struct cfq_group *cfqg)
{
	while (cfqg) {
		struct cfq_group *parent = cfqg->cg.pin_parent ?
					   cfqg_parent(cfqg) : NULL;

		kfree(cfqg);
		atomic_dec(&cfq_nr_groups);
		if (!parent || !refcount_dec_and_test(&parent->cg.ref))
			break;
		cfqg = parent;
	}
}

/* ----------------------------- statistics ---------------------------- */

static void cfqg_stats_add(struct cfqg_stats *to, const struct cfqg_stats *s,
			   bool queued)
{
	int i;

	for (i = 0; i < CFQG_STAT_NR; i++) {
		to->ios[i] += s->ios[i];
		to->bytes[i] += s->bytes[i];
		to->service_time[i] += s->service_time[i];
		to->wait_time[i] += s->wait_time[i];
		to->merged[i] += s->merged[i];
		if (queued)
			to->queued[i] += s->queued[i];
	}
	to->idle_time += s->idle_time;
	to->dequeue += s->dequeue;
	to->time += s->time;
}

/* @cfqg's own counters, with the disk time it was charged. */
static void cfqg_stats_own(struct cfq_group *cfqg, struct cfqg_stats *s)
{
	*s = cfqg->cg.stats;
	s->time = cfqg->time_used;
}

/*
 * The counters of the group of @blkg, or (@recursive) of its subtree:
 * online descendants and what removed ones left.  Called with
 * q->queue_lock held (blkcg_print_blkgs()), which keeps the blkgs and
 * their policy data.
 */
static void cfqg_stats_collect(struct blkcg_gq *blkg, struct cfqg_stats *sum,
			       bool recursive)
{
	struct cgroup_subsys_state *pos_css;
	struct blkcg_gq *pos_blkg;

	struct cfq_group *cfqg = blkg_to_cfqg(blkg);

	lockdep_assert_held(&blkg->q->queue_lock);

	if (!recursive) {
		spin_lock(&cfqg->cg.cfqd->lock);
		cfqg_stats_own(cfqg, sum);
		spin_unlock(&cfqg->cg.cfqd->lock);
		return;
	}

	memset(sum, 0, sizeof(*sum));
	rcu_read_lock();
	blkg_for_each_descendant_pre(pos_blkg, pos_css, blkg) {
		struct cfqg_stats own;

		cfqg = blkg_to_cfqg(pos_blkg);
		if (!cfqg || !pos_blkg->online)
			continue;
		spin_lock(&cfqg->cg.cfqd->lock);
		cfqg_stats_own(cfqg, &own);
		cfqg_stats_add(sum, &own, true);
		cfqg_stats_add(sum, &cfqg->cg.dead_stats, false);
		spin_unlock(&cfqg->cg.cfqd->lock);
	}
	rcu_read_unlock();
}

static const char *cfqg_dev_name(struct blkcg_gq *blkg)
{
	struct gendisk *disk = blkg->q->disk;

	if (!disk || !disk->bdi || !disk->bdi->dev)
		return NULL;
	return disk->bdi->dev_name;
}

/* One io.cfq.stat line: this cgroup and its descendants on a device. */
static u64 cfqg_prfill_stat_dfl(struct seq_file *sf,
				struct blkg_policy_data *pd, int off)
{
	const char *dname = cfqg_dev_name(pd->blkg);
	struct cfqg_stats s;

	if (!dname)
		return 0;
	cfqg_stats_collect(pd->blkg, &s, true);
	seq_printf(sf, "%s rios=%llu wios=%llu dios=%llu rbytes=%llu wbytes=%llu dbytes=%llu",
		   dname, s.ios[CFQG_STAT_READ], s.ios[CFQG_STAT_WRITE],
		   s.ios[CFQG_STAT_DISCARD], s.bytes[CFQG_STAT_READ],
		   s.bytes[CFQG_STAT_WRITE], s.bytes[CFQG_STAT_DISCARD]);
	seq_printf(sf, " service_time=%llu wait_time=%llu idle_time=%llu time=%llu",
		   s.service_time[CFQG_STAT_SYNC] + s.service_time[CFQG_STAT_ASYNC],
		   s.wait_time[CFQG_STAT_SYNC] + s.wait_time[CFQG_STAT_ASYNC],
		   s.idle_time, s.time);
	seq_printf(sf, " merged=%llu queued=%llu dequeue=%llu\n",
		   s.merged[CFQG_STAT_SYNC] + s.merged[CFQG_STAT_ASYNC],
		   s.queued[CFQG_STAT_SYNC] + s.queued[CFQG_STAT_ASYNC],
		   s.dequeue);
	return 0;
}

static int cfqg_print_stat_dfl(struct seq_file *sf, void *v)
{
	blkcg_print_blkgs(sf, css_to_blkcg(seq_css(sf)), cfqg_prfill_stat_dfl,
			  &blkcg_policy_cfq, 0, false);
	return 0;
}

/*
 * The cgroup v1 statistics files, legacy CFQ's: cftype.private is one of
 * these, ORed with CFQG_STAT_RECURSIVE for the _recursive twin.
 */
enum cfqg_stat_file {
	CFQG_FILE_TIME,
	CFQG_FILE_SECTORS,
	CFQG_FILE_IDLE_TIME,
	CFQG_FILE_DEQUEUE,
	CFQG_FILE_SERVICE_BYTES,	/* the first one by direction */
	CFQG_FILE_SERVICED,
	CFQG_FILE_SERVICE_TIME,
	CFQG_FILE_WAIT_TIME,
	CFQG_FILE_MERGED,
	CFQG_FILE_QUEUED,
};

#define CFQG_STAT_RECURSIVE	0x100

static u64 *cfqg_stat_dir_counters(struct cfqg_stats *s, int file)
{
	switch (file) {
	case CFQG_FILE_SERVICE_BYTES:
		return s->bytes;
	case CFQG_FILE_SERVICED:
		return s->ios;
	case CFQG_FILE_SERVICE_TIME:
		return s->service_time;
	case CFQG_FILE_WAIT_TIME:
		return s->wait_time;
	case CFQG_FILE_MERGED:
		return s->merged;
	default:
		return s->queued;
	}
}

static u64 cfqg_prfill_stat_legacy(struct seq_file *sf,
				   struct blkg_policy_data *pd, int off)
{
	int file = off & ~CFQG_STAT_RECURSIVE;
	struct cfqg_stats s;
	u64 v;

	cfqg_stats_collect(pd->blkg, &s, off & CFQG_STAT_RECURSIVE);

	if (file >= CFQG_FILE_SERVICE_BYTES) {
		struct blkg_rwstat_sample rws;
		u64 *cnt = cfqg_stat_dir_counters(&s, file);
		int i;

		BUILD_BUG_ON((int)CFQG_STAT_NR != (int)BLKG_RWSTAT_NR ||
			     (int)CFQG_STAT_DISCARD != (int)BLKG_RWSTAT_DISCARD);
		for (i = 0; i < CFQG_STAT_NR; i++)
			rws.cnt[i] = cnt[i];
		return __blkg_prfill_rwstat(sf, pd, &rws);
	}

	switch (file) {
	case CFQG_FILE_TIME:
		v = s.time;
		break;
	case CFQG_FILE_SECTORS:
		v = (s.bytes[CFQG_STAT_READ] + s.bytes[CFQG_STAT_WRITE] +
		     s.bytes[CFQG_STAT_DISCARD]) >> SECTOR_SHIFT;
		break;
	case CFQG_FILE_IDLE_TIME:
		v = s.idle_time;
		break;
	default:
		v = s.dequeue;
		break;
	}
	return __blkg_prfill_u64(sf, pd, v);
}

static int cfqg_print_stat_legacy(struct seq_file *sf, void *v)
{
	int off = seq_cft(sf)->private;

	blkcg_print_blkgs(sf, css_to_blkcg(seq_css(sf)), cfqg_prfill_stat_legacy,
			  &blkcg_policy_cfq, off,
			  (off & ~CFQG_STAT_RECURSIVE) >= CFQG_FILE_SERVICE_BYTES);
	return 0;
}

/* ------------------------------ weights ------------------------------ */

/*
 * Set the default weight of @blkcg, and apply it on every device where
 * the cgroup has no weight of its own (@reset_dev: drop those too).
 */
static void cfq_blkcg_set_weight(struct blkcg *blkcg, unsigned int weight,
				 bool reset_dev)
{
	struct cfq_group_data *cgd;
	struct blkcg_gq *blkg;

	spin_lock_irq(&blkcg->lock);
	cgd = blkcg_to_cfqgd(blkcg);
	if (cgd)
		cgd->weight = weight;
	hlist_for_each_entry(blkg, &blkcg->blkg_list, blkcg_node) {
		struct cfq_group *cfqg = blkg_to_cfqg(blkg);

		if (!cfqg)
			continue;
		spin_lock(&cfqg->cg.cfqd->lock);
		if (reset_dev)
			cfqg->cg.dev_weight = 0;
		cfqg_set_weight(cfqg, cfqg->cg.dev_weight ?: weight);
		spin_unlock(&cfqg->cg.cfqd->lock);
	}
	spin_unlock_irq(&blkcg->lock);
}

/*
 * "MAJ:MIN WEIGHT" or "MAJ:MIN default" (@zero_resets: "MAJ:MIN 0" too):
 * the weight of @blkcg on one device.  Return: 0 or -errno; an unknown
 * device or a partition is -EINVAL, a device without cfq -EOPNOTSUPP.
 */
static int cfq_set_weight_device(struct blkcg *blkcg, char *buf,
				 unsigned int min, unsigned int max,
				 bool zero_resets)
{
	struct cfq_group_data *cgd = blkcg_to_cfqgd(blkcg);
	struct blkg_conf_ctx ctx;
	struct cfq_group *cfqg;
	unsigned int v;
	char *body;
	int ret;

	ret = elvx_blkg_conf_prep(blkcg, &blkcg_policy_cfq, buf, &ctx);
	if (ret)
		return ret == -ENODEV ? -EINVAL : ret;

	body = strim(ctx.body);
	if (!strcmp(body, "default")) {
		v = 0;
	} else if (kstrtouint(body, 10, &v) ||
		   !cfq_weight_valid(v, min, max, zero_resets)) {
		ret = -EINVAL;
		goto out;
	}

	cfqg = blkg_to_cfqg(ctx.blkg);
	spin_lock(&blkcg->lock);
	spin_lock(&cfqg->cg.cfqd->lock);
	cfqg->cg.dev_weight = v;
	cfqg_set_weight(cfqg, v ?: cgd->weight);
	spin_unlock(&cfqg->cg.cfqd->lock);
	spin_unlock(&blkcg->lock);
out:
	elvx_blkg_conf_finish(&ctx);
	return ret;
}

static u64 cfqg_prfill_weight_device(struct seq_file *sf,
				     struct blkg_policy_data *pd, int off)
{
	struct cfq_group *cfqg = pd_to_cfqg(pd);

	if (!cfqg->cg.dev_weight)
		return 0;
	return __blkg_prfill_u64(sf, pd, cfqg->cg.dev_weight);
}

/* io.cfq.weight: "default W", then "MAJ:MIN W" per device weight. */
static int cfq_print_weight_dfl(struct seq_file *sf, void *v)
{
	struct blkcg *blkcg = css_to_blkcg(seq_css(sf));
	struct cfq_group_data *cgd = blkcg_to_cfqgd(blkcg);

	seq_printf(sf, "default %u\n", cgd ? cgd->weight : 0);
	blkcg_print_blkgs(sf, blkcg, cfqg_prfill_weight_device,
			  &blkcg_policy_cfq, 0, false);
	return 0;
}

/*
 * io.cfq.weight: "W" or "default W" sets the cgroup's default weight,
 * "MAJ:MIN W" its weight on one device, "MAJ:MIN default" removes that.
 */
static ssize_t cfq_set_weight_dfl(struct kernfs_open_file *of, char *buf,
				  size_t nbytes, loff_t off)
{
	struct blkcg *blkcg = css_to_blkcg(of_css(of));
	unsigned int v;
	char *p;
	int ret;

	buf = strim(buf);
	p = buf;
	if (!strncmp(p, "default", 7) && isspace(p[7]))
		p = skip_spaces(p + 7);

	if (p != buf || !strchr(buf, ':')) {
		if (kstrtouint(p, 10, &v) ||
		    !cfq_weight_valid(v, CGROUP_WEIGHT_MIN, CGROUP_WEIGHT_MAX,
				      false))
			return -EINVAL;
		cfq_blkcg_set_weight(blkcg, v, false);
		return nbytes;
	}

	ret = cfq_set_weight_device(blkcg, buf, CGROUP_WEIGHT_MIN,
				    CGROUP_WEIGHT_MAX, false);
	return ret ?: nbytes;
}

/* blkio.weight, blkio.cfq.weight */
static u64 cfq_read_weight_legacy(struct cgroup_subsys_state *css,
				  struct cftype *cft)
{
	struct cfq_group_data *cgd = blkcg_to_cfqgd(css_to_blkcg(css));

	return cgd ? cgd->weight : 0;
}

static int cfq_write_weight_legacy(struct cgroup_subsys_state *css,
				   struct cftype *cft, u64 val)
{
	if (!cfq_weight_valid(val, CFQ_WEIGHT_LEGACY_MIN, CFQ_WEIGHT_LEGACY_MAX,
			      false))
		return -EINVAL;
	cfq_blkcg_set_weight(css_to_blkcg(css), val, false);
	return 0;
}

/* blkio.weight_device, blkio.cfq.weight_device: "MAJ:MIN W" per device. */
static int cfq_print_weight_device_legacy(struct seq_file *sf, void *v)
{
	blkcg_print_blkgs(sf, css_to_blkcg(seq_css(sf)),
			  cfqg_prfill_weight_device, &blkcg_policy_cfq, 0,
			  false);
	return 0;
}

static ssize_t cfq_set_weight_device_legacy(struct kernfs_open_file *of,
					    char *buf, size_t nbytes,
					    loff_t off)
{
	int ret;

	ret = cfq_set_weight_device(css_to_blkcg(of_css(of)), strim(buf),
				    CFQ_WEIGHT_LEGACY_MIN,
				    CFQ_WEIGHT_LEGACY_MAX, true);
	return ret ?: nbytes;
}

/* --------------------------- policy hooks ---------------------------- */

static struct blkcg_policy_data *cfq_cpd_alloc(gfp_t gfp)
{
	struct cfq_group_data *cgd = kzalloc(sizeof(*cgd), gfp);

	if (!cgd)
		return NULL;
	cgd->weight = cfq_default_weight(NULL);
	return &cgd->cpd;
}

static void __maybe_unused cfq_cpd_init(struct blkcg_policy_data *cpd)
{
	struct cfq_group_data *cgd = cpd_to_cfqgd(cpd);

	cgd->weight = cfq_default_weight(cpd_to_blkcg(cpd));
}

static void cfq_cpd_free(struct blkcg_policy_data *cpd)
{
	kfree(cpd_to_cfqgd(cpd));
}

/* The io controller moved between cgroup v1 and v2: back to defaults. */
static void __maybe_unused cfq_cpd_bind(struct blkcg_policy_data *cpd)
{
	struct blkcg *blkcg = cpd_to_blkcg(cpd);

	cfq_blkcg_set_weight(blkcg, cfq_default_weight(blkcg), true);
}

/*
 * The root cgroup's group is cfqd->root_group, ready since
 * cfq_init_sched(), which set q->elevator for us to find cfqd.
 */
ELVX_PD_ALLOC_FN(cfq_pd_alloc, gfp, q, blkcg)
{
	struct cfq_data *cfqd = q->elevator->elevator_data;
	struct cfq_group *cfqg;

	if (blkcg == &blkcg_root) {
		cfqd->root_group.cg.cfqd = cfqd;
		return &cfqd->root_group.cg.pd;
	}

	cfqg = kmalloc_node(sizeof(*cfqg), gfp, q->node);
	if (!cfqg)
		return NULL;
	cfq_group_init(cfqg, NULL, CGROUP_WEIGHT_DFL, elvx_now_ns());
	cfqg->cg.cfqd = cfqd;
	refcount_set(&cfqg->cg.ref, 1);
	atomic_inc(&cfq_nr_groups);
	return &cfqg->cg.pd;
}

/* Link the group to its parent: the parent blkg's group, made first. */
static void cfq_pd_init(struct blkg_policy_data *pd)
{
	struct cfq_group *cfqg = pd_to_cfqg(pd);
	struct blkcg_gq *blkg = pd_to_blkg(pd);
	struct cfq_group *parent;

	if (!blkg->parent)
		return;
	parent = blkg_to_cfqg(blkg->parent);
	if (WARN_ON_ONCE(!parent))
		parent = &cfqg->cg.cfqd->root_group;
	cfqg->ent.parent = &parent->ent;
	if (parent->ent.parent) {
		cfqg_get(parent);
		cfqg->cg.pin_parent = true;
	}
}

/*
 * Under blkcg->lock, after the blkg is visible on the cgroup's list: a
 * concurrent change of the default weight either finds it or has set the
 * default we read.
 */
static void cfq_pd_online(struct blkg_policy_data *pd)
{
	struct cfq_group *cfqg = pd_to_cfqg(pd);
	struct blkcg *blkcg = pd->blkg->blkcg;
	struct cfq_data *cfqd = cfqg->cg.cfqd;
	unsigned int weight = cfq_default_weight(blkcg);
	unsigned long flags;

	if (blkcg != &blkcg_root)
		weight = blkcg_to_cfqgd(blkcg)->weight;
	spin_lock_irqsave(&cfqd->lock, flags);
	cfqg_set_weight(cfqg, cfqg->cg.dev_weight ?: weight);
	cfqg->cg.online = true;
	spin_unlock_irqrestore(&cfqd->lock, flags);
}

/*
 * The cgroup goes, or the policy is deactivated: the group's busy queues
 * move to its first online ancestor with their requests, its async queues
 * are released (they live on while they hold requests), and its counters
 * go to that ancestor.  The group lives on while queues point at it.
 */
static void cfq_pd_offline(struct blkg_policy_data *pd)
{
	struct cfq_group *cfqg = pd_to_cfqg(pd);
	struct cfq_data *cfqd = cfqg->cg.cfqd;
	struct cfq_rb_root *st;
	struct cfq_st_entity *e;
	struct cfq_group *to;
	struct cfqg_stats own;
	unsigned long flags;
	bool kick;
	int i;

	if (!cfqg->ent.parent)	/* the root group: cfq_exit_sched() */
		return;

	spin_lock_irqsave(&cfqd->lock, flags);
	cfqg->cg.online = false;
	to = cfqg_online(cfqg);
	cfqg_want_clear(cfqg);

	cfq_put_async_queues(cfqd, cfqg);
	for_each_cfqg_st(cfqg, i, st)
		while ((e = cfq_st_first(st)))
			cfq_move_cfqq(cfqd, container_of(e, struct cfq_queue,
							 st), to);

	cfqg_stats_own(cfqg, &own);
	cfqg_stats_add(&to->cg.dead_stats, &own, false);
	cfqg_stats_add(&to->cg.dead_stats, &cfqg->cg.dead_stats, false);
	memset(&cfqg->cg.dead_stats, 0, sizeof(cfqg->cg.dead_stats));

	kick = cfq_kick_needed(cfqd);
	spin_unlock_irqrestore(&cfqd->lock, flags);

	if (kick)
		blk_mq_run_hw_queues(cfqd->queue, true);
}

static void cfq_pd_free(struct blkg_policy_data *pd)
{
	struct cfq_group *cfqg = pd_to_cfqg(pd);

	if (cfqg == &cfqg->cg.cfqd->root_group)
		return;
	if (!cfqg->ent.parent)	/* never initialised */
		cfqg_free(cfqg);
	else
		cfqg_put(cfqg);
}

/* blkio.reset_stats; the number of queued requests is not a sum. */
static void cfq_pd_reset_stats(struct blkg_policy_data *pd)
{
	struct cfq_group *cfqg = pd_to_cfqg(pd);
	struct cfq_data *cfqd = cfqg->cg.cfqd;
	struct cfqg_stats *s = &cfqg->cg.stats;
	u64 queued[CFQG_STAT_NR];
	unsigned long flags;

	spin_lock_irqsave(&cfqd->lock, flags);
	memcpy(queued, s->queued, sizeof(queued));
	memset(s, 0, sizeof(*s));
	memcpy(s->queued, queued, sizeof(queued));
	memset(&cfqg->cg.dead_stats, 0, sizeof(cfqg->cg.dead_stats));
	cfqg->time_used = 0;
	spin_unlock_irqrestore(&cfqd->lock, flags);
}

/* ------------------------------- files ------------------------------- */

static struct cftype cfq_blkcg_files[] = {
	{
		.name = "cfq.weight",
		.flags = CFTYPE_NOT_ON_ROOT,
		.seq_show = cfq_print_weight_dfl,
		.write = cfq_set_weight_dfl,
	},
	{
		.name = "cfq.stat",
		.seq_show = cfqg_print_stat_dfl,
	},
	{ }	/* terminate */
};

/*
 * cgroup v1: legacy CFQ's names (blkio.weight, blkio.time, ...), which no
 * in-tree policy of 6.1 or 6.12 registers (bfq's are blkio.bfq.*,
 * blk-throttle's blkio.throttle.*, the core's blkio.reset_stats,
 * blk-ioprio's blkio.prio.class; blk-iocost and blk-iolatency have no v1
 * files), and the same files as blkio.cfq.*.  A name taken twice would
 * make cgroup_add_legacy_cftypes() fail.  blkio.leaf_weight is not
 * offered: a group's own tasks weigh as much as the group against its
 * children (see cfqg_set_weight()), there is no separate leaf weight.
 */
#define CFQ_WEIGHT_FILE(fname)						\
	{								\
		.name = fname,						\
		.flags = CFTYPE_NOT_ON_ROOT,				\
		.read_u64 = cfq_read_weight_legacy,			\
		.write_u64 = cfq_write_weight_legacy,			\
	}
#define CFQ_WEIGHT_DEVICE_FILE(fname)					\
	{								\
		.name = fname,						\
		.flags = CFTYPE_NOT_ON_ROOT,				\
		.seq_show = cfq_print_weight_device_legacy,		\
		.write = cfq_set_weight_device_legacy,			\
	}
#define CFQ_STAT_FILE(fname, file)					\
	{								\
		.name = fname,						\
		.private = (file),					\
		.seq_show = cfqg_print_stat_legacy,			\
	}
#define R	CFQG_STAT_RECURSIVE

static struct cftype cfq_blkcg_legacy_files[] = {
	/* legacy CFQ's names */
	CFQ_WEIGHT_FILE("weight"),
	CFQ_WEIGHT_DEVICE_FILE("weight_device"),
	CFQ_STAT_FILE("time", CFQG_FILE_TIME),
	CFQ_STAT_FILE("time_recursive", CFQG_FILE_TIME | R),
	CFQ_STAT_FILE("sectors", CFQG_FILE_SECTORS),
	CFQ_STAT_FILE("sectors_recursive", CFQG_FILE_SECTORS | R),
	CFQ_STAT_FILE("io_service_bytes", CFQG_FILE_SERVICE_BYTES),
	CFQ_STAT_FILE("io_service_bytes_recursive", CFQG_FILE_SERVICE_BYTES | R),
	CFQ_STAT_FILE("io_serviced", CFQG_FILE_SERVICED),
	CFQ_STAT_FILE("io_serviced_recursive", CFQG_FILE_SERVICED | R),
	CFQ_STAT_FILE("io_service_time", CFQG_FILE_SERVICE_TIME),
	CFQ_STAT_FILE("io_service_time_recursive", CFQG_FILE_SERVICE_TIME | R),
	CFQ_STAT_FILE("io_wait_time", CFQG_FILE_WAIT_TIME),
	CFQ_STAT_FILE("io_wait_time_recursive", CFQG_FILE_WAIT_TIME | R),
	CFQ_STAT_FILE("io_merged", CFQG_FILE_MERGED),
	CFQ_STAT_FILE("io_merged_recursive", CFQG_FILE_MERGED | R),
	CFQ_STAT_FILE("io_queued", CFQG_FILE_QUEUED),
	CFQ_STAT_FILE("io_queued_recursive", CFQG_FILE_QUEUED | R),
	/* the same files as blkio.cfq.* */
	CFQ_WEIGHT_FILE("cfq.weight"),
	CFQ_WEIGHT_DEVICE_FILE("cfq.weight_device"),
	CFQ_STAT_FILE("cfq.time", CFQG_FILE_TIME),
	CFQ_STAT_FILE("cfq.time_recursive", CFQG_FILE_TIME | R),
	CFQ_STAT_FILE("cfq.sectors", CFQG_FILE_SECTORS),
	CFQ_STAT_FILE("cfq.sectors_recursive", CFQG_FILE_SECTORS | R),
	CFQ_STAT_FILE("cfq.io_service_bytes", CFQG_FILE_SERVICE_BYTES),
	CFQ_STAT_FILE("cfq.io_service_bytes_recursive", CFQG_FILE_SERVICE_BYTES | R),
	CFQ_STAT_FILE("cfq.io_serviced", CFQG_FILE_SERVICED),
	CFQ_STAT_FILE("cfq.io_serviced_recursive", CFQG_FILE_SERVICED | R),
	CFQ_STAT_FILE("cfq.io_service_time", CFQG_FILE_SERVICE_TIME),
	CFQ_STAT_FILE("cfq.io_service_time_recursive", CFQG_FILE_SERVICE_TIME | R),
	CFQ_STAT_FILE("cfq.io_wait_time", CFQG_FILE_WAIT_TIME),
	CFQ_STAT_FILE("cfq.io_wait_time_recursive", CFQG_FILE_WAIT_TIME | R),
	CFQ_STAT_FILE("cfq.io_merged", CFQG_FILE_MERGED),
	CFQ_STAT_FILE("cfq.io_merged_recursive", CFQG_FILE_MERGED | R),
	CFQ_STAT_FILE("cfq.io_queued", CFQG_FILE_QUEUED),
	CFQ_STAT_FILE("cfq.io_queued_recursive", CFQG_FILE_QUEUED | R),
	/* legacy CFQ's debugging statistics, as blkio.cfq.* only */
	CFQ_STAT_FILE("cfq.idle_time", CFQG_FILE_IDLE_TIME),
	CFQ_STAT_FILE("cfq.idle_time_recursive", CFQG_FILE_IDLE_TIME | R),
	CFQ_STAT_FILE("cfq.dequeue", CFQG_FILE_DEQUEUE),
	CFQ_STAT_FILE("cfq.dequeue_recursive", CFQG_FILE_DEQUEUE | R),
	{ }	/* terminate */
};

#undef R
#undef CFQ_STAT_FILE
#undef CFQ_WEIGHT_DEVICE_FILE
#undef CFQ_WEIGHT_FILE

static struct blkcg_policy blkcg_policy_cfq = {
	.dfl_cftypes		= cfq_blkcg_files,
	.legacy_cftypes		= cfq_blkcg_legacy_files,

	.cpd_alloc_fn		= cfq_cpd_alloc,
	.cpd_free_fn		= cfq_cpd_free,
	ELVX_CPD_INIT_BIND(cfq_cpd_init, cfq_cpd_bind)

	.pd_alloc_fn		= cfq_pd_alloc,
	.pd_init_fn		= cfq_pd_init,
	.pd_online_fn		= cfq_pd_online,
	.pd_offline_fn		= cfq_pd_offline,
	.pd_free_fn		= cfq_pd_free,
	.pd_reset_stats_fn	= cfq_pd_reset_stats,
};

/* ------------------------- elevator interface ------------------------ */

/* From cfq_init_sched(): the groups of the existing blkgs are made. */
int cfq_cgroup_init(struct cfq_data *cfqd)
{
	return elvx_blkcg_activate_policy(cfqd->queue, &blkcg_policy_cfq);
}

/* From cfq_exit_sched(): every group is taken offline and released. */
void cfq_cgroup_exit(struct cfq_data *cfqd)
{
	elvx_blkcg_deactivate_policy(cfqd->queue, &blkcg_policy_cfq);
}

unsigned int cfq_cgroup_alive(void)
{
	return atomic_read(&cfq_nr_groups);
}

int cfq_cgroup_register(void)
{
	return blkcg_policy_register(&blkcg_policy_cfq);
}

/*
 * The blkcg core frees the policy data of a removed cgroup's blkg from a
 * work item, through blkcg_policy[]: wait until none is left before
 * unregistering, or the work would find no policy there.
 */
void cfq_cgroup_unregister(void)
{
	unsigned int waited = 0;

	while (atomic_read(&cfq_nr_groups)) {
		rcu_barrier();
		msleep(20);
		if (++waited % 500 == 0)
			pr_warn("cfq: waiting for %d groups to be released\n",
				atomic_read(&cfq_nr_groups));
	}
	blkcg_policy_unregister(&blkcg_policy_cfq);
}
