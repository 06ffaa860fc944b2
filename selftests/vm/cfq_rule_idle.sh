#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
#
# Rule: cfq idles only for a queue it pays to wait for.  On a rotational
# device with slice_idle 8 ms, a sequential reader's queue keeps its idle
# window; a seeky one (random reads, one at a time) loses it; slice_idle 0
# takes it from every queue.  Read from debugfs sched/queues (the
# idle_window flag of the one busy queue), sampled while one reader runs.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio

dev=$(slow_disk rlidle0 - size=256) || skip_all "no null_blk with cfq"
n=${dev#/dev/}
trap 'nullb_teardown rlidle0' EXIT

# idle_samples RW: "W N": of N samples (of 20, 0.1 s apart) showing a
# queue, W had the idle window, while one fio job reads with RW; sampling
# starts 0.5 s after its queue first shows.  (13 or 14 of 20 showed it
# under TCG; 5 are enough to tell.)
idle_samples() {
	local w=0 s=0 i q
	fio --name=r --filename=$dev --rw=$1 --bs=4k --direct=1 --ioengine=psync \
		--runtime=6 --time_based --output=/dev/null &
	for i in $(seq 50); do
		grep -q '^pid=' /sys/kernel/debug/block/$n/sched/queues 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.5
	for i in $(seq 20); do
		q=$(grep '^pid=' /sys/kernel/debug/block/$n/sched/queues 2>/dev/null | head -1)
		if [ -n "$q" ]; then
			s=$((s + 1))
			case ",${q##*flags=}," in *,idle_window,*) w=$((w + 1)) ;; esac
		fi
		sleep 0.1
	done
	wait
	echo "$w $s"
}

t_eq "rotational: slice_idle is 8" "$(iosched $n slice_idle)" 8
read -r w s <<<"$(idle_samples read)"
t_range "sequential reader: samples showing its queue" "$s" 5 20
t_range "sequential reader: samples with the idle window" "$w" $(( ${s:-1} > 0 ? s - 1 : 1 )) 20
read -r w s <<<"$(idle_samples randread)"
t_range "seeky reader: samples showing its queue" "$s" 5 20
t_range "seeky reader: samples with the idle window" "$w" 0 1
iosched $n slice_idle 0
read -r w s <<<"$(idle_samples read)"
t_range "slice_idle 0, sequential reader: samples showing its queue" "$s" 5 20
t_range "slice_idle 0, sequential reader: samples with the idle window" "$w" 0 0
t_done
