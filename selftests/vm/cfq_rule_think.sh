#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 90
#
# Rule (low_latency): a process that thinks between its reads (longer
# than slice_idle) is served at once beside a streaming reader of its
# cgroup and class at its level or a lower one: it preempts the streamer
# (cfq_think_preempts, counted by debugfs sched/state "think_preempted").
# It does not preempt a streamer of another cgroup, nor one at a higher
# level, and with low_latency 0 cfq is legacy CFQ: the thinker waits out
# the streamer's slices.  A sparse reader X (4 KiB direct reads, 20 ms of
# thinking between them, 4 s) beside a direct sequential reader (dd) on a
# slow rotational null_blk (1 ms per request, one at a time):
#
#   X           streamer    X's group   low_latency  X's mean latency
#   BE 4        BE 4        the same    1            within 3 ms of X alone,
#                                                    a preemption per read
#   BE 4        BE 4        the same    0            no think preemption,
#                                                    over 8 times X alone
#   BE 7        BE 0        the same    1            no think preemption
#   BE 4        BE 4        another     1            no think preemption
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio
need_cmd jq
need_cmd ionice

T=$CG/rlthink
OUT=/tmp/cfq_rule_think
cg_io_on
cleanup() { cg_teardown "$T" rlthink0; }
trap cleanup EXIT

dev=$(slow_disk rlthink0) || skip_all "no null_blk with cfq"
n=${dev#/dev/}
mkdir -p $T/x || skip_all "cannot make $T/x"
thinks() { sched_state $n think_preempted; }

# case_run LAT XLEVEL SLEVEL CGROUP: "P N L": X (BE XLEVEL, in CGROUP, ""
# for the root) read N times with a mean latency of L us, and P think
# preemptions were counted, beside a streamer at BE SLEVEL ("-": none)
# with low_latency LAT.
case_run() {
	local lat=$1 xl=$2 sl=$3 cg=$4 p0 p1 nx l sp=
	iosched $n low_latency "$lat" >/dev/null
	if [ "$sl" != - ]; then
		ionice -c 2 -n "$sl" dd if=$dev of=/dev/null bs=4k iflag=direct \
			status=none &
		sp=$!
		sleep 1
	fi
	p0=$(thinks)
	(
		[ -z "$cg" ] || echo $BASHPID > $T/$cg/cgroup.procs
		exec fio --name=x --filename=$dev --rw=read --bs=4k --direct=1 \
			--ioengine=psync --offset=768m --thinktime=20000 \
			--invalidate=0 --prioclass=2 --prio="$xl" --runtime=4 \
			--time_based --eta=never --output-format=json \
			--output=$OUT.json
	)
	p1=$(thinks)
	[ -z "$sp" ] || { kill $sp 2>/dev/null; wait $sp 2>/dev/null; }
	nx=$(jq '.jobs[0].read.total_ios' $OUT.json 2>/dev/null)
	l=$(jq '.jobs[0].read.clat_ns.mean / 1000 | floor' $OUT.json 2>/dev/null)
	rm -f $OUT.json
	# a counter not read is no count of 0
	if t_isnum "$p0" && t_isnum "$p1"; then p1=$((p1 - p0)); else p1=; fi
	echo "${p1:-?} ${nx:-?} ${l:-?}"
}

read -r p nx l0 <<<"$(case_run 1 4 - "")"
t_log "X alone: read $nx times, mean latency $l0 us"
t_num "X alone: mean latency (us)" "$l0" || t_done

# 1. low_latency: the thinker preempts the streamer.
read -r p nx l <<<"$(case_run 1 4 4 "")"
t_log "BE4 X beside a BE4 streamer, low_latency 1: $p think preemptions, X read $nx times, mean $l us"
t_num "BE4 X beside a BE4 streamer: X's reads" "$nx" &&
	t_range "BE4 X beside a BE4 streamer, low_latency 1: think preemptions" \
		"$p" $((nx / 2 > 5 ? nx / 2 : 5)) $((nx + 1))
t_range "BE4 X beside a BE4 streamer, low_latency 1: X's mean latency (us)" \
	"$l" 0 $((l0 + 3000))

# 2. low_latency 0: legacy CFQ, X waits for the streamer's slices.
read -r p nx l <<<"$(case_run 0 4 4 "")"
t_log "BE4 X beside a BE4 streamer, low_latency 0: $p think preemptions, X read $nx times, mean $l us"
t_range "BE4 X beside a BE4 streamer, low_latency 0: think preemptions" "$p" 0 0
t_num "BE4 X beside a BE4 streamer, low_latency 0: X's mean latency (us)" "$l" &&
	t_check "BE4 X beside a BE4 streamer, low_latency 0: X waits (mean $l us > 8 x $l0 us)" \
		[ "$l" -gt $((8 * l0)) ]

# 3. Not beside a streamer at a higher level.
read -r p nx l <<<"$(case_run 1 7 0 "")"
t_log "BE7 X beside a BE0 streamer: $p think preemptions, X read $nx times, mean $l us"
t_range "BE7 X beside a BE0 streamer: think preemptions" "$p" 0 0

# 4. Not beside a streamer of another cgroup.
read -r p nx l <<<"$(case_run 1 4 4 x)"
t_log "BE4 X in another cgroup than a BE4 streamer: $p think preemptions, X read $nx times, mean $l us"
t_range "BE4 X in another cgroup: think preemptions" "$p" 0 0
iosched $n low_latency 1 >/dev/null
t_done
