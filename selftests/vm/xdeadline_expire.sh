#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
#
# xdeadline's deadlines on a slow device (null_blk: 2 tags, 20 ms timer
# completions, i.e. 100 requests/s) with a deep scheduler queue:
#  1. a synchronous reader's worst latency stays within read_expire plus a
#     margin while a sequential write flood keeps ~190 writes queued
#     (in arrival order the reader would wait ~2 s behind them);
#  2. a writer's worst latency stays within write_expire plus a margin
#     under a read flood, with writes_starved so large that only the
#     write deadline can let writes through;
#  3. with the defaults the writer is served much sooner than that.
# Each flood has the queue full within 1 s (it is submitted at once); the
# measured job starts then and ends 1 s before the flood.  The reader runs
# 3 s (~75 reads at ~40 ms), the writers 8 s (~7 writes at ~1.1 s) and
# 4 s (~8 writes).
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio
need_cmd jq

name=xdexp0
dev=$(xd_disk $name) || skip_all "no null_blk with xdeadline"
out=$(mktemp -d)
trap 'nullb_teardown $name; rm -rf "$out"' EXIT
echo 256 > /sys/block/$name/queue/nr_requests
echo 2 > /sys/block/$name/queue/nomerges	# keep the write flood 4 KiB requests

# figs FILE JOB DIR: ios, mean and max (in ms) of JOB's DIR (read or
# write) and flood, the flood's writes, from fio's JSON output FILE in one
# jq run (jq starts slowly under TCG); a figure fio did not report is not
# a number, and fails its check.
figs() {
	local f
	f=$(jq -r --arg j "$2" --arg d "$3" '
		[first(.jobs[] | select(.jobname == $j) | .[$d]) // {},
		 first(.jobs[] | select(.jobname == "flood")) // {}] |
		"\(.[0].total_ios // "?") \(.[0].lat_ns.mean // "?") \(.[0].lat_ns.max // "?") \(.[1].write.total_ios // "?")"' \
		"$1" 2>/dev/null)
	read -r ios mean max flood <<<"$f"
	mean=$(ms "$mean") max=$(ms "$max")
}

common=(--filename="$dev" --direct=1 --bs=4k --ioengine=libaio --time_based
	--output-format=json)

# 1. Reader against a sequential write flood.
fio "${common[@]}" --output="$out/r.json" \
	--name=flood --rw=write --iodepth=256 --runtime=5 \
	--name=reader --rw=randread --iodepth=1 --startdelay=1 --runtime=3 \
	>/dev/null 2>&1
figs "$out/r.json" reader read
t_log "reader: $ios reads, mean ${mean} ms, max ${max} ms; flood: $flood writes"
t_range "the write flood runs (writes done)" "$flood" 300 100000
t_range "the reader is served (reads done)" "$ios" 20 100000
t_range "reader's worst latency <= read_expire 500 ms + 250 ms" "$max" 0 750

# 2. Writer against a random read flood, only the write deadline helps.
iosched $name write_expire 1000
iosched $name writes_starved 1000000
fio "${common[@]}" --output="$out/w.json" \
	--name=flood --rw=randread --iodepth=200 --runtime=10 \
	--name=writer --rw=write --iodepth=1 --startdelay=1 --runtime=8 \
	>/dev/null 2>&1
figs "$out/w.json" writer write
t_log "writer (write_expire 1000, writes_starved 1000000): $ios writes, mean ${mean} ms, max ${max} ms"
t_range "the writer is served (writes done)" "$ios" 4 100000
t_range "writer's mean latency >= 80% of write_expire (reads preferred)" "$mean" 800 100000
t_range "writer's worst latency <= write_expire 1000 ms + 750 ms" "$max" 0 1750

# 3. The same with the defaults: writes_starved lets writes through early.
iosched $name write_expire 5000
iosched $name writes_starved 2
fio "${common[@]}" --output="$out/d.json" \
	--name=flood --rw=randread --iodepth=200 --runtime=6 \
	--name=writer --rw=write --iodepth=1 --startdelay=1 --runtime=4 \
	>/dev/null 2>&1
figs "$out/d.json" writer write
t_log "writer (defaults): $ios writes, max ${max} ms"
t_range "writer's worst latency with writes_starved 2 well below write_expire" "$max" 0 1000
t_done
