#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for elvx's shell selftests.  Source it:  . selftests/lib.sh
#
# Output is TAP version 13 as kselftest prints it: the header "TAP version
# 13" when a selftest (selftests/host/ or selftests/vm/) sources this file,
# one line per check ("ok N - what", "not ok N - what", "ok N - what #
# SKIP"), "# " comment lines, and the plan "1..N" with a "# Totals:" line
# at the end (t_done), or "1..0 # SKIP why" when nothing ran (skip_all).
# t_done exits 1 when any check failed, 4 (kselftest's skip) when all were
# skipped.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4
_t_n=0
_t_fail=0
_t_skip=0

case "$(cd "$(dirname "${BASH_SOURCE[1]:-.}")" 2>/dev/null && pwd)" in
*/selftests/host|*/selftests/vm) echo "TAP version 13" ;;
esac

t_log() { printf '# %s\n' "$*"; }
t_ok() { _t_n=$((_t_n + 1)); printf 'ok %d - %s\n' $_t_n "$*"; }
t_fail() { _t_n=$((_t_n + 1)); _t_fail=$((_t_fail + 1)); printf 'not ok %d - %s\n' $_t_n "$*"; }
t_skip() { _t_n=$((_t_n + 1)); _t_skip=$((_t_skip + 1)); printf 'ok %d - %s # SKIP\n' $_t_n "$*"; }

# t_check DESC CMD...: ok when CMD succeeds.
t_check() {
	local desc=$1; shift
	if "$@"; then t_ok "$desc"; else t_fail "$desc"; fi
}

# t_eq DESC GOT WANT
t_eq() {
	if [ "$2" = "$3" ]; then t_ok "$1"; else t_fail "$1 (got '$2', want '$3')"; fi
}

# t_isnum VALUE: true when VALUE is a decimal number (sign, fraction and
# exponent allowed); no output.  An empty value, "null" (jq) or "?" is not.
t_isnum() {
	[[ "${1:-}" =~ ^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$ ]]
}

# t_num DESC VALUE: a check that VALUE is a number, for a figure that
# feeds no other check (or before it does); returns 1 when it is not.
t_num() {
	if t_isnum "$2"; then
		t_ok "$1 ($2)"
	else
		t_fail "$1 (got '${2:-}', not a number: the measurement failed)"
		return 1
	fi
}

# t_range DESC VALUE LOW HIGH: LOW <= VALUE <= HIGH (decimals allowed).
# A VALUE that is empty or not a number fails: a measurement that did not
# happen is never inside the range.
t_range() {
	if ! t_isnum "$2" || ! t_isnum "$3" || ! t_isnum "$4"; then
		t_fail "$1 (got '${2:-}' for [${3:-}, ${4:-}]: not a number)"
	elif awk -v v="$2" -v lo="$3" -v hi="$4" 'BEGIN { exit !(v + 0 >= lo + 0 && v + 0 <= hi + 0) }'; then
		t_ok "$1 ($2 in [$3, $4])"
	else
		t_fail "$1 ($2 not in [$3, $4])"
	fi
}

_t_plan() {
	printf '1..%d\n' $_t_n
	printf '# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n' \
		$((_t_n - _t_fail - _t_skip)) $_t_fail $_t_skip
}

t_done() {
	_t_plan
	if [ $_t_fail -gt 0 ]; then exit $KSFT_FAIL; fi
	if [ $_t_n -gt 0 ] && [ $_t_skip = $_t_n ]; then exit $KSFT_SKIP; fi
	exit $KSFT_PASS
}

# skip_all REASON: the whole test (or the rest of it) does not apply here.
# Before any check: "1..0 # SKIP REASON"; after some: one skipped check
# and the plan, failing if a check failed.
skip_all() {
	if [ $_t_n = 0 ]; then
		printf '1..0 # SKIP %s\n' "$*"
		exit $KSFT_SKIP
	fi
	t_skip "$*"
	_t_plan
	[ $_t_fail = 0 ] || exit $KSFT_FAIL
	exit $KSFT_SKIP
}

need_root() { [ "$(id -u)" = 0 ] || skip_all "needs root"; }
need_vm() { [ -n "${ELVX_VM:-}" ] || skip_all "runs in the VM (tools/vm/elvx-vm)"; }
need_cmd() { command -v "$1" >/dev/null || skip_all "needs $1"; }

