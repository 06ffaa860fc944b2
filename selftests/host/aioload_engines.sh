#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# aioload: every engine writes and reads a file, buffered and with O_DIRECT
# (when the file system takes it), sequentially and at random.
. tools/aioload/tests/lib.sh

ENGINES=${ENGINES:-"sync psync pvsync2 libaio posixaio io_uring"}
F=$T_DIR/data
SIZE=4M

if direct_ok "$T_DIR"; then
	DIRECTS="0 1"
else
	DIRECTS="0"
	skip "O_DIRECT runs" "$T_DIR does not take O_DIRECT"
fi

# check_run DESC EXPECTED-BYTES-READ EXPECTED-BYTES-WRITTEN ARGS...
check_run() {
	local desc=$1 rb=$2 wb=$3 rc got
	shift 3
	"$AIOLOAD" --output-format=json "$@" >"$T_DIR/out.json" 2>"$T_DIR/err"
	rc=$?
	got=$(jq -r '[.jobs[] | .read.bytes] | add' "$T_DIR/out.json" 2>/dev/null)/$(jq -r '[.jobs[] | .write.bytes] | add' "$T_DIR/out.json" 2>/dev/null)
	if [ "$rc" -eq 0 ] && { [ "$rb/$wb" = "$got" ] ||
	   { [ "$rb" = any ] && [ "${got#*/}" != null ]; }; }; then
		pass "$desc"
	else
		fail "$desc (exit $rc, read/written $got, want $rb/$wb)"
		sed 's/^/#   /' "$T_DIR/err" | head -5
	fi
}

for e in $ENGINES; do
	for d in $DIRECTS; do
		io="--ioengine=$e --direct=$d --iodepth=8 --bs=4k"
		rm -f "$F"
		check_run "$e direct=$d: sequential write" 0 4194304 \
			--filename="$F" --size=$SIZE --rw=write $io
		check_run "$e direct=$d: sequential read" 4194304 0 \
			--filename="$F" --rw=read $io
		check_run "$e direct=$d: random write" 0 4194304 \
			--filename="$F" --rw=randwrite $io
		check_run "$e direct=$d: random read, 16k blocks" 4194304 0 \
			--filename="$F" --rw=randread --ioengine=$e \
			--direct=$d --iodepth=8 --bs=16k
		"$AIOLOAD" --output-format=json --filename="$F" --rw=randrw \
			--rwmixread=70 $io >"$T_DIR/out.json" 2>"$T_DIR/err"
		rc=$?
		r=$(jq '.jobs[0].read.ios' "$T_DIR/out.json")
		w=$(jq '.jobs[0].write.ios' "$T_DIR/out.json")
		ok "$([ "$rc" -eq 0 ] && [ $((r + w)) -eq 1024 ] &&
		      [ "$r" -gt 600 ] && [ "$r" -lt 830 ]; echo $?)" \
			"$e direct=$d: randrw 70/30 mix ($r reads, $w writes)"
	done
done

# io_uring's options
if [[ " $ENGINES " == *" io_uring "* ]]; then
	rm -f "$F"
	for o in --sqthread_poll --registerfiles --fixedbufs \
		"--sqthread_poll --registerfiles --fixedbufs" \
		"--iodepth_batch=4 --iodepth_batch_complete_min=2"; do
		check_run "io_uring $o: write" 0 4194304 --filename="$F" \
			--size=$SIZE --rw=randwrite --ioengine=io_uring \
			--iodepth=16 $o
		check_run "io_uring $o: read" 4194304 0 --filename="$F" \
			--rw=read --ioengine=io_uring --iodepth=16 $o
	done
fi

# posixaio: every way of learning of completions, with and without lio_listio
if [[ " $ENGINES " == *" posixaio "* ]]; then
	rm -f "$F"
	for n in poll suspend signal thread; do
		for l in off wait nowait; do
			o="--posixaio_notify=$n --lio=$l"
			check_run "posixaio $o: write" 0 1048576 --filename="$F" \
				--size=1M --rw=randwrite --ioengine=posixaio \
				--iodepth=8 $o
			check_run "posixaio $o: read" 1048576 0 --filename="$F" \
				--rw=read --ioengine=posixaio --iodepth=8 $o
		done
	done
	check_run "posixaio as two threads of one process" 2097152 0 \
		--thread --filename="$F" --rw=randread --ioengine=posixaio \
		--iodepth=4 --posixaio_notify=thread --name=a --name=b
fi

# the data written is the data read back: a file of a known pattern
rm -f "$F"
python3 -c "
import sys
with open(sys.argv[1], 'wb') as f:
    for i in range(256):
        f.write(bytes([i]) * 4096)
" "$F"
for e in $ENGINES; do
	cp "$F" "$T_DIR/copy"
	"$AIOLOAD" --filename="$T_DIR/copy" --ioengine=$e --rw=randwrite \
		--bs=4k --iodepth=4 --size=512k --offset=256k \
		>/dev/null 2>"$T_DIR/err"
	rc=$?
	cmp -s -n 262144 "$F" "$T_DIR/copy" &&
		cmp -s -i 786432 "$F" "$T_DIR/copy"
	same=$?
	ok "$([ "$rc" -eq 0 ] && [ "$same" -eq 0 ]; echo $?)" \
		"$e: writes stay inside --offset/--size"
done

# several jobs, processes and threads
for mode in "" "--thread"; do
	"$AIOLOAD" --output-format=json $mode --filename="$F" --size=1M \
		--rw=randread --runtime=300ms --time_based \
		--name=a --ioengine=psync --name=b --ioengine=sync \
		>"$T_DIR/out.json" 2>"$T_DIR/err"
	rc=$?
	pids=$(jq -r '[.jobs[].pid] | unique | length' "$T_DIR/out.json")
	tids=$(jq -r '[.jobs[].tid] | unique | length' "$T_DIR/out.json")
	rt=$(jq -r '[.jobs[].runtime_ms] | min' "$T_DIR/out.json")
	if [ -z "$mode" ]; then want=2; else want=1; fi
	ok "$([ "$rc" -eq 0 ] && [ "$pids" -eq $want ] && [ "$tids" -eq 2 ] &&
	      [ "$rt" -ge 250 ] && [ "$rt" -le 1000 ]; echo $?)" \
		"two time-based jobs ${mode:-as processes}: $pids pids, $tids tids, ${rt}ms"
done

done_testing
