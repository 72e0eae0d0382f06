-- The report layer: contract shapes, data-quality invariants, suppression, catalogue rules,
-- errors, a hostile schema name and the reading role, over the hand-built SSD fixture.
BEGIN;
SET client_min_messages = warning;
\set fixture tap_ssd
\ir ../shell/reports_fixture.sql
SELECT plan(104);

-- The API.
SELECT has_function('skpi', 'build_reports', ARRAY['text', 'text'], 'build_reports(source_schema, target_schema)');
SELECT has_function('skpi', 'build_reports', ARRAY['text', 'text', 'integer', 'text[]'], 'build_reports with min_count and themes');
SELECT has_function('skpi', 'refresh_reports', ARRAY['text'], 'refresh_reports(target_schema)');
SELECT has_function('skpi', 'schedule_refresh', ARRAY['text', 'text'], 'schedule_refresh(cron, target_schema)');
SELECT has_function('skpi', 'unschedule_refresh', ARRAY['text'], 'unschedule_refresh(target_schema)');
SELECT has_function('skpi', 'rag', ARRAY['double precision', 'double precision', 'double precision', 'text'], 'rag(value, target, amber_margin, polarity)');
SELECT volatility_is('skpi', 'rag', ARRAY['double precision', 'double precision', 'double precision', 'text'], 'immutable', 'rag is IMMUTABLE');
SELECT is((SELECT proparallel FROM pg_proc WHERE oid = 'skpi.rag(float8, float8, float8, text)'::regprocedure), 's', 'rag is PARALLEL SAFE');
SELECT is((SELECT pg_get_function_result('skpi.refresh_reports(text)'::regprocedure)),
		  'TABLE(view_name text, rows bigint, seconds double precision)', 'refresh_reports returns view_name, rows, seconds');
SELECT is((SELECT count(*)::int FROM skpi.code_map WHERE field IN ('legal_status', 'rne', 'rec', 'cp_category', 'cl_accommodation', 'cl_activity', 'in_touch')
		   GROUP BY () HAVING count(DISTINCT field) = 7) > 100, true, 'code_map ships rows for the seven coded SSD columns');
SELECT is((SELECT count(*) FROM skpi.code_map WHERE field = 'legal_status' AND code <> raw_value AND code NOT IN
			(SELECT raw_value FROM skpi.code_map WHERE field = 'legal_status')), 0::bigint, 'every legal_status description maps to a shipped code');

-- Errors.
SELECT throws_ok($$SELECT skpi.build_reports('tap_nowhere', 'tap_kpi')$$, '3F000', NULL, 'unknown source schema: 3F000');
SELECT throws_ok($$SELECT skpi.build_reports('tap_ssd', NULL)$$, '22004', NULL, 'NULL target: 22004');
SELECT throws_ok($$SELECT skpi.build_reports('tap_ssd', 'tap_ssd')$$, '22023', NULL, 'target = source: 22023');
SELECT throws_ok($$SELECT skpi.build_reports('tap_ssd', 'tap_kpi', 0)$$, '22023', NULL, 'min_count 0: 22023');
SELECT throws_ok($$SELECT skpi.build_reports('tap_ssd', repeat('x', 64))$$, '42622', NULL, 'name too long: 42622');
CREATE SCHEMA tap_broken;
CREATE TABLE tap_broken.ssd_person (pers_person_id text);
SELECT throws_ok($$SELECT skpi.build_reports('tap_broken', 'tap_kpi')$$, '42P01', NULL, 'missing SSD tables: 42P01');
DO $$
DECLARE t text;
BEGIN
	FOR t IN SELECT relname FROM pg_class WHERE relnamespace = 'tap_ssd'::regnamespace AND relkind = 'r' AND relname <> 'ssd_person' LOOP
		EXECUTE format('CREATE TABLE tap_broken.%I (LIKE tap_ssd.%I)', t, t);
	END LOOP;
END $$;
SELECT throws_ok($$SELECT skpi.build_reports('tap_broken', 'tap_kpi')$$, '42703', NULL, 'missing SSD columns: 42703');
SELECT throws_ok($$SELECT skpi.refresh_reports('tap_broken')$$, '22023', NULL, 'refresh of a schema without reports: 22023');
SELECT throws_ok($$SELECT skpi.schedule_refresh('0 6 * * *', 'tap_kpi')$$, '0A000', NULL, 'schedule_refresh without pg_cron: 0A000');
SELECT throws_ok($$SELECT skpi.rag(1, 2, 0, 'up')$$, '22023', 'unknown polarity ''up''', 'rag: unknown polarity');