ELVX_TOP=${ELVX_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
AIOLOAD=$ELVX_TOP/tools/aioload/aioload

# nullb_create NAME [attr=value...]: a null_blk device through configfs;
# prints /dev/NAME.  Defaults: 1 GiB, blk-mq, timer completions of 0 ns.
nullb_create() {
	local name=$1 d=/sys/kernel/config/nullb/$1 kv
	shift
	modprobe -q null_blk nr_devices=0 || return 1
	mkdir "$d" || return 1
	echo 1024 > "$d/size"
	for kv in "$@"; do
		echo "${kv#*=}" > "$d/${kv%%=*}" || { echo "nullb_create: bad $kv" >&2; return 1; }
	done
	echo 1 > "$d/power" || return 1
	udevadm settle 2>/dev/null
	[ -b "/dev/$name" ] || sleep 0.2
	echo "/dev/$name"
}

nullb_remove() {
	local d=/sys/kernel/config/nullb/$1
	[ -d "$d" ] || return 0
	echo 0 > "$d/power" 2>/dev/null
	rmdir "$d"
}

# sched_set DEV SCHED / sched_get DEV, with DEV a name like nullb0 or /dev/sda.
sched_set() { echo "$2" > "/sys/block/${1##*/}/queue/scheduler"; }
sched_get() { sed 's/.*\[\(.*\)\].*/\1/' "/sys/block/${1##*/}/queue/scheduler"; }

# iosched DEV ATTR [VALUE]: read or write a scheduler tunable.
iosched() {
	local f="/sys/block/${1##*/}/queue/iosched/$2"
	if [ $# -gt 2 ]; then echo "$3" > "$f"; else cat "$f"; fi
}

# kv TEXT KEY: REPLY = the value of KEY in TEXT, a debugfs file read once
# into a variable, whose lines are "KEY=VALUE" (cfq) or "KEY VALUE"
# (xdeadline); "?" when KEY is not there or has no value, so that no check
# takes a missing value for a number (t_num, t_range).  No fork: sampling
# loops call it many times per second.
kv() {
	local re="(^|[[:space:]])$2[= ]([^[:space:]]+)"

	if [[ $1 =~ $re ]]; then REPLY=${BASH_REMATCH[2]}; else REPLY="?"; fi
}

# sched_stats DEV KEY... (xdeadline's debugfs sched/stats) and sched_state
# DEV KEY... (cfq's sched/state): the values of KEYs (kv) from one read of
# the file, so that counters read together belong to one moment.
_sched_keys() {
	local f=$1 t= k s=

	shift
	[ -r "$f" ] && t=$(< "$f")
	for k; do
		kv "$t" "$k"
		s+="${s:+ }$REPLY"
	done
	echo "$s"
}
sched_stats() { local d=$1; shift; _sched_keys "/sys/kernel/debug/block/${d##*/}/sched/stats" "$@"; }
sched_state() { local d=$1; shift; _sched_keys "/sys/kernel/debug/block/${d##*/}/sched/state" "$@"; }

# nullb_teardown NAME...: a test's cleanup: stop its background jobs, then
# put each null_blk device back on none and remove it.
nullb_teardown() {
	local d

	kill $(jobs -p) 2>/dev/null
	wait 2>/dev/null
	for d; do
		sched_set "$d" none 2>/dev/null
		nullb_remove "$d"
	done
}

# slow_disk NAME [NR_REQUESTS [KEY=VALUE...]]: a slow "rotational"
# null_blk on cfq: one request at a time, 1 ms each, unless the null_blk
# KEY=VALUEs say otherwise; nr_requests NR_REQUESTS (default 128; "-"
# keeps the kernel's).  Prints
# /dev/NAME; fails, with no device left, when null_blk or cfq is missing.
slow_disk() {
	local name=$1 nr=${2:-128} dev

	shift $(($# < 2 ? $# : 2))
	dev=$(nullb_create "$name" irqmode=2 completion_nsec=1000000 \
		hw_queue_depth=1 "$@") || return 1
	echo 1 > "/sys/block/$name/queue/rotational"
	if ! sched_set "$name" cfq || { [ "$nr" != - ] &&
	   ! echo "$nr" > "/sys/block/$name/queue/nr_requests"; }; then
		nullb_teardown "$name"
		return 1
	fi
	echo "$dev"
}

# xd_disk NAME [NS]: a slow null_blk on xdeadline, 4 KiB blocks, 2
# hardware tags, NS per request (default 20 ms).  Prints /dev/NAME; fails,
# with no device left, when null_blk or xdeadline is missing.
xd_disk() {
	local dev

	dev=$(nullb_create "$1" blocksize=4096 size=1024 irqmode=2 \
		completion_nsec="${2:-20000000}" hw_queue_depth=2) || return 1
	sched_set "$1" xdeadline || { nullb_teardown "$1"; return 1; }
	echo "$dev"
}

# rchar PID: the bytes PID has read so far (its /proc/PID/io rchar).
rchar() { awk '/^rchar/ { print $2 }' "/proc/$1/io"; }

# fj FILE JOB KEY: KEY (e.g. read.total_ios) of fio's job JOB in the JSON
# output FILE.  ms NS: NS in whole milliseconds; prints nothing and fails
# on a value that is not a number, so that a missing figure fails its check.
fj() { jq -r --arg j "$2" ".jobs[] | select(.jobname == \$j) | .$3" "$1"; }
ms() { t_isnum "$1" && awk -v n="$1" 'BEGIN { printf "%.0f", n / 1e6 }'; }

# cfq_sync_slice DEV LEVEL: cfq's sync slice in ms at BE LEVEL from DEV's
# slice_sync, legacy CFQ's rule: base + base / 5 * (4 - LEVEL)
# (180:160:...:40 ms at the default 100).
cfq_sync_slice() {
	local base

	base=$(iosched "$1" slice_sync) || return 1
	echo $((base + base / 5 * (4 - $2)))
}

# bfq_ioprio_weight LEVEL: bfq's weight for BE LEVEL, (8 - LEVEL) * 10.
bfq_ioprio_weight() { echo $(((8 - $1) * 10)); }

# cg_teardown "DIR..." NULLB...: a cgroup test's cleanup: its background
# jobs stopped, the cgroups at and below each DIR removed (deepest first),
# its null_blk devices removed (nullb_teardown) and the io controller as
# it was.
cg_teardown() {
	local dirs=$1 d

	shift
	kill $(jobs -p) 2>/dev/null
	wait 2>/dev/null
	for d in $dirs; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	nullb_teardown "$@"
	cg_io_restore
}

# writeback_flood: the device's dirty pages are written back almost as
# soon as they are made (write-back starts at 2 MiB, 8 MiB at most dirty),
# for a test's write-back flood; writeback_restore, in its cleanup, puts
# back the ratios it had (writing a *_bytes file zeroes its *_ratio twin).
# With BG_BYTES and BYTES, write-back starts at BG_BYTES and at most BYTES
# are dirty.
_wb_ratio= _wb_bg=
writeback_flood() {	# [BG_BYTES BYTES]
	local vm=/proc/sys/vm

	if [ -z "$_wb_ratio" ]; then
		_wb_ratio=$(cat $vm/dirty_ratio) _wb_bg=$(cat $vm/dirty_background_ratio)
	fi
	echo "${1:-$((2 << 20))}" > $vm/dirty_background_bytes
	echo "${2:-$((8 << 20))}" > $vm/dirty_bytes
}
writeback_restore() {
	[ -n "$_wb_ratio" ] || return 0
	echo "$_wb_ratio" > /proc/sys/vm/dirty_ratio
	echo "$_wb_bg" > /proc/sys/vm/dirty_background_ratio
}

# round_order ROUND ITEM...: the ITEMs in their order in odd rounds and in
# reverse in even ones, so that a slow drift of the host weighs on all.
round_order() {
	local r=$1

	shift
	if [ $((r % 2)) = 1 ]; then echo "$*"; else printf '%s\n' "$@" | tac | tr '\n' ' '; fi
}

# cg_io_on: enable the io controller at the cgroup2 root (skip the test
# when there is none); cg_io_restore, in the test's cleanup, turns it off
# again if it was off.
CG=/sys/fs/cgroup
cg_io_on() {
	[ -e $CG/cgroup.controllers ] || skip_all "no cgroup2 at $CG"
	grep -qw io $CG/cgroup.controllers || skip_all "no io controller on cgroup2"
	_cg_io_was_on=0
	grep -qw io $CG/cgroup.subtree_control && _cg_io_was_on=1
	echo +io > $CG/cgroup.subtree_control || skip_all "cannot enable the io controller"
}
cg_io_restore() {
	[ "${_cg_io_was_on:-1}" = 1 ] || echo -io > $CG/cgroup.subtree_control 2>/dev/null
}

# cg_shares WHAT DEV DEPTH TOL FIRST_LOW JOB... (JOB = name:cgroup:weight,
# the weight relative to the other jobs'): the same random reads, DEPTH
# deep, from every JOB's cgroup for 10 s after a 2 s ramp (aioload output
# in $OUT); the share of bytes of each must be within TOL (a fraction) of
# its ideal, but the first job's only above FIRST_LOW times it ("-": 1-TOL).
cg_shares() {
	local what=$1 dev=$2 depth=$3 tol=$4 first=$5 args=() spec name cg wt
	shift 5
	for spec; do
		IFS=: read -r name cg wt <<<"$spec"
		args+=(--name="$name" --cgroup="$cg" --weight="$wt")
	done
	job_shares "$what" "$dev" "$depth" "$tol" "$first" $# "${args[@]}"
}

# prio_shares WHAT DEV DEPTH TOL FIRST_LOW JOB... (JOB = name:class:level:
# weight): as cg_shares, the jobs at ioprio CLASS (1 RT, 2 BE, 3 IDLE) and
# LEVEL instead of in cgroups.
prio_shares() {
	local what=$1 dev=$2 depth=$3 tol=$4 first=$5 args=() spec name c l wt
	shift 5
	for spec; do
		IFS=: read -r name c l wt <<<"$spec"
		args+=(--name="$name" --prioclass="$c" --prio="$l" --weight="$wt")
	done
	job_shares "$what" "$dev" "$depth" "$tol" "$first" $# "${args[@]}"
}

# job_shares WHAT DEV DEPTH TOL FIRST_LOW NJOBS AIOLOAD_JOB_ARGS...: the
# run and the checks of cg_shares and prio_shares; SHARES_RAMP and
# SHARES_RUNTIME (seconds, default 2 and 10) time the run.
job_shares() {
	local what=$1 dev=$2 depth=$3 tol=$4 first=$5 want=$6 name e s lo
	shift 6
	if ! $AIOLOAD --filename="$dev" --rw=randread --direct=1 --ioengine=libaio \
		--iodepth="$depth" --ramp_time="${SHARES_RAMP:-2}" \
		--runtime="${SHARES_RUNTIME:-10}" --time_based --eta=never \
		--output-format=json "$@" > $OUT 2> $OUT.err; then
		t_fail "$what: aioload failed: $(head -c 300 $OUT.err)"
		return
	fi
	[ "$first" = - ] && first=$(awk -v t="$tol" 'BEGIN { print 1 - t }')
	lo=$first
	local got=0
	while read -r name s e; do
		[ -n "$name" ] || continue
		got=$((got + 1))
		t_range "$what: $name share (ideal $e)" "$s" \
			"$(awk -v e="$e" -v l="$lo" 'BEGIN { printf "%.4f", e * l }')" \
			"$(awk -v e="$e" -v t="$tol" 'BEGIN { printf "%.4f", e * (1 + t) }')"
		lo=$(awk -v t="$tol" 'BEGIN { print 1 - t }')
	done <<<"$(jq -r '.jobs as $j | ($j | map(.read.bytes) | add) as $t |
		($j | map(.weight) | add) as $w | $j[] |
		"\(.name) \(.read.bytes / $t * 10000 | round / 10000) \(.weight / $w * 10000 | round / 10000)"' $OUT)"
	# A job missing from the report is a share not measured.
	[ $got = $want ] || t_fail "$what: shares of $got jobs in aioload's report, want $want"
}

# try_write FILE VALUE: 0 when the write is accepted.
try_write() { (printf '%s' "$2" > "$1") 2>/dev/null; }
