-- Rates, proportions, confidence intervals, suppression and share() (definitions.md §3).
-- Every interval is checked against a figure computed independently: a published table value,
-- the definition's formula written out in plain SQL, or the Poisson sum that defines the limit.
CREATE SCHEMA rates_test;
SET search_path = rates_test, public;
-- 12 significant digits in float8 output, so that last-place differences between maths
-- libraries do not show; exact comparisons are made with explicit tolerances.
SET extra_float_digits = -3;

-- SQLSTATE and message of a statement that should fail.
CREATE FUNCTION rates_test.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

-- z for 90%, 95%, 99% (published normal quantiles, 16 digits).
CREATE TABLE rates_test.z (confidence float8 PRIMARY KEY, z float8);
INSERT INTO rates_test.z VALUES (0.90, 1.6448536269514722), (0.95, 1.959963984540054),
	(0.99, 2.5758293035489004);

-- Wilson limits written out as in definitions.md §3, in percent.
CREATE FUNCTION rates_test.wilson(x float8, n float8, z float8, OUT lower float8, OUT upper float8)
LANGUAGE sql AS $$
	SELECT 100 * (2 * x + z ^ 2 - z * sqrt(z ^ 2 + 4 * x * (1 - x / n))) / (2 * (n + z ^ 2)),
	       100 * (2 * x + z ^ 2 + z * sqrt(z ^ 2 + 4 * x * (1 - x / n))) / (2 * (n + z ^ 2))
$$;

-- Byar's count limits written out as in definitions.md §3.
CREATE FUNCTION rates_test.byar(x float8, z float8, OUT lower float8, OUT upper float8)
LANGUAGE sql AS $$
	SELECT x * (1 - 1 / (9 * x) - z / (3 * sqrt(x))) ^ 3,
	       (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * sqrt(x + 1))) ^ 3
$$;

-- P(X <= k) for X ~ Poisson(mu), summed term by term.
CREATE FUNCTION rates_test.poisson_cdf(k int, mu float8) RETURNS float8 LANGUAGE sql AS $$
	SELECT sum(exp(-mu) * mu ^ j / factorial(j)::float8) FROM generate_series(0, k) j
$$;

--
-- rate_per_10k
--
SELECT skpi.rate_per_10k(480, 117000) AS cp_rate,                  -- the seed's "41 per 10,000"
       round(skpi.rate_per_10k(480, 117000)::numeric, 1) AS one_dp,
       skpi.rate_per_10k(0, 5) AS zero,
       skpi.rate_per_10k(3, 30000) AS one,
       skpi.rate_per_10k(NULL, 100) AS null_numerator;
SELECT rates_test.error_of('SELECT skpi.rate_per_10k(5, 0)');
SELECT rates_test.error_of('SELECT skpi.rate_per_10k(5, -100)');
SELECT rates_test.error_of('SELECT skpi.rate_per_10k(-1, 100)');
SELECT skpi.rate_per_10k(5, 0);

