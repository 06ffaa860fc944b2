/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aioload: checkable blocks.
 *
 * With --verify every block written starts with a header that says what it
 * should be (which run, job and write wrote it, and where), is followed by
 * a pattern derived from that header, and carries a CRC32C of the whole
 * block.  Reading it back tells a good block from a lost write (an older
 * but intact block), a misdirected one (an intact block that belongs
 * elsewhere) and a torn or corrupt one (a bad checksum).
 */
#ifndef AIOLOAD_VERIFY_H
#define AIOLOAD_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "aioload.h"

#define VERIFY_MAGIC 0x4c4f4941U /* "AIOL" */
#define VERIFY_MAX_BLOCKS (32ULL << 20) /* 256MiB of table */

/* the table of blocks a job wrote: the last sequence, and a busy bit */
#define VT_BUSY (1ULL << 63)
#define VT_SEQ (~VT_BUSY)

struct vhdr {
	uint32_t magic;
	uint32_t crc; /* CRC32C of the block, this field as 0 */
	uint64_t offset; /* where the block belongs */
	uint64_t seq; /* the job's write sequence, from 1 */
	uint64_t run_id; /* random per aioload run */
	uint32_t job; /* the job's number */
	uint32_t len; /* the block's length */
};

int verify_setup(struct job *j);
void verify_fill(struct job *j, struct io_unit *u);
/* -1 when the block is good, else a VF_* kind (recorded and told) */
int verify_check(struct job *j, struct io_unit *u);
/* main phase: choose a block with no I/O in flight; false if none is */
bool verify_pick(struct job *j, uint64_t *blk);
/* main phase: mark the block busy, fill a write, note what a read expects */
void verify_prepare(struct job *j, struct io_unit *u);
/* completion: check a read, remember a write */
void verify_done(struct job *j, struct io_unit *u);
/* read-back phase: the next block written; false when all are read */
bool verify_next(struct job *j, struct io_unit *u);

#endif
