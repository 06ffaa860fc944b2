// SPDX-License-Identifier: GPL-2.0
/*
 * aioload: writing checkable blocks and checking them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "verify.h"

/* --- the job's side --- */

static bool job_writes(const struct job *j)
{
	return j->o.rw != RW_READ && j->o.rw != RW_RANDREAD;
}

int verify_setup(struct job *j)
{
	crc32c(0, "", 0);
	if (!j->o.verify || !job_writes(j))
		return 0;
	j->vtable = calloc(j->nblocks, sizeof(*j->vtable));
	if (!j->vtable) {
		job_fail(j, "--verify: no memory for %llu blocks",
			 (unsigned long long)j->nblocks);
		return -1;
	}
	return 0;
}

static uint64_t block_of(const struct job *j, const struct io_unit *u)
{
	return (u->offset - j->region_start) / j->o.bs;
}

void verify_fill(struct job *j, struct io_unit *u)
{
	struct vhdr *h = u->buf;
	uint64_t s[4], *p = (uint64_t *)(h + 1);
	uint64_t *end = (uint64_t *)((char *)u->buf + (u->len & ~7U));

	h->magic = VERIFY_MAGIC;
	h->crc = 0;
	h->offset = u->offset;
	h->seq = u->seq;
	h->run_id = j->run_id;
	h->job = j->num;
	h->len = u->len;
	prng_seed(s, j->run_id ^ u->offset ^ (u->seq << 32));
	while (p < end)
		*p++ = prng_next(s);
	h->crc = crc32c(0, u->buf, u->len);
}

static void record(struct job *j, struct io_unit *u, int kind, const char *what)
{
	struct job_stats *st = j->st;

	st->verify_errors++;
	if (st->nfail < VFAIL_MAX) {
		st->fail[st->nfail].offset = u->offset;
		st->fail[st->nfail].kind = kind;
		st->nfail++;
	}
	if (st->verify_errors <= 10)
		fprintf(stderr,
			"aioload: %s: verify: block at offset %llu: %s\n",
			j->name, (unsigned long long)u->offset, what);
	else if (st->verify_errors == 11)
		fprintf(stderr,
			"aioload: %s: verify: more bad blocks, not shown\n",
			j->name);
}

int verify_check(struct job *j, struct io_unit *u)
{
	struct vhdr *h = u->buf;
	uint32_t want, got;
	char what[160];

	j->st->verify_blocks++;
	if (u->res != (long)u->len) {
		record(j, u, VF_SHORT, "short read");
		return VF_SHORT;
	}
	if (h->magic != VERIFY_MAGIC) {
		record(j, u, VF_MAGIC,
		       "no aioload header: the block was lost or never written");
		return VF_MAGIC;
	}
	want = h->crc;
	h->crc = 0;
	got = crc32c(0, u->buf, u->len);
	h->crc = want;
	if (h->len != u->len || got != want) {
		snprintf(
			what, sizeof(what),
			"bad checksum (0x%08x, header says 0x%08x): a torn or corrupt write",
			got, want);
		record(j, u, VF_CRC, what);
		return VF_CRC;
	}
	if (h->offset != u->offset) {
		snprintf(what, sizeof(what),
			 "holds the block of offset %llu: a misdirected write",
			 (unsigned long long)h->offset);
		record(j, u, VF_OFFSET, what);
		return VF_OFFSET;
	}
	if (!u->seq) /* written by someone else: that is all we know */
		return -1;
	if (h->run_id != j->run_id) {
		record(j, u, VF_STALE,
		       "an intact block of an earlier run: a lost write");
		return VF_STALE;
	}
	if (h->job != (uint32_t)j->num) {
		snprintf(what, sizeof(what), "written by job %u, not this one",
			 h->job);
		record(j, u, VF_JOB, what);
		return VF_JOB;
	}
	if (h->seq != u->seq) {
		snprintf(what, sizeof(what),
			 "write %llu where write %llu should be: a lost write",
			 (unsigned long long)h->seq,
			 (unsigned long long)u->seq);
		record(j, u, VF_STALE, what);
		return VF_STALE;
	}
	return -1;
}

/*
 * Pick a block for the next I/O of the main phase, avoiding blocks with an
 * I/O in flight (two writes to one block in flight at once, or a read with
 * a write, leave it undefined).  false when all candidates are busy.
 */
bool verify_pick(struct job *j, uint64_t *blk)
{
	uint64_t b = *blk, n = j->nblocks, i;
	int tries;

	if (!j->vtable)
		return true;
	for (tries = 0; tries < 8 && (j->vtable[b] & VT_BUSY); tries++)
		b = prng_below(j->prng, n);
	for (i = 0; i < n && (j->vtable[b] & VT_BUSY); i++)
		b = b + 1 == n ? 0 : b + 1;
	if (j->vtable[b] & VT_BUSY)
		return false;
	*blk = b;
	return true;
}

/* Set a main-phase I/O up for verification, once its block is chosen. */
static void mark(struct job *j, struct io_unit *u)
{
	uint64_t *e = &j->vtable[block_of(j, u)];

	*e |= VT_BUSY;
	u->verify = 1;
	if (u->ddir == DDIR_WRITE) {
		u->seq = ++j->wseq;
		verify_fill(j, u);
	} else {
		/* a block this job has not written yet is not checked */
		u->seq = *e & VT_SEQ;
		if (!u->seq)
			u->verify = 2;
	}
}

void verify_prepare(struct job *j, struct io_unit *u)
{
	if (!j->o.verify)
		return;
	if (j->vtable) {
		mark(j, u);
	} else if (u->ddir == DDIR_READ) {
		/* a read-only job checks what an earlier run wrote */
		u->verify = 1;
		u->seq = 0;
	}
}

/* The I/O is back: check a read, remember a write. */
void verify_done(struct job *j, struct io_unit *u)
{
	uint64_t *e;

	if (!u->verify)
		return;
	if (!j->vtable) {
		if (u->res == (long)u->len)
			verify_check(j, u);
		u->verify = 0;
		return;
	}
	e = &j->vtable[block_of(j, u)];
	if (u->ddir == DDIR_WRITE) {
		/* a failed write leaves the block unknown: not checked */
		*e = u->res == (long)u->len ? u->seq : 0;
	} else {
		if (u->verify == 1 && u->res >= 0)
			verify_check(j, u);
		*e &= ~VT_BUSY;
	}
	u->verify = 0;
}

/* The read-back phase: every block written, in order. */
bool verify_next(struct job *j, struct io_unit *u)
{
	while (j->vcursor < j->nblocks && !(j->vtable[j->vcursor] & VT_SEQ))
		j->vcursor++;
	if (j->vcursor >= j->nblocks)
		return false;
	u->ddir = DDIR_READ;
	u->offset = j->region_start + j->vcursor * j->o.bs;
	u->len = j->o.bs;
	u->nostat = 1;
	u->verify = 1;
	u->seq = j->vtable[j->vcursor] & VT_SEQ;
	j->vtable[j->vcursor] |= VT_BUSY;
	j->vcursor++;
	return true;
}
