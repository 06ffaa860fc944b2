#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""fiostat.py JSON STDERR: one line of shell assignments summing a fio run.

  fio_ios        requests completed (reads + writes + trims, every job)
  fio_errors     I/O errors fio counted (total_err, else 1 per job with error
                 set), verify failures not included
  fio_mismatch   blocks whose verification failed (stderr "verify" lines)
  fio_ioerr_msgs "io_u error" lines on stderr
  fio_maxlat_ms  the slowest request (total latency), in ms
  fio_json       1 when the JSON could be read

fio with --continue_on_error=verify exits 0 after verify failures and
puts only the first error in the JSON: the stderr lines are the count.
"""
import json
import re
import sys


def main():
    out = dict(fio_ios=0, fio_errors=0, fio_mismatch=0, fio_ioerr_msgs=0,
               fio_maxlat_ms=0, fio_json=0)
    try:
        text = open(sys.argv[1], errors="replace").read()
        # Warnings may precede the JSON document.
        data = json.loads(text[text.index("{"):])
        out["fio_json"] = 1
    except (OSError, ValueError):
        data = {"jobs": []}
    maxlat = 0
    for job in data.get("jobs", []):
        err = job.get("error", 0)
        total = job.get("total_err", 0)
        verify_err = err == 84		# EILSEQ: a verify failure
        if total:
            out["fio_errors"] += total
        elif err and not verify_err:
            out["fio_errors"] += 1
        for d in ("read", "write", "trim"):
            st = job.get(d, {})
            out["fio_ios"] += st.get("total_ios", 0)
            for k in ("lat_ns", "clat_ns"):
                maxlat = max(maxlat, st.get(k, {}).get("max", 0))
    out["fio_maxlat_ms"] = maxlat // 1000000
    try:
        for line in open(sys.argv[2], errors="replace"):
            if re.search(r"verify: bad|verify failed|verify type mismatch|"
                         r"bad magic|bad header", line):
                out["fio_mismatch"] += 1
            elif "io_u error" in line:
                out["fio_ioerr_msgs"] += 1
    except OSError:
        pass
    # Verify failures counted in total_err are not I/O errors.
    if out["fio_errors"] and out["fio_mismatch"]:
        out["fio_errors"] = max(out["fio_errors"] - out["fio_mismatch"],
                                out["fio_ioerr_msgs"])
    print(" ".join("%s=%d" % kv for kv in out.items()))


if __name__ == "__main__":
    main()
