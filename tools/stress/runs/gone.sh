# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# gone: devices removed under load.
#   queued  null_blk (power off and rmdir through configfs) and scsi_debug
#           (echo 1 > /sys/block/sdX/device/delete) removed while dozens
#           of requests wait in the scheduler (slow completions, a device
#           queue of 2), under cfq and under xdeadline;
#   idle    the same removals under cfq on a rotational device while its
#           idle timer is armed: a sync reader with 50 ms of think time,
#           slice_idle raised to 200 ms, removal as soon as debugfs shows
#           idle_timer=1.
# Each removal must finish, the application must get errors and exit
# within 30 s, and the module's reference count must come back (checked
# by run-one.sh).  Cycles: 1 quick, 5 full.
# Figures: removals, requests queued at removal, removals with the idle
# timer armed, applications that saw an error, slowest removal.

NB=gonenb0
cleanup() {
	nullb_remove $NB
	sdebug_remove
}

# Remove a device; prints the time it took in ms.
remove_dev() {	# KIND NAME
	local t0=$(date +%s%N)
	if [ "$1" = nullb ]; then
		nullb_remove "$2"
	else
		echo 1 > "/sys/block/$2/device/delete"
	fi
	echo $(( ($(date +%s%N) - t0) / 1000000 ))
}

new_dev() {	# KIND MODE: prints the new device's name
	local kind=$1 mode=$2
	if [ $kind = nullb ]; then
		if [ "$mode" = queued ]; then
			nullb_create $NB irqmode=2 completion_nsec=20000000 \
				hw_queue_depth=2 submit_queues=1 >/dev/null || return 1
		else
			nullb_create $NB irqmode=2 completion_nsec=1000000 \
				submit_queues=1 >/dev/null || return 1
		fi
		echo $NB
	else
		if [ "$mode" = queued ]; then
			sdebug_add dev_size_mb=64 delay=5 max_queue=2
		else
			sdebug_add dev_size_mb=64 ndelay=1000000
		fi
	fi
}

idle_armed() { grep -q '^idle_timer=1' "/sys/kernel/debug/block/$1/sched/state" 2>/dev/null; }

# one KIND MODE SCHED: a device, a load, the removal, the checks.
one() {
	local kind=$1 mode=$2 s=$3 d p=0 i ms what armed=0
	what="$kind $mode $s"
	d=$(new_dev $kind $mode) || { t_fail "$what: no device"; return; }
	sched_set "$d" "$s" || { t_fail "$what: select $s"; return; }
	if [ "$mode" = queued ]; then
		echo 64 > "/sys/block/$d/queue/nr_requests"
		fio_bg "$kind-$mode-$s" --filename="/dev/$d" --direct=1 --bs=4k \
			--ioengine=libaio --iodepth=32 --name=load --numjobs=2 \
			--rw=randrw --time_based --runtime=120
		for ((i = 0; i < 50; i++)); do
			p=$(pending "$d")
			[ "$p" -ge 16 ] && break
			sleep 0.1
		done
		fig_add queued_at_removal "$p"
		[ "$p" -ge 1 ] || t_log "$what: nothing queued at removal"
	else
		echo 1 > "/sys/block/$d/queue/rotational"
		# rotational is read when cfq starts: select it again
		sched_set "$d" none; sched_set "$d" "$s"
		[ -e "/sys/block/$d/queue/iosched/slice_idle" ] &&
			echo 200 > "/sys/block/$d/queue/iosched/slice_idle"
		fio_bg "$kind-$mode-$s" --filename="/dev/$d" --direct=1 --bs=4k \
			--ioengine=psync --name=reader --rw=randread \
			--thinktime=50000 --time_based --runtime=120
		for ((i = 0; i < 200; i++)); do
			idle_armed "$d" && { armed=1; break; }
			sleep 0.02
		done
		fig_add removed_idle_armed $armed
	fi
	sleep 0.$((RANDOM % 5))
	ms=$(remove_dev $kind "$d")
	[ "$ms" -le "${S_FIG[removal_max_ms]:-0}" ] || fig removal_max_ms "$ms"
	fig_add removals 1
	fio_wait "$kind-$mode-$s" 30
	if [ "$fio_rc" = 124 ]; then
		t_fail "$what: the application did not exit within 30 s"
	elif [ "$fio_rc" != 0 ] || [ "$fio_errors" != 0 ]; then
		fig_add apps_saw_error 1
	else
		t_log "$what: fio saw no error (exit 0)"
	fi
	[ $kind = sd ] && sdebug_remove
}

run() {
	local c cycles=$(sc 1 5) s n=0 idle=0
	for ((c = 0; c < cycles; c++)); do
		for s in cfq xdeadline; do
			one nullb queued $s
			one sd queued $s
			n=$((n + 2))
		done
		one nullb idle cfq
		one sd idle cfq
		n=$((n + 2)) idle=$((idle + 2))
	done
	t_eq "every removal done" "${S_FIG[removals]:-0}" $n
	t_eq "every application saw an error and exited" "${S_FIG[apps_saw_error]:-0}" $n
	t_range "requests queued in the scheduler at removal" "${S_FIG[queued_at_removal]:-0}" 1 100000
	if [ -e /sys/block/$NB ]; then t_fail "null_blk device left"; fi
	# Informative: how often the timer was caught armed (a race by nature).
	t_log "idle timer armed at $((${S_FIG[removed_idle_armed]:-0})) of $idle idle-case removals"
}
