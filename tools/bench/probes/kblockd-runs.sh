#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest probe: kblockd queue runs (blk_mq_run_work_fn, counted with the
# workqueue_execute_start tracepoint) and context switches for 4000
# synchronous O_DIRECT 4 KiB reads (dd), on a null_blk without and with
# memory backing (the latter is BLK_MQ_F_BLOCKING), with none,
# mq-deadline and xdeadline at sync_dispatch 1 and 0.  Run in the VM:
#
#	tools/vm/elvx-vm -- bash tools/bench/probes/kblockd-runs.sh
#	tools/vm/elvx-vm --kver 6.12 -- bash tools/bench/probes/kblockd-runs.sh
set -u
. "$(dirname "$0")/../../../selftests/lib.sh"
reads=4000
TR=/sys/kernel/tracing
[ -d $TR/events ] || mount -t tracefs none $TR || exit 1
T=$TR/instances/elvxprobe
EV=$T/events/workqueue/workqueue_execute_start/enable
# One enable, counts gated by tracing_on, no command-name recording (set
# before the instance is made, which copies it): as in
# selftests/vm/elevators_dispatch.sh, to patch kernel text only once.
recmd=$(cat $TR/options/record-cmd)
trap 'echo 0 > $EV; rmdir $T; echo "$recmd" > $TR/options/record-cmd
	nullb_remove probe0; nullb_remove probe1' EXIT
echo 0 > $TR/options/record-cmd
mkdir -p $T || exit 1
echo 4096 > $T/buffer_size_kb
echo 0 > $T/tracing_on
echo 1 > $EV

for mb in 0 1; do
	dev=$(nullb_create probe$mb blocksize=4096 memory_backed=$mb size=64) || exit 1
	Q=/sys/block/${dev#/dev/}/queue
	for s in none mq-deadline xdeadline-sd1 xdeadline-sd0; do
		case $s in
		*-sd?)	echo "${s%-sd?}" > $Q/scheduler
			echo "${s#*-sd}" > $Q/iosched/sync_dispatch ;;
		*)	echo "$s" > $Q/scheduler ;;
		esac
		echo > $T/trace
		echo 1 > $T/tracing_on
		c0=$(awk '/^ctxt/ { print $2 }' /proc/stat)
		dd if="$dev" of=/dev/null bs=4k count=$reads iflag=direct status=none
		c1=$(awk '/^ctxt/ { print $2 }' /proc/stat)
		echo 0 > $T/tracing_on
		echo "memory_backed=$mb $s: $reads reads," \
			"kblockd queue runs $(grep -c blk_mq_run_work_fn $T/trace)," \
			"context switches $((c1 - c0))"
	done
	echo none > $Q/scheduler
	nullb_remove probe$mb
done
