-- generate_ssd: signature and catalogue properties, argument errors, the shape of the tables it
-- creates, determinism, and the dirty-row documentation.
BEGIN;
SELECT plan(55);

SELECT has_function('skpi', 'generate_ssd', ARRAY['text', 'integer', 'integer', 'integer']);
SELECT function_returns('skpi', 'generate_ssd', ARRAY['text', 'integer', 'integer', 'integer'], 'bigint');
SELECT volatility_is('skpi', 'generate_ssd', ARRAY['text', 'integer', 'integer', 'integer'], 'volatile');
SELECT isnt_definer('skpi', 'generate_ssd', ARRAY['text', 'integer', 'integer', 'integer']);
SELECT isnt_strict('skpi', 'generate_ssd', ARRAY['text', 'integer', 'integer', 'integer']);
SELECT is((SELECT proparallel FROM pg_proc WHERE oid = 'skpi.generate_ssd(text, int, int, int)'::regprocedure),
		  'u'::"char", 'generate_ssd is PARALLEL UNSAFE (it writes)');
SELECT is(pg_get_function_arguments('skpi.generate_ssd(text, int, int, int)'::regprocedure),
		  'target_schema text, councils integer DEFAULT 1, years integer DEFAULT 6, seed integer DEFAULT 1',
		  'arguments and defaults as in api.md');
SELECT ok((SELECT 'search_path=pg_catalog, pg_temp' = ANY (proconfig) FROM pg_proc
		   WHERE oid = 'skpi.generate_ssd(text, int, int, int)'::regprocedure),
		  'generate_ssd runs with a fixed search_path');
SELECT volatility_is('skpi', 'generator_uniform', ARRAY['bigint', 'bigint'], 'immutable');
SELECT is(skpi.generator_uniform(5, 7),
		  (hashint8extended(5, 7) & 9007199254740991)::float8 / 9007199254740992,
		  'generator_uniform is the low 53 bits of hashint8extended over 2^53');
SELECT ok((SELECT bool_and(skpi.generator_uniform(k, -3) >= 0 AND skpi.generator_uniform(k, -3) < 1)
		   FROM generate_series(-1000, 1000) k), 'generator_uniform stays in [0, 1)');

-- Bad arguments.
SELECT throws_ok($$SELECT skpi.generate_ssd(NULL, 1, 1, 1)$$, '22004', 'target schema must not be NULL');
SELECT throws_ok($$SELECT skpi.generate_ssd('a"; drop table x; --', 1, 1, 1)$$, '22023',
				 'invalid target schema name "a"; drop table x; --"');
SELECT throws_ok($$SELECT skpi.generate_ssd('Bad Name', 1, 1, 1)$$, '22023', 'invalid target schema name "Bad Name"');
SELECT throws_ok($$SELECT skpi.generate_ssd('skpi', 1, 1, 1)$$, '22023', 'target schema "skpi" is reserved');
SELECT throws_ok($$SELECT skpi.generate_ssd('pg_toast', 1, 1, 1)$$, '22023', 'target schema "pg_toast" is reserved');
SELECT throws_ok($$SELECT skpi.generate_ssd('gen_t', -1, 1, 1)$$, '22023', 'councils must be between 1 and 1000, not -1');
SELECT throws_ok($$SELECT skpi.generate_ssd('gen_t', 100000, 1, 1)$$, '22023', 'councils must be between 1 and 1000, not 100000');
SELECT throws_ok($$SELECT skpi.generate_ssd('gen_t', 1, -2, 1)$$, '22023', 'years must be between 1 and 20, not -2');
SELECT throws_ok($$SELECT skpi.generate_ssd('gen_t', 1, 1000, 1)$$, '22023', 'years must be between 1 and 20, not 1000');
SELECT throws_ok($$SELECT skpi.generate_ssd('gen_t', 1, 1, NULL)$$, '22004', 'seed must not be NULL');
SELECT hasnt_schema('gen_t', 'a call with bad arguments creates nothing');

