-- Calendar: declarations, properties against plain-SQL brute force, errors.
BEGIN;
SELECT plan(44);

SET LOCAL datestyle = ISO, YMD;
SELECT setseed(0.3);

-- ---------------------------------------------------------------------------------------------
-- Declarations: names, argument types, volatility (IMMUTABLE unless a table is read).
-- ---------------------------------------------------------------------------------------------
SELECT is(
	(SELECT array_agg(p.oid::regprocedure::text || ' ' || p.provolatile::text || p.proparallel::text ||
	                  CASE WHEN p.proisstrict THEN ' strict' ELSE '' END ORDER BY 1)
	 FROM pg_proc p
	 WHERE p.pronamespace = 'skpi'::regnamespace
	   AND p.proname IN ('fiscal_year', 'fiscal_year_start', 'fiscal_quarter', 'fiscal_period',
	                     'periods', 'month_ends', 'quarter_ends', 'year_ends', 'age_at', 'age_band',
	                     'bank_holiday_rules', 'is_working_day', 'working_days_between',
	                     'add_working_days')),
	ARRAY['skpi.add_working_days(date,integer) ss strict',
	      'skpi.age_at(date,date) is strict',
	      'skpi.age_band(date,date) is strict',
	      'skpi.bank_holiday_rules(integer,integer) is strict',
	      'skpi.fiscal_period(date) is strict',
	      'skpi.fiscal_quarter(date) is strict',
	      'skpi.fiscal_year(date) is strict',
	      'skpi.fiscal_year_start(date) is strict',
	      'skpi.is_working_day(date) ss strict',
	      'skpi.month_ends(date,date) is strict',
	      'skpi.periods(date,date,text) is strict',
	      'skpi.quarter_ends(date,date) is strict',
	      'skpi.working_days_between(date,date) ss strict',
	      'skpi.year_ends(date,date) is strict'],
	'calendar functions: signatures, IMMUTABLE/STABLE, PARALLEL SAFE, STRICT');
SELECT is(pg_get_function_result('skpi.periods(date,date,text)'::regprocedure),
          'TABLE(period_start date, period_end date, label text)', 'periods() result columns');
SELECT has_table('skpi', 'bank_holidays', 'table skpi.bank_holidays');
SELECT col_is_pk('skpi', 'bank_holidays', 'holiday', 'holiday is the primary key');
SELECT col_type_is('skpi', 'bank_holidays', 'holiday', 'date', 'holiday is a date');
SELECT col_not_null('skpi', 'bank_holidays', 'name', 'name is NOT NULL');
SELECT col_type_is('skpi', 'bank_holidays', 'name', 'text', 'name is text');

-- ---------------------------------------------------------------------------------------------
-- Working days against a brute-force day-by-day count in plain SQL.
-- ---------------------------------------------------------------------------------------------
-- 100,000 pairs: 99,800 within 45 days of each other (either order), 200 anywhere in the
-- covered years.
CREATE TEMP TABLE wd_pairs AS
SELECT i, a, CASE WHEN i <= 99800 THEN a + (floor(random() * 91) - 45)::int
                  ELSE '2000-01-01'::date + floor(random() * 14975)::int END AS b
FROM (SELECT i, '2000-02-15'::date + floor(random() * 14850)::int AS a
      FROM generate_series(1, 100000) i) s;
CREATE TEMP TABLE wd_brute AS
SELECT p.i,
       sign(p.b - p.a)::int * count(g.d) FILTER (
           WHERE extract(isodow FROM g.d) < 6
             AND NOT EXISTS (SELECT 1 FROM skpi.bank_holidays h WHERE h.holiday = g.d::date)) AS n
FROM wd_pairs p
LEFT JOIN LATERAL generate_series(least(p.a, p.b) + 1, greatest(p.a, p.b), interval '1 day') AS g(d)
       ON true
GROUP BY p.i, p.a, p.b;
SELECT is((SELECT count(*) FROM wd_pairs p JOIN wd_brute USING (i)
           WHERE skpi.working_days_between(p.a, p.b) IS DISTINCT FROM wd_brute.n),
          0::bigint, 'working_days_between = brute-force count on 100,000 random pairs');
SELECT cmp_ok((SELECT count(*) FROM wd_pairs WHERE a = b), '>', 500::bigint,
              'the random pairs include same-day pairs');
