-- open_on() and open_counts(): signatures, catalogue promises, SQLSTATEs and agreement with a
-- plain-SQL join on random episodes, serial and parallel.
BEGIN;
SELECT plan(26);

SELECT has_function('skpi', 'open_on', ARRAY['date', 'date', 'date']);
SELECT function_returns('skpi', 'open_on', ARRAY['date', 'date', 'date'], 'boolean');
SELECT is_aggregate('skpi', 'open_counts', ARRAY['date', 'date', 'date[]']);
SELECT function_returns('skpi', 'open_counts', ARRAY['date', 'date', 'date[]'], 'bigint[]');
SELECT is((SELECT provolatile::text || proparallel::text || proisstrict::text FROM pg_proc
           WHERE oid = 'skpi.open_on(date, date, date)'::regprocedure),
          'isfalse', 'open_on is IMMUTABLE, PARALLEL SAFE, not STRICT (a NULL end means open)');
SELECT is(
	(SELECT format('%s/%s/%s', a.aggtranstype::regtype, a.aggcombinefn <> 0, p.proparallel)
	 FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
	 WHERE a.aggfnoid = 'skpi.open_counts(date, date, date[])'::regprocedure),
	'bigint[]/t/s',
	'open_counts() has a real (bigint[]) state, a combine function and is PARALLEL SAFE');
SELECT is(
	(SELECT bool_and(l.lanname = 'c') FROM pg_aggregate a
	 JOIN pg_proc f ON f.oid IN (a.aggtransfn, a.aggcombinefn, a.aggfinalfn)
	 JOIN pg_language l ON l.oid = f.prolang
	 WHERE a.aggfnoid = 'skpi.open_counts(date, date, date[])'::regprocedure),
	true, 'open_counts() transition, combine and final functions are in C');

-- open_on
SELECT is(skpi.open_on('2020-01-01', NULL, '2020-01-01'), true, 'open on its start date');
SELECT is(skpi.open_on('2020-01-01', '2020-03-31', '2020-03-31'), false, 'not open on its end date');
SELECT is(skpi.open_on('2020-01-01', '2020-03-31', '2020-03-30'), true, 'open the day before its end');
SELECT is(skpi.open_on(NULL, '2020-03-31', '2020-03-30'), NULL, 'NULL start gives NULL');
SELECT throws_ok($$SELECT skpi.open_on('2020-03-01', '2020-02-28', '2020-03-31')$$, '22023',
                 'end date 2020-02-28 is before start date 2020-03-01', 'open_on: end before start is 22023');

-- open_counts errors
SELECT throws_ok($$SELECT skpi.open_counts(s, NULL, '{2020-03-31,2020-01-31}') FROM (VALUES ('2020-01-01'::date)) v(s)$$,
                 '22023', 'snapshot dates must be ascending without duplicates', 'descending snapshots are 22023');
SELECT throws_ok($$SELECT skpi.open_counts(s, NULL, '{2020-01-31,2020-03-31,2020-03-31}') FROM (VALUES ('2020-01-01'::date)) v(s)$$,
                 '22023', 'snapshot dates must be ascending without duplicates', 'duplicate snapshots are 22023');
SELECT throws_ok($$SELECT skpi.open_counts(s, NULL, CASE WHEN n = 1 THEN '{2020-01-31}'::date[] ELSE '{2020-02-29}' END)
                   FROM (VALUES ('2020-01-01'::date, 1), ('2020-01-01', 2)) v(s, n)$$,
                 '22023', 'snapshot dates differ between rows of one open_counts() group', 'snapshots differing between rows are 22023');
SELECT throws_ok($$SELECT skpi.open_counts(s, e, '{2020-01-31}') FROM (VALUES ('2020-03-01'::date, '2020-02-28'::date)) v(s, e)$$,
                 '22023', 'end date 2020-02-28 is before start date 2020-03-01', 'open_counts: end before start is 22023');
SELECT throws_ok($$SELECT skpi.open_counts(s, NULL, '{2020-01-31,NULL}') FROM (VALUES ('2020-01-01'::date)) v(s)$$,
                 '22023', NULL, 'a NULL snapshot date is 22023');

-- empty and degenerate input
SELECT is((SELECT skpi.open_counts(s, NULL, '{2020-01-31}') FROM (VALUES ('2020-01-01'::date)) v(s) WHERE false),
          NULL, 'no rows: NULL');
