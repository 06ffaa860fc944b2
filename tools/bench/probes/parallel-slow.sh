#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest probe: cfq's parallel dispatch where the device, not the CPUs,
# limits the reads.  Four jobs of 4 KiB random reads (libaio, 32 deep) at
# BE levels 0, 2, 4 and 7 on a null_blk completing in 10 ms, 32 at a
# time, with 256 scheduler tags (so that cfq holds every request it is
# not serving), under none, mq-deadline, kyber, bfq, cfq with
# parallel_dispatch 0 (cfq-pd0) and cfq; the order reversed every other
# round.  One line per scheduler and round: the total IOPS and each
# level's share of the reads (the slice ratio is 39.1, 30.4, 21.7 and
# 8.7 %).  Run in the VM:
#
#	tools/vm/elvx-vm -- bash tools/bench/probes/parallel-slow.sh [ROUNDS]
set -u
. "$(dirname "$0")/lib.sh"

slow=$(nullb_create probe1 irqmode=2 completion_nsec=10000000 \
	hw_queue_depth=32 size=1024) || exit 1
trap 'sched_set probe1 none 2>/dev/null; nullb_remove probe1; nullb_remove probe0' EXIT
S=/sys/block/probe1/queue

# levels: total IOPS and the shares of the four jobs, on $slow
levels() {
	local args=() l i=0

	for l in 0 2 4 7; do
		args+=(--name=l$i --prioclass=2 --prio=$l)
		i=$((i + 1))
	done
	fio --filename="$slow" --rw=randread --bs=4k --direct=1 \
		--ioengine=libaio --iodepth=32 --norandommap --randrepeat=0 \
		--ramp_time=1 --time_based --runtime=3 --output-format=json \
		"${args[@]}" 2>/dev/null |
		jq -r '[.jobs[].read.io_bytes] as $b | ($b | add) as $t |
			"\([.jobs[].read.iops] | add | floor) " +
			([$b[] | . / $t * 1000 | round / 10 | tostring] | join("/"))'
}

order=(none mq-deadline kyber bfq cfq-pd0 cfq)
echo "# $(uname -r): scheduler round IOPS shares(%, levels 0/2/4/7)"
for r in $(seq "$rounds"); do
	list=("${order[@]}")
	[ $((r % 2)) = 1 ] || list=($(printf '%s\n' "${order[@]}" | tac))
	for s in "${list[@]}"; do
		grep -qw "${s%-pd0}" $S/scheduler || continue
		echo "${s%-pd0}" > $S/scheduler
		echo 256 > $S/nr_requests 2>/dev/null	# none: the hardware depth
		[ ! -e $S/iosched/parallel_dispatch ] ||
			echo "$([ "$s" = cfq-pd0 ] && echo 0 || echo 1)" > $S/iosched/parallel_dispatch
		echo "$s $r $(levels)"
	done
done
