-- _secondary_suppression: the passes of refresh_reports' secondary suppression, in memory.
-- Hand-worked groups, then random cells against the same passes written in SQL (the form
-- refresh_reports ran before), then bad input.
CREATE SCHEMA supp_test;
SET search_path = supp_test, public;

-- SQLSTATE, message and detail of a statement that should fail.
CREATE FUNCTION supp_test.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	detail text;
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
	RETURN SQLSTATE || ': ' || SQLERRM || coalesce(' (' || nullif(detail, '') || ')', '');
END
$$;

-- Cells as refresh_reports lays them out; prim marks the primary (small) ones by hand here.
CREATE TABLE supp_test.cells (
	area_code text, period_type text, period_label text, period_start date, measure text,
	breakdown text, size numeric, zero boolean, prim boolean, quarter_group text, year_group text
);
-- One council's cells by hand: measure, period type, label, start, breakdown, size, primary,
-- quarter group, year group (zero is size <= 0, as refresh_reports has it). Picked at
-- min_count 6, and why:
-- (a) one primary cell among its breakdowns: the smallest non-zero other one, z (10, not w's 0)
-- (b) a tie on size: the first breakdown in the column's collation (p, not q)
-- (c) two primary cells adding up to less than 6: one more (z, 20); then 23 is safe
-- (d) two primary cells at their most possible total (5 + 5): one more (z, 40)
-- (e) six primary 1s at their least possible total (6, not under 6): one more (z, 100)
-- (f) two primary cells, 4 + 3, neither rule: safe, nothing
-- (g) only zero cells beside the primary one: nothing to pick
-- (h) a quarter with its months: April is primary, so the smallest other month (May, 10,
--     before June's 11 and the quarter's 23); (i) the months alone, without their quarter,
--     hide nothing
-- (j) a tie inside a quarter: the earlier period first (May, not June)
-- (k) a cascade: April's y in pass 1 (x is primary), which leaves y's quarter with one
--     suppressed cell: May's y (9) in pass 2; then the quarter holds two (8 + 9): safe
-- (l) a year with its quarters: Q1 is primary, so Q2 (10)
-- (m) sizes that are not counts: the smaller of 2.25 (z) and 7; then 2.5 + 2.25 is under 6:
--     y too, in pass 2
-- (n) sizes equal as float8 but not as numerics: the smaller numeric (b)
INSERT INTO cells (area_code, measure, period_type, period_label, period_start, breakdown, size, zero, prim,
				   quarter_group, year_group)
SELECT 'E1', v.m, v.pt, v.pl, v.ps::date, v.b, v.sz, NOT v.sz > 0, v.p, v.qg, v.yg
FROM (VALUES
	('a', 'month', 'Apr 2019', '2019-04-01', 'x', 3, true, NULL, NULL),
	('a', 'month', 'Apr 2019', '2019-04-01', 'y', 12, false, NULL, NULL),
	('a', 'month', 'Apr 2019', '2019-04-01', 'z', 10, false, NULL, NULL),
	('a', 'month', 'Apr 2019', '2019-04-01', 'w', 0, false, NULL, NULL),
	('b', 'month', 'Apr 2019', '2019-04-01', 'r', 2, true, NULL, NULL),
	('b', 'month', 'Apr 2019', '2019-04-01', 'q', 7, false, NULL, NULL),
	('b', 'month', 'Apr 2019', '2019-04-01', 'p', 7, false, NULL, NULL),
	('c', 'month', 'Apr 2019', '2019-04-01', 'x', 1, true, NULL, NULL),
	('c', 'month', 'Apr 2019', '2019-04-01', 'y', 2, true, NULL, NULL),
	('c', 'month', 'Apr 2019', '2019-04-01', 'z', 20, false, NULL, NULL),
	('c', 'month', 'Apr 2019', '2019-04-01', 'w', 30, false, NULL, NULL),
	('d', 'month', 'Apr 2019', '2019-04-01', 'x', 5, true, NULL, NULL),
	('d', 'month', 'Apr 2019', '2019-04-01', 'y', 5, true, NULL, NULL),
	('d', 'month', 'Apr 2019', '2019-04-01', 'z', 40, false, NULL, NULL),
	('d', 'month', 'Apr 2019', '2019-04-01', 'w', 50, false, NULL, NULL),
	('e', 'month', 'Apr 2019', '2019-04-01', 'k1', 1, true, NULL, NULL),
	('e', 'month', 'Apr 2019', '2019-04-01', 'k2', 1, true, NULL, NULL),
	('e', 'month', 'Apr 2019', '2019-04-01', 'k3', 1, true, NULL, NULL),
	('e', 'month', 'Apr 2019', '2019-04-01', 'k4', 1, true, NULL, NULL),
	('e', 'month', 'Apr 2019', '2019-04-01', 'k5', 1, true, NULL, NULL),
	('e', 'month', 'Apr 2019', '2019-04-01', 'k6', 1, true, NULL, NULL),
	('e', 'month', 'Apr 2019', '2019-04-01', 'z', 100, false, NULL, NULL),
	('f', 'month', 'Apr 2019', '2019-04-01', 'x', 4, true, NULL, NULL),
	('f', 'month', 'Apr 2019', '2019-04-01', 'y', 3, true, NULL, NULL),
	('f', 'month', 'Apr 2019', '2019-04-01', 'z', 9, false, NULL, NULL),
	('g', 'month', 'Apr 2019', '2019-04-01', 'x', 3, true, NULL, NULL),
	('g', 'month', 'Apr 2019', '2019-04-01', 'y', 0, false, NULL, NULL),
	('g', 'month', 'Apr 2019', '2019-04-01', 'z', 0, false, NULL, NULL),
	('h', 'month', 'Apr 2019', '2019-04-01', '', 2, true, '2019/20 Q1', NULL),
	('h', 'month', 'May 2019', '2019-05-01', '', 10, false, '2019/20 Q1', NULL),
	('h', 'month', 'Jun 2019', '2019-06-01', '', 11, false, '2019/20 Q1', NULL),
	('h', 'quarter', '2019/20 Q1', '2019-04-01', '', 23, false, '2019/20 Q1', '2019/20'),
	('i', 'month', 'Apr 2019', '2019-04-01', '', 2, true, '2019/20 Q1', NULL),
	('i', 'month', 'May 2019', '2019-05-01', '', 10, false, '2019/20 Q1', NULL),
	('j', 'month', 'Apr 2019', '2019-04-01', '', 1, true, '2019/20 Q1', NULL),
	('j', 'month', 'Jun 2019', '2019-06-01', '', 10, false, '2019/20 Q1', NULL),
	('j', 'month', 'May 2019', '2019-05-01', '', 10, false, '2019/20 Q1', NULL),
	('j', 'quarter', '2019/20 Q1', '2019-04-01', '', 21, false, '2019/20 Q1', NULL),
	('k', 'month', 'Apr 2019', '2019-04-01', 'x', 3, true, NULL, NULL),
	('k', 'month', 'Apr 2019', '2019-04-01', 'y', 8, false, '2019/20 Q1', NULL),
	('k', 'month', 'May 2019', '2019-05-01', 'y', 9, false, '2019/20 Q1', NULL),
	('k', 'month', 'Jun 2019', '2019-06-01', 'y', 12, false, '2019/20 Q1', NULL),
	('k', 'quarter', '2019/20 Q1', '2019-04-01', 'y', 29, false, '2019/20 Q1', NULL),
	('l', 'quarter', '2019/20 Q1', '2019-04-01', '', 3, true, NULL, '2019/20'),
	('l', 'quarter', '2019/20 Q2', '2019-07-01', '', 10, false, NULL, '2019/20'),
	('l', 'quarter', '2019/20 Q3', '2019-10-01', '', 11, false, NULL, '2019/20'),
	('l', 'quarter', '2019/20 Q4', '2020-01-01', '', 12, false, NULL, '2019/20'),
	('l', 'year', '2019/20', '2019-04-01', '', 36, false, NULL, '2019/20'),
	('m', 'month', 'Apr 2019', '2019-04-01', 'x', 2.5, true, NULL, NULL),
	('m', 'month', 'Apr 2019', '2019-04-01', 'y', 7, false, NULL, NULL),
	('m', 'month', 'Apr 2019', '2019-04-01', 'z', 2.25, false, NULL, NULL),
	('n', 'month', 'Apr 2019', '2019-04-01', 'x', 1, true, NULL, NULL),
	('n', 'month', 'Apr 2019', '2019-04-01', 'a', 10.0000000000000000002, false, NULL, NULL),
	('n', 'month', 'Apr 2019', '2019-04-01', 'b', 10.0000000000000000001, false, NULL, NULL)
) v(m, pt, pl, ps, b, sz, p, qg, yg);
-- (o) the same cells in another council: a group never reaches across councils
INSERT INTO cells SELECT 'E2', period_type, period_label, period_start, measure, breakdown, size, zero,
	false, quarter_group, year_group FROM cells WHERE area_code = 'E1' AND measure = 'a';

SELECT s.measure, s.period_label, s.breakdown, s.pass
FROM skpi._secondary_suppression('cells', 6) s
ORDER BY s.pass, s.measure, s.period_label, s.breakdown;

-- min_count 3: (c) 1 + 2 is no longer under it, (d) 5 + 5 is no longer all at min_count - 1
SELECT s.measure, s.period_label, s.breakdown, s.pass
FROM skpi._secondary_suppression('cells', 3) s
WHERE s.measure IN ('c', 'd', 'e')
ORDER BY s.pass, s.measure, s.period_label, s.breakdown;

-- No cells, no primary cells, NULL arguments: nothing.
CREATE TABLE supp_test.no_cells (LIKE supp_test.cells);
CREATE TABLE supp_test.no_primary_cells AS SELECT * FROM cells WHERE NOT prim;
SELECT count(*) AS from_no_cells FROM skpi._secondary_suppression('no_cells', 6);
SELECT count(*) AS from_no_primary FROM skpi._secondary_suppression('no_primary_cells', 6);
SELECT count(*) AS from_nulls
FROM skpi._secondary_suppression(NULL, 6) a, skpi._secondary_suppression('cells', NULL) b;

--
-- Random cells against the passes in SQL (many ties: sizes 0-9, zero cells, councils,
-- months, quarters and years), at min_count 6 and 3.
--
SELECT setseed(0.42);
CREATE TABLE supp_test.random_cells AS
SELECT c.*, NOT c.size > 0 AS zero, c.size BETWEEN 1 AND 5 AS prim,
	   CASE c.period_type WHEN 'month' THEN skpi.fiscal_period(c.period_start)
						  WHEN 'quarter' THEN c.period_label END AS quarter_group,
	   CASE c.period_type WHEN 'quarter' THEN skpi.fiscal_year(c.period_start)
						  WHEN 'year' THEN c.period_label END AS year_group
FROM (SELECT a.area_code, p.period_type, p.period_label, p.period_start, m.measure, b.breakdown,
			 floor(random() * 14)::numeric - 2 AS size
	  FROM (VALUES ('E1'), ('E2'), ('E3'), ('E4'), ('E5'), ('E6')) a(area_code)
	  CROSS JOIN (SELECT 'month', to_char(d, 'Mon YYYY'), d::date
				  FROM generate_series('2019-04-01'::date, '2020-03-01', '1 month') d
				  UNION ALL
				  SELECT 'quarter', skpi.fiscal_period(d::date), d::date
				  FROM generate_series('2019-04-01'::date, '2020-01-01', '3 months') d
				  UNION ALL
				  SELECT 'year', '2019/20', '2019-04-01') p(period_type, period_label, period_start)
	  CROSS JOIN (VALUES ('m1'), ('m2'), ('m3'), ('m4')) m(measure)
	  CROSS JOIN (VALUES (''), ('b1'), ('b2'), ('b3'), ('B1')) b(breakdown)) c;
SELECT count(*) AS cells, count(*) FILTER (WHERE prim) AS primary_cells FROM random_cells;

-- The passes as refresh_reports ran them in SQL (test/oracle/secondary_suppression.sql, which
-- the benchmark also runs).
\getenv abs_srcdir PG_ABS_SRCDIR
\set oracle :abs_srcdir '/test/oracle/secondary_suppression.sql'
\i :oracle

-- Each side runs once per min_count; the comparison reads what they returned.
CREATE TEMP TABLE sql_added AS
	SELECT v.mc, s.* FROM (VALUES (6), (3)) v(mc), LATERAL pg_temp.secondary_suppression_in_sql('random_cells', v.mc) s;
CREATE TEMP TABLE c_added AS
	SELECT v.mc, s.* FROM (VALUES (6), (3)) v(mc), LATERAL skpi._secondary_suppression('random_cells', v.mc) s;
SELECT v.mc, (SELECT count(*) FROM sql_added s WHERE s.mc = v.mc) AS added_in_sql,
	   (SELECT count(*) FROM c_added c WHERE c.mc = v.mc) AS added_in_c,
	   (SELECT max(c.pass) FROM c_added c WHERE c.mc = v.mc) AS passes,
	   (SELECT count(*) FROM (SELECT * FROM sql_added s WHERE s.mc = v.mc
							  EXCEPT ALL SELECT * FROM c_added c WHERE c.mc = v.mc) d) AS only_in_sql,
	   (SELECT count(*) FROM (SELECT * FROM c_added c WHERE c.mc = v.mc
							  EXCEPT ALL SELECT * FROM sql_added s WHERE s.mc = v.mc) d) AS only_in_c
FROM (VALUES (6), (3)) v(mc);

--
-- Bad input.
--
SELECT error_of($$SELECT * FROM skpi._secondary_suppression('cells', 0)$$);
CREATE TABLE supp_test.int_cells (LIKE supp_test.cells);
ALTER TABLE supp_test.int_cells ALTER COLUMN size TYPE integer;
INSERT INTO int_cells VALUES ('E1', 'month', 'Apr 2019', '2019-04-01', 'a', '', 3, false, true);
SELECT error_of($$SELECT * FROM skpi._secondary_suppression('int_cells', 6)$$);
CREATE TABLE supp_test.short_cells AS SELECT area_code, period_type FROM cells;
SELECT error_of($$SELECT * FROM skpi._secondary_suppression('short_cells', 6)$$);
CREATE TABLE supp_test.null_cells AS SELECT * FROM cells WHERE measure = 'a' AND area_code = 'E1';
UPDATE null_cells SET breakdown = NULL WHERE breakdown = 'y';
SELECT error_of($$SELECT * FROM skpi._secondary_suppression('null_cells', 6)$$);
UPDATE null_cells SET breakdown = 'y', size = NULL WHERE breakdown IS NULL;
SELECT error_of($$SELECT * FROM skpi._secondary_suppression('null_cells', 6)$$);
CREATE TABLE supp_test.twice_cells AS SELECT * FROM cells WHERE measure = 'a' AND area_code = 'E1';
INSERT INTO twice_cells SELECT * FROM twice_cells WHERE breakdown = 'z';
SELECT error_of($$SELECT * FROM skpi._secondary_suppression('twice_cells', 6)$$);
SELECT error_of($$SELECT * FROM skpi._secondary_suppression(0, 6)$$);
CREATE ROLE regress_supp_nobody;
GRANT USAGE ON SCHEMA supp_test TO regress_supp_nobody;
SET ROLE regress_supp_nobody;
SELECT error_of($$SELECT * FROM skpi._secondary_suppression('supp_test.cells', 6)$$);
RESET ROLE;
REVOKE USAGE ON SCHEMA supp_test FROM regress_supp_nobody;
DROP ROLE regress_supp_nobody;

RESET search_path;
DROP SCHEMA supp_test CASCADE;
