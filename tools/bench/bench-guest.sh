#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of make bench: runs one or more workload groups under each
# scheduler and keeps fio's JSON in $ELVX_RESULTS/<workload>/<scheduler>.json
# (overhead, scaling: <scheduler>.r<round>.json).  tools/bench/bench.sh
# boots the VM once per group, so that no boot holds the VM for long.
#
#   bench-guest.sh [--quick] [--only GROUP[,GROUP...]] [--scheds A,B,...]
#
# Groups: overhead (null_blk, alternating rounds), disk (the simulated
# rotating disk), resp (start-up and small files under background I/O,
# tools/bench/resp.sh: resp/resp.txt), cgroup (cfq's cgroup shares and
# the cost of idle cgroups, tools/bench/cfq-cgroup.sh), engines (aioload's
# engines and I/O models on null_blk, tools/bench/engines.sh; only when
# named), saturation (shares when the jobs' depth exceeds nr_requests,
# tools/bench/saturation.sh; only when named), scaling (null_blk with a
# submit queue per CPU, 1 to 8 jobs, alternating rounds; bench.sh boots it
# with 4 vCPUs; only when named).
#
# In the overhead group, cfq-sd0 and xdeadline-sd0 are cfq and xdeadline
# with sync_dispatch 0: dispatched by kblockd, as the block layer does for
# every elevator, so that the elevators' own cost compares with
# mq-deadline's on the same path.  The other groups skip them.  In the
# scaling group, cfq-pd0 is cfq with parallel_dispatch 0 (one queue at a
# time, as legacy CFQ), run whenever cfq is.
set -eu
. selftests/lib.sh
R=$ELVX_RESULTS
quick=0 only="overhead,disk,resp,cgroup" scheds="none mq-deadline bfq kyber cfq xdeadline cfq-sd0 xdeadline-sd0"
scale=4 variants=0
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) quick=1 ;;
	--disk-scale) scale=$2; shift ;;
	--only) only=$2; shift ;;
	--scheds) scheds=${2//,/ }; shift ;;
	*) echo "bench: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
# T: seconds per overhead or scaling run, ROUNDS: overhead rounds,
# SROUNDS: scaling rounds, TD: seconds per rotating-disk run.
if [ $quick = 1 ]; then T=2 ROUNDS=3 SROUNDS=3 TD=6; else T=3 ROUNDS=7 SROUNDS=5 TD=12; fi

