#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Figures of cfq's cgroup groups, run in the VM:
#
#   tools/vm/elvx-vm -- bash tools/bench/cfq-cgroup.sh [--quick] [--out DIR]
#
# make bench runs it as its cgroup group (BENCH_ARGS="--only cgroup"), with
# --out: aioload's JSON of each shares run (shares-iops.json,
# shares-slice.json, shares-slice-lowlat.json) and the IOPS of the idle
# hierarchy runs (idle.txt), which tools/bench/report.py turns into tables.
#
# 1. Shares: three cgroups at weights 100, 200 and 400 run the same deep
#    random-read load (libaio, 16 deep, 4 KiB) for 30 s on a null_blk of
#    1 ms per request, 32 at a time: in IOPS mode (non-rotational, the
#    default there) and in time-slice mode (rotational, low_latency 0).
#    Prints each share, its ideal and the relative error.
# 2. The cost of an idle hierarchy: IOPS of one job (libaio, 32 deep,
#    4 KiB random reads) on a fast null_blk under cfq, from a cgroup, with
#    no other cgroup, then with 100 idle cgroups (10 parents of 9
#    children), each with a group on the device (a device weight); runs
#    alternate, 3 of each, and the medians are compared.
. "$(dirname "$0")/../../selftests/lib.sh"
need_cmd jq
RT=30 RTI=10 OUT=""
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) RT=10 RTI=4 ;;
	--out) OUT=$2; shift ;;
	*) echo "cfq-cgroup.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
[ -z "$OUT" ] || mkdir -p "$OUT"
CG=/sys/fs/cgroup
B=$CG/cfqbench
echo +io > $CG/cgroup.subtree_control
mkdir -p $B && echo +io > $B/cgroup.subtree_control

cleanup() {
	find $B -depth -type d -exec rmdir {} + 2>/dev/null
	nullb_remove cfqb0
	nullb_remove cfqb1
}
trap cleanup EXIT

shares() {	# DESC DEV NAME
	local j=/tmp/cfqb.json
	$AIOLOAD --filename=$2 --rw=randread --direct=1 --ioengine=libaio --iodepth=16 \
		--ramp_time=2 --runtime=$RT --time_based --eta=never --output-format=json \
		--name=w100 --cgroup=$B/w100 --weight=1 --name=w200 --cgroup=$B/w200 --weight=2 \
		--name=w400 --cgroup=$B/w400 --weight=4 > $j
	[ -z "$OUT" ] || cp $j "$OUT/shares-$3.json"
	echo "$1, ${RT} s (slice_idle $(iosched $2 slice_idle), group_idle $(iosched $2 group_idle 2>/dev/null || echo -)):"
	jq -r '.jobs as $j | ($j | map(.read.bytes) | add) as $t |
		($j | map(.weight) | add) as $w | $j[] |
		(.read.bytes / $t) as $s | (.weight / $w) as $e |
		"  \(.name): share \($s * 1000 | round / 1000) ideal \($e * 1000 | round / 1000) error \((($s - $e) / $e * 1000 | round) / 10)% (\(.read.iops | round) IOPS)"' $j
}

mkdir -p $B/w100 $B/w200 $B/w400
echo 100 > $B/w100/io.cfq.weight
echo 200 > $B/w200/io.cfq.weight
echo 400 > $B/w400/io.cfq.weight
dev=$(nullb_create cfqb0 irqmode=2 completion_nsec=1000000 hw_queue_depth=32)
sched_set $dev cfq
shares "IOPS mode (non-rotational)" $dev iops
echo 1 > /sys/block/cfqb0/queue/rotational
sched_set $dev none
sched_set $dev cfq
iosched $dev low_latency 0
shares "time-slice mode (rotational, low_latency 0)" $dev slice
iosched $dev low_latency 1
shares "time-slice mode (rotational, low_latency 1)" $dev slice-lowlat
nullb_remove cfqb0

# The idle hierarchy.
fast=$(nullb_create cfqb1 irqmode=0 hw_queue_depth=64)
mm=$(cat /sys/block/cfqb1/dev)
sched_set $fast cfq
mkdir -p $B/run
iops() {
	$AIOLOAD --filename=$fast --rw=randread --direct=1 --ioengine=libaio --iodepth=32 \
		--ramp_time=1 --runtime=$RTI --time_based --eta=never --output-format=json \
		--name=run --cgroup=$B/run | jq '.jobs[0].read.iops | round'
}
make_idle() {
	local p c
	for p in $(seq 10); do
		mkdir -p $B/idle$p
		echo +io > $B/idle$p/cgroup.subtree_control
		echo "$mm 100" > $B/idle$p/io.cfq.weight
		for c in $(seq 9); do
			mkdir -p $B/idle$p/c$c
			echo "$mm $((c * 50))" > $B/idle$p/c$c/io.cfq.weight
		done
	done
}
drop_idle() { find $B -mindepth 1 -depth -type d -path "$B/idle*" -exec rmdir {} + 2>/dev/null; }
base=() idle=()
iops > /dev/null	# warm up
for r in 1 2 3; do
	drop_idle
	base+=($(iops))
	make_idle
	idle+=($(iops))
done
n_idle=$(find $B -mindepth 1 -type d -path "$B/idle*" | wc -l)
med() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
echo "idle hierarchy on a fast null_blk under cfq, ${RTI} s per run:"
echo "  no other cgroup:       ${base[*]} IOPS (median $(med "${base[@]}"))"
echo "  $n_idle idle cgroups:     ${idle[*]} IOPS (median $(med "${idle[@]}"))"
[ -z "$OUT" ] || printf 'base %s\nidle %s\ncgroups %s\nseconds %s\n' \
	"${base[*]}" "${idle[*]}" $n_idle $RTI > "$OUT/idle.txt"
awk -v a=$(med "${idle[@]}") -v b=$(med "${base[@]}") \
	'BEGIN { printf "  ratio (idle hierarchy / none): %.3f\n", a / b }'
