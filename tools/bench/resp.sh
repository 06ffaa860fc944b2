#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Responsiveness under background I/O, run in the VM:
#
#   tools/vm/elvx-vm --nbd -- bash tools/bench/resp.sh [--quick] [--out DIR]
#	[--scheds LIST] [--devs hdd,rot] [--bgs LIST] [--rounds N]
#
# Modelled on what BFQ's benchmark suite measures: while a background
# load runs, a program starts on a cold page cache, a command reads small
# files, and a 4 KiB reader waits for its reads.  Each cell (device,
# background, scheduler) runs the background for 3 s from the moment it
# reaches the device, then in turn:
#
#   start   the cold start-up of python3 with its standard library in an
#           ext4 on the device under test (PYTHONHOME there; it imports
#           asyncio, json, email.parser, http.client and decimal: about
#           170 small files), s
#   small   cat of 200 cold 16 KiB files in that ext4, s
#   lat     a 4 KiB random reader (psync, direct) on the raw device for
#           RT seconds: p99 and max completion latency, ms
#
# and the background's throughput over the whole cell (MB/s).
# Backgrounds (BG):
#
#   idle    nothing
#   readN   N sequential readers (buffered, 128 KiB, like cat), N = 1, 2, 5
#   write   a sequential writer (direct, 1 MiB)
#   wb      a buffered writer rewriting a 256 MiB file in the ext4: the
#           page cache's write-back (dirty_bytes 128 MiB)
#
# Devices (DEV): hdd, hddsim's default 7200 rpm model over nbd at
# wall-clock speed (time scale 1); rot, a null_blk, rotational, memory
# backed, 2 ms per request, hardware depth 2.  Schedulers run in the order
# given in odd rounds and reversed in even rounds.
#
# One line per cell and round:
#   DEV BG SCHED ROUND start_s small_s p99_ms max_ms bg_MBps
# --out DIR keeps the table (resp.txt) and each run's JSON.
. "$(dirname "$0")/../../selftests/lib.sh"
need_cmd jq
need_cmd fio
RT=5 OUT=/tmp/resp rounds=3 devs="hdd rot"
scheds="none mq-deadline bfq kyber cfq xdeadline"
bgs="idle read1 read2 read5 write wb"
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) RT=3 rounds=1 ;;
	--out) OUT=$2; shift ;;
	--scheds) scheds=${2//,/ }; shift ;;
	--devs) devs=${2//,/ }; shift ;;
	--bgs) bgs=${2//,/ }; shift ;;
	--rounds) rounds=$2; shift ;;
	--runtime) RT=$2; shift ;;
	*) echo "resp.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
case $rounds in ''|*[!0-9]*|0) echo "resp.sh: --rounds wants a count" >&2; exit 2 ;; esac
PY=/usr/bin/python3.11
PYVER=python3.11
[ -x $PY ] || { echo "resp.sh: needs $PY" >&2; exit 2; }
# The interpreter and its libraries run from the guest's tmpfs, which
# drop_caches leaves alone: from the host's root (9p) every cold start-up
# would read them again, at the host's pace, not the device's.
PYBIN=/tmp/resp-py
mkdir -p $PYBIN
cp $PY $PYBIN/ || exit 2
ldd $PY | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | xargs -r cp -t $PYBIN ||
	exit 2
py() { LD_LIBRARY_PATH=$PYBIN PYTHONHOME=$mnt/py $PYBIN/${PY##*/} "$@"; }
HDDSIM=$ELVX_TOP/tools/hddsim/hddsim
mkdir -p "$OUT"
mnt=/tmp/resp-mnt
modprobe -q ext4 || true
modprobe -q dm-mod || true
mkdir -p $mnt
dev=""

bg_stop() {
	local p
	for p in $(jobs -p); do kill -INT "$p" 2>/dev/null; done
	wait
}
dev_remove() {
	bg_stop
	umount $mnt 2>/dev/null
	dmsetup remove --noudevsync elvxresp 2>/dev/null
	[ -z "$dev" ] || sched_set $dev none 2>/dev/null
	case $dev in
	/dev/nbd0) $HDDSIM --stop /dev/nbd0 || true ;;
	/dev/elvxresp0) nullb_remove elvxresp0 ;;
	esac
	dev=""
}
cleanup() {
	dev_remove
	writeback_restore
}
trap cleanup EXIT

