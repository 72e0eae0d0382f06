-- Episodes: the window functions against plain-SQL formulations on random episodes, errors,
-- parallel plans, and a long partition (linear cost).
BEGIN;
SELECT plan(32);

-- 100,000 episodes over 10,000 children: half spread evenly (5 each), half at random. Each
-- child's episodes form a chain: mostly day-to-day (SSDA903 style), some short gaps, some
-- overlaps, some long gaps, some starting the same day as the one before (ties); some are open
-- (NULL end) and a few have no start date.
SELECT setseed(0.2019);
CREATE TEMP TABLE ep_raw AS
SELECT i AS id,
       CASE WHEN i % 2 = 0 THEN 1 + i % 10000 ELSE 1 + floor(r1 * 10000)::int END AS child,
       (r2 * 400)::int AS len,
       CASE WHEN r3 < 0.40 THEN 0
            WHEN r3 < 0.55 THEN 1 + (r4 * 3)::int
            WHEN r3 < 0.65 THEN -(r4 * 200)::int
            WHEN r3 < 0.72 THEN NULL
            ELSE (r4 * 1500)::int END AS gap,
       r5 < 0.07 AS open, r6 < 0.005 AS no_start,
       (ARRAY['2 years', '12 months', '730 days', '6 months', '1 year 3 days', NULL])[1 + (r7 * 6)::int % 6]::interval AS wv,
       (r8 * 4)::int AS gapv,
       (ARRAY['S', 'P', 'L', 'T', 'U', 'B', NULL])[1 + (r9 * 7)::int % 7] AS rne
FROM (SELECT i, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
             random() AS r6, random() AS r7, random() AS r8, random() AS r9
      FROM generate_series(1, 100000) i) x;

CREATE TEMP TABLE ep AS
SELECT id, child, CASE WHEN NOT no_start THEN s END AS s,
       CASE WHEN NOT open THEN s + len END AS e, wv, gapv, rne
FROM (SELECT id, child, len, open, no_start, wv, gapv, rne,
             date '2005-01-01' + (child % 97)
               + sum(CASE WHEN gap IS NULL THEN 0 ELSE coalesce(prev_len, 0) + gap END)
                   OVER (PARTITION BY child ORDER BY id)::int AS s
      FROM (SELECT *, lag(len) OVER (PARTITION BY child ORDER BY id) AS prev_len FROM ep_raw) y) z;

-- The C functions and, beside them, the latest earlier end in plain SQL (open = infinity).
CREATE TEMP TABLE res AS
SELECT id, child, s, e, wv, gapv, rne,
       skpi.repeat_within(s, e, '2 years') OVER w AS c_r2y,
       skpi.repeat_within(s, e, '12 months') OVER w AS c_r12m,
       skpi.repeat_within(s, e, '730 days') OVER w AS c_r730,
       skpi.repeat_within(s, e, wv) OVER w AS c_rvar,
       skpi.previous_end(s, e) OVER w AS c_prev,
       skpi.spell_number(s, e) OVER w AS c_spell0,
       skpi.spell_number(s, e, 3) OVER w AS c_spell3,
       skpi.spell_number(s, e, gapv, rne IN ('L', 'T', 'U')) OVER w AS c_spellv,
       CASE WHEN s IS NOT NULL THEN max(coalesce(e, 'infinity')) OVER wp END AS sql_prev
FROM ep
WINDOW w AS (PARTITION BY child ORDER BY s, id),
       wp AS (PARTITION BY child ORDER BY s, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING);

CREATE TEMP TABLE cmp AS
SELECT r.*,
       CASE WHEN s IS NOT NULL THEN coalesce(sql_prev >= s - interval '2 years', false) END AS sql_r2y,
       CASE WHEN s IS NOT NULL THEN coalesce(sql_prev >= s - interval '12 months', false) END AS sql_r12m,
       CASE WHEN s IS NOT NULL THEN coalesce(sql_prev >= s - interval '730 days', false) END AS sql_r730,
       CASE WHEN s IS NOT NULL AND wv IS NOT NULL THEN coalesce(sql_prev >= s - wv, false) END AS sql_rvar,
       CASE WHEN s IS NOT NULL THEN sum(CASE WHEN s IS NULL THEN 0
                                             WHEN sql_prev IS NOT NULL AND s <= sql_prev THEN 0 ELSE 1 END)
                                      OVER c END AS sql_spell0,
       CASE WHEN s IS NOT NULL THEN sum(CASE WHEN s IS NULL THEN 0
                                             WHEN sql_prev IS NOT NULL AND s <= sql_prev + 3 THEN 0 ELSE 1 END)
                                      OVER c END AS sql_spell3,
       CASE WHEN s IS NOT NULL THEN sum(CASE WHEN s IS NULL THEN 0
                                             WHEN sql_prev IS NOT NULL AND coalesce(rne IN ('L', 'T', 'U'), false)
                                                  AND s <= sql_prev + gapv THEN 0 ELSE 1 END)
                                      OVER c END AS sql_spellv
FROM res r
WINDOW c AS (PARTITION BY child ORDER BY s, id ROWS UNBOUNDED PRECEDING);

