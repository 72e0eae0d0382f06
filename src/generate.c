/*
 * generate.c
 *	  Pseudo-random draws for the synthetic data generator (skpi.generate_ssd).
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"

#include "skpi.h"

PG_FUNCTION_INFO_V1(skpi_generator_uniform);

/*
 * Returns a uniform draw in [0, 1) for an entity number and a salt: the low 53 bits of
 * hashint8extended(key, salt) divided by 2^53, so the same arguments give the same value on
 * every platform.
 */
Datum
skpi_generator_uniform(PG_FUNCTION_ARGS)
{
	int64		key = PG_GETARG_INT64(0);
	uint64		salt = (uint64) PG_GETARG_INT64(1);
	uint32		lohalf = (uint32) key;
	uint32		hihalf = (uint32) (key >> 32);
	uint64		h;

	/* the same folding of 64 bits into 32 as hashint8extended() */
	lohalf ^= (key >= 0) ? hihalf : ~hihalf;
	h = hash_bytes_uint32_extended(lohalf, salt);
	PG_RETURN_FLOAT8((double) (h & UINT64CONST(0x1FFFFFFFFFFFFF)) / 9007199254740992.0);
}
