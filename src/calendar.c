/*
 * calendar.c
 *	  Financial periods, ages, England and Wales bank holidays and working days.
 *
 * The arithmetic lives in calendar_core.c; this file checks arguments, raises errors and keeps
 * the per-backend working-day index built from skpi.bank_holidays.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/parallel.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "calendar_core.h"
#include "reference.h"
#include "skpi.h"

/* Financial period functions accept dates of financial years 0001/02 to 5874896/97. */
#define FY_FIRST_YEAR 1
#define FY_LAST_YEAR 5874896

/* Years a bank_holidays row may hold (the table's CHECK constraint says the same). */
#define HOLIDAY_FIRST_YEAR 1900
#define HOLIDAY_LAST_YEAR 9999

static const char *const month_abbrev[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};


/* Financial year label such as 2019/20. */
static char *
fiscal_label(int32 fy)
{
	return psprintf("%04d/%02d", fy, (fy + 1) % 100);
}

/* Raises 22008 unless d lies in a financial year the period functions handle. */
static void
check_period_date(DateADT d, const char *argname)
{
	if (DATE_NOT_FINITE(d) ||
		cal_fiscal_year(d) < FY_FIRST_YEAR || cal_fiscal_year(d) > FY_LAST_YEAR)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s %s is outside the range of financial years", argname, skpi_date_text(d)),
				 errdetail("Financial periods are defined for dates from 0001-04-01 to 5874897-03-31.")));
}

/* Raises 22023 when a range is reversed. */
static void
check_range(DateADT from, DateADT to)
{
	if (from > to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("from_date %s is after to_date %s", skpi_date_text(from), skpi_date_text(to)),
				 errhint("Swap the arguments.")));
}

/* ---------------------------------------------------------------------------------------------
 * Financial periods
 * ---------------------------------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(skpi_fiscal_year);
PG_FUNCTION_INFO_V1(skpi_fiscal_year_start);
PG_FUNCTION_INFO_V1(skpi_fiscal_quarter);
PG_FUNCTION_INFO_V1(skpi_fiscal_period);
PG_FUNCTION_INFO_V1(skpi_periods);
PG_FUNCTION_INFO_V1(skpi_month_ends);
PG_FUNCTION_INFO_V1(skpi_quarter_ends);
PG_FUNCTION_INFO_V1(skpi_year_ends);

/* fiscal_year(d): '2019/20' for 2019-04-01..2020-03-31. */
Datum
skpi_fiscal_year(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);

	check_period_date(d, "date");
	PG_RETURN_TEXT_P(cstring_to_text(fiscal_label(cal_fiscal_year(d))));
}

/* fiscal_year_start(d): the 1 April that starts d's financial year. */
Datum
skpi_fiscal_year_start(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);

	check_period_date(d, "date");
	PG_RETURN_DATEADT(cal_day_number(cal_fiscal_year(d), 4, 1));
}

/* fiscal_quarter(d): 1..4, April-June = 1. */
Datum
skpi_fiscal_quarter(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);

	check_period_date(d, "date");
	PG_RETURN_INT32(cal_fiscal_quarter(d));
}

/* fiscal_period(d): '2019/20 Q1'. */
Datum
skpi_fiscal_period(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);

	check_period_date(d, "date");
	PG_RETURN_TEXT_P(cstring_to_text(psprintf("%s Q%d", fiscal_label(cal_fiscal_year(d)),
											  cal_fiscal_quarter(d))));
}

typedef enum PeriodUnit
{
	UNIT_MONTH,
	UNIT_QUARTER,
	UNIT_YEAR
} PeriodUnit;

