/* SPDX-License-Identifier: GPL-2.0 */
/*
 * elvx: interfaces between the module's parts.
 */
#ifndef _ELVX_H
#define _ELVX_H

#define ELVX_VERSION	"0.1.0"

/* cfq-iosched.c */
int cfq_register(void);
void cfq_unregister(void);
void cfq_alive(unsigned int *queues, unsigned int *groups);

/* xdeadline.c */
int xdeadline_register(void);
void xdeadline_unregister(void);

#endif /* _ELVX_H */