-- Build (test theme only; min_count 2 keeps some cells).
SELECT is(skpi.build_reports('tap_ssd', 'tap_kpi', 2, ARRAY['zz_test']), 1, 'build_reports returns the number of theme views');

-- The normalised views have the contract's columns, in order.
SELECT is(array_agg(a.attname::text ORDER BY a.attnum), v.cols, 'columns of ' || v.name)
FROM (VALUES
	('n_person', ARRAY['area_code', 'person_id', 'dob', 'sex', 'ethnicity', 'death_date']),
	('n_family', ARRAY['area_code', 'family_id', 'person_id']),
	('n_contacts', ARRAY['area_code', 'contact_id', 'person_id', 'contact_date', 'source_code', 'source_desc', 'new_referral', 'existing_referral', 'cp_enquiry', 'decided_at', 'need_level']),
	('n_referrals', ARRAY['area_code', 'referral_id', 'person_id', 'referral_date', 'source_code', 'nfa', 'close_reason', 'close_date', 'primary_need_code']),
	('n_assessments', ARRAY['area_code', 'assessment_id', 'person_id', 'referral_id', 'start_date', 'auth_date', 'outcome_nfa', 'referral_date']),
	('n_assessment_factors', ARRAY['area_code', 'assessment_id', 'codes']),
	('n_cin_plans', ARRAY['area_code', 'plan_id', 'person_id', 'start_date', 'end_date']),
	('n_s47', ARRAY['area_code', 's47_id', 'person_id', 'referral_id', 'start_date', 'end_date', 'nfa', 'cp_conference']),
	('n_icpc', ARRAY['area_code', 'icpc_id', 's47_id', 'person_id', 'icpc_date', 'transfer_in', 'outcome_cp']),
	('n_cp_plans', ARRAY['area_code', 'plan_id', 'person_id', 'start_date', 'end_date', 'initial_category']),
	('n_cp_visits', ARRAY['area_code', 'visit_id', 'person_id', 'plan_id', 'visit_date', 'seen']),
	('n_cp_reviews', ARRAY['area_code', 'review_id', 'person_id', 'plan_id', 'due_date', 'review_date']),
	('n_cla_episodes', ARRAY['area_code', 'episode_id', 'person_id', 'cla_id', 'start_date', 'rne', 'end_date', 'rec', 'placement_id', 'placement_type', 'placement_distance', 'legal_status']),
	('n_legal_status', ARRAY['area_code', 'person_id', 'legal_status', 'start_date', 'end_date']),
	('n_cla_placements', ARRAY['area_code', 'placement_id', 'start_date', 'end_date', 'placement_type', 'distance']),
	('n_cla_reviews', ARRAY['area_code', 'review_id', 'cla_id', 'person_id', 'due_date', 'review_date', 'cancelled']),
	('n_cla_visits', ARRAY['area_code', 'visit_id', 'cla_id', 'person_id', 'visit_date', 'seen']),
	('n_cla_health', ARRAY['area_code', 'health_check_id', 'person_id', 'check_type', 'check_date', 'status']),
	('n_cla_care_plan', ARRAY['area_code', 'care_plan_id', 'person_id', 'start_date', 'end_date']),
	('n_care_leavers', ARRAY['area_code', 'person_id', 'in_touch', 'latest_contact', 'accommodation', 'accom_suitable', 'activity']),
	('n_missing', ARRAY['area_code', 'missing_id', 'person_id', 'start_date', 'end_date', 'missing_type', 'rhi_offered', 'rhi_accepted']),
	('n_professionals', ARRAY['area_code', 'professional_id', 'agency_worker', 'job_title', 'caseload', 'fte']),
	('n_involvements', ARRAY['area_code', 'involvement_id', 'professional_id', 'role_id', 'person_id', 'start_date', 'end_date', 'change_reason']),
	('n_children_missing_education', ARRAY['area_code', 'person_id', 'start_date', 'end_date']),
	('inputs_available', ARRAY['input', 'available']),
	('report_periods', ARRAY['area_code', 'period_type', 'period_label', 'period_start', 'period_end']),
	('data_quality', ARRAY['area_code', 'source_table', 'source_id', 'rule', 'detail']),
	('zz_test', ARRAY['area_code', 'period_type', 'period_label', 'period_start', 'period_end', 'measure', 'breakdown', 'numerator', 'denominator', 'value', 'unit', 'polarity', 'england', 'stat_neighbours', 'target', 'rag']),
	('published', ARRAY['theme', 'area_code', 'period_type', 'period_label', 'period_start', 'period_end', 'measure', 'breakdown', 'numerator', 'denominator', 'value', 'unit', 'polarity', 'england', 'stat_neighbours', 'target', 'rag', 'suppressed'])
	) AS v(name, cols)
