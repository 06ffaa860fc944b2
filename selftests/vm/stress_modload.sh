#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 150
#
# make stress's "modload" run at the quick scale: insmod/rmmod cycles,
# rmmod refused while in use, unload/switch races.
# See tools/stress/runs/modload.sh; make stress runs it at full scale.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
exec bash "$ELVX_TOP/tools/stress/run-one.sh" --scale quick modload