-- The data covers what it should (otherwise the comparisons below would prove little).
SELECT is((SELECT count(*) FROM ep), 100000::bigint, '100,000 episodes');
SELECT cmp_ok((SELECT count(DISTINCT child) FROM ep), '>=', 9900::bigint, 'over about 10,000 children');
SELECT ok((SELECT count(*) FILTER (WHERE e IS NULL AND s IS NOT NULL) > 3000
              AND count(*) FILTER (WHERE s IS NULL) > 200
              AND count(*) FILTER (WHERE wv IS NULL) > 10000 FROM ep),
          'open episodes, missing start dates and missing windows occur');
SELECT cmp_ok((SELECT count(*) FROM (SELECT child, s FROM ep WHERE s IS NOT NULL
                                     GROUP BY child, s HAVING count(*) > 1) t),
              '>', 3000::bigint, 'many ties on start date');
SELECT ok((SELECT count(*) FILTER (WHERE c_r2y) > 20000 AND count(*) FILTER (WHERE NOT c_r2y) > 10000
                  AND count(*) FILTER (WHERE c_r2y AND sql_prev < s) > 5000
                  AND count(*) FILTER (WHERE NOT c_r2y AND sql_prev IS NOT NULL) > 5000
                  AND count(*) FILTER (WHERE sql_prev <> 'infinity'
                                         AND abs(sql_prev - (s - interval '2 years')::date) <= 3) > 20
             FROM cmp),
          'repeats and non-repeats, within, beyond and near the cut-off, all occur');
SELECT ok((SELECT count(*) FILTER (WHERE c_spell0 > 1) > 10000 AND max(c_spell0) > 10
                  AND count(*) FILTER (WHERE c_spell3 < c_spell0) > 1000
                  AND count(*) FILTER (WHERE c_spellv > c_spell3) > 1000 FROM cmp),
          'many spells per child; gaps and carers change the numbering');

-- Each function equals its plain-SQL formulation on every row.
SELECT is((SELECT count(*) FROM cmp WHERE c_r2y IS DISTINCT FROM sql_r2y), 0::bigint,
          'repeat_within 2 years = max(end) over earlier rows >= start - 2 years');
SELECT is((SELECT count(*) FROM cmp WHERE c_r12m IS DISTINCT FROM sql_r12m), 0::bigint,
          'repeat_within 12 months = plain SQL');
SELECT is((SELECT count(*) FROM cmp WHERE c_r730 IS DISTINCT FROM sql_r730), 0::bigint,
          'repeat_within 730 days = plain SQL');
SELECT is((SELECT count(*) FROM cmp WHERE c_rvar IS DISTINCT FROM sql_rvar), 0::bigint,
          'repeat_within with a window that changes from row to row (and NULL) = plain SQL');
SELECT is((SELECT count(*) FROM cmp WHERE c_prev IS DISTINCT FROM sql_prev), 0::bigint,
          'previous_end = max(coalesce(end, infinity)) over earlier rows');
SELECT is((SELECT count(*) FROM cmp WHERE c_spell0 IS DISTINCT FROM sql_spell0), 0::bigint,
          'spell_number(s, e) = running count of rows starting after the latest earlier end');
SELECT is((SELECT count(*) FROM cmp WHERE c_spell3 IS DISTINCT FROM sql_spell3), 0::bigint,
          'spell_number with max_gap_days 3 = plain SQL');
SELECT is((SELECT count(*) FROM cmp WHERE c_spellv IS DISTINCT FROM sql_spellv), 0::bigint,
          'spell_number with per-row gaps and continues = rne IN (L, T, U) = plain SQL');

-- The same numbers whatever plan delivers the rows: a forced parallel plan (the sort below a
-- Gather Merge, the window above it).
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE SCHEMA episodes_tap;
CREATE TABLE episodes_tap.ep WITH (parallel_workers = 2) AS SELECT * FROM ep;
ANALYZE episodes_tap.ep;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; t text := '';
BEGIN
	FOR r IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP t := t || r || E'\n'; END LOOP;
	RETURN t;
END $$;
SELECT matches(pg_temp.plan_of($$SELECT id, skpi.repeat_within(s, e, '2 years') OVER w FROM episodes_tap.ep
                                WINDOW w AS (PARTITION BY child ORDER BY s, id)$$),
               'Gather', 'the window reads from a parallel plan');
SELECT is((SELECT count(*) FROM (SELECT id, skpi.repeat_within(s, e, '2 years') OVER w AS r,
                                        skpi.previous_end(s, e) OVER w AS p,
                                        skpi.spell_number(s, e, gapv, rne IN ('L', 'T', 'U')) OVER w AS n
                                 FROM episodes_tap.ep WINDOW w AS (PARTITION BY child ORDER BY s, id)) par
                 JOIN cmp USING (id)
           WHERE par.r IS DISTINCT FROM cmp.c_r2y OR par.p IS DISTINCT FROM cmp.c_prev
              OR par.n IS DISTINCT FROM cmp.c_spellv), 0::bigint,
          'parallel plan gives the same rows');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- Also inside a PARTITION BY area_code, child window and after a LIMIT-style run condition on
