-- open_on() and the open_counts() aggregate (definitions.md §6: open at the end of day D).
CREATE SCHEMA snap_test;
SET search_path = snap_test, public;

-- SQLSTATE and message of a statement that should fail.
CREATE FUNCTION snap_test.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

--
-- open_on: start <= D and (end is NULL or end > D)
--
SELECT s, e, d, skpi.open_on(s, e, d) AS open, expected
FROM (VALUES
	('2020-01-01'::date, NULL::date, '2020-01-01'::date, true),	-- starts that day
	('2020-01-02', NULL, '2020-01-01', false),						-- starts the next day
	('2020-01-01', '2020-01-02', '2020-01-01', true),				-- ends the next day
	('2020-01-01', '2020-01-01', '2020-01-01', false),				-- starts and ends that day
	('2019-01-01', '2020-01-01', '2020-01-01', false),				-- ends that day
	('2019-01-01', '2020-01-01', '2019-12-31', true),				-- ends the day after
	('2019-01-01', '2020-01-01', '2020-06-30', false),				-- closed before
	('-infinity', 'infinity', '2020-06-30', true),
	('2020-01-01', 'infinity', 'infinity', false),
	(NULL, NULL, '2020-01-01', NULL),								-- no start: unknown
	(NULL, '2020-01-01', '2020-01-01', NULL),
	('2020-01-01', NULL, NULL, NULL)) v(s, e, d, expected);
SELECT snap_test.error_of('SELECT skpi.open_on(''2020-03-01'', ''2020-02-28'', ''2020-03-31'')');
SELECT skpi.open_on('2020-03-01', '2020-02-28', NULL);

--
-- open_counts by hand: snapshots 31 Jan, 29 Feb, 31 Mar 2020
--
CREATE TABLE snap_test.few (label text, s date, e date);
INSERT INTO snap_test.few VALUES
	('open throughout',        '2019-12-01', NULL),			-- 1 1 1
	('closed in March',        '2020-01-05', '2020-03-10'),	-- 1 1 0
	('ends on a snapshot',     '2020-01-10', '2020-02-29'),	-- 1 0 0
	('starts on a snapshot',   '2020-02-29', '2020-04-15'),	-- 0 1 1
	('starts after the last',  '2020-04-01', NULL),			-- 0 0 0
	('ends before the first',  '2019-11-01', '2020-01-15'),	-- 0 0 0
	('one day, a snapshot',    '2020-01-31', '2020-01-31'),	-- 0 0 0
	('no start',               NULL, '2020-03-01'),			-- skipped
	('ends the day after',     '2020-01-31', '2020-02-01'),	-- 1 0 0
	('ends on the first',      '2019-06-01', '2020-01-31'),	-- 0 0 0
	('infinite',               '-infinity', 'infinity');	-- 1 1 1
SELECT skpi.open_counts(s, e, '{2020-01-31,2020-02-29,2020-03-31}') AS counts FROM snap_test.few;
-- per row, the same as open_on on each date
SELECT label, skpi.open_counts(s, e, '{2020-01-31,2020-02-29,2020-03-31}') AS counts,
       ARRAY[skpi.open_on(s, e, '2020-01-31'), skpi.open_on(s, e, '2020-02-29'),
             skpi.open_on(s, e, '2020-03-31')] AS open_on
FROM snap_test.few GROUP BY label, s, e ORDER BY s NULLS LAST, e NULLS LAST;
-- as a table
SELECT d, n FROM unnest('{2020-01-31,2020-02-29,2020-03-31}'::date[],
                        (SELECT skpi.open_counts(s, e, '{2020-01-31,2020-02-29,2020-03-31}') FROM snap_test.few)) u(d, n);
