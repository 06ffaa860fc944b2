#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
#
# Rule: with other queues busy, cfq lets the active sync queue have at
# most quantum requests in flight (legacy CFQ's cfq_may_dispatch; the one
# busy queue has no limit).  Two deep random readers on a deep, slow
# null_blk; the active queue's "dispatched" in debugfs sched/queues,
# sampled 30 times while both are busy, must stay within quantum and reach
# past quantum / 2 (the bound is what stops it, not the load).  The
# device is non-rotational, so IOPS mode: parallel_dispatch is switched
# off, as it lifts the bound (cfq_rule_parallel.sh).
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio

dev=$(nullb_create rlq0 irqmode=2 completion_nsec=5000000 hw_queue_depth=64 size=256) ||
	skip_all "no null_blk"
n=${dev#/dev/}
trap 'kill $(jobs -p) 2>/dev/null; wait; sched_set $n none 2>/dev/null; nullb_remove rlq0' EXIT
sched_set $n cfq || skip_all "cannot select cfq"
iosched $n parallel_dispatch 0
echo 256 > /sys/block/$n/queue/nr_requests

# max_dispatched: the most requests in flight of the active queue over 30
# samples 0.1 s apart, while two fio jobs read 32 deep.  The rule holds
# only while both readers are busy (one busy sync queue has no limit), so a
# sample counts only when busy_sync_queues is 2 before and after it: that
# leaves out fio's start and end, when one job runs alone.  Fewer than 20
# counted samples print nothing, which fails.
max_dispatched() {
	local i m=0 k=0 b1 b2 d pid s1 s2 qs l sd=/sys/kernel/debug/block/$n/sched

	fio --filename=$dev --rw=randread --bs=4k --direct=1 --ioengine=libaio \
		--iodepth=32 --runtime=60 --time_based --output=/dev/null \
		--name=a --name=b &
	pid=$!
	for i in $(seq 50); do
		[ "$(sched_state $n busy_sync_queues)" = 2 ] && break
		sleep 0.1
	done
	# what one job dispatched alone completes within 5 ms
	sleep 0.5
	for i in $(seq 30); do
		s1=$(< $sd/state)
		qs=$(< $sd/queues)
		s2=$(< $sd/state)
		d=
		while IFS= read -r l; do
			[[ $l == *" active=1 "* ]] && { kv "$l" dispatched; d=$REPLY; break; }
		done <<< "$qs"
		kv "$s1" busy_sync_queues; b1=$REPLY
		kv "$s2" busy_sync_queues; b2=$REPLY
		if [ "$b1" = 2 ] && [ "$b2" = 2 ] && t_isnum "$d"; then
			k=$((k + 1))
			[ "$d" -gt "$m" ] && m=$d
		fi
		sleep 0.1
	done
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	echo "# $k of 30 samples with both readers busy, most in flight $m" >&2
	[ $k -ge 20 ] && echo "$m"
}

for q in 8 4; do
	iosched $n quantum $q
	m=$(max_dispatched)
	t_range "quantum $q: the active queue's most requests in flight" "$m" $((q / 2 + 1)) $q
done
t_done