-- row_number() over the same window (the executor stops calling the functions part-way).
SELECT is((SELECT count(*) FROM (SELECT id, skpi.repeat_within(s, e, '2 years') OVER w AS r
                                 FROM ep WINDOW w AS (PARTITION BY 'local', child ORDER BY s, id)) t
                 JOIN cmp USING (id) WHERE t.r IS DISTINCT FROM cmp.c_r2y), 0::bigint,
          'a wider partition key gives the same rows');
SELECT is((SELECT count(*) FROM (SELECT * FROM (SELECT id, row_number() OVER w AS rn,
                                                       skpi.spell_number(s, e) OVER w AS n
                                                FROM ep WINDOW w AS (PARTITION BY child ORDER BY s, id)) a
                                 WHERE rn <= 3) t
                 JOIN cmp USING (id) WHERE t.n IS DISTINCT FROM cmp.c_spell0), 0::bigint,
          'rows kept by a run condition on row_number() are unchanged');

-- One partition of 200,000 rows costs O(n): done well within the statement timeout (an O(n^2)
-- function would need 2 x 10^10 steps).
SET LOCAL statement_timeout = '60s';
SELECT is((SELECT count(*) FILTER (WHERE r) FROM
             (SELECT skpi.repeat_within(d, d, '12 months') OVER (ORDER BY d) AS r
              FROM generate_series(1, 200000) g, LATERAL (SELECT date '1900-01-01' + g / 3 AS d) x) t),
          199999::bigint, 'a 200,000-row partition, every row after the first a repeat');
RESET statement_timeout;

-- Errors and their SQLSTATEs.
SELECT throws_ok($$SELECT skpi.repeat_within(s, e, '2 years') OVER (PARTITION BY child ORDER BY s DESC) FROM ep$$,
                 '22023', NULL, 'rows out of start date order: 22023');
SELECT throws_ok($$SELECT skpi.spell_number(s, e) OVER (PARTITION BY child ORDER BY id) FROM ep$$,
                 '22023', NULL, 'spell_number over an ORDER BY that is not by start date: 22023');
SELECT throws_ok($$SELECT skpi.previous_end(d, d - 1) OVER (ORDER BY d) FROM (VALUES (date '2020-01-01')) v(d)$$,
                 '22023', 'end date 2019-12-31 is before start date 2020-01-01', 'end before start: 22023 naming both dates');
SELECT throws_ok($$SELECT skpi.repeat_within(s, e, '2 years') OVER (PARTITION BY child) FROM ep$$,
                 '42P20', NULL, 'no ORDER BY: windowing error 42P20');
SELECT throws_ok($$SELECT skpi.previous_end(s, e) OVER () FROM ep$$,
                 '42P20', NULL, 'empty window: 42P20');
SELECT throws_ok($$SELECT skpi.previous_end(d, d) OVER ()
                   FROM (SELECT date '2020-01-01' + (g > 100)::int AS d FROM generate_series(1, 200) g) t$$,
                 '42P20', NULL, 'no ORDER BY found when the start date first changes after 100 rows');
SELECT is((SELECT max(p) FROM (SELECT skpi.previous_end(d, d) OVER (ORDER BY d) AS p
                               FROM (SELECT date '2020-01-01' + (g > 100)::int AS d
                                     FROM generate_series(1, 200) g) t) u),
          date '2020-01-02', 'the same rows ordered by date');
SELECT throws_ok($$SELECT skpi.spell_number(s, e) FROM ep$$,
                 '42809', NULL, 'no OVER clause: 42809');
SELECT throws_ok($$SELECT skpi.repeat_within(s, e, '-1 day') OVER (PARTITION BY child ORDER BY s) FROM ep$$,
                 '22023', NULL, 'negative window: 22023');
SELECT throws_ok($$SELECT skpi.spell_number(s, e, NULL) OVER (PARTITION BY child ORDER BY s) FROM ep$$,
                 '22004', 'max_gap_days of spell_number must not be NULL', 'NULL max_gap_days: 22004');
SELECT throws_ok($$SELECT skpi.grid_distance_miles('NaN', 1, 2, 3)$$,
                 '22023', NULL, 'non-finite grid reference: 22023');

-- grid_distance_miles against numeric arithmetic on random English grid references.
SELECT is((SELECT count(*) FROM
             (SELECT (random() * 700000)::int AS e1, (random() * 1000000)::int AS n1,
                     (random() * 700000)::int AS e2, (random() * 1000000)::int AS n2
              FROM generate_series(1, 20000)) g
           WHERE skpi.grid_distance_miles(e1, n1, e2, n2)
                 <> round((sqrt(((e1 - e2)::numeric) ^ 2 + ((n1 - n2)::numeric) ^ 2) / 1609.344), 1)::float8),
          0::bigint, 'grid_distance_miles = round(sqrt(de^2 + dn^2) / 1609.344, 1) on 20,000 pairs');
SELECT is(skpi.grid_distance_miles(0, 0, 3000, 4000), 3.1::float8, '5,000 m is 3.1 miles');

SELECT * FROM finish();
ROLLBACK;
