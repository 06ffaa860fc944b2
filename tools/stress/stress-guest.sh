#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of make stress: every run of tools/stress/runs/ through
# run-one.sh, its log in $ELVX_RESULTS/RUN.log, then the summary table
# (also in $ELVX_RESULTS/summary.txt).  Exit 1 when a run failed.
#
#   --quick              the make check scale
#   --runs A,B,...       only these runs (default: $STRESS_RUNS, else all
#                        but the by-hand self-checks, which start with "self")
set -u
cd "$(dirname "$0")/../.."
R=${ELVX_RESULTS:?runs in the VM: tools/stress/stress.sh}
scale=full
runs=${STRESS_RUNS:-}
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) scale=quick ;;
	--full) scale=full ;;
	--runs) runs=${2//,/ }; shift ;;
	--runs=*) runs=${1#*=}; runs=${runs//,/ } ;;
	*) echo "stress: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
if [ -z "$runs" ]; then
	runs="switch modload churn gone errors fuzz leaks perms"
fi

bad='(WARNING:|BUG:|kernel BUG|Oops|Call Trace|general protection fault|blocked for more than)'
printf 'stress: kernel %s, %s CPUs, scale %s, runs: %s\n' "$(uname -r)" "$(nproc)" "$scale" "$runs"
: > "$R/summary.tsv"
failed=0
for run in $runs; do
	printf '== %s\n' "$run"
	t0=$(date +%s)
	S_OUT=/tmp/stress/$run timeout -k 10 3000 \
		bash tools/stress/run-one.sh --scale "$scale" "$run" > "$R/$run.log" 2>&1 < /dev/null
	rc=$?
	secs=$(( $(date +%s) - t0 ))
	grep -E '^(not ok|# (mismatch|stuck|dmesg|missing))' "$R/$run.log" | sed 's/^/   /'
	nok=$(grep -c '^ok' "$R/$run.log"); nfail=$(grep -c '^not ok' "$R/$run.log")
	verdict=PASS
	if [ "$nfail" != 0 ] || { [ "$rc" != 0 ] && [ "$rc" != 4 ]; }; then
		verdict=FAIL failed=$((failed + 1))
	fi
	# The figures, last value of each key, in order.
	figs=$(sed -n 's/^# figure //p' "$R/$run.log" |
		awk -F= '!($1 in v) { k[n++] = $1 } { v[$1] = $2 }
			END { for (i = 0; i < n; i++) printf "%s%s=%s", (i ? " " : ""), k[i], v[k[i]] }')
	printf '%s\t%s\t%s\t%s\t%s\n' "$run" "$verdict" "$secs" "$nok/$((nok + nfail))" "$figs" >> "$R/summary.tsv"
	printf '   %s: %s (%d s, %d/%d checks)\n' "$run" "$verdict" "$secs" "$nok" $((nok + nfail))
	printf '%s\n' "$figs" | fold -s -w 76 | sed 's/^/     /'
done

nw=$(dmesg | grep -Ec "$bad")
python3 tools/stress/summary.py "$R/summary.tsv" "$nw" | tee "$R/summary.txt"
[ $failed = 0 ] && [ "$nw" = 0 ]
