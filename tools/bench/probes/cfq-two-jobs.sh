#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest probe: what bounds cfq with two jobs on a fast device.  IOPS of
# 4 KiB random reads, libaio 32 deep, 2 jobs and 1 job, on the bench's
# null_blk, with mq-deadline, bfq, xdeadline and cfq at quantum 8, 16, 32
# and 64 and at slice_idle 0.  Run in the VM:
#
#	tools/vm/elvx-vm --mem 3072 -- bash tools/bench/probes/cfq-two-jobs.sh [ROUNDS]
set -u
. "$(dirname "$0")/lib.sh"

iops 1 >/dev/null	# warm-up
for r in $(seq "$rounds"); do
	line="round $r (2 jobs/1 job):"
	for s in mq-deadline bfq xdeadline cfq-q8 cfq-q16 cfq-q32 cfq-q64 cfq-si0; do
		case $s in
		cfq-*)	echo cfq > $Q/scheduler
			echo 8 > $Q/iosched/quantum
			echo 8 > $Q/iosched/slice_idle
			case $s in
			cfq-q*) echo "${s#cfq-q}" > $Q/iosched/quantum ;;
			cfq-si0) echo 0 > $Q/iosched/slice_idle ;;
			esac ;;
		*)	echo "$s" > $Q/scheduler ;;
		esac
		line="$line $s $(iops 2)/$(iops 1)"
	done
	echo "$line"
done