/* Parses a period unit (case-insensitive, surrounding blanks ignored) or raises 22023. */
static PeriodUnit
parse_unit(text *unit)
{
	char	   *s = text_to_cstring(unit);
	char	   *p = s;
	int			len;

	while (*p == ' ' || *p == '\t')
		p++;
	len = strlen(p);
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		p[--len] = '\0';
	if (pg_strcasecmp(p, "month") == 0)
		return UNIT_MONTH;
	if (pg_strcasecmp(p, "quarter") == 0)
		return UNIT_QUARTER;
	if (pg_strcasecmp(p, "year") == 0)
		return UNIT_YEAR;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown period unit \"%s\"", s),
			 errdetail("Valid units are month, quarter (financial) and year (financial).")));
	pg_unreachable();
}

/* First day of the period of the given unit that contains d. */
static int32
period_start(PeriodUnit unit, int32 d)
{
	int32		y;
	int			m,
				dd;

	cal_civil(d, &y, &m, &dd);
	switch (unit)
	{
		case UNIT_MONTH:
			return cal_day_number(y, m, 1);
		case UNIT_QUARTER:
			/* Quarters start in January, April, July and October. */
			return cal_day_number(y, ((m - 1) / 3) * 3 + 1, 1);
		case UNIT_YEAR:
			return cal_day_number(m >= 4 ? y : y - 1, 4, 1);
	}
	elog(ERROR, "unrecognized period unit %d", (int) unit);
	pg_unreachable();
}

/* First day of the period after the one starting on start. */
static int32
period_next(PeriodUnit unit, int32 start)
{
	int32		y;
	int			m,
				dd;
	int			step = unit == UNIT_MONTH ? 1 : unit == UNIT_QUARTER ? 3 : 12;

	cal_civil(start, &y, &m, &dd);
	m += step;
	if (m > 12)
	{
		m -= 12;
		y++;
	}
	return cal_day_number(y, m, 1);
}

/* Label of the period starting on start. */
static char *
period_label(PeriodUnit unit, int32 start)
{
	int32		y;
	int			m,
				dd;

	cal_civil(start, &y, &m, &dd);
	switch (unit)
	{
		case UNIT_MONTH:
			return psprintf("%s %04d", month_abbrev[m - 1], y);
		case UNIT_QUARTER:
			return psprintf("%s Q%d", fiscal_label(cal_fiscal_year(start)),
							cal_fiscal_quarter(start));
		case UNIT_YEAR:
			return fiscal_label(cal_fiscal_year(start));
	}
	elog(ERROR, "unrecognized period unit %d", (int) unit);
	pg_unreachable();
}

/* periods(from_date, to_date, unit): every period overlapping the range, in order. */
Datum
skpi_periods(PG_FUNCTION_ARGS)
{
	DateADT		from = PG_GETARG_DATEADT(0);
	DateADT		to = PG_GETARG_DATEADT(1);
	PeriodUnit	unit = parse_unit(PG_GETARG_TEXT_PP(2));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext rowcxt,
				old;
	int32		s;

	check_period_date(from, "from_date");
	check_period_date(to, "to_date");
	check_range(from, to);

	InitMaterializedSRF(fcinfo, 0);
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "skpi periods row",
								   ALLOCSET_SMALL_SIZES);
	for (s = period_start(unit, from); s <= to;)
	{
		int32		next = period_next(unit, s);
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(rowcxt);
		values[0] = DateADTGetDatum(s);
		values[1] = DateADTGetDatum(next - 1);
		values[2] = PointerGetDatum(cstring_to_text(period_label(unit, s)));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
		s = next;
	}
	MemoryContextDelete(rowcxt);
	return (Datum) 0;
}

