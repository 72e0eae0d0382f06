-- The secondary suppression's passes in SQL, as refresh_reports ran them before
-- _secondary_suppression: per pass, the cells suppressed by the pass before find their groups
-- (breakdowns of a measure, months of a quarter, quarters of a year), whose counts, sums and
-- picking order are window functions over the affected cells. The oracle of
-- sql/suppression.sql and the competitor of test/bench/reports.sql; it reads a table laid out
-- as refresh_reports' cells (plus prim, the primary cells) and returns the cells it adds.
-- Created in pg_temp, so it is called as pg_temp.secondary_suppression_in_sql(cells, min_count).
CREATE FUNCTION pg_temp.secondary_suppression_in_sql(cells regclass, mc int)
RETURNS TABLE (area_code text, period_type text, period_label text, measure text, breakdown text, pass int)
LANGUAGE plpgsql AS $f$
DECLARE
	passes int := 0;
	added bigint;
BEGIN
	IF to_regclass('pg_temp.sql_cells') IS NOT NULL THEN
		DROP TABLE pg_temp.sql_cells, pg_temp.sql_supp;
	END IF;
	EXECUTE format('CREATE TEMP TABLE sql_cells AS
		SELECT c.*, c.prim AS supp, CASE WHEN c.prim THEN 0 END AS pass FROM %s c', cells);
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
