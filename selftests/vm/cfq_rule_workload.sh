#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
#
# Rule: the workload types of a class in a group (the service trees
# async, sync-noidle and sync) share the group's slice in proportion of
# their busy queues (legacy CFQ's choose_wl_class_and_type): a type chosen
# is served for
#     group_slice * (its busy queues) / max(busy queues of the class,
#                                           their decaying average)
# (at least 2 * slice_idle for a sync type; async types get less), with
# group_slice = target_latency * vfraction / 4096; the type whose first
# queue waited longest is chosen next, once the slice has run out at the
# end of a queue's turn.  Seeky queues that are not deep lose their idle
# window and wait on the sync-noidle tree; sequential ones keep it (sync).
#
# One sequential reader (32 deep: the sync tree) and three random readers
# (3 deep: not "deep", so sync-noidle) on a slow rotational null_blk
# without merges, quantum 1 (every queue, in its turn, one request at a
# time: none ever runs dry, and the requests a queue sends measure the
# time it was served), slice_sync 10 ms, target_latency 600 ms, the root
# group alone (vfraction 4096): the sync workload gets 600 * 1/4 = 150 ms,
# sync-noidle 600 * 3/4 = 450 ms.  Seen over 10 whole rounds (from the
# sync workload's start to its start 10 rounds later, sched/state sampled
# every few ms):
#  - the trees of the queues (sched/queues);
#  - workload_slice_us of every sample: 150000 while sync is served;
#    450000 most often while sync-noidle is, and only 150000, 300000 or
#    450000 (a random reader between two requests is briefly not busy);
#  - the sequential reader's part of the requests dispatched: a workload
#    runs past its slice until the turn in progress ends, so each round
#    gives sync 150 ms to 150 ms + T and sync-noidle 450 ms to 450 ms + T,
#    T the longest turn, taken as twice the mean turn (the time over the
#    slices expired): the part is within [150 / (600 + T),
#    (150 + T) / (600 + T)].  Both workloads are served, and a split by
#    type rather than by queue count (half each) is far outside.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio

OUT=/tmp/cfq_rule_workload
cleanup() {
	nullb_teardown rlwl0
	rm -f $OUT
}
trap cleanup EXIT

dev=$(slow_disk rlwl0 256 completion_nsec=2000000 hw_queue_depth=64 size=256) ||
	skip_all "no null_blk with cfq"
n=${dev#/dev/}
echo 2 > /sys/block/$n/queue/nomerges
iosched $n quantum 1
iosched $n slice_sync 10
iosched $n target_latency 600
dbg=/sys/kernel/debug/block/$n/sched
K=10

# seq_total QUEUES: REPLY = requests ever dispatched by the one queue on
# the sync tree, "?" unless there is exactly one.
seq_total() {
	local line c=0 v="?"
	while read -r line; do
		[[ $line =~ \ tree=sync\ .*\ total=([0-9]+) ]] || continue
		c=$((c + 1))
		v=${BASH_REMATCH[1]}
	done <<<"$1"
	[ $c = 1 ] || v="?"
	REPLY=$v
}

fio --filename=$dev --bs=4k --direct=1 --ioengine=libaio --runtime=40 \
	--time_based --eta=never --output=/dev/null \
	--name=seq --rw=read --iodepth=32 --offset=128m --size=64m \
	--name=r1 --rw=randread --iodepth=3 --size=128m \
	--name=r2 --rw=randread --iodepth=3 --size=128m \
	--name=r3 --rw=randread --iodepth=3 --size=128m &
f=$!

# the queues on their trees: up to 10 s
ns=0 nn=0
for i in $(seq 100); do
	q=$(< $dbg/queues)
	ns=$(grep -c ' tree=sync ' <<<"$q")
	nn=$(grep -c ' tree=sync-noidle ' <<<"$q")
	[ "$ns" = 1 ] && [ "$nn" = 3 ] && break
	sleep 0.1
done
t_eq "the sequential reader's queue on the sync tree" "$ns" 1
t_eq "the random readers' queues on the sync-noidle tree" "$nn" 3

# A young queue (fewer than 256 requests dispatched) preempts a streamer
# that is not young (cfq_think_preempts): the rounds start once every
# queue has dispatched that many (up to 15 s).
young=4
for i in $(seq 150); do
	young=$(awk '/^pid=/ { for (f = 1; f <= NF; f++)
		if ($f ~ /^total=/ && substr($f, 7) + 0 < 256) y++ }
		END { print y + 0 }' $dbg/queues)
	[ "$young" = 0 ] && break
	sleep 0.1
done
t_eq "queues still young before the rounds" "$young" 0

# K rounds, from one start of the sync workload to the K-th next; each
# sample's type and workload slice in $OUT.
prev="" cyc=-1 s0="" s1="" q0="" q1="" t0="" t1=""
: > $OUT
end=$(( ${EPOCHREALTIME/./} + 20000000 ))
while [ "${EPOCHREALTIME/./}" -lt $end ]; do
	st=$(< $dbg/state)
	kv "$st" serving_type
	ty=$REPLY
	if [ "$prev" = sync-noidle ] && [ "$ty" = sync ]; then
		cyc=$((cyc + 1))
		if [ $cyc = 0 ]; then
			s0=$st q0=$(< $dbg/queues) t0=${EPOCHREALTIME/./}
		elif [ $cyc = $K ]; then
			s1=$st q1=$(< $dbg/queues) t1=${EPOCHREALTIME/./}
			break
		fi
	fi
	if [ $cyc -ge 0 ]; then
		kv "$st" workload_slice_us
		echo "$ty $REPLY" >> $OUT
	fi
	prev=$ty
done
kill $f
wait 2>/dev/null
t_eq "rounds of the two workloads seen" "$cyc" $K

kv "$s0" root_vfraction; vfr=$REPLY
kv "$s0" dispatched; d0=$REPLY
kv "$s1" dispatched; d1=$REPLY
kv "$s0" expired; e0=$REPLY
kv "$s1" expired; e1=$REPLY
seq_total "$q0"; a0=$REPLY
seq_total "$q1"; a1=$REPLY
tl_us=$(iosched $n target_latency_us)
t_num "the root group's vfraction" "$vfr" || t_done
g=$((tl_us * vfr / 4096))
ws=$((g * 1 / 4)) wn=$((g * 3 / 4))

# workload slices, per type: samples, least, most, most frequent, and
# samples whose value is none of G/4, G/2, 3G/4
read -r ssn ssl ssm _ _ <<<"$(awk -v g="$g" '$1 == "sync" && $2 ~ /^[0-9]+$/ {
	n++; if (l == "" || $2 < l) l = $2; if ($2 > m) m = $2 }
	END { print n + 0, (n ? l : "?"), (n ? m : "?") }' $OUT)"