JOIN pg_attribute a ON a.attrelid = format('tap_kpi.%I', v.name)::regclass AND a.attnum > 0
GROUP BY v.name, v.cols ORDER BY v.name;

-- Data quality: every source row is in its checked_ view; a row is usable, or listed with a
-- rule, never both (except the rules that keep a row with its unreadable value NULL).
SELECT is((SELECT string_agg(format('%s: %s source rows, %s checked', x.t, x.s, x.c), '; ') FROM (
	SELECT 'contacts' t, (SELECT count(*) FROM tap_ssd.ssd_contacts) s, (SELECT count(*) FROM tap_kpi.checked_contacts) c UNION ALL
	SELECT 'person', (SELECT count(*) FROM tap_ssd.ssd_person), (SELECT count(*) FROM tap_kpi.checked_person) UNION ALL
	SELECT 'cla_episodes', (SELECT count(*) FROM tap_ssd.ssd_cla_episodes), (SELECT count(*) FROM tap_kpi.checked_cla_episodes) UNION ALL
	SELECT 'assessment_factors', (SELECT count(*) FROM tap_ssd.ssd_assessment_factors), (SELECT count(*) FROM tap_kpi.checked_assessment_factors) UNION ALL
	SELECT 'legal_status', (SELECT count(*) FROM tap_ssd.ssd_legal_status), (SELECT count(*) FROM tap_kpi.checked_legal_status)) x
	WHERE x.s <> x.c), NULL, 'checked_ views hold every source row');
CREATE TEMP TABLE tap_checked (view text, dq_rule text, dq_detail text, usable boolean);
DO $$
DECLARE v text;
BEGIN
	FOR v IN SELECT relname FROM pg_class WHERE relnamespace = 'tap_kpi'::regnamespace AND relname LIKE 'checked\_%' LOOP
		EXECUTE format('INSERT INTO tap_checked SELECT %L, dq_rule, dq_detail, usable FROM tap_kpi.%I', v, v);
	END LOOP;
END $$;
SELECT is((SELECT count(*) FROM tap_checked WHERE usable AND dq_rule IS NOT NULL AND dq_detail NOT LIKE '%is kept%'),
		  0::bigint, 'no excluded row is usable');
SELECT is((SELECT array_agg(DISTINCT view || ': ' || dq_rule ORDER BY view || ': ' || dq_rule) FROM tap_checked WHERE usable AND dq_rule IS NOT NULL),
		  ARRAY['checked_assessments: orphan', 'checked_contacts: malformed_json', 'checked_person: missing_dob', 'checked_s47: malformed_json'],
		  'the rows kept with a rule are the documented ones');
SELECT is((SELECT count(*) FROM tap_checked WHERE NOT usable AND dq_rule IS NULL), 0::bigint, 'every row left out has a rule');
SELECT is((SELECT count(*) FROM tap_checked WHERE dq_rule IS NOT NULL), (SELECT count(*) FROM tap_kpi.data_quality),
		  'data_quality lists every row with a rule');
SELECT is((SELECT array_agg(DISTINCT rule ORDER BY rule) FROM tap_kpi.data_quality),
		  ARRAY['duplicate_id', 'end_before_start', 'malformed_json', 'missing_date', 'missing_dob', 'missing_id', 'orphan', 'overlap', 'unknown_code'],
		  'the fixture breaks every rule');
SELECT is((SELECT count(*) FROM tap_kpi.n_contacts c JOIN tap_kpi.data_quality d ON d.source_table = 'ssd_contacts' AND d.source_id = c.contact_id
		   WHERE d.rule <> 'malformed_json' AND d.rule <> 'duplicate_id'), 0::bigint, 'no contact left out is counted');
