#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
#
# hddsim's command line: every bad option or value exits with status 2
# and one line on stderr naming the problem; --help exits 0.
. "$(dirname "$0")/../lib.sh"
HDDSIM=$ELVX_TOP/tools/hddsim/hddsim
[ -x "$HDDSIM" ] || skip_all "tools/hddsim/hddsim not built (make tools)"

# bad WORD ARGS...: exit 2, one stderr line that contains WORD
bad() {
	local word=$1 err rc
	shift
	err=$("$HDDSIM" "$@" 2>&1 >/dev/null)
	rc=$?
	if [ $rc = 2 ] && [ "$(wc -l <<<"$err")" = 1 ] && grep -q -- "$word" <<<"$err"; then
		t_ok "hddsim $* -> exit 2: $err"
	else
		t_fail "hddsim $* -> exit $rc, stderr '$err' (want 2 and one line with '$word')"
	fi
}

bad "unknown option" --bogus
bad "needs a value" --rpm
bad "not a number" --rpm fast
bad "out of range" --rpm 100
bad "whole number" --queue-depth 1.5
bad "out of range" --queue-depth 0
bad "not a size" --size 8X
bad "not a size" --size -1G
bad "not a size" --size ""
bad "not a size" --size "8 G"
bad "not a size" --size 8GiBs
bad "out of range" --size 99999999999999999999
bad "out of range" --size 17T
bad "multiple of 512" --size 1000
bad "size too small" --size 16M
bad "not reachable" --seek-avg 16
bad "track" --seek-track 9 --seek-avg 8.5
bad "inner" --inner-mbps 300
bad "not an nbd device" --device /dev/sda
bad "not an nbd device" --stop /dev/loop0
bad "unexpected argument" /dev/nbd0
bad "time-scale" --time-scale 0
bad "cache" --cache-mb 1 --cache-segments 1000

out=$("$HDDSIM" --help)
t_eq "--help exits 0" $? 0
t_check "--help lists every documented option" bash -c '
	for o in device size rpm seek-avg seek-track seek-full outer-mbps \
		 inner-mbps queue-depth cache-mb stats foreground log-requests \
		 stop time-scale; do
		grep -q -- "--$o" <<<"$1" || exit 1
	done' _ "$out"
"$HDDSIM" --stop /dev/nbd999 2>/dev/null
t_eq "--stop of a device nobody serves exits 1" $? 1
# sizes as fio writes them (tools/common/size.h): parsed, then --stop
# finds nobody serving the device
for s in 8G 8g 8GB 8GiB 8gib 8Gi 8192M 0x200000000; do
	"$HDDSIM" --size $s --stop /dev/nbd999 2>/dev/null
	t_eq "--size $s is a size" $? 1
done
t_done
