# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the fio probes: ROUNDS from $1 (default 3), a null_blk as the
# bench's overhead group uses (4 KiB blocks, no memory backing) in $dev
# with its queue folder in $Q, and iops().
. "$(dirname "${BASH_SOURCE[0]}")/../../../selftests/lib.sh"
probe=$(basename "$0")
rounds=${1:-3}
case $rounds in '' | *[!0-9]*) echo "$probe: ROUNDS must be a number" >&2; exit 2 ;; esac
command -v fio >/dev/null && command -v jq >/dev/null || { echo "$probe: needs fio and jq" >&2; exit 2; }
dev=$(nullb_create probe0 memory_backed=0 blocksize=4096 size=4096) || exit 1
trap 'nullb_remove probe0' EXIT
Q=/sys/block/${dev#/dev/}/queue

# iops JOBS [ENGINE [DEPTH]]: IOPS of 4 KiB random reads on $dev for 3 s
# after a 1 s ramp (libaio, 32 deep by default).
iops() {
	fio --name=rr --filename="$dev" --rw=randread --bs=4k --direct=1 \
		--ioengine="${2:-libaio}" --iodepth="${3:-32}" --numjobs="$1" \
		--group_reporting --norandommap --randrepeat=0 --ramp_time=1 \
		--time_based --runtime=3 --output-format=json 2>/dev/null |
		jq '.jobs[0].read.iops | floor'
}