SELECT is((SELECT value FROM tap_kpi.zz_test WHERE measure = 'zz_contacts' AND period_label = '2019/20 Q1'), 5::numeric,
		  'the test theme counts usable contacts only');
SELECT is((SELECT count(*) FROM tap_kpi.n_assessment_factors WHERE codes IS NULL), 0::bigint, 'usable factor lists are parsed');
SELECT is((SELECT codes FROM tap_kpi.n_assessment_factors WHERE assessment_id = 'A02'), ARRAY['3B', '4B'], 'factor codes distinct and sorted');
SELECT is((SELECT array_agg(latest_contact::text || ' ' || in_touch ORDER BY latest_contact) FROM tap_kpi.n_care_leavers WHERE person_id = 'P08'),
		  ARRAY['2019-06-01 NO', '2019-09-01 YES'], 'n_care_leavers keeps every status of a young person');

-- Refresh, suppression, published.
SELECT is((SELECT array_agg(view_name ORDER BY ord) FROM skpi.refresh_reports('tap_kpi') WITH ORDINALITY AS r(view_name, rows, seconds, ord)
		   WHERE view_name NOT LIKE 'checked\_%'), ARRAY['person_keys', 'report_periods', 'theme_rows', 'zz_test', 'suppression'],
		  'refresh_reports refreshes the persons'' keys, the periods, the theme queries, the theme views, then the suppressed cells');
SELECT is((SELECT array_agg(view_name ORDER BY ord) FROM skpi.refresh_reports('tap_kpi') WITH ORDINALITY AS r(view_name, rows, seconds, ord)
		   WHERE view_name IN ('checked_person', 'checked_contacts', 'checked_assessments', 'checked_assessment_factors', 'checked_cp_plans', 'checked_cp_visits')),
		  ARRAY['checked_person', 'checked_contacts', 'checked_assessments', 'checked_assessment_factors', 'checked_cp_plans', 'checked_cp_visits'],
		  'a second refresh works, the normalisation layer first, in dependency order');
SELECT is((SELECT count(*) FROM tap_kpi.published WHERE NOT suppressed AND (numerator BETWEEN 1 AND 1 OR (unit = 'count' AND value BETWEEN 1 AND 1))),
		  0::bigint, 'published shows no small count');
SELECT is((SELECT count(*) FROM tap_kpi.published p JOIN tap_kpi.measures m USING (theme, area_code, period_type, period_label, measure, breakdown)
		   WHERE NOT p.suppressed AND (p.numerator IS DISTINCT FROM m.numerator OR p.value IS DISTINCT FROM m.value)),
		  0::bigint, 'published shows other cells as measured');
SELECT is((SELECT count(*) FROM tap_kpi.published WHERE suppressed AND (numerator IS NOT NULL OR denominator IS NOT NULL OR value IS NOT NULL OR rag IS NOT NULL)),
		  0::bigint, 'suppressed cells are NULL');
SELECT is((SELECT count(*) FROM (
	SELECT measure, period_type, period_label FROM tap_kpi.published
	GROUP BY 1, 2, 3 HAVING count(*) FILTER (WHERE suppressed) = 1 AND count(*) > 1) g), 0::bigint,
	'no breakdown group has exactly one suppressed cell');
SELECT is((SELECT count(*) FROM (
	SELECT p.measure, p.breakdown, q.period_label
	FROM tap_kpi.published p
	JOIN tap_kpi.published q ON q.measure = p.measure AND q.breakdown = p.breakdown AND q.period_type = 'quarter'
		 AND p.period_start BETWEEN q.period_start AND q.period_end
	WHERE p.period_type IN ('month', 'quarter')
	GROUP BY 1, 2, 3 HAVING count(*) FILTER (WHERE p.suppressed) = 1 AND count(*) > 1) g), 0::bigint,
	'no quarter with its months has exactly one suppressed cell');
SELECT is((SELECT count(*) FROM tap_kpi.published), (SELECT count(*) FROM tap_kpi.measures), 'published has a row per measure row');

-- Catalogue rules.
SELECT is((SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'tap_kpi'::regnamespace AND c.relkind IN ('v', 'm', 'r')
		   AND obj_description(c.oid, 'pg_class') IS NULL), 0::bigint, 'every report object has a comment');
