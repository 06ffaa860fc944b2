# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# perms: the trust boundaries of Documentation/security.rst, checked.
#   - modes: every tunable in /sys/block/DEV/queue/iosched/ (cfq and
#     xdeadline) is 0644 if it can be written, 0444 if not, owned by
#     root; debugfs is 0700 and the scheduler's debugfs files have no
#     group or other bits; io.cfq.weight (if present) is 0644, root's;
#   - an unprivileged user (nobody) cannot write a tunable or
#     io.cfq.weight (the value stays), cannot read the scheduler's
#     debugfs files, cannot take the RT I/O class;
#   - an unprivileged user doing I/O from many processes with CLONE_IO
#     threads (its own file on ext4 on a cfq device) makes the module's
#     objects grow with its live processes only, and they go back once it
#     exits; its data reads back as written (no request mixed up with
#     another user's), and root's 0600 file stays unreadable to it.
# Figures: files checked, bad modes, unprivileged writes refused, peak
# objects per unprivileged process.

NB=pmnb0
MNT=/tmp/stress-perms
CG=/sys/fs/cgroup/stressperms
cleanup() {
	umount $MNT 2>/dev/null
	rmdir $MNT 2>/dev/null
	[ -d $CG ] && rmdir $CG
	nullb_remove $NB
}

as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }

mode_of() { stat -c %a "$1"; }

check_modes() {	# SCHED
	local s=$1 f m bad=0 n=0
	for f in /sys/block/$NB/queue/iosched/*; do
		n=$((n + 1))
		m=$(mode_of "$f")
		if [ -w "$f" ] || [ $((8#$m & 8#200)) != 0 ]; then
			[ "$m" = 644 ] || { bad=$((bad + 1)); t_log "$s: $f is $m, want 644"; }
		else
			[ "$m" = 444 ] || { bad=$((bad + 1)); t_log "$s: $f is $m, want 444"; }
		fi
		[ "$(stat -c %u "$f")" = 0 ] || { bad=$((bad + 1)); t_log "$s: $f not root's"; }
	done
	for f in /sys/kernel/debug/block/$NB/sched/*; do
		[ -e "$f" ] || continue
		n=$((n + 1))
		m=$(mode_of "$f")
		[ $((8#$m & 8#077)) = 0 ] || { bad=$((bad + 1)); t_log "$s: debugfs $f is $m"; }
	done
	fig_add files_checked $n
	fig_add bad_modes $bad
	t_eq "$s: tunables 0644/0444, debugfs files root only ($n files)" $bad 0
}

unpriv_writes() {	# SCHED
	local s=$1 f v0 refused=0 n=0
	for f in /sys/block/$NB/queue/iosched/*; do
		[ -w "$f" ] || continue
		n=$((n + 1))
		v0=$(cat "$f")
		if as_nobody sh -c "echo 1 > '$f'" 2>/dev/null; then
			t_log "$s: nobody could write $f"
		else
			refused=$((refused + 1))
		fi
		[ "$(cat "$f")" = "$v0" ] || t_log "$s: $f changed by nobody"
	done
	fig_add unpriv_writes_refused $refused
	t_eq "$s: nobody cannot write a tunable" $refused $n
	if ls /sys/kernel/debug/block/$NB/sched/* >/dev/null 2>&1; then
		if as_nobody cat /sys/kernel/debug/block/$NB/sched/* >/dev/null 2>&1; then
			t_fail "$s: nobody can read the scheduler's debugfs files"
		else
			t_ok "$s: nobody cannot read the scheduler's debugfs files"
		fi
	fi
}

run() {
	local dev s
	dev=$(nullb_create $NB memory_backed=1 blocksize=4096 size=256 submit_queues=2) ||
		{ t_fail "null_blk"; return; }
	t_eq "debugfs is root only" "$(mode_of /sys/kernel/debug)" 700
	for s in cfq xdeadline; do
		sched_set $NB $s
		check_modes $s
		unpriv_writes $s
	done

	# cgroup file
	sched_set $NB cfq
	echo "+io" > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
	mkdir -p $CG
	if [ -e $CG/io.cfq.weight ]; then
		local v0
		t_eq "io.cfq.weight is 0644" "$(mode_of $CG/io.cfq.weight)" 644
		v0=$(cat $CG/io.cfq.weight)
		if as_nobody sh -c "echo 1000 > $CG/io.cfq.weight" 2>/dev/null; then
			t_fail "nobody cannot write io.cfq.weight"
		else
			t_ok "nobody cannot write io.cfq.weight"
		fi
		t_eq "io.cfq.weight unchanged" "$(cat $CG/io.cfq.weight)" "$v0"
	else
		t_skip "io.cfq.weight: not present"
	fi
	if as_nobody ionice -c 1 -n 0 true 2>/dev/null; then
		t_fail "nobody cannot take the RT class"
	else
		t_ok "nobody cannot take the RT class"
	fi

	# Unprivileged I/O through cfq
	mkdir -p $MNT
	modprobe -q ext4
	if ! mkfs.ext4 -q -F "$dev" >/dev/null 2>&1 || ! mount "$dev" $MNT; then
		t_skip "unprivileged I/O: cannot make or mount ext4"
		return
	fi
	echo secret > $MNT/root-only; chmod 600 $MNT/root-only
	truncate -s 32M $MNT/nobody.img; chown 65534:65534 $MNT/nobody.img
	if as_nobody cat $MNT/root-only >/dev/null 2>&1; then
		t_fail "nobody cannot read root's 0600 file"
	else
		t_ok "nobody cannot read root's 0600 file"
	fi
	local o0 peak out procs=$(sc 100 2000) par=16
	o0=$(leak_snap | sed 's/.*objs=\([0-9]*\).*/\1/')
	as_nobody "$S_DIR/churn" -f $MNT/nobody.img -n $procs -j $par -t 3 -k 2 \
		-S $RANDOM > "$S_OUT/nobody.out" 2>&1 &
	local pid=$! i
	peak=$o0
	for ((i = 0; i < 200; i++)); do
		kill -0 $pid 2>/dev/null || break
		o=$(awk '{ s += $1 } END { print s + 0 }' /sys/kernel/slab/cfq*/objects 2>/dev/null)
		[ "${o:-0}" -le "$peak" ] || peak=$o
		sleep 0.2
	done
	wait $pid
	out=$(cat "$S_OUT/nobody.out")
	t_log "nobody churn: $out"
	t_check "nobody's processes: no error, data as written" grep -q 'errors=0 mismatches=0 final_mismatches=0' <<<"$out"
	fig unpriv_processes $procs
	fig unpriv_peak_objs_delta $((peak - o0))
	# Each live task may hold an io_cq and a queue per device; the rest
	# of the growth must go when the processes go.
	# The caches are shared with others (SLUB merging): a generous bound,
	# still well below one object per request (ios) or per process.
	t_range "objects grow with live processes only (peak +$((peak - o0)) for $par x 4 tasks)" \
		$((peak - o0)) 0 $((par * 4 * 8 + 128))
	umount $MNT
	local o1
	o1=$(leak_snap | sed 's/.*objs=\([0-9]*\).*/\1/')
	t_check "objects back after nobody's processes ($o0 -> $o1)" test "$o1" -le $((o0 + 64))
}
