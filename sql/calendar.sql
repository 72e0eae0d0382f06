-- Calendar: financial periods, ages, England and Wales bank holidays, working days.
-- Expected values are worked out by hand from a printed calendar (weekdays noted beside them)
-- and from the bank holiday list of definitions.md section 2.
SET datestyle = ISO, YMD;
\set VERBOSITY default

-- ============================================================================================
-- Financial years and quarters
-- ============================================================================================

-- 31 March / 1 April boundaries, quarter boundaries, leap days, century labels.
SELECT d, skpi.fiscal_year(d) AS fy, skpi.fiscal_year_start(d) AS fy_start,
       skpi.fiscal_quarter(d) AS q, skpi.fiscal_period(d) AS period
FROM unnest(ARRAY['2019-03-31', '2019-04-01', '2019-06-30', '2019-07-01', '2019-09-30',
                  '2019-10-01', '2019-12-31', '2020-01-01', '2020-02-29', '2020-03-31',
                  '2020-04-01', '1999-04-01', '2000-03-31', '2099-12-31', '2100-03-01',
                  '0001-04-01', '5874897-03-31']::date[]) AS d;

-- Outside the financial years the functions handle, and infinity: 22008.
SELECT skpi.fiscal_year('0001-03-31');
SELECT skpi.fiscal_year('5874897-04-01');
SELECT skpi.fiscal_period('infinity');
SELECT skpi.fiscal_year_start('-infinity');
SELECT skpi.fiscal_quarter('infinity');
-- STRICT: NULL in, NULL out.
SELECT skpi.fiscal_year(NULL) IS NULL AS fy_null, skpi.fiscal_quarter(NULL) IS NULL AS q_null;

-- ============================================================================================
-- periods(), month_ends(), quarter_ends(), year_ends()
-- ============================================================================================

-- Ranges that start and end in the middle of a period.
SELECT * FROM skpi.periods('2019-05-15', '2019-08-10', 'month');
SELECT * FROM skpi.periods('2019-05-15', '2020-04-02', 'quarter');
SELECT * FROM skpi.periods('2019-05-15', '2021-03-31', 'year');
SELECT * FROM skpi.periods('1999-12-31', '2000-04-01', 'year');
-- One day; a leap February; unit case and blanks do not matter.
SELECT * FROM skpi.periods('2020-02-29', '2020-02-29', 'month');
SELECT * FROM skpi.periods('2020-01-31', '2020-03-01', ' Month ');
SELECT * FROM skpi.periods('2020-03-31', '2020-04-01', 'QUARTER');
-- Errors: unknown unit (22023, listing the valid ones), reversed range, infinity.
SELECT * FROM skpi.periods('2019-04-01', '2019-06-30', 'week');
\set VERBOSITY sqlstate
SELECT * FROM skpi.periods('2019-04-01', '2019-06-30', 'week');
\set VERBOSITY default
SELECT * FROM skpi.periods('2019-04-01', '2019-06-30', '');
SELECT * FROM skpi.periods('2019-07-01', '2019-06-30', 'month');
SELECT * FROM skpi.periods('2019-07-01', 'infinity', 'month');

-- Period ends that fall within the range (both ends included).
SELECT skpi.month_ends('2019-04-01', '2020-03-31') AS month_ends_2019_20;
SELECT skpi.month_ends('2019-04-15', '2019-07-31') AS mid_to_end,
       skpi.month_ends('2019-04-30', '2019-07-30') AS end_to_mid,
       skpi.month_ends('2019-04-02', '2019-04-29') AS none,
       skpi.month_ends('2024-02-29', '2024-02-29') AS leap_day;
SELECT skpi.quarter_ends('2019-01-01', '2020-03-31') AS quarter_ends,
       skpi.quarter_ends('2019-07-01', '2019-09-29') AS none;
SELECT skpi.year_ends('2015-01-01', '2020-03-30') AS year_ends,
       skpi.year_ends('2020-03-31', '2020-03-31') AS one_day;
SELECT skpi.month_ends('2019-07-01', '2019-06-30');
SELECT skpi.year_ends('2019-07-01', 'infinity');

