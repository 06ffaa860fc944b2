#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# aioload's priorities and cgroups reach the kernel: while jobs read a
# null_blk device under cfq (or whatever scheduler there is), another
# process sees each job's I/O priority with ioprio_get (ionice -p), on every
# thread of the job (glibc's POSIX AIO threads too), and sees each job in
# its cgroup; --cgroup_weight sets io.cfq.weight on a cfq disk and cfq's
# shares follow it, and a scheduler without weights stops aioload.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd jq
need_cmd ionice
# AIOLOAD_TEST_BIN runs another aioload build (a scratch change, to see a
# check fail).
AIOLOAD=${AIOLOAD_TEST_BIN:-$AIOLOAD}
[ -x "$AIOLOAD" ] || skip_all "tools/aioload/aioload is not built"

name=alprio0
dev=$(nullb_create $name blocksize=4096 size=256 irqmode=2 \
	completion_nsec=100000) || skip_all "no null_blk"
out=$(mktemp -d)
trap 'sched_set $name none 2>/dev/null; nullb_remove $name; nullb_remove alprio1; rm -rf "$out"' EXIT
sched_set $name cfq 2>/dev/null || t_log "no cfq: scheduler $(sched_get $name)"

# jobs PARENT N: the N job processes of aioload PARENT, in job order.  The
# runs below are time based for far longer than the checks need and are
# stopped by SIGINT once checked, so a slow start (TCG, a loaded host) cannot
# let a job end before it is looked at.
jobs_of() {
	local i kids
	for i in $(seq 300); do
		kids=$(pgrep -P "$1" | sort -n)
		[ "$(echo "$kids" | grep -c .)" -ge "$2" ] && { echo $kids; return 0; }
		sleep 0.1
	done
	return 1
}

# settled WANT CMD...: CMD's output (and errors) once it is WANT, or what
# it said after 10 s (a job sets its priority and enters its cgroup after
# the fork)
settled() {
	local i got want=$1
	shift
	for i in $(seq 100); do
		got=$("$@" 2>&1)
		[ "$got" = "$want" ] && break
		sleep 0.1
	done
	echo "$got"
}

# stop PID DEV: SIGINT once the jobs have been let go (DEV's reads grow:
# jobs read only after every job is ready, and a signal before that ends
# aioload without a report), and aioload's exit status (130)
stop() {
	local stat=/sys/block/${2##*/}/stat r0
	r0=$(awk '{ print $1 }' "$stat")
	settled yes awk -v r0="$r0" '{ print ($1 > r0 ? "yes" : "no") }' "$stat" >/dev/null
	kill -INT "$1"
	wait "$1"
}

"$AIOLOAD" --output-format=json --filename="$dev" --direct=1 --rw=randread \
	--runtime=60 --time_based --iodepth=4 \
	--name=rt --ioengine=libaio --prioclass=rt --prio=1 \
	--name=be --ioengine=io_uring --prioclass=be --prio=5 \
	--name=idle --ioengine=psync --prioclass=idle \
	--name=pa --ioengine=posixaio --prioclass=be --prio=2 \
	>"$out/p.json" 2>"$out/err" &
pid=$!
kids=($(jobs_of $pid 4))
t_eq "the 4 job processes are found" "${#kids[@]}" 4
want=("realtime: prio 1" "best-effort: prio 5" "idle" "best-effort: prio 2")
for i in 0 1 2 3; do
	t_eq "job ${want[$i]}: ionice -p of its process" \
		"$(settled "${want[$i]}" ionice -p "${kids[$i]:-none}")" "${want[$i]}"
done
# every thread of the posixaio job: the job and glibc's AIO threads
bad=0
n=0
for t in /proc/${kids[3]:-none}/task/*; do
	[ -d "$t" ] || continue
	n=$((n + 1))
	[ "$(ionice -p "${t##*/}")" = "best-effort: prio 2" ] || bad=$((bad + 1))
done
t_eq "posixaio: all $n threads carry the job's priority" "$bad:$((n > 0))" 0:1
stop $pid "$dev"
t_eq "the run stopped by SIGINT ends with 130" "$?:$(head -c 300 "$out/err")" "130:"
t_eq "the report shows the priorities" \
	"$(jq -c '[.jobs[] | "\(.prioclass)/\(.prio)"]' "$out/p.json")" \
	'["rt/1","be/5","idle/0","be/2"]'

