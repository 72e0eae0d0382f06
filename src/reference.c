/*
 * reference.c
 *	  Invalidation of per-backend caches of reference tables.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "reference.h"
#include "skpi.h"

#define MAX_WATCHED 32

uint64		skpi_reference_generation = 1;
static Oid	watched[MAX_WATCHED];
static int	n_watched = 0;
static bool callback_registered = false;

/* Relcache callback: moves the generation when a watched table (or everything) is invalidated. */
static void
reference_relcache_callback(Datum arg, Oid relid)
{
	int			i;

	if (!OidIsValid(relid))
	{
		skpi_reference_generation++;
		return;
	}
	for (i = 0; i < n_watched; i++)
	{
		if (watched[i] == relid)
		{
			skpi_reference_generation++;
			return;
		}
	}
}

/* Watches relid for invalidations. */
void
skpi_cache_watch(Oid relid)
{
	int			i;

	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(reference_relcache_callback, (Datum) 0);
		callback_registered = true;
	}
	for (i = 0; i < n_watched; i++)
		if (watched[i] == relid)
			return;
	if (n_watched >= MAX_WATCHED)
	{
		/*
		 * Only tables dropped and recreated many times fill the list: forget them all and move
		 * the generation, so that every cache reloads and watches its current table again.
		 */
		n_watched = 0;
		skpi_reference_generation++;
	}
	watched[n_watched++] = relid;
}

/* Returns the OID of skpi.<relname>. */
Oid
skpi_reference_table(const char *relname)
{
	Oid			nsp = get_namespace_oid(SKPI_SCHEMA, false);
	Oid			relid = get_relname_relid(relname, nsp);

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("reference table %s.%s does not exist", SKPI_SCHEMA, relname),
				 errhint("Reinstall the extension with DROP EXTENSION and CREATE EXTENSION safeguarding_kpi.")));
	return relid;
}

PG_FUNCTION_INFO_V1(skpi_reference_changed);

/* Statement trigger: tells every backend that the table's cached copy is stale. */
Datum
skpi_reference_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("skpi._reference_changed() must be called as a trigger")));
	CacheInvalidateRelcache(trigdata->tg_relation);
	return PointerGetDatum(NULL);
}
