/*
 * snapshots.c
 *	  "Open on a date" (definitions.md §6) for one row, and the open_counts() aggregate that
 *	  counts the rows open on each of many snapshot dates in one pass.
 *
 * open_counts() keeps a difference array: a row open on snapshots lo..hi-1 adds 1 at lo and
 * subtracts 1 at hi, both found by binary search, so a row costs O(log M) whatever its length;
 * the final function turns the differences into counts with a prefix sum.
 *
 * The state is a real type (bigint[]) so that parallel plans and Citus can split the
 * aggregate:
 *		[0]				M, the number of snapshot dates
 *		[1 .. M]		the snapshot dates (day numbers, strictly ascending)
 *		[M+1 .. 2M+1]	the difference array (M + 1 entries; the last one is never read)
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "miscadmin.h"
#include "nodes/primnodes.h"
#include "nodes/pg_list.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"

#include "skpi.h"

PG_FUNCTION_INFO_V1(skpi_open_on);
PG_FUNCTION_INFO_V1(skpi_open_counts_accum);
PG_FUNCTION_INFO_V1(skpi_open_counts_combine);
PG_FUNCTION_INFO_V1(skpi_open_counts_final);

/*
 * Per-call-site cache of the transition function: the last snapshot array checked, so that a
 * row costs no O(M) comparison. When the snapshots argument is a constant the array is checked
 * once; otherwise each row's array is compared with the copy (memcmp) and the copy is trusted
 * only for the state it was last compared with element by element.
 *
 * Once an array has served TABLE_AFTER_ROWS rows, and its dates span at most TABLE_MAX_SPAN
 * days, a table of the binary search's answer for every day of the span replaces the search
 * (one load instead of a chain of dependent loads: month ends over 10 years are 3,650 entries).
 */
#define TABLE_AFTER_ROWS	1024
#define TABLE_MAX_SPAN		40000

typedef struct OpenCountsCache
{
	bool		const_arg;		/* the snapshots argument is a non-NULL constant */
	bool		valid;			/* snaps holds a checked array */
	int			nsnaps;
	DateADT    *snaps;			/* in fn_mcxt */
	int			capacity;
	void	   *state;			/* state known to hold snaps (non-constant argument) */
	int64		rows;			/* rows served by snaps since it was stored */
	bool		table_tried;	/* the table was built, or cannot be */
	uint16	   *table;			/* table[k] = index of the first snapshot >= snaps[0] + k */
	int64		span;			/* snaps[M-1] - snaps[0]; the table has span + 2 entries */
	int64		table_capacity;
} OpenCountsCache;

/* Raises 22023 when an end date comes before its start date. */
static void
check_order(DateADT start, DateADT end)
{
	if (end < start)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("end date %s is before start date %s", skpi_date_text(end), skpi_date_text(start)),
				 errhint("Correct the record, or exclude it as a data-quality error.")));
}

/* start <= on_date and (end is NULL or end > on_date); NULL start or date gives NULL. */
Datum
skpi_open_on(PG_FUNCTION_ARGS)
{
	DateADT		start;
	DateADT		on_date;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	start = PG_GETARG_DATEADT(0);
	if (!PG_ARGISNULL(1))
		check_order(start, PG_GETARG_DATEADT(1));
	if (PG_ARGISNULL(2))
		PG_RETURN_NULL();
	on_date = PG_GETARG_DATEADT(2);
	PG_RETURN_BOOL(start <= on_date &&
				   (PG_ARGISNULL(1) || PG_GETARG_DATEADT(1) > on_date));
}

/*
 * Index of the first snapshot on or after key (n when none): a binary search without
 * data-dependent branches (the compiler turns the halving step into a conditional move).
 */
static inline int
lower_bound(const DateADT *snaps, int n, DateADT key)
{
	const DateADT *base = snaps;
	int			len = n;

	if (len == 0)
		return 0;
	while (len > 1)
	{
		int			half = len >> 1;

		base = (base[half] < key) ? base + half : base;
		len -= half;
	}
	return (int) (base - snaps) + (*base < key);
}

