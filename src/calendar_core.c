/*
 * calendar_core.c
 *	  Date arithmetic, financial periods, bank holiday rules and the working-day index.
 *
 * No PostgreSQL types here: see calendar_core.h.
 */
#include "calendar_core.h"

#include <string.h>

/* Days from 1970-01-01 to 2000-01-01. */
#define UNIX_TO_2000 10957

/* Floor division for a positive divisor. */
static inline int64_t
floordiv(int64_t a, int64_t b)
{
	return (a >= 0) ? a / b : -((-a + b - 1) / b);
}

/* Day number of a civil date (month 1..12, day 1..31). */
int32_t
cal_day_number(int32_t year, int month, int day)
{
	int64_t		y = (int64_t) year - (month <= 2);
	int64_t		era = floordiv(y, 400);
	int64_t		yoe = y - era * 400;	/* 0..399 */
	int64_t		mp = (month + 9) % 12;	/* March = 0 */
	int64_t		doy = (153 * mp + 2) / 5 + day - 1;
	int64_t		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (int32_t) (era * 146097 + doe - 719468 - UNIX_TO_2000);
}

/* Civil date of a day number. */
void
cal_civil(int32_t dayno, int32_t *year, int *month, int *day)
{
	int64_t		z = (int64_t) dayno + UNIX_TO_2000 + 719468;
	int64_t		era = floordiv(z, 146097);
	int64_t		doe = z - era * 146097;	/* 0..146096 */
	int64_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t		mp = (5 * doy + 2) / 153;
	int			d = (int) (doy - (153 * mp + 2) / 5 + 1);
	int			m = (int) (mp < 10 ? mp + 3 : mp - 9);

	*year = (int32_t) (yoe + era * 400 + (m <= 2));
	*month = m;
	*day = d;
}

/* Whether year is a Gregorian leap year. */
bool
cal_is_leap(int32_t year)
{
	return (year % 4 == 0) && (year % 100 != 0 || year % 400 == 0);
}

/* Days in a month. */
int
cal_days_in_month(int32_t year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month == 2 && cal_is_leap(year))
		return 29;
	return days[month - 1];
}

/* Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
int32_t
cal_easter_sunday(int32_t year)
{
	int32_t		a = year % 19;
	int32_t		b = year / 100;
	int32_t		c = year % 100;
	int32_t		d = b / 4;
	int32_t		e = b % 4;
	int32_t		f = (b + 8) / 25;
	int32_t		g = (b - f + 1) / 3;
	int32_t		h = (19 * a + b - d - g + 15) % 30;
	int32_t		i = c / 4;
	int32_t		k = c % 4;
	int32_t		l = (32 + 2 * e + 2 * i - h - k) % 7;
	int32_t		m = (a + 11 * h + 22 * l) / 451;
	int			month = (int) ((h + l - 7 * m + 114) / 31);
	int			day = (int) ((h + l - 7 * m + 114) % 31 + 1);

	return cal_day_number(year, month, day);
}

/* Year in which dayno's financial year starts. */
int32_t
cal_fiscal_year(int32_t dayno)
{
	int32_t		y;
	int			m,
				d;

	cal_civil(dayno, &y, &m, &d);
	return m >= 4 ? y : y - 1;
}

/* Financial quarter, 1 = April-June .. 4 = January-March. */
int
cal_fiscal_quarter(int32_t dayno)
{
	int32_t		y;
	int			m,
				d;

	cal_civil(dayno, &y, &m, &d);
	return ((m + 8) % 12) / 3 + 1;
}

/* Completed years between dob and on. */
int32_t
cal_age(int32_t dob, int32_t on)
{
	int32_t		y1,
				y2;
	int			m1,
				d1,
				m2,
				d2;

	cal_civil(dob, &y1, &m1, &d1);
	cal_civil(on, &y2, &m2, &d2);
	/* A 29 February birthday is reached on 1 March in other years: (2,29) > (2,28). */
	return y2 - y1 - ((m2 * 100 + d2) < (m1 * 100 + d1) ? 1 : 0);
}

/* First given weekday (0 = Monday) on or after dayno. */
static int32_t
weekday_on_or_after(int32_t dayno, int weekday)
{
	return dayno + (weekday - cal_weekday(dayno) + 7) % 7;
}

