#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
#
# async_depth: writes hold at most async_depth scheduler tags, so that a
# synchronous reader always finds one.  The tags in use are read from the
# hardware queue's debugfs sched_tags while a write flood wants them all.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio
need_cmd jq

name=xdasync0
dev=$(nullb_create $name blocksize=4096 size=1024 irqmode=2 \
	completion_nsec=20000000 hw_queue_depth=2) || skip_all "no null_blk"
out=$(mktemp -d)
trap 'sched_set $name none 2>/dev/null; nullb_remove $name; rm -rf "$out"' EXIT
sched_set $name xdeadline || skip_all "xdeadline not available"
echo 64 > /sys/block/$name/queue/nr_requests
tags=/sys/kernel/debug/block/$name/hctx0/sched_tags
[ -r "$tags" ] || skip_all "no debugfs sched_tags"

fj() { jq -r --arg j "$2" ".jobs[] | select(.jobname == \$j) | .$3" "$1"; }
ms() { awk -v n="$1" 'BEGIN { printf "%.0f", n / 1e6 }'; }
# the most scheduler tags in use over 3 s from the first sample with any
# (fio can take seconds to start under TCG); 0 if none within 10 s
busy_max() {
	local m=0 b i n=0
	for i in $(seq 130); do
		b=$(awk '/^bitmap_tags:/ { t = 1 } t && /^busy=/ { sub("busy=", ""); print; exit }' "$tags")
		[ "${b:-0}" -gt $m ] && m=$b
		[ $m -gt 0 ] && n=$((n + 1))
		[ $n -ge 30 ] && break
		sleep 0.1
	done
	echo $m
}

common=(--filename="$dev" --direct=1 --bs=4k --ioengine=libaio --time_based
	--runtime=12 --output-format=json)

t_eq "default async_depth is 3/4 of nr_requests 64" "$(iosched $name async_depth)" 48
for depth in 8 64; do
	iosched $name async_depth $depth
	fio "${common[@]}" --output="$out/w$depth.json" \
		--name=flood --rw=randwrite --iodepth=128 \
		--name=reader --rw=randread --iodepth=1 --startdelay=1 >/dev/null 2>&1 &
	max=$(busy_max)
	wait
	rmax=$(ms "$(fj "$out/w$depth.json" reader read.clat_ns.max)")
	smax=$(ms "$(fj "$out/w$depth.json" reader read.slat_ns.max)")
	t_log "async_depth $depth: at most $max tags busy; reader: submit max $smax ms, completion max $rmax ms"
	if [ $depth = 8 ]; then
		t_range "async_depth 8: tags in use under a write flood (+1 reader)" "$max" 2 9
		t_range "async_depth 8: the reader never waits for a tag (submit max ms)" "$smax" 0 50
	else
		t_range "async_depth 64: the write flood takes (nearly) every tag" "$max" 56 64
	fi
done
t_done
