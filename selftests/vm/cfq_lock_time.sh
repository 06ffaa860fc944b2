#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
#
# debugfs sched/lock_time: how long cfq's request path holds cfq_data.lock,
# and waits for it, per site.  Off by default (nothing counted under I/O);
# a bad write is refused and changes nothing; "1" clears and starts it,
# and then every request is counted where it is inserted, dispatched and
# finished, holds and waits are measured, and the per-request figures are
# the sites' sums over the requests; "0" stops it and keeps the figures.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root

dev=$(nullb_create rllt0 irqmode=1 size=256) || skip_all "no null_blk"
n=${dev#/dev/}
trap 'nullb_teardown rllt0' EXIT
sched_set $n cfq || skip_all "cannot select cfq"
f=/sys/kernel/debug/block/$n/sched/lock_time
t_check "sched/lock_time exists" test -r $f || { t_done; exit; }

lt() { _sched_keys $f "$@"; }
# reads N: N direct 4 KiB reads, one at a time, at random places (no merge)
reads() {
	python3 - "$dev" "$1" <<'EOF'
import mmap, os, random, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECT)
buf = mmap.mmap(-1, 4096)
for _ in range(int(sys.argv[2])):
	os.preadv(fd, [buf], random.randrange(65536) * 4096)
EOF
}

# per_request TEXT KIND: in TEXT (the file, read once), the per-request
# figure KIND (hold, wait) as the sites' averages allow: "LOW HIGH", from
# the sum of avg x count (each average rounded down, so the true sum is
# below the sum of (avg + 1) x count) over finish_count
per_request() {
	local t=$1 s c sum=0 cnt=0 fin
	kv "$t" finish_count; fin=$REPLY
	for s in insert dispatch merge finish timer; do
		kv "$t" ${s}_count; c=$REPLY
		kv "$t" ${s}_$2_avg_ns
		sum=$((sum + REPLY * c)) cnt=$((cnt + c))
	done
	echo $((sum / fin)) $(((sum + cnt) / fin))
}

reads 200
t_eq "off by default: nothing counted under I/O" \
	"$(lt timing insert_count dispatch_count finish_count)" "0 0 0 0"

for bad in 2 x -1; do
	try_write $f "$bad" && t_fail "'$bad' refused" || t_ok "'$bad' refused"
done
t_eq "the refused writes changed nothing" "$(lt timing finish_count)" "0 0"

echo 1 > $f
t_eq "on: cleared" "$(lt timing insert_count dispatch_count finish_count)" "1 0 0 0"
reads 1000
t=$(< $f) v=()
for k in timing insert_count dispatch_count finish_count dispatch_hold_avg_ns \
	dispatch_hold_max_ns dispatch_wait_avg_ns hold_per_request_ns \
	wait_per_request_ns; do
	kv "$t" $k
	v+=("$REPLY")
done
read -r on ins disp fin hold hmax wait hpr wpr <<< "${v[*]}"
t_log "1000 reads: $(tr '\n' ' ' <<< "$t")"
t_eq "on: timing 1" "$on" 1
t_eq "every read finished is counted" "$fin" 1000
t_eq "every read inserted is counted (one at a time)" "$ins" 1000
t_range "dispatch takes the lock once per read at least" "$disp" 1000 100000
t_range "a dispatch holds the lock for some time, under 1 ms on average" \
	"$hold" 1 1000000
t_check "the longest hold is at least the average" test "$hmax" -ge "$hold"
t_range "taking the lock takes some time, under 1 ms on average" "$wait" 1 1000000
read -r lo hi <<< "$(per_request "$t" hold)"
t_range "hold per request: the sites' holds over the requests" "$hpr" "$lo" "$hi"
read -r lo hi <<< "$(per_request "$t" wait)"
t_range "wait per request: the sites' waits over the requests" "$wpr" "$lo" "$hi"

echo 0 > $f
before=$(lt finish_count hold_per_request_ns wait_per_request_ns)
reads 200
t_eq "off again: the figures stay as they were" \
	"$(lt timing finish_count hold_per_request_ns wait_per_request_ns)" "0 $before"
echo 1 > $f
t_eq "on again: cleared" "$(lt finish_count dispatch_count hold_per_request_ns)" "0 0 0"
echo 0 > $f
t_done