-- no rows: NULL; rows without a start: zeros; no snapshot dates: an empty array
SELECT skpi.open_counts(s, e, '{2020-01-31}') AS no_rows FROM snap_test.few WHERE false;
SELECT skpi.open_counts(s, e, '{2020-01-31,2020-02-29}') AS no_starts FROM snap_test.few WHERE s IS NULL;
SELECT skpi.open_counts(s, e, '{}') AS no_snapshots FROM snap_test.few;
-- a single snapshot date, and dates far apart (no lookup table: binary search throughout)
SELECT skpi.open_counts(s, e, '{2020-02-15}') AS one_date,
       skpi.open_counts(s, e, '{1900-01-01,2020-02-15,2100-01-01}') AS far_apart
FROM snap_test.few;

-- bad snapshot arrays, bad rows
SELECT snap_test.error_of($$SELECT skpi.open_counts(s, e, '{2020-02-29,2020-01-31}') FROM snap_test.few$$);
SELECT snap_test.error_of($$SELECT skpi.open_counts(s, e, '{2020-01-31,2020-01-31}') FROM snap_test.few$$);
SELECT snap_test.error_of($$SELECT skpi.open_counts(s, e, '{2020-01-31,NULL}') FROM snap_test.few$$);
SELECT snap_test.error_of($$SELECT skpi.open_counts(s, e, NULL) FROM snap_test.few$$);
SELECT snap_test.error_of($$SELECT skpi.open_counts(s, e, '{{2020-01-31},{2020-02-29}}') FROM snap_test.few$$);
SELECT snap_test.error_of($$SELECT skpi.open_counts(s, e, CASE WHEN s > '2020-01-01' THEN '{2020-01-31}'::date[] ELSE '{2020-02-29}' END) FROM snap_test.few$$);
SELECT snap_test.error_of($$SELECT skpi.open_counts(s, e, CASE WHEN s > '2020-01-01' THEN '{2020-01-31}'::date[] ELSE '{2020-01-31,2020-02-29}' END) FROM snap_test.few$$);
SELECT skpi.open_counts(s, e, '{2020-01-31,2020-01-31}') FROM snap_test.few;
SELECT skpi.open_counts(s, e, '{2020-01-31}') FROM (VALUES ('2020-03-01'::date, '2020-02-28'::date)) v(s, e);

--
-- 10,000 random episodes against the plain-SQL generate_series join
--
SELECT setseed(0.5);
CREATE TABLE snap_test.episodes AS
WITH r AS (
	SELECT i, i % 13 AS g, random() AS r1, random() AS r2, random() AS r3, random() AS r4
	FROM generate_series(1, 10000) i
), starts AS (
	SELECT i, g, r2, r3, r4,
	       CASE WHEN r1 < 0.04 THEN NULL														-- no start
	            WHEN r1 < 0.15 THEN (date '2009-12-01' + (floor(r4 * 133) || ' month')::interval
	                                 - interval '1 day')::date									-- a month end
	            WHEN r1 < 0.20 THEN date '2020-01-01' + floor(r4 * 400)::int					-- after the last
	            ELSE date '2008-01-01' + floor(r4 * 4500)::int
	       END AS s
	FROM r
)
SELECT i, g, s,
       CASE WHEN s IS NULL THEN CASE WHEN r2 < 0.5 THEN date '2015-05-05' END
            WHEN r2 < 0.25 THEN NULL															-- still open
            WHEN r2 < 0.40 THEN (date_trunc('month', s) + (floor(r3 * 30) + 1 || ' month')::interval
                                 - interval '1 day')::date										-- ends on a month end
            WHEN r2 < 0.45 THEN s																-- one day
            ELSE s + floor(r3 * r3 * 2500)::int
       END AS e
FROM starts;
ANALYZE snap_test.episodes;
-- month ends 2010-2019 (120 dates), an irregular set of dates, some on no month end, and dates
-- too far apart for the lookup table (binary search on every row)
CREATE TABLE snap_test.snaps AS
SELECT 'month ends' AS name,
       (SELECT array_agg((m + interval '1 month' - interval '1 day')::date ORDER BY m)
        FROM generate_series(date '2010-01-01', date '2019-12-01', interval '1 month') m) AS dates
