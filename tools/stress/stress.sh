#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make stress: the failures storage people fear, in one VM boot, with
# figures per run and a summary table; exit status non-zero when a run
# failed or the guest kernel logged a warning.  Results (one log per run,
# summary.txt, the guest's dmesg) in build/stress-results/.
#
#   STRESS_ARGS="--quick"            the make check scale (minutes less)
#   STRESS_ARGS="--runs fuzz,gone"   some runs only
#   STRESS_ARGS="--runs selfstuck"   the stuck-detector self-check (by hand)
#
# The runs are tools/stress/runs/*.sh; make check runs each at the quick
# scale as selftests/vm/stress_*.sh.
set -u
cd "$(dirname "$0")/../.."
out=${STRESS_RESULTS:-${BUILD:-build}/stress-results}
rm -rf "$out"
mkdir -p "$out"
echo "stress: results in $out"
t0=$(date +%s)
# shellcheck disable=SC2086
tools/vm/elvx-vm --timeout "${STRESS_TIMEOUT:-5400}" --mem 2048 --results "$out" -- \
	bash tools/stress/stress-guest.sh ${STRESS_ARGS:-}
rc=$?
echo "stress: VM ran $(( $(date +%s) - t0 )) s, exit status $rc"
case $rc in
0) ;;
124) echo "stress: FAIL: the guest did not finish in time (hang?)" ;;
125) echo "stress: FAIL: the guest kernel logged a warning or the run could not start" ;;
*) [ -s "$out/summary.txt" ] || echo "stress: FAIL: no summary (exit $rc)" ;;
esac
exit $rc
