-- Assessment factor codes, SSD factor lists and the toxic trio.
CREATE SCHEMA factors_test;
-- skpi is on the path for the trio's = and <> operators (else write OPERATOR(skpi.=)).
SET search_path = factors_test, skpi, public;

-- The code table: every code of the CIN census list, legacy codes with their last year.
SELECT code, factor, relates_to, first_year, last_year
FROM skpi.assessment_factors
ORDER BY substring(code FROM '^[0-9]+')::int, code;
SELECT relates_to, count(*) FROM skpi.assessment_factors GROUP BY 1 ORDER BY 1;
SELECT code, label FROM skpi.assessment_factors WHERE last_year IS NOT NULL ORDER BY code;

-- The default trio grouping.
SELECT element, string_agg(code, ' ' ORDER BY code) FROM skpi.toxic_trio_codes GROUP BY 1 ORDER BY 1;

-- factor_code: trimmed, upper-case; unknown codes are errors naming the value.
SELECT skpi.factor_code('3b') AS lower, skpi.factor_code('  16A ') AS spaced, skpi.factor_code(E'\t21\n') AS tabs,
       skpi.factor_code('20') AS number, skpi.factor_code(NULL) AS null_in;
SELECT skpi.factor_code('3D');
SELECT skpi.factor_code('');
SELECT skpi.factor_code('1 B');

-- factor_codes: the SSD JSON lists.
SELECT skpi.factor_codes('["1B","3A","16A"]') AS plain,
       skpi.factor_codes('[]') AS empty,
       skpi.factor_codes(E'  [ "1b" ,\n\t" 3a " , "16a"  ]  ') AS spaced_lower,
       skpi.factor_codes('[ ]') AS empty_spaced,
       skpi.factor_codes('["21"]') AS no_factors;
SELECT skpi.factor_codes('["4B","4B"]') AS duplicates_kept,
       skpi.factor_codes('[20, 21]') AS json_numbers;
SELECT skpi.factor_codes('["\u0031B", "2\u0062"]') AS escapes,
       cardinality(skpi.factor_codes('[]')) AS empty_cardinality,
       skpi.factor_codes(NULL) AS null_in;
-- malformed text: 22P02
SELECT skpi.factor_codes('["1B",');
SELECT skpi.factor_codes('1B,3A');
SELECT skpi.factor_codes('{}');
SELECT skpi.factor_codes('');
SELECT skpi.factor_codes('["1B" "3A"]');
SELECT skpi.factor_codes('["1B"] x');
SELECT skpi.factor_codes('[null]');
SELECT skpi.factor_codes('[["1B"]]');
SELECT skpi.factor_codes('["1B]');