SELECT cmp_ok((SELECT count(*) FROM wd_pairs WHERE b < a), '>', 40000::bigint,
              'the random pairs include reversed pairs');

-- is_working_day against its definition, for every day 2000-2040.
SELECT is((SELECT count(*) FROM generate_series('2000-01-01'::date, '2040-12-31', '1 day') g(d)
           WHERE skpi.is_working_day(g.d::date) IS DISTINCT FROM
                 (extract(isodow FROM g.d) < 6 AND NOT EXISTS
                  (SELECT 1 FROM skpi.bank_holidays h WHERE h.holiday = g.d::date))),
          0::bigint, 'is_working_day = weekday and not a holiday, every day 2000-2040');

-- add_working_days inverts working_days_between: 100,000 random (d, n).
CREATE TEMP TABLE wd_add AS
SELECT d, n, skpi.add_working_days(d, n) AS r
FROM (SELECT '2002-01-01'::date + floor(random() * 13500)::int AS d,
             (floor(random() * 1001) - 500)::int AS n
      FROM generate_series(1, 100000)) s;
SELECT is((SELECT count(*) FROM wd_add WHERE skpi.working_days_between(d, r) <> n),
          0::bigint, 'working_days_between(d, add_working_days(d, n)) = n, 100,000 random pairs');
SELECT is((SELECT count(*) FROM wd_add WHERE n <> 0 AND NOT skpi.is_working_day(r)),
          0::bigint, 'add_working_days(d, n) is a working day for n <> 0');
SELECT is((SELECT count(*) FROM wd_add WHERE n = 0 AND r <> d), 0::bigint,
          'add_working_days(d, 0) = d');
-- The result is the nearest such day: no working day lies strictly between d and r beyond n.
SELECT is((SELECT count(*) FROM wd_add
           WHERE n > 0 AND skpi.working_days_between(d, r - 1) <> n - 1), 0::bigint,
          'for n > 0 the result is the first day reaching n');
SELECT is((SELECT count(*) FROM wd_add
           WHERE n < 0 AND skpi.working_days_between(d, r - 1) <> n - 1), 0::bigint,
          'for n < 0 the result is the first day reaching n going back');

-- ---------------------------------------------------------------------------------------------
-- Bank holiday rules against independent plain-SQL statements of each rule, 1995-2200.
-- ---------------------------------------------------------------------------------------------
CREATE TEMP TABLE bh AS SELECT * FROM skpi.bank_holiday_rules(1995, 2200);
SELECT is((SELECT count(*) FROM bh WHERE extract(isodow FROM holiday) > 5), 0::bigint,
          'every rule holiday falls on a weekday');
SELECT is((SELECT count(*) FROM generate_series(1995, 2200) y
           WHERE (SELECT count(*) FROM bh WHERE extract(year FROM holiday) = y)
                 <> 8 + CASE y WHEN 1999 THEN 1 WHEN 2002 THEN 1 WHEN 2011 THEN 1 WHEN 2012 THEN 1
                               WHEN 2022 THEN 2 WHEN 2023 THEN 1 ELSE 0 END),
          0::bigint, 'eight days a year, plus the one-off days');
SELECT is((SELECT count(*) FROM generate_series(1995, 2200) y
           WHERE NOT EXISTS (SELECT 1 FROM bh WHERE holiday =
                 (SELECT min(d)::date FROM generate_series(make_date(y, 1, 1), make_date(y, 1, 7), '1 day') d
                  WHERE extract(isodow FROM d) < 6))),
          0::bigint, 'New Year''s Day: the first weekday on or after 1 January');
SELECT is((SELECT count(*) FROM generate_series(1995, 2200) y
           WHERE y NOT IN (1995, 2020) AND NOT EXISTS (SELECT 1 FROM bh WHERE holiday =
                 (SELECT min(d)::date FROM generate_series(make_date(y, 5, 1), make_date(y, 5, 7), '1 day') d
                  WHERE extract(isodow FROM d) = 1))),
          0::bigint, 'early May: the first Monday in May (except 1995 and 2020)');