-- One council, one year.
SELECT cmp_ok(skpi.generate_ssd('gen_t', 1, 1, 7), '>', 0::bigint, 'generate_ssd returns the rows written');
SELECT tables_are('gen_t', ARRAY['ssd_person', 'ssd_family', 'ssd_contacts', 'ssd_cin_episodes',
	'ssd_cin_assessments', 'ssd_assessment_factors', 'ssd_cin_plans', 'ssd_s47_enquiry',
	'ssd_initial_cp_conference', 'ssd_cp_plans', 'ssd_cp_visits', 'ssd_cp_reviews',
	'ssd_cla_episodes', 'ssd_cla_placement', 'ssd_legal_status', 'ssd_cla_reviews',
	'ssd_cla_visits', 'ssd_cla_health', 'ssd_cla_care_plan', 'ssd_care_leavers', 'ssd_missing',
	'ssd_professionals', 'ssd_involvements', 'contact_decisions', 'children_missing_education']);
SELECT columns_are('gen_t', 'ssd_contacts', ARRAY['cont_contact_id', 'cont_person_id', 'cont_contact_date',
	'cont_contact_source_code', 'cont_contact_source_desc', 'cont_contact_outcome_json', 'area_code']);
SELECT columns_are('gen_t', 'ssd_cla_episodes', ARRAY['clae_cla_episode_id', 'clae_person_id', 'clae_cla_id',
	'clae_cla_episode_start_date', 'clae_cla_episode_start_reason', 'clae_cla_episode_ceased_date',
	'clae_cla_episode_ceased_reason', 'clae_cla_placement_id', 'area_code']);
SELECT columns_are('gen_t', 'ssd_professionals', ARRAY['prof_professional_id', 'prof_agency_worker_flag',
	'prof_professional_job_title', 'prof_professional_caseload', 'prof_full_time_equivalency', 'area_code']);
SELECT col_type_is('gen_t', 'ssd_person', 'pers_person_id', 'text', 'ssd_person.pers_person_id is text');
SELECT col_type_is('gen_t', 'ssd_person', 'pers_dob', 'timestamp without time zone', 'ssd_person.pers_dob is timestamp without time zone');
SELECT col_type_is('gen_t', 'ssd_cla_placement', 'clap_cla_placement_distance', 'double precision', 'ssd_cla_placement.clap_cla_placement_distance is double precision');
SELECT col_type_is('gen_t', 'ssd_professionals', 'prof_professional_caseload', 'integer', 'ssd_professionals.prof_professional_caseload is integer');
SELECT col_type_is('gen_t', 'ssd_professionals', 'prof_full_time_equivalency', 'double precision', 'ssd_professionals.prof_full_time_equivalency is double precision');
SELECT col_type_is('gen_t', 'ssd_cp_visits', 'cppv_cp_visit_seen', 'character varying(2)', 'ssd_cp_visits.cppv_cp_visit_seen is character varying(2)');
SELECT col_type_is('gen_t', 'contact_decisions', 'need_level', 'integer', 'contact_decisions.need_level is integer');
SELECT is((SELECT count(*) FROM information_schema.columns
		   WHERE table_schema = 'gen_t' AND column_name LIKE '%\_date' AND data_type <> 'timestamp without time zone'),
		  0::bigint, 'every *_date column is a timestamp');
SELECT is((SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'gen_t'::regnamespace AND c.relkind = 'r'
		   AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'area_code')),
		  0::bigint, 'every table has area_code');
SELECT is((SELECT string_agg(DISTINCT area_code, ',') FROM gen_t.ssd_cin_episodes), 'X10000001',
		  'council 1 is area X10000001');
SELECT is((SELECT count(*) FROM skpi.population WHERE area_code = 'X10000001'), 36::bigint,
		  'population: 18 single ages for mid-years 2019 and 2020');
SELECT is((SELECT count(*) FROM gen_t.ssd_cin_episodes WHERE cine_referral_date > '2020-03-31'
		   OR cine_close_date > '2020-03-31'), 0::bigint, 'nothing after the extract date 31 March 2020');
SELECT is((SELECT count(*) FROM gen_t.ssd_contacts WHERE cont_contact_date < '2019-04-01'), 0::bigint,
		  'contacts start with the window (2019/20 for one year)');
SELECT ok((SELECT count(*) FROM gen_t.ssd_cin_episodes WHERE cine_referral_date < '2019-04-01') > 0,
		  'referrals still open at the start of the window are in the extract');
