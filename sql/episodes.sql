-- Episodes: repeat_within, previous_end, spell_number (window functions) and grid_distance_miles.
-- Every expected value is worked out by hand from the dates beside it (months counted on a
-- calendar); the random comparisons with plain SQL live in test/pgtap/episodes.sql.
SET datestyle = ISO, YMD;
SET intervalstyle = postgres;
\set VERBOSITY default
CREATE SCHEMA episodes_test;
SET search_path = episodes_test, public;

-- ============================================================================================
-- Repeat child protection plans within 2 years (definitions.md section 5)
-- ============================================================================================
CREATE TABLE cp (child text, id int, s date, e date, note text);
INSERT INTO cp VALUES
	-- a: the earlier plan ended 23 months before the new one started: repeat.
	('a', 1, '2016-01-10', '2017-04-15', 'first plan'),
	('a', 2, '2019-03-15', NULL,         'ended 23 months before: repeat'),
	-- b: 25 months: not a repeat (but still a second plan).
	('b', 1, '2016-01-10', '2017-02-15', 'first plan'),
	('b', 2, '2019-03-15', '2019-09-01', 'ended 25 months before: not'),
	-- c: exactly 2 years before counts ("no more than 2 years"); one day more does not.
	('c', 1, '2015-05-01', '2017-03-15', 'first plan'),
	('c', 2, '2019-03-15', '2019-06-30', 'ended 2019-03-15 - 2 years: repeat'),
	('d', 1, '2015-05-01', '2017-03-14', 'first plan'),
	('d', 2, '2019-03-15', '2019-06-30', 'ended a day before the cut-off: not'),
	-- e: an earlier plan still open counts as within, however long ago it started.
	('e', 1, '2010-06-01', NULL,         'first plan, never closed'),
	('e', 2, '2019-06-01', '2019-12-01', 'earlier plan open: repeat'),
	-- f: the latest end wins: the older plan ran longer and ended recently.
	('f', 1, '2012-01-01', '2018-06-30', 'long plan'),
	('f', 2, '2014-01-01', '2014-06-30', 'starts while plan 1 runs: repeat'),
	('f', 3, '2020-03-01', NULL,         'latest end 2018-06-30 >= 2018-03-01: repeat'),
	-- g: a single plan: first plan is never a repeat.
	('g', 1, '2019-04-10', NULL,         'first plan'),
	-- h: two plans starting the same day: the tie is taken in the window's order (id).
	('h', 1, '2019-01-01', '2019-05-01', 'tie, listed first'),
	('h', 2, '2019-01-01', NULL,         'tie, listed second: sees the first'),
	-- i: a tie after an old plan: both see the old plan, the second sees the first too.
	('i', 1, '2014-01-01', '2015-01-01', 'old plan'),
	('i', 2, '2019-01-01', '2019-02-01', 'tie: 2015-01-01 < 2017-01-01: not'),
	('i', 3, '2019-01-01', '2019-03-01', 'tie: sees the plan above: repeat'),
	-- j: a window across 29 February 2020: 2 years back from 2021-03-15 is 2019-03-15,
	-- 730 days back is 2019-03-16.
	('j', 1, '2018-01-01', '2019-03-15', 'first plan'),
	('j', 2, '2021-03-15', NULL,         'ended exactly 2 calendar years before');

SELECT child, id, s, e,
       skpi.repeat_within(s, e, '2 years') OVER w AS repeat_2y,
       skpi.previous_end(s, e) OVER w AS previous_end,
       lag(e) OVER w AS lag_end,
       note
FROM cp
WINDOW w AS (PARTITION BY child ORDER BY s, id)
ORDER BY child, s, id;

-- The tie the other way round (id DESC): the open plan is now first.
SELECT child, id, skpi.repeat_within(s, e, '2 years') OVER w AS repeat_2y,
       skpi.previous_end(s, e) OVER w AS previous_end
FROM cp WHERE child IN ('h', 'i')
WINDOW w AS (PARTITION BY child ORDER BY s, id DESC)
ORDER BY child, s, id DESC;