-- ============================================================================================
-- Ages
-- ============================================================================================

-- 29 February birthdays turn a year older on 1 March in non-leap years.
SELECT dob, on_date, skpi.age_at(dob, on_date) AS age, skpi.age_band(dob, on_date) AS band
FROM (VALUES ('2000-02-29'::date, '2001-02-28'::date), ('2000-02-29', '2001-03-01'),
             ('2000-02-29', '2003-02-28'), ('2000-02-29', '2003-03-01'),
             ('2000-02-29', '2004-02-28'), ('2000-02-29', '2004-02-29'),
             ('2010-06-15', '2010-06-15'), ('2010-06-15', '2011-06-14'),
             ('2010-06-15', '2011-06-15'), ('2010-06-15', '2015-06-14'),
             ('2010-06-15', '2015-06-15'), ('2010-06-15', '2020-06-14'),
             ('2010-06-15', '2020-06-15'), ('2010-06-15', '2026-06-14'),
             ('2010-06-15', '2026-06-15'), ('1900-01-01', '2020-03-31')) AS t(dob, on_date);
-- Date of birth after on_date: 22023; infinity: 22008.
SELECT skpi.age_at('2020-01-02', '2020-01-01');
SELECT skpi.age_band('2020-01-02', '2020-01-01');
SELECT skpi.age_at('2020-01-02', 'infinity');

-- ============================================================================================
-- Bank holidays
-- ============================================================================================

-- Pre-filled for 2000-2040: eight days a year plus the extra days of 2002, 2011, 2012, 2022
-- and 2023 (328 + 6 = 334).
SELECT count(*) AS rows, min(holiday), max(holiday),
       count(DISTINCT extract(year FROM holiday)) AS years
FROM skpi.bank_holidays;
SELECT extract(year FROM holiday)::int AS year, count(*) AS days
FROM skpi.bank_holidays GROUP BY 1 HAVING count(*) <> 8 ORDER BY 1;

-- The weekday bank holidays of definitions.md for 2019-2024 (test vectors).
CREATE TEMP TABLE cal_vectors (holiday date PRIMARY KEY);
INSERT INTO cal_vectors
SELECT make_date(y, split_part(md, '-', 1)::int, split_part(md, '-', 2)::int)
FROM (VALUES
  (2019, '01-01 04-19 04-22 05-06 05-27 08-26 12-25 12-26'),
  (2020, '01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-28'),
  (2021, '01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28'),
  (2022, '01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 12-27'),
  (2023, '01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26'),
  (2024, '01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26')) AS v(y, mds),
  regexp_split_to_table(mds, ' ') AS md;
-- Every vector is in the table and is not a working day (51 of 51).
SELECT count(*) AS vectors, count(b.holiday) AS in_table,
       count(*) FILTER (WHERE NOT skpi.is_working_day(v.holiday)) AS not_working
FROM cal_vectors v LEFT JOIN skpi.bank_holidays b USING (holiday);
-- The table holds no other weekday holiday in those years.
SELECT b.holiday AS unexpected
FROM skpi.bank_holidays b
WHERE b.holiday BETWEEN '2019-01-01' AND '2024-12-31' AND extract(isodow FROM b.holiday) < 6
EXCEPT SELECT holiday FROM cal_vectors;
-- The day after each is a working day unless it is a weekend day or a holiday: these are the
-- only exceptions (Good Friday -> Saturday, 25 -> 26 December, twin jubilee days, ...).
SELECT v.holiday + 1 AS day_after, to_char(v.holiday + 1, 'Dy') AS dow,
       skpi.is_working_day(v.holiday + 1) AS working
FROM cal_vectors v
WHERE NOT skpi.is_working_day(v.holiday + 1)
   OR extract(isodow FROM v.holiday + 1) >= 6
   OR EXISTS (SELECT 1 FROM skpi.bank_holidays b WHERE b.holiday = v.holiday + 1)
ORDER BY 1;
SELECT count(*) AS days_after_working
FROM cal_vectors v WHERE skpi.is_working_day(v.holiday + 1);