read -r nsn nsmode nsodd <<<"$(awk -v g="$g" '$1 == "sync-noidle" && $2 ~ /^[0-9]+$/ {
	n++; c[$2]++; if ($2 != int(g / 4) && $2 != int(g / 2) && $2 != int(g * 3 / 4)) odd++ }
	END { for (v in c) if (c[v] > c[mode] || mode == "") mode = v
	      print n + 0, (n ? mode : "?"), odd + 0 }' $OUT)"
bad=$(awk '$1 !~ /^sync(-noidle)?$/ || $2 !~ /^[0-9]+$/' $OUT | wc -l)
t_log "$(wc -l < $OUT) samples over $cyc rounds: sync $ssn ($ssl to $ssm us), sync-noidle $nsn (mostly $nsmode us, $nsodd other)"
t_range "samples without a type and a workload slice" "$bad" 0 0
t_range "samples while sync is served" "$ssn" 1 100000
t_range "samples while sync-noidle is served" "$nsn" 1 100000
t_range "sync workload slice, least (us)" "$ssl" $ws $ws
t_range "sync workload slice, most (us)" "$ssm" $ws $ws
t_range "sync-noidle workload slice, most frequent (us)" "$nsmode" $wn $wn
t_range "sync-noidle workload slices other than G/4, G/2, 3G/4" "$nsodd" 0 0

# the split
part="?" tau="?" lo="?" hi="?"
if t_isnum "$d0" && t_isnum "$d1" && t_isnum "$e0" && t_isnum "$e1" &&
   t_isnum "$a0" && t_isnum "$a1" && t_isnum "$t0" && t_isnum "$t1" &&
   [ "$d1" -gt "$d0" ] && [ "$e1" -gt "$e0" ]; then
	part=$(awk -v a=$((a1 - a0)) -v d=$((d1 - d0)) 'BEGIN { printf "%.4f", a / d }')
	tau=$(( (t1 - t0) / (e1 - e0) ))
	lo=$(awk -v w=$ws -v g=$g -v t=$tau 'BEGIN { printf "%.4f", w / (g + 2 * t) }')
	hi=$(awk -v w=$ws -v g=$g -v t=$tau 'BEGIN { printf "%.4f", (w + 2 * t) / (g + 2 * t) }')
	t_log "$((d1 - d0)) requests in $(( (t1 - t0) / 1000 )) ms, $((a1 - a0)) of the sequential reader; $((e1 - e0)) turns, $tau us each"
fi
t_range "the sync workload's part of the requests (1 queue of 4)" "$part" "$lo" "$hi"
t_done
