#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
#
# sync_dispatch: with 1 (the default), a request submitted outside a plug
# is dispatched by the submitting task; with 0, by a kblockd worker, as the
# block layer does for every elevator.  One synchronous O_DIRECT read at a
# time (dd: no plug on 6.1); the block layer's queue runs in kblockd are
# counted with the workqueue_execute_start tracepoint.  Each count also
# makes the kernel run one known work item on every CPU (a read of
# /proc/sys/vm/stat_refresh) and fails unless the trace shows it: a trace
# that recorded nothing is no count of zero.
#
# What the kernel itself does is measured first with mq-deadline, on a
# plain null_blk and on one whose driver may sleep in dispatch
# (BLK_MQ_F_BLOCKING, a memory-backed null_blk), and must be one of two:
# every read through the worker (at least 0.9 runs per read: 6.1 sends
# every unplugged request of an elevator to kblockd) or none (at most
# 0.05: 6.12's __submit_bio() plugs every bio and the plug flush
# dispatches from the submitter, on both drivers); anything between fails.
# Where the kernel uses the worker, our elevators must too with
# sync_dispatch 0 and on the blocking driver with 1 and with 0 (a driver
# that may sleep keeps the worker either way), and must not with 1 on the
# plain one.  Where it does not, they must add no worker run of their own
# (at most 0.05 per read more than mq-deadline, 100 of the 2000), on
# either driver with 1 or 0.
#
# Where the block layer runs the queue itself after a plug flush
# (io_submit() of 4 iocbs: fs/aio plugs above 2), sync_dispatch must not
# add a run of its own: blk_mq_run_hw_queue() calls, counted with a
# kprobe, per I/O of such batches are the same with 1 as with 0.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root

fast=$(nullb_create elvxsd0 blocksize=4096 size=64) || skip_all "no null_blk"
slow=$(nullb_create elvxsd1 blocksize=4096 size=64 memory_backed=1) || skip_all "no null_blk"
# The event is enabled once and each count gated by the instance's
# tracing_on: switching an event on and off patches kernel text (the
# event's static key, and sched_switch's for the recording of command
# names, which is turned off here), and text patching under QEMU's TCG
# once met a stale int3 in __schedule().  An instance takes record-cmd
# from the top level when it is made.
TR=/sys/kernel/tracing
[ -d $TR/events ] || mount -t tracefs none $TR 2>/dev/null
T=$TR/instances/elvxsd
EV=$T/events/workqueue/workqueue_execute_start/enable
KP=$T/events/kprobes/elvx_qrun/enable
recmd=$(cat $TR/options/record-cmd 2>/dev/null)
trap 'echo 0 > $EV; [ -e $KP ] && echo 0 > $KP; rmdir $T
	[ -e $KP ] || echo "-:elvx_qrun" >> $TR/kprobe_events 2>/dev/null
	[ -n "$recmd" ] && echo "$recmd" > $TR/options/record-cmd
	nullb_remove elvxsd0; nullb_remove elvxsd1' EXIT
[ -n "$recmd" ] && echo 0 > $TR/options/record-cmd
mkdir -p $T 2>/dev/null
[ -e $EV ] || skip_all "no workqueue tracepoint"
echo 4096 > $T/buffer_size_kb
echo 0 > $T/tracing_on
echo 1 > $EV
echo "p:elvx_qrun blk_mq_run_hw_queue" >> $TR/kprobe_events 2>/dev/null
[ -e $KP ] && echo 1 > $KP
reads=2000

# kblockd queue runs per read over $reads reads of DEV, as a decimal;
# "no-trace" (not a number, so its check fails) when the trace does not
# show the stat_refresh work run within the same window.
kblockd_runs() {	# DEV
	echo > $T/trace
	echo 1 > $T/tracing_on
	dd if="$1" of=/dev/null bs=4k count=$reads iflag=direct status=none
	cat /proc/sys/vm/stat_refresh > /dev/null 2>&1
	echo 0 > $T/tracing_on
	if ! grep -q refresh_vm_stats $T/trace; then
		echo no-trace
		return
	fi
	awk -v d="$(grep -c blk_mq_run_work_fn $T/trace)" -v n=$reads \
		'BEGIN { printf "%.3f", d / n }'
}

