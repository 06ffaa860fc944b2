#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 90
#
# Rule: cfq runs in IOPS mode, charging groups requests instead of disk
# time, when it does not idle (slice_idle 0) on a device that queues
# requests itself (legacy CFQ's iops_mode(): !slice_idle && hw_tag);
# group_idle plays no part; a non-rotational device starts with
# slice_idle 0, so in IOPS mode.  Seen two ways while two 16-deep random
# readers run: debugfs sched/state's iops_mode, and what cfq charged the
# root group, its vdisktime: a slice adds (charge << 24) / vfraction, the
# charge being the requests dispatched in IOPS mode and the nanoseconds
# used otherwise.  So "units" = delta vdisktime * vfraction / 2^24 over the
# requests dispatched is about 1 in IOPS mode (at most 1: the slice in
# progress is not charged yet), and the nanoseconds per request (tens of
# microseconds and more here) in time mode.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio

cleanup() {
	kill $(jobs -p) 2>/dev/null
	wait 2>/dev/null
	for d in rliops0 rliops1; do
		sched_set $d none 2>/dev/null
		nullb_remove $d
	done
}
trap cleanup EXIT

# rliops0 queues 32 requests (hw_tag 1), rliops1 one (hw_tag 0).
dev=$(nullb_create rliops0 irqmode=2 completion_nsec=1000000 hw_queue_depth=32 size=256) ||
	skip_all "no null_blk"
dev1=$(nullb_create rliops1 irqmode=2 completion_nsec=1000000 hw_queue_depth=1 size=256) ||
	skip_all "no second null_blk"
for d in $dev $dev1; do
	echo 1 > /sys/block/${d#/dev/}/queue/rotational
	sched_set $d cfq || skip_all "cannot select cfq"
done
# hw_tag is decided only while more than 5 requests wait in cfq or are in
# the driver: rliops1's default nr_requests (2) would leave it undecided,
# and undecided counts as queueing.
echo 128 > /sys/block/${dev1#/dev/}/queue/nr_requests

# phase DEV: "MODE RATIO": iops_mode as debugfs shows it and the charge
# per dispatched request (see above), over 3 s of load after 1 s (more
# than the 50 busy completions hw_tag is decided on); "?" for what could
# not be read.  vdisktime is read every 0.25 s.  A group that goes idle
# rejoins the tree at min_vdisktime (legacy CFQ's rule), which can move it
# back by the charge it took off the tree (the first phase after a time
# phase lost a time slice that way: -413 "per request"), so an interval in
# which it went back counts neither its charge nor its requests; at least
# 6 of the 12 must count.
phase() {
	local d=$1 i mode v n f vfr= pv= pn= dv=0 dn=0 k=0 r="?" v0= pid

	fio --filename=$d --rw=randread --bs=4k --direct=1 --ioengine=libaio \
		--iodepth=16 --runtime=30 --time_based --eta=never --output=/dev/null \
		--name=a --name=b &
	pid=$!
	sleep 1
	for i in $(seq 0 12); do
		[ $i = 0 ] || sleep 0.25
		read -r mode v n f <<<"$(sched_state $d iops_mode root_vdisktime dispatched root_vfraction)"
		# vfraction is 0 while the group is off the tree
		[ "$f" = 0 ] || vfr=$f
		t_isnum "$v" && t_isnum "$n" || { pv=; continue; }
		v0=${v0:-$v}
		# u64: bash's arithmetic takes the difference modulo 2^64
		if [ -n "$pv" ] && (( v - pv >= 0 && n > pn )); then
			dv=$((dv + v - pv)) dn=$((dn + n - pn)) k=$((k + 1))
		fi
		pv=$v pn=$n
	done
	kill $pid
	wait $pid 2>/dev/null
	echo "# $d: root_vdisktime $v0 -> $v, vfraction $vfr, $k intervals of 12 counted" >&2
	if [ $k -ge 6 ] && t_isnum "$vfr"; then
		r=$(awk -v v="$dv" -v n="$dn" -v f="$vfr" \
			'BEGIN { printf "%.3f", v * f / 16777216 / n }')
	fi
	echo "$mode $r"
}

# check WHAT DEV IOPS: iops_mode IOPS (0 or 1) and the matching charge.
check() {
	local what=$1 mode r
	read -r mode r <<<"$(phase $2)"
	t_log "$what: iops_mode $mode, charge per request $r"
	t_eq "$what: debugfs iops_mode" "$mode" "$3"
	if [ "$3" = 1 ]; then
		t_range "$what: charged in requests (charge per request)" "$r" 0.5 1.05
	else
		t_range "$what: charged in time (ns per request)" "$r" 1000 1e9
	fi
}

n=${dev#/dev/}
t_eq "rotational: slice_idle 8" "$(iosched $n slice_idle)" 8
check "slice_idle 8" $dev 0
iosched $n slice_idle 0
check "slice_idle 0" $dev 1
iosched $n group_idle 0
check "slice_idle 0, group_idle 0" $dev 1
iosched $n slice_idle 8
check "slice_idle 8, group_idle 0" $dev 0

# A device that does not queue: hw_tag 0, no IOPS mode even without idling.
iosched $dev1 slice_idle 0
check "slice_idle 0, one request at a time" $dev1 0

# Non-rotational: cfq selected again starts without idling.
echo 0 > /sys/block/$n/queue/rotational
sched_set $n none
sched_set $n cfq
t_eq "non-rotational: slice_idle 0" "$(iosched $n slice_idle)" 0
check "non-rotational" $dev 1
t_done
