-- Assessment factors, SSD factor lists and the toxic trio.
BEGIN;
SELECT plan(33);

-- Objects and their promises.
SELECT has_table('skpi', 'assessment_factors', 'table assessment_factors');
SELECT has_table('skpi', 'toxic_trio_codes', 'table toxic_trio_codes');
SELECT has_type('skpi', 'trio', 'type trio');
SELECT columns_are('skpi', 'assessment_factors',
                   ARRAY['code', 'factor', 'relates_to', 'label', 'first_year', 'last_year'],
                   'assessment_factors has the contract''s columns');
SELECT columns_are('skpi', 'toxic_trio_codes', ARRAY['code', 'element'], 'toxic_trio_codes has the contract''s columns');
SELECT is((SELECT count(*) FROM pg_catalog.pg_extension e, unnest(e.extconfig) c
           WHERE e.extname = 'safeguarding_kpi'
             AND c IN ('skpi.assessment_factors'::regclass, 'skpi.toxic_trio_codes'::regclass)),
          2::bigint, 'both tables are dumped by pg_dump');
SELECT volatility_is('skpi', 'factor_codes', ARRAY['text'], 'stable', 'factor_codes is STABLE (it reads the code table)');
SELECT volatility_is('skpi', 'trio_all', ARRAY['skpi.trio', 'text'], 'immutable', 'trio_all(t, relates_to) is IMMUTABLE');
SELECT is_strict('skpi', 'factor_codes', ARRAY['text'], 'factor_codes is STRICT');
SELECT is((SELECT count(*) FROM pg_proc p JOIN pg_aggregate a ON a.aggfnoid = p.oid
           WHERE p.pronamespace = 'skpi'::regnamespace AND p.proname = 'toxic_trio'
             AND a.aggtranstype = 'skpi.trio'::regtype AND a.aggcombinefn <> 0 AND p.proparallel = 's'),
          2::bigint, 'both toxic_trio aggregates keep a skpi.trio state, have a combine function and are PARALLEL SAFE');

-- Every code of the CIN census list, legacy ones included.
SELECT set_eq('SELECT code FROM skpi.assessment_factors',
              $$VALUES ('1A'),('1B'),('1C'),('2A'),('2B'),('2C'),('3A'),('3B'),('3C'),('4A'),('4B'),('4C'),
                       ('5A'),('5B'),('5C'),('6A'),('6B'),('6C'),('7A'),('8A'),('8B'),('8C'),('8D'),('8E'),('8F'),
                       ('9A'),('10A'),('11A'),('12A'),('13A'),('14A'),('15A'),('16A'),('17A'),('18A'),('18B'),
                       ('18C'),('19A'),('19B'),('19C'),('20'),('21'),('22A'),('23A'),('24A')$$,
              'assessment_factors holds every CIN factor code');
SELECT results_eq($$SELECT code, last_year FROM skpi.assessment_factors WHERE code IN ('8A', '18A', '19A', '18B', '24A') ORDER BY code$$,
                  $$VALUES ('18A', '2019/20'), ('18B', NULL), ('19A', '2019/20'), ('24A', NULL), ('8A', '2017/18')$$,
                  'legacy codes carry the last year they were used');
SELECT results_eq($$SELECT code, first_year FROM skpi.assessment_factors WHERE code IN ('18B', '18C', '19B', '19C', '24A') ORDER BY code$$,
                  $$VALUES ('18B', '2020/21'), ('18C', '2020/21'), ('19B', '2020/21'), ('19C', '2020/21'), ('24A', '2021/22')$$,
                  '18B/18C/19B/19C from 2020/21, 24A from 2021/22');
SELECT results_eq($$SELECT relates_to FROM skpi.assessment_factors WHERE code IN ('3A', '3B', '3C') ORDER BY code$$,
                  $$VALUES ('child'), ('parent/carer'), ('other')$$, 'the letter of 3A/3B/3C says whose abuse');

-- factor_code / factor_codes.
SELECT is(skpi.factor_code(E' 16a\t'), '16A', 'factor_code trims and upper-cases');
SELECT throws_ok($$SELECT skpi.factor_code('3D')$$, '22023', 'unknown assessment factor code "3D"',
                 'factor_code rejects an unknown code naming it');