/*
 * Checks a snapshots argument (one-dimensional, no NULLs, strictly ascending) and returns its
 * dates and count.
 */
static DateADT *
snapshot_dates(ArrayType *arr, int *n)
{
	DateADT    *d;
	int			i;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("snapshot dates must be a one-dimensional array, got %d dimensions",
						ARR_NDIM(arr))));
	if (ARR_ELEMTYPE(arr) != DATEOID)
		elog(ERROR, "snapshot dates must be of type date");
	*n = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	if (ARR_HASNULL(arr))
	{
		bits8	   *bitmap = ARR_NULLBITMAP(arr);

		for (i = 0; i < *n; i++)
			if (!(bitmap[i / 8] & (1 << (i % 8))))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("snapshot dates must not be NULL"),
						 errdetail("Element %d of the array is NULL.", i + 1)));
	}
	d = (DateADT *) ARR_DATA_NONULLS(arr);
	for (i = 1; i < *n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (d[i] <= d[i - 1])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("snapshot dates must be ascending without duplicates"),
					 errdetail("Element %d (%s) does not come after element %d (%s).",
							   i + 1, skpi_date_text(d[i]), i, skpi_date_text(d[i - 1])),
					 errhint("Sort the dates and remove duplicates, e.g. with month_ends().")));
	}
	return d;
}

/* Stores a checked snapshot array in the cache (keeping the table if the dates are the same). */
static void
cache_snapshots(FunctionCallInfo fcinfo, OpenCountsCache *cache, const DateADT *d, int n)
{
	if (cache->valid && cache->nsnaps == n &&
		(n == 0 || memcmp(cache->snaps, d, sizeof(DateADT) * n) == 0))
		return;
	if (n > cache->capacity)
	{
		if (cache->snaps)
			pfree(cache->snaps);
		cache->snaps = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
										  sizeof(DateADT) * Max(n, 16));
		cache->capacity = Max(n, 16);
	}
	if (n > 0)
		memcpy(cache->snaps, d, sizeof(DateADT) * n);
	cache->nsnaps = n;
	cache->valid = true;
	cache->rows = 0;
	cache->table_tried = false;
	cache->span = -1;
}

/* Builds the lookup table of the cached dates, when they are few and close enough. */
static void
build_table(FunctionCallInfo fcinfo, OpenCountsCache *cache)
{
	int			m = cache->nsnaps;
	int64		span;
	int64		k;
	int			j = 0;

	cache->table_tried = true;
	cache->span = -1;
	if (m == 0 || m > PG_UINT16_MAX)
		return;
	span = (int64) cache->snaps[m - 1] - (int64) cache->snaps[0];
	if (span > TABLE_MAX_SPAN)
		return;
	if (span + 2 > cache->table_capacity)
	{
		if (cache->table)
			pfree(cache->table);
		cache->table = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(uint16) * (span + 2));
		cache->table_capacity = span + 2;
	}
	for (k = 0; k <= span; k++)
	{
		while (cache->snaps[j] < cache->snaps[0] + k)
			j++;
		cache->table[k] = (uint16) j;
	}
	cache->table[span + 1] = (uint16) m;
	cache->span = span;
}

/* Index of the first cached snapshot on or after key (nsnaps when none). */
static inline int
snapshot_index(const OpenCountsCache *cache, DateADT key)
{
	if (cache->span >= 0)
	{
		int64		k = (int64) key - (int64) cache->snaps[0];

		k = (k < 0) ? 0 : k;
		k = (k > cache->span + 1) ? cache->span + 1 : k;
		return cache->table[k];
	}
	return lower_bound(cache->snaps, cache->nsnaps, key);
}