SELECT is((SELECT count(*) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
		   WHERE c.relnamespace = 'tap_kpi'::regnamespace AND c.relkind IN ('v', 'm', 'r') AND col_description(c.oid, a.attnum) IS NULL),
		  0::bigint, 'every report column has a comment');
SELECT is((SELECT array_agg(DISTINCT a.atttypid::regtype::text ORDER BY a.atttypid::regtype::text)
		   FROM pg_attribute a WHERE a.attrelid IN ('tap_kpi.zz_test'::regclass, 'tap_kpi.measures'::regclass, 'tap_kpi.published'::regclass) AND a.attnum > 0),
		  ARRAY['boolean', 'date', 'double precision', 'numeric', 'text'], 'report views use standard SQL types only');
SELECT is((SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'tap_kpi'::regnamespace AND c.relkind = 'v'
		   AND (c.relname ~ '^n_' OR c.relname IN ('data_quality', 'report_periods'))
		   AND c.reloptions IS DISTINCT FROM '{security_invoker=true}'), 0::bigint,
		  'views over child-level rows are security_invoker');
SELECT is((SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'tap_kpi'::regnamespace AND c.relname ~ '^checked_'
		   AND (c.relkind <> 'm' OR c.relacl IS NOT NULL)), 0::bigint,
		  'the checked_ views are materialized views that nobody else is granted');
SELECT is((SELECT indisunique FROM pg_index WHERE indrelid = 'tap_kpi.zz_test'::regclass), true, 'theme views have a unique index');
SELECT is((SELECT count(*) FROM tap_kpi.report_periods WHERE period_type = 'year'), 0::bigint, 'no financial year lies inside the data');
SELECT is((SELECT k.relkind::text || coalesce(k.relacl::text, '') FROM pg_class k
		   WHERE k.relnamespace = 'tap_kpi'::regnamespace AND k.relname = 'report_periods'), 'm',
		  'report_periods is a materialized view that nobody else is granted');
SELECT is((SELECT k.relkind::text || coalesce(k.relacl::text, '') FROM pg_class k
		   WHERE k.relnamespace = 'tap_kpi'::regnamespace AND k.relname = 'person_keys'), 'm',
		  'person_keys is a materialized view that nobody else is granted');
SELECT is((SELECT a.attstorage::text FROM pg_attribute a WHERE a.attrelid = 'tap_kpi.person_keys'::regclass AND a.attname = 'keys'), 'e',
		  'person_keys stores its one value out of line, uncompressed');
SELECT is((SELECT skpi._key_has(k.keys, 'local', 'P01') FROM tap_kpi.person_keys k), true, 'person_keys holds a usable person');
SELECT is((SELECT count(*) FROM tap_kpi.person_keys k JOIN tap_kpi.checked_person p ON NOT p.usable AND p.person_id IS NOT NULL
		   AND skpi._key_has(k.keys, p.area_code, p.person_id)
		   AND NOT EXISTS (SELECT 1 FROM tap_kpi.n_person n WHERE n.area_code = p.area_code AND n.person_id = p.person_id)), 0::bigint,
		  'person_keys holds no person without a usable row');
SELECT is((SELECT k.relkind::text || coalesce(k.relacl::text, '') FROM pg_class k
		   WHERE k.relnamespace = 'tap_kpi'::regnamespace AND k.relname = 'theme_rows'), 'm',
		  'theme_rows is a materialized view that nobody else is granted');
SELECT is((SELECT count(DISTINCT d.refobjid) FROM pg_rewrite r
		   JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
		   JOIN pg_class k ON k.oid = d.refobjid AND k.relkind = 'm'
		   WHERE r.ev_class = 'tap_kpi.theme_rows'::regclass AND d.refobjid <> r.ev_class),
		  (SELECT count(*) FROM pg_class k WHERE k.relnamespace = 'tap_kpi'::regnamespace AND k.relkind = 'm'
		   AND (k.relname ~ '^checked_' OR k.relname IN ('person_keys', 'report_periods'))),
		  'theme_rows depends on every view of the normalisation layer (pg_dump restores their rows first)');
SELECT throws_ok($$SELECT skpi._theme_query('tap_kpi', 'no_such')$$, '22023', 'unknown report theme ''no_such''',
				 'a theme without its function: 22023');

