# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selfstuck: the self-check of the stuck-request rule, run by hand
# (STRESS_ARGS="--runs selfstuck" make stress, about a minute): a
# null_blk device that takes 40 s to complete each request, under cfq.
# The watchdog must report the device stuck (no completion for 30 s with
# requests held) and fio's latency must exceed the 30 s limit: with
# EXPECT_STUCK set, run-one.sh turns both rules around and passes only
# when they fired.  The kernel's hung task detector is left at 60 s here
# so that the 40 s wait does not also fail the VM run.

NB=ssnb0
EXPECT_STUCK=1
STRESS_HUNG=60
cleanup() { nullb_remove $NB; }

run() {
	local dev
	dev=$(nullb_create $NB irqmode=2 completion_nsec=40000000000 \
		submit_queues=1) || { t_fail "null_blk"; return; }
	sched_set $NB cfq
	fio_run slow --name=slow --filename="$dev" --direct=1 --bs=4k \
		--ioengine=libaio --iodepth=4 --rw=randread --size=1M \
		--number_ios=4
	t_log "fio: rc $fio_rc, $fio_ios requests, slowest $fio_maxlat_ms ms"
}
