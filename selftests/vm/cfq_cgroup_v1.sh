#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
#
# cfq's cgroup files on cgroup v1 (a blkio hierarchy, mounted when the io
# controller is not in use on cgroup v2): blkio.weight (10..1000, default
# 500) and blkio.weight_device, legacy CFQ's names, which are the same
# files as blkio.cfq.weight and blkio.cfq.weight_device, the shares they
# give, legacy CFQ's statistics files (blkio.time, ... and blkio.cfq.time,
# ...) and blkio.reset_stats; then the io controller goes back to cgroup
# v2 with its default weights.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root

V1=/tmp/cfq_blkio_v1
[ -e $CG/cgroup.controllers ] || skip_all "no cgroup2 at $CG"
grep -qw io $CG/cgroup.controllers || skip_all "no io controller on cgroup2"
echo -io > $CG/cgroup.subtree_control 2>/dev/null
grep -qw io $CG/cgroup.subtree_control && skip_all "the io controller is busy on cgroup v2"
mkdir -p $V1
mount -t cgroup -o blkio none $V1 2>/dev/null || skip_all "cannot mount blkio on cgroup v1"

cleanup() {
	kill $(jobs -p) 2>/dev/null
	wait 2>/dev/null
	find $V1 -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null
	umount $V1 2>/dev/null
	nullb_remove cfqv1
}
trap cleanup EXIT

dev=$(nullb_create cfqv1 irqmode=2 completion_nsec=1000000 hw_queue_depth=32) ||
	skip_all "no null_blk"
n=${dev#/dev/}
mm=$(cat /sys/block/$n/dev)
sched_set $n cfq || skip_all "cannot select cfq"

mkdir $V1/a $V1/b
t_check "blkio.cfq.weight in a cgroup" test -f $V1/a/blkio.cfq.weight
t_check "no blkio.cfq.weight on the root" test ! -e $V1/blkio.cfq.weight
t_eq "legacy default weight" "$(cat $V1/a/blkio.cfq.weight)" 500
for f in time sectors io_service_bytes io_serviced io_service_time io_wait_time \
	 io_merged io_queued idle_time dequeue; do
	t_check "blkio.cfq.$f and its _recursive twin" \
		test -f $V1/a/blkio.cfq.$f -a -f $V1/a/blkio.cfq.${f}_recursive
done
# legacy CFQ's names
t_check "blkio.weight and blkio.weight_device in a cgroup" \
	test -f $V1/a/blkio.weight -a -f $V1/a/blkio.weight_device
t_check "no blkio.weight on the root" test ! -e $V1/blkio.weight
t_eq "blkio.weight: the legacy default" "$(cat $V1/a/blkio.weight 2>&1)" 500
for f in time sectors io_service_bytes io_serviced io_service_time io_wait_time \
	 io_merged io_queued; do
	t_check "blkio.$f and its _recursive twin" \
		test -f $V1/a/blkio.$f -a -f $V1/a/blkio.${f}_recursive
done
t_check "no blkio.leaf_weight (cfq has no separate leaf weight)" \
	test ! -e $V1/a/blkio.leaf_weight -a ! -e $V1/blkio.leaf_weight
t_check "blkio.weight 700 is accepted" try_write $V1/a/blkio.weight 700
t_eq "blkio.cfq.weight is the same weight" "$(cat $V1/a/blkio.cfq.weight 2>&1)" 700

refused() {	# FILE VALUE DESC
	local before after err
	before=$(cat $1)
	err=$( (printf '%s' "$2" > $1) 2>&1 )
	after=$(cat $1)
	if grep -q "Invalid argument" <<<"$err" && [ "$before" = "$after" ]; then
		t_ok "${1##*/} refuses $3"
	else
		t_fail "${1##*/} refuses $3 (error '${err:-none}', '$before' -> '$after')"
	fi
}
t_check "weight 1000 is accepted" try_write $V1/a/blkio.cfq.weight 1000
t_eq "weight 1000 reads back" "$(cat $V1/a/blkio.cfq.weight)" 1000
refused $V1/a/blkio.cfq.weight 9 "9 (under the legacy minimum)"
refused $V1/a/blkio.cfq.weight 1001 "1001 (over the legacy maximum)"
refused $V1/a/blkio.cfq.weight abc "garbage"
refused $V1/a/blkio.weight 9 "9 (under the legacy minimum)"
refused $V1/a/blkio.weight 1001 "1001 (over the legacy maximum)"
t_check "a device weight is accepted" try_write $V1/a/blkio.cfq.weight_device "$mm 300"
t_eq "the device weight reads back" "$(cat $V1/a/blkio.cfq.weight_device)" "$mm 300"
refused $V1/a/blkio.cfq.weight_device "$mm 5" "a device weight of 5"
refused $V1/a/blkio.cfq.weight_device "4095:4095 100" "an unknown device"
t_check "MAJ:MIN 0 is accepted" try_write $V1/a/blkio.cfq.weight_device "$mm 0"
t_eq "MAJ:MIN 0 removes the device weight" "$(cat $V1/a/blkio.cfq.weight_device)" ""
t_check "blkio.weight_device takes a device weight" \
	try_write $V1/a/blkio.weight_device "$mm 400"
t_eq "... the same as blkio.cfq.weight_device's" \
	"$(cat $V1/a/blkio.cfq.weight_device 2>&1)" "$mm 400"
refused $V1/a/blkio.weight_device "$mm 1001" "a device weight of 1001"
t_check "MAJ:MIN default removes it" try_write $V1/a/blkio.weight_device "$mm default"
t_eq "... from both names" \
	"$(cat $V1/a/blkio.weight_device 2>&1)|$(cat $V1/a/blkio.cfq.weight_device 2>&1)" "|"

# Shares: 200 against 800 (IOPS mode on this non-rotational device), one
# set through each name.
echo 200 > $V1/a/blkio.weight
echo 800 > $V1/b/blkio.cfq.weight
rd() {	# CGROUP: a deep random reader for 14 s in CGROUP; prints its reads
	echo $BASHPID > $1/cgroup.procs
	exec $AIOLOAD --filename=$dev --rw=randread --direct=1 --ioengine=libaio \
		--iodepth=16 --ramp_time=2 --runtime=14 --time_based --eta=never \
		--output-format=json --name=r | jq .jobs[0].read.ios
}
# cgbytes CGROUP: bytes its processes have submitted for reading so far
cgbytes() {
	local p n=0
	for p in $(cat $1/cgroup.procs); do
		n=$((n + $(awk '/^read_bytes:/ { print $2 }' /proc/$p/io 2>/dev/null || echo 0)))
	done
	echo $n
}
rd $V1/a > /tmp/cfq_v1.a &
rd $V1/b > /tmp/cfq_v1.b &
# The share over 8 s when both surely run, not over each job's own
# window: under TCG the two can start a second or more apart.
sleep 4
a0=$(cgbytes $V1/a) b0=$(cgbytes $V1/b)
sleep 8
a1=$(cgbytes $V1/a) b1=$(cgbytes $V1/b)
wait
ra=$(cat /tmp/cfq_v1.a)
t_log "read over 8 s: a (200) $((a1 - a0)) bytes, b (800) $((b1 - b0)) bytes"
t_range "the weight 200 cgroup's share against 800" \
	"$(awk -v a=$((a1 - a0)) -v b=$((b1 - b0)) 'BEGIN { printf "%.4f", a + b ? a / (a + b) : 0 }')" 0.18 0.22

served=$(awk -v d=$mm '$1 == d && $2 == "Read" { print $3 }' $V1/a/blkio.cfq.io_serviced)
t_check "blkio.cfq.io_serviced counts the reads" test "${served:-0}" -ge "$ra"
# (at least 4 KiB per request: some hold bios merged before insertion)
bytes=$(awk -v d=$mm '$1 == d && $2 == "Read" { print $3 }' $V1/a/blkio.cfq.io_service_bytes)
t_check "blkio.cfq.io_service_bytes: 4 KiB blocks, at least one per read" \
	test $((bytes % 4096)) = 0 -a "$bytes" -ge $((served * 4096))
t_check "a Total line" grep -q "^Total " $V1/a/blkio.cfq.io_serviced
t_check "blkio.cfq.time counts disk time" \
	test "$(awk -v d=$mm '$1 == d { print $2 }' $V1/a/blkio.cfq.time)" -gt 0
t_eq "blkio.cfq.sectors" "$(awk -v d=$mm '$1 == d { print $2 }' $V1/a/blkio.cfq.sectors)" \
	$((bytes / 512))
# rdreq FILE: the device's Read count in FILE, "none" when it has none
rdreq() {
	awk -v d=$mm '$1 == d && $2 == "Read" { v = $3 } END { print v == "" ? "none" : v }' \
		"$1" 2>/dev/null || echo none
}
rb=$(rdreq $V1/b/blkio.cfq.io_serviced)
rr=$(rdreq $V1/blkio.cfq.io_serviced_recursive)
t_log "Read requests served: a $served, b $rb, the root's recursive sum $rr"
t_check "the root's _recursive sum counts both children" \
	awk -v a="$served" -v b="$rb" -v r="$rr" 'BEGIN {
		exit !(a ~ /^[0-9]+$/ && b ~ /^[0-9]+$/ && r ~ /^[0-9]+$/ && r >= a + b && b > 0) }'
