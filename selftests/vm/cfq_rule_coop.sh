#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
#
# Rule: two processes reading interleaved parts of one region cooperate:
# rather than idle for one, cfq serves the other, whose next request is
# where the first stopped, and merges their queues into one (legacy CFQ's
# cfq_close_cooperator, cfq_setup_merge, cfq_merge_cfqqs); once the shared
# queue turns seeky the processes get their own queues again at their next
# request (cfq_split_cfqq).  Two readers on a slow rotational null_blk,
# each one 4 KiB block in two (A the even blocks, B the odd ones), one at
# a time with O_DIRECT, for 4 s; then both read at random.  Seen in
# debugfs: sched/state's queue_merges (one process moved: 1, at most 2),
# and the busy queues in sched/queues, sampled every 0.1 s, 10 times from
# 1.5 s on (a coop queue in half of them at least), then 20 times from 3 s
# after that (none, and each reader's own queue: not in every sample, as
# a queue whose one request is in flight is not busy).  Ten samples take
# up to 2 s in a guest: with a first part of 3 s the last ones fell after
# a reader's first part had ended (a 6.12 CI run counted 7 of 10).
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd python3

trap 'nullb_teardown rlcoop0' EXIT

dev=$(slow_disk rlcoop0 - completion_nsec=500000 size=256) ||
	skip_all "no null_blk with cfq"
n=${dev#/dev/}
dbg=/sys/kernel/debug/block/$n/sched
merges() { sched_state $n queue_merges; }

# reader FIRST: blocks FIRST, FIRST + 2, ... for 4 s, then random blocks
# of the first 128 MiB (until killed).
reader() {
	exec python3 -c '
import mmap, os, random, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECT)
buf = mmap.mmap(-1, 4096)
blk, end = int(sys.argv[2]), time.monotonic() + 4
while time.monotonic() < end:
	os.preadv(fd, [buf], blk * 4096)
	blk += 2
while True:
	os.preadv(fd, [buf], random.randrange(32768) * 4096)
' "$dev" "$1"
}

# sample N: N snapshots of sched/queues, 0.1 s apart, each as one line
# of "pid flags" pairs.
sample() {
	local i
	for i in $(seq $1); do
		awk '/^pid=/ { sub(/^pid=/, ""); f = $NF; sub(/^flags=/, "", f);
			printf "%s %s;", $1, f } END { print "" }' $dbg/queues
		sleep 0.1
	done
}

m0=$(merges)
reader 0 &
a=$!
reader 1 &
b=$!
sleep 1.5
q1=$(sample 10)
m1=$(merges)
sleep 3
q2=$(sample 20)
m2=$(merges)
kill $a $b
wait 2>/dev/null
t_log "readers A $a, B $b; merged: $(tail -1 <<<"$q1"); after the split: $(tail -1 <<<"$q2")"

# 1. Interleaved: merged into one queue.
t_num "queue_merges read" "$m0" && t_num "queue_merges read again" "$m1" &&
	t_range "interleaved readers: queue merges" $((m1 - m0)) 1 2
t_range "interleaved readers: samples showing a coop queue" \
	"$(grep -c '[ ,]coop[,;]' <<<"$q1")" 5 10

# 2. Seeky: split, each reader on a queue of its own, none merged again.
t_range "seeky readers: samples showing a coop queue" \
	"$(grep -c '[ ,]coop[,;]' <<<"$q2")" 0 0
t_range "seeky readers: samples showing A's own queue" "$(grep -c "\(^\|;\)$a " <<<"$q2")" 1 20
t_range "seeky readers: samples showing B's own queue" "$(grep -c "\(^\|;\)$b " <<<"$q2")" 1 20
t_num "queue_merges read at the end" "$m2" &&
	t_range "seeky readers: queue merges since" $((m2 - m1)) 0 0
t_done