-- '24 months' is '2 years' (calendar); '730 days' is days: across a 29 February (j) the
-- plan that ended exactly 2 calendar years before drops out of a 730-day window.
SELECT child, id, s, e,
       skpi.repeat_within(s, e, '2 years') OVER w AS y2,
       skpi.repeat_within(s, e, '24 months') OVER w AS m24,
       skpi.repeat_within(s, e, '730 days') OVER w AS d730,
       s - 730 AS cut_730
FROM cp WHERE child IN ('c', 'j')
WINDOW w AS (PARTITION BY child ORDER BY s, id)
ORDER BY child, id;

-- The seed's measure: plans starting in 2019/20 Q1 that are repeats within 2 years.
SELECT count(*) AS plans_started, count(*) FILTER (WHERE r) AS repeats,
       count(*) FILTER (WHERE p IS NOT NULL) AS second_or_later
FROM (SELECT s, skpi.repeat_within(s, e, '2 years') OVER w AS r, skpi.previous_end(s, e) OVER w AS p
      FROM cp WINDOW w AS (PARTITION BY child ORDER BY s, id)) x
WHERE s BETWEEN '2019-04-01' AND '2019-06-30';

-- ============================================================================================
-- Re-referrals: point events, start = end = the referral date, window 12 months
-- ============================================================================================
CREATE TABLE referral (child text, id int, d date, note text);
INSERT INTO referral VALUES
	('r', 1, '2018-01-10', 'first referral'),
	('r', 2, '2018-11-01', 'within 12 months of 2018-01-10'),
	('r', 3, '2019-10-20', 'within 12 months of 2018-11-01 (not of 2018-01-10): counts'),
	('r', 4, '2020-10-20', 'exactly 12 months after 2019-10-20: counts'),
	('r', 5, '2021-10-21', '12 months and a day: new chain'),
	('r', 6, '2021-12-01', 'within 12 months of 2021-10-21'),
	('q', 1, '2019-05-05', 'only referral'),
	('t', 1, '2019-02-01', 'first'),
	('t', 2, '2019-02-01', 'same day, listed second: re-referral');
SELECT child, id, d, skpi.repeat_within(d, d, '12 months') OVER w AS re_referral, note
FROM referral WINDOW w AS (PARTITION BY child ORDER BY d, id)
ORDER BY child, d, id;

-- ============================================================================================
-- Leap days: start_date - within is PostgreSQL's date - interval (months clamp to the month's
-- end: 2020-02-29 - 1 year = 2019-02-28); days are days.
-- ============================================================================================
CREATE TABLE leap (k int, prev_end date, s date, w interval);
INSERT INTO leap VALUES
	(1,  '2019-02-28', '2020-02-29', '1 year'),    -- cut-off 2019-02-28: true
	(2,  '2019-02-27', '2020-02-29', '1 year'),    -- false
	(3,  '2019-02-28', '2020-02-29', '12 months'), -- same as 1 year: true
	(4,  '2019-02-28', '2020-02-29', '365 days'),  -- cut-off 2019-03-01: false
	(5,  '2019-02-28', '2020-02-29', '366 days'),  -- cut-off 2019-02-28: true
	(6,  '2020-02-28', '2021-02-28', '1 year'),    -- cut-off 2020-02-28: true
	(7,  '2020-02-27', '2021-02-28', '1 year'),    -- false
	(8,  '2020-02-29', '2021-03-01', '1 year'),    -- cut-off 2020-03-01: false
	(9,  '2022-02-28', '2024-02-29', '2 years'),   -- cut-off 2022-02-28: true
	(10, '2018-03-01', '2020-03-01', '2 years'),   -- cut-off 2018-03-01: true
	(11, '2018-03-01', '2020-03-01', '730 days'),  -- cut-off 2018-03-02: false
	(12, '2018-03-02', '2020-03-01', '730 days'),  -- true
	(13, '2019-11-30', '2020-03-31', '1 month'),   -- cut-off 2020-02-29: false
	(14, '2020-02-29', '2020-03-31', '1 month'),   -- true
	(15, '2019-02-28', '2019-03-31', '1 month'),   -- cut-off 2019-02-28: true
	(16, '2019-02-28', '2020-02-29', '1 year 1 day'),   -- 2019-02-28 then 2019-02-27: true
	(17, '2019-02-26', '2020-02-29', '1 year 1 day'),   -- false
	(18, '2020-02-29', '2020-02-29', '0 days'),    -- the same day: true
	(19, '2020-02-28', '2020-02-29', '36 hours'),  -- cut-off 2020-02-27 12:00: true
	(20, '2020-02-27', '2020-02-29', '36 hours');  -- false
