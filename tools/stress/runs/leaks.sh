# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# leaks: cycles (2 quick, 10 full) of everything that makes the module
# allocate, then a full teardown, measuring after each cycle:
#   - two devices (null_blk on cfq, scsi_debug on xdeadline), switched
#     between the two and back;
#   - cgroups (5 / 20) each with a process doing I/O on the cfq device
#     (cfq groups), when the module has io.cfq.weight;
#   - churn processes with CLONE_IO threads (io_cq and queues);
#   - once every process has exited, cfq must show no busy queue and no
#     queued request (debugfs state), and no queue on its service trees;
#   - after the teardown, the module's slab objects must be back to the
#     baseline, SUnreclaim within $LEAK_KB, the reference count 0.
#   - debugfs elvx/alive, the module's count of the queues and groups it
#     has allocated and not freed, must read 0 after the teardown.
# SLUB may merge the module's
# caches with others of the same size (Debian's kernel does, and the VM
# cannot boot with slub_nomerge): then the objects counted are the shared
# cache's, and the comparison allows a little noise (64 objects).
# Figures: cycles, peak objects, objects and SUnreclaim after each cycle.

NB=lknb0
CGR=/sys/fs/cgroup/stressleak
cleanup() {
	local c
	for c in $CGR/*/; do
		[ -d "$c" ] || continue
		while read -r p; do kill -KILL "$p" 2>/dev/null; done < "$c/cgroup.procs"
	done
	sleep 0.5
	for c in $CGR/*/; do [ -d "$c" ] && rmdir "$c"; done
	[ -d $CGR ] && rmdir $CGR
	nullb_remove $NB
	sdebug_remove
}

objs() { leak_snap | sed 's/.*objs=\([0-9]*\).*/\1/'; }

cycle() {	# N
	local i=$1 nb sd k pids=() st q peak
	nb=$(nullb_create $NB memory_backed=1 blocksize=4096 size=64 submit_queues=2) ||
		{ t_fail "cycle $i: null_blk"; return; }
	sd=$(sdebug_add dev_size_mb=32 ndelay=20000) || { t_fail "cycle $i: scsi_debug"; return; }
	sched_set $NB cfq; sched_set "$sd" xdeadline
	sched_set $NB xdeadline; sched_set "$sd" cfq
	sched_set $NB cfq; sched_set "$sd" xdeadline

	if [ -e /sys/fs/cgroup/cgroup.subtree_control ]; then
		echo "+io" > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
		mkdir -p $CGR
		echo "+io" > $CGR/cgroup.subtree_control 2>/dev/null
		for ((k = 0; k < $(sc 5 20); k++)); do
			mkdir -p $CGR/g$k
			if [ -e $CGR/g$k/io.cfq.weight ]; then
				echo $((k * 50 + 10)) > $CGR/g$k/io.cfq.weight
				fig_add cgroups_weighted 1
			fi
			bash -c "echo \$\$ > $CGR/g$k/cgroup.procs &&
				exec dd if=$nb of=/dev/null bs=4k count=64 skip=$((k * 64)) iflag=direct status=none" &
			pids+=($!)
		done
	fi
	# A process that keeps its queue (and io_cq) while it lives: one
	# direct read, then a nap.
	python3 -c "import mmap, os, time
fd = os.open('$nb', os.O_RDONLY | os.O_DIRECT)
os.preadv(fd, [mmap.mmap(-1, 4096)], 0)
time.sleep(6)" &
	pids+=($!)
	"$S_DIR/churn" -f "$nb" -n $(sc 60 400) -j 8 -t 3 -k 1 -S $RANDOM > "$S_OUT/churn-$i.out" 2>&1 &
	pids+=($!)
	"$S_DIR/churn" -f "/dev/$sd" -n $(sc 30 200) -j 4 -t 2 -k 1 -S $RANDOM > "$S_OUT/churn-sd-$i.out" 2>&1 &
	pids+=($!)
	sleep 1
	peak=$(objs)
	[ "$peak" -le "${S_FIG[peak_objs]:-0}" ] || fig peak_objs "$peak"
	# The alive counters count: queues (the napping reader's, churn's)
	# and groups (the cgroups).
	for ((k = 0; k < 10; k++)); do
		q=$(awk '$1 == "cfq_queues" { print $2 }' /sys/kernel/debug/elvx/alive 2>/dev/null)
		[ "${q:-0}" -le "${S_FIG[peak_alive_queues]:-0}" ] || fig peak_alive_queues "$q"
		q=$(awk '$1 == "cfq_groups" { print $2 }' /sys/kernel/debug/elvx/alive 2>/dev/null)
		[ "${q:-0}" -le "${S_FIG[peak_alive_groups]:-0}" ] || fig peak_alive_groups "$q"
		sleep 0.2
	done
	for k in "${pids[@]}"; do wait "$k" || t_fail "cycle $i: a process failed"; done

	# Every process is gone: nothing busy, nothing queued.
	drained $NB 10
	st=/sys/kernel/debug/block/$NB/sched/state
	if [ -r $st ]; then
		q=$(sed -n 's/^busy_queues=//p; s/^rq_queued=//p' $st | paste -sd/)
		[ "$q" = 0/0 ] || t_fail "cycle $i: cfq busy_queues/rq_queued $q after every process exited"
		q=$(grep -c . /sys/kernel/debug/block/$NB/sched/queues 2>/dev/null)
		[ "${q:-0}" = 0 ] || t_fail "cycle $i: $q queues still on cfq's trees"
	fi

	for k in $CGR/g*/; do [ -d "$k" ] && rmdir "$k"; done
	nullb_remove $NB
	sdebug_remove
	local snap
	snap=$(leak_snap)
	t_log "after cycle $i: $snap"
	fig "objs_after_$i" "$(sed 's/.*objs=\([0-9]*\).*/\1/' <<<"$snap")"
	fig "sunreclaim_after_$i" "$(sed 's/.*sunreclaim=\([0-9]*\).*/\1/' <<<"$snap")"
}

