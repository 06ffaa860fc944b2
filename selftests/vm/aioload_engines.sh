#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
#
# aioload against null_blk, under every scheduler this kernel has of none,
# cfq and xdeadline: each engine writes checkable blocks and reads them
# back (--verify), buffered and O_DIRECT, then reads at random for a second.
# Last, with scheduler none, aioload's libaio and io_uring engines against
# fio's with the same settings in the same boot: aioload should reach at
# least fio's IOPS (the test allows 10% for noise and prints the ratio).
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd jq
[ -x "$AIOLOAD" ] || skip_all "tools/aioload/aioload is not built"

name=alnull0
perf=alperf0
dev=$(nullb_create $name memory_backed=1 blocksize=4096 size=256) ||
	skip_all "no null_blk"
out=$(mktemp -d)
cleanup() {
	sched_set $name none 2>/dev/null
	nullb_remove $name
	nullb_remove $perf
	rm -rf "$out"
}
trap cleanup EXIT

jv() { jq -r "$2" "$1" 2>/dev/null; }

for sched in none cfq xdeadline; do
	if ! sched_set $name $sched 2>/dev/null; then
		t_skip "$sched: not available"
		continue
	fi
	for e in sync psync libaio posixaio io_uring; do
		for d in 0 1; do
			"$AIOLOAD" --output-format=json --filename="$dev" \
				--size=8M --ioengine=$e --direct=$d \
				--iodepth=16 --rw=randwrite --verify=crc32c \
				>"$out/w.json" 2>"$out/err"
			rc=$?
			t_eq "$sched $e direct=$d: randwrite --verify, exit, writes, bad blocks" \
				"$rc $(jv "$out/w.json" '.jobs[0] | "\(.write.ios) \(.verify.errors)"')" \
				"0 2048 0"
			"$AIOLOAD" --output-format=json --filename="$dev" \
				--ioengine=$e --direct=$d --iodepth=16 \
				--rw=randread --runtime=1 --time_based \
				>"$out/r.json" 2>"$out/err"
			rc=$?
			ios=$(jv "$out/r.json" '.jobs[0].read.ios')
			if [ $rc -eq 0 ] && [ "${ios:-0}" -gt 100 ]; then
				t_ok "$sched $e direct=$d: randread for 1s ($ios reads)"
			else
				t_fail "$sched $e direct=$d: randread for 1s (exit $rc, ${ios:-no} reads)"
				sed 's/^/# /' "$out/err" | head -3
			fi
		done
	done
	# several jobs of different engines at once, with priorities
	"$AIOLOAD" --output-format=json --filename="$dev" --direct=1 \
		--rw=randrw --runtime=2 --time_based --iodepth=8 \
		--name=a --ioengine=libaio --prioclass=be --prio=0 \
		--name=b --ioengine=io_uring --prioclass=be --prio=7 \
		--name=c --ioengine=posixaio --name=d --ioengine=psync \
		>"$out/m.json" 2>"$out/err"
	rc=$?
	t_eq "$sched: four engines at once, all served" \
		"$rc $(jv "$out/m.json" '[.jobs[] | select(.read.ios > 0 and .write.ios > 0)] | length')" \
		"0 4"
	t_log "$sched: shares $(jv "$out/m.json" '[.jobs[] | "\(.name)=\(.share * 1000 | round / 10)%"] | join(" ")'), Jain $(jv "$out/m.json" '.fairness.jain_index')"
done
sched_set $name none

# --- aioload against fio, scheduler none ---
if ! command -v fio >/dev/null; then
	t_skip "aioload against fio: no fio"
	t_done
fi
pdev=$(nullb_create $perf) || { t_skip "aioload against fio: no second null_blk"; t_done; }
sched_set $perf none
for e in libaio io_uring; do
	args=(--filename="$pdev" --ioengine=$e --direct=1 --rw=randread
	      --bs=4k --iodepth=32 --runtime=2 --time_based)
	best_fio=0
	best_al=0
	for round in 1 2; do
		f=$(fio --name=x "${args[@]}" --output-format=json 2>/dev/null |
			jq '.jobs[0].read.iops | floor')
		a=$("$AIOLOAD" --name=x "${args[@]}" --output-format=json 2>/dev/null |
			jq '.jobs[0].read.iops | floor')
		[ "${f:-0}" -gt $best_fio ] && best_fio=$f
		[ "${a:-0}" -gt $best_al ] && best_al=$a
	done
	ratio=$(awk -v a=$best_al -v f=$best_fio 'BEGIN { printf "%.2f", f ? a / f : 0 }')
	t_log "$e: aioload $best_al IOPS, fio $best_fio IOPS, ratio $ratio"
	t_range "$e: aioload's IOPS over fio's" "$ratio" 0.90 1000
done

t_done
