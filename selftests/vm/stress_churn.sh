#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
#
# make stress's "churn" run at the quick scale: short-lived processes,
# CLONE_IO threads and ionice -p changes, verified.
# See tools/stress/runs/churn.sh; make stress runs it at full scale.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
exec bash "$ELVX_TOP/tools/stress/run-one.sh" --scale quick churn
