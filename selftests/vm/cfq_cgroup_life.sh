#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
#
# The life of cfq's cgroup groups under verified I/O: a cgroup removed
# while its queue holds requests (they are served, in its parent), 30
# rounds of cgroups created, joined, left and removed by busy writers and
# readers (each job through each kind of round), the elevator switched
# away and back with busy groups, the device removed and the module
# unloaded with groups present.  No I/O error, no bad block, nothing
# left queued, no kernel warning (the runner checks the kernel log).
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd jq

T=$CG/cfqlife
OUT=/tmp/cfq_cgroup_life.json
cg_io_on

cleanup() {
	kill $(jobs -p) 2>/dev/null
	wait 2>/dev/null
	[ -d /sys/module/elvx ] || insmod "$ELVX_TOP/module/elvx.ko"
	cg_teardown $T cfqlife0 cfqlife1
}
trap cleanup EXIT

# 2 ms per request, 4 at a time, kept in memory for the checks.
dev=$(nullb_create cfqlife0 irqmode=2 completion_nsec=2000000 hw_queue_depth=4 \
	memory_backed=1 size=256) || skip_all "no null_blk"
n=${dev#/dev/}
mm=$(cat /sys/block/$n/dev)
sched_set $n cfq || skip_all "cannot select cfq"

mkdir $T && echo +io > $T/cgroup.subtree_control || skip_all "cannot make $T"
mkdir $T/home

stat_of() {	# CGROUP KEY
	sed -n "s/^$mm.* $2=\([0-9]*\).*/\1/p" $1/io.cfq.stat
}
# verified JSON: aioload's report says the jobs ran without error
verified() {
	jq -e '[.jobs[] | .errors == 0 and (.verify == null or .verify.errors == 0)] | all' "$1" \
		> /dev/null
}

# ---------------- a cgroup removed with requests queued ----------------
# A light group (weight 1) behind a heavy one (1000): its requests wait.
mkdir $T/heavy $T/light
echo 1000 > $T/heavy/io.cfq.weight
echo 1 > $T/light/io.cfq.weight
$AIOLOAD --filename=$dev --direct=1 --ioengine=libaio --iodepth=16 --runtime=7 \
	--time_based --eta=never --output-format=json \
	--name=heavy --rw=randread --size=64m --cgroup=$T/heavy \
	--name=light --rw=randrw --verify=crc32c --offset=64m --size=16m \
	--cgroup=$T/light > $OUT 2> $OUT.err &
load=$!
sleep 1
# Catch a moment when the light group holds requests (it is served in
# bursts): sample for up to 4 s, so that it is removed at 5 s at the
# latest and its job runs on for 2 s or more.
for i in $(seq 40); do
	queued=$(stat_of $T/light queued)
	[ "${queued:-0}" -gt 0 ] && break
	sleep 0.1
done
pid=$(cat $T/light/cgroup.procs)
echo $pid > $T/home/cgroup.procs
t_check "the light cgroup is removed while it has requests queued ($queued)" \
	rmdir $T/light
t_check "it had requests queued" test "${queued:-0}" -gt 0
wait $load
t_eq "the light job's I/O went on without error (aioload status)" "$?" 0
t_check "no I/O error, no bad block" verified $OUT
t_eq "nothing left queued" "$(stat_of $T queued)" 0
rmdir $T/heavy

# ------------------------ 30 rounds of churn ---------------------------
# Four verified jobs on four regions written first (direct randrw, and a
# buffered one whose write-back goes to the async queues of the cgroup
# that dirtied the pages); every round makes a cgroup (half of the time a
# nested one, with a weight of its own or on the device), moves a job
# into it, then out, and removes it while the job's requests may still be
# queued there.  The job moved turns with the round and the kind of round
# every 4 rounds, so that in 30 rounds each job goes through each kind of
# round (flat or nested, default or device weight or none) about twice,
# and each kind comes 7 or 8 times.  Then every block is read back and
# checked.
ROUNDS=30
regions=(--bs=16k --size=8m --offset_increment=8m --name=r --numjobs=4)
$AIOLOAD --filename=$dev --direct=1 --ioengine=libaio --iodepth=8 --rw=write \
	--verify=crc32c --eta=never "${regions[@]}" > /dev/null 2> $OUT.err
t_eq "the regions are written and checked" "$?" 0
$AIOLOAD --filename=$dev --ioengine=libaio --iodepth=8 --runtime=600 --time_based \
	--eta=never --output-format=json --cgroup=$T/home --rw=randrw \
	--verify=crc32c --bs=16k --size=8m --offset_increment=8m \
	--name=direct --direct=1 --numjobs=3 \
	--name=buffered --direct=0 --offset=24m \
	> $OUT 2> $OUT.err &
load=$!
sleep 1
mapfile -t pids < $T/home/cgroup.procs
t_eq "four jobs in the home cgroup" "${#pids[@]}" 4
rounds=0 busy=0 moved=0
for i in $(seq $ROUNDS); do
	d=$T/churn$i
	mkdir $d || break
	case $((i % 4)) in
	0) echo $((i * 97 % 10000 + 1)) > $d/io.cfq.weight ;;
	1) echo "$mm $((i * 31 % 10000 + 1))" > $d/io.cfq.weight ;;
	esac
	in=$d
	if [ $((i % 2)) = 0 ]; then
		echo +io > $d/cgroup.subtree_control
		mkdir $d/sub && in=$d/sub
		echo 50 > $d/sub/io.cfq.weight
	fi
	p=${pids[$(((i + i / 4) % ${#pids[@]}))]}
	if echo $p > $in/cgroup.procs 2>/dev/null; then
		moved=$((moved + 1))
		sleep 0.0$((RANDOM % 10))
		echo $p > $T/home/cgroup.procs
	fi
	[ -d $d/sub ] && rmdir $d/sub
	rmdir $d || break
	rounds=$i
	kill -0 $load 2>/dev/null && busy=$i
done
t_eq "$ROUNDS rounds of create, move, remove" "$rounds" $ROUNDS
t_eq "all under I/O" "$busy" $ROUNDS
t_log "moves: $moved"
kill -INT $load
wait $load
t_eq "the churned jobs stopped on SIGINT (status 130)" "$?" 130
t_check "no I/O error, no bad block read during the churn" verified $OUT
sync
$AIOLOAD --filename=$dev --direct=1 --ioengine=libaio --iodepth=8 --rw=read \
	--verify=crc32c --eta=never --output-format=json "${regions[@]}" \
	> $OUT 2> $OUT.err
t_eq "every block reads back intact (aioload status)" "$?" 0
t_check "no bad block in the read-back" verified $OUT
t_eq "nothing left queued after the churn" "$(stat_of $T queued)" 0
t_check "the root's io.cfq.stat counts it all" test "$(stat_of $CG wios)" -gt 0

# ---------------- the elevator switched with busy groups ----------------
mkdir $T/s1 $T/s2
echo 300 > $T/s2/io.cfq.weight
$AIOLOAD --filename=$dev --direct=1 --ioengine=libaio --iodepth=8 --runtime=6 \
	--time_based --eta=never --output-format=json --rw=randrw --verify=crc32c \
	--size=32m --name=s1 --cgroup=$T/s1 --name=s2 --cgroup=$T/s2 --offset=32m \
	> $OUT 2> $OUT.err &
load=$!
ok=1
sleep 1
# A switch every half second: the last one, back to cfq, comes at about
# 4 s, well inside the 6 s of load.
for s in none cfq mq-deadline cfq xdeadline cfq; do
	sched_set $n $s || ok=0
	sleep 0.5
done
t_eq "switched between cfq and others under I/O" $ok 1
wait $load
t_eq "the jobs ran without error across the switches" "$?" 0
t_check "no bad block across the switches" verified $OUT
t_eq "cfq is back" "$(sched_get $n)" cfq
t_check "the groups count again after the switch" \
	dd if=$dev of=/dev/null bs=4k count=16 iflag=direct status=none

# ------------- the device removed with groups present --------------
echo "$mm 200" > $T/s1/io.cfq.weight
nullb_remove cfqlife0
t_eq "the device weight goes with the device" "$(cat $T/s1/io.cfq.weight)" "default 100"
t_check "io.cfq.stat still reads" cat $T/s1/io.cfq.stat

# ------------- the module unloaded with groups present ---------------
dev=$(nullb_create cfqlife1 irqmode=2 completion_nsec=100000 hw_queue_depth=4)
n=${dev#/dev/}
mm=$(cat /sys/block/$n/dev)
sched_set $n cfq
echo "$mm 700" > $T/s1/io.cfq.weight
(echo $BASHPID > $T/s1/cgroup.procs; exec dd if=$dev of=/dev/null bs=4k count=64 iflag=direct status=none)
sched_set $n none
t_check "rmmod with groups present" rmmod elvx
t_check "io.cfq.weight is gone with the module" test ! -e $T/s1/io.cfq.weight
t_check "insmod again" insmod "$ELVX_TOP/module/elvx.ko"
t_eq "io.cfq.weight is back, at the default" "$(cat $T/s1/io.cfq.weight)" "default 100"
sched_set $n cfq
(echo $BASHPID > $T/s1/cgroup.procs; exec dd if=$dev of=/dev/null bs=4k count=64 iflag=direct status=none)
t_eq "the group counts its reads after the reload" "$(stat_of $T/s1 rios)" 64
sched_set $n none
t_done
