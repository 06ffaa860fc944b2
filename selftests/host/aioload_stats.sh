#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# aioload: the unit test of the histogram, the percentiles and Jain's index
# (tools/aioload/test-stats.c), which prints TAP.
make -s -C tools/aioload tests >/dev/null || {
	echo "Bail out! cannot build tools/aioload/test-stats"
	exit 1
}
exec tools/aioload/test-stats
