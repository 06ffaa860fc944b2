#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# aioload --verify: every engine writes checkable blocks and reads them back
# clean; blocks corrupted, moved or rolled back behind aioload's back are
# reported with their offsets, and the exit status is 1.
. tools/aioload/tests/lib.sh

ENGINES=${ENGINES:-"sync psync libaio posixaio io_uring"}
F=$T_DIR/data
BS=4096

# clean runs: write then read back, and randrw reading what it wrote
for e in $ENGINES; do
	for rw in write randwrite randrw; do
		rm -f "$F"
		"$AIOLOAD" --output-format=json --filename="$F" --size=1M \
			--ioengine=$e --iodepth=8 --rw=$rw --verify=crc32c \
			>"$T_DIR/out.json" 2>"$T_DIR/err"
		rc=$?
		b=$(jq '.jobs[0].verify.blocks' "$T_DIR/out.json")
		v=$(jq '.jobs[0].verify.errors' "$T_DIR/out.json")
		ok "$([ $rc -eq 0 ] && [ "$v" = 0 ] && [ "$b" -gt 100 ]; echo $?)" \
			"$e $rw --verify: $b blocks checked, ${v:-?} bad, exit $rc"
	done
done
rm -f "$F"
"$AIOLOAD" --filename="$F" --size=1M --rw=write --verify=1 --ioengine=libaio \
	--iodepth=4 --direct=1 >/dev/null 2>&1
ok $? "--verify=1 means crc32c, with O_DIRECT"

# block N of the file
blk() { echo $(($1 * BS)); }

# read_verify DESC: read $F back with --verify; expects exit 1
read_verify() {
	"$AIOLOAD" --output-format=json --filename="$F" --rw=read --bs=$BS \
		--verify=crc32c --ioengine=${1:-psync} --iodepth=4 \
		>"$T_DIR/out.json" 2>"$T_DIR/err"
}

fresh() {
	rm -f "$F"
	"$AIOLOAD" --filename="$F" --size=256k --bs=$BS --rw=write \
		--verify=crc32c >/dev/null 2>&1
}

# one byte flipped inside block 10: a bad checksum
fresh
printf '\xff' | dd of="$F" bs=1 seek=$(($(blk 10) + 100)) conv=notrunc status=none
read_verify
rc=$?
off=$(jq -c '[.jobs[0].verify.failures[] | [.offset, .kind]]' "$T_DIR/out.json")
ok "$([ $rc -eq 1 ] && [ "$off" = "[[$(blk 10),\"crc\"]]" ]; echo $?)" \
	"a corrupt block is reported at its offset (exit $rc, $off)"
grep -q "offset $(blk 10): bad checksum" "$T_DIR/err"
ok $? "stderr names the offset of the corrupt block"

# half a block from elsewhere: a torn write
fresh
dd if="$F" of="$F" bs=2048 skip=$((2 * 20 + 1)) seek=$((2 * 5 + 1)) count=1 \
	conv=notrunc status=none
read_verify libaio
rc=$?
off=$(jq -c '[.jobs[0].verify.failures[] | [.offset, .kind]]' "$T_DIR/out.json")
ok "$([ $rc -eq 1 ] && [ "$off" = "[[$(blk 5),\"crc\"]]" ]; echo $?)" \
	"a torn block is reported (exit $rc, $off)"

# block 3 written where block 7 belongs: a misdirected write
fresh
dd if="$F" of="$F" bs=$BS skip=3 seek=7 count=1 conv=notrunc status=none
read_verify io_uring
rc=$?
off=$(jq -c '[.jobs[0].verify.failures[] | [.offset, .kind]]' "$T_DIR/out.json")
ok "$([ $rc -eq 1 ] && [ "$off" = "[[$(blk 7),\"offset\"]]" ]; echo $?)" \
	"a misdirected block is reported (exit $rc, $off)"

# a zeroed block: no header at all
fresh
dd if=/dev/zero of="$F" bs=$BS seek=60 count=1 conv=notrunc status=none
read_verify posixaio
rc=$?
off=$(jq -c '[.jobs[0].verify.failures[] | [.offset, .kind]]' "$T_DIR/out.json")
ok "$([ $rc -eq 1 ] && [ "$off" = "[[$(blk 60),\"magic\"]]" ]; echo $?)" \
	"a lost block is reported (exit $rc, $off)"
grep -q '^ *"errors": 0,' "$T_DIR/out.json" &&
	[ "$(jq '.jobs[0].verify.errors' "$T_DIR/out.json")" = 1 ]
ok $? "verify errors are counted apart from I/O errors"

# behind aioload's back, in one run: the job stops between its write and
# read-back phases; the test rolls a block back to an older intact copy (a
# lost write) and corrupts another, then lets the job go on
stopped() {	# stopped PARENT: print the stopped child's pid
	local c s
	for c in $(pgrep -P "$1"); do
		s=$(awk '{print $3}' "/proc/$c/stat" 2>/dev/null)
		[ "$s" = T ] && { echo "$c"; return 0; }
	done
	return 1
}
for e in psync libaio io_uring; do
	fresh
	dd if="$F" of="$T_DIR/old" bs=$BS skip=12 count=1 status=none
	"$AIOLOAD" --output-format=json --filename="$F" --size=256k --bs=$BS \
		--rw=write --loops=2 --verify=crc32c --verify_stop \
		--ioengine=$e --iodepth=4 >"$T_DIR/out.json" 2>"$T_DIR/err" &
	pid=$!
	child=""
	for i in $(seq 100); do
		child=$(stopped $pid) && break
		sleep 0.1
	done
	if [ -z "$child" ]; then
		fail "$e: the job stops before its read-back (--verify_stop)"
		kill $pid 2>/dev/null
		wait $pid
		continue
	fi
	dd if="$T_DIR/old" of="$F" bs=$BS seek=12 count=1 conv=notrunc status=none
	printf 'garbage' | dd of="$F" bs=1 seek=$(($(blk 40) + 2000)) \
		conv=notrunc status=none
	kill -CONT "$child"
	wait $pid
	rc=$?
	kinds=$(jq -c '[.jobs[0].verify.failures[] | [.offset, .kind]] | sort' "$T_DIR/out.json")
	ok "$([ $rc -eq 1 ] &&
	      [ "$kinds" = "[[$(blk 12),\"stale\"],[$(blk 40),\"crc\"]]" ]; echo $?)" \
		"$e: lost and corrupt writes found in one run (exit $rc, $kinds)"
done

# jobs that would overwrite each other's checkable blocks are refused
rm -f "$F"
"$AIOLOAD" --filename="$F" --size=1M --rw=randwrite --verify=1 --name=a \
	--name=b >/dev/null 2>"$T_DIR/err"
ok "$([ $? -eq 2 ] && grep -q "share blocks" "$T_DIR/err"; echo $?)" \
	"overlapping verify jobs are refused with exit 2"
"$AIOLOAD" --filename="$F" --size=512k --rw=randwrite --verify=1 --name=a \
	--numjobs=2 --offset_increment=512k >/dev/null 2>"$T_DIR/err"
ok $? "verify jobs on separate regions (--offset_increment) run"

done_testing
