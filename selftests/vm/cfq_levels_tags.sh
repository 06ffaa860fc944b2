#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
#
# cfq's BE levels when the processes together are deeper than the device
# has scheduler tags: three readers at BE 0, 4 and 7, each 32 deep, on a
# rotational device of 64 tags (nr_requests), default tunables (time
# slices, idling, low_latency).  Without a part of the tags for each sync
# queue, the waiting happens in the tag allocator, in arrival order, and
# the queue being served refills only with the freed tags its turn in
# that order brings: the shares were 0.49, 0.47 and 0.03 for 0.56, 0.31
# and 0.13 (6.1; a third each with jobs 4 or 16 times deeper than the
# tags, tools/bench/saturation.sh).
# cfq_limit_depth() makes a sync queue that is not being served and
# holds more than its part of its group's tags (cfqq_tag_limit()) wait
# at cfq's tag gate, so the queue being served gets the freed tags.
# Then three rules keep the slices' ratio: the wait at the gate is not
# think time (counted, level 0 took over the others' slices as a
# thinker, cfq_think_preempts(): 0.71 / 0.22 / 0.06); a queue that runs
# dry while the tags are contended keeps its idle window (else levels 0
# and 4 went to the sync-noidle tree and level 7, left alone on the
# sync tree, got a third); and near the end of a slice, requests in
# flight are given the device's measured time to drain, not slice_idle
# each (else level 7's 40 ms slice ran at half the quantum and got
# 0.09; the measure, in_driver_us, must be there and near 2 ms).  Each
# share within 15% of the slice ratio (within 5% on 6.1
# and 6.12).  IOPS mode is not checked here: in the emulator the CPUs,
# not the device, limit these reads, and every level gets what it asks
# (cfq-iosched.rst).
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd jq

OUT=/tmp/cfq_levels_tags.json
trap 'nullb_teardown lvltags0' EXIT

# 2 ms per request, 32 at a time: 64 scheduler tags.
dev=$(nullb_create lvltags0 irqmode=2 completion_nsec=2000000 hw_queue_depth=32) ||
	skip_all "no null_blk"
n=${dev#/dev/}
echo 1 > /sys/block/$n/queue/rotational
sched_set $n cfq || skip_all "cannot select cfq"
t_eq "64 scheduler tags" "$(cat /sys/block/$n/queue/nr_requests)" 64
t_eq "time-slice mode: slice_idle is 8" "$(iosched $n slice_idle)" 8
t_eq "low_latency is on" "$(iosched $n low_latency)" 1
prio_shares "BE 0/4/7, 3 x 32 deep on 64 tags" $dev 32 0.15 - \
	be0:2:0:$(cfq_sync_slice $n 0) be4:2:4:$(cfq_sync_slice $n 4) \
	be7:2:7:$(cfq_sync_slice $n 7)
# the drain bound's measure: 2 ms per request, some more in the emulator
t_range "sync requests' time in the driver (in_driver_us)" \
	"$(sched_state $n in_driver_us)" 1500 20000
t_done