-- Moved and one-off days of 2000-2040, and the days they replaced.
SELECT holiday, to_char(holiday, 'Dy') AS dow, name
FROM skpi.bank_holidays
WHERE holiday IN ('2002-06-03', '2002-06-04', '2011-04-29', '2012-06-04', '2012-06-05',
                  '2020-05-08', '2022-06-02', '2022-06-03', '2022-09-19', '2023-05-08')
ORDER BY 1;
SELECT count(*) AS replaced_days_present
FROM skpi.bank_holidays
WHERE holiday IN ('2002-05-27', '2012-05-28', '2020-05-04', '2022-05-30');

-- Christmas and New Year substitutes: 2010 (Sat/Sun), 2011 (Sun/Mon), 2015 (Fri/Sat),
-- 2016 (Sun/Mon), 2021 (Sat/Sun), 2022 (Sun/Mon); New Year 2011 (Sat), 2012 (Sun).
SELECT holiday, to_char(holiday, 'Dy') AS dow, name
FROM skpi.bank_holidays
WHERE (extract(month FROM holiday) = 12 AND extract(year FROM holiday) IN (2010, 2011, 2015, 2016, 2021, 2022))
   OR (extract(month FROM holiday) = 1 AND extract(year FROM holiday) IN (2011, 2012, 2017))
ORDER BY 1;

-- Easter: Good Friday and Easter Monday for known Easter Sundays (2000-04-23, 2008-03-23,
-- 2038-04-25) and the earliest possible one (2285-03-22).
SELECT holiday, name FROM skpi.bank_holiday_rules(2000, 2000) WHERE name LIKE 'Good%' OR name LIKE 'Easter%'
UNION ALL
SELECT holiday, name FROM skpi.bank_holiday_rules(2008, 2008) WHERE name LIKE 'Good%' OR name LIKE 'Easter%'
UNION ALL
SELECT holiday, name FROM skpi.bank_holiday_rules(2038, 2038) WHERE name LIKE 'Good%' OR name LIKE 'Easter%'
UNION ALL
SELECT holiday, name FROM skpi.bank_holiday_rules(2285, 2285) WHERE name LIKE 'Good%' OR name LIKE 'Easter%'
ORDER BY 1;

-- The rules before 2000: VE day 1995 and the millennium eve.
SELECT * FROM skpi.bank_holiday_rules(1995, 1995) WHERE extract(month FROM holiday) = 5;
SELECT * FROM skpi.bank_holiday_rules(1999, 1999) WHERE extract(month FROM holiday) = 12;
SELECT count(*) FROM skpi.bank_holiday_rules(2000, 2040);
SELECT * FROM skpi.bank_holiday_rules(1994, 2000);
SELECT * FROM skpi.bank_holiday_rules(2001, 2000);

-- The table is an extension reference table: dumped, edits kept, triggers in place.
SELECT 'skpi.bank_holidays'::regclass = ANY (extconfig) AS dumped
FROM pg_extension WHERE extname = 'safeguarding_kpi';
SELECT tgname FROM pg_trigger WHERE tgrelid = 'skpi.bank_holidays'::regclass ORDER BY 1;
INSERT INTO skpi.bank_holidays VALUES ('1899-12-25', 'too early');
INSERT INTO skpi.bank_holidays VALUES ('10000-01-01', 'too late');

-- ============================================================================================
-- Working days
-- ============================================================================================

SELECT a, b, to_char(a, 'Dy') || '->' || to_char(b, 'Dy') AS days,
       skpi.working_days_between(a, b) AS wd, skpi.working_days_between(b, a) AS reversed