SELECT is((SELECT skpi.open_counts(NULL, NULL, '{2020-01-31,2020-02-29}')), '{0,0}'::bigint[], 'only NULL starts: zeros');
SELECT is((SELECT skpi.open_counts('2020-01-01', NULL, '{}')), '{}'::bigint[], 'no snapshot dates: empty array');

-- random episodes against the join, for month ends and for arbitrary dates
SELECT setseed(0.125);
CREATE TEMP TABLE tap_eps AS
SELECT i % 5 AS g, s, CASE WHEN r < 0.3 THEN NULL WHEN r < 0.4 THEN s ELSE s + (r * 900)::int END AS e
FROM (SELECT i, CASE WHEN random() < 0.05 THEN NULL ELSE date '2015-01-01' + (random() * 2000)::int END AS s,
             random() AS r
      FROM generate_series(1, 3000) i) x;
CREATE FUNCTION pg_temp.join_counts(dates date[]) RETURNS bigint[] LANGUAGE sql AS $$
	SELECT array_agg(n ORDER BY k) FROM (
		SELECT k, count(t.s) AS n FROM generate_series(1, cardinality(dates)) k
		LEFT JOIN tap_eps t ON t.s <= dates[k] AND (t.e IS NULL OR t.e > dates[k])
		GROUP BY k) x
$$;
SELECT is((SELECT skpi.open_counts(s, e, '{2015-01-31,2015-12-31,2016-02-29,2017-06-30,2019-12-31,2021-01-01}') FROM tap_eps),
          pg_temp.join_counts('{2015-01-31,2015-12-31,2016-02-29,2017-06-30,2019-12-31,2021-01-01}'),
          'open_counts equals the join on arbitrary dates');
SELECT is((SELECT skpi.open_counts(s, e, (SELECT array_agg((m + interval '1 month' - interval '1 day')::date ORDER BY m)
                                          FROM generate_series(date '2014-01-01', date '2020-12-01', interval '1 month') m))
           FROM tap_eps),
          pg_temp.join_counts((SELECT array_agg((m + interval '1 month' - interval '1 day')::date ORDER BY m)
                               FROM generate_series(date '2014-01-01', date '2020-12-01', interval '1 month') m)),
          'open_counts equals the join on 84 month ends');
SELECT is((SELECT skpi.open_counts(s, e, '{2016-03-31}') FROM tap_eps),
          ARRAY[(SELECT count(*) FROM tap_eps WHERE skpi.open_on(s, e, '2016-03-31'))],
          'open_counts agrees with count(*) WHERE open_on');

-- parallel
CREATE TABLE tap_eps_p AS SELECT * FROM tap_eps;
ANALYZE tap_eps_p;
CREATE TEMP TABLE tap_expected AS
SELECT pg_temp.join_counts('{2015-01-31,2015-12-31,2016-02-29,2017-06-30,2019-12-31,2021-01-01}') AS counts;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
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
SELECT matches(pg_temp.plan_of($$SELECT skpi.open_counts(s, e, '{2015-01-31,2015-12-31,2016-02-29,2017-06-30,2019-12-31,2021-01-01}') FROM tap_eps_p$$),
               'Gather.*Partial Aggregate', 'open_counts() gets a parallel plan with a Partial Aggregate');
SELECT is((SELECT skpi.open_counts(s, e, '{2015-01-31,2015-12-31,2016-02-29,2017-06-30,2019-12-31,2021-01-01}') FROM tap_eps_p),
          (SELECT counts FROM tap_expected), 'open_counts equals the join in a parallel plan');
SELECT results_eq(
	$$SELECT g, skpi.open_counts(s, e, '{2016-06-30,2018-06-30}') FROM tap_eps_p GROUP BY g ORDER BY g$$,
	$$SELECT g, ARRAY[count(*) FILTER (WHERE skpi.open_on(s, e, '2016-06-30')),
	                 count(*) FILTER (WHERE skpi.open_on(s, e, '2018-06-30'))] FROM tap_eps_p GROUP BY g ORDER BY g$$,
	'open_counts per group equals count(*) FILTER (WHERE open_on) in a parallel plan');

SELECT * FROM finish();
ROLLBACK;
