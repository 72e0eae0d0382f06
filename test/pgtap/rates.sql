-- Rates, proportions, intervals, suppression and share(): signatures, catalogue promises,
-- SQLSTATEs and values against independent figures.
BEGIN;
SELECT plan(62);

-- signatures and markings
SELECT has_function('skpi', 'rate_per_10k', ARRAY['bigint', 'bigint']);
SELECT has_function('skpi', 'rate_ci', ARRAY['bigint', 'bigint', 'double precision']);
SELECT has_function('skpi', 'proportion_ci', ARRAY['bigint', 'bigint', 'double precision']);
SELECT has_function('skpi', 'suppress', ARRAY['bigint', 'integer']);
SELECT has_function('skpi', 'chi_square_quantile', ARRAY['double precision', 'double precision']);
SELECT function_returns('skpi', 'rate_per_10k', ARRAY['bigint', 'bigint'], 'double precision');
SELECT function_returns('skpi', 'suppress', ARRAY['bigint', 'integer'], 'bigint');
SELECT is_aggregate('skpi', 'share', ARRAY['boolean']);
SELECT function_returns('skpi', 'share', ARRAY['boolean'], 'skpi.share_result');
SELECT has_type('skpi', 'share_result', 'share_result exists');
SELECT is(
	(SELECT array_agg(attname || ' ' || format_type(atttypid, atttypmod) ORDER BY attnum)
	 FROM pg_attribute WHERE attrelid = 'skpi.share_result'::regclass AND attnum > 0),
	ARRAY['numerator bigint', 'denominator bigint', 'pct double precision',
	      'lower double precision', 'upper double precision'],
	'share_result has the contract''s columns');
SELECT is(
	(SELECT array_agg(p.proname || ':' || p.provolatile::text || p.proparallel::text || p.proisstrict::text ORDER BY p.proname)
	 FROM pg_proc p WHERE p.pronamespace = 'skpi'::regnamespace
	   AND p.proname IN ('rate_per_10k', 'rate_ci', 'proportion_ci', 'suppress', 'chi_square_quantile')),
	ARRAY['chi_square_quantile:istrue', 'proportion_ci:istrue', 'rate_ci:istrue',
	      'rate_per_10k:istrue', 'suppress:istrue'],
	'scalar functions are IMMUTABLE, PARALLEL SAFE and STRICT');
SELECT is(
	(SELECT format('%s/%s/%s/%s', a.aggtranstype::regtype, a.aggcombinefn <> 0, p.proparallel,
	               a.agginitval)
	 FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
	 WHERE a.aggfnoid = 'skpi.share(boolean)'::regprocedure),
	'bigint[]/t/s/{0,0}',
	'share() has a real (bigint[]) state, a combine function and is PARALLEL SAFE');
SELECT is(
	(SELECT bool_and(l.lanname = 'c') FROM pg_aggregate a
	 JOIN pg_proc f ON f.oid IN (a.aggtransfn, a.aggcombinefn, a.aggfinalfn)
	 JOIN pg_language l ON l.oid = f.prolang
	 WHERE a.aggfnoid = 'skpi.share(boolean)'::regprocedure),
	true, 'share() transition, combine and final functions are in C');

-- SQLSTATEs
SELECT throws_ok('SELECT skpi.rate_per_10k(5, 0)', '22012', 'population must be positive, got 0',
                 'rate_per_10k: zero population is 22012');
SELECT throws_ok('SELECT skpi.rate_per_10k(5, -7)', '22012', NULL, 'rate_per_10k: negative population is 22012');
SELECT throws_ok('SELECT skpi.rate_per_10k(-5, 100)', '22023', 'numerator must not be negative, got -5',
                 'rate_per_10k: negative numerator is 22023');
SELECT throws_ok('SELECT skpi.rate_ci(5, 0)', '22012', NULL, 'rate_ci: zero population is 22012');
SELECT throws_ok('SELECT skpi.rate_ci(-1, 100)', '22023', NULL, 'rate_ci: negative numerator is 22023');
SELECT throws_ok('SELECT skpi.rate_ci(5, 100, 0)', '22023', 'confidence must be between 0 and 1 exclusive, got 0',
                 'rate_ci: confidence 0 is 22023');
SELECT throws_ok('SELECT skpi.rate_ci(5, 100, 1)', '22023', NULL, 'rate_ci: confidence 1 is 22023');
SELECT throws_ok('SELECT skpi.rate_ci(50, 100, 95)', '22023', NULL, 'rate_ci: confidence 95 (a percentage) is 22023');
SELECT throws_ok('SELECT skpi.proportion_ci(5, 10, -0.5)', '22023', NULL, 'proportion_ci: negative confidence is 22023');
SELECT throws_ok('SELECT skpi.proportion_ci(5, 10, ''NaN'')', '22023', NULL, 'proportion_ci: NaN confidence is 22023');
SELECT throws_ok('SELECT skpi.proportion_ci(11, 10)', '22023', 'numerator 11 is greater than denominator 10',
                 'proportion_ci: numerator > denominator is 22023');
