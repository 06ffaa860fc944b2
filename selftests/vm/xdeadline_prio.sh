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

lat() { ms "$(fj "$1" "$2" "read.lat_ns.$3")"; }

common=(--filename="$dev" --direct=1 --bs=4k --ioengine=libaio --time_based
	--rw=randread --output-format=json)

# 1. RT reader vs BE flood.  In sector order the RT reads would wait about
# as long as the flood's (~600 ms); served first they wait for at most the
# two requests in the device.
fio "${common[@]}" --output="$out/rt.json" \
	--name=flood --iodepth=64 --prioclass=2 --runtime=11 \
	--name=rt --iodepth=1 --prioclass=1 --startdelay=2 --runtime=8 \
	>/dev/null 2>&1
t_log "RT: $(fj "$out/rt.json" rt read.total_ios) reads, mean $(lat "$out/rt.json" rt mean) ms," \
	"max $(lat "$out/rt.json" rt max) ms; BE flood mean $(lat "$out/rt.json" flood mean) ms"
t_range "BE flood keeps the queue deep (mean ms)" "$(lat "$out/rt.json" flood mean)" 300 100000
# 8 s at one read at a time, each 20 to 80 ms on average: 100 to 400.
t_range "RT reader's reads done" "$(fj "$out/rt.json" rt read.total_ios)" 100 401
t_range "RT reader's mean latency (ms)" "$(lat "$out/rt.json" rt mean)" 20 80
t_range "RT reader's worst latency (ms)" "$(lat "$out/rt.json" rt max)" 20 200

# 2. IDLE reader vs BE flood: dispatched once aged, i.e. after
# prio_aging_expire (1500 ms), plus the device.
iosched $name prio_aging_expire 1500
fio "${common[@]}" --output="$out/idle.json" \
	--name=flood --iodepth=64 --prioclass=2 --runtime=13 \
	--name=idle --iodepth=1 --prioclass=3 --startdelay=2 --runtime=10 \
	>/dev/null 2>&1
t_log "IDLE: $(fj "$out/idle.json" idle read.total_ios) reads, min $(lat "$out/idle.json" idle min) ms," \
	"mean $(lat "$out/idle.json" idle mean) ms, max $(lat "$out/idle.json" idle max) ms"
t_range "IDLE reader is not starved (reads done)" "$(fj "$out/idle.json" idle read.total_ios)" 3 100000
t_range "IDLE reader waits for prio_aging_expire (min ms)" "$(lat "$out/idle.json" idle min)" 1450 100000
t_range "IDLE reader waits no longer than prio_aging_expire + 500 ms (max ms)" \
	"$(lat "$out/idle.json" idle max)" 1450 2000

# 3. BE reader vs IDLE flood.
fio "${common[@]}" --output="$out/be.json" \
	--name=flood --iodepth=64 --prioclass=3 --runtime=11 \
	--name=be --iodepth=1 --prioclass=2 --startdelay=2 --runtime=8 \
	>/dev/null 2>&1
t_log "BE: $(fj "$out/be.json" be read.total_ios) reads, mean $(lat "$out/be.json" be mean) ms;" \
	"IDLE flood: $(fj "$out/be.json" flood read.total_ios) reads"
t_range "BE reader's reads done next to an IDLE flood" "$(fj "$out/be.json" be read.total_ios)" 100 401
t_range "BE reader's mean latency next to an IDLE flood (ms)" "$(lat "$out/be.json" be mean)" 20 80
t_range "the IDLE flood still gets the idle device time (reads done)" \
	"$(fj "$out/be.json" flood read.total_ios)" 300 100000
t_done
