#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
#
# Rule: low_latency shortens slices and holds write-back back after sync
# I/O; low_latency 0 does neither.
#
# 1. Slices (legacy CFQ's cfq_scaled_cfqq_slice): when the busy queues of
#    a class, at slice_sync each, would take longer than the group's part
#    of target_latency, every slice is cut in proportion, to no less than
#    2 * slice_idle:
#        slice = max(slice_sync * group_slice / (slice_sync * busy),
#                    2 * slice_idle)
#    with group_slice = target_latency * vfraction / 4096.  Four random
#    readers, 32 deep (so they keep their idle window: the sync tree), on
#    a slow rotational null_blk, target_latency 100 ms, the root group
#    alone (vfraction 4096): 100 * 100 / 400 = 25 ms; 100 ms with
#    low_latency 0.  Seen in debugfs sched/queues (slice_us, the slice
#    each queue was last granted) and in what the turns were charged:
#    root_time_used_us over the slices expired (sched/state), a turn
#    being charged its time from its first completion, capped at its
#    slice: at most the slice, and at least 3/4 of it on average (the
#    queues never run dry; a turn cut at its end by a preemption counts
#    less).
# 2. Async depth (legacy CFQ's cfq_may_dispatch with last_delayed_sync):
#    an async queue may have max(1, t / slice_sync) requests in flight, t
#    the time since a sync request last completed later than
#    fifo_expire_sync after its allocation.  A reader sending one 4 KiB
#    read every 600 ms beside a write-back flood, fifo_expire_sync 1 ms so
#    that each read counts as delayed (and fifo_expire_async 10 s, so
#    that no expired write is dispatched past the limit): sched/state
#    sampled every few ms (last_delayed_sync_ago_us, rq_in_flight_async,
#    one read each); no sample may show more in flight than the ramp
#    allows, and the ramp must be what holds the writes (3 slice_sync or
#    more after a read, at least 2 in flight); with low_latency 0, 2 or
#    more in flight within slice_sync of a read.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio

OUT=/tmp/cfq_rule_lowlat
cleanup() {
	nullb_teardown rllat0
	writeback_restore
	rm -f $OUT
}
trap cleanup EXIT

dev=$(slow_disk rllat0 256 completion_nsec=2000000 hw_queue_depth=64 size=256) ||
	skip_all "no null_blk with cfq"
n=${dev#/dev/}
dbg=/sys/kernel/debug/block/$n/sched

# ---- 1. slices ----
iosched $n target_latency 100
sync_ms=$(iosched $n slice_sync) idle_ms=$(iosched $n slice_idle) tl_ms=$(iosched $n target_latency)

# want_slice LL VFRACTION: the slice of a queue among 4 busy ones (us).
want_slice() {
	awk -v ll="$1" -v vfr="$2" -v s="$sync_ms" -v i="$idle_ms" -v tl="$tl_ms" 'BEGIN {
		s *= 1e6; g = int(tl * 1e6 * vfr / 4096); e = s * 4
		if (ll == 1 && e > g) {
			low = 2 * i * 1e6; if (low > s) low = s
			sl = int(s * g / e); s = sl > low ? sl : low
		}
		printf "%d", s / 1000 }'
}

# slices LL: four deep random readers; "N LEAST MOST CHARGE VFRACTION": of N
# slices seen in 15 samples of sched/queues 0.1 s apart, the least and the
# most (us), the mean charge per turn expired meanwhile (us) and the root
# group's vfraction.
slices() {
	local i q s0 s1 line least= most= cnt=0 e0 e1 u0 u1 ch="?" v f
	iosched $n low_latency $1
	fio --filename=$dev --rw=randread --bs=4k --direct=1 --ioengine=libaio \
		--iodepth=32 --runtime=30 --time_based --eta=never --output=/dev/null \
		--name=a --name=b --name=c --name=d &
	f=$!
	# the 4 queues busy on the sync tree (deep readers keep their idle
	# window), then 0.5 s more: the busy average settles at 4
	for i in $(seq 100); do
		q=$(< $dbg/queues)
		[ "$(grep -c ' tree=sync ' <<<"$q")" = 4 ] && break
		sleep 0.1
	done
	sleep 0.5
	s0=$(< $dbg/state)
	for i in $(seq 15); do
		q=$(< $dbg/queues)
		while read -r line; do
			[[ $line =~ \ slice_us=([0-9]+)\  ]] || continue
			v=${BASH_REMATCH[1]}
			# 0: not granted yet (the active queue before its first
			# completion)
			[ "$v" = 0 ] && continue
			cnt=$((cnt + 1))
			[ -z "$least" ] || [ "$v" -lt "$least" ] && least=$v
			[ -z "$most" ] || [ "$v" -gt "$most" ] && most=$v
		done <<<"$q"
		sleep 0.1
	done
	s1=$(< $dbg/state)
	kill $f
	wait 2>/dev/null
	kv "$s0" expired; e0=$REPLY
	kv "$s1" expired; e1=$REPLY
	kv "$s0" root_time_used_us; u0=$REPLY
	kv "$s1" root_time_used_us; u1=$REPLY
	if t_isnum "$e0" && t_isnum "$e1" && t_isnum "$u0" && t_isnum "$u1" &&
	   [ "$e1" -gt "$e0" ]; then
		ch=$(( (u1 - u0) / (e1 - e0) ))
	fi
	kv "$s1" root_vfraction
	echo "$cnt ${least:-?} ${most:-?} $ch $REPLY"
}

