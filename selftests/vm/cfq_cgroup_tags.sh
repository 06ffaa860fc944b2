#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# cfq's cgroup shares when the jobs together are deeper than the device
# has scheduler tags: three cgroups of weights 100, 200 and 400, each
# reading 32 deep, on a device of 64 tags (nr_requests).  Without a limit
# on the tags each group may hold, the waiting happens in the tag
# allocator, in arrival order, and the shares flatten to a third each;
# cfq_limit_depth() makes a group that holds more than its part of the
# tags wait at cfq's tag gate.  IOPS mode and time-slice mode, on 64 tags
# and on 128, and jobs 6 times deeper than the tags with low_latency on:
# every share within 20% of the ideal (the shares of
# cfq_cgroup.sh, 16 deep, are held to 10%).  Before the gate, when such
# a group waited in the allocator for a tag within its part, the
# weight-100 group got about half of its share in IOPS mode (7.6 % of
# the bytes for 14.3) and 85 % of it with time slices.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd jq

T=$CG/cfqtags
OUT=/tmp/cfq_cgroup_tags.json
cg_io_on

trap 'cg_teardown $T cfqtags0 cfqtags1' EXIT

mkdir $T && echo +io > $T/cgroup.subtree_control && mkdir $T/a $T/b $T/c ||
	skip_all "cannot make $T"
w() { printf '%s' "$2" > $1/io.cfq.weight; }
w $T/a 100; w $T/b 200; w $T/c 400

# shares WHAT DEV [LOW]: each cgroup reads 32 deep; the share of bytes of
# each must be within 20% of its weight's, but a's above LOW times its
# weight's (default 0.8) (cg_shares).
shares() {
	cg_shares "$1" "$2" 32 0.2 "${3:-0.8}" a:$T/a:1 b:$T/b:2 c:$T/c:4
}

# The slow device of cfq_cgroup.sh, 2 ms per request, 32 at a time: 64
# scheduler tags.  Non-rotational: IOPS mode.
dev=$(nullb_create cfqtags0 irqmode=2 completion_nsec=2000000 hw_queue_depth=32) ||
	skip_all "no null_blk"
n=${dev#/dev/}
sched_set $n cfq || skip_all "cannot select cfq"
t_eq "64 scheduler tags" "$(cat /sys/block/$n/queue/nr_requests)" 64
shares "IOPS mode, 3 x 32 deep on 64 tags" $dev

# Time-slice mode (rotational, idling), low_latency off as in cfq_cgroup.sh.
dev1=$(nullb_create cfqtags1 irqmode=2 completion_nsec=2000000 hw_queue_depth=32)
n1=${dev1#/dev/}
echo 1 > /sys/block/$n1/queue/rotational
sched_set $n1 cfq
iosched $n1 low_latency 0
t_eq "time-slice mode: slice_idle is 8" "$(iosched $n1 slice_idle)" 8
shares "time-slice mode, 3 x 32 deep on 64 tags" $dev1

# Default tunables (low_latency on), jobs 6 times deeper than the tags.
# Each group's part is an equal one (cfqg_tag_limit()): with parts by
# weight, the weight-100 group's 8 tags of 56 kept too few requests in
# flight in its own slices, and it got 0.05 of the bytes for 0.14.
iosched $n1 low_latency 1
cg_shares "time-slice mode, low_latency, 3 x 128 deep on 64 tags" $dev1 128 \
	0.2 0.8 a:$T/a:1 b:$T/b:2 c:$T/c:4

# Raising nr_requests above the jobs' total depth still works.
echo 128 > /sys/block/$n/queue/nr_requests
t_eq "nr_requests raised to 128" "$(cat /sys/block/$n/queue/nr_requests)" 128
shares "IOPS mode, 3 x 32 deep on 128 tags" $dev
t_done