t_eq "blkio.io_serviced_recursive is the same sum" \
	"$(rdreq $V1/blkio.io_serviced_recursive)" "$rr"
t_eq "blkio.io_serviced is blkio.cfq.io_serviced" \
	"$(rdreq $V1/a/blkio.io_serviced)" "$(rdreq $V1/a/blkio.cfq.io_serviced)"
echo 1 > $V1/a/blkio.reset_stats
t_eq "blkio.reset_stats clears them" \
	"$(awk -v d=$mm '$1 == d && $2 == "Read" { print $3 }' $V1/a/blkio.cfq.io_serviced)" 0

# Back to cgroup v2: its defaults again.  A v1 hierarchy unmounted while
# removed cgroups are still being released stays, unmounted: mount and
# unmount it again until it goes.  Only while blkio is still bound to it
# (a hierarchy id other than 0 in /proc/cgroups): once it is back on v2,
# a new mount would take it away again, and its release is asynchronous
# (RCU, slow under TCG).
rmdir $V1/a $V1/b
umount $V1
back=0
for i in $(seq 150); do
	if echo +io > $CG/cgroup.subtree_control 2>/dev/null; then back=1; break; fi
	sleep 0.2
	[ "$(awk '$1 == "blkio" { print $2 }' /proc/cgroups)" = 0 ] ||
		{ mount -t cgroup -o blkio none $V1 2>/dev/null && umount $V1; }
done
t_eq "the io controller goes back to cgroup v2" $back 1
[ $back = 1 ] || t_log "still bound to cgroup v1: $(grep -w blkio /proc/cgroups)"
if [ $back = 1 ]; then
	mkdir $CG/cfqv1back
	t_eq "with the v2 default weight" "$(cat $CG/cfqv1back/io.cfq.weight)" "default 100"
	rmdir $CG/cfqv1back
	echo -io > $CG/cgroup.subtree_control
fi
t_done
