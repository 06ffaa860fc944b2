# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# modload: insmod and rmmod cycles.
#   1. Cycles (3 quick, 40 full): with a device on cfq, then on xdeadline,
#      rmmod must be refused and the device keep its scheduler and work;
#      once the device is on none, rmmod must succeed, cfq and xdeadline
#      leave the scheduler list, and insmod brings them back.
#   2. Races (6 s quick, 60 s full): a loop of rmmod/insmod against a
#      loop switching the device between none, cfq, xdeadline and
#      mq-deadline, under verified I/O.  A switch to an elevator of an
#      unloaded module may fail (counted), nothing else may.
# Figures: loads, unloads, refused unloads, switches, I/O errors, verify
# mismatches.

NB=mlnb0
cleanup() {
	ensure_module
	sched_set $NB none 2>/dev/null
	nullb_remove $NB
}

unload() { rmmod elvx 2>/dev/null; }

load() { insmod "$S_TOP/module/elvx.ko" 2>/dev/null; }

io_works() { dd if="$1" of=/dev/null bs=4k count=64 iflag=direct status=none; }

race_switch() {
	local s=(none cfq xdeadline mq-deadline)
	sched_set $NB "${s[RANDOM % 4]}" 2>/dev/null
}

race_mod() {
	if [ -d /sys/module/elvx ]; then
		if unload; then echo u >> "$S_OUT/race"; else echo r >> "$S_OUT/race"; fi
	else
		load && echo l >> "$S_OUT/race"
	fi
	sleep 0.0$((RANDOM % 10))
}

run() {
	local dev i s bad=0 cycles=$(sc 3 40) loads=0 unloads=0 refused=0
	dev=$(nullb_create $NB memory_backed=1 blocksize=4096 size=64) ||
		{ t_fail "null_blk"; return; }
	fio_prefill fill "$dev" 0 32M

	for ((i = 0; i < cycles; i++)); do
		ensure_module
		for s in cfq xdeadline; do
			sched_set $NB $s || { bad=$((bad + 1)); continue; }
			if unload; then
				bad=$((bad + 1)); t_log "cycle $i: rmmod while $s in use succeeded"
				load
				continue
			fi
			refused=$((refused + 1))
			[ "$(sched_get $NB)" = $s ] || { bad=$((bad + 1)); t_log "cycle $i: $s lost"; }
			io_works "$dev" || { bad=$((bad + 1)); t_log "cycle $i: I/O failed under $s"; }
		done
		sched_set $NB none
		if unload; then unloads=$((unloads + 1)); else bad=$((bad + 1)); t_log "cycle $i: rmmod refused on none"; fi
		if has_sched $NB cfq || has_sched $NB xdeadline; then
			bad=$((bad + 1)); t_log "cycle $i: elevators listed after rmmod"
		fi
		io_works "$dev" || { bad=$((bad + 1)); t_log "cycle $i: I/O failed without the module"; }
		if load; then loads=$((loads + 1)); else bad=$((bad + 1)); t_log "cycle $i: insmod failed"; fi
		has_sched $NB cfq && has_sched $NB xdeadline ||
			{ bad=$((bad + 1)); t_log "cycle $i: elevators missing after insmod"; }
	done
	fig cycles "$cycles"
	t_eq "cycles: rmmod refused while in use, clean otherwise ($refused refused, $unloads unloads, $loads loads)" \
		"$bad" 0

	# Races between module unload and elevator switches, under I/O.
	: > "$S_OUT/race"
	local secs=$(sc 6 60)
	fio_bg race "${FIO_V[@]}" --filename="$dev" --iodepth=8 --time_based \
		--runtime="$secs" --continue_on_error=verify \
		--name=vread --rw=randread --offset=0 --size=32M --verify_only=1 \
		--name=vwrite --rw=randwrite --offset=32M --size=32M --verify_backlog=16
	start_loop sw race_switch
	start_loop mod race_mod
	fio_wait race $((secs + 60))
	stop_loop mod
	stop_loop sw
	fig_add switches "$loop_ok"
	fig race_switch_refused "$loop_fail"
	ensure_module
	loads=$((loads + $(grep -c l "$S_OUT/race")))
	unloads=$((unloads + $(grep -c u "$S_OUT/race")))
	refused=$((refused + $(grep -c r "$S_OUT/race")))
	fig loads $loads
	fig unloads $unloads
	fig refused_unloads $refused
	fig_add requests "$fio_ios"
	fig verify_mismatches "$fio_mismatch"
	fig io_errors "$fio_errors"
	t_range "module unloaded during the races" "$(grep -c u "$S_OUT/race")" 1 1000000
	t_eq "no verify mismatch" "$fio_mismatch" 0
	t_eq "no I/O error" "$fio_errors" 0

	sched_set $NB cfq
	fio_verify final "$dev" 0 32M
	t_eq "prefilled data intact after the races" "$fio_mismatch" 0
	t_check "the device still works" io_works "$dev"
}
