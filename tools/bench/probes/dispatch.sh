#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest probe: what sync_dispatch saves.  IOPS and context switches of
# 4 KiB random reads on a null_blk (no memory backing) with none,
# mq-deadline and both elvx elevators at sync_dispatch 0 and 1: libaio
# 1 and 2 jobs 32 deep, psync, io_uring 32 deep.  Run in the VM:
#
#	tools/vm/elvx-vm --mem 3072 -- bash tools/bench/probes/dispatch.sh [ROUNDS]
#
# Emulated time: compare the rows of one boot, as ratios.
set -u
. "$(dirname "$0")/lib.sh"

ctxt() { awk '/^ctxt/ { print $2 }' /proc/stat; }

iops 1 >/dev/null	# warm-up
for r in $(seq "$rounds"); do
	for s in none mq-deadline xdeadline-sd0 xdeadline-sd1 cfq-sd0 cfq-sd1; do
		case $s in
		*-sd?)	echo "${s%-sd?}" > $Q/scheduler
			echo "${s#*-sd}" > $Q/iosched/sync_dispatch ;;
		*)	echo "$s" > $Q/scheduler ;;
		esac
		c0=$(ctxt)
		a=$(iops 1)
		c1=$(ctxt)
		echo "round $r $s: libaio 1 job $a (context switches $((c1 - c0)))," \
			"2 jobs $(iops 2), psync $(iops 1 psync 1)," \
			"io_uring $(iops 1 io_uring 32)"
	done
done