/* Last given weekday on or before dayno. */
static int32_t
weekday_on_or_before(int32_t dayno, int weekday)
{
	return dayno - (cal_weekday(dayno) - weekday + 7) % 7;
}

/* Appends a holiday. */
static void
add(CalHoliday *out, int *n, int32_t dayno, const char *name)
{
	out[*n].dayno = dayno;
	out[*n].name = name;
	(*n)++;
}

/* Whether dayno is already in out[0..n-1]. */
static bool
listed(const CalHoliday *out, int n, int32_t dayno)
{
	int			i;

	for (i = 0; i < n; i++)
		if (out[i].dayno == dayno)
			return true;
	return false;
}

/* Next weekday after dayno (exclusive) that is not in out[0..n-1]. */
static int32_t
next_free_weekday(const CalHoliday *out, int n, int32_t dayno)
{
	do
		dayno++;
	while (cal_weekday(dayno) >= 5 || listed(out, n, dayno));
	return dayno;
}

/*
 * England and Wales bank holidays of one year, as the Banking and Financial Dealings Act 1971
 * and the proclamations since then make them (definitions.md section 2), in date order.
 */
int
cal_rule_holidays(int32_t year, CalHoliday *out)
{
	int			n = 0;
	int32_t		d,
				easter;
	int			i,
				j;

	/* New Year's Day, or the Monday after when it falls at a weekend. */
	d = cal_day_number(year, 1, 1);
	if (cal_weekday(d) >= 5)
		add(out, &n, weekday_on_or_after(d, 0), "New Year's Day (substitute day)");
	else
		add(out, &n, d, "New Year's Day");

	easter = cal_easter_sunday(year);
	add(out, &n, easter - 2, "Good Friday");
	add(out, &n, easter + 1, "Easter Monday");

	/* Early May: first Monday in May; 1995 and 2020 moved to 8 May for VE Day. */
	if (year == 1995 || year == 2020)
		add(out, &n, cal_day_number(year, 5, 8), "Early May bank holiday (VE day)");
	else
		add(out, &n, weekday_on_or_after(cal_day_number(year, 5, 1), 0), "Early May bank holiday");
	if (year == 2023)
		add(out, &n, cal_day_number(2023, 5, 8), "Bank holiday for the coronation of King Charles III");

	/* Spring: last Monday in May, moved for the jubilees of 2002, 2012 and 2022. */
	switch (year)
	{
		case 2002:
			add(out, &n, cal_day_number(2002, 6, 3), "Queen's Golden Jubilee");
			add(out, &n, cal_day_number(2002, 6, 4), "Spring bank holiday");
			break;
		case 2012:
			add(out, &n, cal_day_number(2012, 6, 4), "Spring bank holiday");
			add(out, &n, cal_day_number(2012, 6, 5), "Queen's Diamond Jubilee");
			break;
		case 2022:
			add(out, &n, cal_day_number(2022, 6, 2), "Spring bank holiday");
			add(out, &n, cal_day_number(2022, 6, 3), "Platinum Jubilee bank holiday");
			break;
		default:
			add(out, &n, weekday_on_or_before(cal_day_number(year, 5, 31), 0), "Spring bank holiday");
			break;
	}

	if (year == 2011)
		add(out, &n, cal_day_number(2011, 4, 29), "Royal wedding");

	add(out, &n, weekday_on_or_before(cal_day_number(year, 8, 31), 0), "Summer bank holiday");

	if (year == 2022)
		add(out, &n, cal_day_number(2022, 9, 19), "State Funeral of Queen Elizabeth II");

	/*
	 * Christmas Day and Boxing Day; one at a weekend is replaced by the next weekday that is
	 * not already a holiday (Christmas first, so a Sunday Christmas moves to the Tuesday).
	 */
	d = cal_day_number(year, 12, 25);
	if (cal_weekday(d) < 5)
		add(out, &n, d, "Christmas Day");
	if (cal_weekday(d + 1) < 5)
		add(out, &n, d + 1, "Boxing Day");
	if (cal_weekday(d) >= 5)
		add(out, &n, next_free_weekday(out, n, d), "Christmas Day (substitute day)");
	if (cal_weekday(d + 1) >= 5)
		add(out, &n, next_free_weekday(out, n, d + 1), "Boxing Day (substitute day)");

	if (year == 1999)
		add(out, &n, cal_day_number(1999, 12, 31), "Millennium celebrations");

	/* Insertion sort into date order (at most a dozen entries). */
	for (i = 1; i < n; i++)
	{
		CalHoliday	h = out[i];

		for (j = i; j > 0 && out[j - 1].dayno > h.dayno; j--)
			out[j] = out[j - 1];
		out[j] = h;
	}
	return n;
}

