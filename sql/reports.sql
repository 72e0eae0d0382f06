-- The report layer over a hand-built SSD extract (test/shell/reports_fixture.sql): normalised
-- views, data quality, report periods, a test theme, suppression, RAG, errors, several councils.
SET client_min_messages = warning;
SET DateStyle = ISO;
\set SHOW_CONTEXT never
\set ECHO none
\set fixture rep_ssd
\i test/shell/reports_fixture.sql
\set ECHO all

-- Wrong calls.
SELECT skpi.build_reports();
SELECT skpi.build_reports('rep_nowhere', 'rep_kpi');
SELECT skpi.build_reports('rep_ssd', 'rep_ssd');
SELECT skpi.build_reports('rep_ssd', 'skpi');
SELECT skpi.build_reports('rep_ssd', NULL);
SELECT skpi.build_reports('rep_ssd', 'rep_kpi', 0);
SELECT skpi.build_reports('rep_ssd', 'rep_kpi', 6, ARRAY['zz_test', 'no_such_theme']);
SELECT skpi.build_reports('rep_ssd', repeat('k', 64));
CREATE SCHEMA rep_partial;
CREATE TABLE rep_partial.ssd_person (pers_person_id text, pers_dob timestamp);
SELECT skpi.build_reports('rep_partial', 'rep_kpi');
SELECT skpi.refresh_reports('rep_partial');
SELECT skpi.refresh_reports('rep_nowhere');
SELECT skpi.schedule_refresh('0 6 * * *', 'rep_kpi');
SELECT skpi.unschedule_refresh('rep_kpi');
DROP SCHEMA rep_partial CASCADE;

-- Build with the test theme only, suppressing counts 1 (min_count 2) to keep some cells.
INSERT INTO skpi.targets VALUES ('zz_referral_pct', '*', 50, 15);
INSERT INTO skpi.comparators VALUES ('zz_referral_pct', '2019/20 Q1', 'england', 45.5),
	('zz_referral_pct', '2019/20 Q1', 'stat_neighbours', 42);
SELECT skpi.build_reports('rep_ssd', 'rep_kpi', 2, ARRAY['zz_test']);
SELECT source_schema, built_at <= now() AS built, min_count, themes, area_column FROM rep_kpi.report_build;

-- Normalised views: the usable rows, normalised.
SELECT * FROM rep_kpi.n_person ORDER BY person_id;
SELECT * FROM rep_kpi.n_family ORDER BY family_id, person_id;
SELECT * FROM rep_kpi.n_contacts ORDER BY contact_id;
SELECT * FROM rep_kpi.n_referrals ORDER BY referral_id;
SELECT * FROM rep_kpi.n_assessments ORDER BY assessment_id;
SELECT * FROM rep_kpi.n_assessment_factors ORDER BY assessment_id;
SELECT * FROM rep_kpi.n_cin_plans ORDER BY plan_id;
SELECT * FROM rep_kpi.n_s47 ORDER BY s47_id;
SELECT * FROM rep_kpi.n_icpc ORDER BY icpc_id;
SELECT * FROM rep_kpi.n_cp_plans ORDER BY plan_id;
SELECT * FROM rep_kpi.n_cp_visits ORDER BY visit_id;
SELECT * FROM rep_kpi.n_cp_reviews ORDER BY review_id;
SELECT * FROM rep_kpi.n_legal_status ORDER BY person_id, start_date;
SELECT * FROM rep_kpi.n_cla_placements ORDER BY placement_id;
SELECT * FROM rep_kpi.n_cla_episodes ORDER BY episode_id;
SELECT * FROM rep_kpi.n_cla_reviews ORDER BY review_id;
SELECT * FROM rep_kpi.n_cla_visits ORDER BY visit_id;
SELECT * FROM rep_kpi.n_cla_health ORDER BY health_check_id;
SELECT * FROM rep_kpi.n_cla_care_plan ORDER BY care_plan_id;
SELECT * FROM rep_kpi.n_care_leavers ORDER BY person_id, latest_contact;
SELECT * FROM rep_kpi.n_missing ORDER BY missing_id;
SELECT * FROM rep_kpi.n_professionals ORDER BY professional_id;
SELECT * FROM rep_kpi.n_involvements ORDER BY involvement_id;
SELECT * FROM rep_kpi.n_children_missing_education;

