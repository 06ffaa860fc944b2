#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
#
# sync_dispatch: with 1 (the default), a request submitted outside a plug
# is dispatched by the submitting task; with 0, by a kblockd worker, as the
# block layer does for every elevator.  A driver that may sleep in
# dispatch (BLK_MQ_F_BLOCKING, here a memory-backed null_blk) keeps the
# worker either way.  One synchronous O_DIRECT read at a time (dd: no
# plug on 6.1); the block layer's queue runs in kblockd are counted with the
# workqueue_execute_start tracepoint.
#
# What the kernel itself does is measured first with mq-deadline: 6.1
# sends every unplugged request of an elevator to kblockd, so there the
# worker's runs are expected with sync_dispatch 0 and on the blocking
# driver, and none with 1.  A kernel that already runs such a queue from
# the submitter (6.12's __submit_bio() plugs every bio)
# must see no more worker runs with our elevators than with mq-deadline.
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

# kblockd queue runs per read over $reads reads of DEV, as a decimal.
kblockd_runs() {	# DEV
	echo > $T/trace
	echo 1 > $T/tracing_on
	dd if="$1" of=/dev/null bs=4k count=$reads iflag=direct status=none
	echo 0 > $T/tracing_on
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
	awk -v d="$(grep -c elvx_qrun: $T/trace)" 'BEGIN { printf "%.3f", d / 2048 }'
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
if awk -v b="$base_fast" 'BEGIN { exit !(b >= 0.9) }'; then
	bounce="0.9 2"		# the kernel hands each request to kblockd
	bounce_slow="0.9 2"
else
	bounce="0 $(awk -v b="$base_fast" 'BEGIN { printf "%.3f", b + 0.05 }')"
	bounce_slow="0 $(awk -v b="$base_slow" 'BEGIN { printf "%.3f", b + 0.05 }')"
fi

for s in cfq xdeadline; do
	for d in "$fast" "$slow"; do
		t_check "$s selected on ${d#/dev/}" sched_set "$d" "$s"
		t_eq "$s: sync_dispatch defaults to 1" "$(iosched "${d#/dev/}" sync_dispatch)" 1
	done
	t_range "$s, sync_dispatch 1: kblockd runs per read" "$(kblockd_runs "$fast")" 0 0.05
	t_range "$s, sync_dispatch 1, blocking driver: kblockd runs per read" \
		"$(kblockd_runs "$slow")" $bounce_slow
	t_eq "$s, blocking driver: the data reads back" \
		"$(dd if="$slow" bs=4k count=$reads iflag=direct status=none | md5sum)" "$want"
	if [ -e $KP ] && command -v fio >/dev/null; then
		q1=$(queue_runs "$fast")
		iosched "${fast#/dev/}" sync_dispatch 0
		q0=$(queue_runs "$fast")
		t_range "$s, batches of 4: queue runs per I/O with sync_dispatch 1 ($q1) less those with 0 ($q0)" \
			"$(awk -v a="$q1" -v b="$q0" 'BEGIN { printf "%.3f", a - b }')" -0.05 0.05
	else
		t_skip "$s, batches of 4: queue runs per I/O (no kprobe events or no fio)"
	fi
	iosched "${fast#/dev/}" sync_dispatch 0
	t_range "$s, sync_dispatch 0: kblockd runs per read" "$(kblockd_runs "$fast")" $bounce
	for d in "$fast" "$slow"; do sched_set "$d" none; done
done
t_done