SELECT is((SELECT count(*) FROM generate_series(1995, 2200) y
           WHERE y NOT IN (2002, 2012, 2022) AND NOT EXISTS (SELECT 1 FROM bh WHERE holiday =
                 (SELECT max(d)::date FROM generate_series(make_date(y, 5, 25), make_date(y, 5, 31), '1 day') d
                  WHERE extract(isodow FROM d) = 1))),
          0::bigint, 'spring: the last Monday in May (except 2002, 2012, 2022)');
SELECT is((SELECT count(*) FROM generate_series(1995, 2200) y
           WHERE NOT EXISTS (SELECT 1 FROM bh WHERE holiday =
                 (SELECT max(d)::date FROM generate_series(make_date(y, 8, 25), make_date(y, 8, 31), '1 day') d
                  WHERE extract(isodow FROM d) = 1))),
          0::bigint, 'summer: the last Monday in August');
-- Christmas: 25 and 26 December when weekdays, and as many days in 25-28 December as there
-- are (two), the substitutes being the first weekdays not already taken.
SELECT is((SELECT count(*) FROM generate_series(1995, 2200) y
           WHERE ARRAY(SELECT holiday FROM bh WHERE holiday BETWEEN make_date(y, 12, 25) AND make_date(y, 12, 30) ORDER BY 1)
                 <> ARRAY(SELECT d::date FROM generate_series(make_date(y, 12, 25), make_date(y, 12, 30), '1 day') d
                          WHERE extract(isodow FROM d) < 6 ORDER BY 1 LIMIT 2)),
          0::bigint, 'Christmas and Boxing Day: the first two weekdays from 25 December');
-- Easter by Gauss's algorithm with Lichtenberg's corrections, in SQL.
SELECT is((SELECT count(*) FROM (
               SELECT y, g.easter
               FROM generate_series(1995, 2200) y,
               LATERAL (SELECT
                   (y % 19) AS a,
                   (3 * (y / 100) + 3) / 4 AS k_s,
                   (8 * (y / 100) + 13) / 25 AS k_m) AS k,
               LATERAL (SELECT 15 + k.k_s - k.k_m AS m, 2 - k.k_s AS s) AS ms,
               LATERAL (SELECT (19 * k.a + ms.m) % 30 AS d) AS dd,
               LATERAL (SELECT dd.d / 29 + (dd.d / 28 - dd.d / 29) * (k.a / 11) AS r) AS rr,
               LATERAL (SELECT 21 + dd.d - rr.r AS og) AS o,
               LATERAL (SELECT 7 - (y + y / 4 + ms.s) % 7 AS sz) AS sz,
               LATERAL (SELECT 7 - (o.og - sz.sz) % 7 AS oe) AS oe,
               LATERAL (SELECT make_date(y, 3, 1) + (o.og + oe.oe - 1) AS easter) AS g) e
           WHERE NOT EXISTS (SELECT 1 FROM bh WHERE holiday = e.easter - 2 AND name = 'Good Friday')
              OR NOT EXISTS (SELECT 1 FROM bh WHERE holiday = e.easter + 1 AND name = 'Easter Monday')),
          0::bigint, 'Good Friday and Easter Monday around Easter by Gauss''s algorithm, 1995-2200');
SELECT is((SELECT array_agg(holiday ORDER BY holiday) FROM bh
           WHERE holiday IN ('1995-05-08', '1999-12-31', '2002-06-03', '2002-06-04', '2011-04-29',
                             '2012-06-04', '2012-06-05', '2020-05-08', '2022-06-02', '2022-06-03',
                             '2022-09-19', '2023-05-08')),
          ARRAY['1995-05-08', '1999-12-31', '2002-06-03', '2002-06-04', '2011-04-29',
                '2012-06-04', '2012-06-05', '2020-05-08', '2022-06-02', '2022-06-03',
                '2022-09-19', '2023-05-08']::date[],
          'moved and one-off days');
SELECT is((SELECT count(*) FROM (SELECT * FROM bh WHERE holiday BETWEEN '2000-01-01' AND '2040-12-31'
                                 EXCEPT SELECT * FROM skpi.bank_holidays) x)
        + (SELECT count(*) FROM (SELECT * FROM skpi.bank_holidays
                                 EXCEPT SELECT * FROM bh) x),
          0::bigint, 'skpi.bank_holidays holds the rules'' days of 2000-2040, nothing else');