FROM (VALUES
  ('2019-03-01'::date, '2019-03-01'::date),  -- same day: 0
  ('2019-03-01', '2019-03-04'),  -- Friday -> Monday: 1
  ('2019-03-02', '2019-03-04'),  -- Saturday -> Monday: 1
  ('2019-03-02', '2019-03-03'),  -- Saturday -> Sunday: 0
  ('2019-03-04', '2019-03-08'),  -- Monday -> Friday: 4
  ('2019-03-01', '2019-03-29'),  -- four weeks: 20
  -- Easter 2019: Good Friday 19, Easter Monday 22 April.
  ('2019-04-18', '2019-04-23'),  -- 23: 1
  ('2019-04-17', '2019-04-24'),  -- 18, 23, 24: 3
  ('2019-04-19', '2019-04-22'),  -- holiday to holiday: 0
  -- Christmas 2020: Friday 25, Boxing Day substitute Monday 28 December; New Year Friday 1.
  ('2020-12-24', '2020-12-29'),  -- 29: 1
  ('2020-12-24', '2021-01-04'),  -- 29, 30, 31, 4: 4
  -- Christmas 2021: both substitute days (27, 28 December).
  ('2021-12-24', '2021-12-29'),  -- 29: 1
  -- June 2022: spring holiday moved to Thursday 2, Platinum Jubilee Friday 3 June.
  ('2022-05-27', '2022-06-06'),  -- 30 May (not a holiday that year), 31, 1 June, 6: 4
  ('2022-06-01', '2022-06-06'),  -- 6: 1
  -- 8 May 2023: coronation, a week after the early May holiday.
  ('2023-05-05', '2023-05-09'),  -- 9: 1
  ('2023-04-28', '2023-05-09'),  -- 2, 3, 4, 5, 9: 5
  -- A whole year: 2019 has 261 weekdays and 8 weekday holidays.
  ('2018-12-31', '2019-12-31'),  -- 253
  -- The whole table.
  ('2000-01-01', '2040-12-31')) AS t(a, b);

-- Cross-check of the whole-table count: weekdays of 2000-2040 minus weekday holidays.
SELECT (SELECT count(*) FROM generate_series('2000-01-01'::date, '2040-12-31', '1 day') g(d)
        WHERE extract(isodow FROM g.d) < 6)
     - (SELECT count(*) FROM skpi.bank_holidays WHERE extract(isodow FROM holiday) < 6)
       AS working_days_2000_2040;

SELECT d, n, skpi.add_working_days(d, n) AS result,
       to_char(skpi.add_working_days(d, n), 'Dy') AS dow
FROM (VALUES
  ('2019-04-18'::date, 1),   -- over Easter: Tuesday 23
  ('2019-04-23', -1),        -- back over Easter: Thursday 18
  ('2019-04-20', 0),         -- n = 0 returns d, even a Saturday
  ('2019-04-20', 1),         -- Tuesday 23
  ('2019-04-20', -1),        -- 17 (18 is the one working day in (17, 20])
  ('2019-03-01', 1),         -- Friday -> Monday 4
  ('2019-04-01', 45),        -- a 45-day assessment started 1 April 2019: Friday 7 June
  ('2020-12-24', 1),         -- Tuesday 29 December
  ('2022-06-01', 1),         -- Monday 6 June
  ('2023-05-05', 1),         -- Tuesday 9 May
  ('2000-01-05', -1),        -- Tuesday 4 January 2000
  ('2040-12-24', 1)          -- Thursday 27 December 2040
) AS t(d, n);

-- The first and last covered days, against a day-by-day count.
SELECT skpi.working_days_between('2000-01-01', '2040-12-31') =
       (SELECT count(*) FROM generate_series(date '2000-01-02', '2040-12-31', '1 day') g(d)
        WHERE extract(isodow FROM d) < 6
          AND d::date NOT IN (SELECT holiday FROM skpi.bank_holidays))::int AS whole_table,
       skpi.working_days_between('2040-12-31', '2000-01-01') AS reversed,
       skpi.working_days_between('2000-01-01', '2040-12-31') AS forward;
-- Outside the covered years, infinity, huge n: 22008 with a hint, never a hang.
SELECT skpi.working_days_between('2019-01-01', '2041-01-01');
SELECT skpi.working_days_between('1999-12-31', '2019-01-01');
SELECT skpi.is_working_day('2041-01-01');
SELECT skpi.is_working_day('1980-01-01');
SELECT skpi.working_days_between('2019-01-01', 'infinity');
SELECT skpi.is_working_day('-infinity');
SELECT skpi.add_working_days('infinity', 0);
-- 2000-01-04 is the first working day of 2000 (1 January a Saturday, Monday 3 its substitute).
SELECT skpi.add_working_days('2000-01-04', -1);
SELECT skpi.add_working_days('2040-12-31', 1);
SELECT skpi.add_working_days('2019-01-01', 2147483647);
SELECT skpi.add_working_days('2019-01-01', -2147483648);
SELECT skpi.is_working_day(NULL) IS NULL AS strict_null;

