/*
 * ranking.c
 *	  The skpi.ranking type, the rank_table aggregate and the ranks() table function.
 *
 * skpi.ranking is a varlena holding the distinct (item, unit) pairs (ranking_core.h). Inside an
 * aggregate the state is an expanded object: the transition function receives its read-write
 * pointer back and adds to the hash tables in place, so nothing is copied per row. The executor
 * flattens it when the value leaves the aggregate (a result, or a partial state sent from a
 * parallel worker), and the combine function merges flat values into its own expanded state.
 * Because the state is a real type with exact text input and output, a distributed planner can
 * ship partial states between nodes as text.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "ranking_core.h"
#include "skpi.h"

typedef struct RankingExpanded
{
	ExpandedObjectHeader hdr;
	RkRanking	r;
} RankingExpanded;

/* Kernel memory hooks: huge allocations allowed, interrupts checked in long loops. */
static void *
rk_palloc(void *ctx, size_t size)
{
	return MemoryContextAllocHuge((MemoryContext) ctx, size);
}

static void
rk_pfree(void *ctx, void *ptr)
{
	pfree(ptr);
}

static void
rk_tick(void *ctx)
{
	CHECK_FOR_INTERRUPTS();
}

/* Hooks allocating in cxt. */
static RkAlloc
rk_alloc_in(MemoryContext cxt)
{
	RkAlloc		a = {rk_palloc, rk_pfree, rk_tick, cxt};

	return a;
}

static void
too_large(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("rank table too large"),
			 errdetail("A %s.ranking value holds at most 1 GB of distinct (item, unit) pairs.", SKPI_SCHEMA),
			 errhint("Rank fewer rows per group, or use shorter unit identifiers.")));
}

/* Expanded-object method: size of the flat form. */
static Size
ranking_get_flat_size(ExpandedObjectHeader *eohptr)
{
	RankingExpanded *re = (RankingExpanded *) eohptr;
	size_t		body = rk_flat_size(&re->r);

	if (body > RK_MAX_BYTES)
		too_large();
	return VARHDRSZ + body;
}

/* Expanded-object method: writes the flat form. */
static void
ranking_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	RankingExpanded *re = (RankingExpanded *) eohptr;

	if (allocated_size != VARHDRSZ + rk_flat_size(&re->r))
		elog(ERROR, "wrong size %zu for a flattened %s.ranking", (size_t) allocated_size, SKPI_SCHEMA);
	rk_flatten(&re->r, (char *) result + VARHDRSZ);
	SET_VARSIZE(result, allocated_size);
}

static const ExpandedObjectMethods ranking_methods = {
	ranking_get_flat_size,
	ranking_flatten_into
};

/* A new, empty expanded ranking in its own context under parent. */
static RankingExpanded *
ranking_new(MemoryContext parent)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "skpi ranking", 0, 1024, 8 * 1024 * 1024);
	RankingExpanded *re = MemoryContextAlloc(cxt, sizeof(RankingExpanded));
	RkAlloc		a = rk_alloc_in(cxt);

	EOH_init_header(&re->hdr, &ranking_methods, cxt);
	rk_init(&re->r, &a);
	return re;
}

/* Opens a view of a flat ranking (4-byte header, as returned by PG_DETOAST_DATUM). */
static void
open_flat(struct varlena *v, RkFlat *f)
{
	RkAlloc		a = rk_alloc_in(CurrentMemoryContext);

	if (rk_flat_open(f, VARDATA(v), VARSIZE(v) - VARHDRSZ, &a) != RK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupt %s.ranking value", SKPI_SCHEMA)));
}

/* Adds every pair of ranking datum d (flat or expanded) to re. */
static void
merge_datum(RankingExpanded *re, Datum d)
{
	struct varlena *v = PG_DETOAST_DATUM(d);
	RkFlat		f;

	open_flat(v, &f);
	if (rk_merge_flat(&re->r, &f) != RK_OK)
		too_large();
	if ((Pointer) v != DatumGetPointer(d))
		pfree(v);
}

/*
 * The aggregate state of argument argno as our read-write expanded object in aggcxt: the
 * object itself when the previous call returned it, otherwise a new one holding a copy.
 */
static RankingExpanded *
ranking_state(FunctionCallInfo fcinfo, int argno, MemoryContext aggcxt)
{
	Datum		d = PG_GETARG_DATUM(argno);
	RankingExpanded *re;

	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(d);

		if (eoh->eoh_methods == &ranking_methods &&
			MemoryContextGetParent(eoh->eoh_context) == aggcxt)
			return (RankingExpanded *) eoh;
	}
	re = ranking_new(aggcxt);
	merge_datum(re, d);
	return re;
}

PG_FUNCTION_INFO_V1(skpi_ranking_in);

