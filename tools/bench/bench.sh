#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: every scheduler on the same workloads, then a markdown report
# and PNG plots under bench/results/<date>-<kernel>/.  One VM boot per
# workload group, so that no boot holds the VM (one guest at a time, shared
# with the other users of the machine) for more than about 10 minutes, but
# resp's (tools/bench/resp.sh: 216 cells of 15 to 25 s, 72 with --quick);
# within a group every scheduler runs in the same boot.  The scaling group
# boots with 4 vCPUs, the others with elvx-vm's default.
#
#   BENCH_ARGS="--quick"              shorter runs
#   BENCH_ARGS="--scheds cfq,bfq"     a subset of schedulers; cfq-sd0 and
#                                     xdeadline-sd0 (overhead group only)
#                                     are them with sync_dispatch 0
#   BENCH_ARGS="--only overhead"      some workload groups, comma-separated:
#                                     overhead, disk, resp (start-up and
#                                     small files under background I/O),
#                                     cgroup, and engines (aioload's
#                                     engines and I/O models), saturation
#                                     (shares on a saturated device) and
#                                     scaling (IOPS of 1 to 8 jobs on
#                                     null_blk, 4 vCPUs): only when asked
#                                     for
#   BENCH_ARGS="--disk-scale 4"       the simulated disk runs 4 times slower
#                                     than its model (the default; see
#                                     tools/bench/bench-guest.sh)
#
# The same options may be given to tools/bench/bench.sh directly, after
# those of BENCH_ARGS; --help prints them.
#
# The full run takes about 30 minutes under TCG on two cores, and 60 to 90
# more for the resp group; Documentation/bench-report.rst is one such
# report.
set -eu
cd "$(dirname "$0")/../.."
kver=${KVER:-$(dpkg-query -W -f='${Depends}' linux-headers-amd64 | grep -o 'linux-headers-[0-9][^ ,]*-amd64' | head -1 | sed 's/^linux-headers-//')}
groups="overhead disk resp cgroup"
# shellcheck disable=SC2086 # BENCH_ARGS is a list of words
set -- ${BENCH_ARGS:-} "$@"
args=()
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help)
		echo "usage: bench.sh [--quick] [--scheds A,B] [--only overhead,disk,resp,cgroup,engines,saturation,scaling] [--disk-scale N]"
		exit 0 ;;
	--only|--scheds|--disk-scale)
		[ $# -ge 2 ] || { echo "bench: $1 needs a value" >&2; exit 2; } ;;&
	--only) groups=${2//,/ }; shift ;;
	--scheds|--disk-scale) args+=("$1" "$2"); shift ;;
	--quick) args+=("$1") ;;
	*) echo "bench: unknown option $1 (--quick, --scheds A,B, --only G,H, --disk-scale N)" >&2; exit 2 ;;
	esac
	shift
done
for g in $groups; do
	case $g in
	overhead|disk|resp|cgroup|engines|saturation|scaling) ;;
	*) echo "bench: unknown group $g (overhead, disk, resp, cgroup, engines, saturation, scaling)" >&2; exit 2 ;;
	esac
done
out=bench/results/$(date +%Y%m%d-%H%M%S)-$kver
mkdir -p "$out"
echo "bench: results in $out (QEMU TCG: compare schedulers, not absolute figures)"
echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$out/meta.txt"
echo "command=make bench${BENCH_ARGS:+ BENCH_ARGS=\"$BENCH_ARGS\"}" >> "$out/meta.txt"
if [ -n "${ELVX_KO:-}" ]; then
	mod="elvx.ko from ELVX_KO"
else
	mod="module/ at $(git rev-parse --short HEAD 2>/dev/null || echo ?)"
	[ -z "$(git status --porcelain -- module 2>/dev/null)" ] || mod+=" with uncommitted changes"
fi
echo "module=$mod" >> "$out/meta.txt"
# Speed wants the vCPUs in parallel, one host thread each, on every
# kernel: elvx-vm's default for 6.12 (one thread for all, against a TCG
# fault there) would serialise them and hide the contention the overhead
# and scaling groups measure.  A boot that meets that fault fails with
# the guest's oops; ELVX_VM_TCG_THREAD=single chooses the other way.
tcg_thread=${ELVX_VM_TCG_THREAD:-multi}
echo "tcg_thread=$tcg_thread" >> "$out/meta.txt"
n=0 total=$(echo $groups | wc -w) rc=0
for g in $groups; do
	n=$((n + 1))
	echo "bench: boot $n/$total: $g"
	# scaling: jobs on up to 4 CPUs, a submit queue each
	cpus=()
	[ "$g" != scaling ] || cpus=(--cpus 4)
	# resp: 60 to 90 minutes, 20 to 30 with --quick
	t=1200
	[ "$g" != resp ] || t=$([[ " ${args[*]} " == *" --quick "* ]] && echo 2400 || echo 7200)
	tools/vm/elvx-vm --timeout $t --mem 3072 "${cpus[@]}" \
		--tcg-thread "$tcg_thread" --results "$out" -- \
		bash tools/bench/bench-guest.sh --only $g "${args[@]}" && r=0 || r=$?
	for f in console dmesg; do
		[ ! -f "$out/$f.log" ] || mv "$out/$f.log" "$out/$f-$g.log"
	done
	if [ $r != 0 ]; then
		rc=$r
		echo "bench: the $g boot failed (exit $r), see $out/console-$g.log" >&2
	fi
done
/usr/bin/python3 tools/bench/report.py "$out" > /dev/null
ln -sfn "$(basename "$out")" bench/results/latest
echo "bench: report $out/report.md"
exit $rc