# blk_mq_run_hw_queue() calls per I/O of libaio reads of DEV submitted
# 4 at a time (2048 I/Os), as a decimal.
queue_runs() {	# DEV
	echo > $T/trace
	echo 1 > $T/tracing_on
	fio --name=batched --filename="$1" --rw=randread --bs=4k --direct=1 \
		--ioengine=libaio --iodepth=4 --iodepth_batch_submit=4 \
		--iodepth_batch_complete_min=4 --size=8M --norandommap \
		--randrepeat=0 --output=/dev/null
	echo 0 > $T/tracing_on
	# Every batch runs the queue at least once: none is an empty trace.
	awk -v d="$(grep -c elvx_qrun: $T/trace)" \
		'BEGIN { if (d) printf "%.3f", d / 2048; else print "no-trace" }'
}

t_check "a pattern is written to the memory-backed device" \
	dd if=/dev/urandom of="$slow" bs=4k count=$reads oflag=direct status=none
want=$(dd if="$slow" bs=4k count=$reads iflag=direct status=none | md5sum)

sched_set "$fast" mq-deadline || skip_all "no mq-deadline"
sched_set "$slow" mq-deadline
base_fast=$(kblockd_runs "$fast")
base_slow=$(kblockd_runs "$slow")
sched_set "$fast" none
sched_set "$slow" none
t_log "mq-deadline: kblockd runs per read $base_fast (null_blk), $base_slow (blocking)"

# kernel_mode VAR WHAT BASE: VAR=worker when the kernel hands every read
# to kblockd, VAR=submitter when it hands none; a failed check otherwise.
kernel_mode() {
	local -n m=$1
	m=none
	if ! t_isnum "$3"; then
		t_fail "$2: mq-deadline's kblockd runs per read measured (got '$3')"
	elif awk -v b="$3" 'BEGIN { exit !(b >= 0.9 && b <= 2) }'; then
		t_ok "$2: the kernel hands every read to kblockd ($3 per read)"
		m=worker
	elif awk -v b="$3" 'BEGIN { exit !(b <= 0.05) }'; then
		t_ok "$2: the kernel dispatches from the submitter ($3 per read)"
		m=submitter
	else
		t_fail "$2: mq-deadline's $3 kblockd runs per read: neither every read (6.1) nor none (6.12)"
	fi
}
kernel_mode mode_fast "null_blk" "$base_fast"
kernel_mode mode_slow "blocking null_blk" "$base_slow"
# bounds MODE BASE: where the worker is the kernel's way, every read goes
# through it; where it is not, no more runs than the kernel's own.
bounds() {
	case $1 in
	worker) echo "0.9 2" ;;
	submitter) awk -v b="$2" 'BEGIN { printf "0 %.3f\n", b + 0.05 }' ;;
	*) echo "- -" ;;	# not numbers: the checks fail with them
	esac
}
bounce=$(bounds "$mode_fast" "$base_fast")
bounce_slow=$(bounds "$mode_slow" "$base_slow")
if [ "$mode_fast" = worker ]; then
	direct="0 0.05"		# sync_dispatch 1 avoids what the kernel would do
else
	direct=$bounce
fi

for s in cfq xdeadline; do
	for d in "$fast" "$slow"; do
		t_check "$s selected on ${d#/dev/}" sched_set "$d" "$s"
		t_eq "$s: sync_dispatch defaults to 1" "$(iosched "${d#/dev/}" sync_dispatch)" 1
	done
	t_range "$s, sync_dispatch 1: kblockd runs per read" "$(kblockd_runs "$fast")" $direct
	t_range "$s, sync_dispatch 1, blocking driver: kblockd runs per read" \
		"$(kblockd_runs "$slow")" $bounce_slow
	t_eq "$s, blocking driver: the data reads back" \
		"$(dd if="$slow" bs=4k count=$reads iflag=direct status=none | md5sum)" "$want"
	if [ -e $KP ] && command -v fio >/dev/null; then
		q1=$(queue_runs "$fast")
		iosched "${fast#/dev/}" sync_dispatch 0
		q0=$(queue_runs "$fast")
		t_range "$s, batches of 4: queue runs per I/O with sync_dispatch 1 ($q1) less those with 0 ($q0)" \
			"$(t_isnum "$q1" && t_isnum "$q0" &&
			   awk -v a="$q1" -v b="$q0" 'BEGIN { printf "%.3f", a - b }')" -0.05 0.05
	else
		t_skip "$s, batches of 4: queue runs per I/O (no kprobe events or no fio)"
	fi
	iosched "${fast#/dev/}" sync_dispatch 0
	t_range "$s, sync_dispatch 0: kblockd runs per read" "$(kblockd_runs "$fast")" $bounce
	iosched "${slow#/dev/}" sync_dispatch 0
	t_range "$s, sync_dispatch 0, blocking driver: kblockd runs per read" \
		"$(kblockd_runs "$slow")" $bounce_slow
	for d in "$fast" "$slow"; do sched_set "$d" none; done
done
t_done
