# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# fuzz: random writes to every tunable in /sys/block/DEV/queue/iosched/
# under cfq and under xdeadline (100 per file quick, 10,000 full), and to
# cfq's cgroup file io.cfq.weight (skipped when absent), all while a
# verified load runs on the device, from a process inside the cgroup.
# Values: decimals, boundaries (0, 2^31, 2^32, 2^64...), signs, leading
# zeros, whitespace, empty writes, hex, floats, junk, random bytes, more
# than a page.  tools/stress/fuzz.py holds the model of a valid write and
# reports every write that breaks it: an invalid value accepted, a valid
# one refused, a value that does not read back as written, a refused
# write that changed something.  Known ranges: the booleans, xdeadline's
# async_depth (1..nr_requests) and io.cfq.weight (1..10000); elsewhere
# the accepted values must form one interval.
# Figures: writes, accepted, refused, model mismatches, load verified.

NB=fznb0
CG=/sys/fs/cgroup/stressfuzz
cleanup() {
	[ -d $CG ] && { cat $CG/cgroup.procs 2>/dev/null | while read -r p; do
		echo "$p" > /sys/fs/cgroup/cgroup.procs; done; rmdir $CG; }
	nullb_remove $NB
}

fuzz_files() {	# TAG ARGS...: run fuzz.py, add its figures
	local tag=$1 out; shift
	out=$(python3 "$S_DIR/fuzz.py" --seed $RANDOM "$@")
	grep '^# mismatch' <<<"$out" | head -10
	grep '^# .*accepted' <<<"$out" | sed "s|/sys/block/$NB/queue/iosched/||; s|^# |# $tag |"
	local files=0 writes=0 accepted=0 refused=0 mismatches=1
	eval "$(tail -1 <<<"$out" | grep -o '[a-z]*=[0-9]*')"
	fig_add writes "$writes"
	fig_add accepted "$accepted"
	fig_add refused "$refused"
	fig_add model_mismatches "$mismatches"
	t_eq "$tag: every write follows the model ($files files, $writes writes)" "$mismatches" 0
}

run() {
	local dev s files n=$(sc 100 10000) secs args
	dev=$(nullb_create $NB memory_backed=1 blocksize=4096 size=128 \
		submit_queues=2) || { t_fail "null_blk"; return; }
	echo "+io" > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
	mkdir -p $CG
	secs=$(sc 600 3600)
	for s in cfq xdeadline; do
		sched_set $NB $s || { t_fail "select $s"; continue; }
		fio_prefill fill-$s "$dev" 0 32M
		# The load runs inside the cgroup.
		bash -c "echo \$\$ > $CG/cgroup.procs && exec fio --output-format=json \
			--output=$S_OUT/load-$s.json --verify_state_save=0 \
			--direct=1 --bs=4k --ioengine=libaio --verify=crc32c \
			--iodepth=16 --filename=$dev --time_based --runtime=$secs \
			--continue_on_error=verify \
			--name=vread --rw=randread --size=32M --verify_only=1 \
			--name=vwrite --rw=randwrite --offset=32M --size=32M \
			--verify_backlog=16" > /dev/null 2> "$S_OUT/load-$s.err" &
		S_BG[load-$s]=$!
		sleep 1

		files=(/sys/block/$NB/queue/iosched/*)
		args=(--range front_merges=0:1 --range low_latency=0:1)
		[ $s = xdeadline ] && args+=(--range "async_depth=1:$(cat /sys/block/$NB/queue/nr_requests)")
		fig_add tunables ${#files[@]}
		t_log "$s: ${#files[@]} tunables: $(cd /sys/block/$NB/queue/iosched && echo *)"
		fuzz_files "$s sysfs" --writes "$n" "${args[@]}" "${files[@]}"
		if [ $s = xdeadline ]; then
			# Self-check: claim fifo_batch only takes 1..10; the values
			# above that the kernel accepts must be reported.
			local sc_out
			sc_out=$(python3 "$S_DIR/fuzz.py" --seed 7 --writes 100 --show 0 \
				--range fifo_batch=1:10 /sys/block/$NB/queue/iosched/fifo_batch | tail -1)
			fig canary_mismatches "$(sed 's/.*mismatches=//' <<<"$sc_out")"
			t_range "self-check: the model flags a wrong range" "${S_FIG[canary_mismatches]}" 1 100
		fi

		if [ $s = cfq ]; then
			if [ -e $CG/io.cfq.weight ]; then
				fuzz_files "io.cfq.weight" --cgroup --writes $(sc 300 10000) \
					--devnum "$(cat /sys/block/$NB/dev)" \
					--range io.cfq.weight=1:10000 $CG/io.cfq.weight
			else
				t_skip "io.cfq.weight: not present (no cgroup support in this module)"
			fi
		fi

		kill -INT "${S_BG[load-$s]}"
		fio_wait load-$s 60
		fig_add load_requests "$fio_ios"
		fig_add verify_mismatches "$fio_mismatch"
		fig_add io_errors "$fio_errors"
		t_eq "$s: load under fuzzing: no mismatch, no error" "$fio_mismatch/$fio_errors" 0/0
		fio_verify final-$s "$dev" 0 32M
		t_eq "$s: data intact" "$fio_mismatch/$fio_errors" 0/0
	done
}
