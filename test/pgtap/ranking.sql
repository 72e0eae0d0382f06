-- rank_table and ranks against plain SQL, serial and in forced parallel plans.
BEGIN;
SELECT plan(16);

SELECT has_type('skpi', 'ranking', 'type ranking');
SELECT is((SELECT a.aggtranstype::regtype::text || ' ' || (a.aggcombinefn <> 0) || ' ' || p.proparallel::text
           FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
           WHERE p.oid = 'skpi.rank_table(text, text)'::regprocedure),
          'skpi.ranking true s', 'rank_table keeps a skpi.ranking state (not internal), has a combine function, is PARALLEL SAFE');
SELECT function_returns('skpi', 'ranks', ARRAY['skpi.ranking', 'integer'], 'setof record', 'ranks returns a table');

-- 100,000 random rows: 60 items, 30,000 units, some NULLs and many duplicate pairs.
DO $$ BEGIN PERFORM setseed(0.17); END $$;
CREATE TABLE public.ranking_tap_rows AS
SELECT CASE WHEN random() < 0.01 THEN NULL ELSE 'f' || (random() * random() * 60)::int END AS item,
       CASE WHEN random() < 0.01 THEN NULL ELSE 'u' || (random() * 30000)::int END AS unit,
       (random() * 5)::int AS grp
FROM generate_series(1, 100000);
ANALYZE public.ranking_tap_rows;

CREATE TEMP VIEW by_sql AS
SELECT (rank() OVER (ORDER BY count(DISTINCT unit) DESC))::int AS rank, item, count(DISTINCT unit) AS units,
       count(DISTINCT unit) * 100.0::float8 /
         (SELECT count(DISTINCT unit) FROM public.ranking_tap_rows WHERE item IS NOT NULL AND unit IS NOT NULL) AS pct
FROM public.ranking_tap_rows WHERE item IS NOT NULL AND unit IS NOT NULL
GROUP BY item;

CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	line text;
	result text := '';
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
		result := result || line || E'\n';
	END LOOP;
	RETURN result;
END
$$;

-- Serial.
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT results_eq($$SELECT * FROM skpi.ranks((SELECT skpi.rank_table(item, unit) FROM public.ranking_tap_rows))$$,
                  $$SELECT * FROM by_sql ORDER BY rank, item COLLATE "C"$$,
                  'serial: ranks(rank_table) equals count(DISTINCT unit) + rank(), row for row');
SELECT results_eq($$SELECT * FROM skpi.ranks((SELECT skpi.rank_table(item, unit) FROM public.ranking_tap_rows), 10)$$,
                  $$SELECT * FROM by_sql WHERE rank <= 10 ORDER BY rank, item COLLATE "C"$$,
                  'serial: top 10 equals rank() <= 10');
CREATE TEMP TABLE serial_groups AS
SELECT grp, skpi.rank_table(item, unit)::text AS t FROM public.ranking_tap_rows GROUP BY grp;
SELECT is((SELECT count(*) FROM serial_groups s,
                  LATERAL (SELECT count(*) AS n, sum(units) AS pairs FROM skpi.ranks(s.t::skpi.ranking)) r
           WHERE (r.n, r.pairs) IS DISTINCT FROM
                 (SELECT (count(DISTINCT item), count(DISTINCT (item, unit))::numeric) FROM public.ranking_tap_rows x
                  WHERE x.grp = s.grp AND item IS NOT NULL AND unit IS NOT NULL)),
          0::bigint, 'serial per group: items and distinct pairs equal the SQL counts');

-- Forced parallel: partial states flattened in the workers and merged by the combine function.
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT matches(pg_temp.plan_of('SELECT skpi.rank_table(item, unit) FROM public.ranking_tap_rows'),
               'Finalize Aggregate.*Gather.*Partial Aggregate', 'plain rank_table is planned as a parallel partial aggregate');
SELECT results_eq($$SELECT * FROM skpi.ranks((SELECT skpi.rank_table(item, unit) FROM public.ranking_tap_rows))$$,
                  $$SELECT * FROM by_sql ORDER BY rank, item COLLATE "C"$$,
                  'parallel: ranks(rank_table) equals the SQL formulation');
SELECT results_eq($$SELECT * FROM skpi.ranks((SELECT skpi.rank_table(item, unit) FROM public.ranking_tap_rows), 10)$$,
                  $$SELECT * FROM by_sql WHERE rank <= 10 ORDER BY rank, item COLLATE "C"$$,
                  'parallel: top 10 equals it too');
SELECT matches(pg_temp.plan_of('SELECT grp, skpi.rank_table(item, unit) FROM public.ranking_tap_rows GROUP BY grp'),
               'Partial.*Aggregate', 'grouped rank_table is planned with partial aggregation');
SELECT set_eq($$SELECT grp, skpi.rank_table(item, unit)::text FROM public.ranking_tap_rows GROUP BY grp$$,
              $$SELECT grp, t FROM serial_groups$$,
              'parallel per group: the same states as serial (compared as text)');
SET LOCAL parallel_leader_participation = off;
SELECT results_eq($$SELECT * FROM skpi.ranks((SELECT skpi.rank_table(item, unit) FROM public.ranking_tap_rows))$$,
                  $$SELECT * FROM by_sql ORDER BY rank, item COLLATE "C"$$,
                  'parallel without the leader: only worker states, merged');
RESET parallel_leader_participation;

-- Hashed grouping with spilling (many groups, little memory): still exact.
SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL work_mem = '64kB';
SET LOCAL enable_sort = off;
SELECT is((SELECT sum(r.units)::bigint FROM (SELECT skpi.rank_table(item, unit) AS t FROM public.ranking_tap_rows GROUP BY unit) g,
                  skpi.ranks(g.t) r),
          (SELECT count(DISTINCT (item, unit)) FROM public.ranking_tap_rows WHERE item IS NOT NULL AND unit IS NOT NULL),
          'hashed per-unit grouping with spilling: the pairs add up');
RESET work_mem;
RESET enable_sort;

-- An item dense among the first units, then sparse among many later ones (its set changes form):
-- x has u1-u2000, u399990-u400000 (11) and u2003-u2997 step 7 (143 more), 2154 in all.
SELECT results_eq(
	$$SELECT item, units FROM skpi.ranks((
		SELECT skpi.rank_table(item, unit) FROM (
			SELECT 'x' AS item, 'u' || g AS unit FROM generate_series(1, 2000) g
			UNION ALL SELECT 'y', 'u' || g FROM generate_series(1, 400000) g
			UNION ALL SELECT 'x', 'u' || g FROM generate_series(399990, 400000) g
			UNION ALL SELECT 'x', 'u' || g FROM generate_series(1, 3000, 7) g) r))$$,
	$$VALUES ('y', 400000::bigint), ('x', 2154::bigint)$$,
	'an item whose units turn from dense to sparse is counted exactly');

-- Text form: exact round trip of a large value, and the flat form survives a table.
SELECT is((SELECT skpi.rank_table(item, unit)::text::skpi.ranking::text FROM public.ranking_tap_rows),
          (SELECT skpi.rank_table(item, unit)::text FROM public.ranking_tap_rows), 'text output and input round-trip');
CREATE TEMP TABLE stored AS SELECT skpi.rank_table(item, unit) AS r FROM public.ranking_tap_rows;
SELECT results_eq($$SELECT x.* FROM stored, skpi.ranks(stored.r) x$$,
                  $$SELECT * FROM by_sql ORDER BY rank, item COLLATE "C"$$, 'a stored ranking ranks the same');

SELECT * FROM finish();
ROLLBACK;
