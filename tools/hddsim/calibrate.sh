#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# calibrate.sh [SCALE...]: how close what fio sees on /dev/nbd0 comes to
# what the model says, for each --time-scale (default: 1 2 4).  Runs as
# root where nbd can be loaded, e.g. in the VM:
#
#   tools/vm/elvx-vm --nbd -- tools/hddsim/calibrate.sh 1 4
#
# For QD1 4 KiB random reads and 128 KiB sequential reads it prints the
# model's mean service time, fio's mean latency in model time (divided by
# the scale), their difference (the host's share: guest kernel, nbd, the
# server) and hddsim's own lateness (its wake-up and reply delay).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
HDDSIM=$top/tools/hddsim/hddsim
RUNTIME=${RUNTIME:-6}
[ $# -gt 0 ] || set -- 1 2 4
modprobe -q nbd 2>/dev/null
tmp=$(mktemp -d)
trap '"$HDDSIM" --stop /dev/nbd0 >/dev/null 2>&1; rm -rf "$tmp"' EXIT

stat() { sed -n "s/^$1: //p" "$tmp/stats"; }

printf '%-6s %-9s %10s %10s %9s %8s %10s %9s\n' scale job model_ms fio_ms \
	diff_pct iops late_us late_pct
for scale in "$@"; do
	for job in rand4k seq128k; do
		case $job in
		rand4k) args=(--rw=randread --bs=4k --size=4g --randrepeat=1) ;;
		seq128k) args=(--rw=read --bs=128k --offset=1g --size=2g) ;;
		esac
		rm -f "$tmp/stats"
		"$HDDSIM" --device /dev/nbd0 --size 4G --rt --time-scale "$scale" \
			--stats "$tmp/stats" >/dev/null || exit 1
		echo mq-deadline > /sys/block/nbd0/queue/scheduler
		# terse v3: 8 read IOPS, 40 read total latency mean (us)
		out=$(fio --minimal --eta=never --name=$job --filename=/dev/nbd0 \
			--direct=1 --ioengine=psync --time_based \
			--runtime=$((RUNTIME * ${scale%.*} + RUNTIME)) "${args[@]}")
		"$HDDSIM" --stop /dev/nbd0
		iops=$(cut -d';' -f8 <<<"$out")
		lat=$(cut -d';' -f40 <<<"$out")
		model=$(awk -v s="$(stat service_ms_mean)" -v q="$(stat queue_ms_mean)" \
			'BEGIN { print s + q }')
		awk -v sc="$scale" -v j="$job" -v m="$model" -v l="$lat" \
		    -v i="$iops" -v late="$(stat late_us_mean)" \
		    -v lp="$(stat service_error_pct)" 'BEGIN {
			f = l / 1000 / sc
			printf "%-6s %-9s %10.3f %10.3f %9.1f %8.1f %10.1f %9.2f\n",
				sc, j, m, f, 100 * (f - m) / m, i * sc, late, lp
		}'
	done
done