-- Edits are seen at the next command: a one-off holiday, then a gap year and a later year.
BEGIN;
INSERT INTO skpi.bank_holidays VALUES ('2030-06-14', 'one-off test day');
SELECT to_char(date '2030-06-14', 'Dy') AS dow, skpi.is_working_day('2030-06-14') AS one_off_working,
       skpi.working_days_between('2030-06-13', '2030-06-17') AS over_one_off;
DELETE FROM skpi.bank_holidays WHERE holiday = '2030-06-14';
SELECT skpi.is_working_day('2030-06-14') AS after_delete;
-- Deleting a whole year leaves a gap: 2030 is no longer covered.
DELETE FROM skpi.bank_holidays WHERE extract(year FROM holiday) = 2030;
SELECT skpi.is_working_day('2029-12-31') AS before_gap;
SAVEPOINT s;
SELECT skpi.is_working_day('2030-06-14');
ROLLBACK TO SAVEPOINT s;
SELECT skpi.working_days_between('2029-12-31', '2031-01-02');
ROLLBACK TO SAVEPOINT s;
SELECT skpi.add_working_days('2029-12-31', 1);
ROLLBACK TO SAVEPOINT s;
SELECT skpi.add_working_days('2031-01-02', -1);
ROLLBACK TO SAVEPOINT s;
SELECT skpi.add_working_days('2031-01-02', 1) AS after_gap;
-- Within each run of covered years: Thursday 2 to Thursday 9 January 2031 is 5 days.
SELECT skpi.working_days_between('2031-01-02', '2031-01-09') AS in_later_run,
       skpi.working_days_between('2000-01-01', '2029-12-31') =
       (SELECT count(*) FROM generate_series(date '2000-01-02', '2029-12-31', '1 day') g(d)
        WHERE extract(isodow FROM d) < 6
          AND d::date NOT IN (SELECT holiday FROM skpi.bank_holidays))::int AS whole_first_run;
ROLLBACK;
BEGIN;
-- Adding a later year extends the covered years.
INSERT INTO skpi.bank_holidays SELECT * FROM skpi.bank_holiday_rules(2041, 2042);
SELECT skpi.working_days_between('2040-12-31', '2041-01-03') AS into_2041,
       skpi.add_working_days('2040-12-31', 260) AS plus_260;
-- An empty table covers nothing.
DELETE FROM skpi.bank_holidays;
SELECT skpi.is_working_day('2019-01-01');
ROLLBACK;
-- After the rollback, the shipped table is back and used.
SELECT skpi.is_working_day('2030-06-14') AS after_rollback,
       skpi.working_days_between('2019-04-18', '2019-04-23') AS easter_2019;
SELECT count(*) FROM skpi.config_removals WHERE table_name = 'bank_holidays';

-- Parallel plans: the functions run in workers and agree with the serial plan.
CREATE SCHEMA cal_test;
CREATE TABLE cal_test.pairs AS
SELECT '2015-01-01'::date + (i * 7919) % 4000 AS a, '2015-01-01'::date + (i * 104729) % 4000 AS b
FROM generate_series(1, 20000) i;
ANALYZE cal_test.pairs;
SELECT sum(skpi.working_days_between(a, b)) AS serial_sum,
       count(*) FILTER (WHERE skpi.is_working_day(a)) AS serial_working
FROM cal_test.pairs \gset
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT sum(skpi.working_days_between(a, b)), count(*) FILTER (WHERE skpi.is_working_day(a))
FROM cal_test.pairs;
SELECT sum(skpi.working_days_between(a, b)) = :serial_sum AS same_sum,
       count(*) FILTER (WHERE skpi.is_working_day(a)) = :serial_working AS same_working
FROM cal_test.pairs;
RESET parallel_setup_cost; RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather;
DROP SCHEMA cal_test CASCADE;
DROP TABLE cal_vectors;