UNION ALL
SELECT 'irregular', '{2008-02-29,2009-07-14,2010-01-31,2012-12-25,2013-01-01,2016-02-29,2019-12-31,2020-06-30,2021-01-01}'
UNION ALL
SELECT 'far apart', '{1890-01-01,2010-03-31,2015-06-30,2150-01-01}';

-- the edge cases are all present
SELECT count(*) FILTER (WHERE s IS NULL) AS no_start,
       count(*) FILTER (WHERE s IS NOT NULL AND e IS NULL) AS still_open,
       count(*) FILTER (WHERE s = e) AS one_day,
       count(*) FILTER (WHERE s = ANY (n.dates)) AS start_on_snapshot,
       count(*) FILTER (WHERE e = ANY (n.dates)) AS end_on_snapshot,
       count(*) FILTER (WHERE s > n.dates[120]) AS start_after_last,
       count(*) FILTER (WHERE e < n.dates[1]) AS end_before_first
FROM snap_test.episodes, snap_test.snaps n WHERE n.name = 'month ends';

-- the plain-SQL reference: one row per (snapshot, open episode), counted
CREATE FUNCTION snap_test.reference(dates date[]) RETURNS bigint[] LANGUAGE sql AS $$
	SELECT array_agg(n ORDER BY k)
	FROM (SELECT k, count(e.i) AS n
	      FROM generate_series(1, cardinality(dates)) k
	      LEFT JOIN snap_test.episodes e
	        ON e.s <= dates[k] AND (e.e IS NULL OR e.e > dates[k])
	      GROUP BY k) x
$$;
CREATE FUNCTION snap_test.reference_group(dates date[], grp int) RETURNS bigint[] LANGUAGE sql AS $$
	SELECT array_agg(n ORDER BY k)
	FROM (SELECT k, count(e.i) AS n
	      FROM generate_series(1, cardinality(dates)) k
	      LEFT JOIN snap_test.episodes e
	        ON e.g = grp AND e.s <= dates[k] AND (e.e IS NULL OR e.e > dates[k])
	      GROUP BY k) x
$$;

-- serial, with a constant array (the month ends as a literal) and with each set of dates
SELECT dates AS month_ends FROM snap_test.snaps WHERE name = 'month ends' \gset
SELECT skpi.open_counts(s, e, :'month_ends') = snap_test.reference(:'month_ends') AS constant_month_ends_agree
FROM snap_test.episodes;
SELECT n.name, cardinality(n.dates) AS dates,
       (SELECT skpi.open_counts(s, e, n.dates) FROM snap_test.episodes) = snap_test.reference(n.dates) AS agrees
FROM snap_test.snaps n ORDER BY 1;
SELECT n.name, (SELECT skpi.open_counts(s, e, n.dates) FROM snap_test.episodes) AS counts
FROM snap_test.snaps n WHERE n.name <> 'month ends' ORDER BY 1;

-- one array per group, taken from a column (not a constant), hashed and sorted grouping
CREATE TABLE snap_test.group_dates AS
SELECT g, CASE WHEN g % 2 = 0 THEN (SELECT dates FROM snap_test.snaps WHERE name = 'month ends')
               ELSE (SELECT array_agg(d ORDER BY d) FROM generate_series(date '2011-03-31' + g, date '2019-03-31', interval '1 year') d)::date[]
          END AS dates
FROM generate_series(0, 12) g;
SET enable_hashagg = on;
SET enable_sort = off;
EXPLAIN (COSTS OFF)
SELECT e.g, skpi.open_counts(e.s, e.e, gd.dates) FROM snap_test.episodes e JOIN snap_test.group_dates gd USING (g) GROUP BY e.g;
SELECT count(*) AS groups, bool_and(c = snap_test.reference_group(gd.dates, x.g)) AS all_agree
FROM (SELECT e.g, skpi.open_counts(e.s, e.e, gd.dates) AS c
      FROM snap_test.episodes e JOIN snap_test.group_dates gd USING (g) GROUP BY e.g) x
