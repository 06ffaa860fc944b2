#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
#
# Changing a running process's ioprio (ionice -p) takes effect on its next
# requests: of two equal BE readers, the one moved to RT takes (nearly) all
# of the disk, moved to IDLE it gets (nearly) nothing, and moved back to BE
# it shares again.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root

dev=$(slow_disk cfqion0) || skip_all "no null_blk with cfq"
trap 'nullb_teardown cfqion0' EXIT

ionice -c2 -n4 dd if=$dev of=/dev/null bs=4k iflag=direct count=250000 status=none &
a=$!
ionice -c2 -n4 dd if=$dev of=/dev/null bs=4k iflag=direct skip=131072 count=250000 status=none &
b=$!

# phase NAME: sets $share, reader b's share over 4 s, after 1 s to settle
phase() {
	local a0 b0 a1 b1
	sleep 1
	a0=$(rchar $a) b0=$(rchar $b)
	sleep 4
	a1=$(rchar $a) b1=$(rchar $b)
	t_log "$1: a $(( (a1 - a0) / 4096 )), b $(( (b1 - b0) / 4096 )) requests"
	share=$(awk -v x=$((b1 - b0)) -v y=$((a1 - a0)) 'BEGIN { printf "%.3f", x / (x + y + 1) }')
}
phase "both BE/4"
t_range "both BE/4: b's share" $share 0.35 0.65
ionice -c1 -n4 -p $b
phase "b RT/4"
t_range "b moved to RT/4: b's share" $share 0.90 1
ionice -c3 -p $b
phase "b IDLE"
t_range "b moved to IDLE: b's share" $share 0 0.05
ionice -c2 -n4 -p $b
phase "b BE/4 again"
t_range "b back to BE/4: b's share" $share 0.35 0.65
t_check "ionice reads back b's class" bash -c "ionice -p $b | grep -q 'best-effort: prio 4'"
t_done