/* Text input: {"item":["unit",...],...}. */
Datum
skpi_ranking_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	size_t		len = strlen(s);
	RkAlloc		a = rk_alloc_in(CurrentMemoryContext);
	RkRanking	r;
	size_t		errpos;
	const char *why;
	bool		escape8;
	int			rc;
	struct varlena *result;

	rk_init(&r, &a);
	rc = rk_parse(&r, s, len, &errpos, &why, &escape8);
	if (rc == RK_TOO_LARGE)
		too_large();
	if (rc != RK_OK)
	{
		int			clip = pg_mbcliplen(s, (int) Min(len, (size_t) PG_INT32_MAX), 64);

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s.ranking: \"%.*s%s\"", SKPI_SCHEMA,
						clip, s, (size_t) clip < len ? "..." : ""),
				 errdetail("%c%s at character %d.", pg_toupper((unsigned char) why[0]), why + 1,
						   pg_mbstrlen_with_len(s, (int) errpos) + 1),
				 errhint("Write a JSON object mapping each item to the array of its units, such as {\"3B\":[\"a1\",\"a2\"],\"4B\":[\"a1\"]}.")));
	}
	if (escape8 && GetDatabaseEncoding() != PG_UTF8)
		ereport(ERROR,
				(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
				 errmsg("Unicode escape values above 007F are only supported in a UTF8 database")));
	result = palloc(VARHDRSZ + rk_flat_size(&r));
	rk_flatten(&r, (char *) result + VARHDRSZ);
	SET_VARSIZE(result, VARHDRSZ + rk_flat_size(&r));
	rk_free(&r);
	PG_RETURN_POINTER(result);
}

/* rk_format callback: appends to a StringInfo. */
static void
append_piece(void *arg, const char *s, size_t n)
{
	appendBinaryStringInfo((StringInfo) arg, s, (int) n);
}

PG_FUNCTION_INFO_V1(skpi_ranking_out);

/* Text output, items and units sorted bytewise. */
Datum
skpi_ranking_out(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	RkAlloc		a = rk_alloc_in(CurrentMemoryContext);
	RkFlat		f;
	StringInfoData buf;

	open_flat(v, &f);
	initStringInfo(&buf);
	rk_format(&f, &a, append_piece, &buf);
	PG_RETURN_CSTRING(buf.data);
}

PG_FUNCTION_INFO_V1(skpi_rank_table_add);

/* rank_table transition: adds one (item, unit) pair (the aggregate skips NULLs). */
Datum
skpi_rank_table_add(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	RankingExpanded *re;
	text	   *item,
			   *unit;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s._rank_table_add called outside an aggregate", SKPI_SCHEMA);
	re = ranking_state(fcinfo, 0, aggcxt);
	item = PG_GETARG_TEXT_PP(1);
	unit = PG_GETARG_TEXT_PP(2);
	if (rk_add(&re->r, VARDATA_ANY(item), VARSIZE_ANY_EXHDR(item),
			   VARDATA_ANY(unit), VARSIZE_ANY_EXHDR(unit)) != RK_OK)
		too_large();
	PG_RETURN_DATUM(EOHPGetRWDatum(&re->hdr));
}

PG_FUNCTION_INFO_V1(skpi_rank_table_combine);

/* rank_table combine: the union of two states' pairs. */
Datum
skpi_rank_table_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	RankingExpanded *re;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s._rank_table_combine called outside an aggregate", SKPI_SCHEMA);
	re = ranking_state(fcinfo, 0, aggcxt);
	merge_datum(re, PG_GETARG_DATUM(1));
	PG_RETURN_DATUM(EOHPGetRWDatum(&re->hdr));
}

PG_FUNCTION_INFO_V1(skpi_ranks);

/* ranks(r, top): the rank table, standard competition ranks, ties at the edge kept. */
Datum
skpi_ranks(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	RkAlloc		a = rk_alloc_in(CurrentMemoryContext);
	struct varlena *v;
	RkFlat		f;
	RkRankRow  *rows;
	int64		top = -1;
	uint32		n,
				i;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	if (!PG_ARGISNULL(1))
	{
		top = PG_GETARG_INT32(1);
		if (top < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("top must not be negative: %d", PG_GETARG_INT32(1)),
					 errhint("Pass NULL for the whole table.")));
	}
	v = PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	open_flat(v, &f);
	rows = palloc(sizeof(RkRankRow) * Max(f.n_items, 1));
	n = rk_ranks(&f, &a, top, rows);
	for (i = 0; i < n; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};
		size_t		len;
		const char *name = rk_flat_item(&f, rows[i].item, &len);

		values[0] = Int32GetDatum((int32) rows[i].rank);
		values[1] = PointerGetDatum(cstring_to_text_with_len(name, (int) len));
		values[2] = Int64GetDatum((int64) rows[i].units);
		values[3] = Float8GetDatum((double) rows[i].units * 100.0 / (double) f.n_units);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}
