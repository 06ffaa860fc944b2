# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# churn: short-lived processes, under cfq and under xdeadline, on a
# rotational null_blk (so that cfq idles for each process):
#   - tools/stress/churn: processes that each write, read back and check
#     their own blocks with O_DIRECT and change their I/O priority (BE
#     levels, NONE) between requests (150 quick, 3000 full per scheduler);
#   - the same with 4 CLONE_IO threads per process, sharing its I/O
#     context and exiting at different times (30 / 600 processes);
#   - dd if=DEV iflag=direct processes (50 / 1000);
#   - meanwhile a fio job (2 processes, verified writes) whose processes
#     get ionice -p changes all the time (RT, BE levels, NONE);
#   - then, without the fio job, churn processes with every class, RT and
#     IDLE included (50 / 500).
# IDLE is kept out of the passes with a constant load: CFQ serves the IDLE
# class only once the others are quiet, so under a load that never stops
# an IDLE request waits without bound, by design, not by bug.
# Figures: processes, CLONE_IO threads, requests, priority changes (own and
# ionice -p), I/O errors, mismatches.  A self-check (-X) corrupts one
# block: churn's final check must find it.

NB=chnb0
CHURN=$S_DIR/churn
cleanup() { nullb_remove $NB; }

churn_run() {	# TAG ARGS...: run churn, add its figures
	local tag=$1 out procs=0 threads=0 ios=0 errors=0 mismatches=0
	local final_mismatches=0 ioprio_changes=0 failed_procs=0 max_lat_ms=0 secs=0
	shift
	out=$("$CHURN" "$@" 2> "$S_OUT/$tag.err")
	echo "# $tag: $out"
	[ -n "$out" ] || failed_procs=1
	eval "$(grep -o '[a-z_]*=[0-9.]*' <<<"$out")"
	fig_add processes "$procs"
	fig_add clone_io_threads "$threads"
	fig_add requests "$ios"
	fig_add io_errors "$errors"
	fig_add mismatches $((mismatches + final_mismatches))
	fig_add ioprio_set "$ioprio_changes"
	fig_add failed_processes "$failed_procs"
	[ "$max_lat_ms" -le "${S_FIG[max_lat_ms]:-0}" ] || fig max_lat_ms "$max_lat_ms"
	head -3 "$S_OUT/$tag.err" | sed 's/^/# /'
}

dd_churn() {	# DEV N: N dd processes, 4 at a time
	local dev=$1 n=$2 i p fail=0 pids=()
	for ((i = 0; i < n; i++)); do
		dd if="$dev" of=/dev/null bs=4k count=4 skip=$((RANDOM % 4096)) \
			iflag=direct status=none &
		pids+=($!)
		if [ ${#pids[@]} = 4 ] || [ $i = $((n - 1)) ]; then
			for p in "${pids[@]}"; do wait "$p" || fail=$((fail + 1)); done
			pids=()
		fi
	done
	fig_add dd_processes "$n"
	fig_add dd_failures "$fail"
}

renice_fio() {	# change the class and level of the fio workers
	local p ok=0
	for p in $(ps -o pid= --ppid "${S_BG[bg]}" 2>/dev/null); do
		case $((RANDOM % 4)) in
		0) ionice -c 1 -n $((RANDOM % 8)) -p "$p" ;;
		1) ionice -c 0 -p "$p" ;;
		*) ionice -c 2 -n $((RANDOM % 8)) -p "$p" ;;
		esac 2>/dev/null && ok=1
	done
	sleep 0.1
	[ $ok = 1 ]
}

run() {
	[ -x "$CHURN" ] || { t_fail "tools/stress/churn is not built (make -C tools)"; return; }
	local dev s n=$(sc 150 3000) nt=$(sc 30 600) nd=$(sc 50 1000) na=$(sc 50 500)
	dev=$(nullb_create $NB memory_backed=1 blocksize=4096 size=128 \
		submit_queues=2) || { t_fail "null_blk"; return; }
	echo 1 > /sys/block/$NB/queue/rotational

	for s in cfq xdeadline; do
		sched_set $NB $s || { t_fail "select $s"; continue; }
		fio_bg bg "${FIO_V[@]}" --filename="$dev" --ioengine=psync \
			--name=bg --numjobs=2 --rw=randwrite --offset=64M --size=32M \
			--offset_increment=32M --verify_backlog=8 --time_based \
			--runtime=3600 --continue_on_error=verify
		sleep 1
		start_loop ionice renice_fio
		churn_run "$s-procs" -f "$dev" -n "$n" -j 8 -k 2 -S $RANDOM
		churn_run "$s-threads" -f "$dev" -n "$nt" -j 4 -t 4 -k 2 -S $RANDOM
		dd_churn "$dev" "$nd"
		stop_loop ionice
		fig_add ionice_changes "$loop_ok"
		kill -INT "${S_BG[bg]}"
		fio_wait bg 60
		fig_add requests "$fio_ios"
		fig_add io_errors "$fio_errors"
		fig_add mismatches "$fio_mismatch"
		churn_run "$s-classes" -f "$dev" -n "$na" -j 8 -t 1 -k 2 -R -S $RANDOM
		[ $s = cfq ] && t_log "cfq state: $(tr '\n' ' ' < /sys/kernel/debug/block/$NB/sched/state 2>/dev/null | cut -c1-300)"
	done
	t_range "processes" "${S_FIG[processes]:-0}" $((2 * (n + nt + na))) $((2 * (n + nt + na)))
	t_range "CLONE_IO threads" "${S_FIG[clone_io_threads]:-0}" $((8 * nt + 2 * na)) $((8 * nt + 2 * na))
	t_range "ionice -p changes" "${S_FIG[ionice_changes]:-0}" 1 100000000
	t_eq "no failed process" "${S_FIG[failed_processes]:-0}" 0
	t_eq "no dd failure" "${S_FIG[dd_failures]:-0}" 0
	t_eq "no I/O error" "${S_FIG[io_errors]:-0}" 0
	t_eq "no mismatch" "${S_FIG[mismatches]:-0}" 0

	# Self-check of the mismatch detection.
	local out
	out=$("$CHURN" -f "$dev" -n 8 -j 2 -X 2>/dev/null)
	fig canary_mismatches "$(sed 's/.*final_mismatches=\([0-9]*\).*/\1/' <<<"$out")"
	t_eq "self-check: churn finds the block corrupted on purpose" "${S_FIG[canary_mismatches]}" 1
}
