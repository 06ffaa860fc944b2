#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# aioload against null_blk, under every scheduler this kernel has of none,
# cfq and xdeadline: each engine writes checkable blocks and reads them
# back (--verify), buffered and O_DIRECT, then reads at random for 250 ms.
# Last, with scheduler none, aioload's libaio and io_uring engines against
# fio's with the same settings in the same boot, one run of 1 s each:
# aioload should reach at least fio's IOPS (the test allows 10% for noise
# and prints the ratio).
#
# jq starts slowly under TCG: one jq reads both reports of an engine's
# write and read, one the four engines' report.
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

# figs W R: "WRITES BAD_BLOCKS READS" from the reports W (randwrite
# --verify) and R (randread); "?" for a figure missing or a report that
# is not JSON.
figs() {
	jq -rn --rawfile w "$1" --rawfile r "$2" '
		def job(s): try (s | fromjson | .jobs[0]) catch null;
		[job($w).write.ios, job($w).verify.errors, job($r).read.ios] |
		map(. // "?" | tostring) | join(" ")' 2>/dev/null
}

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
				>"$out/w.json" 2>"$out/w.err"
			wrc=$?
			"$AIOLOAD" --output-format=json --filename="$dev" \
				--ioengine=$e --direct=$d --iodepth=16 \
				--rw=randread --runtime=250ms --time_based \
				>"$out/r.json" 2>"$out/r.err"
			rc=$?
			read -r writes bad ios <<<"$(figs "$out/w.json" "$out/r.json")"
			t_eq "$sched $e direct=$d: randwrite --verify, exit, writes, bad blocks" \
				"$wrc $writes $bad" "0 2048 0"
			if [ $rc -eq 0 ] && t_isnum "$ios" && [ "$ios" -gt 100 ]; then
				t_ok "$sched $e direct=$d: randread for 250ms ($ios reads)"
			else
				t_fail "$sched $e direct=$d: randread for 250ms (exit $rc, ${ios:-no} reads)"
				sed 's/^/# /' "$out/r.err" | head -3
			fi
		done
	done
	# several jobs of different engines at once, with priorities
	"$AIOLOAD" --output-format=json --filename="$dev" --direct=1 \
		--rw=randrw --runtime=1 --time_based --iodepth=8 \
		--name=a --ioengine=libaio --prioclass=be --prio=0 \
		--name=b --ioengine=io_uring --prioclass=be --prio=7 \
		--name=c --ioengine=posixaio --name=d --ioengine=psync \
		>"$out/m.json" 2>"$out/err"
	rc=$?
	read -r served jain shares <<<"$(jq -r '[([.jobs[] |
		select(.read.ios > 0 and .write.ios > 0)] | length),
		.fairness.jain_index, ([.jobs[] |
		"\(.name)=\(.share * 1000 | round / 10)%"] | join(" "))] |
		map(tostring) | join(" ")' "$out/m.json" 2>/dev/null)"
	t_eq "$sched: four engines at once, all served" "$rc $served" "0 4"
	t_log "$sched: shares $shares, Jain $jain"
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
	      --bs=4k --iodepth=32 --runtime=1 --time_based)
	f=$(fio --name=x "${args[@]}" --output-format=json 2>/dev/null |
		jq '.jobs[0].read.iops | floor')
	a=$("$AIOLOAD" --name=x "${args[@]}" --output-format=json 2>/dev/null |
		jq '.jobs[0].read.iops | floor')
	t_isnum "$f" || f=0
	t_isnum "$a" || a=0
	ratio=$(awk -v a="$a" -v f="$f" 'BEGIN { printf "%.2f", f ? a / f : 0 }')
	t_log "$e: aioload $a IOPS, fio $f IOPS, ratio $ratio"
	t_range "$e: aioload's IOPS over fio's" "$ratio" 0.90 1000
done

t_done
