#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""fuzz.py [options] FILE...: random writes to sysfs tunables and cgroup files,
each checked against a model of what a valid write is.

sysfs tunables (numbers).  The kernel hands the store method at most one
page, cut at the first NUL byte (a C string).  A write is *valid* when
that string is a decimal number: an optional "+", digits, an optional
single "\\n" (what kstrtouint() takes), within the tunable's range.  Then:

  - a valid write is accepted and the file reads back the number written
    (in canonical form: "007" reads back "7");
  - anything else fails with an error and leaves the value as it was.

The range of a tunable comes from --range NAME=LO:HI when known.  Without
one, a decimal may be accepted or refused, but the accepted values must
form one interval: a refused value between two accepted ones is reported.

cgroup files (--cgroup): whitespace around the value is allowed (blkcg
strips it); valid forms are "N", "default N" and "MAJ:MIN N" (plus
"MAJ:MIN default" to reset a device), N within the range when one is
given, and at most one page (longer writes are refused whole).  An
accepted "N" or "default N" reads back as "default N" on the first line
(or just "N"); an accepted "MAJ:MIN N" shows a line "MAJ:MIN N".  A
refused write changes nothing.

At the end each file gets its original value back (which must be accepted).
Prints "# mismatch ..." lines (up to --show), then one line
"files=F writes=W accepted=A refused=R mismatches=M".  Exit 1 on any
mismatch.
"""
import argparse
import os
import random
import re
import sys

UINT_MAX = 2**32 - 1
BOUNDARIES = [0, 1, 2, 3, 7, 8, 9, 10, 16, 31, 32, 63, 64, 100, 127, 128, 255,
              256, 500, 1000, 1001, 1023, 1024, 4096, 10000, 65535, 65536,
              2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**63 - 1, 2**63, 2**64 - 1,
              2**64, 10**20]


def gen_value(rnd, devnum):
    """Random bytes to write: valid numbers, edge cases and garbage."""
    r = rnd.random()
    n = rnd.randrange(0, 2001)
    if r < 0.22:
        return b"%d" % n
    if r < 0.35:
        return b"%d" % rnd.choice(BOUNDARIES)
    if r < 0.50:
        fmt = rnd.choice([b"+%d", b"00%d", b"%d\n", b"%d\n\n", b" %d", b"%d ",
                          b"\t%d", b"%d\x00junk", b"%d\x00", b"%d\r\n",
                          b"%d,%d", b"%d.0", b"%dk", b"0x%d"])
        return fmt.replace(b"%d,%d", b"%d,1") % n
    if r < 0.60:
        return b"-%d" % rnd.choice([1, 2, 100, n + 1, 2**31, 2**63, 2**64])
    if r < 0.65:
        return b"".join(b"%d" % rnd.randrange(10)
                        for _ in range(rnd.randrange(20, 200)))
    if r < 0.73:
        return rnd.choice([b"", b" ", b"\n", b"\t", b"  \n", b"\x00", b"\n5"])
    if r < 0.82:
        opts = [b"0x10", b"1e3", b"1.5", b"abc", b"5abc", b"NaN", b"inf",
                b"true", b"on", "\u0663".encode(), "\uff11".encode(),
                b"default", b"max", b"default %d" % n]
        if devnum:
            opts += [b"%s %d" % (devnum, n), b"%s default" % devnum,
                     b"%s" % devnum]
        return rnd.choice(opts)
    if r < 0.97:
        return bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 65)))
    # Longer than a page: the kernel takes the first 4096 bytes.
    return b"1" + b"0" * rnd.randrange(4096, 5000)


def c_string(data):
    return data[:4096].split(b"\0")[0]


# The kernel's isspace() (lib/ctype.c): ASCII's white space and Latin-1's
# no-break space, 0xa0.  strim() and skip_spaces() strip all of them.
KSPACE = b"\t\n\v\f\r \xa0"
KSPACE_RE = rb"[\t\n\v\f\r \xa0]"


def sysfs_decimal(s):
    m = re.fullmatch(rb"\+?([0-9]+)\n?", s)
    if not m:
        return None
    v = int(m.group(1))
    return v if v <= UINT_MAX else None


# One descriptor per file: pread() at 0 makes kernfs show the file again,
# pwrite() stores (sysfs and cgroup stores ignore the offset).  Three
# system calls per write instead of nine keep TCG runs short.
FDS = {}


def fd_of(path):
    if path not in FDS:
        FDS[path] = os.open(path, os.O_RDWR)
    return FDS[path]


def read(path):
    return os.pread(fd_of(path), 8192, 0)


def write(path, data):
    """Bytes the kernel took, or -errno."""
    try:
        return os.pwrite(fd_of(path), data, 0)
    except OSError as e:
        return -e.errno


class Fuzz:
    def __init__(self, a):
        self.a = a
        self.mismatches = 0
        self.shown = 0
        self.writes = self.accepted = self.refused = 0

    def bad(self, path, msg):
        self.mismatches += 1
        if self.shown < self.a.show:
            self.shown += 1
            print("# mismatch %s: %s" % (path, msg))

    def sysfs_one(self, path, rng, data, st):
        before = read(path)
        ret = write(path, data)
        after = read(path)
        s = c_string(data)
        v = sysfs_decimal(s)
        valid = v is not None and (rng is None or rng[0] <= v <= rng[1])
        if not data:
            if after != before:
                self.bad(path, "an empty write changed %r to %r" % (before, after))
            return
        self.writes += 1
        if ret >= 0:
            self.accepted += 1
            if v is None:
                self.bad(path, "accepted %r (not a decimal), reads %r" % (data[:40], after))
            elif rng is not None and not valid:
                self.bad(path, "accepted %d, outside %d..%d" % (v, rng[0], rng[1]))
            elif after.strip() != b"%d" % v:
                self.bad(path, "wrote %r, reads back %r" % (data[:40], after))
            else:
                st["lo"] = v if st["lo"] is None else min(st["lo"], v)
                st["hi"] = v if st["hi"] is None else max(st["hi"], v)
            if ret != min(len(data), 4096):
                self.bad(path, "took %d of %d bytes" % (ret, len(data)))
        else:
            self.refused += 1
            if after != before:
                self.bad(path, "refused %r (errno %d) but changed %r to %r"
                         % (data[:40], -ret, before, after))
            if rng is not None and valid:
                self.bad(path, "refused %d, within %d..%d" % (v, rng[0], rng[1]))
            if v is not None and rng is None:
                st["refused"].append(v)

    def cgroup_one(self, path, rng, data, devnum, st):
        before = read(path)
        ret = write(path, data)
        after = read(path)
        s = c_string(data).strip(KSPACE)
        if not data:
            if after != before:
                self.bad(path, "an empty write changed %r to %r" % (before, after))
            return
        self.writes += 1
        m_def = re.fullmatch(rb"(?:default" + KSPACE_RE + rb"+)?\+?([0-9]+)", s)
        m_dev = re.fullmatch(rb"([0-9]+:[0-9]+)" + KSPACE_RE + rb"+(\+?[0-9]+|default)", s)
        lines = after.decode(errors="replace").splitlines()
        inrange = (lambda v: v <= UINT_MAX and (rng is None or rng[0] <= v <= rng[1]))
        valid = None		# None: no opinion (unknown range)
        if len(data) > 4096:
            valid = False
        elif m_def:
            v = int(m_def.group(1))
            valid = inrange(v) if rng or v > UINT_MAX else None
        elif m_dev and devnum and m_dev.group(1).decode() == devnum:
            val = m_dev.group(2)
            valid = True if val == b"default" else (
                inrange(int(val)) if rng or int(val) > UINT_MAX else None)
        else:
            valid = False
        if ret >= 0:
            self.accepted += 1
            if valid is False:
                self.bad(path, "accepted %r (invalid), reads %r" % (data[:40], after))
            elif m_def:
                v = int(m_def.group(1))
                first = lines[0].split() if lines else []
                if first not in (["default", str(v)], [str(v)]):
                    self.bad(path, "wrote %r, reads back %r" % (data[:40], after))
                else:
                    st["lo"] = v if st["lo"] is None else min(st["lo"], v)
                    st["hi"] = v if st["hi"] is None else max(st["hi"], v)
            elif m_dev:
                key, val = m_dev.group(1).decode(), m_dev.group(2).decode()
                has = [ln for ln in lines if ln.split()[:1] == [key]]
                if val == "default" and has:
                    self.bad(path, "reset %s, still shows %r" % (key, has))
                if val != "default" and has != ["%s %d" % (key, int(val))]:
                    self.bad(path, "wrote %r, reads back %r" % (data[:40], after))
        else:
            self.refused += 1
            if after != before:
                self.bad(path, "refused %r (errno %d) but changed %r to %r"
                         % (data[:40], -ret, before, after))
            if valid:
                self.bad(path, "refused %r (errno %d), a valid weight"
                         % (data[:40], -ret))
            if m_def and valid is None:
                st["refused"].append(int(m_def.group(1)))

    def contiguity(self, path, st):
        if st["lo"] is None:
            return
        inside = [v for v in st["refused"] if st["lo"] < v < st["hi"]]
        if inside:
            self.bad(path, "refused %d value(s) between accepted %d and %d, e.g. %d"
                     % (len(inside), st["lo"], st["hi"], inside[0]))

    def run(self, files):
        rnd = random.Random(self.a.seed)
        ranges = {}
        for r in self.a.range:
            name, lohi = r.split("=")
            lo, hi = lohi.split(":")
            ranges[name] = (int(lo), int(hi))
        orig = {f: read(f) for f in files}
        stats = {f: dict(lo=None, hi=None, refused=[]) for f in files}
        order = [f for f in files for _ in range(self.a.writes)]
        rnd.shuffle(order)
        for f in order:
            data = gen_value(rnd, self.a.devnum.encode() if self.a.devnum else b"")
            if self.a.cgroup:
                self.cgroup_one(f, ranges.get(os.path.basename(f)), data,
                                self.a.devnum, stats[f])
            else:
                self.sysfs_one(f, ranges.get(os.path.basename(f)), data, stats[f])
        for f in files:
            self.contiguity(f, stats[f])
            st = stats[f]
            print("# %s: accepted %s..%s" % (f, st["lo"], st["hi"]))
        for f in files:
            val = orig[f]
            if self.a.cgroup and self.a.devnum:
                write(f, b"%s default" % self.a.devnum.encode())
            if self.a.cgroup:
                val = val.splitlines()[0] if val else b""
                if val.startswith(b"default "):
                    val = val.split()[1]
            if write(f, val.strip() or b"\n") < 0 or read(f) != orig[f]:
                self.bad(f, "could not restore %r (reads %r)" % (orig[f], read(f)))
        print("files=%d writes=%d accepted=%d refused=%d mismatches=%d"
              % (len(files), self.writes, self.accepted, self.refused,
                 self.mismatches))
        return 1 if self.mismatches else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--writes", type=int, default=1000, help="writes per file")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--range", action="append", default=[],
                    help="NAME=LO:HI, the valid values of a tunable")
    ap.add_argument("--cgroup", action="store_true", help="cgroup weight model")
    ap.add_argument("--devnum", default="", help="MAJ:MIN for per-device writes")
    ap.add_argument("--show", type=int, default=20)
    return Fuzz(ap.parse_args()).run(ap.parse_args().files)


if __name__ == "__main__":
    sys.exit(main())
