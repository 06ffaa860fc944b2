#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shares on a saturated device, run in the VM:
#
#   tools/vm/elvx-vm -- bash tools/bench/saturation.sh [--quick] [--out DIR]
#	[--scheds cfq,bfq] [--devs LIST] [--mults LIST] [--kinds cgroup,ionice]
#
# Three jobs run the same 4 KiB random reads (libaio, direct) for RT
# seconds after a 2 s ramp, their depths adding up to MULT times the
# device's nr_requests (each at least 1): three cgroups at weights 100, 200
# and 400 (kind cgroup: io.cfq.weight or io.bfq.weight), or three
# processes at ionice BE 0, 4 and 7 (kind ionice; cfq's ideal is the slice
# ratio 180 : 100 : 40, bfq's the weight ratio 80 : 40 : 10), and a mixed
# cell: a 1-deep cgroup against a 64-deep one, both weight 100.  Default
# tunables everywhere.  Devices (DEV):
#
#   rot1, rot4, rot32   null_blk, rotational, 1 ms per request, hardware
#                       depth 1, 4 and 32 (nr_requests 2, 8 and 64)
#   iops32              null_blk, non-rotational (IOPS mode), 1 ms per
#                       request, hardware depth 32
#
# One line per cell and scheduler:
#   DEV KIND MULT SCHED share1 share2 share3 ideal1 ideal2 ideal3 worst_pts
#   worst_rel jain iops
# (worst_pts: the largest |share - ideal| in percentage points; worst_rel:
# the largest |share - ideal| / ideal; jain: Jain's index of share/ideal).
# --out DIR keeps the table (saturation.txt) and each run's JSON.
. "$(dirname "$0")/../../selftests/lib.sh"
need_cmd jq
RT=10 OUT=/tmp/saturation scheds="cfq bfq" devs="rot1 rot4 rot32 iops32"
mults="1 2 4 16" kinds="cgroup ionice mixed"
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) RT=5 ;;
	--out) OUT=$2; shift ;;
	--scheds) scheds=${2//,/ }; shift ;;
	--devs) devs=${2//,/ }; shift ;;
	--mults) mults=${2//,/ }; shift ;;
	--kinds) kinds=${2//,/ }; shift ;;
	--runtime) RT=$2; shift ;;
	*) echo "saturation.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
mkdir -p "$OUT"
B=$CG/elvxsat
echo +io > $CG/cgroup.subtree_control
mkdir -p $B && echo +io > $B/cgroup.subtree_control
mkdir -p $B/w100 $B/w200 $B/w400 $B/shallow $B/deep
cleanup() {
	kill $(jobs -p) 2>/dev/null
	wait
	find $B -depth -type d -exec rmdir {} + 2>/dev/null
	nullb_remove elvxsat0
}
trap cleanup EXIT

dev_make() {	# DEV: the device, fresh
	nullb_remove elvxsat0
	case $1 in
	rot*) nullb_create elvxsat0 irqmode=2 completion_nsec=1000000 \
		hw_queue_depth=${1#rot} > /dev/null || return 1
	      echo 1 > /sys/block/elvxsat0/queue/rotational ;;
	iops*) nullb_create elvxsat0 irqmode=2 completion_nsec=1000000 \
		hw_queue_depth=${1#iops} > /dev/null || return 1
	      echo 0 > /sys/block/elvxsat0/queue/rotational ;;
	*) return 1 ;;
	esac
}

weights() {	# SCHED
	local f=io.cfq.weight w
	[ "$1" = bfq ] && f=io.bfq.weight
	for w in 100 200 400; do echo $w > $B/w$w/$f || return 1; done
	echo 100 > $B/shallow/$f && echo 100 > $B/deep/$f
}

# run DEV KIND MULT SCHED: one cell; prints its line
run() {
	local dev=$1 kind=$2 mult=$3 s=$4 nr d j=$OUT/$1-$2-$3-$4.json args=() ideal
	sched_set elvxsat0 none
	sched_set elvxsat0 "$s" || return 0
	weights "$s" || { echo "$dev $kind $mult $s FAILED: cannot set the weights"; return 0; }
	nr=$(cat /sys/block/elvxsat0/queue/nr_requests)
	d=$(( (mult * nr + 2) / 3 ))
	[ $d -ge 1 ] || d=1
	case $kind in
	cgroup)
		args=(--iodepth=$d --name=w100 --cgroup=$B/w100 --weight=1
		      --name=w200 --cgroup=$B/w200 --weight=2
		      --name=w400 --cgroup=$B/w400 --weight=4) ;;
	ionice)
		# the ideal ratio: cfq's slices (180:100:40 ms by default),
		# bfq's ioprio weights (80:40:10)
		local a b c
		if [ "$s" = bfq ]; then
			a=$(bfq_ioprio_weight 0) b=$(bfq_ioprio_weight 4) c=$(bfq_ioprio_weight 7)
		else
			a=$(cfq_sync_slice elvxsat0 0) b=$(cfq_sync_slice elvxsat0 4)
			c=$(cfq_sync_slice elvxsat0 7)
		fi
		args=(--iodepth=$d --name=be0 --prioclass=2 --prio=0 --weight=$a
		      --name=be4 --prioclass=2 --prio=4 --weight=$b
		      --name=be7 --prioclass=2 --prio=7 --weight=$c) ;;
	mixed)
		d=$(( mult * nr ))
		args=(--name=shallow --cgroup=$B/shallow --iodepth=1 --weight=1
		      --name=deep --cgroup=$B/deep --iodepth=$d --weight=1) ;;
	esac
	if ! $AIOLOAD --filename=/dev/elvxsat0 --rw=randread --direct=1 --ioengine=libaio \
		--ramp_time=2 --runtime=$RT --time_based --eta=never --output-format=json \
		"${args[@]}" > "$j" 2> "$j.err"; then
		echo "$dev $kind $mult $s FAILED: $(head -c 200 "$j.err")"
		return 0
	fi
	jq -r --arg cell "$dev $kind $mult $s" '.jobs as $j |
		($j | map(.read.bytes) | add) as $t | ($j | map(.weight) | add) as $w |
		[$j[] | .read.bytes / $t] as $sh | [$j[] | .weight / $w] as $id |
		[range(0; $sh | length) | ($sh[.] - $id[.])] as $d |
		[range(0; $sh | length) | ($sh[.] / $id[.])] as $x |
		(($x | add) * ($x | add) / (($x | length) * ($x | map(. * .) | add))) as $jain |
		"\($cell) \($sh | map(. * 1000 | round / 1000) | join(" ")) \($id | map(. * 1000 | round / 1000) | join(" ")) \($d | map(fabs) | max * 1000 | round / 10) \([range(0; $d | length) | ($d[.] | fabs) / $id[.]] | max * 1000 | round / 10) \($jain * 1000 | round / 1000) \($j | map(.read.iops) | add | round)"' "$j"
}

echo "# dev kind mult sched shares... ideals... worst_pts worst_rel% jain iops (${RT} s runs)"
for dev in $devs; do
	dev_make $dev || { echo "$dev: cannot create"; continue; }
	for kind in $kinds; do
		for mult in $mults; do
			for s in $scheds; do
				run $dev $kind $mult $s
			done
		done
	done
done | tee "$OUT/saturation.txt"
