#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
#
# Debian 13's 6.12 (and Debian unstable's 7.2) beside 6.1: module/compat.h,
# which holds every difference between them, builds on each with every
# helper used; no other module file tests the kernel version; and the
# module builds for 6.12 in the trixie chroot of 'make deps KVER=6.12'.
# Skipped until that has been run (plain make check does not download
# 6.12; CI's does).  7.2 is built too when 'make deps KVER=7.2' has made
# its sid chroot; else a comment line says so, and nothing is skipped (CI
# never makes it).
. "$(dirname "$0")/../lib.sh"
cd "$ELVX_TOP"

t_check "no kernel version test in module/ outside compat.h" \
	bash -c "! grep -l 'LINUX_VERSION_CODE\|KERNEL_VERSION' module/*.c module/*.h | grep -v '^module/compat.h$'"
private='#include "\(elevator\|blk\|blk-mq\|blk-mq-sched\|blk-mq-tag\|blk-mq-debugfs\|blk-wbt\|blk-cgroup\)\.h"'
t_check "the private block headers come through compat.h only" \
	bash -c "! grep -l '$private' module/*.c module/*.h | grep -v '^module/compat.h$'"

chroot_kver() {	# SUITE: the release its chroot has the headers of
	local k
	k=$(cat "build/$1/kver" 2>/dev/null)
	[ -n "$k" ] && [ -e "build/$1/root/.elvx-headers-$k" ] && echo "$k"
}
kver=$(chroot_kver trixie) ||
	{ t_skip "6.12 builds: run make deps KVER=6.12 first"; t_done; }
need_root
kvers=("$kver")
if kver=$(chroot_kver sid); then
	kvers+=("$kver")
else
	t_log "7.2 not built: no sid chroot (make deps KVER=7.2 makes one)"
fi
hver=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
       grep -o 'linux-headers-[0-9][^ ,]*-amd64' | head -1 | sed 's/^linux-headers-//')

# A module that uses every helper of compat.h.
w=build/k612-check
rm -rf "$w/compat" && mkdir -p "$w/compat/module"
printf 'obj-m += module/\n' > "$w/compat/Kbuild"
printf 'ccflags-y += -I$(ELVX_KBLOCK)\nobj-m += compat-check.o\n' > "$w/compat/module/Kbuild"
cp module/compat.h "$w/compat/module/"
cat > "$w/compat/module/compat-check.c" <<'EOF'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/slab.h>

#include "compat.h"

static void cx_insert_requests(struct blk_mq_hw_ctx *hctx,
			       struct list_head *list, elvx_insert_t flags)
{
	struct request *rq, *next;

	list_for_each_entry_safe(rq, next, list, queuelist)
		if (elvx_insert_at_head(flags) &&
		    (rq->rq_flags & ELVX_RQF_ELVPRIV) &&
		    elvx_rq_ioprio(rq) && elvx_now_ns() &&
		    (!rq->bio || bio_prio(rq->bio)))
			list_del_init(&rq->queuelist);
}

ELVX_DEPTH_UPDATED_FN(cx_depth_updated, hctx)
{
	struct sbitmap_queue *bt = &hctx->sched_tags->bitmap_tags;

	sbitmap_queue_min_shallow_depth(bt, elvx_shallow_depth(bt, 3) +
					elvx_shallow_depth_of(3, 64, 6));
}

static int cx_init_hctx(struct blk_mq_hw_ctx *hctx, unsigned int idx)
{
	cx_depth_updated(ELVX_DEPTH_ARG(hctx));
	return 0;
}

static struct hrtimer cx_timer;

static enum hrtimer_restart cx_timer_fn(struct hrtimer *timer)
{
	return HRTIMER_NORESTART;
}

static int cx_init_sched(struct request_queue *q, elvx_init_sched_t e)
{
	struct elevator_queue *eq = elvx_elevator_alloc(q, e);

	if (!eq)
		return -ENOMEM;
	elvx_hrtimer_setup(&cx_timer, cx_timer_fn, CLOCK_MONOTONIC,
			   HRTIMER_MODE_REL);
	elvx_wbt_disable(eq, q);
	if (blk_queue_nonrot(q))
		elvx_wbt_enable(eq, q);
	elvx_elevator_put(eq);
	return -EINVAL;
}