/* Builds a date[] of the last day of every period of the unit that ends within [from, to]. */
static ArrayType *
period_ends(PeriodUnit unit, DateADT from, DateADT to)
{
	int32		first_end = period_next(unit, period_start(unit, from)) - 1;
	int64		count = 0;
	int32		s;
	ArrayType  *result;
	DateADT    *data;
	Size		nbytes;

	for (s = first_end + 1; s - 1 <= to; s = period_next(unit, s))
	{
		CHECK_FOR_INTERRUPTS();
		count++;
	}
	if (count == 0)
		return construct_empty_array(DATEOID);
	if (count > (int64) MaxArraySize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the range from %s to %s holds too many period ends for an array",
						skpi_date_text(from), skpi_date_text(to))));

	nbytes = ARR_OVERHEAD_NONULLS(1) + sizeof(DateADT) * count;
	result = (ArrayType *) palloc0(nbytes);
	SET_VARSIZE(result, nbytes);
	result->ndim = 1;
	result->dataoffset = 0;
	result->elemtype = DATEOID;
	ARR_DIMS(result)[0] = (int) count;
	ARR_LBOUND(result)[0] = 1;
	data = (DateADT *) ((char *) result + ARR_OVERHEAD_NONULLS(1));
	for (s = first_end + 1; s - 1 <= to; s = period_next(unit, s))
		*data++ = s - 1;
	return result;
}

/* Shared body of month_ends, quarter_ends and year_ends. */
static Datum
period_ends_fn(FunctionCallInfo fcinfo, PeriodUnit unit)
{
	DateADT		from = PG_GETARG_DATEADT(0);
	DateADT		to = PG_GETARG_DATEADT(1);

	check_period_date(from, "from_date");
	check_period_date(to, "to_date");
	check_range(from, to);
	PG_RETURN_ARRAYTYPE_P(period_ends(unit, from, to));
}

/* month_ends(from_date, to_date): last day of each month that ends within the range. */
Datum
skpi_month_ends(PG_FUNCTION_ARGS)
{
	return period_ends_fn(fcinfo, UNIT_MONTH);
}

/* quarter_ends(from_date, to_date): 30 Jun, 30 Sep, 31 Dec, 31 Mar within the range. */
Datum
skpi_quarter_ends(PG_FUNCTION_ARGS)
{
	return period_ends_fn(fcinfo, UNIT_QUARTER);
}

/* year_ends(from_date, to_date): each 31 March within the range. */
Datum
skpi_year_ends(PG_FUNCTION_ARGS)
{
	return period_ends_fn(fcinfo, UNIT_YEAR);
}

/* ---------------------------------------------------------------------------------------------
 * Ages
 * ---------------------------------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(skpi_age_at);
PG_FUNCTION_INFO_V1(skpi_age_band);

/* Checks the arguments of age_at and age_band and returns the completed years. */
static int32
checked_age(DateADT dob, DateADT on)
{
	if (DATE_NOT_FINITE(dob) || DATE_NOT_FINITE(on))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("cannot compute an age from %s to %s", skpi_date_text(dob), skpi_date_text(on)),
				 errdetail("Ages are defined between finite dates only.")));
	if (on < dob)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("on_date %s is before the date of birth %s", skpi_date_text(on), skpi_date_text(dob))));
	return cal_age(dob, on);
}

/* age_at(dob, on_date): completed years. */
Datum
skpi_age_at(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(checked_age(PG_GETARG_DATEADT(0), PG_GETARG_DATEADT(1)));
}

/* age_band(dob, on_date): the DfE age band. */
Datum
skpi_age_band(PG_FUNCTION_ARGS)
{
	int32		age = checked_age(PG_GETARG_DATEADT(0), PG_GETARG_DATEADT(1));
	const char *band;

	if (age < 1)
		band = "Under 1";
	else if (age <= 4)
		band = "1 to 4";
	else if (age <= 9)
		band = "5 to 9";
	else if (age <= 15)
		band = "10 to 15";
	else
		band = "16 and over";
	PG_RETURN_TEXT_P(cstring_to_text(band));
}

