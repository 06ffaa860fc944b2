#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot the VM, load elvx, show the schedulers, tune cfq, and run
# the same short fio jobs under none, mq-deadline, bfq, kyber, cfq and
# xdeadline, side by side.
set -u
cd "$(dirname "$0")/.."
echo "elvx demo: booting Debian's kernel ${KVER:-} in QEMU (TCG: emulated," \
     "so compare the columns, not the absolute numbers)"
exec tools/vm/elvx-vm --timeout 600 -- bash tools/demo-guest.sh
