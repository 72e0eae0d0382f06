#!/bin/bash
# Unit test of the pure-C calendar kernel (src/calendar_core.c), built on its own with the
# address and undefined-behaviour sanitizers where the compiler has them: civil dates against
# day-by-day stepping, weekdays, ages against counting birthdays, and the working-day index
# (ranks, selection, runs of covered years) against brute force on random holiday tables.
set -euo pipefail

ROOT=${SKPI_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
WORK=$(mktemp -d "${SKPI_TMP:-/tmp}/calendar_core.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

cat >"$WORK/test_core.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "calendar_core.h"

static int failures = 0;
#define CHECK(cond, ...) do { if (!(cond)) { if (failures++ < 20) { \
	fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); fprintf(stderr, __VA_ARGS__); \
	fputc('\n', stderr); } } } while (0)

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }
static int64_t between(int64_t lo, int64_t hi) { return lo + (int64_t) (next() % (uint64_t) (hi - lo + 1)); }

/* Completed years by counting anniversaries (29 February -> 1 March in common years). */
static int32_t brute_age(int32_t dob, int32_t on)
{
	int32_t y, n = 0; int m, d;
	cal_civil(dob, &y, &m, &d);
	for (int32_t k = 1;; k++)
	{
		int32_t ann = (m == 2 && d == 29 && !cal_is_leap(y + k))
			? cal_day_number(y + k, 3, 1) : cal_day_number(y + k, m, d);
		if (ann > on) return n;
		n++;
	}
}