/* ---------------------------------------------------------------------------------------------
 * Bank holiday rules
 * ---------------------------------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(skpi_bank_holiday_rules);

/* bank_holiday_rules(from_year, to_year): England and Wales bank holidays by rule. */
Datum
skpi_bank_holiday_rules(PG_FUNCTION_ARGS)
{
	int32		from_year = PG_GETARG_INT32(0);
	int32		to_year = PG_GETARG_INT32(1);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int32		y;

	if (from_year < CAL_RULES_FIRST_YEAR || from_year > CAL_RULES_LAST_YEAR ||
		to_year < CAL_RULES_FIRST_YEAR || to_year > CAL_RULES_LAST_YEAR)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("year %d is outside the years the bank holiday rules cover",
						(from_year < CAL_RULES_FIRST_YEAR || from_year > CAL_RULES_LAST_YEAR) ?
						from_year : to_year),
				 errdetail("The rules cover %d to %d.", CAL_RULES_FIRST_YEAR, CAL_RULES_LAST_YEAR)));
	if (from_year > to_year)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("from_year %d is after to_year %d", from_year, to_year)));

	InitMaterializedSRF(fcinfo, 0);
	for (y = from_year; y <= to_year; y++)
	{
		CalHoliday	h[CAL_MAX_HOLIDAYS_PER_YEAR];
		int			n = cal_rule_holidays(y, h);
		int			i;

		CHECK_FOR_INTERRUPTS();
		for (i = 0; i < n; i++)
		{
			Datum		values[2];
			bool		nulls[2] = {false, false};

			values[0] = DateADTGetDatum(h[i].dayno);
			values[1] = PointerGetDatum(cstring_to_text(h[i].name));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			pfree(DatumGetPointer(values[1]));
		}
	}
	return (Datum) 0;
}

/* ---------------------------------------------------------------------------------------------
 * Working days
 *
 * Each backend keeps a CalIndex built from skpi.bank_holidays. It is rebuilt when the
 * reference-table generation (reference.c) moves, i.e. after a committed change to the table
 * reached this backend, or this backend changed it. The table is read with the latest
 * snapshot, not the query's: an invalidation can arrive after the query's snapshot was taken,
 * and an index built from that older snapshot would then stay stale until the next change.
 * Parallel mode forbids a new snapshot, so an index built there is provisional and is rebuilt
 * at the first call outside parallel mode.
 * ---------------------------------------------------------------------------------------------
 */

typedef struct HolidayCache
{
	bool		valid;
	bool		provisional;
	uint64		generation;
	MemoryContext cxt;
	CalIndex	ix;

	/*
	 * working_days_between's fast path: the rank of every day of the first run of covered years
	 * (at most FAST_MAX_DAYS of it), usable while fast_generation equals the current generation.
	 * Generations start at 1, so 0 means "not usable" (an index that is empty, being rebuilt, or
	 * provisional in a leader, which must rebuild it once out of parallel mode).
	 */
	uint64		fast_generation;
	int32		fast_first;
	uint32		fast_span;		/* days in the fast range - 1 */
	int32	   *fast_rank;
} HolidayCache;

#define FAST_MAX_DAYS (200 * 366)

static HolidayCache hcache;

