#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the make stress runs (tools/stress/runs/*.sh), on top of
# selftests/lib.sh.  A run prints TAP lines (t_ok, t_fail, ...) and its
# figures as "# figure KEY=VALUE" lines; run-one.sh wraps each run with
# the kernel log, leak and stuck-request checks.
#
#   SCALE     quick (make check) or full (make stress)
#   S_OUT     a scratch folder for this run's logs

S_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$S_TOP/selftests/lib.sh"
S_DIR=$S_TOP/tools/stress
SCALE=${SCALE:-quick}
S_OUT=${S_OUT:-/tmp/stress}
STUCK_S=${STUCK_S:-30}
mkdir -p "$S_OUT"

# sc QUICK FULL: the value for this scale.
sc() { if [ "$SCALE" = full ]; then echo "$2"; else echo "$1"; fi; }

declare -A S_FIG=()
S_FIGS=()
# fig KEY VALUE: a figure of the run (the last value counts).
fig() {
	[ -n "${S_FIG[$1]+x}" ] || S_FIGS+=("$1")
	S_FIG[$1]=$2
	printf '# figure %s=%s\n' "$1" "$2"
}
# fig_add KEY N: add to a figure.
fig_add() { fig "$1" $(( ${S_FIG[$1]:-0} + $2 )); }

# A scheduler is offered by DEV.
has_sched() { grep -qw "$2" "/sys/block/${1##*/}/queue/scheduler" 2>/dev/null; }

# The schedulers the switching loops use, those this kernel has.
all_scheds() {
	local s
	for s in none mq-deadline bfq kyber cfq xdeadline; do
		has_sched "$1" "$s" && echo "$s"
	done
}

# ------------------------------------------------------------ fio

# fio_run TAG ARGS...: run fio with JSON output, then set fio_ios,
# fio_errors (I/O errors), fio_mismatch (verify failures), fio_maxlat_ms
# and fio_rc.  Logs in $S_OUT/TAG.{json,err}.
fio_run() {
	local tag=$1; shift
	fio --output-format=json --output="$S_OUT/$tag.json" \
		--verify_state_save=0 "$@" 2> "$S_OUT/$tag.err" > /dev/null
	fio_rc=$?
	fio_parse "$tag"
}

fio_parse() {
	eval "$(python3 "$S_DIR/fiostat.py" "$S_OUT/$1.json" "$S_OUT/$1.err")"
	[ "$fio_maxlat_ms" -le "${S_FIG[max_lat_ms]:-0}" ] || fig max_lat_ms "$fio_maxlat_ms"
}

# fio_bg TAG ARGS...: fio in the background; fio_wait TAG [TIMEOUT] waits
# for it (killing it after TIMEOUT s: fio_rc 124) and parses its results.
declare -A S_BG=()
fio_bg() {
	local tag=$1; shift
	fio --output-format=json --output="$S_OUT/$tag.json" \
		--verify_state_save=0 "$@" 2> "$S_OUT/$tag.err" > /dev/null &
	S_BG[$tag]=$!
}

