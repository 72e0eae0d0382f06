/*
 * episodes.c
 *	  Window functions over episodes (plans, referrals, episodes of care) and
 *	  the straight-line distance between two OSGB grid references.
 *
 * The window functions follow src/backend/utils/adt/windowfuncs.c: each keeps
 * a running state in partition-local memory and is called once per row in
 * the window's order, so a partition of n rows costs O(n).  They read only the
 * current row's arguments; the "earlier rows" of a row are the rows of its
 * partition the function was called for before it, i.e. the rows before it in
 * the window's ORDER BY (ties are taken in the order the window delivers them).
 *
 * Rows with a NULL start date get a NULL result and are left out of the state:
 * they are never an earlier row of anything.  A NULL end date means the
 * episode is still open, held as DATEVAL_NOEND ('infinity') in the state.
 */
#include "postgres.h"

#include <math.h>

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"
#include "windowapi.h"

#include "skpi.h"

PG_FUNCTION_INFO_V1(skpi_repeat_within);
PG_FUNCTION_INFO_V1(skpi_previous_end);
PG_FUNCTION_INFO_V1(skpi_spell_number);
PG_FUNCTION_INFO_V1(skpi_grid_distance_miles);

/* How many rows the tuplestore mark may lag behind (see episode_advance). */
#define MARK_EVERY 64

/* Metres in a statute mile. */
#define METRES_PER_MILE 1609.344

/* Extent of the OSGB national grid, in metres from its false origin. */
#define GRID_MAX_EASTING 700000.0
#define GRID_MAX_NORTHING 1300000.0

/* Running state of one partition (zeroed by WinGetPartitionLocalMemory). */
typedef struct EpisodeState
{
	int64		nrows;			/* rows of the partition the function was called for */
	int64		last_pos;		/* position of the last row with a start date */
	int64		mark_pos;		/* where the window's mark was last set */
	bool		seen;			/* has a row with a start date been seen? */
	DateADT		last_start;		/* start date of that row */
	DateADT		max_end;		/* latest end date so far (DATEVAL_NOEND if open) */
	int32		spell;			/* current spell number (spell_number only) */
} EpisodeState;

/* What the current row brings, read by episode_row. */
typedef struct EpisodeRow
{
	int64		pos;			/* position in the partition */
	DateADT		start;
	DateADT		end;			/* DATEVAL_NOEND when open */
} EpisodeRow;

/* State kept for the whole query in fn_extra. */
typedef struct EpisodeQueryState
{
	bool		order_checked;	/* the window was seen to order by start date */
} EpisodeQueryState;


/* Returns the window object of a call, or raises an error outside a window. */
static WindowObject
episode_window(FunctionCallInfo fcinfo, const char *fname)
{
	WindowObject winobj = PG_WINDOW_OBJECT();

	if (!WindowObjectIsValid(winobj))
		ereport(ERROR,
				(errcode(ERRCODE_WINDOWING_ERROR),
				 errmsg("%s can only be called as a window function", fname),
				 errhint("Call it with OVER (PARTITION BY child ORDER BY start_date).")));
	return winobj;
}

/*
 * Reads the start and end date of the current row and checks them against
 * the partition's state: end not before start, rows in start date order, a
 * window that orders by start date.  Returns false when the start date is
 * NULL (the row gets a NULL result and stays out of the state).
 */
static bool
episode_row(FunctionCallInfo fcinfo, WindowObject winobj, EpisodeState *state,
			const char *fname, EpisodeRow *row)
{
	bool		isnull;
	Datum		d;

	row->pos = WinGetCurrentPosition(winobj);
	if (row->pos != state->nrows)
		elog(ERROR, "%s was called for row " INT64_FORMAT " of a partition after " INT64_FORMAT " rows",
			 fname, row->pos, state->nrows);
	state->nrows++;

	d = WinGetFuncArgCurrent(winobj, 0, &isnull);
	if (isnull)
		return false;
	row->start = DatumGetDateADT(d);

	d = WinGetFuncArgCurrent(winobj, 1, &isnull);
	row->end = isnull ? DATEVAL_NOEND : DatumGetDateADT(d);
	if (row->end < row->start)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("end date %s is before start date %s",
						skpi_date_text(row->end), skpi_date_text(row->start)),
				 errhint("Leave such rows out (or correct them) before calling %s.", fname)));

	if (state->seen && row->start != state->last_start)
	{
		/*
		 * The first time two rows with different start dates meet, check that
		 * the window tells them apart: without an ORDER BY every row is a peer
		 * of every other, and the order the rows arrive in means nothing (even
		 * when it happens to be by start date).  Once per query is enough, the
		 * window being the same for every partition.  An ORDER BY on another
		 * column passes, and the order check below then holds it to start
		 * date order.
		 */
		EpisodeQueryState *qstate = (EpisodeQueryState *) fcinfo->flinfo->fn_extra;

		if (qstate == NULL)
		{
			qstate = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
											sizeof(EpisodeQueryState));
			fcinfo->flinfo->fn_extra = qstate;
		}
		if (!qstate->order_checked)
		{
			if (WinRowsArePeers(winobj, state->last_pos, row->pos))
				ereport(ERROR,
						(errcode(ERRCODE_WINDOWING_ERROR),
						 errmsg("window of %s is not ordered by start date", fname),
						 errdetail("Rows starting on %s and %s are peers in the window.",
								   skpi_date_text(state->last_start), skpi_date_text(row->start)),
						 errhint("Call it with OVER (PARTITION BY child ORDER BY start_date).")));
			qstate->order_checked = true;
		}
		if (row->start < state->last_start)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("rows are not in start date order: %s comes after %s",
							skpi_date_text(row->start), skpi_date_text(state->last_start)),
					 errdetail("%s reads the rows of each partition in the order of the window.", fname),
					 errhint("Order the window by the start date: OVER (PARTITION BY child ORDER BY start_date).")));
	}
	return true;
}