/* Reads skpi.bank_holidays and builds a fresh index. */
static void
load_holidays(void)
{
	Oid			relid = skpi_reference_table("bank_holidays");
	Relation	rel;
	AttrNumber	attnum;
	Snapshot	snapshot;
	TableScanDesc scan;
	TupleTableSlot *slot;
	bool		provisional = IsInParallelMode();
	uint64		generation;
	int32	   *days;
	int			ndays = 0,
				maxdays = 512;
	int32		first_year = PG_INT32_MAX,
				last_year = PG_INT32_MIN;
	MemoryContext cxt,
				old;
	bool	   *covered;
	int32		nwords,
				nyears;
	int32		fast_first = 0,
				fast_days = 0;
	int32	   *fast_rank = NULL;
	int			i;

	skpi_cache_watch(relid);
	rel = table_open(relid, AccessShareLock);
	/* Invalidations received while locking are now counted: read the generation after. */
	generation = skpi_cache_generation();

	attnum = get_attnum(relid, "holiday");
	if (attnum == InvalidAttrNumber || get_atttype(relid, attnum) != DATEOID)
		elog(ERROR, "%s.bank_holidays has no date column \"holiday\"", SKPI_SCHEMA);

	if (provisional)
		snapshot = ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot();
	else
		snapshot = GetLatestSnapshot();
	snapshot = RegisterSnapshot(snapshot);

	days = palloc(sizeof(int32) * maxdays);
	scan = table_beginscan(rel, snapshot, 0, NULL);
	slot = table_slot_create(rel, NULL);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		bool		isnull;
		DateADT		d = DatumGetDateADT(slot_getattr(slot, attnum, &isnull));
		int32		y;
		int			m,
					dd;

		CHECK_FOR_INTERRUPTS();
		if (isnull)
			continue;
		if (DATE_NOT_FINITE(d))
			y = DATE_IS_NOBEGIN(d) ? PG_INT32_MIN : PG_INT32_MAX;
		else
			cal_civil(d, &y, &m, &dd);
		if (y < HOLIDAY_FIRST_YEAR || y > HOLIDAY_LAST_YEAR)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("%s.bank_holidays holds %s, outside the years %d to %d",
							SKPI_SCHEMA, skpi_date_text(d), HOLIDAY_FIRST_YEAR, HOLIDAY_LAST_YEAR),
					 errhint("Delete that row from %s.bank_holidays.", SKPI_SCHEMA)));
		if (ndays == maxdays)
		{
			maxdays *= 2;
			days = repalloc(days, sizeof(int32) * maxdays);
		}
		days[ndays++] = d;
		first_year = Min(first_year, y);
		last_year = Max(last_year, y);
	}
	ExecDropSingleTupleTableSlot(slot);
	table_endscan(scan);
	UnregisterSnapshot(snapshot);
	table_close(rel, AccessShareLock);

	/* Built under the current context, so an error frees it; kept only on success. */
	cxt = AllocSetContextCreate(CurrentMemoryContext, "skpi bank holiday index",
								ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(cxt);
	if (ndays == 0)
	{
		/* An empty index: every date is outside the covered years. */
		static uint64 no_work[1];
		static int32 no_before[2];

		memset(&hcache.ix, 0, sizeof(CalIndex));
		hcache.ix.work = no_work;
		hcache.ix.before = no_before;
		hcache.ix.nruns = 0;
	}
	else
	{
		uint64	   *work;
		int32	   *before,
				   *run_first,
				   *run_last;

		nyears = last_year - first_year + 1;
		nwords = cal_index_words(first_year, last_year);
		covered = palloc0(sizeof(bool) * nyears);
		for (i = 0; i < ndays; i++)
		{
			int32		y;
			int			m,
						dd;

			cal_civil(days[i], &y, &m, &dd);
			covered[y - first_year] = true;
		}
		work = palloc(sizeof(uint64) * nwords);
		before = palloc(sizeof(int32) * (nwords + 1));
		run_first = palloc(sizeof(int32) * (nyears / 2 + 1));
		run_last = palloc(sizeof(int32) * (nyears / 2 + 1));
		cal_index_build(&hcache.ix, first_year, last_year, days, ndays, covered,
						work, before, run_first, run_last);
		pfree(covered);

		fast_first = run_first[0];
		fast_days = Min(run_last[0] - run_first[0] + 1, FAST_MAX_DAYS);
		fast_rank = palloc(sizeof(int32) * fast_days);
		for (i = 0; i < fast_days; i++)
			fast_rank[i] = cal_index_rank(&hcache.ix, fast_first + i);
	}
	MemoryContextSwitchTo(old);
	pfree(days);

	MemoryContextSetParent(cxt, TopMemoryContext);
	if (hcache.cxt)
		MemoryContextDelete(hcache.cxt);
	hcache.cxt = cxt;
	hcache.generation = generation;
	hcache.provisional = provisional;
	hcache.valid = true;
	hcache.fast_first = fast_first;
	hcache.fast_span = (uint32) Max(fast_days - 1, 0);
	hcache.fast_rank = fast_rank;
	/* A parallel worker never leaves parallel mode: its provisional index is final. */
	hcache.fast_generation = (fast_days > 0 && (!provisional || IsParallelWorker())) ? generation : 0;
}