# dev_make DEV: the device with a fresh ext4 in its first GiB, holding
# python's standard library and 200 small files; readers and the direct
# writer use the raw device past it.  The ext4 is on a dm-linear map of that
# GiB (the I/O reaches the device's scheduler from the same processes), so
# that raw I/O on the device (fio invalidates its page cache) never touches
# the mounted file system's.
dev_make() {
	dev_remove
	case $1 in
	hdd)	modprobe -q nbd nbds_max=2 2>/dev/null
		[ -x $HDDSIM ] && $HDDSIM --device /dev/nbd0 --size 8G \
			--stats "$OUT/hddsim-stats.txt" > "$OUT/hddsim.txt" 2>&1 ||
			return 1
		dev=/dev/nbd0 ;;
	rot)	nullb_create elvxresp0 memory_backed=1 blocksize=4096 size=8192 \
			irqmode=2 completion_nsec=2000000 hw_queue_depth=2 \
			> /dev/null || return 1
		dev=/dev/elvxresp0 ;;
	*)	return 1 ;;
	esac
	echo 1 > /sys/block/${dev#/dev/}/queue/rotational
	sched_set $dev none
	# no udev in the guest: the map's node is devtmpfs's /dev/dm-N
	dmsetup create elvxresp --noudevsync \
		--table "0 $((1 << 21)) linear $dev 0" || return 1
	fsdev=/dev/$(dmsetup info -c --noheadings -o blkdevname elvxresp)
	[ -b "$fsdev" ] || return 1
	mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 $fsdev \
		> /dev/null || return 1
	mount -t ext4 $fsdev $mnt || return 1
	mkdir -p $mnt/py/lib $mnt/small
	(cd /usr/lib && tar -cf - --exclude=dist-packages --exclude=test \
		--exclude='config-*' --exclude=idlelib --exclude=tkinter \
		--exclude=lib2to3 --exclude=ensurepip $PYVER) |
		tar -xf - -C $mnt/py/lib || return 1
	# the .pyc files, as an installed python has them
	py -c "$IMPORTS" || return 1
	for i in $(seq 200); do head -c 16384 /dev/urandom > $mnt/small/f$i; done
	head -c $((256 << 20)) /dev/zero > $mnt/big
	sync
}
IMPORTS="import asyncio, json, email.parser, http.client, decimal"

# bg_start BG SCHED ROUND: the background load, fio reporting to a JSON
# file when it is stopped
bg_start() {
	local j="$OUT/$D-$1-$2-$3-bg.json" args=() i
	case $1 in
	idle) return 0 ;;
	read*)	for i in $(seq ${1#read}); do
			args+=(--name=seq$i --filename=$dev --rw=read --bs=128k
			       --direct=0
			       --offset=$((1 + i))g --size=1g)
		done ;;
	write)	args=(--name=writer --filename=$dev --rw=write --bs=1m --direct=1
		      --offset=7g --size=512m) ;;
	wb)	writeback_flood $((32 << 20)) $((128 << 20))
		args=(--name=wb --rw=write --bs=1m --direct=0 --size=256m
		      --filename=$mnt/big --end_fsync=0) ;;
	*) echo "resp.sh: unknown background $1" >&2; exit 2 ;;
	esac
	# no global --filename: a job's own would not replace it, it would
	# add the device to the job's files
	fio --ioengine=psync --time_based --runtime=600 \
		--allow_mounted_write=1 \
		--output-format=json --output="$j" "${args[@]}" \
		> /dev/null 2> "$j.err" &
}

now() { date +%s.%N; }

