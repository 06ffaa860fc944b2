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
. "$(dirname "$0")/../../../selftests/lib.sh"
rounds=${1:-3}
case $rounds in '' | *[!0-9]*) echo "dispatch.sh: ROUNDS must be a number" >&2; exit 2 ;; esac
command -v fio >/dev/null && command -v jq >/dev/null || { echo "dispatch.sh: needs fio and jq" >&2; exit 2; }
dev=$(nullb_create probe0 memory_backed=0 blocksize=4096 size=4096) || exit 1
trap 'nullb_remove probe0' EXIT
Q=/sys/block/${dev#/dev/}/queue

iops() {	# JOBS ENGINE DEPTH
	fio --name=rr --filename="$dev" --rw=randread --bs=4k --direct=1 \
		--ioengine="$2" --iodepth="$3" --numjobs="$1" --group_reporting \
		--norandommap --randrepeat=0 --ramp_time=1 --time_based --runtime=3 \
		--output-format=json 2>/dev/null | jq '.jobs[0].read.iops | floor'
}
ctxt() { awk '/^ctxt/ { print $2 }' /proc/stat; }

iops 1 libaio 32 >/dev/null	# warm-up
for r in $(seq "$rounds"); do
	for s in none mq-deadline xdeadline-sd0 xdeadline-sd1 cfq-sd0 cfq-sd1; do
		case $s in
		*-sd?)	echo "${s%-sd?}" > $Q/scheduler
			echo "${s#*-sd}" > $Q/iosched/sync_dispatch ;;
		*)	echo "$s" > $Q/scheduler ;;
		esac
		c0=$(ctxt)
		a=$(iops 1 libaio 32)
		c1=$(ctxt)
		echo "round $r $s: libaio 1 job $a (context switches $((c1 - c0)))," \
			"2 jobs $(iops 2 libaio 32), psync $(iops 1 psync 1)," \
			"io_uring $(iops 1 io_uring 32)"
	done
done
