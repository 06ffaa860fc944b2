#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
#
# fifo_batch and writes_starved change the dispatch order that xdeadline
# reports in debugfs (sched/stats: requests and batches per direction) and
# the read/write share that fio sees, on a slow null_blk device (2 tags,
# 20 ms completions) whose scheduler queue is kept full.  Deadlines are set
# far away so that only these two tunables decide.
#
# fifo_batch 1, 4 and 16 are set in turn during one sequential read, each
# counted over its own 2 s window; writes_starved 1 and 4 each get a run
# of their own, as fio's read/write share is compared between them.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio
need_cmd jq

name=xdbat0
dev=$(xd_disk $name) || skip_all "no null_blk with xdeadline"
out=$(mktemp -d)
trap 'nullb_teardown $name; rm -rf "$out"' EXIT
stats=/sys/kernel/debug/block/$name/sched/stats
[ -r "$stats" ] || skip_all "no debugfs sched/stats"
echo 256 > /sys/block/$name/queue/nr_requests
echo 2 > /sys/block/$name/queue/nomerges
iosched $name read_expire 100000
iosched $name write_expire 100000

# One read of the file: counters read apart would see different moments (a
# batch counted whose requests are not, and the bounds below would not hold).
snap() { sched_stats $name read_dispatched write_dispatched read_batches write_batches; }
# delta BEFORE AFTER N: the Nth counter's growth
delta() { local a=($1) b=($2); echo $(( b[$3] - a[$3] )); }
declare -A share b0 b1
ratio() {
	if ! t_isnum "$1" || ! t_isnum "$2"; then echo "?"; return; fi
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'
}
# rw_ios FILE: "READS WRITES READ_MAX_NS" of fio's jobs r and w in FILE,
# from one jq run (jq starts slowly under TCG); "?" for a figure fio did
# not report.
rw_ios() {
	jq -r '[first(.jobs[] | select(.jobname == "r") | .read) // {},
		first(.jobs[] | select(.jobname == "w") | .write) // {}] |
		"\(.[0].total_ios // "?") \(.[1].total_ios // "?") \(.[0].lat_ns.max // "?")"' \
		"$1" 2>/dev/null
}

common=(--filename="$dev" --direct=1 --bs=4k --ioengine=libaio --time_based
	--output-format=json)

# window SECONDS RUNTIME FIO-ARGS...: run fio for RUNTIME; s0/s1 are
# counter snapshots 2 s and 2 + SECONDS s into the run, away from the start
# and the final drain of each job.  A batch may straddle either edge of the
# window: the bounds allow for that.
window() {
	local w=$1 rt=$2
	shift 2
	fio "${common[@]}" --runtime="$rt" "$@" >/dev/null 2>&1 &
	sleep 2; s0=$(snap)
	sleep "$w"; s1=$(snap)
	wait
}

# fifo_batch: a sequential read stream leaves in batches of fifo_batch.
# One run of 10 s: fifo_batch 1 from the start, counted from 2 s to 4 s;
# then 4 and 16, each counted over 2 s from 0.5 s after it is set (a
# batch at 16 x 10 ms lasts 0.16 s), the last window ending near 9 s.
iosched $name fifo_batch 1
fio "${common[@]}" --runtime=10 --output="$out/b.json" \
	--name=seq --rw=read --iodepth=128 >/dev/null 2>&1 &
sleep 2
for fb in 1 4 16; do
	if [ $fb != 1 ]; then
		iosched $name fifo_batch $fb
		sleep 0.5
	fi
	b0[$fb]=$(snap)
	sleep 2
	b1[$fb]=$(snap)
done
wait
for fb in 1 4 16; do
	n=$(delta "${b0[$fb]}" "${b1[$fb]}" 0); b=$(delta "${b0[$fb]}" "${b1[$fb]}" 2)
	avg=$(ratio "$n" "$b")
	t_log "fifo_batch $fb: $n reads in $b batches, $avg per batch"
	t_range "fifo_batch $fb: reads per batch" "$avg" \
		"$(awk -v f=$fb 'BEGIN { print f * 0.8 }')" \
		"$(awk -v f=$fb -v b="$b" 'BEGIN { printf "%.2f", f * (b + 1) / b + 0.01 }')"
done

# writes_starved: with both directions always queued, reads get
# writes_starved batches for each write batch.  About 7 batches of 16
# go per second: writes_starved 1 counts over 3 s (~10 write batches),
# 4 over 5 s (~7), each run 0.5 s past its window.
iosched $name fifo_batch 16
for ws in 1 4; do
	iosched $name writes_starved $ws
	w=$((ws == 1 ? 3 : 5))
	window $w $((2500 + w * 1000))ms --output="$out/s$ws.json" \
		--name=r --rw=randread --iodepth=96 \
		--name=w --rw=randwrite --iodepth=96
	rb=$(delta "$s0" "$s1" 2); wb=$(delta "$s0" "$s1" 3)
	read -r rios wios _ <<<"$(rw_ios "$out/s$ws.json")"
	t_log "writes_starved $ws: $rb read / $wb write batches; fio: $rios reads, $wios writes"
	t_range "writes_starved $ws: write batches in the window" "$wb" 4 1000
	t_range "writes_starved $ws: read batches - $ws x write batches" \
		$((rb - ws * wb)) $((-ws - 1)) $((ws + 1))
	share[$ws]=$(ratio "$rios" "$wios")
done
t_range "fio sees more reads per write with writes_starved 4 than 1 (x$(ratio "${share[4]}" "${share[1]}"))" \
	"$(ratio "${share[4]}" "${share[1]}")" 1.8 100

# writes_starved 0: writes go at every boundary where one is queued, yet
# reads are not starved for ever: their deadline alternates them in.
# 10 s as before: writes/reads is within 30% of its bound.
iosched $name writes_starved 0
iosched $name read_expire 300
fio "${common[@]}" --runtime=10 --output="$out/s0.json" \
	--name=r --rw=randread --iodepth=96 \
	--name=w --rw=randwrite --iodepth=96 >/dev/null 2>&1
read -r rios wios rmax <<<"$(rw_ios "$out/s0.json")"
t_log "writes_starved 0: fio $rios reads, $wios writes, read max $rmax ns"
t_range "writes_starved 0: writes get at least as many as reads" "$(ratio "$wios" "$rios")" 0.8 1000
t_range "writes_starved 0: reads still served (reads done)" "$rios" 20 100000
t_done
