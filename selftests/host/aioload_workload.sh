#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# aioload's workload shaping: --rate_iops, --thinktime, --ramp_time,
# --loops, --offset/--size, --rwmixread, sequential order, --randseed.
. tools/aioload/tests/lib.sh

F=$T_DIR/data
J=$T_DIR/out.json
dd if=/dev/zero of="$F" bs=1M count=4 status=none

jr() { jq -r "$1" "$J"; }

"$AIOLOAD" --output-format=json --filename="$F" --rw=randread \
	--rate_iops=200 --runtime=2 --time_based --ioengine=libaio \
	--iodepth=4 >"$J" 2>/dev/null
ios=$(jr '.jobs[0].read.ios')
ok "$([ "$ios" -ge 360 ] && [ "$ios" -le 440 ]; echo $?)" \
	"--rate_iops=200 for 2s: $ios reads"
ok "$(jq -e '[.jobs[0].series[] | select(.dt_ms >= 900) | .read_ios] | all(. >= 170 and . <= 230)' "$J" >/dev/null; echo $?)" \
	"--rate_iops holds in every interval"

"$AIOLOAD" --output-format=json --filename="$F" --rw=read --size=64k \
	--thinktime=20ms >"$J" 2>/dev/null
rt=$(jr '.jobs[0].runtime_ms')
ok "$([ "$rt" -ge 300 ] && [ "$rt" -le 1500 ]; echo $?)" \
	"--thinktime=20ms after each of 16 reads: ${rt}ms"
"$AIOLOAD" --output-format=json --filename="$F" --rw=read --size=64k \
	--thinktime=20ms --thinktime_blocks=4 >"$J" 2>/dev/null
rt=$(jr '.jobs[0].runtime_ms')
ok "$([ "$rt" -ge 60 ] && [ "$rt" -le 500 ]; echo $?)" \
	"--thinktime_blocks=4: 4 pauses, ${rt}ms"

"$AIOLOAD" --output-format=json --filename="$F" --rw=randread \
	--ramp_time=1 --runtime=1 --time_based --log_avg_msec=250 \
	>"$J" 2>/dev/null
rt=$(jr '.jobs[0].runtime_ms')
first=$(jr '[.jobs[0].series[] | select(.t_ms < 900) | .read_ios] | add')
ok "$([ "$rt" -ge 900 ] && [ "$rt" -le 1300 ] && [ "$first" = 0 ]; echo $?)" \
	"--ramp_time=1: nothing counted in the first second, ${rt}ms measured"
ok "$(jq -e '.elapsed_ms >= 1900' "$J" >/dev/null; echo $?)" \
	"--ramp_time comes before --runtime"

"$AIOLOAD" --output-format=json --filename="$F" --rw=randwrite --loops=3 \
	--size=256k --offset=1M --bs=8k >"$J" 2>/dev/null
ok "$(jq -e '.jobs[0] | .write.ios == 96 and .offset == 1048576 and .size == 262144' "$J" >/dev/null; echo $?)" \
	"--loops=3 over 256k of 8k blocks at --offset=1M: 96 writes"

"$AIOLOAD" --output-format=json --filename="$F" --rw=randrw --rwmixread=90 \
	--size=4M >"$J" 2>/dev/null
r=$(jr '.jobs[0].read.ios')
ok "$([ "$r" -ge 880 ] && [ "$r" -le 960 ]; echo $?)" \
	"--rwmixread=90: $r reads of 1024"
"$AIOLOAD" --output-format=json --filename="$F" --rw=randrw --rwmixwrite=90 \
	--size=4M >"$J" 2>/dev/null
r=$(jr '.jobs[0].read.ios')
ok "$([ "$r" -ge 64 ] && [ "$r" -le 144 ]; echo $?)" \
	"--rwmixwrite=90: $r reads of 1024"

# the same seed gives the same run, another seed another one
for s in 1 1 2; do
	rm -f "$F.$s"
	"$AIOLOAD" --filename="$F.$s" --size=64k --rw=randwrite --bs=4k \
		--randseed=$s --verify=crc32c >/dev/null 2>&1
done
"$AIOLOAD" --output-format=json --filename="$F" --rw=randrw --size=1M \
	--randseed=7 >"$J" 2>/dev/null
a=$(jr '.jobs[0].read.ios')
"$AIOLOAD" --output-format=json --filename="$F" --rw=randrw --size=1M \
	--randseed=7 >"$J" 2>/dev/null
b=$(jr '.jobs[0].read.ios')
"$AIOLOAD" --output-format=json --filename="$F" --rw=randrw --size=1M \
	--randseed=8 >"$J" 2>/dev/null
c=$(jr '.jobs[0].read.ios')
ok "$([ "$a" = "$b" ] && [ "$a" != "$c" ]; echo $?)" \
	"--randseed repeats a run ($a, $b) and another seed changes it ($c)"

# sequential order: a sequential write of a pattern file leaves every block
"$AIOLOAD" --filename="$F" --size=1M --rw=write --bs=64k --verify=1 \
	--output-format=json >"$J" 2>/dev/null
ok "$(jq -e '.jobs[0] | .write.ios == 16 and .verify.blocks == 16 and .verify.errors == 0' "$J" >/dev/null; echo $?)" \
	"a sequential pass writes each block once"

# a read-only job on a short file fills the missing part first
rm -f "$F.short"
printf 'x' >"$F.short"
"$AIOLOAD" --filename="$F.short" --size=1M --rw=read >/dev/null 2>&1
ok "$([ $? -eq 0 ] && [ "$(stat -c %s "$F.short")" -eq 1048576 ]; echo $?)" \
	"a read job lays a short file out to --size"

done_testing