/* Adds the current row to the partition's state. */
static void
episode_advance(WindowObject winobj, EpisodeState *state, const EpisodeRow *row)
{
	if (!state->seen || row->end > state->max_end)
		state->max_end = row->end;
	state->seen = true;
	state->last_start = row->start;
	state->last_pos = row->pos;

	/*
	 * Rows before this one are never read again: let the tuplestore drop
	 * them, every MARK_EVERY rows (a partition keeps at most that many more
	 * rows than it needs, and most partitions never pay for a mark).
	 */
	if (row->pos - state->mark_pos >= MARK_EVERY)
	{
		WinSetMarkPosition(winobj, row->pos);
		state->mark_pos = row->pos;
	}
}

/* Largest month count the day-number path of start_minus handles (beyond any date). */
#define MAX_FAST_MONTHS (12 * 300000)

/*
 * start - within for an interval with no time part, as a day number: the
 * steps of PostgreSQL's timestamp_mi_interval (months first, the day of the
 * month clamped to the new month's length, then days) done on day numbers
 * with PostgreSQL's own calendar helpers.  Returns false, leaving the work to
 * date_mi_interval itself, when start is infinite or the result could leave
 * the timestamp range (where PostgreSQL raises an error).
 */
static bool
start_minus(DateADT start, const Interval *within, int64 *cutoff)
{
	int			year;
	int			month;
	int			day;
	int64		jd;

	if (within->time != 0 || within->month > MAX_FAST_MONTHS ||
		start < DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE ||
		start >= TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE)
		return false;

	jd = (int64) start + POSTGRES_EPOCH_JDATE;
	if (within->month != 0)
	{
		j2date((int) jd, &year, &month, &day);
		month -= within->month;
		if (month < 1)
		{
			/* month is in [-MAX_FAST_MONTHS, 0]: as timestamp_pl_interval */
			year += month / MONTHS_PER_YEAR - 1;
			month = month % MONTHS_PER_YEAR + MONTHS_PER_YEAR;
		}
		if (year < -4713)
			return false;
		if (day > day_tab[isleap(year)][month - 1])
			day = day_tab[isleap(year)][month - 1];
		jd = date2j(year, month, day);
		if (jd < DATETIME_MIN_JULIAN)
			return false;
	}
	jd -= within->day;
	if (jd < DATETIME_MIN_JULIAN)
		return false;
	*cutoff = jd - POSTGRES_EPOCH_JDATE;
	return true;
}

/*
 * Is the latest end date of the earlier rows, max_end, on or after
 * start - within?  The cut-off is PostgreSQL's own date - interval, compared
 * as a timestamp like the SQL expression max_end >= start - within.
 */
static bool
ended_within(DateADT max_end, DateADT start, const Interval *within)
{
	Timestamp	cutoff;
	Timestamp	end_ts;
	int64		cutoff_day;
	int			overflow = 0;

	/* within has no negative part, so start - within <= start. */
	if (max_end >= start)
		return true;

	if (start_minus(start, within, &cutoff_day))
		return (int64) max_end >= cutoff_day;

	cutoff = DatumGetTimestamp(DirectFunctionCall2(date_mi_interval,
												   DateADTGetDatum(start),
												   IntervalPGetDatum(within)));
	end_ts = date2timestamp_opt_overflow(max_end, &overflow);
	if (overflow != 0)
		return overflow > 0;
	return end_ts >= cutoff;
}

/*
 * repeat_within(start_date, end_date, within) OVER (PARTITION BY child ORDER BY start_date)
 *
 * True when an earlier row of the partition ended on or after
 * start_date - within or is still open; false for the first row.
 */
Datum
skpi_repeat_within(PG_FUNCTION_ARGS)
{
	WindowObject winobj = episode_window(fcinfo, "repeat_within");
	EpisodeState *state;
	EpisodeRow	row;
	Interval   *within;
	bool		within_null;
	bool		result = false;

	state = (EpisodeState *) WinGetPartitionLocalMemory(winobj, sizeof(EpisodeState));
	if (!episode_row(fcinfo, winobj, state, "repeat_within", &row))
		PG_RETURN_NULL();

	within = DatumGetIntervalP(WinGetFuncArgCurrent(winobj, 2, &within_null));
	if (!within_null)
	{
		if (within->month < 0 || within->day < 0 || within->time < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("window of repeat_within must not be negative: %s",
							skpi_interval_text(within)),
					 errhint("Pass a length such as '2 years', '12 months' or '730 days'.")));
		result = state->seen && ended_within(state->max_end, row.start, within);
	}
	episode_advance(winobj, state, &row);

	if (within_null)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(result);
}