SELECT is(skpi.factor_codes(' [ "1b", "3A" ,"16A"] '), ARRAY['1B', '3A', '16A'], 'factor_codes parses a spaced, lower-case list');
SELECT is(skpi.factor_codes('[]'), '{}'::text[], 'factor_codes of [] is an empty array');
SELECT throws_ok($$SELECT skpi.factor_codes('["1B",')$$, '22P02', NULL, 'truncated list: 22P02');
SELECT throws_ok($$SELECT skpi.factor_codes('1B,3A')$$, '22P02', NULL, 'bare codes: 22P02');
SELECT throws_ok($$SELECT skpi.factor_codes('{}')$$, '22P02', NULL, 'an object: 22P02');
SELECT throws_ok($$SELECT skpi.factor_codes('["1B","ZZ9"]')$$, '22023',
                 'unknown assessment factor code "ZZ9" in factor list', 'unknown code in a list: 22023 naming it');

-- factor_codes agrees with json_array_elements_text on 2,000 random lists.
DO $$ BEGIN PERFORM setseed(0.42); END $$;
CREATE TEMP TABLE lists AS
SELECT a AS assessment,
       '[' || coalesce((SELECT string_agg('"' || CASE WHEN random() < 0.3 THEN lower(c.code) ELSE c.code END || '"', ', ')
                        FROM (SELECT code FROM skpi.assessment_factors ORDER BY random() LIMIT (a % 6)) c), '') || ']' AS factors_json
FROM generate_series(1, 2000) a;
SELECT is((SELECT count(*) FROM lists l
           WHERE skpi.factor_codes(l.factors_json) IS DISTINCT FROM
                 ARRAY(SELECT upper(e) FROM json_array_elements_text(l.factors_json::json) WITH ORDINALITY AS x(e, n) ORDER BY n)),
          0::bigint, 'factor_codes equals upper(json_array_elements_text) on random lists');

-- toxic_trio: rows, arrays and trio_of agree, and equal a plain-SQL formulation over the tables.
CREATE TEMP TABLE codes AS
SELECT l.assessment, c.code FROM lists l, unnest(skpi.factor_codes(l.factors_json)) c(code);
CREATE TEMP VIEW by_sql AS
SELECT l.assessment,
       ('{' || coalesce((SELECT string_agg(DISTINCT t.element || ':' || f.relates_to, ',')
                         FROM codes c JOIN skpi.toxic_trio_codes t ON t.code = c.code
                              JOIN skpi.assessment_factors f ON f.code = c.code
                         WHERE c.assessment = l.assessment), '') || '}')::skpi.trio AS t
FROM lists l;
SELECT is((SELECT count(*) FROM by_sql s
           LEFT JOIN (SELECT assessment, skpi.toxic_trio(code) AS t FROM codes GROUP BY assessment) r USING (assessment)
           WHERE coalesce(r.t, '{}') OPERATOR(skpi.<>) s.t),
          0::bigint, 'toxic_trio over rows equals the SQL formulation for every assessment');
SELECT is((SELECT count(*) FROM lists l
           JOIN (SELECT assessment, skpi.toxic_trio(skpi.factor_codes(factors_json)) AS t FROM lists GROUP BY assessment) a USING (assessment)
           JOIN by_sql s USING (assessment)
           WHERE a.t OPERATOR(skpi.<>) s.t OR skpi.trio_of(skpi.factor_codes(l.factors_json)) OPERATOR(skpi.<>) s.t),
          0::bigint, 'toxic_trio over arrays and trio_of equal it too');
