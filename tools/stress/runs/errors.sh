# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# errors: injected device errors and timeouts, under cfq and xdeadline.
#   badblocks  null_blk with one bad 4 KiB block (configfs badblocks): a
#              sequential write and a verify pass over it must see as many
#              errors as under "none" (the reference: the scheduler must
#              not change what fails), and a random load through it
#              errors without losing anything else (verified);
#   medium     scsi_debug medium errors (opts=2, sectors 4660-4669): a
#              read pass must see as many errors as under "none";
#   timeouts   scsi_debug drops every Nth command (opts=4, every_nth):
#              the SCSI layer times out (2 s), aborts and retries; the
#              verified load must finish without a lost or bad block;
#   offline    the scsi_debug disk is set offline under load (requests
#              queued in the scheduler and in flight): they fail, the
#              application gets the errors, the queue drains, and once set
#              running again the device works.  (A disk that stops
#              answering altogether, every_nth=-1, takes the SCSI error
#              handler about 30 s of fixed reset settle times before it
#              offlines the device: the 30 s rule would flag the SCSI
#              layer, so the offline state stands in for it.)
#   flakey     dm-flakey over null_blk (up 1 s, down 1 s, errors while
#              down): errors reach the application.
# After each case the device must hold no request (the queue drains).
# null_blk's timeout injection needs CONFIG_FAULT_INJECTION, which
# Debian's kernel lacks: scsi_debug provides the timeouts.
# Figures: errors seen by the applications, SCSI timeouts,
# verify mismatches, undrained queues.

NB=errnb0
SDBG=/sys/bus/pseudo/drivers/scsi_debug
cleanup() {
	DM_DISABLE_UDEV=1 dmsetup remove -f stressflaky >/dev/null 2>&1
	nullb_remove $NB
	sdebug_remove
}

drain_check() {	# DEV WHAT
	if drained "$1" 30; then fig_add drained 1; else
		fig_add undrained 1
		t_fail "$2: requests still held after 30 s"
	fi
}

badblocks() {	# SCHED: the deterministic part; prints "WRITE_ERRORS READ_ERRORS"
	local s=$1 dev w r
	dev=$(nullb_create $NB memory_backed=1 blocksize=4096 size=64) || { t_fail "null_blk"; return; }
	sched_set $NB "$s"
	# sectors 8192-8199: the 4 KiB block at 4 MiB
	echo "+8192-8199" > /sys/kernel/config/nullb/$NB/badblocks
	# One request at a time: a merged request would fail every bio in it.
	fio_run bb-write-$s --name=w --filename="$dev" "${FIO_V[@]}" --iodepth=1 \
		--rw=write --size=8M --do_verify=0 --continue_on_error=io
	w=$fio_errors
	fio_verify bb-verify-$s "$dev" 0 8M --continue_on_error=all --iodepth=1
	r=$fio_errors
	fig_add verify_mismatches "$fio_mismatch"
	[ "$s" = none ] || t_eq "badblocks $s: errors as under none, no mismatch" \
		"$w/$r/$fio_mismatch" "$bb_ref/0"
	[ "$s" = none ] && bb_ref="$w/$r"
	fig_add app_errors $((w + r))
	[ "$s" = none ] && { nullb_remove $NB; return; }
	# Random load across the bad block, iodepth 32.
	fio_prefill bb-fill2-$s "$dev" 16M 16M
	fio_run bb-rand-$s --name=r --filename="$dev" "${FIO_V[@]}" --iodepth=32 \
		--rw=randrw --size=8M --time_based --runtime=$(sc 2 10) \
		--do_verify=0 --continue_on_error=io \
		--name=v --rw=randread --offset=16M --size=16M --verify_only=1 \
		--continue_on_error=verify
	fig_add random_load_errors "$fio_errors"
	fig_add verify_mismatches "$fio_mismatch"
	t_range "badblocks $s: random load hits the bad block" "$fio_errors" 1 1000000
	drain_check $NB "badblocks $s"
	nullb_remove $NB
}

