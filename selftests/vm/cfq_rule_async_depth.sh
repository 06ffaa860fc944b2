#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
#
# Rule: async requests (write-back) may hold only part of the scheduler
# tags, so that synchronous reads always find some (cfq_limit_depth();
# legacy CFQ had separate request pools).  With nr_requests 32 on a slow
# null_blk that takes one request at a time, the part is 24: a quarter is
# kept (elvx_async_depth(): 32 - 32 / 4, the room of hw_queue_depth + 2
# being less than what is left).  The busy scheduler tags, from blk-mq's
# debugfs hctx0/sched_tags, sampled while a write-back flood runs, must
# reach that part and never pass it; with a sync reader 4 deep beside the
# flood they pass it, by at most the reader's 4.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio

cleanup() {
	nullb_teardown rlad0
	writeback_restore
}
trap cleanup EXIT

dev=$(slow_disk rlad0 32) || skip_all "no null_blk with cfq"
n=${dev#/dev/}
t_eq "nr_requests" "$(cat /sys/block/$n/queue/nr_requests)" 32
part=$((32 - 32 / 4))

# Write-back without pause: the flusher writes dirty pages of the device
# almost as soon as they are made, 8 MiB (64 requests) at most dirty.
writeback_flood

# max_busy: the most busy scheduler tags of 40 samples 0.05 s apart.
max_busy() {
	local i m=
	for i in $(seq 40); do
		m=$(awk -v m="${m:-0}" -F= '$1 == "busy" { if ($2 + 0 > m) m = $2 + 0 }
			END { print m }' /sys/kernel/debug/block/$n/hctx0/sched_tags)
		sleep 0.05
	done
	echo "$m"
}

fio --name=w --filename=$dev --rw=write --bs=64k --offset=256m --size=256m --invalidate=0 \
	--runtime=30 --time_based --eta=never --output=/dev/null &
w=$!
sleep 1
m=$(max_busy)
t_range "write-back alone: most busy tags (the part is $part of 32)" "$m" $((part / 2)) $part

# The reader does not flush the device's cache at start (--invalidate=0):
# that would be sync writes, which may take any tag.
fio --name=r --filename=$dev --rw=randread --bs=4k --direct=1 --ioengine=libaio \
	--iodepth=4 --size=128m --invalidate=0 --runtime=4 --time_based --eta=never \
	--output=/dev/null &
sleep 0.5
m=$(max_busy)
t_range "write-back and a 4-deep sync reader: most busy tags" "$m" $((part + 1)) $((part + 4))
wait %2 2>/dev/null
kill $w 2>/dev/null
wait $w 2>/dev/null
t_done
