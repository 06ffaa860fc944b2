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
ios=/sys/block/$name/queue/iosched

# fj FILE JOB PATH: a field of one job in fio's JSON output

common=(--filename="$dev" --direct=1 --bs=4k --ioengine=libaio --time_based
	--output-format=json)

# 1. Reader against a sequential write flood.
fio "${common[@]}" --output="$out/r.json" \
	--name=flood --rw=write --iodepth=256 --runtime=14 \
	--name=reader --rw=randread --iodepth=1 --startdelay=3 --runtime=10 \
	>/dev/null 2>&1
rmax=$(ms "$(fj "$out/r.json" reader read.lat_ns.max)")
rmean=$(ms "$(fj "$out/r.json" reader read.lat_ns.mean)")
rios=$(fj "$out/r.json" reader read.total_ios)
wios=$(fj "$out/r.json" flood write.total_ios)
t_log "reader: $rios reads, mean ${rmean} ms, max ${rmax} ms; flood: $wios writes"
t_range "the write flood runs (writes done)" "$wios" 300 100000
t_range "the reader is served (reads done)" "$rios" 20 100000
t_range "reader's worst latency <= read_expire 500 ms + 250 ms" "$rmax" 0 750

# 2. Writer against a random read flood, only the write deadline helps.
iosched $name write_expire 1000
iosched $name writes_starved 1000000
fio "${common[@]}" --output="$out/w.json" \
	--name=flood --rw=randread --iodepth=200 --runtime=14 \
	--name=writer --rw=write --iodepth=1 --startdelay=3 --runtime=10 \
	>/dev/null 2>&1
wmax=$(ms "$(fj "$out/w.json" writer write.lat_ns.max)")
wmean=$(ms "$(fj "$out/w.json" writer write.lat_ns.mean)")
wios=$(fj "$out/w.json" writer write.total_ios)
t_log "writer (write_expire 1000, writes_starved 1000000): $wios writes, mean ${wmean} ms, max ${wmax} ms"
t_range "the writer is served (writes done)" "$wios" 4 100000
t_range "writer's mean latency >= 80% of write_expire (reads preferred)" "$wmean" 800 100000
t_range "writer's worst latency <= write_expire 1000 ms + 750 ms" "$wmax" 0 1750

# 3. The same with the defaults: writes_starved lets writes through early.
iosched $name write_expire 5000
iosched $name writes_starved 2
fio "${common[@]}" --output="$out/d.json" \
	--name=flood --rw=randread --iodepth=200 --runtime=12 \
	--name=writer --rw=write --iodepth=1 --startdelay=3 --runtime=8 \
	>/dev/null 2>&1
dmax=$(ms "$(fj "$out/d.json" writer write.lat_ns.max)")
t_log "writer (defaults): $(fj "$out/d.json" writer write.total_ios) writes, max ${dmax} ms"
t_range "writer's worst latency with writes_starved 2 well below write_expire" "$dmax" 0 1000
t_done