SELECT throws_ok('SELECT skpi.proportion_ci(-1, 10)', '22023', NULL, 'proportion_ci: negative numerator is 22023');
SELECT throws_ok('SELECT skpi.suppress(4, -6)', '22023', NULL, 'suppress: negative min_count is 22023');
SELECT throws_ok('SELECT skpi.chi_square_quantile(-0.1, 2)', '22023', NULL, 'chi_square_quantile: p < 0 is 22023');

-- NULL handling
SELECT is((SELECT ROW(pct, lower, upper)::text FROM skpi.proportion_ci(0, 0)), '(,,)',
          'proportion_ci: denominator 0 gives all NULL');
SELECT is((SELECT ROW(rate, lower, upper)::text FROM skpi.rate_ci(NULL, 100)), '(,,)',
          'rate_ci: NULL numerator gives NULLs');
SELECT is(skpi.rate_per_10k(5, NULL), NULL, 'rate_per_10k: NULL population gives NULL');
SELECT is(skpi.suppress(NULL), NULL, 'suppress: NULL gives NULL');

-- values: the defaults are 95%
SELECT is((SELECT ROW(r.*)::text FROM skpi.rate_ci(480, 117000) r),
          (SELECT ROW(r.*)::text FROM skpi.rate_ci(480, 117000, 0.95) r), 'rate_ci: default confidence is 0.95');
SELECT is((SELECT ROW(p.*)::text FROM skpi.proportion_ci(5, 9) p),
          (SELECT ROW(p.*)::text FROM skpi.proportion_ci(5, 9, 0.95) p), 'proportion_ci: default confidence is 0.95');
SELECT is(skpi.rate_per_10k(480, 117000), 480 / 117000.0::float8 * 10000, 'rate_per_10k(480, 117000)');
-- Wilson 1434/2169 from definitions.md's formula with z = 1.959964 (4 decimal places agree)
SELECT is((SELECT round(lower::numeric, 4) FROM skpi.proportion_ci(1434, 2169)),
          round((100 * (2 * 1434 + 1.959964 ^ 2 - 1.959964 * sqrt(1.959964 ^ 2 + 4 * 1434 * (1 - 1434 / 2169.0)))
                 / (2 * (2169 + 1.959964 ^ 2)))::numeric, 4), 'Wilson lower for 1434/2169');
SELECT is((SELECT round(upper::numeric, 4) FROM skpi.proportion_ci(1434, 2169)),
          round((100 * (2 * 1434 + 1.959964 ^ 2 + 1.959964 * sqrt(1.959964 ^ 2 + 4 * 1434 * (1 - 1434 / 2169.0)))
                 / (2 * (2169 + 1.959964 ^ 2)))::numeric, 4), 'Wilson upper for 1434/2169');
SELECT is((SELECT ROW(round(pct::numeric, 4), round(lower::numeric, 4), round(upper::numeric, 4))::text
           FROM skpi.proportion_ci(0, 25)), '(0.0000,0.0000,13.3192)', 'Wilson 0/25');
SELECT is((SELECT ROW(round(pct::numeric, 4), round(lower::numeric, 4), round(upper::numeric, 4))::text
           FROM skpi.proportion_ci(25, 25)), '(100.0000,86.6808,100.0000)', 'Wilson 25/25');
-- Byar for 480 per 117,000 with z = 1.959964
SELECT is((SELECT round(lower::numeric, 4) FROM skpi.rate_ci(480, 117000)),
          round((480 * (1 - 1 / (9 * 480.0) - 1.959964 / (3 * sqrt(480))) ^ 3 / 11.7)::numeric, 4),
          'Byar lower for 480 per 117,000');
SELECT is((SELECT round(upper::numeric, 4) FROM skpi.rate_ci(480, 117000)),
          round((481 * (1 - 1 / (9 * 481.0) + 1.959964 / (3 * sqrt(481))) ^ 3 / 11.7)::numeric, 4),
          'Byar upper for 480 per 117,000');
-- exact Poisson 95% limits: published values (Garwood; chi-square tables)
SELECT is((SELECT ARRAY[round(lower::numeric, 4), round(upper::numeric, 4)] FROM skpi.rate_ci(0, 10000)),
          ARRAY[0.0000, 3.6889], 'exact limits for 0 events');
SELECT is((SELECT ARRAY[round(lower::numeric, 4), round(upper::numeric, 4)] FROM skpi.rate_ci(1, 10000)),
          ARRAY[0.0253, 5.5716], 'exact limits for 1 event');
SELECT is((SELECT ARRAY[round(lower::numeric, 4), round(upper::numeric, 4)] FROM skpi.rate_ci(5, 10000)),
          ARRAY[1.6235, 11.6683], 'exact limits for 5 events');
SELECT is((SELECT ARRAY[round(lower::numeric, 4), round(upper::numeric, 4)] FROM skpi.rate_ci(9, 10000)),
          ARRAY[4.1154, 17.0848], 'exact limits for 9 events');
