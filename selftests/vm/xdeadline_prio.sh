#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
#
# I/O priority classes under xdeadline, on a slow null_blk device (2 tags,
# 20 ms completions) with a deep scheduler queue:
#  1. an RT reader overtakes a BE read flood;
#  2. an IDLE reader waits for prio_aging_expire behind a BE flood, but
#     no longer: it is not starved;
#  3. a BE reader overtakes an IDLE flood.
# Every read takes at least the device's 20 ms, so that is each latency's
# lower bound; each reader must have done the reads its latency implies
# over its run (a reader that did none has no latency to check), and a
# figure fio did not report fails its check (it never reads as 0).
# The RT and BE readers run 3 s, 1 s into a flood of 5 s (the flood's 64
# reads are queued at once); the IDLE reader keeps its 10 s, 2 s into a
# flood of 13 s: its latency is within 6% of its bound and it does only
# ~7 reads.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio
need_cmd jq

name=xdprio0
dev=$(xd_disk $name) || skip_all "no null_blk with xdeadline"
out=$(mktemp -d)
trap 'nullb_teardown $name; rm -rf "$out"' EXIT
echo 256 > /sys/block/$name/queue/nr_requests

# figs FILE JOB: from fio's JSON output FILE in one jq run (jq starts
# slowly under TCG), the reads of JOB and of the flood (ios, fios), JOB's
# latency min, mean and max and the flood's mean in ms (min, mean, max,
# fmean); a figure fio did not report is not a number.
figs() {
	read -r ios fios min mean max fmean <<<"$(jq -r --arg j "$2" '
		[(first(.jobs[] | select(.jobname == $j)) // {}).read,
		 (first(.jobs[] | select(.jobname == "flood")) // {}).read] |
		[.[0].total_ios, .[1].total_ios, .[0].lat_ns.min,
		 .[0].lat_ns.mean, .[0].lat_ns.max, .[1].lat_ns.mean] |
		map(. // "?" | tostring) | join(" ")' "$1" 2>/dev/null)"
	min=$(ms "$min") mean=$(ms "$mean") max=$(ms "$max") fmean=$(ms "$fmean")
}

common=(--filename="$dev" --direct=1 --bs=4k --ioengine=libaio --time_based
	--rw=randread --output-format=json)
# the readers of 1. and 3.: 3 s, one read at a time, each 20 to 80 ms on
# average: 37 to 150 reads (+1 in flight at the end)
rd=3

# 1. RT reader vs BE flood.  In sector order the RT reads would wait about
# as long as the flood's (~600 ms); served first they wait for at most the
# two requests in the device.
fio "${common[@]}" --output="$out/rt.json" \
	--name=flood --iodepth=64 --prioclass=2 --runtime=$((rd + 2)) \
	--name=rt --iodepth=1 --prioclass=1 --startdelay=1 --runtime=$rd \
	>/dev/null 2>&1
figs "$out/rt.json" rt
t_log "RT: $ios reads, mean $mean ms, max $max ms; BE flood mean $fmean ms"
t_range "BE flood keeps the queue deep (mean ms)" "$fmean" 300 100000
t_range "RT reader's reads done" "$ios" $((rd * 1000 / 80)) $((rd * 1000 / 20 + 1))
t_range "RT reader's mean latency (ms)" "$mean" 20 80
t_range "RT reader's worst latency (ms)" "$max" 20 200

# 2. IDLE reader vs BE flood: dispatched once aged, i.e. after
# prio_aging_expire (1500 ms), plus the device.
iosched $name prio_aging_expire 1500
fio "${common[@]}" --output="$out/idle.json" \
	--name=flood --iodepth=64 --prioclass=2 --runtime=13 \
	--name=idle --iodepth=1 --prioclass=3 --startdelay=2 --runtime=10 \
	>/dev/null 2>&1
figs "$out/idle.json" idle
t_log "IDLE: $ios reads, min $min ms, mean $mean ms, max $max ms"
t_range "IDLE reader is not starved (reads done)" "$ios" 3 100000
t_range "IDLE reader waits for prio_aging_expire (min ms)" "$min" 1450 100000
t_range "IDLE reader waits no longer than prio_aging_expire + 500 ms (max ms)" \
	"$max" 1450 2000

# 3. BE reader vs IDLE flood.
fio "${common[@]}" --output="$out/be.json" \
	--name=flood --iodepth=64 --prioclass=3 --runtime=$((rd + 2)) \
	--name=be --iodepth=1 --prioclass=2 --startdelay=1 --runtime=$rd \
	>/dev/null 2>&1
figs "$out/be.json" be
t_log "BE: $ios reads, mean $mean ms; IDLE flood: $fios reads"
t_range "BE reader's reads done next to an IDLE flood" "$ios" $((rd * 1000 / 80)) $((rd * 1000 / 20 + 1))
t_range "BE reader's mean latency next to an IDLE flood (ms)" "$mean" 20 80
t_range "the IDLE flood still gets the idle device time (reads done)" \
	"$fios" 300 100000
t_done