-- Each case is a two-row partition: an earlier episode (start 1990-01-01) ending on prev_end,
-- then the episode starting on s.
SELECT k, prev_end, s, w, (s - w) AS cut_off, r AS repeat_within
FROM (SELECT k, prev_end, s, w, skpi.repeat_within(ss, ee, w) OVER (PARTITION BY k ORDER BY ss) AS r, ss
      FROM leap, LATERAL (VALUES (date '1990-01-01', prev_end), (s, s)) v(ss, ee)) x
WHERE ss = s ORDER BY k;

-- The day-number arithmetic equals PostgreSQL's date - interval on every day of 1996-2005
-- for month, year and mixed windows: no case where one says true and the other false.
SELECT wi, w, count(*) AS cases,
       count(*) FILTER (WHERE r_on IS DISTINCT FROM true) AS wrong_on_cut_off,
       count(*) FILTER (WHERE r_before IS DISTINCT FROM false) AS wrong_day_before
FROM (SELECT wi, w, d,
             skpi.repeat_within(ss, ee, w) OVER (PARTITION BY wi, d ORDER BY ss) AS r_on,
             skpi.repeat_within(ss, ee2, w) OVER (PARTITION BY wi, d ORDER BY ss) AS r_before,
             ss
      FROM unnest(ARRAY['1 month', '1 year', '2 years', '12 months', '13 months', '6 months 15 days',
                        '1 year 2 days', '730 days', '0 days', '100 years']::interval[])
             WITH ORDINALITY AS ws(w, wi),
           generate_series(date '1996-01-01' - date '2000-01-01', date '2005-12-31' - date '2000-01-01') AS k,
           LATERAL (SELECT date '2000-01-01' + k AS d) dd,
           LATERAL (VALUES (date '1800-01-01', (d - w)::date, (d - w)::date - 1),
                           (d, d, d)) v(ss, ee, ee2)) x
WHERE ss = d GROUP BY wi, w ORDER BY wi;

-- ============================================================================================
-- previous_end
-- ============================================================================================
SELECT child, id, s, e, skpi.previous_end(s, e) OVER w AS previous_end
FROM cp WHERE child IN ('e', 'f', 'g')
WINDOW w AS (PARTITION BY child ORDER BY s, id) ORDER BY child, s, id;

-- ============================================================================================
-- spell_number: periods of care from SSDA903-style episodes
-- ============================================================================================
CREATE TABLE cla (child text, id int, s date, e date, rne text);
INSERT INTO cla VALUES
	('x', 1, '2018-01-01', '2018-03-10', 'S'),   -- starts care
	('x', 2, '2018-03-10', '2018-07-01', 'P'),   -- new placement and carer, chained
	('x', 3, '2018-07-01', '2018-09-01', 'L'),   -- legal status change only, chained
	('x', 4, '2018-10-01', '2019-01-01', 'S'),   -- back in care 30 days after leaving
	('x', 5, '2019-01-02', NULL,         'S'),   -- back the day after leaving, still open
	('y', 1, '2019-05-01', '2019-06-01', 'S'),
	('y', 2, '2019-06-01', '2019-07-01', 'T'),   -- placement change, same carer
	('y', 3, '2019-07-01', '2019-08-01', 'U'),   -- legal status + placement, same carer
	('y', 4, '2019-08-01', '2019-09-01', 'B'),   -- legal status + placement + carer
	('y', 5, '2019-09-01', '2019-10-01', NULL),  -- reason missing: NULL continues starts a spell
	('y', 6, '2019-10-01', NULL,         'L');
SELECT child, id, s, e, rne,
       skpi.spell_number(s, e) OVER w AS period,
       skpi.spell_number(s, e, 1) OVER w AS gap_1,
       skpi.spell_number(s, e, 29) OVER w AS gap_29,
       skpi.spell_number(s, e, 30) OVER w AS gap_30,
       skpi.spell_number(s, e, 0, rne IN ('L', 'T', 'U')) OVER w AS same_carer
FROM cla WINDOW w AS (PARTITION BY child ORDER BY s, id)
ORDER BY child, s, id;

