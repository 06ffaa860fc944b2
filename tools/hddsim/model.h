/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hddsim disk model: the service time of a rotating disk, with no I/O and
 * no clock of its own.  Times are nanoseconds of simulated time, as double.
 * See Documentation/hddsim.rst for the model and its sources.
 */
#ifndef HDDSIM_MODEL_H
#define HDDSIM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define HDD_SECTOR 512
#define HDD_MIN_CYLINDERS 256

struct hdd_params {
	uint64_t capacity; /* bytes */
	unsigned int rpm;
	unsigned int heads; /* surfaces: tracks per cylinder */
	unsigned int zones;
	double seek_track_ms; /* one-cylinder seek */
	double seek_avg_ms; /* mean over random seeks */
	double seek_full_ms; /* full stroke */
	double head_switch_ms;
	double outer_mbps; /* sustained, 10^6 bytes/s */
	double inner_mbps;
	double overhead_us; /* controller overhead per command */
	double iface_mbps; /* cache to host */
	unsigned int cache_kb; /* 0: no read cache */
	unsigned int cache_segments;
	unsigned int wcache_kb; /* 0: write-through */
};

struct hdd_zone {
	uint64_t first_lba;
	uint64_t sectors;
	uint32_t first_track;
	uint32_t tracks;
	uint32_t spt; /* sectors per track */
};

struct hdd_extent {
	uint64_t lba;
	uint32_t n;
};

struct hdd_seg {
	uint64_t start, end; /* cached sectors [start, end) */
	uint64_t lru;
};

/*
 * Read-ahead of the active segment: after a read from the media the head
 * goes on reading from @from, reached at time @at, until @limit or until
 * the next media command.
 */
struct hdd_stream {
	int seg; /* -1: none */
	uint64_t start; /* first sector kept */
	uint64_t from;
	uint64_t limit;
	double at;
};

struct hdd_model {
	struct hdd_params p;
	double rev; /* ns per revolution */
	double t_cyl, t_head; /* track and head switch, ns */
	double ovh; /* command overhead, ns */
	double iface; /* ns per sector from the cache */
	uint64_t sectors;
	uint32_t tracks, cylinders;
	unsigned int nzones;
	struct hdd_zone *zone;
	/* seek(x) = a + b sqrt(x) for x < x0, c + e x beyond; x in strokes */
	double seek_a, seek_b, seek_c, seek_e, seek_x0;
	/* cache */
	unsigned int nsegs;
	uint64_t seg_sectors;
	struct hdd_seg *seg;
	uint64_t lru_clock;
	struct hdd_stream ra;
	uint32_t head_track; /* when no read-ahead runs */
	/* write cache: dirty extents sorted by LBA, written back when idle */
	struct hdd_extent *dirty;
	unsigned int ndirty, maxdirty;
	uint64_t dirty_sectors, wcache_sectors;
	double media_free; /* the last media command's end */
	double busy_until; /* background write-back runs until then */
	uint64_t destages;
	double destage_ns;
};

enum hdd_op { HDD_READ, HDD_WRITE, HDD_FLUSH, HDD_TRIM, HDD_WRITE_FUA };

/* media, read cache, read-ahead, no media, write cache */
enum hdd_hit { HDD_MISS, HDD_HIT, HDD_STREAM, HDD_NOMEDIA, HDD_WCACHE };

/* What one command costs, from hdd_plan(); hdd_commit() applies it. */
struct hdd_cost {
	double start, done;
	double overhead, seek, rot, xfer;
	uint32_t dist; /* cylinders */
	uint32_t track; /* target track */
	enum hdd_hit hit;
	int seg; /* segment hit, for the LRU */
	uint64_t ra_pos; /* read-ahead position at start */
	double ra_resume; /* stream hit: when read-ahead resumes */
	double wait; /* for the write-back under way */
	uint32_t end_track; /* where the head ends */
};

void hdd_params_default(struct hdd_params *p);
int hdd_init(struct hdd_model *m, const struct hdd_params *p, char *err,
	     size_t errlen);
void hdd_free(struct hdd_model *m);

double hdd_seek_time(const struct hdd_model *m, uint32_t dist);
uint32_t hdd_track(const struct hdd_model *m, uint64_t lba, uint32_t *sector,
		   uint32_t *spt);
const struct hdd_zone *hdd_zone_of(const struct hdd_model *m, uint64_t lba);
static inline uint32_t hdd_cyl(const struct hdd_model *m, uint32_t track)
{
	return track / m->p.heads;
}

double hdd_angle(const struct hdd_model *m, uint64_t lba);
double hdd_rot_wait(const struct hdd_model *m, uint64_t lba, double t);
double hdd_seq_time(const struct hdd_model *m, uint64_t from, uint64_t to);
uint64_t hdd_seq_advance(const struct hdd_model *m, uint64_t from, double dt,
			 uint64_t limit);
double hdd_zone_mbps(const struct hdd_model *m, unsigned int z);

void hdd_background(struct hdd_model *m, double t);
void hdd_plan(const struct hdd_model *m, double t, enum hdd_op op, uint64_t lba,
	      uint32_t n, struct hdd_cost *c);
void hdd_commit(struct hdd_model *m, enum hdd_op op, uint64_t lba, uint32_t n,
		const struct hdd_cost *c);
void hdd_service(struct hdd_model *m, double t, enum hdd_op op, uint64_t lba,
		 uint32_t n, struct hdd_cost *c);

#endif
