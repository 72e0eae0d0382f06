-- Rank tables: rank_table(item, unit) and ranks(ranking, top).
CREATE SCHEMA ranking_test;
SET search_path = ranking_test, public;

-- Twenty assessments U01..U20 with these factors (units having each, by hand):
--   3B U01-U08 (8)   4B U01-U07 (7)   16A U09-U14 (6)  17A U10-U15 (6)  2B U01-U05 (5)
--   1B U16-U19 (4)   3A U15-U17 (3)   18C U18-U20 (3)  3C U01-U03 (3)   4A U19-U20 (2)
--   11A U11-U12 (2)  24A U13-U14 (2)  1C U20 (1)       6B U08 (1)
-- plus duplicates (U01 3B, U09 16A again), code 21 on U05 (which has other factors) and on
-- U21, U22 (only code 21), and rows with a NULL unit or code.
CREATE TABLE factor_rows (unit text, code text);
INSERT INTO factor_rows
SELECT 'U' || lpad(n::text, 2, '0'), c
FROM (VALUES ('3B', 1, 8), ('4B', 1, 7), ('16A', 9, 14), ('17A', 10, 15), ('2B', 1, 5),
             ('1B', 16, 19), ('3A', 15, 17), ('18C', 18, 20), ('3C', 1, 3), ('4A', 19, 20),
             ('11A', 11, 12), ('24A', 13, 14), ('1C', 20, 20), ('6B', 8, 8)) v(c, lo, hi),
     generate_series(lo, hi) n;
INSERT INTO factor_rows VALUES ('U01', '3B'), ('U09', '16A'), ('U05', '21'), ('U21', '21'),
	('U22', '21'), ('U22', '21'), ('U23', NULL), (NULL, '3B');
SELECT count(*) AS rows, count(DISTINCT unit) FILTER (WHERE code <> '21') AS assessments_with_factors
FROM factor_rows;

-- The seed's rank table: top 10 by % of assessments with factors (code 21 excluded); the tie at
-- rank 10 brings in all three items with 2 assessments (12 rows), ties listed by item.
SELECT r.rank, f.relates_to, f.factor, r.item AS code, r.units, round(r.pct::numeric, 1) AS pct
FROM skpi.ranks((SELECT skpi.rank_table(code, unit) FROM factor_rows WHERE code <> '21'), 10)
     WITH ORDINALITY AS r(rank, item, units, pct, ord)
JOIN skpi.assessment_factors f ON f.code = r.item
ORDER BY r.ord;

-- Items labelled as the scorecard breakdown does ('relates-to: factor (code)').
SELECT r.*
FROM (SELECT skpi.rank_table(f.relates_to || ': ' || f.factor || ' (' || f.code || ')', x.unit) AS t
      FROM factor_rows x JOIN skpi.assessment_factors f ON f.code = x.code
      WHERE x.code <> '21') s,
     skpi.ranks(s.t) r;

-- The top-edge rule: rank <= top, ties at the edge all kept.
WITH t AS (SELECT skpi.rank_table(code, unit) AS t FROM factor_rows WHERE code <> '21')
SELECT top, (SELECT count(*) FROM skpi.ranks(t.t, top)) AS rows_kept,
       (SELECT max(rank) FROM skpi.ranks(t.t, top)) AS last_rank
FROM t, (VALUES (0), (1), (2), (3), (4), (9), (10), (11), (12), (13), (14), (NULL)) v(top)
ORDER BY top NULLS LAST;

-- The same table by plain SQL: count(DISTINCT unit) and rank().
WITH c AS (
	SELECT * FROM skpi.ranks((SELECT skpi.rank_table(code, unit) FROM factor_rows WHERE code <> '21'))
), s AS (
	SELECT (rank() OVER (ORDER BY count(DISTINCT unit) DESC))::int AS rank, code AS item,
	       count(DISTINCT unit) AS units,
	       count(DISTINCT unit) * 100.0::float8 /
	         (SELECT count(DISTINCT unit) FROM factor_rows WHERE code <> '21') AS pct
	FROM factor_rows WHERE code <> '21' AND unit IS NOT NULL GROUP BY code
)
SELECT (SELECT count(*) FROM c) AS c_rows, (SELECT count(*) FROM s) AS sql_rows,
       (SELECT count(*) FROM ((TABLE c EXCEPT ALL TABLE s) UNION ALL (TABLE s EXCEPT ALL TABLE c)) d) AS differences;

-- Code 21 is ours to exclude: without the filter, U21 and U22 count in the denominator (22).
SELECT r.item, r.units, round(r.pct::numeric, 2) AS pct
FROM skpi.ranks((SELECT skpi.rank_table(code, unit) FROM factor_rows)) r
WHERE r.item IN ('3B', '21');
-- A NULL item drops the row, so CASE does the same as WHERE.
SELECT (SELECT skpi.rank_table(CASE WHEN code <> '21' THEN code END, unit) FROM factor_rows)::text =
       (SELECT skpi.rank_table(code, unit) FROM factor_rows WHERE code <> '21')::text AS case_equals_where;

