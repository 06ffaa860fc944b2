#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 150
#
# make stress's "leaks" run at the quick scale: devices, cgroups and
# processes torn down: the module's memory comes back.
# See tools/stress/runs/leaks.sh; make stress runs it at full scale.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
exec bash "$ELVX_TOP/tools/stress/run-one.sh" --scale quick leaks