fio_wait() {
	local tag=$1 tmo=${2:-600} pid=${S_BG[$1]} i
	for ((i = 0; i < tmo * 5; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	if kill -0 "$pid" 2>/dev/null; then
		t_log "fio $tag still running after ${tmo}s: killing it"
		kill -INT "$pid"; sleep 2; kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		fio_rc=124
	else
		wait "$pid"
		fio_rc=$?
	fi
	unset "S_BG[$tag]"
	fio_parse "$tag"
}

# Common options: 4 KiB direct I/O with CRC32C block checks.
FIO_V=(--direct=1 --bs=4k --ioengine=libaio --verify=crc32c)

# fio_prefill TAG DEV OFFSET SIZE: write a verifiable pattern.
fio_prefill() {
	fio_run "$1" --name=fill --filename="$2" "${FIO_V[@]}" --iodepth=32 \
		--rw=write --offset="$3" --size="$4" --do_verify=0
}

# fio_verify TAG DEV OFFSET SIZE [ARGS...]: read back and check a pattern
# written with the same offset and size; every bad block is counted.
fio_verify() {
	local tag=$1 dev=$2 off=$3 size=$4; shift 4
	fio_run "$tag" --name=verify --filename="$dev" "${FIO_V[@]}" --iodepth=16 \
		--rw=read --offset="$off" --size="$size" --verify_only=1 \
		--continue_on_error=verify "$@"
}

# ------------------------------------------------------------ devices

# sdebug_add PARAMS...: load scsi_debug with one disk; prints its name.
sdebug_add() {
	local d
	modprobe -q sd_mod
	modprobe scsi_debug "$@" >/dev/null || return 1
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		d=$(ls /sys/bus/pseudo/drivers/scsi_debug/adapter*/host*/target*/*/block/ 2>/dev/null | head -1)
		[ -n "$d" ] && [ -b "/dev/$d" ] && { echo "$d"; return 0; }
		sleep 0.3
	done
	return 1
}

# sdebug_remove: delete what is left and unload scsi_debug.
sdebug_remove() {
	local d
	for d in /sys/bus/pseudo/drivers/scsi_debug/adapter*/host*/target*/*/delete; do
		[ -e "$d" ] && echo 1 > "$d" 2>/dev/null
	done
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		lsmod | grep -q '^scsi_debug ' || return 0
		rmmod scsi_debug 2>/dev/null && return 0
		sleep 0.5
	done
	return 1
}

# pending DEV: requests allocated on DEV (scheduler tags, else driver tags).
pending() {
	local n=0 h b
	for h in /sys/kernel/debug/block/${1##*/}/hctx*; do
		b=$(sed -n 's/^busy=//p' "$h/sched_tags" 2>/dev/null | head -1)
		[ -n "$b" ] || b=$(sed -n 's/^busy=//p' "$h/tags" 2>/dev/null | head -1)
		n=$((n + ${b:-0}))
	done
	echo $n
}

# drained DEV [TIMEOUT]: wait until DEV holds no request.
drained() {
	local i
	for ((i = 0; i < ${2:-30} * 5; i++)); do
		[ -e "/sys/block/${1##*/}" ] || return 0
		[ "$(pending "$1")" = 0 ] && return 0
		sleep 0.2
	done
	return 1
}

# debugfs counter FILE KEY of the scheduler (e.g. stats idled), or "".
sched_stat() {
	sed -n "s/^$3[ :=]\+\([0-9]\+\).*/\1/p" \
		"/sys/kernel/debug/block/${1##*/}/sched/$2" 2>/dev/null | head -1
}

# ------------------------------------------------------------ leaks

# leak_snap: "objs=N merged=N sunreclaim=KB refcnt=N caches=NAME,..." after
# dropping caches and letting RCU callbacks run.  objs counts the objects
# of the module's slab caches (names cfq*, xdeadline*, elvx*); a cache SLUB
# merged with another (a symlink in /sys/kernel/slab) counts the shared
# cache's objects, and merged says how many such caches there are.
leak_snap() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 1
	local c objs=0 merged=0 names="" n
	for c in /sys/kernel/slab/cfq* /sys/kernel/slab/xdeadline* /sys/kernel/slab/elvx*; do
		[ -e "$c" ] || continue
		echo 1 > "$c/shrink" 2>/dev/null
		n=$(cut -d' ' -f1 "$c/objects" 2>/dev/null)
		objs=$((objs + ${n:-0}))
		[ -L "$c" ] && merged=$((merged + 1))
		names+=${names:+,}${c##*/}
	done
	echo "objs=$objs merged=$merged sunreclaim=$(awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo)" \
	     "refcnt=$(cat /sys/module/elvx/refcnt 2>/dev/null || echo -) caches=${names:--}"
}

# ------------------------------------------------------------ misc

# start_loop TAG CMD...: run CMD again and again in the background until
# stop_loop TAG, counting the runs that succeeded and failed.
start_loop() {
	local tag=$1; shift
	(
		n=0 f=0
		trap 'echo "$n $f" > "$S_OUT/loop.$tag"' EXIT
		trap 'exit 0' TERM
		while :; do
			if "$@"; then n=$((n + 1)); else f=$((f + 1)); fi
		done
	) &
	S_BG[loop_$tag]=$!
}

# stop_loop TAG: stop it; sets loop_ok and loop_fail.
stop_loop() {
	local pid=${S_BG[loop_$1]}
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	read -r loop_ok loop_fail < "$S_OUT/loop.$1" 2>/dev/null || { loop_ok=0 loop_fail=0; }
	unset "S_BG[loop_$1]"
}

# kill_bg: stop every background job of the run (cleanup).
kill_bg() {
	local k
	for k in "${!S_BG[@]}"; do
		kill -TERM "${S_BG[$k]}" 2>/dev/null
	done
	sleep 0.5
	for k in "${!S_BG[@]}"; do
		kill -KILL "${S_BG[$k]}" 2>/dev/null
		wait "${S_BG[$k]}" 2>/dev/null
	done
	S_BG=()
}

# ensure_module: elvx is loaded (runs that unload it call this at the end).
ensure_module() {
	[ -d /sys/module/elvx ] || insmod "$S_TOP/module/elvx.ko"
}
