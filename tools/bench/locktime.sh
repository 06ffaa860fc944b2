#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# How long cfq's request path holds cfq_data.lock, and waits for it, with
# 1 to 8 submitting jobs (issue 19), run in the VM:
#
#   tools/vm/elvx-vm --cpus 4 -- bash tools/bench/locktime.sh \
#	[--rounds N] [--runtime S] [--jobs "1 2 4 8"] [--out DIR]
#
# (with --kver 6.12, add --tcg-thread multi for the vCPUs in parallel, as
# bench-report.rst's figures had them; elvx-vm's default there runs them
# in turn)
#
# The scaling group's device (null_blk, a submit queue per CPU, 64 tags,
# softirq completions), cfq with its default tunables, 4 KiB random reads
# (libaio, 32 deep per job).  Each round runs every job count twice, with
# debugfs sched/lock_time off and on (in that order in odd rounds, the
# other way in even ones), so that the timing's own cost shows too.  One
# line per job count and round:
#
#   jobs round iops_off iops_on hold_ns wait_ns  insert dispatch merge
#   finish timer
#
# hold_ns and wait_ns: the lock held, and waited for, per request (all
# sites); then per site "hold/wait" in ns per time taken.  The figures
# include the clock reads around the sections (two ktime_get_ns() each).
. "$(dirname "$0")/../../selftests/lib.sh"
need_cmd jq
need_cmd fio
rounds=3 RT=3 jobs="1 2 4 8" OUT=/tmp/locktime
while [ $# -gt 0 ]; do
	case "$1" in
	--rounds) rounds=${2:-}; shift ;;
	--runtime) RT=${2:-}; shift ;;
	--jobs) jobs=${2:-}; shift ;;
	--out) OUT=${2:-}; shift ;;
	*) echo "locktime.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
for v in "$rounds" "$RT" $jobs; do
	case $v in ''|*[!0-9]*|0) echo "locktime.sh: '$v' is not a count" >&2; exit 2 ;; esac
done
mkdir -p "$OUT"

name=block0
dev=$(nullb_create $name memory_backed=0 blocksize=4096 size=4096 \
	submit_queues="$(nproc)") || { echo "locktime.sh: no null_blk" >&2; exit 1; }
trap 'sched_set $name none 2>/dev/null; nullb_remove $name' EXIT
sched_set $name cfq || { echo "locktime.sh: no cfq" >&2; exit 1; }
f=/sys/kernel/debug/block/$name/sched/lock_time
[ -w $f ] || { echo "locktime.sh: no $f (elvx without lock timing?)" >&2; exit 1; }

# run JOBS TAG: fio's IOPS, its JSON in $OUT/JOBS-TAG.json
run() {
	fio --output-format=json --output="$OUT/$1-$2.json" --name=rr \
		--filename="$dev" --rw=randread --bs=4k --direct=1 \
		--ioengine=libaio --iodepth=32 --numjobs=$1 --group_reporting \
		--norandommap --randrepeat=0 --ramp_time=1 --time_based \
		--runtime=$RT > /dev/null 2>&1 || { echo -; return; }
	jq '.jobs[0].read.iops | floor' "$OUT/$1-$2.json"
}

echo "# $(uname -r), $(nproc) CPUs, $(cat /sys/kernel/config/nullb/$name/submit_queues) submit queues of $(cat /sys/kernel/config/nullb/$name/hw_queue_depth) tags, $rounds rounds of $RT s"
echo "# jobs round iops_off iops_on hold_ns wait_ns insert dispatch merge finish timer (hold/wait ns)"
run 1 warmup > /dev/null
for r in $(seq "$rounds"); do
	for j in $jobs; do
		order="off on"
		[ $((r % 2)) = 1 ] || order="on off"
		for m in $order; do
			if [ $m = on ]; then
				echo 1 > $f
				on=$(run "$j" "r$r-on")
				echo 0 > $f
				t=$(< $f)
				cp $f "$OUT/$j-r$r.lock_time"
			else
				off=$(run "$j" "r$r-off")
			fi
		done
		line="$j $r $off $on"
		for k in hold_per_request_ns wait_per_request_ns; do
			kv "$t" $k
			line+=" $REPLY"
		done
		for s in insert dispatch merge finish timer; do
			kv "$t" ${s}_hold_avg_ns
			h=$REPLY
			kv "$t" ${s}_wait_avg_ns
			line+=" $h/$REPLY"
		done
		echo "$line"
	done
done
