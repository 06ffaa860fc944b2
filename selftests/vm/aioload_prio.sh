#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# aioload's priorities and cgroups reach the kernel: while jobs read a
# null_blk device under cfq (or whatever scheduler there is), another
# process sees each job's I/O priority with ioprio_get (ionice -p), on every
# thread of the job (glibc's POSIX AIO threads too), and sees each job in
# its cgroup.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd jq
need_cmd ionice
[ -x "$AIOLOAD" ] || skip_all "tools/aioload/aioload is not built"

name=alprio0
dev=$(nullb_create $name blocksize=4096 size=256 irqmode=2 \
	completion_nsec=100000) || skip_all "no null_blk"
out=$(mktemp -d)
trap 'sched_set $name none 2>/dev/null; nullb_remove $name; rm -rf "$out"' EXIT
sched_set $name cfq 2>/dev/null || t_log "no cfq: scheduler $(sched_get $name)"

# jobs PARENT N: the N job processes of aioload PARENT, in job order
jobs_of() {
	local i kids
	for i in $(seq 50); do
		kids=$(pgrep -P "$1" | sort -n)
		[ "$(echo "$kids" | grep -c .)" -ge "$2" ] && { echo $kids; return 0; }
		sleep 0.1
	done
	return 1
}

"$AIOLOAD" --output-format=json --filename="$dev" --direct=1 --rw=randread \
	--runtime=10 --time_based --iodepth=4 \
	--name=rt --ioengine=libaio --prioclass=rt --prio=1 \
	--name=be --ioengine=io_uring --prioclass=be --prio=5 \
	--name=idle --ioengine=psync --prioclass=idle \
	--name=pa --ioengine=posixaio --prioclass=be --prio=2 \
	>"$out/p.json" 2>"$out/err" &
pid=$!
kids=($(jobs_of $pid 4))
sleep 1
want=("realtime: prio 1" "best-effort: prio 5" "idle" "best-effort: prio 2")
for i in 0 1 2 3; do
	t_eq "job ${want[$i]}: ionice -p of its process" \
		"$(ionice -p "${kids[$i]}" 2>&1)" "${want[$i]}"
done
# every thread of the posixaio job: the job and glibc's AIO threads
bad=0
n=0
for t in /proc/${kids[3]}/task/*; do
	n=$((n + 1))
	[ "$(ionice -p "${t##*/}")" = "best-effort: prio 2" ] || bad=$((bad + 1))
done
t_eq "posixaio: all $n threads carry the job's priority" "$bad" 0
wait $pid
t_eq "the run ends well" "$?" 0
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
	--runtime=6 --time_based --ioengine=libaio --iodepth=4 \
	--name=a --cgroup=$cg/a --name=b --cgroup=$cg/b \
	>"$out/c.json" 2>"$out/err" &
pid=$!
kids=($(jobs_of $pid 2))
sleep 0.5
t_eq "job a is in its cgroup" "$(grep '^0::' /proc/${kids[0]}/cgroup)" "0::/$cg/a"
t_eq "job b is in its cgroup" "$(grep '^0::' /proc/${kids[1]}/cgroup)" "0::/$cg/b"
wait $pid
t_eq "cgroup run ends well" "$?" 0
t_check "the cgroups are removed" test ! -e "$mnt/$cg"

# io weights, where the kernel has a weight policy for cgroups
if "$AIOLOAD" --filename="$dev" --direct=1 --rw=randread --runtime=1 \
	--time_based --name=a --cgroup=$cg/w --cgroup_weight=500 \
	>"$out/w" 2>"$out/err"; then
	t_ok "--cgroup_weight=500 is accepted"
else
	t_skip "--cgroup_weight: $(cat "$out/err")"
fi

t_done
