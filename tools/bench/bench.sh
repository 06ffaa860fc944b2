#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: every scheduler on the same workloads in one VM boot, then a
# markdown report and PNG plots under bench/results/<date>-<kernel>/.
#
#   BENCH_ARGS="--quick"              shorter runs
#   BENCH_ARGS="--scheds cfq,bfq"     a subset of schedulers
#   BENCH_ARGS="--only overhead"      one workload group (overhead, disk, resp)
set -eu
cd "$(dirname "$0")/../.."
kver=${KVER:-$(dpkg-query -W -f='${Depends}' linux-headers-amd64 | grep -o 'linux-headers-[0-9][^ ,]*-amd64' | head -1 | sed 's/^linux-headers-//')}
out=bench/results/$(date +%Y%m%d-%H%M%S)-$kver
mkdir -p "$out"
echo "bench: results in $out (QEMU TCG: compare schedulers, not absolute figures)"
tools/vm/elvx-vm --timeout 5400 --mem 3072 --results "$out" -- \
	bash tools/bench/bench-guest.sh ${BENCH_ARGS:-}
/usr/bin/python3 tools/bench/report.py "$out"
ln -sfn "$(basename "$out")" bench/results/latest
echo "bench: report $out/report.md"
