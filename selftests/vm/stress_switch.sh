#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 150
#
# make stress's "switch" run at the quick scale: every scheduler switched
# in a loop under verified mixed load.
# See tools/stress/runs/switch.sh; make stress runs it at full scale.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
exec bash "$ELVX_TOP/tools/stress/run-one.sh" --scale quick switch
