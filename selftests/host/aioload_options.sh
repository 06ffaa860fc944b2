#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# aioload: bad input gives exit status 2 and one line on stderr; --help
# lists every option.
. tools/aioload/tests/lib.sh

F=$T_DIR/f
dd if=/dev/zero of="$F" bs=1M count=1 status=none

expect_usage "unknown option" "^aioload: unknown option '--nosuch'$" \
	--filename="$F" --nosuch=1
expect_usage "bad size" "^aioload: --bs: bad size 'x'$" --filename="$F" --bs=x
expect_usage "bad size suffix" "^aioload: --size: bad size '4q'$" \
	--filename="$F" --size=4q
expect_usage "negative size" "^aioload: --size: bad size '-1G'$" \
	--filename="$F" --size=-1G
expect_usage "size beyond 64 bits" \
	"^aioload: --offset: 16777216t is out of range \\[0, 18446744073709551615\\]$" \
	--filename="$F" --offset=16777216t
expect_usage "bad number" "^aioload: --iodepth: bad number 'abc'$" \
	--filename="$F" --iodepth=abc
expect_usage "negative number" "^aioload: --iodepth: bad number '-1'$" \
	--filename="$F" --iodepth=-1
expect_usage "number out of range" "^aioload: --iodepth: 0 is out of range" \
	--filename="$F" --iodepth=0
expect_usage "bad time" "^aioload: --runtime: bad time '5x'$" \
	--filename="$F" --runtime=5x
expect_usage "bad boolean" "^aioload: --direct: bad boolean 'maybe'" \
	--filename="$F" --direct=maybe
expect_usage "unknown rw mode" "^aioload: --rw: unknown value 'sideways'" \
	--filename="$F" --rw=sideways
expect_usage "unknown engine" "^aioload: --ioengine: unknown value 'nope'" \
	--filename="$F" --ioengine=nope
expect_usage "unknown priority class" "^aioload: --prioclass: unknown value" \
	--filename="$F" --prioclass=urgent
expect_usage "priority level out of range" "^aioload: --prio: 8 is out of range" \
	--filename="$F" --prio=8
expect_usage "option without its value" "^aioload: --bs: needs a value$" \
	--filename="$F" --bs
expect_usage "stray argument" "^aioload: unexpected argument 'extra'$" \
	--filename="$F" extra
expect_usage "no --filename" "^aioload: job 'a': --filename is required$" \
	--name=a
expect_usage "missing file" "^aioload: $T_DIR/none: No such file or directory" \
	--filename="$T_DIR/none"
expect_usage "missing folder" "^aioload: $T_DIR/no/f: cannot create: No such file or directory$" \
	--filename="$T_DIR/no/f" --size=1M
expect_usage "--time_based without --runtime" "needs --runtime$" \
	--filename="$F" --time_based
expect_usage "region smaller than bs" "smaller than --bs" \
	--filename="$F" --size=1k --bs=4k
expect_usage "O_DIRECT alignment" "multiples of 512 bytes" \
	--filename="$F" --direct=1 --bs=1000
expect_usage "engine option on the wrong engine" \
	"^aioload: --sqthread_poll: only for --ioengine=io_uring$" \
	--filename="$F" --ioengine=psync --sqthread_poll
expect_usage "--cgroup with --thread" "^aioload: --cgroup: needs separate processes" \
	--filename="$F" --thread --cgroup=x
expect_usage "bad percentile list" "^aioload: --percentile_list: bad percentile '101'$" \
	--filename="$F" --percentile_list=50:101
expect_usage "bad value in a second job" "^aioload: --bs: bad size '4kk'$" \
	--filename="$F" --name=a --name=b --bs=4kk

# engine limits: io_setup's EAGAIN when the contexts ask for more than
# fs.aio-max-nr events
max=$(cat /proc/sys/fs/aio-max-nr)
if [ "$max" -le 65536 ]; then
	expect_usage "libaio io_setup EAGAIN" "^aioload: a\\.[0-9]: libaio: io_setup\\(65536\\): Resource temporarily unavailable" \
		--filename="$F" --ioengine=libaio --iodepth=65536 --name=a --numjobs=2 \
		--runtime=1
else
	skip "libaio io_setup EAGAIN" "fs.aio-max-nr is $max"
fi

"$AIOLOAD" --help >"$T_DIR/help" 2>&1
ok $? "--help exits 0"
missing=""
for o in filename ioengine rw rwmixread bs iodepth size offset runtime \
	numjobs direct prioclass prio cgroup rate_iops thinktime verify \
	output-format status-interval name thread weight time_based \
	ramp_time loops sqthread_poll registerfiles fixedbufs \
	posixaio_notify lio log_avg_msec series_csv eta; do
	grep -q -- "--$o[=[ ]" "$T_DIR/help" ||
		grep -q -- "--$o\$" "$T_DIR/help" || missing="$missing $o"
done
ok "$([ -z "$missing" ]; echo $?)" "--help lists every option${missing:+ (missing:$missing)}"
# every option of the parser's table has help text
n_tab=$(grep -c '^	{ "' tools/aioload/options.c)
n_help=$(grep -c '^  --' "$T_DIR/help")
ok "$([ "$n_tab" -eq "$n_help" ]; echo $?)" "--help shows all $n_tab options of the table ($n_help shown)"
"$AIOLOAD" --version | grep -q '^aioload [0-9]'
ok $? "--version"

# global defaults before the first --name, overridden per job
"$AIOLOAD" --filename="$F" --bs=8k --ioengine=sync --name=a --name=b --bs=16k \
	--size=64k >"$T_DIR/out" 2>&1
ok $? "two jobs with global defaults run"
grep -q '^a: .*ioengine=sync .*bs=8KiB' "$T_DIR/out" &&
	grep -q '^b: .*ioengine=sync .*bs=16KiB' "$T_DIR/out"
ok $? "options before --name are defaults, options after it are the job's"

"$AIOLOAD" --filename="$F" --size=64k --name=a --numjobs=3 >"$T_DIR/out" 2>&1
ok "$([ "$(grep -c '^a\.[0-2]: ' "$T_DIR/out")" -eq 3 ]; echo $?)" "--numjobs=3 makes a.0 a.1 a.2"

"$AIOLOAD" --filename="$F" --size=64k --bs=4KiB --runtime=500ms >/dev/null 2>&1
ok $? "sizes with KiB and times with ms are accepted"

done_testing
