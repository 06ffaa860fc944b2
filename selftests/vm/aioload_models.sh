#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
#
# aioload's I/O models on null_blk: non-blocking (pvsync2 --nowait: the
# I/Os done without blocking and those that came back EAGAIN add up to all
# of them, and a cold page cache sends some to the fallback), multiplexing
# (libaio and io_uring with --completion=epoll complete every I/O, woken by
# their eventfd) and signal-driven (posixaio --posixaio_notify=signal: the
# completions arrive by signal, not by the fallback scan).
#
# AIOLOAD_TEST_BIN runs another aioload build (a scratch change, to see a
# check fail).
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd jq
AIOLOAD=${AIOLOAD_TEST_BIN:-$AIOLOAD}
[ -x "$AIOLOAD" ] || skip_all "tools/aioload/aioload is not built"

# Timer completions: with null_blk's default (softirq) an I/O has
# completed before io_submit returns, and epoll would never have to wait.
name=almod0
dev=$(nullb_create $name memory_backed=1 blocksize=4096 size=64 irqmode=2 \
	completion_nsec=50000) || skip_all "no null_blk"
out=$(mktemp -d)
cleanup() {
	nullb_remove $name
	nullb_remove almod1
	rm -rf "$out"
}
trap cleanup EXIT
sched_set $name none

jv() { jq -r "$1" "$out/r.json" 2>/dev/null; }
# run ARGS...: aioload's JSON in $out/r.json, its status in $rc.  A lost
# completion would hang: SIGINT after 120 s makes the job report.
run() {
	timeout -s INT 120 "$AIOLOAD" --output-format=json --filename="$dev" \
		--size=16M "$@" >"$out/r.json" 2>"$out/err"
	rc=$?
	[ $rc = 0 ] || sed 's/^/# /' "$out/err" | head -3
}

run --ioengine=psync --direct=1 --rw=write --bs=64k
t_eq "fill 16 MiB" "$rc $(jv '.jobs[0].write.ios')" "0 256"

# --- non-blocking: pvsync2 --nowait ---
echo 3 >/proc/sys/vm/drop_caches
run --ioengine=pvsync2 --nowait --rw=randread
n=$(jv '.jobs[0].read.ios')
nw=$(jv '.jobs[0].nowait.ios')
ea=$(jv '.jobs[0].nowait.eagain')
t_eq "pvsync2 --nowait, buffered, cold cache: exit, reads, nowait + eagain" \
	"$rc $n $((nw + ea))" "0 4096 4096"
t_log "pvsync2 --nowait buffered: $nw without blocking, $ea EAGAIN then blocking"
if [ "${ea:-0}" -gt 0 ] && [ "${nw:-0}" -gt 0 ]; then
	t_ok "pvsync2 --nowait, cold cache: both ways taken ($nw without blocking, $ea by the fallback)"
else
	t_fail "pvsync2 --nowait, cold cache: both ways taken ($nw without blocking, $ea by the fallback)"
fi
run --ioengine=pvsync2 --nowait --direct=1 --rw=randrw --runtime=1 --time_based
n=$(jv '.jobs[0].read.ios + .jobs[0].write.ios')
nw=$(jv '.jobs[0].nowait.ios')
ea=$(jv '.jobs[0].nowait.eagain')
t_eq "pvsync2 --nowait direct=1 randrw for 1s: exit, nowait + eagain = I/Os" \
	"$rc $((nw + ea))" "0 $n"
t_log "pvsync2 --nowait direct=1: $n I/Os, $nw without blocking, $ea EAGAIN"

# --- multiplexing: --completion=epoll ---
# On a disk that completes in 2 ms, far longer than submitting 32 I/Os takes
# even under TCG, the job has to sleep for nearly every batch: at least one
# eventfd wakeup per 64 reads.  (At 50 us, 6.12's io_uring had completed
# nearly everything by the time the job looked: 7 wakeups in 4096 reads.)
edev=$(nullb_create almod1 blocksize=4096 size=64 irqmode=2 \
	completion_nsec=2000000)
[ -n "$edev" ] && sched_set almod1 none
for e in libaio io_uring; do
	dev=${edev:-none} run --ioengine=$e --completion=epoll --direct=1 \
		--iodepth=32 --rw=randread
	t_eq "$e --completion=epoll direct=1: exit, reads" \
		"$rc $(jv '.jobs[0].read.ios')" "0 4096"
	t_range "$e --completion=epoll: eventfd wakeups in 4096 reads" \
		"$(jv '.jobs[0].epoll.eventfd_wakeups' | grep . || echo none)" 64 4096
	dev=${edev:-none} run --ioengine=$e --completion=epoll --direct=1 \
		--iodepth=8 --rw=randrw --runtime=2 --time_based
	rt=$(jv '.jobs[0].runtime_ms')
	t_range "$e --completion=epoll, 2 s time based: exit 0, runtime in ms" \
		"$([ $rc = 0 ] && echo "$rt" || echo "exit $rc")" 1900 3000
	t_log "$e --completion=epoll 2 s: $(jv '.jobs[0].read.ios + .jobs[0].write.ios') I/Os, $(jv '.jobs[0].epoll.eventfd_wakeups') eventfd wakeups, $(jv '.jobs[0].epoll.timer_wakeups') timerfd expirations"
done

# --- signal-driven: posixaio SIGEV_SIGNAL ---
for d in 0 1; do
	run --ioengine=posixaio --posixaio_notify=signal --direct=$d \
		--iodepth=16 --rw=randread
	n=$(jv '.jobs[0].read.ios')
	bs=$(jv '.jobs[0].signal.by_signal')
	bp=$(jv '.jobs[0].signal.by_poll')
	t_eq "posixaio signal direct=$d: exit, reads, by signal + by the scan" \
		"$rc $n $((bs + bp))" "0 4096 4096"
	# a lost signal costs the scan 100 ms; 1% of them is already broken
	t_range "posixaio signal direct=$d: completions by the fallback scan ($bs by signal)" \
		"${bp:-4096}" 0 40
done

t_done