/* The current working-day index, rebuilt first if the table changed. */
static inline const CalIndex *
holiday_index(void)
{
	if (unlikely(!hcache.valid || hcache.generation != skpi_cache_generation() ||
				 (hcache.provisional && !IsInParallelMode())))
	{
		hcache.valid = false;
		hcache.fast_generation = 0;
		load_holidays();
	}
	return &hcache.ix;
}

/* "2000 to 2040" (and further runs) for messages. */
static char *
covered_text(const CalIndex *ix)
{
	StringInfoData buf;
	int			i;

	if (ix->nruns == 0)
		return pstrdup("no year (the table is empty)");
	initStringInfo(&buf);
	for (i = 0; i < ix->nruns; i++)
	{
		int32		y1,
					y2;
		int			m,
					d;

		cal_civil(ix->run_first[i], &y1, &m, &d);
		cal_civil(ix->run_last[i], &y2, &m, &d);
		if (i > 0)
			appendStringInfoString(&buf, i == ix->nruns - 1 ? " and " : ", ");
		if (y1 == y2)
			appendStringInfo(&buf, "%d", y1);
		else
			appendStringInfo(&buf, "%d to %d", y1, y2);
	}
	return buf.data;
}

/* Hint that says how to add the holidays of year y. */
static int
add_holidays_hint(int32 y)
{
	if (y >= CAL_RULES_FIRST_YEAR && y <= CAL_RULES_LAST_YEAR)
		return errhint("Add the bank holidays of %d to %s.bank_holidays, for example: "
					   "INSERT INTO %s.bank_holidays SELECT * FROM %s.bank_holiday_rules(%d, %d);",
					   y, SKPI_SCHEMA, SKPI_SCHEMA, SKPI_SCHEMA, y, y);
	return errhint("Add the bank holidays of %d to %s.bank_holidays.", y, SKPI_SCHEMA);
}

/* Raises 22008 for a date outside the covered years. */
static void
pg_attribute_noreturn()
outside_error(const CalIndex *ix, DateADT d)
{
	int32		y;
	int			m,
				dd;

	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("working days are not defined for date %s", skpi_date_text(d)),
				 errdetail("%s.bank_holidays covers %s.", SKPI_SCHEMA, covered_text(ix)),
				 errhint("Pass a finite date.")));
	cal_civil(d, &y, &m, &dd);
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("date %s is outside the years covered by %s.bank_holidays",
					skpi_date_text(d), SKPI_SCHEMA),
			 errdetail("%s.bank_holidays covers %s.", SKPI_SCHEMA, covered_text(ix)),
			 add_holidays_hint(y)));
	pg_unreachable();
}

/* Run covering d, or a 22008 error. */
static int
run_of(const CalIndex *ix, DateADT d)
{
	int			r = DATE_NOT_FINITE(d) ? -1 : cal_index_run(ix, d);

	if (r < 0)
		outside_error(ix, d);
	return r;
}

/* Checks that a and b are covered and every year between them too. */
static void
check_pair(const CalIndex *ix, DateADT a, DateADT b)
{
	int			ra = run_of(ix, a);
	int			rb = run_of(ix, b);

	if (ra != rb)
	{
		int			lo = Min(ra, rb);
		int32		y;
		int			m,
					dd;

		/* The first uncovered year after run lo. */
		cal_civil(ix->run_last[lo] + 1, &y, &m, &dd);
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("the years between %s and %s are not all covered by %s.bank_holidays",
						skpi_date_text(a), skpi_date_text(b), SKPI_SCHEMA),
				 errdetail("%s.bank_holidays covers %s.", SKPI_SCHEMA, covered_text(ix)),
				 add_holidays_hint(y)));
	}
}