-- ---------------------------------------------------------------------------------------------
-- Financial periods and ages against SQL date arithmetic.
-- ---------------------------------------------------------------------------------------------
CREATE TEMP TABLE days AS
SELECT '1900-01-01'::date + floor(random() * 73000)::int AS d FROM generate_series(1, 20000);
SELECT is((SELECT count(*) FROM days
           WHERE skpi.fiscal_year_start(d) <> (date_trunc('year', d - interval '3 months') + interval '3 months')::date
              OR skpi.fiscal_quarter(d) <> extract(quarter FROM d - interval '3 months')
              OR skpi.fiscal_year(d) <> to_char(d - interval '3 months', 'YYYY') || '/' || to_char(d + interval '9 months', 'YY')
              OR skpi.fiscal_period(d) <> skpi.fiscal_year(d) || ' Q' || skpi.fiscal_quarter(d)),
          0::bigint, 'fiscal functions = SQL interval arithmetic on 20,000 random dates 1900-2099');

CREATE TEMP TABLE ages AS
SELECT dob, dob + floor(random() * 8000)::int AS on_date
FROM (SELECT '1990-01-01'::date + floor(random() * 12000)::int AS dob FROM generate_series(1, 20000)) s
UNION ALL
SELECT make_date(y, 2, 29), make_date(y + k, m, dd)
FROM generate_series(1992, 2020, 4) y, generate_series(0, 20) k, (VALUES (2, 28), (3, 1)) md(m, dd)
WHERE NOT (k = 0 AND m = 2);
SELECT is((SELECT count(*) FROM ages
           WHERE skpi.age_at(dob, on_date) <> extract(year FROM age(on_date, dob))),
          0::bigint, 'age_at = the years of age() on random pairs and every 29 February birthday');
SELECT is((SELECT count(*) FROM ages
           WHERE skpi.age_band(dob, on_date) <> CASE
                 WHEN extract(year FROM age(on_date, dob)) < 1 THEN 'Under 1'
                 WHEN extract(year FROM age(on_date, dob)) < 5 THEN '1 to 4'
                 WHEN extract(year FROM age(on_date, dob)) < 10 THEN '5 to 9'
                 WHEN extract(year FROM age(on_date, dob)) < 16 THEN '10 to 15'
                 ELSE '16 and over' END),
          0::bigint, 'age_band bands the age');

-- periods() tiles the range: contiguous, in order, first and last overlapping the ends.
CREATE TEMP TABLE ranges AS
SELECT f, f + floor(random() * 1500)::int AS t, (ARRAY['month', 'quarter', 'year'])[1 + floor(random() * 3)::int] AS unit
FROM (SELECT '2000-01-01'::date + floor(random() * 10000)::int AS f FROM generate_series(1, 300)) s;
SELECT is((SELECT count(*) FROM ranges r
           WHERE NOT (SELECT bool_and(p.period_start <= r.t AND p.period_end >= r.f
                                      AND p.period_end >= p.period_start)
                        AND min(p.period_start) <= r.f AND max(p.period_end) >= r.t
                        AND max(p.period_end) - min(p.period_start) + 1 = sum(p.period_end - p.period_start + 1)
                      FROM skpi.periods(r.f, r.t, r.unit) p)),
          0::bigint, 'periods() covers each random range exactly once, overlapping periods only');
SELECT is((SELECT count(*) FROM ranges r
           WHERE (SELECT count(*) FROM skpi.periods(r.f, r.t, r.unit) p) <>
                 CASE r.unit
                   WHEN 'month' THEN (extract(year FROM r.t) * 12 + extract(month FROM r.t))
                                   - (extract(year FROM r.f) * 12 + extract(month FROM r.f)) + 1
                   WHEN 'quarter' THEN (extract(year FROM r.t - interval '3 months') * 4 + extract(quarter FROM r.t - interval '3 months'))
                                     - (extract(year FROM r.f - interval '3 months') * 4 + extract(quarter FROM r.f - interval '3 months')) + 1
                   ELSE extract(year FROM r.t - interval '3 months') - extract(year FROM r.f - interval '3 months') + 1
                 END),
          0::bigint, 'periods() returns as many periods as the range overlaps');