# dev_sectors: sectors read and written on the device so far
dev_sectors() { awk '{ print $3 + $7 }' /sys/block/${dev#/dev/}/stat; }

# bg_wait BG SCHED: wait until the background has moved 4 MiB on the device
# (60 s at most).  fio is read from the host's root after drop_caches and
# took 2.7 to 5.5 s to start in an emulated guest: the 3 s head start of
# the background counts from there, or the start-up would run alone.
bg_wait() {
	local s0 i
	[ "$1" = idle ] && return 0
	s0=$(dev_sectors)
	for i in $(seq 600); do
		[ $(( $(dev_sectors) - s0 )) -ge 8192 ] && return 0
		sleep 0.1
	done
	echo "resp.sh: $D $1 $2: the background did not reach the device in 60 s" >&2
}
cold() { echo 3 > /proc/sys/vm/drop_caches; }

# cell BG SCHED ROUND: prints its line
cell() {
	local bg=$1 s=$2 r=$3 t0 t1 t2 t3 t4 j="$OUT/$D-$1-$2-$3-lat.json"
	local jb="$OUT/$D-$1-$2-$3-bg.json" start small lat bw b pyok catok
	sched_set $dev none
	sched_set $dev "$s" 2>/dev/null || { echo "resp.sh: $s unavailable" >&2; return 0; }
	sync
	cold
	bg_start $bg $s $r
	bg_wait $bg $s
	t0=$(now)
	sleep 3
	cold
	t1=$(now)
	py -c "$IMPORTS" && pyok=1 || pyok=0
	t2=$(now)
	cold
	cat $mnt/small/f* > /dev/null && catok=1 || catok=0
	t3=$(now)
	fio --name=lat --filename=$dev --rw=randread --bs=4k --direct=1 \
		--ioengine=psync --offset=1g --size=6g --time_based --runtime=$RT \
		--output-format=json --output="$j" > /dev/null 2> "$j.err"
	t4=$(now)
	# the scheduler's own counters, where it has them (cfq's debugfs)
	cat /sys/kernel/debug/block/${dev#/dev/}/sched/state \
		> "$OUT/$D-$1-$2-$3-state.txt" 2>/dev/null ||
		rm -f "$OUT/$D-$1-$2-$3-state.txt"
	bg_stop
	[ "$bg" != wb ] || writeback_restore
	# a failed program has no time
	start=- small=-
	[ $pyok = 0 ] || start=$(awk -v a=$t1 -v b=$t2 'BEGIN { printf "%.3f", b - a }')
	[ $catok = 0 ] || small=$(awk -v a=$t2 -v b=$t3 'BEGIN { printf "%.3f", b - a }')
	[ $pyok$catok = 11 ] || echo "resp.sh: $D $bg $s: python or cat failed" >&2
	lat=$(jq -r '.jobs[0].read.clat_ns as $c |
		"\($c.percentile["99.000000"] / 1e6 * 100 | round / 100) \($c.max / 1e6 * 100 | round / 100)"' \
		"$j" 2>/dev/null) || lat="- -"
	# the bytes of the background's jobs, none if one failed or none
	# reported (fio prints "terminating on signal" before the JSON)
	bw=-
	b=$(sed -n '/^{/,$p' "$jb" 2>/dev/null | jq -r 'if all(.jobs[]; .error == 0)
		then [.jobs[] | .read.io_bytes + .write.io_bytes] | add
		else empty end' 2>/dev/null)
	[ "$bg" = idle ] || ! t_isnum "$b" ||
		bw=$(awk -v b="$b" -v a=$t0 -v e=$t4 'BEGIN { printf "%.1f", b / (e - a) / 1e6 }')
	echo "$D $bg $s $r $start $small $lat $bw"
}

echo "# dev bg sched round start_s small_s p99_ms max_ms bg_MBps (lat ${RT} s)" |
	tee "$OUT/resp.txt"
for D in $devs; do
	dev_make $D || { echo "$D: cannot create" >&2; continue; }
	for r in $(seq $rounds); do
		for bg in $bgs; do
			for s in $(round_order $r $scheds); do
				cell $bg $s $r | tee -a "$OUT/resp.txt"
			done
		done
	done
	dev_remove
done