-- Periods of care rebuilt: first start, last end (NULL while open), episodes.
SELECT child, period, min(s) AS period_start,
       CASE WHEN bool_or(e IS NULL) THEN NULL ELSE max(e) END AS period_end, count(*) AS episodes
FROM (SELECT child, s, e, skpi.spell_number(s, e) OVER (PARTITION BY child ORDER BY s, id) AS period
      FROM cla) x
GROUP BY child, period ORDER BY child, period;

-- A later row joins when it starts on or before the latest end so far, not only the last one's:
-- z3 starts after z2 ended but before z1 (still running) ended.
SELECT id, s, e, skpi.spell_number(s, e) OVER w AS spell, skpi.previous_end(s, e) OVER w AS prev
FROM (VALUES (1, date '2018-01-01', date '2018-12-31'), (2, '2018-02-01', '2018-03-01'),
             (3, '2018-06-01', '2018-07-01'), (4, '2019-01-01', '2019-01-05'),
             (5, '2019-01-06', NULL), (6, '2030-01-01', '2030-01-02')) z(id, s, e)
WINDOW w AS (ORDER BY s, id) ORDER BY s, id;

-- ============================================================================================
-- NULLs
-- ============================================================================================
-- A NULL start date gives NULL and leaves the state alone, wherever the row sorts (NULLS FIRST,
-- NULLS LAST); a NULL end is an open episode; a NULL within gives NULL for that row only (the
-- row still counts as earlier for the next); NULL continues starts a spell (above).
CREATE TABLE n (child text, id int, s date, e date, w interval);
INSERT INTO n VALUES
	('n', 1, '2017-01-01', '2017-06-01', '2 years'),
	('n', 2, NULL,         '2018-12-31', '2 years'),  -- no start: NULL, not an earlier row
	('n', 3, '2018-01-01', '2018-02-01', NULL),       -- within NULL: NULL, but counts later
	('n', 4, '2020-01-15', '2020-02-01', '2 years'),  -- 2018-02-01 >= 2018-01-15: repeat
	('n', 5, NULL,         NULL,         '2 years'),
	('n', 6, '2023-01-01', NULL,         '2 years');  -- 2020-02-01 < 2021-01-01: not
SELECT id, s, e, w,
       skpi.repeat_within(s, e, w) OVER w1 AS repeat_nl, skpi.repeat_within(s, e, w) OVER w2 AS repeat_nf,
       skpi.previous_end(s, e) OVER w1 AS prev_nl, skpi.previous_end(s, e) OVER w2 AS prev_nf,
       skpi.spell_number(s, e) OVER w1 AS spell_nl, skpi.spell_number(s, e) OVER w2 AS spell_nf
FROM n
WINDOW w1 AS (PARTITION BY child ORDER BY s NULLS LAST, id), w2 AS (PARTITION BY child ORDER BY s NULLS FIRST, id)
ORDER BY id;

-- Window functions cannot be STRICT usefully (the executor calls them for every row whatever
-- the arguments), so none is declared STRICT; grid_distance_miles is.
SELECT p.proname, p.prokind, p.proisstrict, p.provolatile, p.proparallel
FROM pg_proc p WHERE p.pronamespace = 'skpi'::regnamespace
  AND p.proname IN ('repeat_within', 'previous_end', 'spell_number', 'grid_distance_miles')
ORDER BY 1;

-- Defaults: spell_number(s, e) = spell_number(s, e, 0, true).
SELECT bool_and(a = b) AS same
FROM (SELECT skpi.spell_number(s, e) OVER w AS a, skpi.spell_number(s, e, 0, true) OVER w AS b
      FROM cla WINDOW w AS (PARTITION BY child ORDER BY s, id)) x;