want_group() { [[ ",$only," == *",$1,"* ]]; }
# The elevator of a scheduler NAME of the bench: NAME less a variant's
# suffix, -sd0 (sync_dispatch 0) or -pd0 (cfq's parallel_dispatch 0).
elevator_of() { local e=${1%-sd0}; echo "${e%-pd0}"; }
avail() {	# NAME DEV
	case $1 in *-sd0) [ $variants = 1 ] || return 1 ;; esac
	grep -qw "$(elevator_of "$1")" "/sys/block/${2#/dev/}/queue/scheduler"
}
# sched_apply DEV NAME: select NAME's elevator and set its sync_dispatch,
# 0 for NAME-sd0, else 1, and cfq's parallel_dispatch, 0 for cfq-pd0, else
# 1 (selecting the active elevator again keeps its tunables: cfq after
# cfq-sd0 would still have 0).
sched_apply() {
	local q=/sys/block/${1#/dev/}/queue/iosched

	sched_set "$1" "$(elevator_of "$2")"
	[ ! -e $q/sync_dispatch ] ||
		iosched "${1#/dev/}" sync_dispatch "$([[ $2 == *-sd0 ]] && echo 0 || echo 1)"
	[ ! -e $q/parallel_dispatch ] ||
		iosched "${1#/dev/}" parallel_dispatch "$([[ $2 == *-pd0 ]] && echo 0 || echo 1)"
}

meta() {	# KEY VALUE: later lines win in report.py
	echo "$1=$2" >> "$R/meta.txt"
}
meta kernel "$(uname -r)"
# The scaling boot has more vCPUs than the others: scaling_cpus, not cpus.
[ "$only" = scaling ] || meta cpus "$(nproc)"
meta scheds "$scheds"
meta quick $quick

# run WORKLOAD NAME fio-args...: fio's JSON in $R/WORKLOAD/NAME.json
run() {
	local w=$1 s=$2; shift 2
	mkdir -p "$R/$w"
	fio --output-format=json --output="$R/$w/$s.json" "$@" >/dev/null 2>"$R/$w/$s.err" ||
		echo "bench: $w under $s failed: $(head -1 "$R/$w/$s.err")" >&2
}

step=0 steps=0
progress() {
	step=$((step + 1))
	printf '[%s %d/%d] %s\n' "$(date +%H:%M:%S)" $step $steps "$*"
}

# rounds WORKLOAD DEV NROUNDS "JOBS..." SCHED...: a warm-up run (the first
# run of a boot is slow: page faults, caches), then for each job count
# NROUNDS rounds of 4 KiB random reads (libaio, 32 deep per job), one run
# per SCHED in the order given, reversed every other round; fio's JSON in
# $R/WORKLOAD-JOBS/SCHED.rROUND.json, a progress line per round.
rounds() {
	local w=$1 dev=$2 n=$3 jobs=$4 line s r j iops
	shift 4
	step=0 steps=$((n * $(wc -w <<< "$jobs")))
	run $w-warmup none --name=rr --filename="$dev" --rw=randread --bs=4k \
		--direct=1 --ioengine=libaio --iodepth=32 --time_based --runtime=2
	for j in $jobs; do
		mkdir -p "$R/$w-$j"
		for r in $(seq $n); do
			line=""
			for s in $(round_order $r "$@"); do
				sched_apply "$dev" "$s"
				run $w-$j "$s.r$r" --name=rr --filename="$dev" \
					--rw=randread --bs=4k --direct=1 --ioengine=libaio \
					--iodepth=32 --numjobs=$j --group_reporting \
					--norandommap --randrepeat=0 --ramp_time=1 \
					--time_based --runtime=$T
				iops=$(jq '.jobs[0].read.iops | floor' "$R/$w-$j/$s.r$r.json" 2>/dev/null || echo -)
				line+=" $s $iops"
			done
			progress "$w $j job(s), round $r/$n, IOPS:$line"
		done
	done
}

# Overhead on null_blk: the schedulers one after another in rounds, the
# order reversed every other round, so that a slow drift of the host's
# speed weighs on every scheduler alike; report.py takes the median over
# the rounds of each ratio between two schedulers of the same round.  The
# order puts the pairs that are compared next to each other.
overhead() {
	local dev order=() s
	dev=$(nullb_create bfast0 memory_backed=0 blocksize=4096 size=4096)
	meta fast "null_blk, 4 KiB blocks, no memory backing, $(cat /sys/block/bfast0/queue/nr_requests) tags, $(cat /sys/module/null_blk/parameters/irqmode 2>/dev/null || echo ?) irqmode"
	meta overhead "$ROUNDS rounds of $T s (+1 s ramp) per scheduler and job count"
	meta date_overhead "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	variants=1
	for s in none kyber bfq cfq-sd0 cfq mq-deadline xdeadline xdeadline-sd0 $scheds; do
		[[ " $scheds " == *" $s "* ]] || continue
		[[ " ${order[*]:-} " == *" $s "* ]] && continue
		avail "$s" "$dev" && order+=("$s")
	done
	meta overhead_order "${order[*]}"
	rounds overhead "$dev" $ROUNDS "1 2" "${order[@]}"
	sched_set "$dev" none
	nullb_remove bfast0
	variants=0
}

# Scaling on null_blk: IOPS against the number of jobs, 1 to 8, on a device
# with a submit queue per CPU (a hardware context each, 64 tags, softirq
# completions: null_blk's defaults), so that the schedulers' locks and
# shared state, not the device, limit the jobs.  Rounds as in overhead, the
# order reversed every other round; report.py takes the medians over the
# rounds of the IOPS and of each scheduler's ratio to mq-deadline.
scaling_group() {
	local dev cfs=/sys/kernel/config/nullb/bscale0 order=() s
	dev=$(nullb_create bscale0 memory_backed=0 blocksize=4096 size=4096 \
		submit_queues="$(nproc)")
	meta scaling "null_blk, 4 KiB blocks, no memory backing, $(cat $cfs/submit_queues) submit queues of $(cat $cfs/hw_queue_depth) tags, $(cat /sys/module/null_blk/parameters/irqmode 2>/dev/null || echo ?) irqmode; $SROUNDS rounds of $T s (+1 s ramp) per scheduler and job count"
	meta date_scaling "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	meta scaling_cpus "$(nproc)"
	for s in none kyber bfq cfq-pd0 cfq mq-deadline xdeadline; do
		[[ " $scheds " == *" $(elevator_of $s) "* ]] || continue
		avail "$s" "$dev" && order+=("$s")
	done
	meta scaling_order "${order[*]}"
	rounds scaling "$dev" $SROUNDS "1 2 4 8" "${order[@]}"
	sched_set "$dev" none
	nullb_remove bscale0
}

# The rotating disk: hddsim's 7200 rpm model over nbd, else a slow null_blk.
# --disk-scale: the disk runs that many times slower than the model
# (hddsim --time-scale), so that the 2 to 3 ms that TCG adds to every
# request weigh against the model's seeks and transfers as a fast host's
# tens of microseconds would (see hddsim.rst); MB/s and IOPS are then
# that many times lower than the model's, ratios are not affected.  The
# kernel's own times (read_expire, slices, write-back) do not scale, so the
# workloads judged against them (the write-back flood, responsiveness) run
# on the disk at scale 1, where the model's times are wall-clock times.
disk=""
disk_setup() {	# SCALE WHAT
	if [ -x tools/hddsim/hddsim ] && modprobe -q nbd nbds_max=2 2>/dev/null &&
		tools/hddsim/hddsim --device /dev/nbd0 --size 8G --time-scale "$1" \
			--stats "$R/hddsim-stats-$1.txt" > "$R/hddsim.txt" 2>&1; then
		disk=/dev/nbd0
		meta disk "hddsim 7200 rpm model over nbd (8 GiB; seeks 0.8 / 8.5 / 17 ms, 200 to 100 MB/s, 8 MiB read cache, queue depth 1, write-through)"
		meta disk_scale_$2 "$1"
	else
		echo "bench: hddsim unavailable ($(head -1 "$R/hddsim.txt" 2>/dev/null)), using a slow null_blk" >&2
		disk=$(nullb_create bslow0 memory_backed=1 blocksize=4096 size=8192 \
			irqmode=2 completion_nsec=250000 hw_queue_depth=32)
		meta disk "null_blk, 250 us timer completions (no seek model: hddsim unavailable)"
	fi
	echo 1 > "/sys/block/${disk#/dev/}/queue/rotational"
	meta disk_runtime "$TD"
}
disk_teardown() {
	sched_set "$disk" none
	if [ "$disk" = /dev/nbd0 ]; then
		tools/hddsim/hddsim --stop /dev/nbd0 || true
	else
		nullb_remove bslow0
	fi
}

cg=/sys/fs/cgroup
disk_group() {
	local s com args k i l w d f pids
	meta date_disk "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "+io" > $cg/cgroup.subtree_control 2>/dev/null || true
	disk_setup "$scale" disk
	step=0 steps=0
	for s in $scheds; do avail "$s" "$disk" && steps=$((steps + 1)); done
	steps=$((steps * 6))
	com=(--filename="$disk" --direct=1 --time_based --runtime=$TD)
	for s in $scheds; do
		avail "$s" "$disk" || continue
		sched_set "$disk" "$s"
		for k in 2 4; do
			progress "$s: $k concurrent sequential readers"
			args=()
			for i in $(seq $k); do
				args+=(--name=seq$i --rw=read --bs=64k --ioengine=psync
				       --offset=$(( (i - 1) * 1536 ))m --size=1g)
			done
			run seqreaders-$k "$s" "${com[@]}" "${args[@]}"
		done
		progress "$s: a sequential reader against a random reader"
		run seq-vs-rand "$s" "${com[@]}" \
			--name=seq --rw=read --bs=64k --ioengine=psync --size=2g \
			--name=rand --rw=randread --bs=4k --ioengine=psync --offset=4g --size=2g
		progress "$s: four sequential readers at BE levels 0, 2, 4, 7"
		args=()
		for l in 0 2 4 7; do
			args+=(--name=be$l --rw=read --bs=64k --ioengine=psync
			       --prioclass=2 --prio=$l --offset=$((l * 1024))m --size=1g)
		done
		mkdir -p "$R/ioprio"
		run ioprio "$s" "${com[@]}" --write_bw_log="$R/ioprio/$s" \
			--log_avg_msec=1000 "${args[@]}"
		# One fio per cgroup, each process joining its group first.
		progress "$s: random readers in cgroups of weight 100, 200, 400"
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
		for w in 100 200 400; do rmdir $cg/bench$w 2>/dev/null || true; done
	done
	disk_teardown
	disk_setup 1 flood
	for s in $scheds; do
		avail "$s" "$disk" || continue
		sched_set "$disk" "$s"
		# Buffered writes of one 1 GiB region over and over: the page
		# cache's write-back floods the disk (hddsim keeps written data
		# in the guest's memory, so the region stays small).  At most
		# 128 MiB dirty, so that the sync after it stays short.
		progress "$s: a random reader against a write-back flood"
		writeback_flood $((32 << 20)) $((128 << 20))
		run write-flood "$s" --filename="$disk" --time_based --runtime=$TD \
			--name=flood --rw=write --bs=1m --direct=0 --ioengine=psync \
			--size=1g --end_fsync=0 \
			--name=reader --rw=randread --bs=4k --direct=1 --ioengine=psync \
			--offset=4g --size=2g \
			--percentile_list=1:5:10:20:30:40:50:60:70:80:90:95:99:99.5:99.9:99.99
		sync
		echo 1 > /proc/sys/vm/drop_caches
		writeback_restore
	done
	disk_teardown
}

# Responsiveness (tools/bench/resp.sh): python's cold start-up, small-file
# reads and a 4 KiB reader's latency under background readers and writers,
# on hddsim at the model's speed and on a slow rotational null_blk, in
# rounds of alternating order.  The elevators only: no -sd0 variant.
resp_group() {
	local s list=""
	meta date_resp "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	for s in $scheds; do
		case $s in *-sd0) ;; *) list+="${list:+,}$s" ;; esac
	done
	if [ -z "$list" ]; then
		echo "bench: resp group skipped: no elevator among the schedulers" >&2
		return 0
	fi
	step=0 steps=1
	progress "start-up, small files and reads under background I/O: $list"
	bash tools/bench/resp.sh $([ $quick = 1 ] && echo --quick) \
		--out "$R/resp" --scheds "$list"
}

cgroup_group() {
	meta date_cgroup "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	if [[ " $scheds " != *" cfq "* ]]; then
		echo "bench: cgroup group skipped: cfq not among the schedulers" >&2
		return 0
	fi
	step=0 steps=1
	progress "cfq: cgroup shares 100/200/400 in IOPS and time-slice modes, cost of 100 idle cgroups"
	bash tools/bench/cfq-cgroup.sh $([ $quick = 1 ] && echo --quick) --out "$R/cfq-cgroup" |
		tee "$R/cfq-cgroup.txt"
}

want_group overhead && overhead
want_group disk && disk_group
want_group resp && resp_group
want_group cgroup && cgroup_group
if want_group engines; then
	meta date_engines "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	bash tools/bench/engines.sh $([ $quick = 1 ] && echo --quick) --out "$R/engines"
fi
if want_group saturation; then
	meta date_saturation "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	bash tools/bench/saturation.sh $([ $quick = 1 ] && echo --quick) --out "$R/saturation"
fi
want_group scaling && scaling_group
echo "bench: done"
