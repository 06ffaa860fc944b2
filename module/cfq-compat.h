/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cfq-compat.h: the little cfq-sched.c needs from the kernel, so that the
 * policy arithmetic builds unchanged in the module and in userspace (the
 * host unit test selftests/host/cfq_sched_test.c).
 *
 * In the kernel this is a list of includes.  In userspace it supplies the
 * integer types, the time constants and the 64-bit division helpers; the
 * test must provide the kernel rbtree API (struct rb_node, rb_root_cached,
 * rb_insert_color_cached(), rb_erase_cached(), rb_first_cached(), rb_next(),
 * rb_prev() ...) and define CFQ_HAVE_RBTREE before including cfq-sched.c.
 */
#ifndef _CFQ_COMPAT_H
#define _CFQ_COMPAT_H

#ifdef __KERNEL__

#include <linux/bitops.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/rbtree.h>
#include <linux/time64.h>
#include <linux/types.h>

#else /* !__KERNEL__ */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifndef CFQ_HAVE_RBTREE
#error "userspace builds of cfq-sched.c need an rbtree implementation first"
#endif

typedef uint64_t u64;
typedef int64_t s64;
typedef uint32_t u32;
typedef uint64_t sector_t;

#ifndef HZ
#define HZ		250	/* Debian's CONFIG_HZ */
#endif
#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_USEC	1000ULL
#define U64_MAX		UINT64_MAX

#define min_t(type, a, b)	((type)(a) < (type)(b) ? (type)(a) : (type)(b))
#define max_t(type, a, b)	((type)(a) > (type)(b) ? (type)(a) : (type)(b))
#define hweight32(w)		((unsigned int)__builtin_popcount((u32)(w)))
/* The kernel's, for the unsigned operands cfq-sched.c gives it. */
#define DIV_ROUND_CLOSEST(x, d)	(((x) + ((d) / 2)) / (d))

static inline u64 div_u64(u64 dividend, u32 divisor)
{
	return dividend / divisor;
}

static inline u64 div64_u64(u64 dividend, u64 divisor)
{
	return dividend / divisor;
}

static inline u64 mul_u64_u64_div_u64(u64 a, u64 mul, u64 div)
{
	return (u64)((__uint128_t)a * mul / div);
}

static inline u64 jiffies_to_nsecs(unsigned long j)
{
	return (u64)j * (NSEC_PER_SEC / HZ);
}

#endif /* __KERNEL__ */

#endif /* _CFQ_COMPAT_H */