for ll in 1 0; do
	read -r cnt least most ch vfr <<<"$(slices $ll)"
	t_log "low_latency $ll: $cnt slices seen, $least to $most us; charge per turn $ch us; vfraction $vfr"
	t_num "low_latency $ll: the root group's vfraction" "$vfr" || continue
	want=$(want_slice $ll "$vfr")
	t_range "low_latency $ll: slices seen (4 queues, 15 samples)" "$cnt" 15 60
	t_range "low_latency $ll: least slice granted (us)" "$least" "$want" "$want"
	t_range "low_latency $ll: most slice granted (us)" "$most" "$want" "$want"
	t_range "low_latency $ll: mean charge per turn (us)" "$ch" $((want * 3 / 4)) "$want"
done

# ---- 2. async depth after sync I/O ----
writeback_flood
iosched $n fifo_expire_sync 1
iosched $n fifo_expire_async 10000
sync_us=$(iosched $n slice_sync_us)

# ramp LL: 4 s of samples "AGO IN_FLIGHT_ASYNC" in $OUT while a reader
# sends a read every 600 ms beside buffered writes (not dd: its last close
# writes the rest back with sync writes; fio keeps the device open and does
# not flush its cache: --invalidate=0).
ramp() {
	local st ago end w r
	iosched $n low_latency $1
	fio --name=w --filename=$dev --rw=write --bs=64k --offset=128m --size=128m \
		--invalidate=0 --runtime=30 --time_based --eta=never --output=/dev/null &
	w=$!
	fio --name=r --filename=$dev --rw=read --bs=4k --direct=1 --ioengine=psync \
		--size=64m --thinktime=600000 --invalidate=0 --runtime=30 --time_based \
		--eta=never --output=/dev/null &
	r=$!
	sleep 1
	end=$(( ${EPOCHREALTIME/./} + 4000000 ))
	while [ "${EPOCHREALTIME/./}" -lt $end ]; do
		st=$(< $dbg/state)
		kv "$st" last_delayed_sync_ago_us; ago=$REPLY
		kv "$st" rq_in_flight_async
		echo "$ago $REPLY"
	done > $OUT
	kill $w $r
	wait 2>/dev/null
}

# ramp_stats: "N BAD N0 M0 OVER MHI": samples, samples that are not two
# numbers, samples within slice_sync of a delayed sync, the most async in
# flight among those, samples over max(1, ago / slice_sync), the most in
# flight 3 slice_sync or more after one.
ramp_stats() {
	awk -v s="$sync_us" '
		$1 !~ /^[0-9]+$/ || $2 !~ /^[0-9]+$/ || NF != 2 { bad++; next }
		{ n++; d = int($1 / s); if (d < 1) d = 1
		  if ($2 > d) over++
		  if ($1 < s) { n0++; if ($2 > m0) m0 = $2 }
		  if ($1 >= 3 * s && $2 > mhi) mhi = $2 }
		END { printf "%d %d %d %d %d %d\n", n, bad, n0, m0, over, mhi }' $OUT
}

ramp 1
read -r ns bad n0 m0 over mhi <<<"$(ramp_stats)"
t_log "low_latency 1: $ns samples ($bad unreadable), $n0 within slice_sync of a delayed sync (at most $m0 async in flight), $over over the ramp, at most $mhi in flight 3 slice_sync after"
t_range "low_latency 1: samples of sched/state" "$ns" 20 100000
t_range "low_latency 1: samples without both values" "$bad" 0 0
t_range "low_latency 1: samples within slice_sync of a delayed sync" "$n0" 3 "$ns"
t_range "low_latency 1: samples with more async in flight than max(1, t / slice_sync)" "$over" 0 0
t_range "low_latency 1: async in flight 3 slice_sync after (the ramp, not the load, held it)" "$mhi" 2 64

ramp 0
read -r ns bad n0 m0 over mhi <<<"$(ramp_stats)"
t_log "low_latency 0: $ns samples ($bad unreadable), $n0 within slice_sync of a delayed sync (at most $m0 async in flight)"
t_range "low_latency 0: samples of sched/state" "$ns" 20 100000
t_range "low_latency 0: samples without both values" "$bad" 0 0
t_range "low_latency 0: samples within slice_sync of a delayed sync" "$n0" 3 "$ns"
t_range "low_latency 0: async in flight within slice_sync of a delayed sync (no ramp)" "$m0" 2 64
t_done