scsi_cases() {	# SCHED [medium]: with "medium", only the medium errors
	local s=$1 d c0 c1 t0 secs
	d=$(sdebug_add dev_size_mb=64 ndelay=100000 medium_error_start=4660 \
		medium_error_count=10) || { t_fail "scsi_debug"; return; }
	sched_set "$d" "$s"
	echo 1 > /sys/block/$d/device/timeout
	echo 1 > /sys/block/$d/device/eh_timeout 2>/dev/null

	# medium errors on reads
	fio_prefill md-fill-$s /dev/$d 0 8M
	echo 2 > $SDBG/opts
	fio_run md-read-$s --name=r --filename=/dev/$d "${FIO_V[@]}" --iodepth=1 \
		--rw=read --size=8M --verify_only=1 --continue_on_error=all
	echo 0 > $SDBG/opts
	fig_add app_errors "$fio_errors"
	fig_add verify_mismatches "$fio_mismatch"
	if [ "$s" = none ]; then
		md_ref=$fio_errors
		t_range "medium none: read errors reach the application" "$fio_errors" 1 16
		sdebug_remove
		return
	fi
	t_eq "medium $s: errors as under none, no mismatch" "$fio_errors/$fio_mismatch" "$md_ref/0"
	drain_check "$d" "medium $s"

	# timeouts, retried
	c0=$(( $(cat /sys/block/$d/device/iotmo_cnt) ))
	fio_prefill to-fill-$s /dev/$d 16M 16M
	echo $(sc 300 200) > $SDBG/every_nth
	echo 4 > $SDBG/opts
	fio_run to-load-$s "${FIO_V[@]}" --filename=/dev/$d --iodepth=8 \
		--time_based --runtime=$(sc 3 20) --continue_on_error=verify \
		--name=vread --rw=randread --offset=16M --size=16M --verify_only=1 \
		--name=vwrite --rw=randwrite --offset=32M --size=16M --verify_backlog=16
	echo 0 > $SDBG/opts
	echo 0 > $SDBG/every_nth
	c1=$(( $(cat /sys/block/$d/device/iotmo_cnt) ))
	fig_add scsi_timeouts $((c1 - c0))
	fig_add verify_mismatches "$fio_mismatch"
	fig_add timeout_app_errors "$fio_errors"
	t_range "timeouts $s: commands timed out" $((c1 - c0)) 1 1000000
	t_eq "timeouts $s: no mismatch, no error (retried)" "$fio_mismatch/$fio_errors" 0/0
	drain_check "$d" "timeouts $s"
	fio_verify to-final-$s /dev/$d 16M 16M
	t_eq "timeouts $s: data intact" "$fio_mismatch/$fio_errors" 0/0

	# offline under load
	if [ "${2:-}" != offline ]; then sdebug_remove; return; fi
	echo 64 > /sys/block/$d/queue/nr_requests
	fio_bg off-$s --name=off --filename=/dev/$d --direct=1 --bs=4k \
		--ioengine=libaio --iodepth=32 --numjobs=2 --rw=randrw --size=16M \
		--time_based --runtime=60 --continue_on_error=io
	sleep 1
	fig_add offline_queued "$(pending "$d")"
	echo offline > /sys/block/$d/device/state
	t0=$(date +%s)
	sleep 2
	kill -INT "${S_BG[off-$s]}" 2>/dev/null
	fio_wait off-$s 30
	secs=$(( $(date +%s) - t0 ))
	fig_add offline_app_errors "$fio_errors"
	t_range "offline $s: the application got errors" "$fio_errors" 1 100000000
	t_range "offline $s: fio ended in time (${secs}s)" "$secs" 0 30
	drain_check "$d" "offline $s"
	echo running > /sys/block/$d/device/state
	t_check "offline $s: the device works again once set running" \
		dd if=/dev/$d of=/dev/null bs=4k count=16 iflag=direct status=none
	sdebug_remove
}

flakey() {	# SCHED
	local s=$1 dev sz
	if ! command -v dmsetup >/dev/null || ! modprobe -q dm-flakey; then
		t_skip "flakey $s: no dmsetup or dm-flakey"; return
	fi
	dev=$(nullb_create $NB memory_backed=1 blocksize=4096 size=64) || { t_fail "null_blk"; return; }
	sched_set $NB "$s"
	sz=$(blockdev --getsz "$dev")
	DM_DISABLE_UDEV=1 dmsetup create stressflaky \
		--table "0 $sz flakey $dev 0 1 1" >/dev/null 2>&1 ||
		{ t_skip "flakey $s: dmsetup create failed"; nullb_remove $NB; return; }
	local dm=/dev/mapper/stressflaky
	[ -b $dm ] || dm=/dev/$(ls /sys/block/$NB/holders/ | head -1)
	fio_run flakey-$s --name=f --filename="$dm" --direct=1 --bs=4k \
		--ioengine=libaio --iodepth=16 --rw=randrw --size=32M \
		--time_based --runtime=$(sc 2 10) --continue_on_error=io
	fig_add flakey_app_errors "$fio_errors"
	fig_add flakey_requests "$fio_ios"
	t_range "flakey $s: errors reach the application" "$fio_errors" 1 100000000
	DM_DISABLE_UDEV=1 dmsetup remove stressflaky >/dev/null 2>&1
	drain_check $NB "flakey $s"
	nullb_remove $NB
}

run() {
	local s bb_ref md_ref
	badblocks none
	scsi_cases none
	for s in cfq xdeadline; do
		badblocks $s
		# quick: the offline device and dm-flakey under cfq only
		if [ $s = cfq ] || [ "$SCALE" = full ]; then
			scsi_cases $s offline
			flakey $s
		else
			scsi_cases $s
		fi
	done
	t_eq "no verify mismatch" "${S_FIG[verify_mismatches]:-0}" 0
	t_eq "every queue drained" "${S_FIG[undrained]:-0}" 0
}
