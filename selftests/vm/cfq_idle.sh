#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
#
# The IDLE class is served only when nobody else needs the disk: next to a
# busy BE reader it gets at most 5% of the service, and it is served soon
# (within a second) after the BE reader stops.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio

dev=$(slow_disk cfqidle0) || skip_all "no null_blk with cfq"
trap 'nullb_teardown cfqidle0' EXIT

# reader CLASS_ARGS RW OFFSET_BLOCKS: a fio thread (its I/O shows in the
# /proc/PID/io of the fio process), in the background
reader() {
	ionice $1 fio --name=r --thread --filename=$dev --direct=1 --rw=$2 \
		--bs=4k --offset=$(($3 * 4096)) --size=256m --time_based \
		--runtime=60 --output=/dev/null >/dev/null 2>&1 &
}

for rw in read randread; do
	reader -c3 $rw 0
	idle=$!
	reader "-c2 -n4" $rw 131072
	be=$!
	sleep 1.5
	i0=$(rchar $idle) b0=$(rchar $be)
	sleep 6
	i1=$(rchar $idle) b1=$(rchar $be)
	kill $be; wait $be 2>/dev/null
	sleep 0.5
	i2=$(rchar $idle)
	sleep 1
	i3=$(rchar $idle)
	kill $idle; wait $idle 2>/dev/null
	idle_io=$(( (i1 - i0) / 4096 )) be_io=$(( (b1 - b0) / 4096 ))
	after=$(( (i3 - i2) / 4096 ))
	t_log "$rw: while BE busy: IDLE $idle_io, BE $be_io requests in 6 s; IDLE alone 0.5-1.5 s after: $after"
	t_check "$rw: the BE reader ran" test $be_io -gt 100
	t_range "$rw: IDLE share while BE is busy" \
		"$(awk -v a=$idle_io -v b=$be_io 'BEGIN { printf "%.3f", a / (a + b + 1) }')" 0 0.05
	# alone, it goes at a good part of the BE reader's pace
	t_range "$rw: IDLE pace after BE stopped, relative to BE's" \
		"$(awk -v a=$after -v b=$be_io 'BEGIN { printf "%.2f", a / (b / 6 + 1) }')" 0.3 100
done
t_done