run() {
	[ -x "$S_DIR/churn" ] || { t_fail "tools/stress/churn is not built"; return; }
	local i n=$(sc 2 10) base o0 o s0 s
	base=$(leak_snap)
	o0=$(sed 's/.*objs=\([0-9]*\).*/\1/' <<<"$base")
	s0=$(sed 's/.*sunreclaim=\([0-9]*\).*/\1/' <<<"$base")
	fig objs_base "$o0"
	fig sunreclaim_base "$s0"
	for ((i = 1; i <= n; i++)); do cycle $i; done
	fig cycles $n
	local tol=0
	grep -q 'merged=0' <<<"$base" || tol=64
	o=${S_FIG[objs_after_$n]:-0}; s=${S_FIG[sunreclaim_after_$n]:-0}
	t_check "module slab objects back to the baseline after $n cycles ($o0 -> $o)" \
		test "$o" -le $((o0 + tol))
	t_check "SUnreclaim within $LEAK_KB kB after $n cycles ($s0 -> $s kB)" \
		test $((s - s0)) -le "$LEAK_KB"
	t_eq "module reference count 0 after the teardown" "$(cat /sys/module/elvx/refcnt)" 0
	# The module's own count of what it allocated and has not freed.
	local alive=/sys/kernel/debug/elvx/alive q g
	if [ -r $alive ]; then
		q=$(awk '$1 == "cfq_queues" { print $2 }' $alive)
		g=$(awk '$1 == "cfq_groups" { print $2 }' $alive)
		fig alive_queues "$q"
		fig alive_groups "$g"
		t_range "elvx/alive counted queues under load (peak)" "${S_FIG[peak_alive_queues]:-0}" 1 1000000
		t_eq "no cfq queue alive after the teardown (debugfs elvx/alive)" "$q" 0
		t_eq "no cfq group alive after the teardown (debugfs elvx/alive)" "$g" 0
	else
		t_fail "debugfs elvx/alive is missing"
	fi
	[ -n "${S_FIG[cgroups_weighted]:-}" ] ||
		t_log "io.cfq.weight absent: the cgroups made no cfq groups"
}
