-- Report layer benchmarks over 15 million keys at scale 1 (the contacts of 150 councils x 10
-- years), 0.1% of them repeated, with the cluster's work_mem, as in a refresh. No issue sets a
-- goal for them. (normalisation.sql has the other functions of the normalisation views.)
-- _duplicates, which {dedup} of the normalisation views runs over a 64-bit hash of each row's
-- keys to find the keys that occur more than once, against the plain-SQL way (GROUP BY ...
-- HAVING count(*) > 1, which {dedup} ran before); the floor is max() over the same column.
-- _sorted_has, which then keeps the rows whose key is not among them, against a hashed NOT IN
-- over the same keys (what {dedup} ran before); both find the keys with _duplicates (the array
-- an initplan's result, as in the views: an array read from a table would be detoasted, and
-- checked, on every call); the floor is count(*).
SELECT (15000000 * :scale)::bigint AS n, greatest(1, (15000 * :scale)::bigint) AS repeated \gset

DROP TABLE IF EXISTS bench.dupkeys;
-- keys 0 .. n - repeated - 1, the last rows repeating the first keys
CREATE TABLE bench.dupkeys AS
SELECT hashtextextended('C' || (i % (:n - :repeated)), 0) AS h
FROM generate_series(0, :n - 1) i;
VACUUM ANALYZE bench.dupkeys;

SELECT bench.compare('reports: _duplicates', :n,
$q$SELECT unnest(skpi._duplicates(h)) AS h FROM bench.dupkeys$q$,
$q$SELECT h FROM bench.dupkeys GROUP BY h HAVING count(*) > 1$q$,
$q$SELECT max(h) FROM bench.dupkeys$q$,
NULL, NULL, format('%s repeated keys; no goal: an internal aggregate of the normalisation views', :repeated));

SELECT bench.compare('reports: _sorted_has', :n,
$q$SELECT count(*) FROM bench.dupkeys WHERE NOT skpi._sorted_has((SELECT skpi._duplicates(h) FROM bench.dupkeys), h)$q$,
$q$SELECT count(*) FROM bench.dupkeys WHERE h NOT IN (SELECT unnest(skpi._duplicates(h)) FROM bench.dupkeys)$q$,
$q$SELECT count(*) FROM bench.dupkeys$q$,
NULL, NULL, format('rows kept: not among the %s repeated keys, found by _duplicates in both; no goal: the point is that it can run in parallel workers (see parallel _sorted_has), a hashed subplan over a CTE cannot', :repeated));

DROP TABLE bench.dupkeys;

-- _secondary_suppression, the passes of refresh_reports' secondary suppression in memory,
-- against the same passes in SQL (how refresh_reports ran them before: per pass, the cells of
-- the pass before find their groups, whose counts, sums and picking order are window functions
-- over the affected cells), over cells shaped like a national refresh's: 150 councils x 10
-- years of months, quarters and years, 25 measures x 5 breakdowns (3.2 million cells at scale
-- 1), sizes 0-37 with an eighth of them primary (1-5). The floor is reading the cells.
SELECT greatest(1, round(150 * :scale))::int AS supp_areas \gset
DROP TABLE IF EXISTS bench.supp_cells;
SELECT setseed(0.5);
CREATE TABLE bench.supp_cells AS
SELECT c.*, NOT c.size > 0 AS zero, c.size BETWEEN 1 AND 5 AS prim,
	   CASE c.period_type WHEN 'month' THEN skpi.fiscal_period(c.period_start)
						  WHEN 'quarter' THEN c.period_label END AS quarter_group,
	   CASE c.period_type WHEN 'quarter' THEN skpi.fiscal_year(c.period_start)
						  WHEN 'year' THEN c.period_label END AS year_group
FROM (SELECT a.area_code, p.period_type, p.period_label, p.period_start, m.measure, b.breakdown,
			 floor(random() * 40)::numeric - 2 AS size
	  FROM (SELECT 'E' || lpad(i::text, 8, '0') FROM generate_series(1, :supp_areas) i) a(area_code)
	  CROSS JOIN (SELECT 'month', to_char(d, 'Mon YYYY'), d::date
				  FROM generate_series('2015-04-01'::date, '2025-03-01', '1 month') d
				  UNION ALL
				  SELECT 'quarter', skpi.fiscal_period(d::date), d::date
				  FROM generate_series('2015-04-01'::date, '2025-01-01', '3 months') d
				  UNION ALL
				  SELECT 'year', skpi.fiscal_year(d::date), d::date
				  FROM generate_series('2015-04-01'::date, '2024-04-01', '1 year') d) p(period_type, period_label, period_start)
	  CROSS JOIN (SELECT 'measure_' || i FROM generate_series(1, 25) i) m(measure)
	  CROSS JOIN (VALUES (''), ('female'), ('male'), ('under_10'), ('10_and_over')) b(breakdown)) c;
VACUUM ANALYZE bench.supp_cells;
SELECT count(*) AS supp_cells FROM bench.supp_cells \gset

\ir ../oracle/secondary_suppression.sql

SELECT bench.compare('reports: _secondary_suppression', :supp_cells,
$q$SELECT * FROM skpi._secondary_suppression('bench.supp_cells', 6)$q$,
$q$SELECT * FROM pg_temp.secondary_suppression_in_sql('bench.supp_cells', 6)$q$,
$q$SELECT * FROM bench.supp_cells$q$,
NULL, NULL, 'cells suppressed by the passes, with the pass of each (the same in both); no goal: an internal function of refresh_reports');

DROP FUNCTION pg_temp.secondary_suppression_in_sql(regclass, int);
DROP TABLE bench.supp_cells;
