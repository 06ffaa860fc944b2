#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 150
#
# Merges in xdeadline, on a slow null_blk device (2 tags, 20 ms) so that
# requests wait in the scheduler, with one bio per io_submit (no plug, so
# the block layer's plug merging stays out of the way):
#  - a forward sequential stream is back-merged (through the elevator
#    hash) whatever front_merges is;
#  - a backward sequential stream is front-merged (through the sort tree)
#    only when front_merges is 1.
# The scheduler's write_dispatched counter (debugfs) against fio's count
# of writes tells how many bios each dispatched request carried.
#
# The default scheduler tags (4, twice the 2 driver tags) and async_depth:
# writes must still find one request waiting in the scheduler to merge
# into, with both driver tags busy and one request parked on the hardware
# queue's dispatch list (3/4 of the tags counted exactly, as 6.12.43 and
# later do, left none: 1.00 bios per request).
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio
need_cmd jq

name=xdmrg0
dev=$(xd_disk $name) || skip_all "no null_blk with xdeadline"
out=$(mktemp -d)
trap 'nullb_teardown $name; rm -rf "$out"' EXIT
t_eq "async_depth keeps no reserve on 4 tags over 2" "$(iosched $name async_depth)" 4
stats=/sys/kernel/debug/block/$name/sched/stats
[ -r "$stats" ] || skip_all "no debugfs sched/stats"

# bios_per_request FRONT_MERGES RW: fio writes per dispatched request
bios_per_request() {
	local d0 d1 w
	iosched $name front_merges "$1"
	d0=$(sched_stats $name write_dispatched)
	fio --name=m --filename="$dev" --direct=1 --bs=4k --ioengine=libaio \
		--iodepth=32 --iodepth_batch_submit=1 --iodepth_batch_complete_max=1 \
		--rw="$2" --offset=512m --size=256m --time_based --runtime=4 \
		--output-format=json --output="$out/m.json" >/dev/null 2>&1
	d1=$(sched_stats $name write_dispatched)
	w=$(jq '.jobs[0].write.total_ios' "$out/m.json")
	awk -v w="$w" -v d=$((d1 - d0)) 'BEGIN { printf "%.2f", d ? w / d : 0 }'
}

for fm in 1 0; do
	v=$(bios_per_request $fm write)
	t_log "front_merges $fm, forward stream: $v bios per request"
	t_range "front_merges $fm: forward stream back-merged (bios per request)" "$v" 4 1000
done
v=$(bios_per_request 1 write:-8k)
t_log "front_merges 1, backward stream: $v bios per request"
t_range "front_merges 1: backward stream front-merged (bios per request)" "$v" 4 1000
v=$(bios_per_request 0 write:-8k)
t_log "front_merges 0, backward stream: $v bios per request"
t_range "front_merges 0: backward stream not merged (bios per request)" "$v" 0.9 1.1
t_done
