// SPDX-License-Identifier: GPL-2.0
/*
 * Sizes as fio writes them: see size.h for the syntax.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "size.h"

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* The power of 1024 a unit prefix stands for, 0 for none. */
static int prefix_power(char c)
{
	static const char prefixes[] = "kmgtp";
	int i;

	for (i = 0; prefixes[i]; i++)
		if (lower(c) == prefixes[i])
			return i + 1;
	return 0;
}

int size_parse(const char *s, uint64_t *v)
{
	unsigned int base = 10, shift;
	bool overflow = false;
	const char *p = s;
	uint64_t n = 0;
	int d, pow;

	if (p[0] == '0' && lower(p[1]) == 'x') {
		base = 16;
		p += 2;
	}
	if (digit_value(*p) < 0 || (unsigned int)digit_value(*p) >= base)
		return -EINVAL;
	for (; (d = digit_value(*p)) >= 0 && (unsigned int)d < base; p++) {
		if (n > (UINT64_MAX - d) / base)
			overflow = true;
		n = n * base + d;
	}

	pow = prefix_power(*p);
	if (pow) {
		p++;
		if (lower(*p) == 'i')
			p++;
	}
	if (lower(*p) == 'b')
		p++;
	if (*p)
		return -EINVAL;

	shift = 10 * pow;
	if (overflow || (shift && n > UINT64_MAX >> shift))
		return -ERANGE;
	*v = n << shift;
	return 0;
}