/* The transition function's cache, created (and the argument inspected) on the first call. */
static OpenCountsCache *
get_cache(FunctionCallInfo fcinfo)
{
	OpenCountsCache *cache = (OpenCountsCache *) fcinfo->flinfo->fn_extra;

	if (cache == NULL)
	{
		Aggref	   *aggref = AggGetAggref(fcinfo);

		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(OpenCountsCache));
		if (aggref != NULL && list_length(aggref->args) >= 3)
		{
			TargetEntry *tle = (TargetEntry *) lthird(aggref->args);

			cache->const_arg = (IsA(tle->expr, Const) && !((Const *) tle->expr)->constisnull &&
								((Const *) tle->expr)->consttype == DATEARRAYOID);
		}
		fcinfo->flinfo->fn_extra = cache;
	}
	return cache;
}

/*
 * Checks that a state has the layout described at the top of the file and returns its
 * elements and M. With full, also checks the snapshot dates (ascending, within the date
 * range); without, only the size (enough for memory safety on the per-row path).
 */
static int64 *
state_elements(ArrayType *state, int *m, bool full)
{
	int64	   *e;
	int			n;
	int			i;

	if (ARR_NDIM(state) != 1 || ARR_HASNULL(state) || ARR_ELEMTYPE(state) != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("open_counts() state must be a one-dimensional bigint array without NULLs")));
	n = ARR_DIMS(state)[0];
	e = (int64 *) ARR_DATA_NONULLS(state);
	if (n < 2 || e[0] < 0 || e[0] > (n - 2) / 2 || n != 2 * e[0] + 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("open_counts() state has %d elements, which does not fit its snapshot count", n)));
	*m = (int) e[0];
	if (full)
	{
		for (i = 1; i <= *m; i++)
			if (e[i] < PG_INT32_MIN || e[i] > PG_INT32_MAX || (i > 1 && e[i] <= e[i - 1]))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("open_counts() state holds snapshot dates that are not ascending dates")));
	}
	return e;
}

/* Raises the error for rows of one group passing different snapshot arrays. */
static void
snapshots_differ(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("snapshot dates differ between rows of one open_counts() group"),
			 errhint("Pass the same array on every row, e.g. a constant or a month_ends() call.")));
}