-- Rebuilding replaces, and a theme can be left out.
SELECT is(skpi.build_reports('tap_ssd', 'tap_kpi', 2, ARRAY[]::text[]), 0, 'rebuild without themes');
SELECT is((SELECT count(*) FROM pg_matviews WHERE schemaname = 'tap_kpi' AND matviewname NOT LIKE 'checked\_%' AND matviewname NOT IN ('person_keys', 'report_periods', 'theme_rows')), 0::bigint, 'the old theme view is gone');
SELECT is((SELECT count(*) FROM tap_kpi.theme_rows), 0::bigint, 'theme_rows is there, empty, without themes');
SELECT is((SELECT count(*) FROM tap_kpi.measures), 0::bigint, 'measures is empty without themes');
SELECT is(skpi.build_reports('tap_ssd', 'tap_kpi', 2, ARRAY['zz_test']), 1, 'rebuild with the theme');

-- An error in a theme query (which a parallel worker runs when one is free) stops the build and
-- its refresh with the query's own SQLSTATE and message.
CREATE FUNCTION skpi._theme_zz_fail(target_schema text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
AS $f$ SELECT format('SELECT p.area_code, p.period_type, p.period_label, p.period_start, p.period_end,'
					 ' ''zz_fail''::text AS measure, ''''::text AS breakdown, (1 / (count(*) - count(*)))::numeric AS numerator,'
					 ' NULL::numeric AS denominator, NULL::numeric AS value, ''count''::text AS unit, ''neither''::text AS polarity'
					 ' FROM %I.report_periods p GROUP BY 1, 2, 3, 4, 5', target_schema) $f$;
SELECT throws_ok($$SELECT skpi.build_reports('tap_ssd', 'tap_fail', 2, ARRAY['zz_test', 'zz_fail'])$$, '22012', 'division by zero',
				 'an error in a theme query: its own SQLSTATE and message');
SELECT is(to_regnamespace('tap_fail'), NULL, 'and nothing of the failed build is left');
DROP FUNCTION skpi._theme_zz_fail(text);

-- A hostile schema name reaches SQL only quoted.
CREATE TABLE tap_canary (x int);
ALTER SCHEMA tap_ssd RENAME TO "tap""; DROP TABLE tap_canary; --{tgt}";
SELECT is(skpi.build_reports('tap"; DROP TABLE tap_canary; --{tgt}', 'k''); DROP TABLE tap_canary; --{src}{area}', 2, ARRAY['zz_test']),
		  1, 'build_reports with hostile schema names');
SELECT is((SELECT count(*) FROM skpi.refresh_reports('k''); DROP TABLE tap_canary; --{src}{area}')), 29::bigint, 'refresh_reports with a hostile schema name');
SELECT has_table('tap_canary', 'the canary table survives');
SELECT is((SELECT count(*) FROM "k'); DROP TABLE tap_canary; --{src}{area}".data_quality), (SELECT count(*) FROM tap_kpi.data_quality),
		  'the hostile-named reports match');
ALTER SCHEMA "tap""; DROP TABLE tap_canary; --{tgt}" RENAME TO tap_ssd;

-- The reading role reads reports and published, and no child-level row.
DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kpi_reader') THEN CREATE ROLE kpi_reader NOLOGIN; END IF;
END $$;
SELECT is(skpi.build_reports('tap_ssd', 'tap_kpi', 2, ARRAY['zz_test']), 1, 'rebuild grants to kpi_reader');
GRANT SELECT ON tap_kpi.n_person TO kpi_reader;		-- even so, security_invoker keeps the SSD closed
SET ROLE kpi_reader;
SELECT lives_ok('SELECT * FROM tap_kpi.published', 'kpi_reader reads published');
SELECT lives_ok('SELECT * FROM tap_kpi.measures', 'kpi_reader reads measures');
SELECT lives_ok('SELECT * FROM tap_kpi.zz_test', 'kpi_reader reads a theme view');
SELECT throws_ok('SELECT * FROM tap_ssd.ssd_person', '42501', NULL, 'kpi_reader cannot read SSD tables');
SELECT throws_ok('SELECT * FROM tap_kpi.n_person', '42501', NULL, 'kpi_reader cannot read child-level rows through a granted n_ view');
SELECT throws_ok('SELECT * FROM tap_kpi.data_quality', '42501', NULL, 'kpi_reader cannot read data_quality');
SELECT throws_ok('SELECT * FROM tap_kpi.checked_contacts', '42501', NULL, 'kpi_reader cannot read checked_ views');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
