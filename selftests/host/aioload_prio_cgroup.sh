#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# aioload --prioclass/--prio and --cgroup: another process sees each job's
# I/O priority (ioprio_get through ionice -p) and its cgroup, while it runs.
. tools/aioload/tests/lib.sh

F=$T_DIR/data
J=$T_DIR/out.json
dd if=/dev/zero of="$F" bs=1M count=4 status=none

# wait_jobs PARENT N: print the N job processes of aioload PARENT
wait_jobs() {
	local i kids
	for i in $(seq 50); do
		kids=$(pgrep -P "$1" | sort -n)
		[ "$(echo "$kids" | grep -c .)" -ge "$2" ] && { echo $kids; return 0; }
		sleep 0.1
	done
	return 1
}

# --- priorities, one process per job ---
"$AIOLOAD" --output-format=json --filename="$F" --rw=randread --runtime=2 \
	--time_based --ioengine=libaio --iodepth=2 \
	--name=rt --prioclass=rt --prio=2 \
	--name=be --prioclass=be --prio=6 \
	--name=idle --prioclass=idle \
	--name=lvl --prio=1 >"$J" 2>"$T_DIR/err" &
pid=$!
kids=($(wait_jobs $pid 4))
sleep 0.5
seen=""
for k in "${kids[@]}"; do
	seen="$seen|$(ionice -p "$k" 2>&1)"
done
wait $pid
rc=$?
diag "ionice saw: $seen"
want="|realtime: prio 2|best-effort: prio 6|idle|best-effort: prio 1"
ok "$([ "$seen" = "$want" ]; echo $?)" "ionice -p sees each job's class and level (exit $rc)"
ok "$(jq -e '[.jobs[] | "\(.prioclass)/\(.prio)"] == ["rt/2", "be/6", "idle/0", "be/1"]' "$J" >/dev/null; echo $?)" \
	"the report shows what ioprio_get said"
ok "$(jq -e '[.jobs[].pid] | unique | length == 4' "$J" >/dev/null; echo $?)" \
	"each job is its own process"

# --- priorities of jobs as threads: per thread ---
"$AIOLOAD" --thread --output-format=json --filename="$F" --rw=randread \
	--runtime=2 --time_based --ioengine=io_uring --iodepth=2 \
	--name=a --prioclass=be --prio=0 --name=b --prioclass=idle >"$J" 2>/dev/null &
pid=$!
sleep 1
seen=""
for t in $(ls /proc/$pid/task | sort -n); do
	[ "$t" = "$pid" ] && continue
	c=$(cat /proc/$pid/task/$t/comm)
	[ "$c" = aioload ] || continue
	p=$(ionice -p "$t" 2>&1)
	case "$p" in *"prio 0"*|idle) seen="$seen|$p" ;; esac
done
wait $pid
ok "$(echo "$seen" | grep -q 'best-effort: prio 0' && echo "$seen" | grep -q '|idle'; echo $?)" \
	"with --thread each job thread has its own priority ($seen)"

# --- cgroups ---
mnt=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
if [ "$(id -u)" -ne 0 ] || [ -z "$mnt" ] || [ ! -w "$mnt" ]; then
	skip "jobs join their cgroup" "needs root and a writable cgroup2 mount"
	done_testing
fi
cg=aioload-test-$$
"$AIOLOAD" --output-format=json --filename="$F" --rw=randread --runtime=2 \
	--time_based --name=a --cgroup=$cg/a --name=b --cgroup="$mnt/$cg/b" \
	--name=c >"$J" 2>"$T_DIR/err" &
pid=$!
kids=($(wait_jobs $pid 3))
sleep 0.5
got=""
for k in "${kids[@]}"; do
	got="$got|$(grep '^0::' /proc/$k/cgroup | cut -d: -f3)"
done
procs_a=$(cat "$mnt/$cg/a/cgroup.procs" 2>/dev/null)
wait $pid
rc=$?
base=$(grep '^0::' /proc/self/cgroup | cut -d: -f3)
diag "cgroups seen: $got (this shell: $base)"
ok "$([ "$rc" -eq 0 ] && [ "$(echo "$got" | cut -d'|' -f2)" = "/$cg/a" ] &&
      [ "$(echo "$got" | cut -d'|' -f3)" = "/$cg/b" ]; echo $?)" \
	"a job joins its cgroup, relative or absolute (exit $rc)"
ok "$([ "$(echo "$got" | cut -d'|' -f4)" = "$base" ]; echo $?)" \
	"a job without --cgroup stays where aioload was"
ok "$([ "$procs_a" = "${kids[0]}" ]; echo $?)" "cgroup.procs lists the job's process"
ok "$(jq -e --arg p "$mnt/$cg/a" '.jobs[0].cgroup == $p and .jobs[2].cgroup == null' "$J" >/dev/null; echo $?)" \
	"the report names the cgroup"
ok "$([ ! -e "$mnt/$cg" ]; echo $?)" "cgroups aioload made are removed at the end"

# --cgroup_weight: where the io controller has a weight file, it is set;
# where it has none, one line and exit 2, and nothing is left behind
"$AIOLOAD" --filename="$F" --rw=read --size=1M --cgroup=$cg/w \
	--cgroup_weight=300 --output-format=json >"$J" 2>"$T_DIR/err" &
pid=$!
wf=""
for i in $(seq 30); do
	for f in io.cfq.weight io.bfq.weight io.weight; do
		[ -e "$mnt/$cg/w/$f" ] && wf=$(cat "$mnt/$cg/w/$f") && break 2
	done
	kill -0 $pid 2>/dev/null || break
	sleep 0.05
done
wait $pid
rc=$?
if [ $rc -eq 2 ]; then
	ok "$([ "$(wc -l <"$T_DIR/err")" -eq 1 ] &&
	      grep -q 'has no cgroup weights\|cannot tell which disk' "$T_DIR/err" &&
	      [ ! -e "$mnt/$cg" ]; echo $?)" \
		"--cgroup_weight on a disk without weights: one line, exit 2, cgroups removed"
else
	ok "$([ $rc -eq 0 ] && echo "$wf" | grep -q 300; echo $?)" \
		"--cgroup_weight=300 sets the weight ($wf)"
fi

mkdir -p "$mnt/$cg-keep"
"$AIOLOAD" --filename="$F" --rw=read --size=1M --cgroup=$cg-keep \
	>/dev/null 2>&1
rc=$?
ok "$([ $rc -eq 0 ] && [ -d "$mnt/$cg-keep" ]; echo $?)" "an existing cgroup is left in place"
rmdir "$mnt/$cg-keep"

done_testing
