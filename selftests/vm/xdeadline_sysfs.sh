#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
#
# xdeadline's tunables: the defaults, exact round trips (milliseconds are
# not rounded to jiffies), -EINVAL with no change on bad input, the
# async_depth range and its reset on nr_requests changes, the debugfs view,
# and that the block layer does not offer xdeadline for zoned devices that
# need sequential writes.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root

dev=$(nullb_create xdsys0 blocksize=4096 size=64) || skip_all "no null_blk"
trap 'sched_set xdsys0 none 2>/dev/null; nullb_remove xdsys0; nullb_remove xdsysz' EXIT
n=${dev#/dev/}
t_check "xdeadline can be selected" sched_set "$n" xdeadline
t_eq "xdeadline is active" "$(sched_get "$n")" xdeadline
ios=/sys/block/$n/queue/iosched
nr=$(cat /sys/block/$n/queue/nr_requests)

declare -A want=(
	[read_expire]=500 [write_expire]=5000 [fifo_batch]=16
	[writes_starved]=2 [front_merges]=1 [prio_aging_expire]=10000
	[async_depth]=$((nr * 3 / 4)) [sync_dispatch]=1
)
t_eq "exactly the documented attributes" "$(ls "$ios" | sort | tr '\n' ' ')" \
	"$(printf '%s\n' "${!want[@]}" | sort | tr '\n' ' ')"
for a in "${!want[@]}"; do
	t_eq "$a defaults to ${want[$a]}" "$(cat "$ios/$a")" "${want[$a]}"
done

# Round trips: each accepted value reads back as written.
roundtrip() {	# ATTR VALUE...
	local a=$1 v bad=""
	shift
	for v in "$@"; do
		if ! try_write "$ios/$a" "$v"; then bad+=" $v(refused)"; continue; fi
		[ "$(cat "$ios/$a")" = "$v" ] || bad+=" $v(read $(cat "$ios/$a"))"
	done
	[ -z "$bad" ] || echo "# $a:$bad"
	[ -z "$bad" ]
}
for a in read_expire write_expire prio_aging_expire; do
	t_check "$a round-trips ms exactly (0 1 3 7 499 1001 2147483647)" \
		roundtrip "$a" 0 1 3 7 499 1001 2147483647
done
t_check "fifo_batch round-trips (0 1 2 17 2147483647)" roundtrip fifo_batch 0 1 2 17 2147483647
t_check "writes_starved round-trips (0 1 5 2147483647)" roundtrip writes_starved 0 1 5 2147483647
t_check "front_merges round-trips (0 1)" roundtrip front_merges 0 1
t_check "sync_dispatch round-trips (0 1)" roundtrip sync_dispatch 0 1
t_check "async_depth round-trips (1 7 $nr)" roundtrip async_depth 1 7 "$nr"
t_check "a trailing newline is accepted" bash -c "echo 42 > $ios/fifo_batch"
t_eq "... and the value reads back" "$(cat "$ios/fifo_batch")" 42

# Bad input: -EINVAL and the value stays.
bad_inputs=(abc -1 "" " " 99999999999999999999 4294967296 2147483648 1.5 0x10 " 5" "5 "
	    5abc +-3 "1 2")
rejects() {	# ATTR: every bad input is refused with EINVAL and changes nothing
	local a=$1 v before err fails=""
	before=$(cat "$ios/$a")
	for v in "${bad_inputs[@]}" "$@"; do
		err=$( (printf '%s\n' "$v" > "$ios/$a") 2>&1 )
		if [ -z "$err" ]; then fails+=" '$v'(accepted)"
		elif ! grep -q "Invalid argument" <<<"$err"; then fails+=" '$v'($err)"; fi
		[ "$(cat "$ios/$a")" = "$before" ] || { fails+=" '$v'(changed)"; break; }
	done
	[ -z "$fails" ] || echo "# $a:$fails"
	[ -z "$fails" ]
}
iosched "$n" read_expire 123; iosched "$n" write_expire 4567
iosched "$n" fifo_batch 9; iosched "$n" writes_starved 3
iosched "$n" front_merges 1; iosched "$n" prio_aging_expire 777
iosched "$n" async_depth 5; iosched "$n" sync_dispatch 0
for a in read_expire write_expire fifo_batch writes_starved prio_aging_expire; do
	t_check "$a rejects garbage, negative, overflow, empty" rejects "$a"
done
t_check "front_merges rejects 2 and the rest" rejects front_merges 2 3
t_check "sync_dispatch rejects 2 and the rest" rejects sync_dispatch 2 3
t_check "async_depth rejects 0, nr_requests+1 and the rest" rejects async_depth 0 $((nr + 1))
t_eq "values unchanged after all bad writes" \
	"$(cat "$ios"/{read_expire,write_expire,fifo_batch,writes_starved,front_merges,prio_aging_expire,async_depth,sync_dispatch} | tr '\n' ' ')" \
	"123 4567 9 3 1 777 5 0 "

# async_depth follows nr_requests: reset to 3/4 of the new depth.
t_check "nr_requests can grow to 512" bash -c "echo 512 > /sys/block/$n/queue/nr_requests"
t_eq "async_depth reset to 384 with nr_requests 512" "$(iosched "$n" async_depth)" 384
t_check "async_depth 512 accepted now" try_write "$ios/async_depth" 512
t_check "async_depth 513 refused" bash -c "! (printf 513 > $ios/async_depth) 2>/dev/null"

# debugfs
dbg=/sys/kernel/debug/block/$n/sched
if [ -d "$dbg" ]; then
	for f in read0_fifo_list read1_fifo_list read2_fifo_list write0_fifo_list \
		 write1_fifo_list write2_fifo_list dispatch next_rq batching starved \
		 async_depth queued stats; do
		[ -e "$dbg/$f" ] || missing+=" $f"
	done
	t_eq "debugfs files present" "${missing:-}" ""
	t_check "debugfs files readable" bash -c "cat $dbg/* > /dev/null"
	t_eq "debugfs queued is empty when idle" "$(cat "$dbg/queued")" "0 0 0 0"
	t_eq "debugfs async_depth" "$(cut -d' ' -f1 "$dbg/async_depth")" 512
else
	t_skip "debugfs sched folder (no debugfs)"
fi

# Switching away and back restores the defaults.
sched_set "$n" none && sched_set "$n" xdeadline
t_eq "defaults after re-selecting" "$(cat "$ios/read_expire") $(cat "$ios/fifo_batch")" "500 16"

# Zoned devices that need sequential writes: on 6.1 only schedulers that
# declare ELEVATOR_F_ZBD_SEQ_WRITE are offered, and xdeadline does not
# (kyber neither); 6.12 (zone write plugging) offers every scheduler.
if zdev=$(nullb_create xdsysz blocksize=4096 size=256 zoned=1 zone_size=64 2>/dev/null); then
	z=${zdev#/dev/}
	t_log "zoned schedulers: $(cat /sys/block/$z/queue/scheduler)"
	if grep -qw kyber /sys/block/$z/queue/scheduler; then
		t_check "xdeadline offered for a zoned device, as every scheduler" \
			grep -qw xdeadline /sys/block/$z/queue/scheduler
		t_check "and selectable there" sched_set "$z" xdeadline
	elif grep -qw kyber /sys/block/$n/queue/scheduler; then
		t_check "xdeadline not offered for a zoned device" \
			bash -c "! grep -qw xdeadline /sys/block/$z/queue/scheduler"
		t_check "selecting xdeadline on a zoned device fails" \
			bash -c "! (echo xdeadline > /sys/block/$z/queue/scheduler) 2>/dev/null"
	else
		t_skip "zoned: no kyber to compare with"
	fi
	t_check "mq-deadline still selectable there" sched_set "$z" mq-deadline
else
	t_skip "null_blk without zoned support"
fi
t_done
