/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sizes as fio writes them, for every tool here (aioload, hddsim).
 *
 * A size is a whole number, decimal or hexadecimal after "0x", then an
 * optional unit prefix and an optional "b" for bytes, in any case:
 *
 *	512  512b  4k  4kb  4KiB  4ki  1M  2GiB  3t  1p  0x1000  0x10k
 *
 * k, m, g, t and p are powers of 1024, with or without the "i" and the
 * "b", as with fio's default kb_base=1024 ("4k" = "4kB" = "4KB" = 4096).
 * One difference from fio: there, with kb_base=1024, the IEC forms turn
 * around to powers of 1000 ("4KiB" = 4000) for the sake of old job files;
 * here "KiB" means what the standard says, 1024, which is also what both
 * tools always took it for.  A size of 1000-based units is written out in
 * digits.
 *
 * Nothing else is taken: no sign, no blank, no fraction, no other letter.
 * In a hexadecimal number "b" is a digit (0x1b is 27 bytes); a "b" for
 * bytes goes only after a prefix there (0x10kb).
 */
#ifndef ELVX_TOOLS_SIZE_H
#define ELVX_TOOLS_SIZE_H

#include <stdint.h>

/*
 * Parse @s into @v (bytes).  Returns 0, -EINVAL when @s is not a size
 * (empty, a sign, a blank, an unknown suffix, anything after it) or
 * -ERANGE when it is one but does not fit in 64 bits; @v is left alone
 * on error.
 */
int size_parse(const char *s, uint64_t *v);

#endif
