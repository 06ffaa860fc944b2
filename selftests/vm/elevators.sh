#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
#
# Both elevators register, show up on every block device, can be selected
# and switched under I/O without losing or corrupting data, and the module
# refuses to unload while in use and unloads cleanly afterwards.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root

dev=$(nullb_create elvx0 blocksize=4096 memory_backed=1 size=256) || skip_all "no null_blk"
trap 'nullb_remove elvx0' EXIT
n=${dev#/dev/}

avail=$(cat /sys/block/$n/queue/scheduler)
t_log "schedulers: $avail"
for s in cfq xdeadline; do
	t_check "$s is offered by $n" grep -qw "$s" <<<"$avail"
	t_check "$s can be selected" sched_set "$n" "$s"
	t_eq "$s is the active scheduler" "$(sched_get "$n")" "$s"
done

# Write a pattern, then read and compare it while the scheduler is switched
# between every elevator in a loop.
fio_common=(--filename="$dev" --direct=1 --bs=4k --ioengine=libaio --iodepth=16
	    --size=64M --output=/dev/null)
sched_set "$n" cfq
t_check "fio writes a verifiable pattern under cfq" \
	fio --name=fill --rw=randwrite "${fio_common[@]}" --verify=crc32c \
	    --do_verify=0 --verify_state_save=0
(
	for i in $(seq 30); do
		for s in none mq-deadline cfq xdeadline bfq kyber; do
			grep -qw "$s" /sys/block/$n/queue/scheduler || continue
			sched_set "$n" "$s" || exit 1
			sleep 0.05
		done
	done
) &
switcher=$!
t_check "fio reads back and verifies while schedulers switch" \
	fio --name=check --rw=randread "${fio_common[@]}" --verify=crc32c \
	    --verify_only=1 --verify_state_save=0 --loops=20
wait $switcher
t_eq "every switch succeeded" $? 0

# rmmod while a device uses cfq is refused; after switching away it works.
sched_set "$n" cfq
if rmmod elvx 2>/dev/null; then t_fail "rmmod refused while cfq is in use"; else t_ok "rmmod refused while cfq is in use"; fi
t_eq "cfq still active after the refused rmmod" "$(sched_get "$n")" cfq
t_check "I/O still works after the refused rmmod" \
	dd if="$dev" of=/dev/null bs=4k count=256 iflag=direct status=none
sched_set "$n" none
t_check "rmmod succeeds once no device uses elvx" rmmod elvx
t_check "cfq is gone from the list after rmmod" bash -c "! grep -qw cfq /sys/block/$n/queue/scheduler"
t_check "insmod again" insmod "$ELVX_TOP/module/elvx.ko"
t_check "cfq is back" grep -qw cfq /sys/block/$n/queue/scheduler
t_done
