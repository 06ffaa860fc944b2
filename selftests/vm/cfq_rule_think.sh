#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
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
#   BE 4        BE 4        the parent  1            no think preemption
#                                                    (X in the root, the
#                                                    streamer in a child)
#
# and a program's start: 20 new processes one after the other, each with
# a single read (no think time yet), beside the BE 4 streamer, low_latency
# 1: at least 10 think preemptions.
#
# A young queue (fewer than CFQ_YOUNG_RQS = 256 requests dispatched) that
# does not think preempts a streamer that is not young (counted as
# "young_preempted").  Y, a new process reading 4 KiB at random, 2 ms
# between its reads (below slice_idle: it streams, as cat reading small
# files does), 1200 reads beside the BE 4 streamer.  Y is served in turns
# with the streamer (its tree, sync-noidle, is idled on); a read that
# comes during the streamer's turn waits for it, about 100 ms, unless Y is
# young and preempts.  From fio's latency log:
#   - young preemptions: at least 1, at most 256;
#   - Y's reads 1 to 200 (young): one at most over 20 ms (without the
#     rule, 7 to 16 wait a slice; one may meet a stall of the emulated
#     machine: CI once saw a single 106 ms read there, which 40 rounds of
#     this case did not reproduce);
#   - Y's reads 300 to 1200 (young no more): one at least over 50 ms.
# Two such readers started together, 150 reads each: no young preemption
# (each is young: neither may preempt the other for it).
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
youngs() { sched_state $n young_preempted; }

# streamer SLEVEL SCGROUP: a direct sequential reader at BE SLEVEL in
# SCGROUP ("" for the root), in the background; its PID in sp
streamer() {
	(
		[ -z "$2" ] || echo $BASHPID > $T/$2/cgroup.procs
		exec ionice -c 2 -n "$1" dd if=$dev of=/dev/null bs=4k \
			iflag=direct status=none
	) &
	sp=$!
	sleep 1
}

# delta P0 P1: P1 - P0, or nothing when either counter was not read (a
# counter not read is no count of 0)
delta() { t_isnum "$1" && t_isnum "$2" && echo $(($2 - $1)); }

# case_run LAT XLEVEL SLEVEL XCGROUP SCGROUP: "P N L": X (BE XLEVEL, in
# XCGROUP, "" for the root) read N times with a mean latency of L us, and
# P think preemptions were counted, beside a streamer at BE SLEVEL ("-":
# none) in SCGROUP, with low_latency LAT.
case_run() {
	local lat=$1 xl=$2 sl=$3 cg=$4 p0 p1 nx l sp=
	iosched $n low_latency "$lat" >/dev/null
	[ "$sl" = - ] || streamer "$sl" "$5"
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
	p1=$(delta "$p0" "$p1")
	echo "${p1:-?} ${nx:-?} ${l:-?}"
}

read -r p nx l0 <<<"$(case_run 1 4 - "" "")"
t_log "X alone: read $nx times, mean latency $l0 us"
t_num "X alone: mean latency (us)" "$l0" || t_done

# 1. low_latency: the thinker preempts the streamer.
read -r p nx l <<<"$(case_run 1 4 4 "" "")"
t_log "BE4 X beside a BE4 streamer, low_latency 1: $p think preemptions, X read $nx times, mean $l us"
t_num "BE4 X beside a BE4 streamer: X's reads" "$nx" &&
	t_range "BE4 X beside a BE4 streamer, low_latency 1: think preemptions" \
		"$p" $((nx / 2 > 5 ? nx / 2 : 5)) $((nx + 1))
t_range "BE4 X beside a BE4 streamer, low_latency 1: X's mean latency (us)" \
	"$l" 0 $((l0 + 3000))

# 2. low_latency 0: legacy CFQ, X waits for the streamer's slices.
read -r p nx l <<<"$(case_run 0 4 4 "" "")"
t_log "BE4 X beside a BE4 streamer, low_latency 0: $p think preemptions, X read $nx times, mean $l us"
t_range "BE4 X beside a BE4 streamer, low_latency 0: think preemptions" "$p" 0 0
t_num "BE4 X beside a BE4 streamer, low_latency 0: X's mean latency (us)" "$l" &&
	t_check "BE4 X beside a BE4 streamer, low_latency 0: X waits (mean $l us > 8 x $l0 us)" \
		[ "$l" -gt $((8 * l0)) ]

