#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# aioload: the five I/O models on a file.  Non-blocking: pvsync2 with
# --nowait counts the I/Os done without blocking and those that came back
# EAGAIN; multiplexing: --completion=epoll with libaio and io_uring
# completes every I/O through the eventfd; signal-driven: posixaio with
# --posixaio_notify=signal learns of completions by signal, not by its
# fallback scan; bad combinations exit 2 with one line.
. tools/aioload/tests/lib.sh

F=$T_DIR/data
direct_ok "$T_DIR" && DIRECT=1 || DIRECT=0

# run_json ARGS...: run with JSON output into $T_DIR/out.json; $rc.  A
# lost completion would hang the job: SIGINT after 60s makes it report.
run_json() {
	timeout -s INT 60 "$AIOLOAD" --output-format=json "$@" \
		>"$T_DIR/out.json" 2>"$T_DIR/err"
	rc=$?
}

j() { jq_get "$T_DIR/out.json" "$1"; }

dd if=/dev/zero of="$F" bs=1M count=4 status=none

# --- bad combinations: one line, exit 2 ---
for e in sync psync libaio posixaio io_uring; do
	expect_usage "--nowait with $e" \
		"^aioload: --nowait: only for --ioengine=pvsync2 \($e does not honour RWF_NOWAIT here\)$" \
		--filename="$F" --ioengine=$e --nowait
done
expect_usage "--hipri with io_uring" "^aioload: --hipri: only for --ioengine=pvsync2$" \
	--filename="$F" --ioengine=io_uring --hipri
for e in sync psync pvsync2 posixaio; do
	expect_usage "--completion=epoll with $e" \
		"^aioload: --completion=epoll: only for --ioengine=libaio or io_uring \($e has no completion eventfd\)$" \
		--filename="$F" --ioengine=$e --completion=epoll
done
expect_usage "--completion=epoll with the default engine (psync)" \
	"^aioload: --completion=epoll: only for" --filename="$F" --completion=epoll
expect_usage "unknown --completion" \
	"^aioload: --completion: unknown value 'select' \(wait, epoll\)$" \
	--filename="$F" --ioengine=libaio --completion=select
expect_usage "--nowait given as a job default, pvsync2 only in one job" \
	"^aioload: --nowait: only for --ioengine=pvsync2 \(psync" \
	--filename="$F" --nowait --name=a --ioengine=pvsync2 --name=b

# --- non-blocking: pvsync2 ---
for d in 0 $([ $DIRECT = 1 ] && echo 1); do
	run_json --filename="$F" --ioengine=pvsync2 --direct=$d --rw=randwrite
	ok "$([ $rc -eq 0 ] && [ "$(j '.jobs[0].write.ios')" = 1024 ] &&
	      [ "$(j '.jobs[0].nowait')" = null ] && [ "$(j '.jobs[0].iodepth')" = 1 ]; echo $?)" \
		"pvsync2 direct=$d: 1024 random writes, no nowait counters (exit $rc, $(j '.jobs[0].write.ios') writes)"
	run_json --filename="$F" --ioengine=pvsync2 --direct=$d --rw=randread \
		--nowait --iodepth=8
	r=$(j '.jobs[0].read.ios')
	nw=$(j '.jobs[0].nowait.ios')
	ea=$(j '.jobs[0].nowait.eagain')
	ok "$([ $rc -eq 0 ] && [ "$r" = 1024 ] && [ $((nw + ea)) -eq 1024 ]; echo $?)" \
		"pvsync2 --nowait direct=$d: $r reads = $nw without blocking + $ea EAGAIN then blocking"
done
# a page-cache miss is an EAGAIN: with the file's pages dropped
# (POSIX_FADV_DONTNEED), reads must go to the blocking fallback
sync "$F"
python3 -c 'import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' "$F"
run_json --filename="$F" --ioengine=pvsync2 --rw=read --nowait --bs=64k
r=$(j '.jobs[0].read.ios')
nw=$(j '.jobs[0].nowait.ios')
ea=$(j '.jobs[0].nowait.eagain')
ok "$([ $rc -eq 0 ] && [ "$r" = 64 ] && [ "${ea:-0}" -gt 0 ] && [ $((nw + ea)) -eq 64 ]; echo $?)" \
	"pvsync2 --nowait, cold cache: $r reads, $ea EAGAIN then done blocking, $nw without blocking"
