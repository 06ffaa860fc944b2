#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-one.sh [--scale quick|full] RUN: one make stress run, as TAP.
#
# Sources tools/stress/runs/RUN.sh, which defines run() (and optionally
# cleanup()), and wraps it with the checks every run gets:
#   - the stuck-request watchdog (watchdog.py): no device may hold
#     requests without completing any for $STUCK_S (30) seconds; the
#     kernel's hung task detector is set to the same 30 s meanwhile;
#   - the kernel log: no WARNING, BUG, Oops, Call Trace or hung task;
#   - leaks: the module's slab objects and reference count return to what
#     they were before the run, and SUnreclaim to within $LEAK_KB (8 MiB).
# Figures are "# figure KEY=VALUE" lines.  Runs in the VM, as root.
set -u
scale=quick
while [ $# -gt 0 ]; do
	case "$1" in
	--scale) scale=$2; shift ;;
	--scale=*) scale=${1#*=} ;;
	-*) echo "run-one.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
RUN=${1:?usage: run-one.sh [--scale quick|full] RUN}
SCALE=$scale
S_OUT=${S_OUT:-/tmp/stress/$RUN}
rm -rf "$S_OUT"
. "$(dirname "$0")/lib.sh"
[ -f "$S_DIR/runs/$RUN.sh" ] || { echo "run-one.sh: no run $RUN" >&2; exit 2; }
need_vm
need_root
LEAK_KB=${LEAK_KB:-8192}
bad='(WARNING:|BUG:|kernel BUG|Oops|Call Trace|general protection fault|blocked for more than)'

cleanup() { :; }
EXPECT_STUCK=0
. "$S_DIR/runs/$RUN.sh"

t_log "run $RUN, scale $SCALE, kernel $(uname -r)"
ensure_module
# Globals of the wrapper: S_ names, as a run's locals shadow others when
# finish() runs from a trap inside one of its functions.
S_HUNG=$(cat /proc/sys/kernel/hung_task_timeout_secs 2>/dev/null)
[ -n "$S_HUNG" ] && [ "${STRESS_HUNG:-30}" != keep ] && echo "${STRESS_HUNG:-30}" > /proc/sys/kernel/hung_task_timeout_secs
S_K0=$(dmesg | wc -l)
S_BASE=$(leak_snap)
t_log "before: $S_BASE"
python3 "$S_DIR/watchdog.py" "$S_OUT" --limit "$STUCK_S" &
S_WD=$!
S_T0=$(date +%s)

finish() {
	trap - EXIT INT TERM
	kill_bg
	cleanup
	ensure_module
	kill -TERM $S_WD 2>/dev/null
	wait $S_WD 2>/dev/null
	[ -n "$S_HUNG" ] && echo "$S_HUNG" > /proc/sys/kernel/hung_task_timeout_secs

	# Stuck requests
	local stall stuck
	stall=$(sed -n 's/^max_stall_s=\([0-9]*\).*/\1/p' "$S_OUT/stall" 2>/dev/null)
	fig stall_max_s "${stall:-?}"
	if [ -s "$S_OUT/stuck" ]; then
		stuck=$(wc -l < "$S_OUT/stuck")
		sed 's/^/# stuck: /' "$S_OUT/stuck"
	else
		stuck=0
	fi
	fig stuck "$stuck"
	if [ "$EXPECT_STUCK" = 1 ]; then
		# The self-check: both rules must fire.
		t_range "self-check: the watchdog reports the stuck device" "$stuck" 1 100
		t_range "self-check: the latency rule fires (ms)" "${S_FIG[max_lat_ms]:-0}" \
			$((STUCK_S * 1000)) 100000000
	else
		t_eq "no request waited ${STUCK_S}s or more" "$stuck" 0
		[ "${S_FIG[max_lat_ms]:-0}" -lt $((STUCK_S * 1000)) ] ||
			t_fail "slowest request ${S_FIG[max_lat_ms]} ms (limit ${STUCK_S} s)"
	fi

	# Leaks
	local after o0 o1 k0_ k1_ r0 r1
	after=$(leak_snap)
	t_log "after:  $after"
	o0=$(sed 's/.*objs=\([0-9]*\).*/\1/' <<<"$S_BASE"); o1=$(sed 's/.*objs=\([0-9]*\).*/\1/' <<<"$after")
	k0_=$(sed 's/.*sunreclaim=\([0-9]*\).*/\1/' <<<"$S_BASE"); k1_=$(sed 's/.*sunreclaim=\([0-9]*\).*/\1/' <<<"$after")
	r0=$(sed 's/.*refcnt=\([^ ]*\).*/\1/' <<<"$S_BASE"); r1=$(sed 's/.*refcnt=\([^ ]*\).*/\1/' <<<"$after")
	fig slab_objs_delta $((o1 - o0))
	fig sunreclaim_delta_kb $((k1_ - k0_))
	if grep -q 'merged=0' <<<"$after"; then
		t_check "module slab objects back to the baseline ($o0 -> $o1)" test "$o1" -le "$o0"
	else
		# A merged cache is shared with others: a little noise is allowed.
		t_check "module slab objects back to the baseline ($o0 -> $o1, merged caches)" \
			test "$o1" -le $((o0 + 64))
	fi
	t_check "SUnreclaim within ${LEAK_KB} kB of the baseline ($k0_ -> $k1_ kB)" \
		test $((k1_ - k0_)) -le "$LEAK_KB"
	t_eq "module reference count back to the baseline" "$r1" "$r0"

	# Kernel log
	local new nw
	new=$(dmesg | tail -n +$((S_K0 + 1)))
	nw=$(grep -Ec "$bad" <<<"$new")
	fig kernel_warnings "$nw"
	if [ "$nw" != 0 ]; then
		t_fail "no kernel warning ($nw)"
		grep -E -A20 "$bad" <<<"$new" | head -60 | sed 's/^/# dmesg: /'
	else
		t_ok "no kernel warning"
	fi
	fig secs $(( $(date +%s) - S_T0 ))
	t_done
}
trap finish EXIT
trap 'exit 130' INT TERM
# STRESS_TRACE=FILE: a timed trace of the run, to see where time goes.
if [ -n "${STRESS_TRACE:-}" ]; then
	exec 7> "$STRESS_TRACE"
	BASH_XTRACEFD=7 PS4='+ $EPOCHREALTIME '
	set -x
fi

run