-- _factor_codes_sorted (the report layer's normalisation): the distinct codes in byte order
-- ('10A' < '1B' < '21' < '3A'; COLLATE "C"), NULL instead of each error above.
SELECT skpi._factor_codes_sorted(E'["3A", "21", " 1b", "10A", "1B", "2B", "1A"]') AS sorted,
       skpi._factor_codes_sorted('["4B","4B"]') AS duplicates_once,
       skpi._factor_codes_sorted('[]') AS empty,
       skpi._factor_codes_sorted('["\u0031B", "2\u0062"]') AS escapes,
       skpi._factor_codes_sorted(NULL) AS null_in;
SELECT l AS list, skpi._factor_codes_sorted(l) IS NULL AS is_null
FROM unnest(ARRAY['["1B",', '1B,3A', '{}', '', '["1B" "3A"]', '["1B"] x', '[null]', '[["1B"]]',
                  '["1B]', '["99"]', '["1B", "ZZZZZZZZZ"]', '[""]']) AS l;
-- Every code of the table twice, in reverse order and in lower case: sorted once each.
SELECT skpi._factor_codes_sorted(l) = ARRAY(SELECT code FROM skpi.assessment_factors ORDER BY code COLLATE "C")
		   AS all_codes_sorted,
	   cardinality(skpi._factor_codes_sorted(l)) = (SELECT count(*) FROM skpi.assessment_factors) AS once_each
FROM (SELECT '[' || string_agg('"' || lower(code) || '", "' || code || '"', ', ' ORDER BY code COLLATE "C" DESC) || ']' AS l
	  FROM skpi.assessment_factors) x;
-- Against factor_codes with a sort in SQL: every list of up to four codes drawn from the
-- table (with repeats and lower case), in every order the draw gives.
WITH c AS (SELECT code, row_number() OVER (ORDER BY code) AS i FROM skpi.assessment_factors),
lists AS (
	SELECT g, '[' || string_agg('"' || CASE WHEN (g + k) % 3 = 0 THEN lower(c.code) ELSE c.code END || '"', ', ' ORDER BY k) || ']' AS l
	FROM generate_series(1, 2000) g
	CROSS JOIN LATERAL generate_series(1, g % 5) k
	JOIN c ON c.i = 1 + (g * 7 + k * k * 13) % (SELECT count(*) FROM c)
	GROUP BY g
)
SELECT count(*) AS lists,
       count(*) FILTER (WHERE cardinality(skpi._factor_codes_sorted(l)) >= 3) AS three_or_more,
       count(*) FILTER (WHERE skpi._factor_codes_sorted(l) IS DISTINCT FROM
           ARRAY(SELECT d.x FROM (SELECT DISTINCT x FROM unnest(skpi.factor_codes(l)) AS x) d
                 ORDER BY d.x COLLATE "C")) AS differing
FROM lists;
SELECT skpi.factor_codes('["1\x"]');
SELECT skpi.factor_codes('["1B",]');
-- unknown codes: 22023, naming the code
SELECT skpi.factor_codes('["1B","3D"]');
SELECT skpi.factor_codes('["1B"," 99Z "]');
SELECT skpi.factor_codes('[1.5]');
DO $$
BEGIN
	PERFORM skpi.factor_codes('["1B",');
EXCEPTION WHEN invalid_text_representation THEN RAISE NOTICE 'malformed list: SQLSTATE %', SQLSTATE;
END $$;
DO $$
BEGIN
	PERFORM skpi.factor_codes('["XX"]');
EXCEPTION WHEN invalid_parameter_value THEN RAISE NOTICE 'unknown code: SQLSTATE %', SQLSTATE;
END $$;

-- The trio type: text form, round trip, equality.
SELECT '{}'::skpi.trio AS empty,
       ' { mental_health : child , domestic_abuse:parent/carer,Mental_Health:child } '::skpi.trio AS normalised;
SELECT t::text::skpi.trio = t AS round_trip, t::text
FROM (VALUES ('{domestic_abuse:child,domestic_abuse:parent/carer,domestic_abuse:other,mental_health:child,mental_health:parent/carer,mental_health:other,substance_misuse:child,substance_misuse:parent/carer,substance_misuse:other}'::skpi.trio),
             ('{substance_misuse:other}')) v(t);
SELECT '{mental_health:child}'::skpi.trio = '{mental_health:child}'::skpi.trio AS eq,
       '{mental_health:child}'::skpi.trio = '{mental_health:other}'::skpi.trio AS eq_other,
       '{mental_health:child}'::skpi.trio <> '{mental_health:other}'::skpi.trio AS ne;
SELECT '{alcohol:child}'::skpi.trio;
SELECT '{mental_health:parent}'::skpi.trio;
SELECT '{mental_health:child'::skpi.trio;
SELECT 'mental_health:child'::skpi.trio;

-- trio_any / trio_all / trio_count.
SELECT t, skpi.trio_any(t) AS any, skpi.trio_all(t) AS all, skpi.trio_all(t, 'parent/carer') AS all_parent,
       skpi.trio_all(t, 'other') AS all_other, skpi.trio_count(t) AS n
FROM (VALUES ('{}'::skpi.trio),
             ('{mental_health:child}'),
             ('{domestic_abuse:parent/carer,mental_health:parent/carer,substance_misuse:parent/carer}'),
             ('{domestic_abuse:child,mental_health:parent/carer,substance_misuse:other}'),
             ('{domestic_abuse:other,domestic_abuse:parent/carer,mental_health:other,mental_health:parent/carer}')) v(t);
SELECT skpi.trio_all('{}', 'parent');

-- A hand-built set of assessments, as rows (one per code) and as SSD lists.
--   a01 3B 4B 1B         all three for the parent/carer
--   a02 3A 4B 2B         all three, not all for the parent (domestic abuse is the child's)
--   a03 3B 4B            two elements
--   a04 16A              factors, none of the trio
--   a05 21               no factors identified: not in the denominator
--   a06 3C 4C 2C         all three, for another household member
--   a07 1B               one element
--   a08 3B 4B 2B 16A 17A all three for the parent/carer
--   a09 17A 16A          none of the trio
--   a10 3B 3B 4B 1C      all three (substance misuse is someone else's); 3B twice
--   a11 21 21            no factors identified
--   a12 4A 21            one element (21 beside a real factor)
CREATE TABLE lists (assessment text, factors_json text);
INSERT INTO lists VALUES
	('a01', '["3B","4B","1B"]'), ('a02', '["3A", "4B", "2B"]'), ('a03', '["3b","4b"]'),
	('a04', '["16A"]'), ('a05', '["21"]'), ('a06', '["3C","4C","2C"]'), ('a07', '["1B"]'),
	('a08', '["3B","4B","2B","16A","17A"]'), ('a09', '["17A","16A"]'), ('a10', '["3B","3B","4B","1C"]'),
	('a11', '["21","21"]'), ('a12', '[" 4A ","21"]');
CREATE TABLE codes AS
SELECT l.assessment, c.code FROM lists l, unnest(skpi.factor_codes(l.factors_json)) AS c(code);
SELECT count(*) AS code_rows FROM codes;

-- The seed's toxic-trio table: assessments with factors, code 21 excluded.
WITH per AS (
	SELECT assessment, skpi.toxic_trio(code) AS t FROM codes WHERE code <> '21' GROUP BY assessment
), n AS (SELECT count(*) AS total FROM per)
SELECT measure, number, round(100.0 * number / total) AS percent
FROM n, LATERAL (VALUES
	(1, 'any of the toxic trio for anyone', (SELECT count(*) FROM per WHERE skpi.trio_any(t))),
	(2, 'all three for anyone', (SELECT count(*) FROM per WHERE skpi.trio_all(t))),
	(3, 'all three for the parent/carer', (SELECT count(*) FROM per WHERE skpi.trio_all(t, 'parent/carer'))),
	(4, 'assessments with factors', total)) AS m(k, measure, number)
ORDER BY k;

-- Per assessment: over rows, over arrays (grouped and one row each) and trio_of agree.
WITH by_rows AS (SELECT assessment, skpi.toxic_trio(code) AS t FROM codes GROUP BY assessment),
by_arrays AS (SELECT assessment, skpi.toxic_trio(skpi.factor_codes(factors_json)) AS t FROM lists GROUP BY assessment)
SELECT r.assessment, r.t, skpi.trio_count(r.t) AS n,
       r.t = a.t AS arrays_agree, r.t = skpi.trio_of(skpi.factor_codes(l.factors_json)) AS trio_of_agrees
FROM by_rows r JOIN by_arrays a USING (assessment) JOIN lists l USING (assessment)
ORDER BY r.assessment;

-- The same family-level answer over all rows at once, and NULL codes are skipped.
SELECT skpi.toxic_trio(code) AS all_rows FROM codes;
SELECT skpi.toxic_trio(c) AS with_nulls FROM (VALUES ('3B'), (NULL), ('1b ')) v(c);
SELECT skpi.toxic_trio(a) AS arrays_with_nulls FROM (VALUES (ARRAY['3B', NULL]), (NULL), (ARRAY['4C'])) v(a);
SELECT skpi.toxic_trio(code) AS no_rows FROM codes WHERE false;
SELECT '{mental_health:child}'::skpi.trio OPERATOR(skpi.=) '{mental_health:child}' AS qualified_eq;
-- Unknown codes are errors even outside the trio.
SELECT skpi.toxic_trio(c) FROM (VALUES ('3B'), ('3D')) v(c);
SELECT skpi.toxic_trio(a) FROM (VALUES (ARRAY['3B', 'X1'])) v(a);
SELECT skpi.trio_of(ARRAY['1A', '99'])::text;

-- Editing the grouping changes the next result (councils that use only the parent codes).
BEGIN;
DELETE FROM skpi.toxic_trio_codes WHERE code NOT LIKE '_B';
SELECT string_agg(code, ' ' ORDER BY code) AS parent_only FROM skpi.toxic_trio_codes;
SELECT assessment, skpi.toxic_trio(code) AS t FROM codes WHERE assessment IN ('a02', 'a06', 'a10')
GROUP BY assessment ORDER BY assessment;
UPDATE skpi.toxic_trio_codes SET element = 'mental_health' WHERE code = '1B';
SELECT skpi.toxic_trio(code) AS t FROM codes WHERE assessment = 'a01';
ROLLBACK;
SELECT skpi.toxic_trio(code) AS t_after_rollback FROM codes WHERE assessment = 'a01';

-- A local code added by the council is accepted at once; a code removed is rejected.
BEGIN;
INSERT INTO skpi.assessment_factors (code, factor, relates_to, label) VALUES ('99L', 'local factor', 'child', 'Local');
SELECT skpi.factor_codes('["99l","1B"]') AS with_local;
DELETE FROM skpi.assessment_factors WHERE code = '20';
SELECT skpi.factor_code('20');
ROLLBACK;
SELECT skpi.factor_code('20') AS restored;
SELECT skpi.factor_code('99L');

-- The tables refuse codes the functions could never match.
INSERT INTO skpi.assessment_factors (code, factor, relates_to, label) VALUES ('3d', 'x', 'child', 'x');
INSERT INTO skpi.assessment_factors (code, factor, relates_to, label) VALUES ('3D', 'x', 'parent', 'x');
INSERT INTO skpi.toxic_trio_codes VALUES ('5B', 'learning');

RESET search_path;
DROP SCHEMA factors_test CASCADE;