# 3. Not beside a streamer at a higher level.
read -r p nx l <<<"$(case_run 1 7 0 "" "")"
t_log "BE7 X beside a BE0 streamer: $p think preemptions, X read $nx times, mean $l us"
t_range "BE7 X beside a BE0 streamer: think preemptions" "$p" 0 0

# 4. Not beside a streamer of another cgroup: X in the root, the streamer
# in a child (the other way round, cfq_should_preempt stops before the
# rule: the active group is not X's or below it).
read -r p nx l <<<"$(case_run 1 4 4 "" x)"
t_log "BE4 X in the root, a BE4 streamer in a child cgroup: $p think preemptions, X read $nx times, mean $l us"
t_range "BE4 X in the parent cgroup: think preemptions" "$p" 0 0

# 5. New processes have no think time yet: each one's read preempts.
iosched $n low_latency 1 >/dev/null
sp=
streamer 4 ""
p0=$(thinks)
for i in $(seq 20); do
	dd if=$dev of=/dev/null bs=4k count=1 skip=$((200000 + i * 64)) \
		iflag=direct status=none
done
p=$(delta "$p0" "$(thinks)")
kill $sp 2>/dev/null
wait $sp 2>/dev/null
t_log "20 one-read processes beside a BE4 streamer: ${p:-?} think preemptions"
t_range "20 one-read processes beside a BE4 streamer: think preemptions" \
	"$p" 10 21

# 6. A young queue that does not think: Y.
iosched $n low_latency 1 >/dev/null
sp=
streamer 4 ""
p0=$(youngs)
fio --name=y --filename=$dev --rw=randread --bs=4k --direct=1 \
	--ioengine=psync --offset=768m --size=256m --number_ios=1200 \
	--thinktime=2000 --invalidate=0 --prioclass=2 --prio=4 --runtime=30 \
	--eta=never --write_lat_log=$OUT --log_avg_msec=0 --output=/dev/null
p=$(delta "$p0" "$(youngs)")
kill $sp 2>/dev/null
wait $sp 2>/dev/null
# the latency log: msec, clat in ns, direction, size, offset; one line a read
read -r ny early slow late <<<"$(awk -F', *' '{ n++; v = int($2 / 1000)
	if (n <= 200 && v > e) e = v; if (n <= 200 && v > 20000) o++
	if (n >= 300 && v > l) l = v }
	END { if (n < 1200) print n + 0, "?", "?", "?"
	      else print n, e + 0, o + 0, l + 0 }' \
	${OUT}_clat.1.log 2>/dev/null)"
rm -f ${OUT}_*.log
t_log "Y, random reads 2 ms apart beside a BE4 streamer: ${p:-?} young preemptions; ${ny:-0} reads; in 1-200 the longest ${early:-?} us, ${slow:-?} over 20 ms; in 300-1200 the longest ${late:-?} us"
t_range "Y beside a BE4 streamer: young preemptions" "$p" 1 256
t_range "Y beside a BE4 streamer: reads 1-200 (young) over 20 ms" \
	"$slow" 0 1
t_range "Y beside a BE4 streamer: longest of reads 300-1200, no longer young (us)" \
	"$late" 50000 10000000

# 7. Young against young: two new random readers like Y, started together,
# 150 reads each, do not preempt each other for being young (neither
# streams from a queue that is not young).
iosched $n low_latency 1 >/dev/null
p0=$(youngs)
fio --filename=$dev --rw=randread --bs=4k --direct=1 --ioengine=psync \
	--size=256m --number_ios=150 --thinktime=2000 --invalidate=0 \
	--prioclass=2 --prio=4 --runtime=30 --eta=never \
	--output-format=json --output=$OUT.json \
	--name=y1 --offset=256m --name=y2 --offset=512m
p=$(delta "$p0" "$(youngs)")
nr=$(jq '[.jobs[].read.total_ios] | add' $OUT.json 2>/dev/null)
rm -f $OUT.json
t_log "two young readers together: ${p:-?} young preemptions, ${nr:-?} reads"
t_eq "two young readers: their reads" "${nr:-?}" 300
t_range "two young readers: young preemptions" "$p" 0 0
t_done