-- ============================================================================================
-- Errors
-- ============================================================================================
-- Rows out of start date order (22023).
SELECT skpi.repeat_within(s, e, '2 years') OVER (PARTITION BY child ORDER BY s DESC) FROM cp;
SELECT skpi.previous_end(s, e) OVER (PARTITION BY child ORDER BY e) FROM cp WHERE child = 'f';
SELECT skpi.spell_number(s, e) OVER (PARTITION BY child ORDER BY id DESC) FROM cla;
-- End before start (22023), naming both dates.
SELECT skpi.repeat_within(s, e, '2 years') OVER (ORDER BY s)
FROM (VALUES (date '2019-05-01', date '2019-04-30')) v(s, e);
SELECT skpi.previous_end(s, e) OVER (ORDER BY s)
FROM (VALUES (date '2019-05-01', date '2019-06-30'), ('2019-07-01', '2019-06-30')) v(s, e);
SELECT skpi.spell_number(s, e) OVER (ORDER BY s)
FROM (VALUES (date '2019-05-01', date '-infinity')) v(s, e);
-- No ORDER BY, or one that does not tell start dates apart (42P20).
SELECT skpi.repeat_within(s, e, '2 years') OVER (PARTITION BY child) FROM cp WHERE child = 'a';
SELECT skpi.spell_number(s, e) OVER () FROM cla WHERE child = 'x';
SELECT skpi.previous_end(s, e) OVER (ORDER BY date_trunc('year', s)) FROM cla WHERE child = 'x';
-- No OVER at all: the parser refuses (42809).
SELECT skpi.repeat_within(s, e, '2 years') FROM cp;
SELECT skpi.spell_number(s, e) FROM cla;
-- Bad windows and gaps (22023).
SELECT skpi.repeat_within(s, e, '-2 years') OVER (ORDER BY s) FROM cp WHERE child = 'a';
SELECT skpi.repeat_within(s, e, '2 years -1 day') OVER (ORDER BY s) FROM cp WHERE child = 'a';
SELECT skpi.spell_number(s, e, -1) OVER (ORDER BY s) FROM cla WHERE child = 'x';
SELECT skpi.spell_number(s, e, NULL) OVER (ORDER BY s) FROM cla WHERE child = 'x';
-- A partition where the check has nothing to compare (one row, or one start date) is fine
-- without ORDER BY.
SELECT skpi.repeat_within(s, e, '2 years') OVER (PARTITION BY child) FROM cp WHERE child = 'g';
-- An ORDER BY on another column is accepted while the start dates come in order (here the end
-- dates of x rise with the start dates; open episodes sort last).
SELECT child, id, skpi.previous_end(s, e) OVER (PARTITION BY child ORDER BY e) AS prev
FROM cla WHERE child = 'x' OR id = 1 ORDER BY child, id;

-- ============================================================================================
-- grid_distance_miles
-- ============================================================================================
-- 3-4-5 triangle: 5000 m = 3.107 miles; 20 miles exactly; just under and over 20.05 miles;
-- a London to Berkshire style pair checked against numeric arithmetic.
SELECT skpi.grid_distance_miles(0, 0, 3000, 4000) AS m5000,
       skpi.grid_distance_miles(530000, 180000, 530000 + 32186.88, 180000) AS twenty,
       skpi.grid_distance_miles(0, 0, 32265, 0) AS m32265,
       skpi.grid_distance_miles(0, 0, 32270, 0) AS m32270,
       skpi.grid_distance_miles(530000, 180000, 450000, 110000) AS far,
       round((sqrt(80000.0 ^ 2 + 70000.0 ^ 2) / 1609.344)::numeric, 3) AS far_numeric,
       skpi.grid_distance_miles(450000, 110000, 530000, 180000) AS far_reversed,
       skpi.grid_distance_miles(1, 2, 1, 2) AS same_place;
-- STRICT: an unknown grid reference gives NULL.
SELECT skpi.grid_distance_miles(NULL, 0, 1, 1) IS NULL AS null_in_null_out;
-- Non-finite references (22023).
SELECT skpi.grid_distance_miles('NaN', 0, 1, 1);
SELECT skpi.grid_distance_miles(0, 0, 'Infinity', 1);
-- The national grid's corners are accepted; a reference outside it is an error (22023).
SELECT skpi.grid_distance_miles(0, 0, 700000, 1300000) AS corner_to_corner,
       round((sqrt(700000.0 ^ 2 + 1300000.0 ^ 2) / 1609.344)::numeric, 1) AS corner_numeric;
SELECT skpi.grid_distance_miles(-1, 0, 1, 1);
SELECT skpi.grid_distance_miles(0, 0, 700000, 1300000.5);
SELECT skpi.grid_distance_miles(0, 0, 1e300, 1e300);

RESET search_path;
DROP SCHEMA episodes_test CASCADE;
