/*
 * reference.h
 *	  Per-backend caches of the extension's reference tables.
 *
 * A cache (bank holidays, trio grouping, ...) remembers the generation it was built at and
 * rebuilds when skpi_cache_generation() has moved on. The generation moves when a relcache
 * invalidation arrives for a watched table: the tables' AFTER ... FOR EACH STATEMENT trigger
 * skpi._reference_changed() sends one, so a committed change reaches every session at its next
 * transaction, and the changing session at its next command.
 */
#ifndef SKPI_REFERENCE_H
#define SKPI_REFERENCE_H

#include "postgres.h"

/* The generation counter; read it through skpi_cache_generation(). */
extern uint64 skpi_reference_generation;

/* Current generation; compare with the one a cache was built at (inline: read on every call). */
static inline uint64
skpi_cache_generation(void)
{
	return skpi_reference_generation;
}

/* Adds relid to the tables whose invalidation moves the generation. */
extern void skpi_cache_watch(Oid relid);

/* OID of table skpi.<relname>, or an error naming it when it is missing. */
extern Oid	skpi_reference_table(const char *relname);

#endif							/* SKPI_REFERENCE_H */
