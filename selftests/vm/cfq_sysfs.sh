#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
#
# cfq's tunables: the 17 legacy files with their legacy defaults (slice_idle
# 0 on a non-rotational device) and elvx's sync_dispatch and
# parallel_dispatch, values that read
# back as written, the ms and us twins agreeing, and bad values refused
# with EINVAL, changing nothing.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root

rot=$(nullb_create cfqsys0 size=64) || skip_all "no null_blk"
nonrot=$(nullb_create cfqsys1 size=64) || skip_all "no null_blk"
trap 'nullb_remove cfqsys0; nullb_remove cfqsys1' EXIT
r=${rot#/dev/} n=${nonrot#/dev/}

# null_blk has no rotational attribute: flag it before cfq starts.
echo 1 > /sys/block/$r/queue/rotational
t_check "cfq selected on a rotational device" sched_set $r cfq
t_check "cfq selected on a non-rotational device" sched_set $n cfq

files="quantum fifo_expire_sync fifo_expire_async back_seek_max
back_seek_penalty slice_sync slice_sync_us slice_async slice_async_us
slice_async_rq slice_idle slice_idle_us group_idle group_idle_us low_latency
target_latency target_latency_us sync_dispatch parallel_dispatch"
t_eq "exactly the 17 legacy files, sync_dispatch and parallel_dispatch" \
	"$(ls /sys/block/$r/queue/iosched | sort | tr '\n' ' ')" \
	"$(echo $files | tr ' ' '\n' | sort | tr '\n' ' ')"

declare -A def=(
	[quantum]=8 [fifo_expire_sync]=125 [fifo_expire_async]=250
	[back_seek_max]=16384 [back_seek_penalty]=2 [slice_sync]=100
	[slice_sync_us]=100000 [slice_async]=40 [slice_async_us]=40000
	[slice_async_rq]=2 [slice_idle]=8 [slice_idle_us]=8000 [group_idle]=8
	[group_idle_us]=8000 [low_latency]=1 [target_latency]=300
	[target_latency_us]=300000 [sync_dispatch]=1 [parallel_dispatch]=1
)
bad_def=""
for f in $files; do
	v=$(iosched $r $f)
	[ "$v" = "${def[$f]}" ] || bad_def+=" $f=$v(want ${def[$f]})"
done
t_eq "legacy defaults on the rotational device" "${bad_def:-none wrong}" "none wrong"
t_eq "slice_idle is 0 on the non-rotational device" "$(iosched $n slice_idle)" 0
t_eq "slice_idle_us is 0 on the non-rotational device" "$(iosched $n slice_idle_us)" 0
t_eq "group_idle stays 8 on the non-rotational device" "$(iosched $n group_idle)" 8

# Round trips: value written, value read, and the twin's reading.
roundtrip() {	# FILE VALUE [TWIN TWIN_VALUE]
	local f=$1 v=$2 ok=1
	try_write /sys/block/$r/queue/iosched/$f "$v" || ok=0
	[ "$(iosched $r $f)" = "$v" ] || ok=0
	if [ $# -gt 2 ] && [ "$(iosched $r $3)" != "$4" ]; then ok=0; fi
	if [ $ok = 1 ]; then t_ok "$f=$v reads back${3:+ ($3=$4)}"
	else t_fail "$f=$v reads back${3:+ ($3=$4)}: got $(iosched $r $f)${3:+, $3=$(iosched $r $3)}"; fi
}
roundtrip quantum 1
roundtrip quantum 64
roundtrip fifo_expire_sync 1
roundtrip fifo_expire_sync 3600000
roundtrip fifo_expire_async 500
roundtrip back_seek_max 0
roundtrip back_seek_max 1048576
roundtrip back_seek_penalty 1
roundtrip back_seek_penalty 10
roundtrip slice_sync 250 slice_sync_us 250000
roundtrip slice_sync_us 1500 slice_sync 1
roundtrip slice_async 7 slice_async_us 7000
roundtrip slice_async_us 40000 slice_async 40
roundtrip slice_async_rq 1
roundtrip slice_async_rq 32
roundtrip slice_idle 0 slice_idle_us 0
roundtrip slice_idle_us 1500 slice_idle 1
roundtrip slice_idle 12 slice_idle_us 12000
roundtrip group_idle 0 group_idle_us 0
roundtrip group_idle_us 2500 group_idle 2
roundtrip low_latency 0
roundtrip low_latency 1
roundtrip target_latency 1 target_latency_us 1000
roundtrip target_latency_us 300000 target_latency 300
roundtrip sync_dispatch 0
roundtrip sync_dispatch 1
roundtrip parallel_dispatch 0
roundtrip parallel_dispatch 1
roundtrip quantum 8
roundtrip slice_sync 100

# Bad values: refused with EINVAL, the value unchanged.
refused() {	# FILE VALUE DESC
	local p=/sys/block/$r/queue/iosched/$1 before after err
	before=$(cat $p)
	err=$( (printf '%s' "$2" > $p) 2>&1 )
	after=$(cat $p)
	if [ -n "$err" ] && grep -q "Invalid argument" <<<"$err" && [ "$before" = "$after" ]; then
		t_ok "$1 refuses $3"
	else
		t_fail "$1 refuses $3 (error '${err:-none}', $before -> $after)"
	fi
}
for f in $files; do
	refused $f abc "a word"
	refused $f -1 "a negative number"
	refused $f 12abc "trailing garbage"
	refused $f 4294967296 "a number past 32 bits"
	refused $f $'\n' "an empty line"
done
for f in quantum fifo_expire_sync fifo_expire_async back_seek_penalty \
	 slice_sync slice_sync_us slice_async slice_async_us slice_async_rq \
	 target_latency target_latency_us; do
	refused $f 0 "zero"
done
refused low_latency 2 "2 (a boolean)"
refused sync_dispatch 2 "2 (a boolean)"
refused parallel_dispatch 2 "2 (a boolean)"
refused slice_idle 3600001 "more than an hour"
refused slice_idle_us 3600000001 "more than an hour"
refused fifo_expire_async 3600001 "more than an hour"
refused slice_async_rq 1000001 "more than a million"

t_check "I/O still flows with the tuned cfq" \
	dd if=$rot of=/dev/null bs=4k count=256 iflag=direct status=none
t_check "I/O flows on the non-rotational device" \
	dd if=$nonrot of=/dev/null bs=4k count=256 iflag=direct status=none
t_done
