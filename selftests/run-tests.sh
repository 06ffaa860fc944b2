#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-tests.sh OUTDIR TEST...: run each test (a script or binary), with a
# timeout, from the repository's top folder; write its output to
# OUTDIR/NAME.log and one result line per check to OUTDIR/results:
#   PASS|FAIL|SKIP <test>[: <check>]
# A test that prints TAP lines ("ok N ...", "not ok N ...") counts each;
# otherwise its exit status counts (0 pass, 4 skip, other fail).  The
# output is kselftest's TAP version 13 (selftests/lib.sh and
# kselftest_harness.h print it): "ok N - what # SKIP" is a skip, and a
# test that printed the "TAP version 13" header must print its plan
# ("1..N", anywhere) and N results, else it fails: it stopped early.
# A test sets its timeout with a line "# timeout: SECONDS" (default 300).
#
# In the VM (ELVX_VM set) the kernel log is checked after every test: a
# WARNING, BUG, Oops or Call Trace fails the test that was running.
set -u
out=$1; shift
mkdir -p "$out"
bad='(WARNING:|BUG:|kernel BUG|Oops|Call Trace|general protection fault|blocked for more than)'

klog_lines() { dmesg 2>/dev/null | wc -l; }

for t in "$@"; do
	name=${t#selftests/}
	name=${name#"${BUILD:-build}"/selftests/}
	case "$name" in */build/selftests/*) name=${name##*/build/selftests/} ;; esac
	log="$out/$(echo "$name" | tr '/' '_').log"
	tmo=$(sed -n 's/^[#/ *]*timeout: *\([0-9]*\).*/\1/p' "$t" 2>/dev/null | head -1)
	tmo=${tmo:-300}
	[ -n "${ELVX_VM:-}" ] && k0=$(klog_lines)
	printf '%s ... ' "$name" >&2
	start=$(date +%s)
	if [ -x "$t" ]; then
		timeout -k 10 "$tmo" "$t" > "$log" 2>&1 < /dev/null
	else
		timeout -k 10 "$tmo" bash "$t" > "$log" 2>&1 < /dev/null
	fi
	rc=$?
	secs=$(( $(date +%s) - start ))
	res=$(awk -v name="$name" '
		/^TAP version 13$/ { tap = 1 }
		/^1\.\.[0-9]+/ { plan = $1; sub(/^1\.\./, "", plan); plans++ }
		/^ok [0-9]+/ || /^not ok [0-9]+/ {
			st = ($1 == "ok") ? "PASS" : "FAIL"
			if (match($0, /# *SKIP/)) st = "SKIP"
			d = $0; sub(/^(not )?ok [0-9]+ *-? */, "", d)
			sub(/ *# *SKIP.*/, "", d)
			print st " " name ": " d; n++
		}
		END {
			if (tap && plans != 1)
				print "FAIL " name ": TAP plan: " (plans ? plans " plans" : "none (stopped early?)")
			else if (tap && plan + 0 != n + 0)
				print "FAIL " name ": TAP plan: 1.." plan ", " n " results"
			if (!n && !(tap && plans != 1)) print "NONE"
		}' "$log")
	if [ "$res" = NONE ]; then
		case $rc in
		0) res="PASS $name" ;;
		4) res="SKIP $name" ;;
		*) res="FAIL $name" ;;
		esac
	elif [ $rc != 0 ] && [ $rc != 4 ] && ! grep -q '^FAIL' <<<"$res"; then
		res+=$'\n'"FAIL $name: exit status $rc"
	fi
	[ $rc = 124 ] || [ $rc = 137 ] && res+=$'\n'"FAIL $name: timed out after ${tmo}s"
	if [ -n "${ELVX_VM:-}" ]; then
		new=$(dmesg 2>/dev/null | tail -n +$((k0 + 1)))
		if grep -Eq "$bad" <<<"$new"; then
			res+=$'\n'"FAIL $name: kernel warning"
			{ echo "--- kernel log during this test ---"; echo "$new"; } >> "$log"
		fi
	fi
	echo "$res" >> "$out/results"
	p=$(grep -c '^PASS' <<<"$res"); f=$(grep -c '^FAIL' <<<"$res"); s=$(grep -c '^SKIP' <<<"$res")
	if [ "$f" -gt 0 ]; then
		printf 'FAIL (%d passed, %d failed, %d skipped, %ds)\n' "$p" "$f" "$s" "$secs" >&2
		grep '^FAIL' <<<"$res" | sed 's/^/    /' >&2
		sed 's/^/    | /' "$log" | tail -25 >&2
	elif [ "$p" = 0 ]; then
		printf 'skipped (%s)\n' "$(grep -o 'SKIP.*' "$log" | head -1 | cut -c1-70)" >&2
	else
		printf 'ok (%d checks, %ds)\n' "$p" "$secs" >&2
	fi
done
exit 0