int main(void)
{
	/* Day numbers: 2000-01-01 is day 0, a Saturday; the extremes of PostgreSQL's date type. */
	CHECK(cal_day_number(2000, 1, 1) == 0, "epoch");
	CHECK(cal_weekday(0) == 5, "2000-01-01 is a Saturday");
	CHECK(cal_day_number(-4713, 11, 24) == -2451545, "first PostgreSQL date");
	CHECK(cal_day_number(5874897, 12, 31) == 2145031948, "last PostgreSQL date");

	/* Stepping one day at a time from 1500 to 2600 walks the civil calendar. */
	{
		int32_t y = 1500; int m = 1, d = 1, wd = cal_weekday(cal_day_number(1500, 1, 1));
		for (int32_t day = cal_day_number(1500, 1, 1); day <= cal_day_number(2600, 12, 31); day++)
		{
			int32_t cy; int cm, cd;
			cal_civil(day, &cy, &cm, &cd);
			CHECK(cy == y && cm == m && cd == d, "day %d: %d-%d-%d, expected %d-%d-%d", day, cy, cm, cd, y, m, d);
			CHECK(cal_day_number(y, m, d) == day, "day number of %d-%d-%d", y, m, d);
			CHECK(cal_weekday(day) == wd, "weekday of day %d", day);
			wd = (wd + 1) % 7;
			if (++d > cal_days_in_month(y, m)) { d = 1; if (++m > 12) { m = 1; y++; } }
		}
	}
	/* Round trips over the whole range of the date type. */
	for (int i = 0; i < 1000000; i++)
	{
		int32_t day = (int32_t) between(-2451545, 2145031948), y; int m, d;
		cal_civil(day, &y, &m, &d);
		CHECK(m >= 1 && m <= 12 && d >= 1 && d <= cal_days_in_month(y, m), "civil of %d", day);
		CHECK(cal_day_number(y, m, d) == day, "round trip of %d", day);
	}

	/* Ages and financial periods. */
	for (int i = 0; i < 200000; i++)
	{
		int32_t dob = (int32_t) between(-20000, 20000), on = dob + (int32_t) between(0, 40000), y;
		int m, d;
		if (i % 10 == 0)
			dob = cal_day_number((int32_t) between(1896, 2040) / 4 * 4, 2, 29);
		if (on < dob) on = dob;
		CHECK(cal_age(dob, on) == brute_age(dob, on), "age from %d to %d", dob, on);
		cal_civil(on, &y, &m, &d);
		CHECK(cal_fiscal_year(on) == (m >= 4 ? y : y - 1), "fiscal year of %d", on);
		CHECK(cal_fiscal_quarter(on) == (m >= 4 ? (m - 4) / 3 + 1 : 4), "quarter of %d", on);
	}

	/* Rule holidays: weekdays, in order, no duplicates, within the year. */
	for (int32_t y = CAL_RULES_FIRST_YEAR; y <= CAL_RULES_LAST_YEAR; y++)
	{
		CalHoliday h[CAL_MAX_HOLIDAYS_PER_YEAR];
		int n = cal_rule_holidays(y, h);
		CHECK(n >= 8 && n <= 10, "%d holidays in %d", n, y);
		for (int i = 0; i < n; i++)
		{
			int32_t hy; int hm, hd;
			cal_civil(h[i].dayno, &hy, &hm, &hd);
			CHECK(hy == y, "holiday of %d in %d", y, hy);
			CHECK(cal_weekday(h[i].dayno) < 5, "weekend holiday %d-%d-%d", hy, hm, hd);
			CHECK(i == 0 || h[i - 1].dayno < h[i].dayno, "order in %d", y);
		}
	}

	/* The index against brute force, on random tables with gaps. */
	for (int t = 0; t < 300; t++)
	{
		int32_t y0 = (int32_t) between(1900, 2100), y1 = y0 + (int32_t) between(0, 40);
		int32_t nyears = y1 - y0 + 1, first = cal_day_number(y0, 1, 1), last = cal_day_number(y1, 12, 31);
		int32_t ndays = last - first + 1, nwords = cal_index_words(y0, y1);
		bool *covered = calloc(nyears, 1), *hol = calloc(ndays, 1), *cov_day = calloc(ndays, 1);
		int32_t *hols = malloc(sizeof(int32_t) * 4000), *cum = malloc(sizeof(int32_t) * (ndays + 1));
		uint64_t *work = malloc(sizeof(uint64_t) * nwords);
		int32_t *before = malloc(sizeof(int32_t) * (nwords + 1));
		int32_t *rf = malloc(sizeof(int32_t) * (nyears / 2 + 1)), *rl = malloc(sizeof(int32_t) * (nyears / 2 + 1));
		int nh = 0;
		CalIndex ix;

		/* Years are covered with probability 0.85; the first and last always. */
		for (int32_t y = y0; y <= y1; y++)
		{
			covered[y - y0] = (y == y0 || y == y1 || between(0, 99) < 85);
			if (!covered[y - y0]) continue;
			for (int k = (int) between(1, 12); k > 0; k--)
				hols[nh++] = (int32_t) between(cal_day_number(y, 1, 1), cal_day_number(y, 12, 31));
		}
		for (int i = 0; i < nh; i++) hol[hols[i] - first] = true;
		cal_index_build(&ix, y0, y1, hols, nh, covered, work, before, rf, rl);

		cum[0] = 0;
		for (int32_t i = 0; i < ndays; i++)
		{
			int32_t y; int m, d;
			bool w = cal_weekday(first + i) < 5 && !hol[i];
			cal_civil(first + i, &y, &m, &d);
			cov_day[i] = covered[y - y0];
			cum[i + 1] = cum[i] + w;
			CHECK(cal_index_is_working(&ix, first + i) == w, "working flag of %d", first + i);
			CHECK(cal_index_rank(&ix, first + i) == cum[i + 1], "rank of %d", first + i);
			if (w)
				CHECK(cal_index_select(&ix, cum[i + 1]) == first + i, "select %d", cum[i + 1]);
			/* Runs: a day is in a run exactly when its year is covered; runs are maximal. */
			{
				int r = cal_index_run(&ix, first + i);
				CHECK((r >= 0) == cov_day[i], "run of %d", first + i);
				if (r >= 0)
				{
					CHECK(rf[r] <= first + i && first + i <= rl[r], "run bounds");
					CHECK(rf[r] == first || !cov_day[rf[r] - 1 - first], "run start is maximal");
					CHECK(rl[r] == last || !cov_day[rl[r] + 1 - first], "run end is maximal");
				}
			}
		}
		CHECK(before[nwords] == cum[ndays], "total");
		free(covered); free(hol); free(cov_day); free(hols); free(cum); free(work); free(before); free(rf); free(rl);
	}

	if (failures)
	{
		fprintf(stderr, "%d failures\n", failures);
		return 1;
	}
	printf("calendar_core: all checks passed\n");
	return 0;
}
C

CC=${CC:-gcc}
FLAGS="-std=gnu99 -O1 -g -Wall -Wextra -Werror -I$ROOT/src"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
if echo 'int main(void){return 0;}' | $CC $SAN -x c - -o "$WORK/probe" 2>/dev/null && "$WORK/probe"; then
	FLAGS="$FLAGS $SAN"
else
	echo "calendar_core: sanitizers unavailable, building without them"
fi
# shellcheck disable=SC2086
$CC $FLAGS "$WORK/test_core.c" "$ROOT/src/calendar_core.c" -o "$WORK/test_core"
"$WORK/test_core"
