-- Snapshots benchmark: open_counts() over episodes at 120 month ends (10 years).
--
--   1. all episodes:
--      C      skpi.open_counts(start, end, month_ends): one pass, a difference array
--      SQL    the best SQL found, a difference array by month arithmetic (works for month ends
--             only, not for arbitrary snapshot dates; no goal, for comparison)
--      floor  a bare count(*) over the same rows (goal: C at most 1.5 x its time)
--   2. a 10% sample of the same episodes:
--      C      as above
--      SQL    the plain-SQL generate_series join + GROUP BY: every (month end, open episode) pair
--             (goal: C at most 0.02 x its time, i.e. 50 times faster). The join costs about
--             120 x the rows, so it runs on the sample to keep the run within minutes; the ratio
--             does not depend on the row count.
--
-- Sizes: 10 million episodes at scale 1 (1 million in the sample), starting 2008-2019, a
-- quarter still open, lengths up to about 7 years (most short).

SELECT greatest((10000000 * :scale)::bigint, 1000) AS n \gset

DROP TABLE IF EXISTS bench.snap_episodes, bench.snap_sample;
SELECT setseed(0.5);
CREATE TABLE bench.snap_episodes AS
SELECT s, CASE WHEN r < 0.25 THEN NULL ELSE s + floor((r - 0.25) * (r - 0.25) * 4500)::int END AS e
FROM (SELECT date '2008-01-01' + floor(random() * 4380)::int AS s, random() AS r
      FROM generate_series(1, :n)) x;
CREATE TABLE bench.snap_sample AS SELECT * FROM bench.snap_episodes LIMIT greatest(:n / 10, 1000);
VACUUM ANALYZE bench.snap_episodes;
VACUUM ANALYZE bench.snap_sample;

SELECT array_agg((m + interval '1 month' - interval '1 day')::date ORDER BY m) AS month_ends
FROM generate_series(date '2010-01-01', date '2019-12-01', interval '1 month') m \gset

-- 1. The SQL's k is the index of the first month end on or after a date: 1 up to 2010-01-31,
-- 121 after 2019-12-31.
SELECT bench.compare(
	'snapshots: open_counts vs count(*)',
	:n,
	format($$SELECT skpi.open_counts(s, e, %L) FROM bench.snap_episodes$$, :'month_ends'),
	$$SELECT array_agg(n ORDER BY k)
	  FROM (SELECT g.k, sum(coalesce(c.delta, 0)) OVER (ORDER BY g.k)::bigint AS n
	        FROM generate_series(1, 120) g(k)
	        LEFT JOIN (SELECT k, sum(delta) AS delta
	                   FROM (SELECT CASE WHEN d <= date '2010-01-31' THEN 1
	                                     WHEN d > date '2019-12-31' THEN 121
	                                     ELSE (date_part('year', d)::int - 2010) * 12 + date_part('month', d)::int
	                                END AS k, delta
	                         FROM bench.snap_episodes ep,
	                              LATERAL (VALUES (ep.s, 1), (ep.e, -1)) v(d, delta)
	                         WHERE ep.s IS NOT NULL AND v.d IS NOT NULL) b
	                   GROUP BY k) c ON c.k = g.k) x$$,
	$$SELECT count(*) FROM bench.snap_episodes$$,
	NULL, 1.5,
	'120 month ends 2010-2019; SQL = +1/-1 per episode at month indexes, running sum (month ends only)');

-- 2. The month ends are computed once (OFFSET 0), not in the join condition of every pair.
SELECT bench.compare(
	'snapshots: open_counts vs generate_series join',
	(SELECT count(*) FROM bench.snap_sample),
	format($$SELECT skpi.open_counts(s, e, %L) FROM bench.snap_sample$$, :'month_ends'),
	$$SELECT array_agg(n ORDER BY d)
	  FROM (SELECT m.d, count(ep.s) AS n
	        FROM (SELECT (g + interval '1 month' - interval '1 day')::date AS d
	              FROM generate_series(date '2010-01-01', date '2019-12-01', interval '1 month') g OFFSET 0) m
	        LEFT JOIN bench.snap_sample ep ON ep.s <= m.d AND (ep.e IS NULL OR ep.e > m.d)
	        GROUP BY m.d) x$$,
	$$SELECT count(*) FROM bench.snap_sample$$,
	0.02, NULL,
	'10% sample; 120 month ends 2010-2019; SQL = generate_series join + GROUP BY');

DROP TABLE bench.snap_episodes, bench.snap_sample;
