# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# switch: every scheduler (none, mq-deadline, bfq, kyber, cfq, xdeadline)
# switched in a random loop, for 12 s (quick) or 120 s, on two devices (null_blk, multi-queue; and
# scsi_debug, a SCSI disk with one queue) under mixed load:
#   - verified random reads of a pattern written before (2 jobs),
#   - random writes each read back and checked soon after (verify_backlog),
#   - buffered writes through the page cache (async writeback, fsync),
# then every region is read back and checked with direct I/O.
# Figures: switches, failed switches, requests, verify mismatches, I/O
# errors.  A self-check then corrupts one block on purpose: the verify
# pass must count exactly one mismatch.

NB=swnb0
cleanup() {
	nullb_remove $NB
	sdebug_remove
}

# load TAG DEV SIZE_MB SECONDS: the mixed load on DEV, in three regions.
load() {
	local tag=$1 dev=$2 r=$(( $3 / 4 ))
	# Every block of the three regions gets a verifiable pattern first: a
	# time-based random or sequential pass may not reach them all.
	fio_prefill "$tag-fill" "$dev" 0 "$((3 * r))M" || t_fail "$tag: prefill"
	fio_bg "$tag" "${FIO_V[@]}" --filename="$dev" --iodepth=8 \
		--time_based --runtime="$4" --continue_on_error=verify \
		--name=vread --numjobs=2 --rw=randread --offset=0 --size="${r}M" \
		--verify_only=1 \
		--name=vwrite --numjobs=1 --rw=randwrite --offset="${r}M" --size="${r}M" \
		--verify_backlog=16 \
		--name=buffered --numjobs=1 --direct=0 --ioengine=psync --rw=write \
		--offset=$((2 * r))M --size="${r}M" --fsync=64 --verify_backlog=64
}

# account TAG: add a finished fio run to the figures.
account() {
	fig_add requests "$fio_ios"
	fig_add verify_mismatches "$fio_mismatch"
	fig_add io_errors "$fio_errors"
	[ "$fio_json" = 1 ] || t_fail "$1: fio wrote no results (exit $fio_rc)"
}

switch_once() {
	local d=$1 s avail
	avail=($(all_scheds "$d"))
	s=${avail[RANDOM % ${#avail[@]}]}
	sched_set "$d" "$s" 2>/dev/null || return 1
	sleep 0.0$((RANDOM % 5))
}

run() {
	local nb sd secs=$(sc 12 120) mb=$(sc 64 256)
	nb=$(nullb_create $NB memory_backed=1 blocksize=4096 size=$mb \
		submit_queues=2 hw_queue_depth=32) || { t_fail "null_blk"; return; }
	sd=$(sdebug_add dev_size_mb=$mb ndelay=50000 max_queue=32) || sd=""
	t_log "devices: $nb ${sd:+/dev/$sd}; schedulers: $(all_scheds $nb | xargs)"

	load nb "$nb" $mb "$secs"
	[ -n "$sd" ] && load sd "/dev/$sd" $mb "$secs"
	start_loop nb switch_once $NB
	[ -n "$sd" ] && start_loop sd switch_once "$sd"

	fio_wait nb $((secs + 60)); account nb
	stop_loop nb; fig_add switches "$loop_ok"; fig_add switch_failures "$loop_fail"
	if [ -n "$sd" ]; then
		fio_wait sd 60; account sd
		stop_loop sd; fig_add switches "$loop_ok"; fig_add switch_failures "$loop_fail"
	fi

	# Everything once more with direct reads, from a fixed scheduler.
	local d r tag
	for d in $nb ${sd:+/dev/$sd}; do
		tag=${d##*/}; r=$((mb / 4))
		sched_set "$d" cfq
		fio_verify "final-$tag" "$d" 0 "$((3 * r))M"
		account "final-$tag"
	done

	t_range "switches under load" "${S_FIG[switches]:-0}" "$(sc 5 20)" 1000000
	t_eq "no failed switch" "${S_FIG[switch_failures]:-0}" 0
	t_eq "no verify mismatch" "${S_FIG[verify_mismatches]:-0}" 0
	t_eq "no I/O error" "${S_FIG[io_errors]:-0}" 0

	# Self-check: one corrupted block must be found, and only that one.
	dd if=/dev/urandom of="$nb" bs=4k seek=7 count=1 oflag=direct conv=notrunc status=none
	fio_verify canary "$nb" 0 "$((mb / 4))M"
	fig canary_mismatches "$fio_mismatch"
	t_eq "self-check: the verify pass finds one corrupted block" "$fio_mismatch" 1
}