/* Adds one row: +1 at the first snapshot it is open on, -1 after the last. */
Datum
skpi_open_counts_accum(PG_FUNCTION_ARGS)
{
	OpenCountsCache *cache;
	ArrayType  *state;
	int64	   *e;
	int			m;

	/* the cache exists only once a call has been found to be inside an aggregate */
	if (fcinfo->flinfo->fn_extra == NULL && !AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "open_counts transition function called in non-aggregate context");
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("snapshot dates must not be NULL"),
				 errhint("Pass an array of dates, e.g. month_ends(from_date, to_date).")));
	cache = get_cache(fcinfo);

	if (PG_ARGISNULL(0))
	{
		/* First row of a group: check the array and build the state. */
		int			i;

		if (!(cache->const_arg && cache->valid))
		{
			ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(3);
			DateADT    *d = snapshot_dates(arr, &m);

			cache_snapshots(fcinfo, cache, d, m);
		}
		m = cache->nsnaps;
		state = (ArrayType *) palloc0(ARR_OVERHEAD_NONULLS(1) + sizeof(int64) * (2 * m + 2));
		SET_VARSIZE(state, ARR_OVERHEAD_NONULLS(1) + sizeof(int64) * (2 * m + 2));
		state->ndim = 1;
		state->dataoffset = 0;
		state->elemtype = INT8OID;
		ARR_DIMS(state)[0] = 2 * m + 2;
		ARR_LBOUND(state)[0] = 1;
		e = (int64 *) ARR_DATA_NONULLS(state);
		e[0] = m;
		for (i = 0; i < m; i++)
			e[1 + i] = cache->snaps[i];
		/* the executor copies a new state into its own context; compare again on next row */
		cache->state = NULL;
	}
	else
	{
		Pointer		raw = DatumGetPointer(PG_GETARG_DATUM(0));

		/* our own states are never toasted: skip the detoasting call on the per-row path */
		state = VARATT_IS_EXTENDED(raw) ? (ArrayType *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0)) :
			(ArrayType *) raw;
		if (cache->const_arg)
		{
			/* size checks only: every state of this call site was built from the constant */
			m = cache->nsnaps;
			if (!cache->valid || ARR_NDIM(state) != 1 || ARR_HASNULL(state) ||
				ARR_DIMS(state)[0] != 2 * m + 2)
				elog(ERROR, "open_counts() state does not match its constant snapshot dates");
			e = (int64 *) ARR_DATA_NONULLS(state);
			if (e[0] != m)
				elog(ERROR, "open_counts() state does not match its constant snapshot dates");
		}
		else
		{
			ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(3);
			int			n;
			DateADT    *d;

			e = state_elements(state, &m, false);
			if (ARR_NDIM(arr) > 1 || ARR_HASNULL(arr) ||
				(n = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr))) != m)
				snapshots_differ();
			d = (DateADT *) ARR_DATA_NONULLS(arr);
			if (!(cache->valid && cache->state == (void *) state && cache->nsnaps == n &&
				  memcmp(d, cache->snaps, sizeof(DateADT) * n) == 0))
			{
				int			i;

				for (i = 0; i < m; i++)
					if (e[1 + i] != d[i])
						snapshots_differ();
				cache_snapshots(fcinfo, cache, d, m);
				cache->state = (void *) state;
			}
		}
	}

	if (!cache->table_tried && ++cache->rows >= TABLE_AFTER_ROWS)
		build_table(fcinfo, cache);

	if (!PG_ARGISNULL(1))
	{
		DateADT		start = PG_GETARG_DATEADT(1);
		int			lo;
		int			hi;

		if (PG_ARGISNULL(2))
			hi = m;
		else
		{
			DateADT		end = PG_GETARG_DATEADT(2);

			check_order(start, end);
			hi = snapshot_index(cache, end);
		}
		lo = snapshot_index(cache, start);
		if (lo < hi)
		{
			e[1 + m + lo]++;
			e[1 + m + hi]--;
		}
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

/* Adds two partial states, which must hold the same snapshot dates. */
Datum
skpi_open_counts_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *state;
	ArrayType  *other = PG_GETARG_ARRAYTYPE_P(1);
	int64	   *e;
	int64	   *o;
	int			m;
	int			mo;
	int			i;

	if (AggCheckCallContext(fcinfo, NULL))
		state = PG_GETARG_ARRAYTYPE_P(0);
	else
		state = PG_GETARG_ARRAYTYPE_P_COPY(0);
	e = state_elements(state, &m, true);
	o = state_elements(other, &mo, true);
	if (m != mo || memcmp(e + 1, o + 1, sizeof(int64) * m) != 0)
		snapshots_differ();
	for (i = 0; i <= m; i++)
	{
		if (pg_add_s64_overflow(e[1 + m + i], o[1 + m + i], &e[1 + m + i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("open_counts() count out of range")));
		CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

/* Prefix sum of the difference array: element i = rows open on snapshot i. */
Datum
skpi_open_counts_final(PG_FUNCTION_ARGS)
{
	ArrayType  *state = PG_GETARG_ARRAYTYPE_P(0);
	int64	   *e;
	int			m;
	int			i;
	int64		running = 0;
	Datum	   *counts;

	e = state_elements(state, &m, true);
	counts = (Datum *) palloc(sizeof(Datum) * Max(m, 1));
	for (i = 0; i < m; i++)
	{
		if (pg_add_s64_overflow(running, e[1 + m + i], &running) || running < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("open_counts() state holds differences that do not sum to counts")));
		counts[i] = Int64GetDatum(running);
		CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(counts, m, INT8OID, sizeof(int64),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}
