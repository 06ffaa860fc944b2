#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two (or more) builds of the module side by side on a saturated device,
# run in the VM:
#
#   tools/vm/elvx-vm -- bash tools/bench/probes/ab-saturation.sh ROUNDS \
#	A.ko B.ko ... -- [saturation.sh options]
#
# Each round loads every module in turn (rmmod, insmod) and runs
# tools/bench/saturation.sh with the options after "--"; its lines are
# prefixed with the module's file name and the round.
rounds=$1
case $rounds in '' | *[!0-9]*) echo "ab-saturation.sh: ROUNDS must be a number" >&2; exit 2 ;; esac
shift
kos=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do kos+=("$1"); shift; done
[ $# -gt 0 ] && shift
[ ${#kos[@]} -gt 0 ] || { echo "ab-saturation.sh: no module given" >&2; exit 2; }
for r in $(seq 1 "$rounds"); do
	for ko in "${kos[@]}"; do
		rmmod elvx 2>/dev/null
		insmod "$ko" || { echo "ab-saturation.sh: cannot load $ko" >&2; exit 1; }
		bash "$(dirname "$0")/../saturation.sh" --out /tmp/ab-saturation "$@" |
			grep -v '^#' | sed "s|^|$(basename "$ko") r$r |"
	done
done
