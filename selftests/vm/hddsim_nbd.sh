#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
#
# tools/hddsim serves a simulated rotating disk on /dev/nbd0: it shows up
# rotational with the right size, keeps the data written to it, reads
# sequentially much faster than at random, takes the project's
# schedulers, and stops cleanly with its statistics written.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
need_cmd fio
HDDSIM=$ELVX_TOP/tools/hddsim/hddsim
[ -x "$HDDSIM" ] || skip_all "tools/hddsim/hddsim not built"
modprobe -q nbd || skip_all "no nbd module"
for i in $(seq 50); do [ -b /dev/nbd0 ] && break; sleep 0.1; done
[ -b /dev/nbd0 ] || skip_all "no /dev/nbd0"

tmp=$(mktemp -d)
stats=$tmp/stats
cleanup() {
	"$HDDSIM" --stop /dev/nbd0 >/dev/null 2>&1
	# nbd0 outlives the server: leave it on none, not holding elvx.
	sched_set nbd0 none 2>/dev/null
	[ -n "${ELVX_RESULTS:-}" ] && cp "$stats" "$ELVX_RESULTS/hddsim_nbd.stats" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# fio_bw JOB...: the job's read or write bandwidth in KiB/s.
fio_bw() {
	fio --minimal --eta=never --direct=1 --filename=/dev/nbd0 \
		--ioengine=psync "$@" |
		awk -F';' '{ print $7 + $48 }'
}

dev=$("$HDDSIM" --device /dev/nbd0 --size 4G --stats "$stats" --rt \
	--log-requests "$tmp/log")
t_eq "hddsim starts and prints the device" "$dev" /dev/nbd0
pid=$(cat /sys/block/nbd0/pid 2>/dev/null)
t_eq "the server is a daemon named hddsim" "$(cat /proc/${pid:-0}/comm 2>/dev/null)" hddsim
t_eq "rotational is 1" "$(cat /sys/block/nbd0/queue/rotational)" 1
t_eq "size is 4 GiB" "$(blockdev --getsize64 /dev/nbd0)" $((4 << 30))
t_eq "requests up to 1280 KiB, as on SATA" "$(cat /sys/block/nbd0/queue/max_sectors_kb)" 1280
t_check "a second hddsim on the same device fails" \
	bash -c "! '$HDDSIM' --device /dev/nbd0 --size 1G 2>/dev/null"
t_eq "no write cache: write through" "$(cat /sys/block/nbd0/queue/write_cache)" \
	"write through"
if grep -q '^elvx ' /proc/modules; then
	t_check "the project's schedulers are offered" \
		grep -qw cfq /sys/block/nbd0/queue/scheduler
else
	t_skip "the project's schedulers are offered (elvx not loaded)"
fi
sched_set nbd0 mq-deadline

# Data: written patterns read back verified, sequential and random.
t_check "fio sequential write + verify (crc32c)" \
	fio --name=seqv --filename=/dev/nbd0 --direct=1 --ioengine=libaio \
	    --iodepth=4 --rw=write --bs=64k --offset=1g --size=16M \
	    --verify=crc32c --do_verify=1 --verify_state_save=0 --eta=never \
	    --output=/dev/null
t_check "fio random write + verify (md5) at the end of the disk" \
	fio --name=randv --filename=/dev/nbd0 --direct=1 --ioengine=libaio \
	    --iodepth=8 --rw=randwrite --bs=4k --offset=4000m --size=2M \
	    --verify=md5 --do_verify=1 --verify_state_save=0 --eta=never \
	    --output=/dev/null
head -c 1048576 /dev/urandom > "$tmp/pat"
dd if="$tmp/pat" of=/dev/nbd0 bs=64k seek=100 oflag=direct status=none
dd if=/dev/nbd0 of="$tmp/back" bs=64k skip=100 count=16 iflag=direct status=none
t_check "dd data reads back through a fresh open" cmp "$tmp/pat" "$tmp/back"

# Timing: sequential reads much faster than random ones (ratio only, the
# VM is slow).
seq=$(fio_bw --name=seq --rw=read --bs=128k --offset=2g --size=64M --runtime=8)
rnd=$(fio_bw --name=rnd --rw=randread --bs=4k --size=4g --runtime=8 \
	--time_based --randrepeat=1)
t_log "sequential 128k reads: $seq KiB/s, random 4k reads: $rnd KiB/s"
ratio=$(awk -v s="$seq" -v r="$rnd" 'BEGIN { printf "%.0f", (r > 0) ? s / r : 0 }')
t_range "sequential/random bandwidth ratio" "$ratio" 20 100000
iops=$(awk -v r="$rnd" 'BEGIN { printf "%.0f", r / 4 }')
t_range "random 4k read IOPS of a 7200 rpm disk" "$iops" 25 110

# Requests wait in the scheduler, not in the server: with 32 queued the
# driver sees only a few.
fio --name=qd --filename=/dev/nbd0 --direct=1 --ioengine=libaio --iodepth=32 \
	--rw=randread --bs=4k --size=4g --runtime=4 --time_based --eta=never \
	--output=/dev/null &
fiopid=$!
sleep 2
max=0
for i in $(seq 20); do
	n=$(awk '{ print $1 + $2 }' /sys/block/nbd0/inflight)
	[ "$n" -gt "$max" ] && max=$n
	sleep 0.05
done
wait $fiopid
t_log "at most $max requests in the nbd driver with 32 queued"

"$HDDSIM" --stop /dev/nbd0 >/dev/null 2>&1
t_eq "hddsim --stop succeeds" $? 0
t_check "the server has exited" bash -c "! kill -0 $pid 2>/dev/null || grep -q '^State:.*Z' /proc/$pid/status"
t_check "/dev/nbd0 is disconnected" test ! -e /sys/block/nbd0/pid
t_check "statistics were written" grep -q '^requests: [1-9]' "$stats"
sed -n 's/^\(requests\|seeks\|seek_distance_mean_cyl\|service_ms_mean\|seek_ms_mean\|rotation_ms_mean\|transfer_ms_mean\|late_us_mean\|late_us_p99\|service_error_pct\|cache_hits\|readahead_hits\): */\1=/p' \
	"$stats" | tr '\n' ' ' | sed 's/^/# /; s/$/\n/'
t_check "the request log has one line per request" \
	test "$(grep -vc '^#' "$tmp/log")" -eq "$(sed -n 's/^requests: //p' "$stats")"

# With a queue depth the disk reorders (SPTF): deep random reads go faster
# than at depth 1, under the project's cfq.
qd_iops() {
	"$HDDSIM" --device /dev/nbd0 --size 4G --rt --queue-depth "$1" \
		--cache-mb 0 >/dev/null || return 1
	grep -qw cfq /sys/block/nbd0/queue/scheduler && sched_set nbd0 cfq
	fio --minimal --eta=never --name=ncq --filename=/dev/nbd0 --direct=1 \
		--ioengine=libaio --iodepth=16 --rw=randread --bs=4k --size=4g \
		--runtime=8 --time_based --randrepeat=1 | cut -d';' -f8
	"$HDDSIM" --stop /dev/nbd0
}
# With a write cache the kernel sends flushes, and data still verifies.
"$HDDSIM" --device /dev/nbd0 --size 4G --write-cache-mb 16 >/dev/null
t_eq "--write-cache-mb: write back" "$(cat /sys/block/nbd0/queue/write_cache)" \
	"write back"
t_check "fio random writes with fsync, verified, through the write cache" \
	fio --name=wc --filename=/dev/nbd0 --direct=1 --ioengine=libaio \
	    --iodepth=8 --rw=randwrite --bs=4k --size=8M --fsync=16 \
	    --verify=crc32c --do_verify=1 --verify_state_save=0 --eta=never \
	    --output=/dev/null
"$HDDSIM" --stop /dev/nbd0

q1=$(qd_iops 1)
q8=$(qd_iops 8)
t_log "random 4k reads at iodepth 16: $q1 IOPS at disk queue depth 1, $q8 at 8"
t_range "disk queue depth 8 over depth 1" \
	"$(awk -v a="$q1" -v b="$q8" 'BEGIN { printf "%.2f", (a > 0) ? b / a : 0 }')" 1.2 10
t_done
