#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 90
#
# Rule: a queue that gets a request may take the device from the active
# queue (legacy CFQ's cfq_should_preempt): RT preempts BE; a sync request
# preempts an async (write-back) queue, even from another cgroup; otherwise
# a queue of another cgroup does not preempt; an IDLE-class queue never
# does.  Counted by debugfs sched/state "preempted" while a sparse reader
# X (one 4 KiB read, then 20 ms of thinking, far from the other load)
# meets a long load on a slow rotational null_blk:
#
#   X          long load        X's group   preempts
#   RT         BE reader        the same    one per X read: X thinks longer
#                                           than slice_idle, so every read
#                                           finds the reader active
#   RT         BE reader        another     none: the reader's group is not
#                                           X's or below it, and BE cannot
#                                           preempt RT
#   RT         write-back       another     one per X read: sync beats async
#                                           before groups are looked at
#   IDLE       write-back       the same    none (X 8 deep: 8 at least if
#                                           it could)
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio
need_cmd jq

T=$CG/rlpre
OUT=/tmp/cfq_rule_preempt
cg_io_on
cleanup() {
	nullb_teardown rlpre0
	writeback_restore
	[ -d $T ] && find $T -depth -type d -exec rmdir {} + 2>/dev/null
	cg_io_restore
}
trap cleanup EXIT

# nr_requests 128: room for the write-back to keep requests queued, so
# that it never leaves an IDLE queue the only busy one
dev=$(slow_disk rlpre0 128) || skip_all "no null_blk with cfq"
n=${dev#/dev/}
mkdir -p $T/x || skip_all "cannot make $T/x"
preempted() { sched_state $n preempted; }

# Write-back that never stops: dirty pages of the device are written by the
# flusher as async requests almost as soon as they are made.
writeback_flood

# case_run LOAD CLASS CGROUP: "P N Q": preempted P times while X (of
# class CLASS, in CGROUP, "" for the root; 8 deep if IDLE) read N times
# in 4 s, beside
# LOAD (read: a direct sequential reader; write: a buffered writer,
# killed after the count is read); Q is the number of samples (of 10) in
# which X's queue had a request waiting.  X does not flush the device's
# cache at start (--invalidate=0): that would be sync writes, which
# preempt the write-back.
case_run() {
	local load=$1 class=$2 cg=$3 cname=rt depth=1 p0 p1 nx q=0 i lp xp
	[ "$class" = 3 ] && cname=idle depth=8
	if [ "$load" = read ]; then
		dd if=$dev of=/dev/null bs=4k iflag=direct status=none &
	else
		# not dd: its last close writes the rest back with sync
		# writes, which preempt the async queue; fio stays open,
		# and does not flush the cache at each pass (BLKFLSBUF)
		fio --name=w --filename=$dev --rw=write --bs=64k --offset=256m \
			--size=256m --invalidate=0 --runtime=30 --time_based \
			--eta=never --output=/dev/null &
	fi
	lp=$!
	sleep 1
	p0=$(preempted)
	(
		[ -z "$cg" ] || echo $BASHPID > $T/$cg/cgroup.procs
		exec fio --name=x --filename=$dev --rw=read --bs=4k --direct=1 \
			--ioengine=libaio --iodepth=$depth --offset=768m \
			--thinktime=20000 --invalidate=0 \
			--prioclass=$class --prio=4 --runtime=4 --time_based \
			--eta=never --output-format=json --output=$OUT.json
	) &
	xp=$!
	for i in $(seq 10); do
		sleep 0.35
		grep -q "^pid=[0-9]* class=$cname .* queued=[1-9]" \
			/sys/kernel/debug/block/$n/sched/queues 2>/dev/null && q=$((q + 1))
	done
	wait $xp
	p1=$(preempted)
	kill $lp 2>/dev/null
	wait $lp 2>/dev/null
	nx=$(jq '.jobs[0].read.total_ios' $OUT.json 2>/dev/null)
	rm -f $OUT.json
	# a counter not read is no count of 0
	[ -n "$p0" ] && [ -n "$p1" ] && p1=$((p1 - p0)) || p1=
	echo "${p1:-?} ${nx:-?} $q"
}

# 1. RT preempts BE.
read -r p nx q <<<"$(case_run read 1 "")"
t_log "RT X beside a BE reader, same group: $p preempted, X read $nx times"
t_num "RT X beside a BE reader: X's reads" "$nx" &&
	t_range "RT X beside a BE reader, same group: preempted" "$p" \
		$((nx / 2 > 5 ? nx / 2 : 5)) $((nx + 1))

# 2. Not from another group.
read -r p nx q <<<"$(case_run read 1 x)"
t_log "RT X beside a BE reader, another group: $p preempted, X read $nx times"
t_num "RT X in another group: X's reads" "$nx" &&
	t_range "RT X beside a BE reader, another group: preempted" "$p" 0 0

# 3. Sync preempts async, whatever the group.
read -r p nx q <<<"$(case_run write 1 x)"
t_log "RT X beside write-back, another group: $p preempted, X read $nx times"
t_num "RT X beside write-back: X's reads" "$nx" &&
	t_range "RT X beside write-back, another group: preempted" "$p" \
		$((nx / 2 > 5 ? nx / 2 : 5)) $((nx + 1))

# 4. IDLE never preempts: X, 8 reads at a time, waits behind the writes,
# which keep requests queued, so X is never made active (where the writes
# would preempt it, as anything preempts an active IDLE queue).  An IDLE
# X that preempted would do it as in case 3, at each of its requests.
read -r p nx q <<<"$(case_run write 3 "")"
t_log "IDLE X beside write-back, same group: $p preempted, X read $nx times, waiting in $q of 10 samples"
t_range "IDLE X beside write-back: samples with X waiting" "$q" 5 10
t_range "IDLE X beside write-back, same group: preempted" "$p" 0 0
t_done
