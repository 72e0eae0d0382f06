/*
 * calendar_core.h
 *	  Date arithmetic, financial periods, England and Wales bank holiday rules and the
 *	  working-day index, on plain day numbers (no PostgreSQL types).
 *
 * A day number counts days from 2000-01-01 (day 0), like PostgreSQL's DateADT, so the fmgr
 * layer passes dates through unchanged. Years are proleptic Gregorian; year 0 is 1 BC.
 */
#ifndef CALENDAR_CORE_H
#define CALENDAR_CORE_H

#include <stdbool.h>
#include <stdint.h>

/* Civil date <-> day number. */
extern int32_t cal_day_number(int32_t year, int month, int day);
extern void cal_civil(int32_t dayno, int32_t *year, int *month, int *day);
extern bool cal_is_leap(int32_t year);
extern int	cal_days_in_month(int32_t year, int month);

/* Day of the week, 0 = Monday .. 6 = Sunday. */
static inline int
cal_weekday(int32_t dayno)
{
	/* 2000-01-01 was a Saturday (5). */
	int			r = (int) (((int64_t) dayno + 5) % 7);

	return r < 0 ? r + 7 : r;
}

/* Gregorian Easter Sunday of year (year >= 1583). */
extern int32_t cal_easter_sunday(int32_t year);

/* Financial year (1 April to 31 March) and quarter (April-June = 1) of a day. */
extern int32_t cal_fiscal_year(int32_t dayno);
extern int	cal_fiscal_quarter(int32_t dayno);

/* Completed years from dob to on (on >= dob); 29 February birthdays move to 1 March. */
extern int32_t cal_age(int32_t dob, int32_t on);

/* England and Wales bank holidays of one year, by rule (moved and one-off days included). */
#define CAL_RULES_FIRST_YEAR 1995
#define CAL_RULES_LAST_YEAR 9999
#define CAL_MAX_HOLIDAYS_PER_YEAR 16

typedef struct CalHoliday
{
	int32_t		dayno;
	const char *name;
} CalHoliday;

/* Fills out[] in date order and returns the count; the year must be within the rules' years. */
extern int	cal_rule_holidays(int32_t year, CalHoliday *out);

/*
 * Working-day index over whole years: one bit per day (set = Monday-Friday and not a holiday)
 * in 64-day words, with the number of working days before each word. The rank of a day, the
 * number of working days from the first day of the index up to and including it, is one
 * word lookup and one popcount. Years without any holiday are not covered (a table that does
 * not list a year's holidays cannot tell its working days); covered years form runs.
 */
typedef struct CalIndex
{
	int32_t		first_day;		/* 1 January of the first year, bit 0 of word 0 */
	int32_t		last_day;		/* 31 December of the last year */
	int32_t		first_year;
	int32_t		last_year;
	int32_t		nwords;
	uint64_t   *work;			/* nwords bitmaps */
	int32_t    *before;			/* nwords + 1 running counts; before[nwords] = total */
	int			nruns;			/* runs of consecutive covered years */
	int32_t    *run_first;		/* nruns first days */
	int32_t    *run_last;		/* nruns last days */
} CalIndex;

/* Sizes of the arrays an index over years first_year..last_year needs. */
extern int32_t cal_index_words(int32_t first_year, int32_t last_year);

/*
 * Builds the index: the caller allocates work and before (cal_index_words() entries, plus one
 * for before) and run arrays of (last_year - first_year + 2) / 2 + 1 entries, and passes the
 * holidays (any order, duplicates allowed, every one within first_year..last_year) and a
 * flag per year (covered[y - first_year]).
 */
extern void cal_index_build(CalIndex *ix, int32_t first_year, int32_t last_year,
							const int32_t *holidays, int nholidays, const bool *covered,
							uint64_t *work, int32_t *before, int32_t *run_first, int32_t *run_last);

/*
 * Bits set in x. Without a POPCNT instruction enabled at compile time, the builtin becomes a
 * libgcc call; the inline SWAR count is faster than that on the working-day hot path.
 */
static inline int
cal_popcount64(uint64_t x)
{
#if defined(__POPCNT__) && (defined(__GNUC__) || defined(__clang__))
	return __builtin_popcountll(x);
#else
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (int) ((x * 0x0101010101010101ULL) >> 56);
#endif
}

/* Run (0..nruns-1) that covers dayno, or -1. */
static inline int
cal_index_run(const CalIndex *ix, int32_t dayno)
{
	int			i;

	for (i = 0; i < ix->nruns; i++)
		if (dayno >= ix->run_first[i] && dayno <= ix->run_last[i])
			return i;
	return -1;
}

/* Working days in [first_day, dayno]; dayno must be within [first_day, last_day]. */
static inline int32_t
cal_index_rank(const CalIndex *ix, int32_t dayno)
{
	uint32_t	off = (uint32_t) (dayno - ix->first_day);
	uint32_t	w = off >> 6;
	uint64_t	mask = (((uint64_t) 2) << (off & 63)) - 1;	/* bits 0..off&63 */

	return ix->before[w] + cal_popcount64(ix->work[w] & mask);
}

/* Whether dayno (within the index) is a working day. */
static inline bool
cal_index_is_working(const CalIndex *ix, int32_t dayno)
{
	uint32_t	off = (uint32_t) (dayno - ix->first_day);

	return (ix->work[off >> 6] >> (off & 63)) & 1;
}

/* The working day of rank r (1 <= r <= before[nwords]). */
extern int32_t cal_index_select(const CalIndex *ix, int32_t r);

#endif							/* CALENDAR_CORE_H */
