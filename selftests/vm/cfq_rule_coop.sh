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
# a time with O_DIRECT, never more than 4 blocks apart, until the test
# has taken its first samples; then both read at random.  Seen in
# debugfs: sched/state's queue_merges (one process moved: 1, at most 2),
# and the busy queues in sched/queues, sampled every 0.1 s, 10 times from
# 1.5 s on (a coop queue in half of them at least), then 20 times from 3 s
# after the switch (none, and each reader's own queue: not in every
# sample, as a queue whose one request is in flight is not busy).  The
# test, not a clock, ends the first part: ten samples took 1 to 3 s in a
# guest (longer on 6.12 under one TCG thread), and with a first part of
# fixed length the last ones fell into the random part.
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

# readers PIDFILE STOPFILE: two processes (A the even blocks, B the odd
# ones) until STOPFILE exists (30 s at most), then random blocks of the
# first 128 MiB (until killed).  A process
# that gets 4 blocks ahead of the other waits for it: left alone, one
# drifted ahead of the other in the emulator, their shared queue turned
# seeky (a gap over CFQQ_SEEK_THR) but stayed close (under
# CFQQ_CLOSE_THR), and it was split and merged again, 3 to 19 times.
# A is this shell's $!, B's pid goes to PIDFILE.
readers() {
	exec python3 -c '
import mmap, os, random, struct, sys, time
end = time.monotonic() + 30
stop = sys.argv[3]
done = 1 << 60
pos = mmap.mmap(-1, 16)
pid = os.fork()
me = 1 if pid == 0 else 0
if pid:
	with open(sys.argv[2] + ".new", "w") as f:
		f.write("%d\n" % pid)
	os.rename(sys.argv[2] + ".new", sys.argv[2])
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECT)
buf = mmap.mmap(-1, 4096)
n = 0
def first_part():
	return time.monotonic() < end and not os.path.exists(stop)
while first_part():
	while n > struct.unpack_from("q", pos, 8 * (1 - me))[0] + 4 and \
	      first_part():
		time.sleep(0.0002)
	os.preadv(fd, [buf], (2 * n + me) * 4096)
	n += 1
	struct.pack_into("q", pos, 8 * me, n)
struct.pack_into("q", pos, 8 * me, done)
while True:
	os.preadv(fd, [buf], random.randrange(32768) * 4096)
' "$dev" "$1" "$2"
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
pidf=$(mktemp -u /tmp/rlcoop.XXXXXX)
readers "$pidf" "$pidf.stop" &
a=$!
for i in $(seq 50); do [ -s "$pidf" ] && break; sleep 0.1; done
b=$(cat "$pidf" 2>/dev/null)
t_isnum "$b" || b=none
sleep 1.5
q1=$(sample 10)
m1=$(merges)
touch "$pidf.stop"
sleep 3
q2=$(sample 20)
m2=$(merges)
kill $a ${b#none} 2>/dev/null
wait 2>/dev/null
rm -f "$pidf" "$pidf.stop"
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
