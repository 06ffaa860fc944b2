#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 150
#
# make stress's "fuzz" run at the quick scale: random writes to every
# tunable and to io.cfq.weight follow the model.
# See tools/stress/runs/fuzz.sh; make stress runs it at full scale.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
exec bash "$ELVX_TOP/tools/stress/run-one.sh" --scale quick fuzz