-- Every dirty row once, with its rule; rows kept with an unreadable value NULL are the only
-- ones both in data_quality and in an n_ view.
SELECT source_table, source_id, rule, detail FROM rep_kpi.data_quality ORDER BY source_table, source_id, rule;
SELECT rule, count(*) FROM rep_kpi.data_quality GROUP BY rule ORDER BY rule;
SELECT d.source_table, d.source_id, d.rule
FROM rep_kpi.data_quality d
WHERE (d.source_table, d.source_id) IN (
	SELECT 'ssd_person', person_id FROM rep_kpi.n_person UNION ALL
	SELECT 'ssd_contacts', contact_id FROM rep_kpi.n_contacts UNION ALL
	SELECT 'ssd_s47_enquiry', s47_id FROM rep_kpi.n_s47 UNION ALL
	SELECT 'ssd_family', family_id FROM rep_kpi.n_family UNION ALL
	SELECT 'ssd_professionals', professional_id FROM rep_kpi.n_professionals)
ORDER BY 1, 2;
-- checked_ views carry every source row.
SELECT (SELECT count(*) FROM rep_kpi.checked_contacts) AS checked, (SELECT count(*) FROM rep_ssd.ssd_contacts) AS source,
	(SELECT count(*) FROM rep_kpi.checked_contacts WHERE usable) AS usable;

SELECT * FROM rep_kpi.report_periods ORDER BY period_type, period_start;
SELECT * FROM rep_kpi.inputs_available ORDER BY input;

-- The theme view, with comparators, target and RAG; the suppressed cells and published.
SELECT period_label, measure, breakdown, numerator, denominator, value, unit, polarity, england,
	stat_neighbours, target, rag
FROM rep_kpi.zz_test ORDER BY measure, period_type, period_start, breakdown;
SELECT period_label, measure, breakdown, reason FROM rep_kpi.suppression ORDER BY measure, period_type, period_label, breakdown;
SELECT theme, period_label, measure, breakdown, numerator, denominator, value, rag, suppressed
FROM rep_kpi.published ORDER BY measure, period_type, period_start, breakdown;
SELECT count(*) = (SELECT count(*) FROM rep_kpi.zz_test) AS measures_complete FROM rep_kpi.measures;

-- Refreshing sees new data; published follows.
UPDATE rep_ssd.ssd_contacts SET cont_contact_date = '2019-06-20' WHERE cont_contact_id = 'C07';
BEGIN;
SET LOCAL parallel_tuple_cost = 0.5;
SET LOCAL work_mem = '3MB';
SET LOCAL maintenance_work_mem = '70MB';
SELECT view_name, rows, seconds >= 0 AS timed FROM skpi.refresh_reports('rep_kpi');
-- the settings refresh_reports changes for the normalisation layer and theme_rows are put back
SELECT current_setting('parallel_tuple_cost') AS tuple_cost, current_setting('enable_mergejoin') AS mergejoin,
	current_setting('work_mem') AS work_mem, current_setting('maintenance_work_mem') AS maintenance_work_mem,
	current_setting('parallel_leader_participation') AS leader_participation;
COMMIT;
SELECT period_label, value FROM rep_kpi.zz_test WHERE measure = 'zz_contacts' ORDER BY period_type, period_start;
SELECT period_label, value, suppressed FROM rep_kpi.published WHERE measure = 'zz_contacts' ORDER BY period_type, period_start;
UPDATE rep_ssd.ssd_contacts SET cont_contact_date = '2019-08-12 14:00' WHERE cont_contact_id = 'C07';

