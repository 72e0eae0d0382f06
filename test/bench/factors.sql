-- Assessment factors: rank tables, the toxic trio and factor-list parsing against plain SQL.
-- Scale 1: 5 million assessments with 1-7 factors each (20 million (assessment, factor) rows).

SELECT (5000000 * :scale)::bigint AS n_assess \gset

-- Codes weighted roughly as in council data (parent domestic abuse and mental health most common).
DROP TABLE IF EXISTS bench.factor_pool, bench.factor_rows, bench.factor_lists;
CREATE TABLE bench.factor_pool AS
SELECT (row_number() OVER (ORDER BY f.code, n) - 1)::int AS i, f.code
FROM skpi.assessment_factors f
CROSS JOIN LATERAL generate_series(1, CASE f.code
	WHEN '3B' THEN 12 WHEN '4B' THEN 10 WHEN '17A' THEN 9 WHEN '16A' THEN 7 WHEN '2B' THEN 6
	WHEN '1B' THEN 5 WHEN '3A' THEN 5 WHEN '20' THEN 5 WHEN '18C' THEN 4 WHEN '3C' THEN 4
	WHEN '4A' THEN 4 WHEN '21' THEN 3 ELSE 1 END) n;
SELECT count(*) AS pool FROM bench.factor_pool \gset

CREATE UNLOGGED TABLE bench.factor_rows AS
SELECT 'ASM' || lpad(a::text, 9, '0') AS assessment, p.code
FROM generate_series(1::bigint, :n_assess) a
CROSS JOIN LATERAL generate_series(1, 1 + ((a * 7919) % 7)::int) k
JOIN bench.factor_pool p ON p.i = ((hashint8(a * 16 + k)::bigint & 2147483647) % :pool)::int;
CREATE UNLOGGED TABLE bench.factor_lists AS
SELECT assessment, '[' || string_agg('"' || code || '"', ', ') || ']' AS factors_json
FROM bench.factor_rows GROUP BY assessment;
VACUUM ANALYZE bench.factor_rows, bench.factor_lists;
SELECT count(*) AS n_rows FROM bench.factor_rows \gset

-- Rank table of factors by the assessments that have them.
SELECT bench.compare('factors: rank_table + ranks vs count(DISTINCT) + rank()', :n_rows,
	$q$SELECT * FROM skpi.ranks((SELECT skpi.rank_table(code, assessment) FROM bench.factor_rows))$q$,
	$q$SELECT (rank() OVER (ORDER BY count(DISTINCT assessment) DESC))::int, code, count(DISTINCT assessment),
	          count(DISTINCT assessment) * 100.0::float8 / (SELECT count(DISTINCT assessment) FROM bench.factor_rows)
	   FROM bench.factor_rows GROUP BY code$q$,
	$q$SELECT count(*) FROM bench.factor_rows$q$,
	0.5, NULL, 'rank_table + ranks vs count(DISTINCT) + rank(); floor: scanning the rows');

-- Toxic trio per assessment (any / all / all for the parent), from rows.
SELECT bench.compare('factors: toxic_trio per assessment vs bool_or', :n_rows,
	$q$SELECT count(*) FILTER (WHERE skpi.trio_any(t)), count(*) FILTER (WHERE skpi.trio_all(t)),
	          count(*) FILTER (WHERE skpi.trio_all(t, 'parent/carer')), count(*)
	   FROM (SELECT assessment, skpi.toxic_trio(code) AS t FROM bench.factor_rows GROUP BY assessment) x
	  $q$,
	$q$SELECT count(*) FILTER (WHERE da OR mh OR sm), count(*) FILTER (WHERE da AND mh AND sm),
	          count(*) FILTER (WHERE dap AND mhp AND smp), count(*)
	   FROM (SELECT r.assessment,
	                bool_or(t.element = 'domestic_abuse') AS da, bool_or(t.element = 'mental_health') AS mh,
	                bool_or(t.element = 'substance_misuse') AS sm,
	                bool_or(t.element = 'domestic_abuse' AND f.relates_to = 'parent/carer') AS dap,
	                bool_or(t.element = 'mental_health' AND f.relates_to = 'parent/carer') AS mhp,
	                bool_or(t.element = 'substance_misuse' AND f.relates_to = 'parent/carer') AS smp
	         FROM bench.factor_rows r
	         LEFT JOIN skpi.toxic_trio_codes t ON t.code = r.code
	         LEFT JOIN skpi.assessment_factors f ON f.code = t.code
	         GROUP BY r.assessment) x
	  $q$,
	$q$SELECT count(*) FROM (SELECT assessment FROM bench.factor_rows GROUP BY assessment) x$q$,
	0.5, NULL, 'toxic_trio per assessment vs bool_or over the grouping tables; floor: the GROUP BY alone');

-- Toxic trio per assessment from the SSD lists (one row each, no grouping needed).
SELECT bench.compare('factors: trio_of(factor_codes(list)) vs json + bool_or', :n_rows,
	$q$SELECT count(*) FILTER (WHERE skpi.trio_any(t)), count(*) FILTER (WHERE skpi.trio_all(t)),
	          count(*) FILTER (WHERE skpi.trio_all(t, 'parent/carer')), count(*)
	   FROM (SELECT skpi.trio_of(skpi.factor_codes(factors_json)) AS t FROM bench.factor_lists) x
	  $q$,
	$q$SELECT count(*) FILTER (WHERE da OR mh OR sm), count(*) FILTER (WHERE da AND mh AND sm),
	          count(*) FILTER (WHERE dap AND mhp AND smp), count(*)
	   FROM bench.factor_lists l,
	        LATERAL (SELECT bool_or(t.element = 'domestic_abuse') AS da, bool_or(t.element = 'mental_health') AS mh,
	                        bool_or(t.element = 'substance_misuse') AS sm,
	                        bool_or(t.element = 'domestic_abuse' AND f.relates_to = 'parent/carer') AS dap,
	                        bool_or(t.element = 'mental_health' AND f.relates_to = 'parent/carer') AS mhp,
	                        bool_or(t.element = 'substance_misuse' AND f.relates_to = 'parent/carer') AS smp
	                 FROM json_array_elements_text(l.factors_json::json) e
	                 LEFT JOIN skpi.toxic_trio_codes t ON t.code = upper(btrim(e))
	                 LEFT JOIN skpi.assessment_factors f ON f.code = t.code) x
	  $q$,
	$q$SELECT count(*) FROM bench.factor_lists$q$,
	0.5, NULL, 'trio_of(factor_codes(list)) vs json_array_elements_text + bool_or; floor: scanning the lists');

-- Parsing the SSD factor lists, with every code checked against the code table.
SELECT bench.compare('factors: factor_codes vs json_array_elements_text', :n_rows,
	$q$SELECT sum(cardinality(skpi.factor_codes(factors_json)))::bigint FROM bench.factor_lists$q$,
	$q$SELECT count(*) FROM bench.factor_lists l
	   CROSS JOIN LATERAL json_array_elements_text(l.factors_json::json) e
	   JOIN skpi.assessment_factors f ON f.code = upper(btrim(e))$q$,
	$q$SELECT sum(length(factors_json)) FROM bench.factor_lists$q$,
	0.5, NULL, 'factor_codes vs json_array_elements_text joined to the code table; floor: reading the lists');

DROP TABLE bench.factor_pool, bench.factor_rows, bench.factor_lists;