SELECT is((SELECT count(*) FROM ranges r
           WHERE (SELECT array_agg(p.label ORDER BY p.period_start) FROM skpi.periods(r.f, r.t, r.unit) p) <>
                 (SELECT array_agg(CASE r.unit WHEN 'month' THEN to_char(p.period_start, 'Mon YYYY')
                                               WHEN 'quarter' THEN skpi.fiscal_period(p.period_start)
                                               ELSE skpi.fiscal_year(p.period_start) END ORDER BY p.period_start)
                  FROM skpi.periods(r.f, r.t, r.unit) p)),
          0::bigint, 'period labels: ''Apr 2019'', the fiscal period, the fiscal year');
SELECT is((SELECT count(*) FROM ranges r
           WHERE skpi.month_ends(r.f, r.t) <>
                 ARRAY(SELECT e FROM generate_series(date_trunc('month', r.f), r.t, interval '1 month') g,
                                     LATERAL (SELECT (g + interval '1 month - 1 day')::date AS e) x
                       WHERE e BETWEEN r.f AND r.t ORDER BY 1)
              OR skpi.quarter_ends(r.f, r.t) <>
                 ARRAY(SELECT p.period_end FROM skpi.periods(r.f, r.t, 'month') p
                       WHERE p.period_end <= r.t AND extract(month FROM p.period_end) IN (3, 6, 9, 12) ORDER BY 1)
              OR skpi.year_ends(r.f, r.t) <>
                 ARRAY(SELECT p.period_end FROM skpi.periods(r.f, r.t, 'month') p
                       WHERE p.period_end <= r.t AND extract(month FROM p.period_end) = 3 ORDER BY 1)),
          0::bigint, 'month_ends, quarter_ends, year_ends: the period ends within each random range');

-- ---------------------------------------------------------------------------------------------
-- Errors and their SQLSTATEs.
-- ---------------------------------------------------------------------------------------------
SELECT throws_ok($$SELECT * FROM skpi.periods('2019-04-01', '2019-06-30', 'fortnight')$$, '22023',
                 'unknown period unit "fortnight"', 'unknown unit: 22023');
SELECT throws_ok($$SELECT * FROM skpi.periods('2019-07-01', '2019-06-30', 'month')$$, '22023',
                 NULL, 'reversed range: 22023');
SELECT throws_ok($$SELECT skpi.age_at('2020-01-02', '2020-01-01')$$, '22023',
                 'on_date 2020-01-01 is before the date of birth 2020-01-02', 'dob after on_date: 22023');
SELECT throws_ok($$SELECT skpi.fiscal_year('infinity')$$, '22008', NULL, 'fiscal_year(infinity): 22008');
SELECT throws_ok($$SELECT skpi.working_days_between('2019-01-01', '2041-06-01')$$, '22008',
                 'date 2041-06-01 is outside the years covered by skpi.bank_holidays', 'after 2040: 22008');
SELECT throws_ok($$SELECT skpi.working_days_between('1999-06-01', '2019-01-01')$$, '22008',
                 NULL, 'before 2000: 22008');
SELECT throws_ok($$SELECT skpi.working_days_between('-infinity', '2019-01-01')$$, '22008',
                 'working days are not defined for date -infinity', '-infinity: 22008');
SELECT throws_ok($$SELECT skpi.add_working_days('2019-01-01', 2147483647)$$, '22008',
                 NULL, 'huge n: 22008 at once');
SELECT throws_ok($$SELECT skpi.add_working_days('2019-01-01', -2147483648)$$, '22008',
                 NULL, 'huge negative n: 22008 at once');
SELECT throws_ok($$SELECT skpi.is_working_day('infinity')$$, '22008', NULL, 'is_working_day(infinity): 22008');
-- The hint says how to add holidays.
CREATE FUNCTION pg_temp.hint_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE h text;
BEGIN
	EXECUTE q;
	RETURN NULL;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
	RETURN h;
END $$;
SELECT is(pg_temp.hint_of($$SELECT skpi.is_working_day('2045-03-01')$$),
          'Add the bank holidays of 2045 to skpi.bank_holidays, for example: INSERT INTO skpi.bank_holidays SELECT * FROM skpi.bank_holiday_rules(2045, 2045);',
          'the 22008 hint says how to add the missing year');

SELECT * FROM finish();
ROLLBACK;