--
-- rate_ci: Byar for 480 children per 117,000 (the seed's CP figure at 31 July 2019)
--
SELECT round(rate::numeric, 10) AS rate, round(lower::numeric, 10) AS lower,
       round(upper::numeric, 10) AS upper
FROM skpi.rate_ci(480, 117000);
-- the same limits from the formula in plain SQL
SELECT abs(r.lower - b.lower / 117000 * 10000) < 1e-10 AS lower_matches,
       abs(r.upper - b.upper / 117000 * 10000) < 1e-10 AS upper_matches
FROM skpi.rate_ci(480, 117000) r, rates_test.byar(480, 1.959963984540054) b;
-- other confidence levels, and x = 10 (the first count that uses Byar)
SELECT z.confidence, x,
       abs(r.lower - b.lower) < 1e-10 AND abs(r.upper - b.upper) < 1e-10 AS matches_byar,
       round(r.lower::numeric, 6) AS lower, round(r.upper::numeric, 6) AS upper
FROM rates_test.z z, (VALUES (10), (480), (100000)) v(x),
     skpi.rate_ci(x, 10000, z.confidence) r, rates_test.byar(x, z.z) b
ORDER BY 1, 2;

--
-- rate_ci: exact Poisson limits below 10 events. With population 10,000 the limits are counts.
-- Published 95% limits (chi-square tables): 0: 0-3.689, 1: 0.0253-5.572, 5: 1.623-11.668,
-- 9: 4.115-17.085.
--
SELECT x, rate, round(lower::numeric, 4) AS lower, round(upper::numeric, 3) AS upper
FROM unnest(ARRAY[0, 1, 5, 9]) x, skpi.rate_ci(x, 10000)
ORDER BY x;
-- the limits solve the Poisson equations that define them, to 1e-12:
-- P(X >= x | lower) = alpha/2 and P(X <= x | upper) = alpha/2
SELECT z.confidence, x,
       x = 0 AND r.lower = 0
         OR abs((1 - rates_test.poisson_cdf(x - 1, r.lower)) - (1 - z.confidence) / 2) < 1e-12
         AS lower_solves,
       abs(rates_test.poisson_cdf(x, r.upper) - (1 - z.confidence) / 2) < 1e-12 AS upper_solves
FROM rates_test.z z, generate_series(0, 9) x, skpi.rate_ci(x, 10000, z.confidence) r
WHERE NOT (x = 0 AND r.lower = 0
           OR abs((1 - rates_test.poisson_cdf(x - 1, r.lower)) - (1 - z.confidence) / 2) < 1e-12)
   OR NOT abs(rates_test.poisson_cdf(x, r.upper) - (1 - z.confidence) / 2) < 1e-12;
-- exact limits for 5 events at 90% and 99% against published chi-square quantiles:
-- chi2(0.05; 10) = 3.940, chi2(0.95; 12) = 21.026, chi2(0.005; 10) = 2.156, chi2(0.995; 12) = 28.300
SELECT c AS confidence, round((2 * lower)::numeric, 3) AS chi2_lower,
       round((2 * upper)::numeric, 3) AS chi2_upper
FROM unnest(ARRAY[0.90, 0.99]) c, skpi.rate_ci(5, 10000, c);
-- a rate: 3 children per 2,500
SELECT round(rate::numeric, 6) AS rate, round(lower::numeric, 6) AS lower,
       round(upper::numeric, 6) AS upper
FROM skpi.rate_ci(3, 2500);

--
-- chi_square_quantile against published table values
--
SELECT p, df, round(skpi.chi_square_quantile(p, df)::numeric, 4) AS quantile
FROM (VALUES (0.025, 2), (0.975, 2), (0.975, 4), (0.025, 10), (0.975, 12), (0.025, 18),
             (0.975, 20), (0.5, 1), (0.95, 1), (0.99, 100), (0.001, 5)) v(p, df)
ORDER BY df, p;
SELECT skpi.chi_square_quantile(0, 3) AS at_zero, skpi.chi_square_quantile(1, 3) AS at_one;
-- tiny df: the quantile is below the smallest normal double, so 0 (not an error)
SELECT skpi.chi_square_quantile(0.975, 1e-5) AS tiny_df;
SELECT rates_test.error_of('SELECT skpi.chi_square_quantile(1.5, 3)');
SELECT rates_test.error_of('SELECT skpi.chi_square_quantile(0.5, 0)');

--
-- proportion_ci: Wilson
--
SELECT round(pct::numeric, 10) AS pct, round(lower::numeric, 10) AS lower,
       round(upper::numeric, 10) AS upper
FROM skpi.proportion_ci(1434, 2169);
-- against the formula in plain SQL, at three confidence levels and for 0/n and n/n
SELECT z.confidence, x, n,
       abs(p.lower - w.lower) < 1e-10 AS lower_matches,
       abs(p.upper - w.upper) < 1e-10 AS upper_matches,
       round(p.lower::numeric, 6) AS lower, round(p.upper::numeric, 6) AS upper
FROM rates_test.z z, (VALUES (1434, 2169), (0, 40), (40, 40), (1, 1), (3, 7)) v(x, n),
     skpi.proportion_ci(x, n, z.confidence) p, rates_test.wilson(x, n, z.z) w
ORDER BY 1, 2, 3;
-- 0/n and n/n in closed form: lower exactly 0 and upper z^2/(n+z^2); mirror image for n/n
SELECT p0.lower AS zero_lower, abs(p0.upper - 100 * 1.959963984540054 ^ 2 / (40 + 1.959963984540054 ^ 2)) < 1e-12 AS zero_upper_ok,
       pn.upper AS all_upper, abs(pn.lower - 100 * 40 / (40 + 1.959963984540054 ^ 2)) < 1e-12 AS all_lower_ok
FROM skpi.proportion_ci(0, 40) p0, skpi.proportion_ci(40, 40) pn;
-- a zero denominator gives NULLs; a NULL argument gives a NULL row
SELECT * FROM skpi.proportion_ci(0, 0);
SELECT * FROM skpi.proportion_ci(NULL, 10);
SELECT rates_test.error_of('SELECT skpi.proportion_ci(5, 4)');
SELECT rates_test.error_of('SELECT skpi.proportion_ci(1, 0)');
SELECT rates_test.error_of('SELECT skpi.proportion_ci(-1, 4)');
SELECT rates_test.error_of('SELECT skpi.proportion_ci(1, -4)');
SELECT skpi.proportion_ci(5, 4);

-- confidence outside (0,1)
SELECT c, rates_test.error_of(format('SELECT skpi.rate_ci(5, 100, %s)', c)) AS rate_ci,
       rates_test.error_of(format('SELECT skpi.proportion_ci(5, 10, %s)', c)) AS proportion_ci
FROM unnest(ARRAY['0', '1', '1.5', '-0.1', '''NaN''']) c;
SELECT skpi.rate_ci(5, 100, 0.0);

--
-- suppress
--
SELECT n, skpi.suppress(n) AS default_6, skpi.suppress(n, 10) AS min_10, skpi.suppress(n, 0) AS min_0
FROM unnest(ARRAY[NULL, 0, 1, 5, 6, 9, 10, 1000]::bigint[]) n;
SELECT rates_test.error_of('SELECT skpi.suppress(3, -1)');
SELECT rates_test.error_of('SELECT skpi.suppress(-3)');

--
-- share()
--
SELECT skpi.share(f) FROM unnest(ARRAY[true, false, NULL, true]) f;
SELECT (skpi.share(f)).* FROM unnest(ARRAY[true, false, NULL, true]) f;
SELECT skpi.share(f) AS all_null FROM unnest(ARRAY[NULL, NULL]::boolean[]) f;
SELECT skpi.share(f) AS empty FROM unnest(ARRAY[]::boolean[]) f;
SELECT skpi.share(f) AS all_true FROM unnest(ARRAY[true, true, true]) f;
-- the interval is proportion_ci's at 95%
SELECT (s).pct = p.pct AND (s).lower = p.lower AND (s).upper = p.upper AS same_as_proportion_ci
FROM (SELECT skpi.share(i % 3 = 0) AS s FROM generate_series(1, 2169) i) x,
     skpi.proportion_ci(723, 2169) p;
-- per group, with GROUP BY
SELECT g, (skpi.share(f)).numerator, (skpi.share(f)).denominator
FROM (VALUES (1, true), (1, NULL), (2, false), (2, true), (2, true), (3, NULL)) v(g, f)
GROUP BY g ORDER BY g;
-- as a window aggregate
SELECT i, (skpi.share(i % 2 = 0) OVER (ORDER BY i)).numerator AS running_even
FROM generate_series(1, 4) i;

-- random data: share() agrees with count(*) FILTER / count(flag), serial, parallel, partitioned
SELECT setseed(0.25);
CREATE TABLE rates_test.flags AS
SELECT i, i % 7 AS g,
       CASE WHEN random() < 0.2 THEN NULL ELSE random() < 0.3 END AS flag,
       NULL::boolean AS nothing
FROM generate_series(1, 30000) i;
ANALYZE rates_test.flags;

CREATE VIEW rates_test.share_vs_count AS
SELECT g, (s).numerator = c.num AND (s).denominator = c.den
          AND ((s).pct IS NULL AND c.den = 0 OR abs((s).pct - 100.0 * c.num / c.den) < 1e-9) AS agrees
FROM (SELECT g, skpi.share(flag) AS s, count(*) FILTER (WHERE flag) AS num, count(flag) AS den
      FROM rates_test.flags GROUP BY g) c;
SELECT count(*) AS groups, bool_and(agrees) AS all_agree FROM rates_test.share_vs_count;
SELECT (skpi.share(flag)).numerator = count(*) FILTER (WHERE flag) AS num_ok,
       (skpi.share(flag)).denominator = count(flag) AS den_ok,
       skpi.share(nothing) AS all_null_column
FROM rates_test.flags;
SELECT skpi.share(flag) AS no_rows FROM rates_test.flags WHERE i < 0;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT skpi.share(flag) FROM rates_test.flags;
SELECT (s).numerator = c.num AND (s).denominator = c.den AS parallel_agrees
FROM (SELECT skpi.share(flag) AS s FROM rates_test.flags) x,
     (SELECT count(*) FILTER (WHERE flag) AS num, count(flag) AS den FROM rates_test.flags) c;

-- a partitioned table, with partitionwise aggregation
CREATE TABLE rates_test.pflags (i int, g int, flag boolean) PARTITION BY RANGE (i);
CREATE TABLE rates_test.pflags_1 PARTITION OF rates_test.pflags FOR VALUES FROM (MINVALUE) TO (10000);
CREATE TABLE rates_test.pflags_2 PARTITION OF rates_test.pflags FOR VALUES FROM (10000) TO (20000);
CREATE TABLE rates_test.pflags_3 PARTITION OF rates_test.pflags FOR VALUES FROM (20000) TO (MAXVALUE);
INSERT INTO rates_test.pflags SELECT i, g, flag FROM rates_test.flags;
ANALYZE rates_test.pflags;
SET enable_partitionwise_aggregate = on;
EXPLAIN (COSTS OFF) SELECT skpi.share(flag) FROM rates_test.pflags;
SELECT (s).numerator = c.num AND (s).denominator = c.den AS partitioned_agrees,
       (s).pct = (f).pct AND (s).lower = (f).lower AS same_as_unpartitioned
FROM (SELECT skpi.share(flag) AS s FROM rates_test.pflags) x,
     (SELECT count(*) FILTER (WHERE flag) AS num, count(flag) AS den FROM rates_test.pflags) c,
     (SELECT skpi.share(flag) AS f FROM rates_test.flags) y;
SELECT g, (skpi.share(flag)).numerator = count(*) FILTER (WHERE flag) AS agrees
FROM rates_test.pflags GROUP BY g ORDER BY g;
RESET enable_partitionwise_aggregate;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- support functions: combine adds, bad states are refused
SELECT skpi._share_combine('{1,2}', '{3,4}') AS combined;
SELECT skpi._share_final('{3,4}') AS final;
SELECT rates_test.error_of('SELECT skpi._share_final(''{3,2}'')');
SELECT rates_test.error_of('SELECT skpi._share_final(''{3,4,5}'')');
SELECT rates_test.error_of('SELECT skpi._share_accum(''{1,NULL}'', true)');

DROP SCHEMA rates_test CASCADE;
RESET search_path;
RESET extra_float_digits;