PG_FUNCTION_INFO_V1(skpi_is_working_day);
PG_FUNCTION_INFO_V1(skpi_working_days_between);
PG_FUNCTION_INFO_V1(skpi_add_working_days);

/* is_working_day(d): Monday-Friday and not a bank holiday. */
Datum
skpi_is_working_day(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);
	const CalIndex *ix = holiday_index();

	(void) run_of(ix, d);
	PG_RETURN_BOOL(cal_index_is_working(ix, d));
}

/* working_days_between for dates outside the fast range: checks coverage, raising 22008. */
static pg_noinline int32
working_days_between_slow(DateADT a, DateADT b)
{
	const CalIndex *ix = holiday_index();

	if (ix->nruns == 0 ||
		a < ix->run_first[0] || a > ix->run_last[0] ||
		b < ix->run_first[0] || b > ix->run_last[0])
		check_pair(ix, a, b);
	return cal_index_rank(ix, b) - cal_index_rank(ix, a);
}

/*
 * working_days_between(from_date, to_date): working days d with from_date < d <= to_date.
 *
 * The common case (a fresh index, both dates in the first covered run) is two array reads; it
 * takes no locals' addresses, so the compiler gives it no stack frame or canary.
 */
Datum
skpi_working_days_between(PG_FUNCTION_ARGS)
{
	DateADT		a = PG_GETARG_DATEADT(0);
	DateADT		b = PG_GETARG_DATEADT(1);
	uint32		oa = (uint32) a - (uint32) hcache.fast_first;
	uint32		ob = (uint32) b - (uint32) hcache.fast_first;

	if (likely(hcache.fast_generation == skpi_cache_generation() &&
			   oa <= hcache.fast_span && ob <= hcache.fast_span))
		PG_RETURN_INT32(hcache.fast_rank[ob] - hcache.fast_rank[oa]);
	PG_RETURN_INT32(working_days_between_slow(a, b));
}

/* add_working_days(d, n): the working day n working days after d (before, for n < 0). */
Datum
skpi_add_working_days(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);
	int32		n = PG_GETARG_INT32(1);
	const CalIndex *ix = holiday_index();
	int			r = run_of(ix, d);
	int64		lo,
				hi,
				target;
	int32		result;

	if (n == 0)
		PG_RETURN_DATEADT(d);

	/* Ranks of the run's working days are lo + 1 .. hi. */
	lo = cal_index_rank(ix, ix->run_first[r]) -
		(cal_index_is_working(ix, ix->run_first[r]) ? 1 : 0);
	hi = cal_index_rank(ix, ix->run_last[r]);
	target = (int64) cal_index_rank(ix, d) + n;
	if (target <= lo || target > hi)
	{
		int32		y;
		int			m,
					dd;

		cal_civil(target > hi ? ix->run_last[r] : ix->run_first[r], &y, &m, &dd);
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%d working days from %s is outside the years covered by %s.bank_holidays",
						n, skpi_date_text(d), SKPI_SCHEMA),
				 errdetail("%s.bank_holidays covers %s.", SKPI_SCHEMA, covered_text(ix)),
				 errhint("Add the bank holidays of the years %s %d to %s.bank_holidays.",
						 target > hi ? "after" : "before", y, SKPI_SCHEMA)));
	}
	result = cal_index_select(ix, (int32) target);
	if (result < ix->run_first[r] || result > ix->run_last[r] || !cal_index_is_working(ix, result))
		elog(ERROR, "working-day index lookup of rank " INT64_FORMAT " returned %s",
			 target, skpi_date_text(result));
	PG_RETURN_DATEADT(result);
}
