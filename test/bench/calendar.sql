-- Calendar benchmark: working_days_between over (start, end) pairs spread over 2015-2025.
--
--   C      skpi.working_days_between(a, b) on every pair
--   SQL    the best plain-SQL method: a calendar table with a cumulative working-day number,
--          joined twice (goal: C at most 0.2 x its time)
--   floor  a bare count(*) over the same rows (goal: C at most 1.5 x its time)
--   naive  a generate_series day-by-day count, on a 1% sample (it is far too slow for all rows)
--
-- Sizes: 10 million pairs at scale 1.
--
-- Every compared query keeps its aggregate in a HAVING clause: bench.time_ms() runs
-- SELECT count(*) FROM (q), which does not use q's columns, and the planner would otherwise drop
-- a one-row aggregate query without scanning anything.

SELECT greatest((10000000 * :scale)::bigint, 1000) AS n \gset

DROP TABLE IF EXISTS bench.cal_pairs, bench.cal_pairs_sample, bench.cal_days;

-- Start dates uniform over 2015-2025, durations 0-180 days (assessments, plans, visits).
SELECT setseed(0.5);
CREATE TABLE bench.cal_pairs AS
SELECT a, a + floor(random() * 181)::int AS b
FROM (SELECT '2015-01-01'::date + floor(random() * 4018)::int AS a
      FROM generate_series(1, :n)) s;
CREATE TABLE bench.cal_pairs_sample AS
SELECT * FROM bench.cal_pairs LIMIT greatest(:n / 100, 1000);

-- The calendar table: one row per day with the number of working days up to and including it.
CREATE TABLE bench.cal_days AS
SELECT d::date AS d,
       sum(CASE WHEN extract(isodow FROM d) < 6 AND h.holiday IS NULL THEN 1 ELSE 0 END)
           OVER (ORDER BY d)::int AS wd
FROM generate_series('2000-01-01'::date, '2040-12-31', '1 day') d
LEFT JOIN skpi.bank_holidays h ON h.holiday = d::date;
ALTER TABLE bench.cal_days ADD PRIMARY KEY (d);
VACUUM ANALYZE bench.cal_pairs;
VACUUM ANALYZE bench.cal_pairs_sample;
VACUUM ANALYZE bench.cal_days;

SELECT bench.compare(
	'calendar: working_days_between vs calendar table',
	:n,
	$$SELECT sum(skpi.working_days_between(a, b)) FROM bench.cal_pairs
	  HAVING sum(skpi.working_days_between(a, b)) IS NOT NULL$$,
	$$SELECT sum(e.wd - s.wd) FROM bench.cal_pairs p
	  JOIN bench.cal_days s ON s.d = p.a JOIN bench.cal_days e ON e.d = p.b
	  HAVING sum(e.wd - s.wd) IS NOT NULL$$,
	$$SELECT count(*) FROM bench.cal_pairs HAVING count(*) > 0$$,
	0.2, 1.5,
	'pairs over 2015-2025, durations 0-180 days; SQL = cumulative working-day number, two joins');

SELECT bench.compare(
	'calendar: working_days_between vs naive generate_series',
	(SELECT count(*) FROM bench.cal_pairs_sample),
	$$SELECT sum(skpi.working_days_between(a, b)) FROM bench.cal_pairs_sample
	  HAVING sum(skpi.working_days_between(a, b)) IS NOT NULL$$,
	$$SELECT sum(n) FROM (
	    SELECT (SELECT count(*) FROM generate_series(p.a + 1, p.b, interval '1 day') g(d)
	            WHERE extract(isodow FROM g.d) < 6
	              AND NOT EXISTS (SELECT 1 FROM skpi.bank_holidays h WHERE h.holiday = g.d::date)) AS n
	    FROM bench.cal_pairs_sample p) x
	  HAVING sum(n) IS NOT NULL$$,
	$$SELECT count(*) FROM bench.cal_pairs_sample HAVING count(*) > 0$$,
	NULL, NULL,
	'1% sample of the same pairs; SQL = day-by-day generate_series count');

DROP TABLE bench.cal_pairs, bench.cal_pairs_sample, bench.cal_days;