SELECT results_eq(
	$$SELECT count(*) FILTER (WHERE skpi.trio_any(t)), count(*) FILTER (WHERE skpi.trio_all(t)),
	         count(*) FILTER (WHERE skpi.trio_all(t, 'parent/carer')), sum(skpi.trio_count(t))
	  FROM (SELECT assessment, skpi.toxic_trio(code) AS t FROM codes GROUP BY assessment) x$$,
	$$SELECT count(*) FILTER (WHERE da OR mh OR sm), count(*) FILTER (WHERE da AND mh AND sm),
	         count(*) FILTER (WHERE dap AND mhp AND smp), sum(da::int + mh::int + sm::int)
	  FROM (SELECT c.assessment,
	               bool_or(t.element = 'domestic_abuse') AS da, bool_or(t.element = 'mental_health') AS mh,
	               bool_or(t.element = 'substance_misuse') AS sm,
	               bool_or(t.element = 'domestic_abuse' AND f.relates_to = 'parent/carer') AS dap,
	               bool_or(t.element = 'mental_health' AND f.relates_to = 'parent/carer') AS mhp,
	               bool_or(t.element = 'substance_misuse' AND f.relates_to = 'parent/carer') AS smp
	        FROM codes c JOIN skpi.assessment_factors f ON f.code = c.code
	             LEFT JOIN skpi.toxic_trio_codes t ON t.code = c.code
	        GROUP BY c.assessment) x$$,
	'trio_any / trio_all / trio_all(parent) / trio_count equal the bool_or formulation');

-- The same in a forced parallel plan (partial states combined), with and without the leader.
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE TABLE public.factors_tap_many_codes AS SELECT assessment % 7 AS grp, assessment, code FROM codes, generate_series(1, 4);
ANALYZE public.factors_tap_many_codes;
CREATE TEMP TABLE group_trios AS
SELECT g.grp, ('{' || coalesce(string_agg(DISTINCT t.element || ':' || f.relates_to, ','), '') || '}')::skpi.trio::text AS t
FROM generate_series(0, 6) g(grp)
LEFT JOIN codes c ON c.assessment % 7 = g.grp
LEFT JOIN skpi.toxic_trio_codes t ON t.code = c.code
LEFT JOIN skpi.assessment_factors f ON f.code = t.code
GROUP BY g.grp;
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
SELECT matches(pg_temp.plan_of('SELECT grp, skpi.toxic_trio(code) FROM public.factors_tap_many_codes GROUP BY grp'),
               'Partial.*Aggregate', 'the toxic_trio query is planned with partial aggregation');
SELECT results_eq($$SELECT grp, skpi.toxic_trio(code)::text FROM public.factors_tap_many_codes GROUP BY grp ORDER BY grp$$,
                  $$SELECT grp, t FROM group_trios ORDER BY grp$$,
                  'parallel toxic_trio per group equals the serial answer over the SQL trios');
SET LOCAL parallel_leader_participation = off;
SELECT results_eq($$SELECT skpi.toxic_trio(code)::text FROM public.factors_tap_many_codes$$,
                  $$SELECT ('{' || string_agg(DISTINCT t.element || ':' || f.relates_to, ',') || '}')::skpi.trio::text
                    FROM codes c JOIN skpi.toxic_trio_codes t ON t.code = c.code JOIN skpi.assessment_factors f ON f.code = c.code$$,
                  'parallel toxic_trio without the leader equals it too');
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;

-- Editing the grouping changes the next statement's result in this session.
SELECT is((SELECT skpi.toxic_trio(c) FROM unnest(ARRAY['3A', '4B', '1C']) c)::text,
          '{domestic_abuse:child,mental_health:parent/carer,substance_misuse:other}', 'default grouping');
DELETE FROM skpi.toxic_trio_codes WHERE code IN ('3A', '1C');
SELECT is((SELECT skpi.toxic_trio(c) FROM unnest(ARRAY['3A', '4B', '1C']) c)::text,
          '{mental_health:parent/carer}', 'after deleting 3A and 1C from the grouping');
INSERT INTO skpi.toxic_trio_codes VALUES ('5A', 'mental_health');
SELECT is((SELECT skpi.toxic_trio(c) FROM unnest(ARRAY['3A', '4B', '5A']) c)::text,
          '{mental_health:child,mental_health:parent/carer}', 'after adding 5A as mental health');
UPDATE skpi.assessment_factors SET relates_to = 'other' WHERE code = '5A';
SELECT is(skpi.trio_of(ARRAY['5A'])::text, '{mental_health:other}', 'relates_to comes from assessment_factors');

SELECT * FROM finish();
ROLLBACK;
