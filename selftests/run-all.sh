#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: host tests first, then the VM selftests in one guest boot.
# Ends with "N passed, N failed, N skipped" and exits non-zero on any
# failure.  In CI (CI=true, or ELVX_STRICT_SKIPS=1) a skip fails the run
# too unless selftests/skips.allow lists its test ("test-name: reason"
# lines; the name as in the results, e.g. host/k612_build.sh or k612):
# the unexpected skips are printed by name.
#
#   --host-only / --vm-only    one half
#   ELVX_TESTS="GLOB..."       only the tests whose name starts with a GLOB
#   ELVX_612=1                 Debian 13's 6.12 too (make check sets it in
#                              CI): make deps KVER=6.12 before the host
#                              tests, and after 6.1's VM selftests the 6.12
#                              module build and a second guest boot on 6.12
#                              running ELVX_612_TESTS (default: all), its
#                              results named vm612/...  The 6.12 part is
#                              skipped, with one line, when Debian's trixie
#                              archive cannot be reached.
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
k612=${ELVX_612:-0}
[ "$k612" = 1 ] || k612=0

# Debian 13's 6.12: the chroot, headers, image and source, first, so that
# the host tests (k612_build.sh) build for it too.
if [ $k612 = 1 ]; then
	echo "== Debian 13's 6.12: make deps KVER=6.12" >&2
	t0=$(date +%s)
	env -u KDIR -u KSRC -u ELVX_KO KVER=6.12 bash tools/deps.sh > "$out/k612-deps.log" 2>&1
	rc=$?
	echo "   (took $(( $(date +%s) - t0 )) s)" >&2
	case $rc in
	0) ;;
	3)	k612=0
		echo "   6.12 skipped: $(tail -1 "$out/k612-deps.log")" >&2
		echo "SKIP k612: $(tail -1 "$out/k612-deps.log")" >> "$out/k612-results" ;;
	*)	k612=0
		echo "FAIL k612: make deps KVER=6.12 (see $out/k612-deps.log)" >> "$out/k612-results" ;;
	esac
fi

if [ $host = 1 ]; then
	mapfile -t tests < <(pick selftests/host/* "$BUILD"/selftests/host/*)
	if [ ${#tests[@]} -gt 0 ]; then
		echo "== host tests (${#tests[@]})" >&2
		bash selftests/run-tests.sh "$out/host" "${tests[@]}"
	fi
fi

vm_pass() {	# OUTDIR TEST...: one guest boot of $KVER's kernel
	local o=$1 t n t0 vrc why
	shift
	echo "== VM selftests ($#), kernel ${KVER:-default}" >&2
	t0=$(date +%s)
	ELVX_VM_TIMES=1 tools/vm/elvx-vm --timeout "${VM_TIMEOUT:-3600}" \
		--results "$o" -- \
		bash selftests/run-tests.sh "$o" "$@"
	vrc=$?
	echo "   (VM run took $(( $(date +%s) - t0 )) s)" >&2
	# Tests the guest never reached count as failed.
	for t in "$@"; do
		n=${t#selftests/}; n=${n##*/build/selftests/}
		grep -q " $n\(:\|$\)" "$o/results" 2>/dev/null ||
			echo "FAIL $n: not run (the guest stopped)" >> "$o/results"
	done
	if [ $vrc = 125 ] || [ $vrc = 124 ]; then
		# elvx-vm's one-line account of the kernel problem, if any
		why=$(cat "$o/oops.txt" 2>/dev/null)
		echo "FAIL vm: guest kernel clean and exited in time (elvx-vm exit $vrc${why:+: $why})" >> "$o/results"
	else
		echo "PASS vm: guest kernel clean and exited in time" >> "$o/results"
	fi
}

if [ $vm = 1 ]; then
	mapfile -t tests < <(pick selftests/vm/* "$BUILD"/selftests/vm/*)
	[ ${#tests[@]} -eq 0 ] || vm_pass "$out/vm" "${tests[@]}"
fi

# 6.12: the module, then its VM selftests, counted apart (vm612/...).
if [ $k612 = 1 ] && [ $vm = 1 ]; then
	kver=$(cat "$BUILD/trixie/kver")
	ko=${ELVX_612_KO:-$BUILD/trixie/$kver/elvx.ko}
	echo "== Debian 13's $kver: the module" >&2
	t0=$(date +%s)
	rm -f "$ko"
	if env -u KDIR -u KSRC make -s modules KVER="$kver" ELVX_KO="$ko" \
		> "$out/k612-build.log" 2>&1 && [ -f "$ko" ]; then
		echo "PASS k612: the module builds for $kver" >> "$out/k612-results"
		echo "   (took $(( $(date +%s) - t0 )) s)" >&2
		mapfile -t tests < <(ELVX_TESTS=${ELVX_612_TESTS:-${ELVX_TESTS:-}} \
				     pick selftests/vm/* "$BUILD"/selftests/vm/*)
		mkdir -p "$out/vm612"
		[ ${#tests[@]} -eq 0 ] ||
			KVER=$kver ELVX_KO=$ko vm_pass "$out/vm612" "${tests[@]}"
		sed -i 's/^\(PASS\|FAIL\|SKIP\) vm\([/:]\)/\1 vm612\2/' \
			"$out/vm612/results" 2>/dev/null
	else
		echo "FAIL k612: the module builds for $kver (see $out/k612-build.log)" >> "$out/k612-results"
	fi
fi

cat "$out"/host/results "$out"/vm/results "$out"/k612-results "$out"/vm612/results \
	2>/dev/null > "$out/all"
p=$(grep -c '^PASS' "$out/all"); f=$(grep -c '^FAIL' "$out/all"); s=$(grep -c '^SKIP' "$out/all")
if [ "$f" -gt 0 ]; then
	echo "== failed:" >&2
	grep '^FAIL' "$out/all" | sed 's/^FAIL /   /' >&2
	echo "   logs: $out/{host,vm,vm612}/*.log" >&2
fi
# Skips of tests that selftests/skips.allow does not name.
unexpected=$(awk -F': ' '
	FNR == NR { if ($0 !~ /^[ \t]*(#|$)/ && NF > 1) ok[$1] = 1; next }
	/^SKIP / { n = substr($0, 6); sub(/: .*/, "", n); if (!(n in ok)) print n }
	' selftests/skips.allow "$out/all" | sort -u)
strict=${ELVX_STRICT_SKIPS:-0}
case "${CI:-}" in true|1) strict=1 ;; esac
if [ -n "$unexpected" ]; then
	echo "== skipped, not in selftests/skips.allow:" >&2
	sed 's/^/   /' <<<"$unexpected" >&2
	[ "$strict" = 1 ] && echo "   (CI: an unexpected skip fails the run)" >&2
fi
echo "== $(( $(date +%s) - start )) s" >&2
echo "$p passed, $f failed, $s skipped"
[ "$f" = 0 ] && { [ "$strict" != 1 ] || [ -z "$unexpected" ]; }
