#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# async_depth: writes hold at most async_depth scheduler tags, so that a
# synchronous reader always finds one.  The tags in use are read from the
# hardware queue's debugfs sched_tags while a write flood wants them all.
#
# The count is async_depth's on both kernels' sbitmap, which limits per
# word on 6.1 and over the whole bitmap on 6.12.43 and later: at most
# async_depth, exactly where the kernel can.  19 tags (grown from 4, so
# in words of 4 bits, the last of 3) and async_depth 10: 10 on both,
# where per-word rounding up gave 15 on 6.1 and passing 10 as it is 9 on
# 6.12; 64 tags (words of 16) and async_depth 47: 44 on 6.1 (it moves in
# steps of 4 there), 47 on 6.12, never the 48 of rounding up.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio
need_cmd jq

name=xdasync0
dev=$(xd_disk $name) || skip_all "no null_blk with xdeadline"
out=$(mktemp -d)
name1=xdasync1
trap 'nullb_teardown $name $name1; rm -rf "$out"' EXIT
echo 64 > /sys/block/$name/queue/nr_requests
tags=/sys/kernel/debug/block/$name/hctx0/sched_tags
[ -r "$tags" ] || skip_all "no debugfs sched_tags"

# the most scheduler tags in use over 3 s from the first sample with any
# (fio can take seconds to start under TCG); 0 if none within 10 s
busy_max() {
	local tags=${1:-$tags} m=0 b i n=0
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

# writes_max NAME DEPTH: wmax, the most tags a write flood holds with
# async_depth DEPTH
writes_max() {
	iosched "$1" async_depth "$2"
	fio "${common[@]}" --filename="/dev/$1" --runtime=6 --output=/dev/null \
		--name=flood --rw=randwrite --iodepth=128 >/dev/null 2>&1 &
	wmax=$(busy_max "/sys/kernel/debug/block/$1/hctx0/sched_tags")
	wait
	t_log "$1: nr_requests $(cat "/sys/block/$1/queue/nr_requests"), async_depth $2 ($(cat "/sys/kernel/debug/block/$1/sched/async_depth" 2>/dev/null)): at most $wmax tags busy"
}
# 6.12.43 and later count the shallow depth over the whole bitmap
whole=0
IFS=.- read -r v1 v2 v3 _ <<<"$(uname -r)"
[ "$v1.$v2" = 6.12 ] && [ "${v3%%[!0-9]*}" -ge 43 ] && whole=1

writes_max $name 47
t_range "nr_requests 64, async_depth 47: writes hold at most 47 tags" "$wmax" 40 47
[ $whole = 1 ] &&
	t_eq "nr_requests 64, async_depth 47: exactly 47 on 6.12.43+" "$wmax" 47

nullb_create $name1 blocksize=4096 size=1024 irqmode=2 \
	completion_nsec=20000000 hw_queue_depth=2 >/dev/null ||
	{ t_fail "a second null_blk device"; t_done; }
sched_set $name1 xdeadline
echo 19 > /sys/block/$name1/queue/nr_requests
writes_max $name1 10
t_eq "nr_requests 19 (words of 4), async_depth 10: writes hold exactly 10 tags" "$wmax" 10
t_done
