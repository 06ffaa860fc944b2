#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
#
# fifo_batch and writes_starved change the dispatch order that xdeadline
# reports in debugfs (sched/stats: requests and batches per direction) and
# the read/write share that fio sees, on a slow null_blk device (2 tags,
# 20 ms completions) whose scheduler queue is kept full.  Deadlines are set
# far away so that only these two tunables decide.
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
declare -A share
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }

common=(--filename="$dev" --direct=1 --bs=4k --ioengine=libaio --time_based
	--runtime=10 --output-format=json)

# window FIO-ARGS...: run fio; s0/s1 are counter snapshots 2 s and 8 s into
# the run, away from the start and the final drain of each job.  A batch
# may straddle either edge of the window: the bounds allow for that.
window() {
	fio "${common[@]}" "$@" >/dev/null 2>&1 &
	sleep 2; s0=$(snap)
	sleep 6; s1=$(snap)
	wait
}

# fifo_batch: a sequential read stream leaves in batches of fifo_batch.
for fb in 1 4 16; do
	iosched $name fifo_batch $fb
	window --output="$out/b$fb.json" --name=seq --rw=read --iodepth=128
	n=$(delta "$s0" "$s1" 0); b=$(delta "$s0" "$s1" 2)
	avg=$(ratio "$n" "$b")
	t_log "fifo_batch $fb: $n reads in $b batches, $avg per batch"
	t_range "fifo_batch $fb: reads per batch" "$avg" \
		"$(awk -v f=$fb 'BEGIN { print f * 0.8 }')" \
		"$(awk -v f=$fb -v b="$b" 'BEGIN { printf "%.2f", f * (b + 1) / b + 0.01 }')"
done

# writes_starved: with both directions always queued, reads get
# writes_starved batches for each write batch.
iosched $name fifo_batch 16
for ws in 1 4; do
	iosched $name writes_starved $ws
	window --output="$out/s$ws.json" \
		--name=r --rw=randread --iodepth=96 \
		--name=w --rw=randwrite --iodepth=96
	rb=$(delta "$s0" "$s1" 2); wb=$(delta "$s0" "$s1" 3)
	rios=$(fj "$out/s$ws.json" r read.total_ios)
	wios=$(fj "$out/s$ws.json" w write.total_ios)
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
iosched $name writes_starved 0
iosched $name read_expire 300
fio "${common[@]}" --output="$out/s0.json" \
	--name=r --rw=randread --iodepth=96 \
	--name=w --rw=randwrite --iodepth=96 >/dev/null 2>&1
rios=$(fj "$out/s0.json" r read.total_ios)
wios=$(fj "$out/s0.json" w write.total_ios)
t_log "writes_starved 0: fio $rios reads, $wios writes, read max $(fj "$out/s0.json" r read.lat_ns.max) ns"
t_range "writes_starved 0: writes get at least as many as reads" "$(ratio "$wios" "$rios")" 0.8 1000
t_range "writes_starved 0: reads still served (reads done)" "$rios" 20 100000
t_done