JOIN snap_test.group_dates gd USING (g);
RESET enable_sort;
SET enable_hashagg = off;
SELECT count(*) AS groups, bool_and(c = snap_test.reference_group(gd.dates, x.g)) AS all_agree
FROM (SELECT e.g, skpi.open_counts(e.s, e.e, gd.dates) AS c
      FROM snap_test.episodes e JOIN snap_test.group_dates gd USING (g) GROUP BY e.g) x
JOIN snap_test.group_dates gd USING (g);
RESET enable_hashagg;

-- parallel: partial states combined (the reference is worked out first, serially, since the
-- comparison query must call only parallel-safe functions to get a parallel plan)
SELECT dates AS irregular, snap_test.reference(dates) AS irregular_expected
FROM snap_test.snaps WHERE name = 'irregular' \gset
SELECT dates AS far_apart, snap_test.reference(dates) AS far_apart_expected
FROM snap_test.snaps WHERE name = 'far apart' \gset
SELECT snap_test.reference(:'month_ends') AS month_ends_expected \gset
CREATE TABLE snap_test.group_expected AS
SELECT g, snap_test.reference_group(:'month_ends', g) AS counts FROM generate_series(0, 12) g;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT skpi.open_counts(s, e, :'month_ends') = :'month_ends_expected' FROM snap_test.episodes;
SELECT skpi.open_counts(s, e, :'month_ends') = :'month_ends_expected' AS month_ends_agree,
       skpi.open_counts(s, e, :'irregular') = :'irregular_expected' AS irregular_agrees,
       skpi.open_counts(s, e, :'far_apart') = :'far_apart_expected' AS far_apart_agrees
FROM snap_test.episodes;
-- per group, parallel
EXPLAIN (COSTS OFF)
SELECT count(*) AS groups, bool_and(x.c = ge.counts) AS all_agree
FROM (SELECT g, skpi.open_counts(s, e, :'month_ends') AS c FROM snap_test.episodes GROUP BY g) x
JOIN snap_test.group_expected ge USING (g);
SELECT count(*) AS groups, bool_and(x.c = ge.counts) AS all_agree
FROM (SELECT g, skpi.open_counts(s, e, :'month_ends') AS c FROM snap_test.episodes GROUP BY g) x
JOIN snap_test.group_expected ge USING (g);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- support functions: states combine when their dates match; bad states are refused
SELECT skpi._open_counts_combine('{2,7305,7335,1,0,-1}', '{2,7305,7335,0,1,-1}') AS combined,
       skpi._open_counts_final('{2,7305,7335,1,1,-2}') AS final;
SELECT snap_test.error_of($$SELECT skpi._open_counts_combine('{2,7305,7335,1,0,-1}', '{2,7305,7336,0,1,-1}')$$);
SELECT snap_test.error_of($$SELECT skpi._open_counts_combine('{1,7305,1,-1}', '{2,7305,7335,0,1,-1}')$$);
SELECT snap_test.error_of($$SELECT skpi._open_counts_final('{2,7335,7305,1,0,-1}')$$);
SELECT snap_test.error_of($$SELECT skpi._open_counts_final('{3,7305,7335,1,0,-1}')$$);
SELECT snap_test.error_of($$SELECT skpi._open_counts_final('{2,7305,7335,-1,0,1}')$$);
SELECT snap_test.error_of($$SELECT skpi._open_counts_final('{2,7305,NULL,1,0,-1}')$$);
SELECT snap_test.error_of($$SELECT skpi._open_counts_accum(NULL, '2020-01-01', NULL, '{2020-01-31}')$$);

DROP SCHEMA snap_test CASCADE;
RESET search_path;