-- From SSD lists (one row per assessment, lower-case, duplicates in the list): the same state.
CREATE TABLE factor_lists AS
SELECT unit, '[' || string_agg('"' || lower(code) || '"', ', ' ORDER BY code) || ']' AS factors_json
FROM factor_rows WHERE unit IS NOT NULL AND code IS NOT NULL GROUP BY unit;
SELECT factors_json FROM factor_lists WHERE unit IN ('U01', 'U22') ORDER BY unit;
SELECT (SELECT skpi.rank_table(c, unit) FROM factor_lists, unnest(skpi.factor_codes(factors_json)) c WHERE c <> '21')::text =
       (SELECT skpi.rank_table(code, unit) FROM factor_rows WHERE code <> '21')::text AS lists_equal_rows;

-- Duplicate (unit, item) rows count once; NULL items and units are skipped; no rows: empty.
SELECT skpi.rank_table(i, u) AS dedup FROM (VALUES ('x', 'a'), ('x', 'a'), ('x', 'b'), ('y', 'a'), ('y', 'a'),
	(NULL, 'c'), ('z', NULL)) v(i, u);
SELECT * FROM skpi.ranks((SELECT skpi.rank_table(i, u) FROM (VALUES ('x', 'a'), ('x', 'a'), ('x', 'b'), ('y', 'a'),
	(NULL, 'c'), ('z', NULL)) v(i, u)));
SELECT skpi.rank_table(code, unit) AS no_rows FROM factor_rows WHERE false;
SELECT count(*) AS ranks_of_empty FROM skpi.ranks('{}');
SELECT count(*) AS ranks_of_null FROM skpi.ranks(NULL);
SELECT * FROM skpi.ranks('{"a":["1"]}', -1);

-- Per group (e.g. per council), and as a growing window.
SELECT DISTINCT w.first_ten, (SELECT string_agg(item || '=' || units, ' ') FROM skpi.ranks(w.t, 2)) AS top2
FROM (SELECT substring(unit, 2)::int <= 10 AS first_ten,
             skpi.rank_table(code, unit) OVER (PARTITION BY substring(unit, 2)::int <= 10) AS t
      FROM factor_rows WHERE code <> '21' AND unit IS NOT NULL) w
ORDER BY 1;
SELECT n, skpi.rank_table(i, u) OVER (ORDER BY n) AS running
FROM (VALUES (1, 'x', 'a'), (2, 'y', 'a'), (3, 'x', 'b'), (4, 'x', 'a')) v(n, i, u);

-- The text form: items and units sorted bytewise, JSON string escapes; input normalises.
SELECT '{"b":["2","1","2"],"a":["z"],"b":["3"]}'::skpi.ranking AS normalised;
SELECT r::text, r::text::skpi.ranking::text = r::text AS round_trip
FROM (VALUES ('{}'::skpi.ranking),
             (E'{"tab\\there":["quote\\"","back\\\\slash","nl\\n","\\u0001","caf\\u00e9","\\ud83d\\ude00"],"":[""]}')) v(r);
SELECT (SELECT skpi.rank_table(code, unit) FROM factor_rows)::text::skpi.ranking::text =
       (SELECT skpi.rank_table(code, unit) FROM factor_rows)::text AS big_round_trip;
SELECT '{"a":[]}'::skpi.ranking;
SELECT '{"a":["x"]'::skpi.ranking;
SELECT '{"a":"x"}'::skpi.ranking;
SELECT '["a"]'::skpi.ranking;
SELECT '{"a":["x"]} x'::skpi.ranking;
SELECT '{"a":["\ud800"]}'::skpi.ranking;
SELECT '{"a":["\u0000"]}'::skpi.ranking;
SELECT '{"a":["x\q"]}'::skpi.ranking;
SELECT E'{"a":["x\ty"]}'::skpi.ranking;
DO $$
BEGIN
	PERFORM '{"a":[}'::skpi.ranking;
EXCEPTION WHEN invalid_text_representation THEN RAISE NOTICE 'bad ranking text: SQLSTATE %', SQLSTATE;
END $$;
-- _rank_table_merge: the union of states. Per-unit-group states merged (overlapping groups:
-- units U01-U12 and U08-U23, so the merge must not count a unit twice) equal the rank table of
-- all rows; NULL states are skipped; no rows give the empty state; the same with a parallel plan.
CREATE TABLE rank_states AS
SELECT g, skpi.rank_table(code, unit) AS r
FROM (SELECT 1 AS g, * FROM factor_rows WHERE unit <= 'U12'
      UNION ALL SELECT 2, * FROM factor_rows WHERE unit >= 'U08') x
GROUP BY g
UNION ALL SELECT 3, NULL;
SELECT skpi._rank_table_merge(r)::text = (SELECT skpi.rank_table(code, unit) FROM factor_rows)::text AS merge_is_union,
       count(*) AS states
FROM rank_states;
SELECT skpi._rank_table_merge(r) AS no_rows FROM rank_states WHERE false;
CREATE TABLE many_states AS
SELECT ('{"' || (i % 7) || '":["' || i || '","' || (i + 1) || '"]}')::skpi.ranking AS r
FROM generate_series(1, 3000) i;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT skpi._rank_table_merge(r) FROM many_states;
SELECT (SELECT skpi._rank_table_merge(r) FROM many_states)::text =
       (SELECT skpi.rank_table((i % 7)::text, u::text)
        FROM generate_series(1, 3000) i, LATERAL (VALUES (i), (i + 1)) v(u))::text AS parallel_merge_is_union;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
-- The aggregate's support functions only work inside the aggregate.
SELECT skpi._rank_table_add('{}', 'a', 'b');

RESET search_path;
DROP SCHEMA ranking_test CASCADE;
