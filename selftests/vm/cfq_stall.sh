#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 150
#
# No stall when every scheduler tag is queued: on a 4-deep device (8
# scheduler tags) an IDLE and a BE reader, 32 deep each, keep cfq's IDLE
# grace timer and its idling busy; every request must still be served,
# with no request in the driver to wake the queues up.  A dispatch that
# counted on an idle timer whose callback was already running used to
# leave the queues unrun for good (6.12, under TCG).  Then the readers are
# killed with requests queued: nothing is left behind, and the scheduler
# can be switched away at once.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio
need_cmd ionice

dev=$(nullb_create cfqst0 memory_backed=1 size=64 irqmode=2 completion_nsec=100000 hw_queue_depth=4) ||
	skip_all "no null_blk"
n=${dev#/dev/}
trap 'kill -9 $(jobs -p) 2>/dev/null; wait; nullb_remove cfqst0' EXIT
echo 1 > /sys/block/$n/queue/rotational
t_check "cfq selected" sched_set $n cfq
state() { cat /sys/kernel/debug/block/$n/sched/state 2>/dev/null; }
drained() {	# SECONDS: wait until cfq holds no request
	local i
	for i in $(seq $(($1 * 5))); do
		state | grep -q '^rq_queued=0$' && state | grep -q '^rq_in_driver=0$' && return 0
		sleep 0.2
	done
	return 1
}
check_drained() {	# DESC SECONDS
	if drained "$2"; then
		t_ok "$1"
	else
		t_fail "$1"
		state | grep -E '^(busy_queues|rq_queued|rq_in_driver|waiting|idle_timer)' |
			tr '\n' ' ' | sed 's/^/# /'
		echo
		cat /sys/kernel/debug/block/$n/sched/queues 2>/dev/null | head -20 | sed 's/^/# /'
	fi
}

# Two rounds of 8 s: each reader must finish on its own.
for round in 1 2; do
	pids=()
	for cls in "-c3" "-c2 -n4"; do
		timeout 60 ionice $cls fio --name=r --filename=$dev --direct=1 \
			--ioengine=libaio --iodepth=32 --rw=randread --bs=4k \
			--time_based --runtime=8 --output=/dev/null >/dev/null 2>&1 &
		pids+=($!)
	done
	rc=0
	for p in "${pids[@]}"; do wait $p || rc=$?; done
	t_eq "round $round: IDLE and BE readers finish (exit status)" $rc 0
	check_drained "round $round: nothing left in cfq" 10
done

# Killed with their requests queued (--thread: the job dies with fio).
for cls in "-c3" "-c2 -n4"; do
	ionice $cls fio --name=r --filename=$dev --direct=1 --ioengine=libaio \
		--iodepth=32 --rw=randread --bs=4k --time_based --runtime=60 --thread \
		--output=/dev/null >/dev/null 2>&1 &
done
sleep 4
t_log "queued in cfq before the kill: $(state | sed -n 's/^rq_queued=//p')"
kill -9 $(jobs -p) 2>/dev/null
wait 2>/dev/null
check_drained "killed readers: nothing left in cfq" 20
t_check "switching away completes at once" timeout 10 bash -c "echo none > /sys/block/$n/queue/scheduler"
t_eq "none active" "$(sched_get $n)" none
t_check "cfq selected again" sched_set $n cfq
t_check "I/O flows" timeout 30 dd if=$dev of=/dev/null bs=4k count=1024 iflag=direct status=none
t_done