static struct request *cx_dispatch_request(struct blk_mq_hw_ctx *hctx)
{
	return NULL;
}

static struct elevator_type cx_elv = {
	.ops = {
		.insert_requests	= cx_insert_requests,
		.dispatch_request	= cx_dispatch_request,
		.depth_updated		= cx_depth_updated,
		.init_hctx		= cx_init_hctx,
		.init_sched		= cx_init_sched,
		ELVX_NO_FINISH_REQUEST
	},
	.elevator_name = "elvx-compat",
	.elevator_owner = THIS_MODULE,
};

#ifdef CONFIG_BLK_CGROUP
static struct blkcg_policy cx_policy;

ELVX_PD_ALLOC_FN(cx_pd_alloc, gfp, q, blkcg)
{
	return kzalloc_node(sizeof(struct blkg_policy_data), gfp, q->node);
}

static void cx_pd_free(struct blkg_policy_data *pd)
{
	kfree(pd);
}

static void __maybe_unused cx_cpd_init(struct blkcg_policy_data *cpd)
{
}

static void __maybe_unused cx_cpd_bind(struct blkcg_policy_data *cpd)
{
}

static struct blkcg_policy cx_policy = {
	.pd_alloc_fn	= cx_pd_alloc,
	.pd_free_fn	= cx_pd_free,
	ELVX_CPD_INIT_BIND(cx_cpd_init, cx_cpd_bind)
};

int cx_cgroup(struct request_queue *q, struct blkcg *blkcg, char *input);
int cx_cgroup(struct request_queue *q, struct blkcg *blkcg, char *input)
{
	struct blkg_conf_ctx ctx;
	int ret;

	ret = elvx_blkcg_activate_policy(q, &cx_policy);
	if (ret)
		return ret;
	ret = elvx_blkg_conf_prep(blkcg, &cx_policy, input, &ctx);
	if (!ret)
		elvx_blkg_conf_finish(&ctx);
	elvx_blkcg_deactivate_policy(q, &cx_policy);
	return ret;
}
EXPORT_SYMBOL_GPL(cx_cgroup);
#endif

static int __init cx_init(void)
{
	return elv_register(&cx_elv);
}

static void __exit cx_exit(void)
{
	elv_unregister(&cx_elv);
}

module_init(cx_init);
module_exit(cx_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("elvx: compat.h on this kernel");
EOF

# compat.h with no warning (modpost's included) on each kernel.
if [ -n "$hver" ] && [ -d "/lib/modules/$hver/build" ] && [ -f build/ksrc/block/elevator.h ]; then
	out=$(make -C "/lib/modules/$hver/build" M="$PWD/$w/compat" \
		ELVX_KBLOCK="$PWD/build/ksrc/block" modules 2>&1)
	if [ $? = 0 ] && ! grep -q 'warning:\|WARNING:' <<<"$out"; then
		t_ok "compat.h builds with every helper on $hver"
	else
		t_fail "compat.h builds with every helper on $hver"; echo "$out" | tail -20
	fi
else
	t_skip "compat.h on the host's kernel: run make deps first"
fi
for kver in "${kvers[@]}"; do
	out=$(KVER=$kver KSRC=build/ksrc-$kver ELVX_SRC=$w/compat bash tools/kbuild-chroot.sh modules 2>&1)
	if [ $? = 0 ] && ! grep -q 'warning:\|WARNING:' <<<"$out"; then
		t_ok "compat.h builds with every helper on $kver"
	else
		t_fail "compat.h builds with every helper on $kver"; echo "$out" | tail -20
	fi
done

# The module itself, for 6.12 (and 7.2).
for kver in "${kvers[@]}"; do
	ko=$PWD/$w/elvx-$kver.ko
	rm -f "$ko"
	out=$(env -u KDIR -u KSRC make -s modules KVER="$kver" ELVX_KO="$ko" 2>&1)
	rc=$?
	if [ $rc = 0 ] && [ -f "$ko" ]; then
		t_ok "the module builds for $kver"
		t_eq "it is built for $kver" "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" "$kver"
		t_check "with no compiler warning on $kver" bash -c "! grep -q 'warning:' <<<\"\$1\"" _ "$out"
	else
		t_fail "the module builds for $kver"; echo "$out" | grep -E 'error|warning' | head -20
	fi
done
t_done
