// SPDX-License-Identifier: GPL-2.0
/*
 * aioload: the engine registry.
 */
#include <stddef.h>

#include "engine.h"

static const struct engine_ops *const engines[ENG_NR] = {
	[ENG_SYNC] = &engine_sync,	   [ENG_PSYNC] = &engine_psync,
	[ENG_LIBAIO] = &engine_libaio,	   [ENG_POSIXAIO] = &engine_posixaio,
	[ENG_IO_URING] = &engine_io_uring, [ENG_PVSYNC2] = &engine_pvsync2,
};

const struct engine_ops *engine_find(int id)
{
	if (id < 0 || id >= ENG_NR)
		return NULL;
	return engines[id];
}