mnt=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
if [ -z "$mnt" ]; then
	t_skip "cgroups: no cgroup2 mount"
	t_done
fi
cg=aioload-vm-$$
"$AIOLOAD" --output-format=json --filename="$dev" --direct=1 --rw=randread \
	--runtime=60 --time_based --ioengine=libaio --iodepth=4 \
	--name=a --cgroup=$cg/a --name=b --cgroup=$cg/b \
	>"$out/c.json" 2>"$out/err" &
pid=$!
kids=($(jobs_of $pid 2))
t_eq "job a is in its cgroup" \
	"$(settled "0::/$cg/a" grep '^0::' "/proc/${kids[0]:-none}/cgroup")" "0::/$cg/a"
t_eq "job b is in its cgroup" \
	"$(settled "0::/$cg/b" grep '^0::' "/proc/${kids[1]:-none}/cgroup")" "0::/$cg/b"
stop $pid "$dev"
t_eq "cgroup run stopped by SIGINT ends with 130" "$?" 130
t_check "the cgroups are removed after SIGINT" test ! -e "$mnt/$cg"

# --cgroup_weight on a cfq disk: io.cfq.weight of each job's cgroup, and
# cfq's shares follow: 150 against 600 (not the default, 100), the same
# random reads in both, on
# a disk slow enough (1 ms, 32 tags) that the two contend for it.
wdev=$(nullb_create alprio1 irqmode=2 completion_nsec=1000000 hw_queue_depth=32)
if [ -z "$wdev" ] || ! sched_set alprio1 cfq; then
	t_fail "--cgroup_weight: no null_blk with cfq for the weights"
	t_done
fi
"$AIOLOAD" --output-format=json --filename="$wdev" --direct=1 --rw=randread \
	--ioengine=libaio --iodepth=16 --ramp_time=2 --runtime=10 --time_based \
	--name=w150 --cgroup=$cg/w150 --cgroup_weight=150 --weight=150 \
	--name=w600 --cgroup=$cg/w600 --cgroup_weight=600 --weight=600 \
	>"$out/w.json" 2>"$out/err" &
pid=$!
kids=($(jobs_of $pid 2))
sleep 1
t_eq "--cgroup_weight=150 reaches io.cfq.weight" \
	"$(cat "$mnt/$cg/w150/io.cfq.weight" 2>&1 | head -1)" "default 150"
t_eq "--cgroup_weight=600 reaches io.cfq.weight" \
	"$(cat "$mnt/$cg/w600/io.cfq.weight" 2>&1 | head -1)" "default 600"
wait $pid
rc=$?
t_eq "the weighted run ends well" "$rc:$(head -c 300 "$out/err")" "0:"
# the share of the weight 150 job's bytes (ideal 0.2); no number fails
share=$(jq -r '[.jobs[].read.bytes] as $b |
	if ($b | length) == 2 and ($b | add) > 0 then $b[0] / ($b | add)
	else "none" end' "$out/w.json" 2>/dev/null)
t_log "weighted run: $(jq -c '[.jobs[] | {name, bytes: .read.bytes}]' "$out/w.json" 2>/dev/null)"
t_range "--cgroup_weight 150 against 600: cfq's share of the first" "${share:-none}" 0.15 0.25

# a scheduler without cgroup weights: one line, exit 2, nothing left behind
sched_set alprio1 none
"$AIOLOAD" --filename="$wdev" --direct=1 --rw=randread --runtime=1 \
	--time_based --name=a --cgroup=$cg/n --cgroup_weight=500 \
	>"$out/n" 2>"$out/err"
rc=$?
t_eq "--cgroup_weight on a disk without weights: exit 2" $rc 2
t_eq "... with one line naming the scheduler" \
	"$(wc -l < "$out/err"):$(grep -c 'scheduler none has no cgroup weights' "$out/err")" "1:1"
t_check "... and the cgroups made are removed" test ! -e "$mnt/$cg"
t_done