/* Number of 64-day words an index over first_year..last_year needs. */
int32_t
cal_index_words(int32_t first_year, int32_t last_year)
{
	int64_t		days = (int64_t) cal_day_number(last_year, 12, 31) -
		cal_day_number(first_year, 1, 1) + 1;

	return (int32_t) ((days + 63) / 64);
}

/* Builds the working-day index (see calendar_core.h). */
void
cal_index_build(CalIndex *ix, int32_t first_year, int32_t last_year,
				const int32_t *holidays, int nholidays, const bool *covered,
				uint64_t *work, int32_t *before, int32_t *run_first, int32_t *run_last)
{
	int32_t		nwords = cal_index_words(first_year, last_year);
	int32_t		first_day = cal_day_number(first_year, 1, 1);
	int32_t		last_day = cal_day_number(last_year, 12, 31);
	int32_t		ndays = last_day - first_day + 1;
	int32_t		off,
				w,
				y,
				total;
	int			wd,
				i;

	ix->first_day = first_day;
	ix->last_day = last_day;
	ix->first_year = first_year;
	ix->last_year = last_year;
	ix->nwords = nwords;
	ix->work = work;
	ix->before = before;
	ix->run_first = run_first;
	ix->run_last = run_last;

	/* Weekdays. */
	memset(work, 0, sizeof(uint64_t) * nwords);
	wd = cal_weekday(first_day);
	for (off = 0; off < ndays; off++)
	{
		if (wd < 5)
			work[off >> 6] |= ((uint64_t) 1) << (off & 63);
		if (++wd == 7)
			wd = 0;
	}

	/* Holidays. */
	for (i = 0; i < nholidays; i++)
	{
		off = holidays[i] - first_day;
		if (off >= 0 && off < ndays)
			work[off >> 6] &= ~(((uint64_t) 1) << (off & 63));
	}

	/* Running counts. */
	total = 0;
	for (w = 0; w < nwords; w++)
	{
		before[w] = total;
		total += cal_popcount64(work[w]);
	}
	before[nwords] = total;

	/* Runs of covered years. */
	ix->nruns = 0;
	for (y = first_year; y <= last_year; y++)
	{
		if (!covered[y - first_year])
			continue;
		if (ix->nruns > 0 && run_last[ix->nruns - 1] == cal_day_number(y, 1, 1) - 1)
			run_last[ix->nruns - 1] = cal_day_number(y, 12, 31);
		else
		{
			run_first[ix->nruns] = cal_day_number(y, 1, 1);
			run_last[ix->nruns] = cal_day_number(y, 12, 31);
			ix->nruns++;
		}
	}
}

/* The working day of rank r: binary search over the words, then the bit within the word. */
int32_t
cal_index_select(const CalIndex *ix, int32_t r)
{
	int32_t		lo = 0,
				hi = ix->nwords - 1;
	uint64_t	bits;
	int32_t		k;
	int			b;

	/* Last word w with before[w] < r. */
	while (lo < hi)
	{
		int32_t		mid = lo + (hi - lo + 1) / 2;

		if (ix->before[mid] < r)
			lo = mid;
		else
			hi = mid - 1;
	}
	bits = ix->work[lo];
	k = r - ix->before[lo];		/* 1..popcount(bits) */
	for (b = 0; b < 64; b++)
	{
		if ((bits >> b) & 1)
		{
			if (--k == 0)
				return ix->first_day + lo * 64 + b;
		}
	}
	return ix->first_day - 1;	/* not reached for a valid r; the caller checks */
}
