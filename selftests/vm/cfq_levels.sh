#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
#
# BE levels mean something: four sequential readers at levels 0, 2, 4 and
# 7 on a slow rotational disk, with idling, share it in the order of their
# levels and within 20% of the ratio of their slices (cfq_sync_slice:
# 180:140:100:40 ms at the default slice_sync).
. "$(dirname "$0")/../lib.sh"
need_vm
need_root

dev=$(slow_disk cfqlvl0) || skip_all "no null_blk with cfq"
trap 'nullb_teardown cfqlvl0' EXIT
t_eq "idling is on" "$(iosched $dev slice_idle)" 8

levels=(0 2 4 7)
slices=() sum=0
for l in ${levels[@]}; do
	slices+=($(cfq_sync_slice $dev $l))
	sum=$((sum + ${slices[-1]}))
done
t_eq "the slices of levels 0/2/4/7" "${slices[*]}" "180 140 100 40"
pids=()
for i in 0 1 2 3; do
	ionice -c2 -n${levels[$i]} dd if=$dev of=/dev/null bs=4k iflag=direct \
		skip=$((i * 65536)) count=65536 status=none &
	pids+=($!)
done
sleep 2
for i in 0 1 2 3; do a[$i]=$(rchar ${pids[$i]}); done
sleep 12
for i in 0 1 2 3; do b[$i]=$(rchar ${pids[$i]}); done
kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null

total=0
for i in 0 1 2 3; do n[$i]=$(( (b[$i] - a[$i]) / 4096 )); total=$((total + n[$i])); done
t_log "requests in 12 s by level 0/2/4/7: ${n[*]}"
t_check "the readers ran" test $total -gt 400
for i in 0 1 2 3; do
	share=$(awk -v x=${n[$i]} -v t=$total 'BEGIN { printf "%.3f", x / t }')
	want=$(awk -v s=${slices[$i]} -v t=$sum 'BEGIN { printf "%.3f", s / t }')
	t_range "level ${levels[$i]} share (slice ratio $want)" $share \
		"$(awk -v w=$want 'BEGIN { printf "%.3f", w * 0.8 }')" \
		"$(awk -v w=$want 'BEGIN { printf "%.3f", w * 1.2 }')"
done
for i in 1 2 3; do
	t_check "level ${levels[$((i - 1))]} got more than level ${levels[$i]}" \
		test ${n[$((i - 1))]} -gt ${n[$i]}
done
t_done
