#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 150
#
# FIFO expiry bounds a request's wait.  One process reads at random with
# 99% of its requests in the first 1% of the disk: cfq's nearest-first
# order leaves the others (far ahead of the head) waiting while nearer ones
# keep coming.  With fifo_expire_sync at 1 hour they wait seconds; with
# the default 125 ms their wait is bounded by about fifo_expire_sync plus a
# slice; with 1000 ms by about a second plus a slice.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio
need_cmd jq

dev=$(slow_disk cfqfifo0) || skip_all "no null_blk with cfq"
trap 'nullb_teardown cfqfifo0' EXIT

# max_wait FIFO_EXPIRE_MS: the longest completion latency in ms
max_wait() {
	local out=/tmp/cfq_fifo.json
	iosched $dev fifo_expire_sync $1
	fio --output-format=json --output=$out --name=skewed --filename=$dev \
	    --direct=1 --ioengine=libaio --iodepth=32 --rw=randread --bs=4k \
	    --random_distribution=zoned:99/1:1/99 --runtime=8 --time_based \
	    >/dev/null 2>&1
	jq '.jobs[0].read.clat_ns.max / 1000000 | floor' $out 2>/dev/null
}

w=$(max_wait 3600000)
t_log "fifo_expire_sync 1 h: longest wait ${w:-?} ms"
t_range "without FIFO expiry, far requests starve (ms)" "${w:-0}" 2000 1000000

w=$(max_wait 125)
t_log "fifo_expire_sync 125 ms: longest wait ${w:-?} ms"
t_range "fifo_expire_sync 125 ms bounds the wait (ms)" "${w:-99999}" 1 700

w=$(max_wait 1000)
t_log "fifo_expire_sync 1000 ms: longest wait ${w:-?} ms"
t_range "fifo_expire_sync 1000 ms bounds the wait (ms)" "${w:-99999}" 900 1700
t_done
