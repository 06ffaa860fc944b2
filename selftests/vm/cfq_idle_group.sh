#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
#
# The IDLE class in a cgroup of its own next to a BE cgroup: the IDLE
# group, when it is first on the group tree, must not hold the BE group's
# requests back for its grace period (CFQ_IDLE_GRACE, 200 ms after the last
# RT or BE activity of the device).  The BE reader keeps its pace (at least
# 0.70 of its pace alone, measured in the same boot), and the IDLE reader
# gets at most 0.5 % of the service while the BE reader is busy (none, but
# for an odd request; served as a group of its own with no grace, IDLE
# queues get about 1.5 %: one request at a time and a 1-jiffy slice).
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio

dev=$(slow_disk cfqidlegrp0) || skip_all "no null_blk with cfq"
n=${dev#/dev/}
cg_io_on
mkdir -p $CG/elvx_be $CG/elvx_idle
trap 'cg_teardown "$CG/elvx_be $CG/elvx_idle" cfqidlegrp0' EXIT

# reader CGROUP CLASS_ARGS RW OFFSET_BLOCKS: a fio thread in CGROUP, in the
# background; its I/O shows in /proc/PID/io
reader() {
	(echo $BASHPID > $CG/$1/cgroup.procs &&
	 exec ionice $2 fio --name=r --thread --filename=$dev --direct=1 --rw=$3 \
		--bs=4k --offset=$(($4 * 4096)) --size=256m --time_based \
		--runtime=120 --output=/dev/null >/dev/null 2>&1) &
}
# pace PID: requests of PID in 3 s
pace() {
	local a b
	a=$(rchar $1)
	sleep 3
	b=$(rchar $1)
	[ -n "$a" ] && [ -n "$b" ] && echo $(( (b - a) / 4096 ))
}
# started PID: wait (up to 15 s) until PID reads from the disk (16
# requests in 0.5 s: rchar counts the program's own start-up reads too),
# then 1 s more
started() {
	local i a b
	b=$(rchar $1)
	for i in $(seq 30); do
		a=$b
		sleep 0.5
		b=$(rchar $1)
		[ -n "$a" ] && [ -n "$b" ] && [ $((b - a)) -ge 65536 ] && break
	done
	sleep 1
}

# BE alone, then beside the IDLE reader.  The IDLE reader is stopped
# after the BE one: it cannot exit before its requests complete, and they
# wait for the BE reader to stop.
for rw in read randread; do
	reader elvx_be "-c2 -n4" $rw 131072
	be=$!
	started $be
	alone=$(pace $be)
	# (the IDLE reader may get nothing at all, so no started() for it)
	reader elvx_idle -c3 $rw 0
	idle=$!
	sleep 2
	i0=$(rchar $idle)
	both=$(pace $be)
	i1=$(rchar $idle)
	kill $be 2>/dev/null
	wait $be 2>/dev/null
	kill $idle 2>/dev/null
	wait $idle 2>/dev/null
	t_log "$rw: BE alone $alone, beside the IDLE group $both requests in 3 s; IDLE ${i0:-?} -> ${i1:-?} bytes"
	if [ -z "$alone" ] || [ -z "$both" ] || [ -z "$i0" ] || [ -z "$i1" ] || [ "$alone" -lt 100 ]; then
		t_fail "$rw: the readers ran (BE alone '$alone', beside '$both')"
		continue
	fi
	t_range "$rw: BE pace beside the IDLE group, relative to alone" \
		"$(awk -v a="$alone" -v b="$both" 'BEGIN { printf "%.3f", b / a }')" 0.70 1.30
	t_range "$rw: IDLE group's share while BE is busy" \
		"$(awk -v i=$(( (i1 - i0) / 4096 )) -v b="$both" 'BEGIN { printf "%.4f", i / (i + b) }')" 0 0.005
done
t_done