-- the upper limit for 0 events is -ln(alpha/2) exactly
SELECT cmp_ok(abs((SELECT upper FROM skpi.rate_ci(0, 10000, 0.9)) + ln(0.05)), '<', 1e-12::float8,
              'exact upper limit for 0 events at 90% is -ln(0.05)');
-- the normal quantile behind z: a 50% Wilson interval uses z = 0.6744897501960817
SELECT cmp_ok(abs((SELECT upper FROM skpi.proportion_ci(0, 10, 0.5)) - 100 * 0.6744897501960817 ^ 2 / (10 + 0.6744897501960817 ^ 2)),
              '<', 1e-12::float8, 'Wilson 0/10 at 50% uses z = 0.67449');
-- wider confidence, wider interval; narrower population, wider rate interval
SELECT ok((SELECT bool_and(w.lower < n.lower AND w.upper > n.upper)
           FROM generate_series(0, 30) x,
                skpi.rate_ci(x, 5000, 0.99) w, skpi.rate_ci(x, 5000, 0.9) n WHERE x > 0),
          '99% rate intervals contain 90% ones');
SELECT ok((SELECT bool_and(r.lower <= r.rate AND r.rate <= r.upper)
           FROM generate_series(0, 200) x, skpi.rate_ci(x, 1234) r),
          'every rate lies inside its interval');
SELECT ok((SELECT bool_and(p.lower <= p.pct AND p.pct <= p.upper AND p.lower >= 0 AND p.upper <= 100)
           FROM generate_series(0, 60) x, skpi.proportion_ci(x, 60) p),
          'every percentage lies inside its interval, within 0-100');
-- chi-square quantiles against published tables
SELECT is(round(skpi.chi_square_quantile(0.95, 1)::numeric, 3), 3.841, 'chi2(0.95; 1)');
SELECT is(round(skpi.chi_square_quantile(0.975, 20)::numeric, 3), 34.170, 'chi2(0.975; 20)');
SELECT is(round(skpi.chi_square_quantile(0.025, 18)::numeric, 3), 8.231, 'chi2(0.025; 18)');
SELECT is(round(skpi.chi_square_quantile(0.999, 10)::numeric, 3), 29.588, 'chi2(0.999; 10)');

-- suppress
SELECT is(ARRAY(SELECT skpi.suppress(n) FROM generate_series(0, 7) n),
          ARRAY[0, NULL, NULL, NULL, NULL, NULL, 6, 7]::bigint[], 'suppress hides 1-5');

-- share() on random data against count(*) FILTER / count(flag)
SELECT setseed(0.75);
CREATE TEMP TABLE tap_flags AS
SELECT i % 11 AS g, CASE WHEN random() < 0.15 THEN NULL ELSE random() < 0.4 END AS flag
FROM generate_series(1, 5000) i;
SELECT results_eq(
	'SELECT g, (skpi.share(flag)).numerator, (skpi.share(flag)).denominator FROM tap_flags GROUP BY g ORDER BY g',
	'SELECT g, count(*) FILTER (WHERE flag), count(flag) FROM tap_flags GROUP BY g ORDER BY g',
	'share() counts match count(*) FILTER and count(flag) per group');
SELECT is((SELECT (skpi.share(NULL::boolean)).denominator FROM tap_flags), 0::bigint, 'share() of all-NULL flags: denominator 0');
SELECT is((SELECT skpi.share(flag)::text FROM tap_flags WHERE false), '(0,0,,,)', 'share() of no rows is (0,0,,,)');
SELECT cmp_ok(abs((SELECT (skpi.share(flag)).pct FROM tap_flags)
                  - (SELECT 100.0::float8 * count(*) FILTER (WHERE flag) / count(flag) FROM tap_flags)),
              '<', 1e-9::float8, 'share() pct is true rows over non-NULL rows');
SELECT is((SELECT ROW((s).lower, (s).upper)::text FROM (SELECT skpi.share(flag) s FROM tap_flags) x),
          (SELECT ROW(p.lower, p.upper)::text FROM (SELECT count(*) FILTER (WHERE flag) n, count(flag) d FROM tap_flags) c,
                  skpi.proportion_ci(c.n, c.d) p),
          'share() interval is proportion_ci at 95%');
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE TABLE tap_flags_p AS SELECT * FROM tap_flags;
ANALYZE tap_flags_p;
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
SELECT matches(pg_temp.plan_of('SELECT skpi.share(flag) FROM tap_flags_p'), 'Gather.*Partial Aggregate',
               'share() gets a parallel plan with a Partial Aggregate');
SELECT results_eq(
	'SELECT (skpi.share(flag)).numerator, (skpi.share(flag)).denominator FROM tap_flags_p',
	'SELECT count(*) FILTER (WHERE flag), count(flag) FROM tap_flags_p',
	'share() agrees with count(*) FILTER in a parallel plan');

SELECT * FROM finish();
ROLLBACK;
