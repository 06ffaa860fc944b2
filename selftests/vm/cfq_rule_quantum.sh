#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
#
# Rule: with other queues busy, cfq lets the active sync queue have at
# most quantum requests in flight (legacy CFQ's cfq_may_dispatch; the one
# busy queue has no limit).  Two deep random readers on a deep, slow
# null_blk; the active queue's "dispatched" in debugfs sched/queues,
# sampled 30 times, must stay within quantum and reach past quantum / 2
# (the bound is what stops it, not the load).
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio

dev=$(nullb_create rlq0 irqmode=2 completion_nsec=5000000 hw_queue_depth=64 size=256) ||
	skip_all "no null_blk"
n=${dev#/dev/}
trap 'kill $(jobs -p) 2>/dev/null; wait; sched_set $n none 2>/dev/null; nullb_remove rlq0' EXIT
sched_set $n cfq || skip_all "cannot select cfq"
echo 256 > /sys/block/$n/queue/nr_requests

# max_dispatched: the most requests in flight of the active queue over 30
# samples 0.1 s apart, while two fio jobs read 32 deep.
max_dispatched() {
	local i m=
	fio --filename=$dev --rw=randread --bs=4k --direct=1 --ioengine=libaio \
		--iodepth=32 --runtime=6 --time_based --output=/dev/null \
		--name=a --name=b &
	sleep 1.5
	for i in $(seq 30); do
		m=$(awk -v m="${m:-0}" '/ active=1 / { sub(/.* dispatched=/, ""); sub(/ .*/, "");
			if ($0 + 0 > m) m = $0 + 0 } END { print m }' /sys/kernel/debug/block/$n/sched/queues)
		sleep 0.1
	done
	wait
	echo "$m"
}

for q in 8 4; do
	iosched $n quantum $q
	m=$(max_dispatched)
	t_range "quantum $q: the active queue's most requests in flight" "$m" $((q / 2 + 1)) $q
done
t_done
