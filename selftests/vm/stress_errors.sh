#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
#
# make stress's "errors" run at the quick scale: injected I/O errors and
# timeouts reach the applications, queues drain.
# See tools/stress/runs/errors.sh; make stress runs it at full scale.
. "$(dirname "$0")/../lib.sh"
need_vm
need_root
exec bash "$ELVX_TOP/tools/stress/run-one.sh" --scale quick errors
