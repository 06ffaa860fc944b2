#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
#
# A 4 KiB psync random reader behind a flood of large direct writes, on a
# slow device with a shallow hardware queue (null_blk: 2 tags, 5 ms timer
# completions) and a deep scheduler queue (nr_requests 64): xdeadline must
# not lose to mq-deadline on read latency, nor the writer much of its
# throughput for it.  Both run in this boot, 3 rounds in alternating order;
# the checks take the median of the rounds.
#
# A synchronous reader has one read queued at a time, so it can only ever
# arrive while writes are being dispatched.  A write batch that runs its
# full fifo_batch (16) regardless makes every read wait for about 16 writes
# (40 ms here) however soon it came; xdeadline ends a write batch that
# began with no read queued at the first read (the read then waits for the
# writes already in the device), as 6.1's mq-deadline effectively does by
# keeping few writes queued (its async_depth stays at the nr_requests it
# had before it was raised).
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd jq
[ -x "$AIOLOAD" ] || skip_all "needs $AIOLOAD (make)"

name=xdlat0
cns=5000000		# ns per request: the device's service time
dev=$(xd_disk $name $cns) || skip_all "no null_blk with xdeadline"
out=$(mktemp -d)
trap 'nullb_teardown $name; rm -rf "$out"' EXIT
sched_set $name mq-deadline || skip_all "mq-deadline not available"

declare -A p50 p99 max wbw ops
# "requests sectors-written", from the device's stat file
dstat() { awk '{ print $1 + $5, $7 }' /sys/block/$name/stat; }
# run SCHED ROUND: reader figures (ms) and writer MiB/s into the arrays
run() {
	local s=$1 r=$2 f=$out/$1-$2.json
	sched_set $name "$s"
	echo 64 > /sys/block/$name/queue/nr_requests
	$AIOLOAD --filename="$dev" --time_based --ramp_time=1 --runtime=4 \
		--eta=never --output-format=json --output="$f" \
		--name=flood --rw=write --bs=1m --direct=1 --ioengine=libaio --iodepth=32 \
		--name=reader --rw=randread --bs=4k --direct=1 --ioengine=psync \
		>/dev/null 2>"$f.err" &
	# The writer's throughput as the device delivers it, over 3 s of the
	# run: aioload's own figure counts 1 MiB writes whose pieces wait up
	# to a second behind the others, too few to compare in 4 s.
	sleep 1.5; read -r o0 w0 <<<"$(dstat)"
	sleep 3; read -r o1 w1 <<<"$(dstat)"
	wait $! || t_log "$s round $r: aioload: $(head -c 200 "$f.err")"
	wbw[$s$r]=$(awk -v a="$w0" -v b="$w1" 'BEGIN { printf "%.1f", (b - a) * 512 / 3 / 1048576 }')
	ops[$s$r]=$(awk -v a="$o0" -v b="$o1" 'BEGIN { printf "%.0f", (b - a) / 3 }')
	read -r p50[$s$r] p99[$s$r] max[$s$r] aw <<<"$(jq -r '
		(.jobs[] | select(.name == "reader") | .read.clat_ns) as $c |
		(.jobs[] | select(.name == "flood") | .write.bw_bytes) as $w |
		[$c.percentiles["50"], $c.percentiles["99"], $c.max] |
		map(. / 1e6 * 10 | round / 10) + [$w / 1048576 * 10 | round / 10] |
		map(tostring) | join(" ")' "$f" 2>/dev/null)"
	t_log "$s round $r: reader p50 ${p50[$s$r]} p99 ${p99[$s$r]} max ${max[$s$r]} ms;" \
		"writes ${wbw[$s$r]} MiB/s (aioload: $aw), ${ops[$s$r]} requests/s"
	sched_set $name none
}

for r in 1 2 3; do
	if [ $((r % 2)) = 1 ]; then
		run xdeadline $r; run mq-deadline $r
	else
		run mq-deadline $r; run xdeadline $r
	fi
done

# med ARRAY SCHED: the median of the 3 rounds; empty if any is missing
med() {
	local -n a=$1
	local v=("${a[${2}1]}" "${a[${2}2]}" "${a[${2}3]}") x
	for x in "${v[@]}"; do t_isnum "$x" || return; done
	printf '%s\n' "${v[@]}" | sort -g | sed -n 2p
}
ratio() { t_isnum "$1" && t_isnum "$2" && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 1e9) }'; }

xp50=$(med p50 xdeadline); xp99=$(med p99 xdeadline); xmax=$(med max xdeadline)
mp99=$(med p99 mq-deadline); mmax=$(med max mq-deadline)
xw=$(med wbw xdeadline); mw=$(med wbw mq-deadline)
xo=$(med ops xdeadline); mo=$(med ops mq-deadline)
t_log "medians: xdeadline p50 $xp50 p99 $xp99 max $xmax ms, writer $xw MiB/s;" \
	"mq-deadline p99 $mp99 max $mmax ms, writer $mw MiB/s; requests/s $xo, $mo"
t_num "mq-deadline reader p99 (ms)" "$mp99"
t_range "xdeadline reader p50 <= 4 service times (ms): reads wait for no write batch" \
	"$xp50" 0 $((4 * cns / 1000000))
t_range "xdeadline reader p99 <= 1.25 x mq-deadline's" "$(ratio "$xp99" "$mp99")" 0 1.25
t_range "xdeadline reader max <= 1.5 x mq-deadline's" "$(ratio "$xmax" "$mmax")" 0 1.5
# The reader takes device time from the writer in proportion to how
# little it waits: where mq-deadline's reader waits longer (3 times on
# 6.12), the writer gets more there.  The device must do as much work, and
# the writer keep most of its share.
t_range "xdeadline device requests/s >= 0.9 x mq-deadline's" "$(ratio "$xo" "$mo")" 0.9 100
t_range "xdeadline writes >= 0.8 x mq-deadline's (MiB/s on the device)" "$(ratio "$xw" "$mw")" 0.8 100
t_done