"$AIOLOAD" --filename="$F" --ioengine=pvsync2 --nowait --rw=read \
	>"$T_DIR/out" 2>"$T_DIR/err"
rc=$?
ok "$([ $rc -eq 0 ] && grep -Eq '^  nowait: [0-9]+ done without blocking, [0-9]+ EAGAIN then done blocking$' "$T_DIR/out"; echo $?)" \
	"pvsync2 --nowait: the normal report has the nowait line"

if [ $DIRECT = 1 ]; then
	run_json --filename="$F" --ioengine=pvsync2 --hipri --direct=1 --rw=randread
	ok "$([ $rc -eq 0 ] && [ "$(j '.jobs[0].read.ios')" = 1024 ]; echo $?)" \
		"pvsync2 --hipri direct=1: $(j '.jobs[0].read.ios') reads (polled where the device polls)"
fi

# --- multiplexing: libaio and io_uring through epoll ---
for e in libaio io_uring; do
	for d in 0 $([ $DIRECT = 1 ] && echo 1); do
		run_json --filename="$F" --ioengine=$e --completion=epoll \
			--direct=$d --iodepth=16 --rw=randwrite
		w=$(j '.jobs[0].write.ios')
		run_json --filename="$F" --ioengine=$e --completion=epoll \
			--direct=$d --iodepth=16 --rw=randread
		r=$(j '.jobs[0].read.ios')
		wk=$(j '.jobs[0].epoll.eventfd_wakeups')
		ok "$([ $rc -eq 0 ] && [ "$w/$r" = 1024/1024 ] &&
		      [ "$(j '.jobs[0].completion')" = epoll ]; echo $?)" \
			"$e --completion=epoll direct=$d: $w writes, $r reads, $wk eventfd wakeups"
		if [ $d = 1 ]; then
			# O_DIRECT completes after io_submit returns: the
			# job must have slept on the eventfd
			ok "$([ "${wk:-0}" -gt 0 ]; echo $?)" \
				"$e --completion=epoll direct=1: woken by the eventfd ($wk times)"
		fi
	done
	run_json --filename="$F" --ioengine=$e --completion=epoll \
		--direct=$DIRECT --iodepth=8 --rw=randrw --runtime=300ms \
		--time_based
	rt=$(j '.jobs[0].runtime_ms')
	ok "$([ $rc -eq 0 ] && [ "$rt" -ge 250 ] && [ "$rt" -le 1000 ]; echo $?)" \
		"$e --completion=epoll, time based: ran ${rt}ms of 300 ($(j '.jobs[0].epoll.timer_wakeups') timerfd expirations)"
done
run_json --filename="$F" --ioengine=io_uring --completion=epoll \
	--sqthread_poll --iodepth=8 --rw=randread
ok "$([ $rc -eq 0 ] && [ "$(j '.jobs[0].read.ios')" = 1024 ]; echo $?)" \
	"io_uring --completion=epoll --sqthread_poll: $(j '.jobs[0].read.ios') reads"

# --- signal-driven: posixaio SIGEV_SIGNAL ---
for d in 0 $([ $DIRECT = 1 ] && echo 1); do
	run_json --filename="$F" --ioengine=posixaio --posixaio_notify=signal \
		--direct=$d --iodepth=8 --rw=randread --size=1M
	r=$(j '.jobs[0].read.ios')
	bs=$(j '.jobs[0].signal.by_signal')
	bp=$(j '.jobs[0].signal.by_poll')
	ok "$([ $rc -eq 0 ] && [ "$r" = 256 ] && [ $((bs + bp)) -eq 256 ] &&
	      [ "$bp" -le 2 ]; echo $?)" \
		"posixaio signal direct=$d: $r reads, $bs by signal, $bp by the fallback scan (at most 2)"
done

# --- the CPU time is reported ---
run_json --filename="$F" --ioengine=psync --rw=randread --runtime=300ms --time_based
ok "$([ $rc -eq 0 ] && [ "$(j '.jobs[0].cpu.usr_us + .jobs[0].cpu.sys_us > 0')" = true ] &&
      [ "$(j '.jobs[0].cpu.us_per_io > 0')" = true ]; echo $?)" \
	"cpu time: usr $(j '.jobs[0].cpu.usr_us')us sys $(j '.jobs[0].cpu.sys_us')us, $(j '.jobs[0].cpu.us_per_io')us per I/O"

done_testing