-- With refresh_reports' planner settings for the normalisation layer (and parallel plans made
-- cheap enough for these few rows), a normalisation view's source rows are scanned and checked
-- against the duplicated keys in the parallel workers, below the Gather.
CREATE FUNCTION pg_temp.plan_lines(q text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
BEGIN
	RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || q;
END $f$;
BEGIN;
SET LOCAL enable_mergejoin = off;
SET LOCAL parallel_tuple_cost = 0.001;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT regexp_replace(btrim(l), '\$[0-9]+', '$n', 'g') AS plan_line
FROM pg_temp.plan_lines(pg_get_viewdef('rep_kpi.checked_contacts'::regclass)) l
WHERE l ~ 'Gather|Parallel Seq Scan on ssd_contacts|_sorted_has';
-- Whether a contact's person has a usable row is found there too, not by a join with the
-- persons: _key_has is in the output of the parallel scan (a scan computes its own output; the
-- nodes above show it passed on), and the key set is read by initplans.
CREATE FUNCTION pg_temp.verbose_lines(q text) RETURNS TABLE (n int, l text) LANGUAGE plpgsql AS $f$
DECLARE
	x text;
BEGIN
	n := 0;
	FOR x IN EXECUTE 'EXPLAIN (COSTS OFF, VERBOSE) ' || q LOOP
		n := n + 1;
		l := x;
		RETURN NEXT;
	END LOOP;
END $f$;
CREATE TEMP TABLE plan_v AS SELECT * FROM pg_temp.verbose_lines(pg_get_viewdef('rep_kpi.checked_contacts'::regclass));
SELECT (SELECT btrim(p.l) FROM plan_v p WHERE p.n < v.n AND p.l ~ '->  ' ORDER BY p.n DESC LIMIT 1) AS nodes_showing_key_has
FROM plan_v v WHERE v.l ~ '^ *Output: .*_key_has' AND v.l !~ '^ *Output: [a-z_0-9]+\.[a-z_]+(, [a-z_0-9]+\.[a-z_]+)*$'
ORDER BY v.n;
SELECT count(*) FILTER (WHERE l ~ 'Scan on rep_kpi\.(checked_person|n_person)') AS person_scans,
	   count(*) FILTER (WHERE l ~ 'Seq Scan on rep_kpi\.person_keys') AS key_set_reads
FROM plan_v;
ROLLBACK;

-- build_reports' statistics on the month of checked_contacts (analysed by refresh_reports): the
-- planner estimates the front-door theme's monthly groups from the months, not from the days.
-- The theme groups by the same expression, or the statistics are never used.
CREATE FUNCTION pg_temp.estimated_rows(q text) RETURNS bigint LANGUAGE plpgsql AS $f$
DECLARE
	p json;
BEGIN
	EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO p;
	RETURN (p -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
END $f$;
SELECT (SELECT array_agg(s.stxname) FROM pg_statistic_ext s
		WHERE s.stxrelid = 'rep_kpi.checked_contacts'::regclass) AS statistics,
	(SELECT count(DISTINCT c.contact_date) FROM rep_kpi.checked_contacts c) AS days,
	(SELECT count(DISTINCT date_trunc('month', c.contact_date::timestamp)::date) FROM rep_kpi.checked_contacts c) AS months,
	pg_temp.estimated_rows('SELECT date_trunc(''month'', c.contact_date::timestamp)::date FROM rep_kpi.checked_contacts c GROUP BY 1') AS estimated,
	strpos(skpi._theme_front_door('rep_kpi'), 'date_trunc(''month'', con.contact_date::timestamp)::date') > 0 AS theme_groups_by_it;

-- The RAG rule.
SELECT v, skpi.rag(v, 50, 15, 'higher') AS higher, skpi.rag(v, 50, 15, 'lower') AS lower,
	skpi.rag(v, 50, 15, 'neither') AS neither, skpi.rag(v, NULL, 15, 'higher') AS no_target,
	skpi.rag(v, 50, NULL, 'higher') AS no_margin
FROM (VALUES (NULL::float8), (20), (34.9), (35), (49.9), (50), (50.1), (65), (65.1), (80)) AS t(v);
SELECT skpi.rag(1, 2, 0, 'up');
SELECT skpi.rag(1, 2, -1, 'higher');
SELECT skpi.rag('NaN', 2, 0, 'higher');

-- Outcome flags without an error: _json_fields against independent methods. Whether it
-- answers: the text converts to jsonb (which also reads every escape) and is an object. What it
-- answers: json_to_record's text columns (strings unescaped, the last of repeated keys, nested
-- values as their JSON text, null and absent keys NULL).
CREATE FUNCTION pg_temp.jsonb_object(j text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	RETURN jsonb_typeof(j::jsonb) = 'object';
EXCEPTION WHEN OTHERS THEN
	RETURN false;
END $$;
SELECT j, skpi._json_fields(j, '{a,b,c}') AS fields,
	   (skpi._json_fields(j, '{a,b,c}') IS NOT NULL) = pg_temp.jsonb_object(j) AS agrees,
	   skpi._json_fields(j, '{a,b,c}') IS NOT DISTINCT FROM
		   CASE WHEN pg_temp.jsonb_object(j) THEN
				(SELECT ARRAY[x.a, x.b, x.c] FROM json_to_record(j::json) AS x(a text, b text, c text)) END
		   AS as_json_to_record
FROM (VALUES ('{}'), ('[]'), ('{"a":1}'), (E' \n{"a": [1, {"b": null}], "c": -0.5e3}\t'),
			 ('{"a":1,}'), ('{"a" 1}'), ('{"a":1'), ('nul'), ('"x"'), ('01'), ('1e5'), (''),
			 ('{"a":"\u0000"}'), ('{"a":"\ud800"}'), ('{"a":"\ud83d\ude00"}'), ('{"a":"\x"}'),
			 (E'{"a":"tab\there"}'), ('{"a":"\"}"}'), ('{"N":"Y"} {"N":"Y"}'),
			 ('{"a":"Y","a":"N","b":null,"c":true}'), ('{"b":{"a":"Y"},"c":[ "Y" ]}'),
			 ('{"A":"Y","a ":"N","\u0061":" n "}'),
			 -- flat objects of plain strings take a short scanner first, the rest the parser
			 ('{"a":"Y","b":"N","c":"Y"}'), (E' { "a" : "Y" ,\n"b":null , "c" : "" }\r'),
			 ('{"a":"Y","a":"N"}'), ('{"":"x","a":"é ü"}'), ('{"a":nullx}'), ('{"a":null'),
			 ('{"a":"Y"'), ('{"a" "Y"}'), ('{"a":"Y",}'), ('{"a":"Y"}x'), ('{"a":"null","b":NULL}'),
			 (E'{"a":"new\nline"}'), ('{"a\u0062":"k","b":"Y"}'), ('{ }'), ('{"a":"Y" "b":"N"}'),
			 ('{"a":"Y","b":1}'), ('{"a":"Y","b":"N"}}'), ('{"ab":"x","b":"y"}'), ('{"a":null }'),
			 (E'{"a":null\n,"b":"Y"}'), ('{"a":nul}'), ('{"a":null,"a":"Y","b":"N","b":null}'),
			 ('{"b":"x\u00e9"}'), ('{"c":"Y",'), ('{"c":"Y":"N"}'), ('{"c"}'), ('{"c":}')) AS t(j);
-- Every prefix of a flat object, and the object with any one character left out: the answer
-- (or its absence) agrees with jsonb and json_to_record for each.
WITH base AS (SELECT '{ "a" : "Y", "b":null,"c":"N" , "a":"x"}'::text AS b),
variants AS (
	SELECT left(b, n) AS j FROM base, generate_series(0, length(b)) AS n
	UNION
	SELECT left(b, n) || substr(b, n + 2) FROM base, generate_series(0, length(b) - 1) AS n
)
SELECT count(*) AS variants,
	   count(*) FILTER (WHERE skpi._json_fields(j, '{a,b,c}') IS NOT NULL) AS objects,
	   count(*) FILTER (WHERE (skpi._json_fields(j, '{a,b,c}') IS NOT NULL) <> pg_temp.jsonb_object(j)
						   OR skpi._json_fields(j, '{a,b,c}') IS DISTINCT FROM
							  CASE WHEN pg_temp.jsonb_object(j) THEN
								   (SELECT ARRAY[x.a, x.b, x.c] FROM json_to_record(j::json) AS x(a text, b text, c text)) END)
		   AS disagreeing
FROM variants;
SELECT skpi._json_fields('{"a":1}', '{}') AS no_keys, skpi._json_fields('{"a":1}', '{a,a}') AS twice,
	   skpi._json_fields('{"a":"1"}', '{a,a}') AS twice_flat, skpi._json_fields('{"a":"1","b":"2"}', '{}') AS no_keys_flat;
-- The keys are read once per call site and again when they change from row to row.
SELECT k, skpi._json_fields('{"a":"1","b":"2","":"3"}', k) AS flat, skpi._json_fields('{"a":1,"b":2,"":3}', k) AS parsed
FROM (VALUES (1, '{a}'::text[]), (2, '{b}'), (3, '{a}'), (4, '{b,a,c}'), (5, '{}'), (6, '{""}'), (7, '{b,b}')) AS t(n, k)
ORDER BY n;
SELECT skpi._json_fields('{"a":1}', '{{a}}');
SELECT skpi._json_fields('{"a":1}', '{a,NULL}');
-- Nesting: 1,000 levels are read, deeper is no answer (the parser would hit the stack limit
-- with an error); brackets inside strings do not count.
SELECT skpi._json_fields(repeat('{"a":', 1000) || '1' || repeat('}', 1000), '{b}') AS depth_1000,
	   skpi._json_fields(repeat('{"a":', 1001) || '1' || repeat('}', 1001), '{b}') AS depth_1001,
	   skpi._json_fields('{"a":"' || repeat('[', 5000) || '"}', '{b}') AS brackets_in_string,
	   skpi._json_fields(repeat('{"a":', 100000) || '1' || repeat('}', 100000), '{b}') AS depth_100000;

-- Catalogue: comments everywhere, standard types in report views, security_invoker on the
-- views over child-level rows, the unique index that lets REFRESH CONCURRENTLY work.
SELECT c.relname FROM pg_class c
WHERE c.relnamespace = 'rep_kpi'::regnamespace AND c.relkind IN ('v', 'm', 'r')
  AND obj_description(c.oid, 'pg_class') IS NULL;
SELECT c.relname, a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
WHERE c.relnamespace = 'rep_kpi'::regnamespace AND c.relkind IN ('v', 'm', 'r') AND a.attnum > 0
  AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL;
SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type
FROM pg_attribute a WHERE a.attrelid = 'rep_kpi.published'::regclass AND a.attnum > 0 ORDER BY a.attnum;
SELECT DISTINCT format_type(a.atttypid, a.atttypmod) AS report_view_type
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
WHERE c.relnamespace = 'rep_kpi'::regnamespace AND c.relname IN ('zz_test', 'measures', 'published', 'inputs_available')
  AND a.attnum > 0 ORDER BY 1;
SELECT c.relname, c.reloptions FROM pg_class c
WHERE c.relnamespace = 'rep_kpi'::regnamespace AND c.relkind = 'v'
  AND (c.relname ~ '^n_' OR c.relname IN ('data_quality', 'report_periods'))
  AND c.reloptions IS DISTINCT FROM '{security_invoker=true}'
ORDER BY 1;
-- autovacuum off for the views every refresh writes anew (checked_*, person_keys,
-- report_periods, theme_rows), on for the theme views (refreshed concurrently: dead rows)
SELECT c.relname ~ '^checked_' OR c.relname IN ('person_keys', 'report_periods', 'theme_rows') AS rewritten, c.reloptions, count(*)
FROM pg_class c WHERE c.relnamespace = 'rep_kpi'::regnamespace AND c.relkind = 'm'
GROUP BY 1, 2 ORDER BY 1, 2;
SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = 'rep_kpi.zz_test'::regclass;
SELECT obj_description('rep_kpi.zz_test'::regclass) AS theme_view;

-- Optional inputs, when present, are used; a rebuild replaces the views.
CREATE TABLE rep_ssd.contact_decisions (contact_id text, decided_at timestamp, need_level int);
INSERT INTO rep_ssd.contact_decisions VALUES ('C01', '2019-04-02 09:00', 3), ('C01', '2019-04-01 15:00', 4),
	('C02', '2019-04-17 10:00', 2), ('C99', '2019-04-17 10:00', 2),
	-- the first by decided_at (NULL last), then need_level; a NULL decided_at of the only one kept
	('C03', NULL, 1), ('C03', '2019-04-20 10:00', 2), ('C04', '2019-04-18 09:00', 3),
	('C04', '2019-04-18 09:00', 1), ('C05', NULL, 2), (NULL, '2019-04-17 10:00', 1);
CREATE TABLE rep_ssd.children_missing_education (person_id text, start_date timestamp, end_date timestamp);
INSERT INTO rep_ssd.children_missing_education VALUES ('P04', '2019-05-01', NULL), ('P99', '2019-05-01', NULL),
	('P06', '2019-06-01', '2019-05-01');
SELECT skpi.build_reports('rep_ssd', 'rep_kpi', 2, ARRAY['zz_test']);
SELECT * FROM rep_kpi.inputs_available ORDER BY input;
SELECT contact_id, decided_at, need_level FROM rep_kpi.n_contacts ORDER BY contact_id;
SELECT * FROM rep_kpi.n_children_missing_education;
SELECT source_id, rule, detail FROM rep_kpi.data_quality WHERE source_table = 'children_missing_education' ORDER BY 1;

-- A rebuild never drops the council's own objects: it stops instead.
CREATE VIEW rep_ssd.my_view AS SELECT * FROM rep_kpi.measures;
SELECT skpi.build_reports('rep_ssd', 'rep_kpi', 2, ARRAY['zz_test']);
DROP VIEW rep_ssd.my_view;

-- Default suppression (counts 1-5).
SELECT skpi.build_reports('rep_ssd', 'rep_kpi6', 6, ARRAY['zz_test']);
SELECT measure, count(*) FILTER (WHERE suppressed) AS suppressed, count(*) AS cells
FROM rep_kpi6.published GROUP BY measure ORDER BY measure;
DROP SCHEMA rep_kpi6 CASCADE;

-- Several councils: every SSD table has area_code; ids repeat across councils without being
-- duplicates, and each council gets its own rows, periods and data-quality rows.
CREATE SCHEMA rep_multi;
DO $$
DECLARE t text;
BEGIN
	FOR t IN SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'rep_ssd'::regnamespace AND c.relkind = 'r'
	LOOP
		EXECUTE format('CREATE TABLE rep_multi.%1$I AS SELECT ''E0601''::text AS area_code, * FROM rep_ssd.%1$I'
					   ' UNION ALL SELECT ''E0602'', * FROM rep_ssd.%1$I', t);
	END LOOP;
END $$;
DELETE FROM rep_multi.ssd_contacts WHERE area_code = 'E0602' AND cont_contact_id = 'C10';
SELECT skpi.build_reports('rep_multi', 'rep_kpi_multi', 2, ARRAY['zz_test']);
SELECT area_code, count(*) FROM rep_kpi_multi.n_contacts GROUP BY 1 ORDER BY 1;
SELECT area_code, count(*) FROM rep_kpi_multi.data_quality GROUP BY 1 ORDER BY 1;
SELECT area_code, period_type, count(*), min(period_start), max(period_end)
FROM rep_kpi_multi.report_periods GROUP BY 1, 2 ORDER BY 1, 2;
SELECT area_code, period_label, value FROM rep_kpi_multi.zz_test
WHERE measure = 'zz_contacts' AND period_type = 'quarter' ORDER BY 1, 2;
-- Duplicates: three copies of an id keep the first in (date, person, ...) order; rows with no
-- area_code are numbered among themselves (the first is an orphan: no council has its person);
-- an id of one council is no duplicate of the same id with no council.
DROP SCHEMA rep_kpi_multi CASCADE;
INSERT INTO rep_multi.ssd_contacts (area_code, cont_contact_id, cont_person_id, cont_contact_date)
VALUES ('E0601', 'C20', 'P02', '2019-06-03'), ('E0601', 'C20', 'P01', '2019-05-01'),
	   ('E0601', 'C20', 'P01', '2019-06-03'), (NULL, 'C21', 'P01', '2019-05-02'),
	   (NULL, 'C21', 'P01', '2019-05-01'), (NULL, 'C01', 'P01', '2019-05-01');
SELECT skpi.build_reports('rep_multi', 'rep_kpi_multi', 2, ARRAY['zz_test']);
SELECT area_code, contact_id, person_id, contact_date FROM rep_kpi_multi.n_contacts
WHERE contact_id IN ('C01', 'C20', 'C21') ORDER BY 1 NULLS LAST, 2, 4;
SELECT area_code, source_id, rule, detail FROM rep_kpi_multi.data_quality
WHERE source_table = 'ssd_contacts' AND source_id IN ('C01', 'C20', 'C21') ORDER BY 1 NULLS LAST, 2, 3, 4;
SELECT c.area_code, c.contact_id, c.person_id, c.contact_date, c.dq_rule FROM rep_kpi_multi.checked_contacts c
WHERE c.contact_id IN ('C20', 'C21') ORDER BY 1 NULLS LAST, 2, 4, 3;
-- An area_code column on some tables only: one council, with a warning.
DROP SCHEMA rep_kpi_multi CASCADE;
ALTER TABLE rep_multi.ssd_person DROP COLUMN area_code;
SELECT skpi.build_reports('rep_multi', 'rep_kpi_multi', 2, ARRAY['zz_test']);
SELECT area_code, count(*) FROM rep_kpi_multi.n_person GROUP BY 1;
DROP SCHEMA rep_kpi_multi CASCADE;
DROP SCHEMA rep_multi CASCADE;

-- _duplicates, which {dedup} runs over hashes of the keys: values seen more than once, sorted,
-- each once; NULLs skipped; '{}' for no rows, all NULL, or no repeats; the extremes of bigint
SELECT skpi._duplicates(x) AS dups
FROM unnest('{5,3,5,NULL,1,3,3,-9223372036854775808,9223372036854775807,-9223372036854775808}'::bigint[]) x;
SELECT skpi._duplicates(x) AS none_repeated FROM unnest('{4,-4,0}'::bigint[]) x;
SELECT skpi._duplicates(x) AS no_rows FROM unnest('{}'::bigint[]) x;
SELECT skpi._duplicates(x) AS all_null FROM unnest('{NULL,NULL}'::bigint[]) x;
SELECT g, skpi._duplicates(x) FROM (VALUES (1, 7), (2, 7), (1, 7), (2, 8), (1, NULL)) v(g, x) GROUP BY g ORDER BY g;
-- against GROUP BY ... HAVING count(*) > 1 on 60,000 rows (the array grows past its first
-- 1,024 values), serial and with partial states from parallel workers combined
CREATE TABLE rep_dups AS SELECT ((i * 7919) % 50000 - 20000)::bigint AS x FROM generate_series(1, 60000) i;
ANALYZE rep_dups;
CREATE VIEW rep_dups_check AS
SELECT d = ARRAY(SELECT x FROM rep_dups WHERE x IS NOT NULL GROUP BY x HAVING count(*) > 1 ORDER BY x) AS agrees,
	   cardinality(d) AS n
FROM (SELECT skpi._duplicates(x) AS d FROM rep_dups) y;
SELECT * FROM rep_dups_check;
-- _sorted_has, {dedup}'s test of a row against that array: each of the 60,000 rows against
-- = ANY (the rows of duplicated values, and of the others)
CREATE VIEW rep_has_check AS
SELECT count(*) FILTER (WHERE skpi._sorted_has(d.a, x) IS DISTINCT FROM x = ANY (d.a)) AS disagree,
	   count(*) FILTER (WHERE skpi._sorted_has(d.a, x)) AS duplicated_rows
FROM rep_dups, (SELECT skpi._duplicates(x) AS a FROM rep_dups) d;
SELECT * FROM rep_has_check;
SELECT v, skpi._sorted_has('{-9223372036854775808,-1,0,7,9223372036854775807}', v) AS has
FROM unnest('{-9223372036854775808,-2,-1,0,1,6,7,8,9223372036854775806,9223372036854775807}'::bigint[]) v;
SELECT skpi._sorted_has('{}', 1) AS empty, skpi._sorted_has('{5}', 5) AS one, skpi._sorted_has('{5}', 4) AS one_not,
	   skpi._sorted_has(NULL, 1) AS null_array, skpi._sorted_has('{1}', NULL) AS null_value;
-- the order is checked for every array, not only the first one a call site sees
SELECT i, a, skpi._sorted_has(a, 3) FROM (VALUES (1, '{1,3}'::bigint[]), (2, '{1,2}'), (3, '{3,4}')) v(i, a) ORDER BY i;
SELECT i, skpi._sorted_has(a, 3) FROM (VALUES (1, '{1,3}'::bigint[]), (2, '{3,1}')) v(i, a) ORDER BY i;
SELECT skpi._sorted_has('{1,3,3}', 3);
SELECT skpi._sorted_has('{1,NULL,3}', 3);
SELECT skpi._sorted_has('{{1,3},{5,7}}', 3);
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT skpi._duplicates(x) FROM rep_dups;
SELECT * FROM rep_dups_check;
-- as {dedup} runs it: the array an initplan, the test in the parallel workers' scans
EXPLAIN (COSTS OFF)
SELECT count(*) FROM rep_dups WHERE skpi._sorted_has((SELECT skpi._duplicates(x) FROM rep_dups), x);
SELECT count(*) FROM rep_dups WHERE skpi._sorted_has((SELECT skpi._duplicates(x) FROM rep_dups), x);
SELECT sum(n) FROM (SELECT count(*) AS n FROM rep_dups GROUP BY x HAVING count(*) > 1) g;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP VIEW rep_dups_check;
DROP VIEW rep_has_check;
DROP TABLE rep_dups;

-- {f:x}, the Y/N flags of _report_expand: Y and N as they are, else trimmed of spaces and
-- upper-cased, anything else NULL
CREATE FUNCTION pg_temp.flag(x text) RETURNS boolean LANGUAGE plpgsql AS $f$
DECLARE
	r boolean;
BEGIN
	EXECUTE 'SELECT ' || skpi._report_expand('{f:$1}', 's', 't', 'a', NULL) INTO r USING x;
	RETURN r;
END $f$;
SELECT x, pg_temp.flag(x) AS flag
FROM (VALUES ('Y'), ('N'), ('y'), (' n '), ('  Y'), ('Yes'), ('YN'), (''), (' '), (E'\tY'), (NULL)) v(x);

-- _key_set and _key_has, the orphan check of the normalisation views ({person:x}): the distinct
-- (area_code, id) keys, those with a NULL part skipped, and membership compared byte for byte.
-- Six distinct keys of 44 bytes (4 for the area code's length, then both): 12 bytes of header,
-- 8 a hash, 4 an offset and one more offset, 12 + 48 + 28 + 44 = 132 bytes.
CREATE TABLE rep_keys AS
SELECT * FROM (VALUES ('E1', 'p1'), ('E1', 'p2'), ('E2', 'p1'), ('E1', 'p1'), (NULL, 'p3'), ('E3', NULL),
					  ('ab', 'c'), ('', ''), ('E1', 'P1 '), ('E2', 'p1')) v(a, i);
SELECT length(skpi._key_set(a, i)) AS bytes FROM rep_keys;
SELECT a, i, skpi._key_has((SELECT skpi._key_set(k.a, k.i) FROM rep_keys k), a, i) AS has
FROM (VALUES ('E1', 'p1'), ('E1', 'p2'), ('E2', 'p2'), ('E2', 'p1'), ('ab', 'c'), ('a', 'bc'), ('abc', ''),
			 ('', ''), ('', 'p3'), ('E1', 'P1'), ('E1', 'P1 '), ('E1', 'p1 '), ('e1', 'p1'), (NULL, 'p3'), ('E3', NULL)) v(a, i);
-- no rows, or only keys with a NULL part: the empty set (16 bytes), which holds nothing
SELECT length(s) AS bytes, skpi._key_has(s, 'E1', 'p1') AS has
FROM (SELECT skpi._key_set(a, i) AS s FROM rep_keys WHERE false) x;
SELECT length(s) AS bytes, skpi._key_has(s, '', '') AS has
FROM (SELECT skpi._key_set(a, i) AS s FROM rep_keys WHERE a IS NULL OR i IS NULL) x;
-- one set per group, and each row's set read afresh by the same call (sets of the same size)
SELECT a, skpi._key_has(skpi._key_set(a, i), a, 'p1') AS has_p1, skpi._key_has(skpi._key_set(a, i), a, 'p2') AS has_p2
FROM rep_keys WHERE a IN ('E1', 'E2') GROUP BY a ORDER BY a;
SELECT n, skpi._key_has(s, 'E1', 'p1') AS has
FROM (SELECT 1 AS n, skpi._key_set(a, i) AS s FROM rep_keys WHERE i = 'p1'
	  UNION ALL SELECT 2, skpi._key_set(a, i) FROM rep_keys WHERE i = 'p2'
	  UNION ALL SELECT 3, skpi._key_set(a, i) FROM rep_keys WHERE i = 'p1' AND a = 'E1') x ORDER BY n;
-- A key found by its hash is compared too: the set of ('E1', 'p1') with its id's bytes made
-- 'p2' keeps the hash of ('E1', 'p1'), which finds the entry and is then refused.
SELECT skpi._key_has(s, 'E1', 'p1') AS same_hash, skpi._key_has(s, 'E1', 'p2') AS same_bytes
FROM (SELECT overlay(skpi._key_set(a, i) PLACING 'p2'::bytea FROM 35) AS s FROM rep_keys WHERE a = 'E1' AND i = 'p1') x;
-- a value that is not a key set
SELECT skpi._key_has('\x00'::bytea, 'E1', 'p1');
SELECT skpi._key_has(substr(skpi._key_set(a, i), 1, 60), 'E1', 'p1') FROM rep_keys;
SELECT skpi._key_has(substr(skpi._key_set(a, i), 1, 131), 'E1', 'p1') FROM rep_keys;
SELECT skpi._key_has(substr(s, 1, 12) || substr(s, 21, 8) || substr(s, 13, 8) || substr(s, 29), 'E1', 'p1')
FROM (SELECT skpi._key_set(a, i) AS s FROM rep_keys WHERE a = 'E1' AND i IN ('p1', 'p2')) x
WHERE substr(s, 13, 8) <> substr(s, 21, 8);
SELECT skpi._key_has(s, NULL, 'p1') AS null_area, skpi._key_has(NULL, 'E1', 'p1') AS null_set
FROM (SELECT skpi._key_set(a, i) AS s FROM rep_keys) x;
-- against EXISTS: 90,000 keys probed in a set of 60,000 (the state grows past its first 1,024
-- keys), serially, then with parallel workers' partial sets combined and the probes in the
-- workers' scans (as the normalisation views run it)
CREATE TABLE rep_keys_big AS
SELECT 'E' || (g % 7) AS a, ((g * 7919) % 60000)::text AS i FROM generate_series(1, 60000) g;
CREATE TABLE rep_keys_probe AS
SELECT 'E' || (g % 7) AS a, ((g * 7919) % 90000)::text AS i FROM generate_series(1, 90000) g;
ANALYZE rep_keys_big;
ANALYZE rep_keys_probe;
CREATE VIEW rep_keys_check AS
SELECT count(*) FILTER (WHERE skpi._key_has(ks.s, p.a, p.i)
						IS DISTINCT FROM EXISTS (SELECT 1 FROM rep_keys_big b WHERE b.a = p.a AND b.i = p.i)) AS disagree,
	   count(*) FILTER (WHERE skpi._key_has(ks.s, p.a, p.i)) AS found
FROM rep_keys_probe p, (SELECT skpi._key_set(a, i) AS s FROM rep_keys_big) ks;
SELECT * FROM rep_keys_check;
SELECT count(*) AS found FROM rep_keys_probe p WHERE EXISTS (SELECT 1 FROM rep_keys_big b WHERE b.a = p.a AND b.i = p.i);
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT skpi._key_set(a, i) FROM rep_keys_big;
EXPLAIN (COSTS OFF)
SELECT count(*) FROM rep_keys_probe p WHERE skpi._key_has((SELECT skpi._key_set(a, i) FROM rep_keys_big), p.a, p.i);
SELECT count(*) FROM rep_keys_probe p WHERE skpi._key_has((SELECT skpi._key_set(a, i) FROM rep_keys_big), p.a, p.i);
SELECT (SELECT skpi._key_set(a, i) FROM rep_keys_big) = (SELECT skpi._key_set(a, i) FROM (SELECT * FROM rep_keys_big ORDER BY i DESC OFFSET 0) x) AS same_set;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP VIEW rep_keys_check;
DROP TABLE rep_keys, rep_keys_big, rep_keys_probe;

DROP SCHEMA rep_kpi CASCADE;
DROP SCHEMA rep_ssd CASCADE;
DROP FUNCTION skpi._theme_zz_test(text);
DELETE FROM skpi.targets WHERE indicator LIKE 'zz\_%';
DELETE FROM skpi.comparators WHERE indicator LIKE 'zz\_%';
