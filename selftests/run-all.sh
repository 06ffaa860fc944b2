#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: host tests first, then the VM selftests in one guest boot.
# Ends with "N passed, N failed" and exits non-zero on any failure.
#
#   --host-only / --vm-only    one half
#   ELVX_TESTS="GLOB..."       only the tests whose name starts with a GLOB
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-$PWD/build}
out="$BUILD/selftests/out"
host=1 vm=1
case "${1:-}" in
--host-only) vm=0 ;;
--vm-only) host=0 ;;
esac
# One make check at a time: they share the output folder.
mkdir -p "$BUILD/selftests"
exec 8>"$BUILD/selftests/.lock"
if ! flock -n 8; then
	echo "== waiting for another make check to finish" >&2
	flock 8
fi
rm -rf "$out" && mkdir -p "$out/host" "$out/vm"

pick() {	# the tests of a kind that match ELVX_TESTS
	local f
	for f in "$@"; do
		[ -f "$f" ] || continue
		case "$f" in *.c|*.h|*.d|*.o|*.mk|*.md|*/lib.sh) continue ;; esac
		[ -x "$f" ] || continue
		if [ -n "${ELVX_TESTS:-}" ]; then
			local - g ok=0
			set -f
			for g in $ELVX_TESTS; do
				case "${f##*/}" in $g*) ok=1 ;; esac
			done
			[ $ok = 1 ] || continue
		fi
		echo "$f"
	done
}

start=$(date +%s)
if [ $host = 1 ]; then
	mapfile -t tests < <(pick selftests/host/* "$BUILD"/selftests/host/*)
	if [ ${#tests[@]} -gt 0 ]; then
		echo "== host tests (${#tests[@]})" >&2
		bash selftests/run-tests.sh "$out/host" "${tests[@]}"
	fi
fi

if [ $vm = 1 ]; then
	mapfile -t tests < <(pick selftests/vm/* "$BUILD"/selftests/vm/*)
	if [ ${#tests[@]} -gt 0 ]; then
		echo "== VM selftests (${#tests[@]}), kernel ${KVER:-default}" >&2
		t0=$(date +%s)
		ELVX_VM_TIMES=1 tools/vm/elvx-vm --timeout "${VM_TIMEOUT:-3600}" \
			--results "$out/vm" -- \
			bash selftests/run-tests.sh "$out/vm" "${tests[@]}"
		vrc=$?
		echo "   (VM run took $(( $(date +%s) - t0 )) s)" >&2
		# Tests the guest never reached count as failed.
		for t in "${tests[@]}"; do
			n=${t#selftests/}; n=${n##*/build/selftests/}
			grep -q " $n\(:\|$\)" "$out/vm/results" 2>/dev/null ||
				echo "FAIL $n: not run (the guest stopped)" >> "$out/vm/results"
		done
		if [ $vrc = 125 ] || [ $vrc = 124 ]; then
			echo "FAIL vm: guest kernel clean and exited in time (elvx-vm exit $vrc)" >> "$out/vm/results"
		else
			echo "PASS vm: guest kernel clean and exited in time" >> "$out/vm/results"
		fi
	fi
fi

cat "$out"/host/results "$out"/vm/results 2>/dev/null > "$out/all"
p=$(grep -c '^PASS' "$out/all"); f=$(grep -c '^FAIL' "$out/all"); s=$(grep -c '^SKIP' "$out/all")
if [ "$f" -gt 0 ]; then
	echo "== failed:" >&2
	grep '^FAIL' "$out/all" | sed 's/^FAIL /   /' >&2
	echo "   logs: $out/{host,vm}/*.log" >&2
fi
echo "== $(( $(date +%s) - start )) s" >&2
echo "$p passed, $f failed, $s skipped"
[ "$f" = 0 ]