/*
 * previous_end(start_date, end_date) OVER (PARTITION BY child ORDER BY start_date)
 *
 * The latest end date of the earlier rows of the partition ('infinity' when
 * one is still open); NULL for the first row.
 */
Datum
skpi_previous_end(PG_FUNCTION_ARGS)
{
	WindowObject winobj = episode_window(fcinfo, "previous_end");
	EpisodeState *state;
	EpisodeRow	row;
	bool		first;
	DateADT		result;

	state = (EpisodeState *) WinGetPartitionLocalMemory(winobj, sizeof(EpisodeState));
	if (!episode_row(fcinfo, winobj, state, "previous_end", &row))
		PG_RETURN_NULL();

	first = !state->seen;
	result = state->max_end;
	episode_advance(winobj, state, &row);

	if (first)
		PG_RETURN_NULL();
	PG_RETURN_DATEADT(result);
}

/*
 * spell_number(start_date, end_date, max_gap_days, continues) OVER (PARTITION BY child ORDER BY start_date)
 *
 * Numbers spells 1, 2, ... : a row joins the current spell when continues is
 * true and start_date <= previous_end + max_gap_days, otherwise it starts the
 * next one.  continues NULL is not true (the row starts a spell).
 */
Datum
skpi_spell_number(PG_FUNCTION_ARGS)
{
	WindowObject winobj = episode_window(fcinfo, "spell_number");
	EpisodeState *state;
	EpisodeRow	row;
	int32		max_gap = 0;
	bool		continues = true;
	bool		isnull;

	state = (EpisodeState *) WinGetPartitionLocalMemory(winobj, sizeof(EpisodeState));
	if (!episode_row(fcinfo, winobj, state, "spell_number", &row))
		PG_RETURN_NULL();

	if (PG_NARGS() > 2)
	{
		max_gap = DatumGetInt32(WinGetFuncArgCurrent(winobj, 2, &isnull));
		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("max_gap_days of spell_number must not be NULL"),
					 errhint("Pass 0 to chain episodes that start on the day the previous one ended.")));
		if (max_gap < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("max_gap_days of spell_number must not be negative: %d", max_gap)));
	}
	if (PG_NARGS() > 3)
	{
		continues = DatumGetBool(WinGetFuncArgCurrent(winobj, 3, &isnull));
		if (isnull)
			continues = false;
	}

	if (!state->seen)
		state->spell = 1;
	else
	{
		bool		joins;

		if (!continues)
			joins = false;
		else if (DATE_IS_NOEND(state->max_end))
			joins = true;
		else if (DATE_IS_NOBEGIN(state->max_end))
			joins = DATE_IS_NOBEGIN(row.start);
		else
			joins = (int64) row.start <= (int64) state->max_end + max_gap;
		if (!joins)
		{
			if (state->spell == PG_INT32_MAX)
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("spell_number out of range")));
			state->spell++;
		}
	}
	episode_advance(winobj, state, &row);

	PG_RETURN_INT32(state->spell);
}

/*
 * grid_distance_miles(e1, n1, e2, n2): straight line between two OSGB grid
 * references (metres), in miles rounded to 1 decimal place (halves away from
 * zero).
 */
Datum
skpi_grid_distance_miles(PG_FUNCTION_ARGS)
{
	float8		e1 = PG_GETARG_FLOAT8(0);
	float8		n1 = PG_GETARG_FLOAT8(1);
	float8		e2 = PG_GETARG_FLOAT8(2);
	float8		n2 = PG_GETARG_FLOAT8(3);
	float8		de;
	float8		dn;
	float8		miles;

	if (!isfinite(e1) || !isfinite(n1) || !isfinite(e2) || !isfinite(n2))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("grid reference is not finite: (%g, %g) to (%g, %g)", e1, n1, e2, n2),
				 errhint("Pass NULL for an unknown grid reference.")));

	if (e1 < 0 || e1 > GRID_MAX_EASTING || n1 < 0 || n1 > GRID_MAX_NORTHING ||
		e2 < 0 || e2 > GRID_MAX_EASTING || n2 < 0 || n2 > GRID_MAX_NORTHING)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("grid reference is outside the national grid: (%g, %g) to (%g, %g)", e1, n1, e2, n2),
				 errhint("OSGB grid references are metres east (0 to 700000) and north (0 to 1300000) of the grid's origin.")));

	de = e1 - e2;
	dn = n1 - n2;
	miles = sqrt(de * de + dn * dn) / METRES_PER_MILE;
	PG_RETURN_FLOAT8(round(miles * 10.0) / 10.0);
}
