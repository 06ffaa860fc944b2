#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of make bench: runs fio jobs under each scheduler and
# keeps fio's JSON in $ELVX_RESULTS/<workload>/<scheduler>.json.
set -eu
. selftests/lib.sh
R=$ELVX_RESULTS
quick=0 only="" scheds="none mq-deadline bfq kyber cfq xdeadline"
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) quick=1 ;;
	--only) only=$2; shift ;;
	--scheds) scheds=${2//,/ }; shift ;;
	*) echo "bench: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
if [ $quick = 1 ]; then T=3 TD=6; else T=8 TD=15; fi

# Devices: null_blk for overhead; the simulated 7200 rpm disk (hddsim over
# nbd) for everything a rotating disk decides, else a slow null_blk.
fast=$(nullb_create bfast0 memory_backed=0 blocksize=4096 size=4096)
disk="" disk_desc=""
if [ -x tools/hddsim/hddsim ] && modprobe -q nbd nbds_max=2 2>/dev/null; then
	if tools/hddsim/hddsim --device /dev/nbd0 --size 8G > "$R/hddsim.txt" 2>&1; then
		disk=/dev/nbd0
		disk_desc="hddsim 7200 rpm model over nbd: $(head -1 "$R/hddsim.txt")"
	fi
fi
if [ -z "$disk" ]; then
	disk=$(nullb_create bslow0 memory_backed=1 blocksize=4096 size=8192 \
		irqmode=2 completion_nsec=250000 hw_queue_depth=32)
	disk_desc="null_blk, 250 us timer completions (no seek model: hddsim unavailable)"
fi
echo 1 > /sys/block/${disk#/dev/}/queue/rotational
{
	echo "kernel=$(uname -r)"
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "cpus=$(nproc)"
	echo "fast=null_blk 4 KiB blocks, no memory backing, $(cat /sys/block/bfast0/queue/nr_requests) tags"
	echo "disk=$disk_desc"
	echo "runtime=$T"
	echo "scheds=$scheds"
} > "$R/meta.txt"

set_all() {
	sched_set "$fast" "$1"
	sched_set "$disk" "$1"
}

avail() { grep -qw "$1" /sys/block/${fast#/dev/}/queue/scheduler; }

# run WORKLOAD SCHED fio-args...
run() {
	local w=$1 s=$2; shift 2
	mkdir -p "$R/$w"
	fio --output-format=json --output="$R/$w/$s.json" "$@" >/dev/null 2>"$R/$w/$s.err" ||
		echo "bench: $w under $s failed: $(head -1 "$R/$w/$s.err")" >&2
}

steps=0
for g in overhead disk resp; do [ -z "$only" ] || [ "$only" = $g ] || continue; steps=$((steps + 1)); done
nsched=$(for s in $scheds; do avail $s && echo $s; done | wc -l)
total=$((steps * nsched)) n=0
progress() { n=$((n + 1)); printf '[%d/%d] %-12s %s\n' $n $total "$1" "$2"; }

cg=/sys/fs/cgroup
echo "+io" > $cg/cgroup.subtree_control 2>/dev/null || true

for s in $scheds; do
	avail "$s" || continue
	set_all "$s"
	if [ -z "$only" ] || [ "$only" = overhead ]; then
		progress "$s" "overhead: null_blk 4k random reads, iodepth 32, 1 and 2 jobs"
		for j in 1 2; do
			run overhead-$j "$s" --name=rr --filename=$fast --rw=randread \
				--bs=4k --direct=1 --ioengine=libaio --iodepth=32 \
				--numjobs=$j --group_reporting --time_based --runtime=$T
		done
	fi
	if [ -z "$only" ] || [ "$only" = disk ]; then
		progress "$s" "rotating disk: sequential readers, seq vs random, write flood, ioprio, cgroups"
		com=(--filename=$disk --direct=1 --time_based --runtime=$TD)
		for k in 2 4; do
			args=()
			for i in $(seq $k); do
				args+=(--name=seq$i --rw=read --bs=64k --ioengine=psync
				       --offset=$(( (i - 1) * 1536 ))m --size=1g)
			done
			run seqreaders-$k "$s" "${com[@]}" "${args[@]}"
		done
		run seq-vs-rand "$s" "${com[@]}" \
			--name=seq --rw=read --bs=64k --ioengine=psync --size=2g \
			--name=rand --rw=randread --bs=4k --ioengine=psync --offset=4g --size=2g
		run write-flood "$s" --filename=$disk --time_based --runtime=$TD \
			--name=flood --rw=write --bs=1m --direct=0 --ioengine=psync \
			--size=3g --end_fsync=0 \
			--name=reader --rw=randread --bs=4k --direct=1 --ioengine=psync \
			--offset=4g --size=2g \
			--percentile_list=1:5:10:20:30:40:50:60:70:80:90:95:99:99.5:99.9:99.99
		args=()
		for l in 0 2 4 7; do
			args+=(--name=be$l --rw=read --bs=64k --ioengine=psync
			       --prioclass=2 --prio=$l --offset=$((l * 1024))m --size=1g)
		done
		mkdir -p "$R/ioprio"
		run ioprio "$s" "${com[@]}" --write_bw_log="$R/ioprio/$s" \
			--log_avg_msec=1000 "${args[@]}"
		# One fio per cgroup, each process joining its group first.
		mkdir -p "$R/cgroup"
		pids=()
		for w in 100 200 400; do
			d=$cg/bench$w
			mkdir -p $d
			for f in io.cfq.weight io.bfq.weight; do
				[ -e $d/$f ] && echo $w > $d/$f
			done
			sh -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$d" \
				fio --output-format=json --output="$R/cgroup/$s-w$w.json" \
				"${com[@]}" --name=w$w --rw=randread --bs=4k --ioengine=libaio \
				--iodepth=8 --offset=$(( w * 10 ))m --size=1g \
				>/dev/null 2>>"$R/cgroup/$s.err" &
			pids+=($!)
		done
		wait "${pids[@]}" || echo "bench: cgroup under $s failed" >&2
	fi
	if [ -z "$only" ] || [ "$only" = resp ]; then
		progress "$s" "responsiveness: read 200 small files during a sequential write"
		mkdir -p "$R/resp"
		sched_set "$disk" none
		modprobe -q ext4 || true
		mkfs.ext4 -q -F "$disk" >/dev/null
		mnt=/tmp/bench-mnt
		mkdir -p $mnt && mount -t ext4 "$disk" $mnt
		mkdir -p $mnt/small
		for i in $(seq 200); do head -c 16384 /dev/urandom > $mnt/small/f$i; done
		sync
		umount $mnt
		sched_set "$disk" "$s"
		mount -t ext4 "$disk" $mnt
		echo 3 > /proc/sys/vm/drop_caches
		dd if=/dev/zero of=$mnt/big bs=1M count=1000 status=none &
		wpid=$!
		sleep 2
		t0=$(date +%s.%N)
		cat $mnt/small/f* > /dev/null
		t1=$(date +%s.%N)
		kill $wpid 2>/dev/null; wait $wpid 2>/dev/null || true
		echo "$t0 $t1" | awk '{ printf "{\"seconds\": %.3f}\n", $2 - $1 }' > "$R/resp/$s.json"
		umount $mnt
	fi
done
for w in 100 200 400; do rmdir $cg/bench$w 2>/dev/null || true; done
[ "$disk" != /dev/nbd0 ] || tools/hddsim/hddsim --stop /dev/nbd0 || true
echo "bench: done"
