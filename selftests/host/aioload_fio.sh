#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The fio job files of tools/fio parse, and the options aioload shares with
# fio mean the same to both: fio accepts aioload's command line.
. tools/aioload/tests/lib.sh

if ! command -v fio >/dev/null; then
	skip "fio job files" "fio is not installed"
	done_testing
fi

for f in tools/fio/*.fio; do
	fio --parse-only "$f" >"$T_DIR/out" 2>&1
	rc=$?
	ok "$([ $rc -eq 0 ] && ! grep -qi 'error\|bad option\|invalid' "$T_DIR/out"; echo $?)" \
		"fio --parse-only $f"
	grep -q '^; SPDX-License-Identifier' "$f" && grep -q '^;.*fio --filename=/dev/' "$f" &&
		! grep -q '^filename=' "$f"
	ok $? "$f takes the device from --filename= and says how to run it"
done

# one command line, both tools
F=$T_DIR/data
common=(--filename="$F" --size=1M --bs=4k --iodepth=4 --rw=randrw
	--rwmixread=70 --runtime=1 --direct=0 --ioengine=libaio
	--prioclass=2 --prio=3 --rate_iops=1000 --thinktime=10 --loops=1
	--ramp_time=0 --offset=0 --time_based=0 --numjobs=1)
dd if=/dev/zero of="$F" bs=1M count=1 status=none
fio --parse-only --name=x "${common[@]}" >"$T_DIR/out" 2>&1
ok $? "fio accepts aioload's fio-named options"
"$AIOLOAD" --name=x "${common[@]}" >"$T_DIR/out" 2>&1
ok $? "aioload runs the same command line"
for o in --sqthread_poll --registerfiles --fixedbufs; do
	fio --parse-only --name=x --filename="$F" --ioengine=io_uring $o \
		>/dev/null 2>&1
	ok $? "fio knows io_uring's $o"
done

done_testing
