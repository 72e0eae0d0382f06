-- Report layer benchmarks over 15 million keys at scale 1 (the contacts of 150 councils x 10
-- years), 0.1% of them repeated, with the cluster's work_mem, as in a refresh. No issue sets a
-- goal for them.
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

CREATE OR REPLACE FUNCTION bench.passes_in_sql(mc int)
RETURNS TABLE (area_code text, period_type text, period_label text, measure text, breakdown text, pass int)
LANGUAGE plpgsql AS $f$
DECLARE
	passes int := 0;
	added bigint;
BEGIN
	IF to_regclass('pg_temp.sql_cells') IS NOT NULL THEN
		DROP TABLE pg_temp.sql_cells, pg_temp.sql_supp;
	END IF;
	CREATE TEMP TABLE sql_cells AS
		SELECT c.*, c.prim AS supp, CASE WHEN c.prim THEN 0 END AS pass FROM bench.supp_cells c;
	ANALYZE sql_cells;
	CREATE TEMP TABLE sql_supp (area_code text, period_type text, period_label text, measure text,
								breakdown text, pass int,
								PRIMARY KEY (area_code, period_type, period_label, measure, breakdown));
	INSERT INTO sql_supp SELECT DISTINCT c.area_code, c.period_type, c.period_label, c.measure, c.breakdown, 0
		FROM sql_cells c WHERE c.prim;
	LOOP
		EXECUTE format($q$WITH aff AS MATERIALIZED (
			SELECT n.area_code, n.period_type, n.period_label, n.measure, n.breakdown, n.quarter_group, n.year_group
			FROM sql_cells n WHERE n.pass = %1$s
		), picked AS (
			SELECT DISTINCT x.area_code, x.period_type, x.period_label, x.measure, x.breakdown
			FROM (
				SELECT c.*,
					count(*) FILTER (WHERE c.supp) OVER r AS r_n,
					sum(c.size) FILTER (WHERE c.supp) OVER r AS r_sum,
					count(*) FILTER (WHERE c.prim) OVER r AS r_prim,
					row_number() OVER (r ORDER BY c.supp OR c.zero, c.size, c.breakdown) AS r_pick,
					count(*) FILTER (WHERE c.supp) OVER q AS q_n,
					sum(c.size) FILTER (WHERE c.supp) OVER q AS q_sum,
					count(*) FILTER (WHERE c.prim) OVER q AS q_prim,
					bool_or(c.period_type = 'quarter') OVER q AS q_total,
					row_number() OVER (q ORDER BY c.supp OR c.zero, c.size, c.period_start, c.period_type) AS q_pick,
					count(*) FILTER (WHERE c.supp) OVER y AS y_n,
					sum(c.size) FILTER (WHERE c.supp) OVER y AS y_sum,
					count(*) FILTER (WHERE c.prim) OVER y AS y_prim,
					bool_or(c.period_type = 'year') OVER y AS y_total,
					row_number() OVER (y ORDER BY c.supp OR c.zero, c.size, c.period_start, c.period_type) AS y_pick
				FROM (
					SELECT c.*,
						(c.area_code, c.period_type, c.period_label, c.measure) IN
							(SELECT n.area_code, n.period_type, n.period_label, n.measure FROM aff n) AS r_aff,
						c.quarter_group IS NOT NULL AND (c.area_code, c.measure, c.breakdown, c.quarter_group) IN
							(SELECT n.area_code, n.measure, n.breakdown, n.quarter_group
							 FROM aff n WHERE n.quarter_group IS NOT NULL) AS q_aff,
						c.year_group IS NOT NULL AND (c.area_code, c.measure, c.breakdown, c.year_group) IN
							(SELECT n.area_code, n.measure, n.breakdown, n.year_group
							 FROM aff n WHERE n.year_group IS NOT NULL) AS y_aff
					FROM sql_cells c
				) c
				WHERE c.r_aff OR c.q_aff OR c.y_aff
				WINDOW r AS (PARTITION BY c.area_code, c.period_type, c.period_label, c.measure),
					   q AS (PARTITION BY c.area_code, c.measure, c.breakdown, c.quarter_group),
					   y AS (PARTITION BY c.area_code, c.measure, c.breakdown, c.year_group)
			) x
			WHERE NOT (x.supp OR x.zero)
			  AND ((x.r_aff AND x.r_pick = 1 AND (x.r_n = 1 OR (x.r_n > 1 AND (x.r_sum < %2$s OR (x.r_prim = x.r_n AND x.r_sum IN (x.r_n, x.r_n * %3$s))))))
				   OR (x.q_aff AND x.q_total AND x.q_pick = 1 AND (x.q_n = 1 OR (x.q_n > 1 AND (x.q_sum < %2$s OR (x.q_prim = x.q_n AND x.q_sum IN (x.q_n, x.q_n * %3$s))))))
				   OR (x.y_aff AND x.y_total AND x.y_pick = 1 AND (x.y_n = 1 OR (x.y_n > 1 AND (x.y_sum < %2$s OR (x.y_prim = x.y_n AND x.y_sum IN (x.y_n, x.y_n * %3$s)))))))
		), added AS (
			INSERT INTO sql_supp SELECT p.*, %4$s FROM picked p
			ON CONFLICT DO NOTHING
			RETURNING area_code, period_type, period_label, measure, breakdown
		)
		UPDATE sql_cells c SET supp = true, pass = %4$s
		FROM added a
		WHERE c.area_code = a.area_code AND c.period_type = a.period_type AND c.period_label = a.period_label
		  AND c.measure = a.measure AND c.breakdown = a.breakdown$q$, passes, mc, mc - 1, passes + 1);
		GET DIAGNOSTICS added = ROW_COUNT;
		passes := passes + 1;
		EXIT WHEN added = 0;
	END LOOP;
	RETURN QUERY SELECT s.* FROM sql_supp s WHERE s.pass > 0;
END
$f$;

SELECT bench.compare('reports: _secondary_suppression', :supp_cells,
$q$SELECT * FROM skpi._secondary_suppression('bench.supp_cells', 6)$q$,
$q$SELECT * FROM bench.passes_in_sql(6)$q$,
$q$SELECT * FROM bench.supp_cells$q$,
NULL, NULL, 'cells suppressed by the passes, with the pass of each (the same in both); no goal: an internal function of refresh_reports');

DROP FUNCTION bench.passes_in_sql(int);
DROP TABLE bench.supp_cells;
