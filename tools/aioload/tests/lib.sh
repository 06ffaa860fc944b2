# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the aioload tests (selftests/host/aioload_*.sh and
# selftests/vm/aioload_*.sh): TAP output, a scratch folder, the binary.
# Source it from the repository's root.

AIOLOAD=${AIOLOAD:-tools/aioload/aioload}
T_N=0
T_FAIL=0
T_SKIP=0

if [ ! -x "$AIOLOAD" ]; then
	make -s -C tools/aioload >/dev/null 2>&1
fi
if [ ! -x "$AIOLOAD" ]; then
	echo "Bail out! $AIOLOAD is not built (run make)"
	exit 1
fi

T_DIR=$(mktemp -d /var/tmp/aioload-test.XXXXXX)
trap 'rm -rf "$T_DIR"' EXIT

ok() {		# ok CONDITION-STATUS DESCRIPTION
	T_N=$((T_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $T_N - $2"
	else
		echo "not ok $T_N - $2"
		T_FAIL=$((T_FAIL + 1))
	fi
}

pass() { ok 0 "$*"; }
fail() { ok 1 "$*"; }

skip() {	# skip DESCRIPTION REASON
	T_N=$((T_N + 1))
	T_SKIP=$((T_SKIP + 1))
	echo "ok $T_N - $1 # SKIP $2"
}

diag() { printf '# %s\n' "$@"; }

# Print the plan and exit with the TAP result (4 when all were skipped).
done_testing() {
	echo "1..$T_N"
	if [ "$T_FAIL" -ne 0 ]; then
		diag "$T_FAIL of $T_N failed"
		exit 1
	fi
	if [ "$T_N" -gt 0 ] && [ "$T_SKIP" -eq "$T_N" ]; then
		exit 4
	fi
	exit 0
}

# expect_usage DESC EXPECTED-LINE-REGEX ARGS...: aioload ARGS is a usage
# error: exit 2, one line on stderr matching the regex, nothing on stdout.
expect_usage() {
	local desc=$1 re=$2 rc lines
	shift 2
	"$AIOLOAD" "$@" >"$T_DIR/out" 2>"$T_DIR/err"
	rc=$?
	lines=$(wc -l <"$T_DIR/err")
	if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] &&
	   grep -Eq -- "$re" "$T_DIR/err" && [ ! -s "$T_DIR/out" ]; then
		pass "$desc"
	else
		fail "$desc (exit $rc, $lines lines)"
		sed 's/^/#   /' "$T_DIR/err"
	fi
}

# Does this folder's file system take O_DIRECT?
direct_ok() {
	python3 - "$1" <<'PY' 2>/dev/null
import mmap, os, sys
p = os.path.join(sys.argv[1], ".odirect-probe")
try:
    fd = os.open(p, os.O_CREAT | os.O_RDWR | os.O_DIRECT, 0o600)
    buf = mmap.mmap(-1, 4096)
    os.pwrite(fd, buf, 0)
    os.close(fd)
finally:
    try:
        os.unlink(p)
    except OSError:
        pass
PY
}

# run_al OUT ERR ARGS...: run aioload, keep stdout and stderr, return its status
run_al() {
	local out=$1 err=$2
	shift 2
	"$AIOLOAD" "$@" >"$out" 2>"$err"
}

# jq_get FILE FILTER: one value from a JSON report
jq_get() {
	jq -r "$2" "$1" 2>/dev/null
}
