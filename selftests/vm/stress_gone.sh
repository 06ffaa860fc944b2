#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 150
#
# make stress's "gone" run at the quick scale: null_blk and scsi_debug
# devices removed with requests queued and idle timer armed.
# See tools/stress/runs/gone.sh; make stress runs it at full scale.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
exec bash "$ELVX_TOP/tools/stress/run-one.sh" --scale quick gone