SELECT is((SELECT count(*) FROM gen_t.ssd_cla_episodes e
		   WHERE e.clae_cla_episode_ceased_date < e.clae_cla_episode_start_date), 0::bigint,
		  'care episodes never end before they start');
SELECT is((SELECT count(*) FROM gen_t.ssd_assessment_factors WHERE cinf_assessment_factors_json IN ('', '[]')),
		  0::bigint, 'no factor row for an assessment without factors');
SELECT ok((SELECT count(*) FROM gen_t.ssd_cin_episodes e
		   WHERE NOT EXISTS (SELECT 1 FROM gen_t.ssd_person p WHERE p.pers_person_id = e.cine_person_id)) = 0,
		  'every referred child is in ssd_person');
SELECT ok((SELECT count(*) FROM gen_t.ssd_contacts c
		   WHERE c.cont_contact_outcome_json !~ '"(NEW_REFERRAL|EXISTING_REFERRAL|CP_ENQUIRY|NFA|ADVICE)_FLAG":"Y"'
			 AND c.cont_contact_outcome_json ~ '}$') = 0,
		  'every well-formed contact outcome has one Y flag');

-- Determinism: the same seed again gives the same rows, another seed others.
CREATE TEMP TABLE sums AS
SELECT c.relname AS t, (xpath('/row/s/text()', query_to_xml(format(
	'SELECT md5(string_agg(x::text, E''\n'' ORDER BY x::text)) AS s FROM gen_t.%I x', c.relname), false, true, '')))[1]::text AS s
FROM pg_class c WHERE c.relnamespace = 'gen_t'::regnamespace AND c.relkind = 'r';
SELECT cmp_ok(skpi.generate_ssd('gen_t', 1, 1, 7), '>', 0::bigint, 'generate again into the same schema');
SELECT is((SELECT count(*) FROM sums s WHERE s.s IS DISTINCT FROM (xpath('/row/s/text()', query_to_xml(format(
	'SELECT md5(string_agg(x::text, E''\n'' ORDER BY x::text)) AS s FROM gen_t.%I x', s.t), false, true, '')))[1]::text),
		  0::bigint, 'same seed: every table byte-identical');
SELECT cmp_ok(skpi.generate_ssd('gen_t', 1, 1, 8), '>', 0::bigint, 'another seed');
SELECT is((SELECT count(*) FROM sums s WHERE s.s IS NOT DISTINCT FROM (xpath('/row/s/text()', query_to_xml(format(
	'SELECT md5(string_agg(x::text, E''\n'' ORDER BY x::text)) AS s FROM gen_t.%I x', s.t), false, true, '')))[1]::text),
		  0::bigint, 'another seed: every table differs');

-- The dirty-row documentation.
SELECT is((SELECT count(DISTINCT kind) FROM skpi.generator_dirty_rates), 9::bigint,
		  'nine kinds of dirty rows are documented');
SELECT is((SELECT count(*) FROM skpi.generator_dirty_rates d
		   WHERE NOT EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = 'gen_t'
							 AND c.table_name = d.table_name AND c.column_name = d.column_name)),
		  0::bigint, 'every documented dirty column exists');
SELECT is((SELECT count(*) FROM skpi.generator_code_descriptions d
		   WHERE d.code !~ '^[A-Z0-9]{1,3}$'), 0::bigint, 'descriptions map to code-shaped values');
SELECT set_eq($$SELECT DISTINCT field FROM skpi.generator_code_descriptions$$,
			  ARRAY['legal_status', 'rne', 'rec', 'cp_category', 'cl_accommodation', 'cl_activity'],
			  'descriptions for the six code_map fields');
SELECT ok((SELECT bool_and(rate > 0 AND rate < 0.2) FROM skpi.generator_dirty_rates), 'dirty rates are small shares');
SELECT lives_ok($$SELECT count(*) FROM skpi.generator_dirty_rates d,
	LATERAL (SELECT query_to_xml(format('SELECT count(*) FROM gen_t.%I t WHERE (%s) AND (%s)', d.table_name,
		replace(d.denominator, '{schema}', 'gen_t'), replace(d.detect, '{schema}', 'gen_t')), false, true, '')) q$$,
	'every documented predicate runs');

SELECT * FROM finish();
ROLLBACK;
