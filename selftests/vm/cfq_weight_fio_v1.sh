#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
#
# fio's cgroup_weight reaches cfq on cgroup v1: fio writes blkio.weight
# (legacy CFQ's name, which cfq registers again) of the cgroup it makes
# in the blkio hierarchy, and cfq's shares follow, 100 against 400.
#
# fio 3.33 takes the first blkio v1 or cgroup2 mount in /proc/mounts and
# sets weights on v1 only, so it runs in a mount namespace where the
# cgroup2 mounts are gone and a blkio hierarchy is mounted.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio
need_cmd unshare
need_cmd jq

V1=/tmp/cfq_weight_fio

if [ -z "${CFQW_IN_NS:-}" ]; then
	[ -e $CG/cgroup.controllers ] || skip_all "no cgroup2 at $CG"
	echo -io > $CG/cgroup.subtree_control 2>/dev/null
	grep -qw io $CG/cgroup.subtree_control &&
		skip_all "the io controller is busy on cgroup v2"
	CFQW_IN_NS=1 unshare -m --propagation private bash "$0"
	rc=$?
	# The namespace took the v1 mount with it: wait until the io
	# controller is back on cgroup v2, for the tests that follow.  A v1
	# hierarchy unmounted while its removed cgroups are being released
	# stays, unmounted: mount and unmount it again while blkio is still
	# bound to it (as cfq_cgroup_v1.sh does).
	back=0
	for _ in $(seq 150); do
		if echo +io > $CG/cgroup.subtree_control 2>/dev/null; then
			echo -io > $CG/cgroup.subtree_control
			back=1
			break
		fi
		sleep 0.2
		[ "$(awk '$1 == "blkio" { print $2 }' /proc/cgroups)" = 0 ] ||
			{ mkdir -p $V1; mount -t cgroup -o blkio none $V1 2>/dev/null &&
				umount $V1; }
	done
	if [ $back = 0 ]; then
		echo "# the io controller stays on cgroup v1: $(grep -w blkio /proc/cgroups)"
		rc=1
	fi
	exit $rc
fi

out=$(mktemp -d)
cleanup() {
	kill "$(jobs -p)" 2>/dev/null
	wait 2>/dev/null
	rmdir $V1/cfqw100 $V1/cfqw400 2>/dev/null
	umount $V1 2>/dev/null
	nullb_remove cfqwfio
	rm -rf "$out"
}
trap cleanup EXIT

awk '$3 == "cgroup2" { print $2 }' /proc/self/mounts | sort -r |
	while read -r m; do umount -l "$m"; done
mkdir -p $V1
mount -t cgroup -o blkio none $V1 || skip_all "cannot mount blkio on cgroup v1"

dev=$(nullb_create cfqwfio irqmode=2 completion_nsec=1000000 hw_queue_depth=32) ||
	skip_all "no null_blk"
n=${dev#/dev/}
mm=$(cat /sys/block/$n/dev)
sched_set $n cfq || skip_all "cannot select cfq"

fio --output-format=json --output=$out/fio.json --filename=$dev \
	--ioengine=libaio --direct=1 --rw=randread --bs=4k --iodepth=16 \
	--ramp_time=2 --runtime=16 --time_based --cgroup_nodelete=1 \
	--name=w100 --cgroup=cfqw100 --cgroup_weight=100 \
	--name=w400 --cgroup=cfqw400 --cgroup_weight=400 > $out/fio.log 2>&1 &
fpid=$!

# both jobs in their cgroups (cgroup.procs, a seq file, has no size)
for _ in $(seq 100); do
	grep -q . $V1/cfqw100/cgroup.procs 2>/dev/null &&
		grep -q . $V1/cfqw400/cgroup.procs 2>/dev/null && break
	kill -0 $fpid 2>/dev/null || break
	sleep 0.1
done
t_eq "fio's cgroup_weight=100 is blkio.weight" \
	"$(cat $V1/cfqw100/blkio.weight 2>&1)" 100
t_eq "fio's cgroup_weight=400 is blkio.weight" \
	"$(cat $V1/cfqw400/blkio.weight 2>&1)" 400
t_eq "... and cfq's weight (blkio.cfq.weight)" \
	"$(cat $V1/cfqw100/blkio.cfq.weight 2>&1) $(cat $V1/cfqw400/blkio.cfq.weight 2>&1)" \
	"100 400"

# rd CGROUP: bytes cfq served the cgroup's reads so far ("none" if absent)
rd() {
	awk -v d=$mm '$1 == d && $2 == "Read" { v = $3 } END { print v == "" ? "none" : v }' \
		$1/blkio.cfq.io_service_bytes 2>/dev/null || echo none
}
# The share over 8 s while both surely run.
sleep 4
a0=$(rd $V1/cfqw100) b0=$(rd $V1/cfqw400)
sleep 8
a1=$(rd $V1/cfqw100) b1=$(rd $V1/cfqw400)
wait $fpid
rc=$?
t_eq "fio ends well" "$rc" 0
[ $rc = 0 ] || t_log "fio: $(grep -i 'error\|fio:' $out/fio.log | head -3)"
t_log "cfq served over 8 s: w100 $a0 -> $a1, w400 $b0 -> $b1 bytes"
share=$(awk -v a0=$a0 -v a1=$a1 -v b0=$b0 -v b1=$b1 'BEGIN {
	if (a0 !~ /^[0-9]+$/ || a1 !~ /^[0-9]+$/ || b0 !~ /^[0-9]+$/ || b1 !~ /^[0-9]+$/ ||
	    a1 - a0 + b1 - b0 <= 0) { print "none"; exit }
	printf "%.4f", (a1 - a0) / (a1 - a0 + b1 - b0) }')
t_range "cfq's share of the weight 100 cgroup against 400 (ideal 0.2)" "$share" 0.15 0.25
t_done
