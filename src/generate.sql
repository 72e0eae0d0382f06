-- ============================================================================================
-- generate: deterministic synthetic Standard Safeguarding Dataset (SSD) extracts, one or many
-- councils, with a documented share of the dirty rows real extracts contain.
-- ============================================================================================

-- Every kind of dirty row generate_ssd writes on purpose, with its rate, so that the report
-- layer's data-quality handling can be tested against it. detect and denominator are boolean SQL
-- expressions over one row of table_name (alias t; {schema} stands for the generated schema):
-- SELECT count(*) FROM {schema}.<table_name> t WHERE <denominator> [AND <detect>].
CREATE TABLE @extschema@.generator_dirty_rates (
	kind text NOT NULL,
	table_name text NOT NULL,
	column_name text NOT NULL,
	rate float8 NOT NULL CHECK (rate > 0 AND rate < 1),
	denominator text NOT NULL,
	detect text NOT NULL,
	example text NOT NULL,
	PRIMARY KEY (kind, table_name, column_name)
);
COMMENT ON TABLE @extschema@.generator_dirty_rates IS
	'dirty rows that generate_ssd writes on purpose: kind, table and column, the expected share (rate) of the rows matching denominator that match detect (both SQL conditions over a row t of table_name, for SELECT count(*) FROM {schema}.table_name t WHERE ...; {schema} is the generated schema), and an example value';

INSERT INTO @extschema@.generator_dirty_rates VALUES
('date_1900', 'ssd_person', 'pers_dob', 0.002, 'true',
	't.pers_dob < ''1901-01-01''', '1900-01-01'),
('missing_dob', 'ssd_person', 'pers_dob', 0.002, 'true',
	't.pers_dob IS NULL', 'NULL'),
('date_1900', 'ssd_cin_episodes', 'cine_close_date', 0.05, 't.cine_close_date IS NULL OR t.cine_close_date < ''1901-01-01''',
	't.cine_close_date < ''1901-01-01''', '1900-01-01 written for an open referral'),
('date_1900', 'ssd_cin_assessments', 'cina_assessment_auth_date', 0.10, 't.cina_assessment_auth_date IS NULL OR t.cina_assessment_auth_date < ''1901-01-01''',
	't.cina_assessment_auth_date < ''1901-01-01''', '1900-01-01 written for an assessment not yet authorised'),
('date_1900', 'ssd_cp_visits', 'cppv_cp_visit_date', 0.002, 'true',
	't.cppv_cp_visit_date < ''1901-01-01''', '1900-01-01'),
('date_1900', 'ssd_cla_reviews', 'clar_cla_review_date', 0.003, 'true',
	't.clar_cla_review_date < ''1901-01-01''', '1900-01-01'),
('date_1900', 'ssd_care_leavers', 'clea_care_leaver_latest_contact', 0.005, 'true',
	't.clea_care_leaver_latest_contact < ''1901-01-01''', '1900-01-01'),
('date_1900', 'ssd_involvements', 'invo_involvement_end_date', 0.05, 't.invo_involvement_end_date IS NULL OR t.invo_involvement_end_date < ''1901-01-01''',
	't.invo_involvement_end_date < ''1901-01-01''', '1900-01-01 written for an open involvement'),
('description', 'ssd_legal_status', 'lega_legal_status', 0.03, 'true',
	't.lega_legal_status !~ ''^[A-Z][0-9]$''', 'Full care order'),
('description', 'ssd_cla_episodes', 'clae_cla_episode_start_reason', 0.02, 'true',
	'length(t.clae_cla_episode_start_reason) > 1', 'Change of placement and carer(s) only'),
('description', 'ssd_cla_episodes', 'clae_cla_episode_ceased_reason', 0.02, 't.clae_cla_episode_ceased_reason IS NOT NULL',
	't.clae_cla_episode_ceased_reason !~ ''^[A-Z][0-9A-Z]{1,2}$''', 'Returned home to live with parent(s), relative(s), or other person(s) with parental responsibility'),
('description', 'ssd_cp_plans', 'cppl_cp_plan_initial_category', 0.02, 'true',
	't.cppl_cp_plan_initial_category !~ ''^[A-Z]{3}$''', 'Neglect'),
('description', 'ssd_care_leavers', 'clea_care_leaver_accommodation', 0.03, 't.clea_care_leaver_accommodation IS NOT NULL',
	't.clea_care_leaver_accommodation !~ ''^[A-Z][12]$''', 'Semi-independent, transitional accommodation'),
('description', 'ssd_care_leavers', 'clea_care_leaver_activity', 0.03, 't.clea_care_leaver_activity IS NOT NULL',
	't.clea_care_leaver_activity !~ ''^[A-Z][0-9]$''', 'Full time in higher education'),
('end_before_start', 'ssd_cin_plans', 'cinp_cin_plan_end_date', 0.003, 't.cinp_cin_plan_end_date IS NOT NULL',
	't.cinp_cin_plan_end_date < t.cinp_cin_plan_start_date', 'end 1-30 days before start'),
('end_before_start', 'ssd_cp_plans', 'cppl_cp_plan_end_date', 0.002, 't.cppl_cp_plan_end_date IS NOT NULL',
	't.cppl_cp_plan_end_date < t.cppl_cp_plan_start_date', 'end 1-30 days before start'),
('end_before_start', 'ssd_missing', 'miss_missing_episode_end_date', 0.005, 't.miss_missing_episode_end_date IS NOT NULL',
	't.miss_missing_episode_end_date < t.miss_missing_episode_start_date', 'end 1-48 hours before start'),
('end_before_start', 'ssd_involvements', 'invo_involvement_end_date', 0.003, 't.invo_involvement_end_date >= ''1901-01-01''',
	't.invo_involvement_end_date < t.invo_involvement_start_date', 'end 1-30 days before start'),
('unknown_code', 'ssd_assessment_factors', 'cinf_assessment_factors_json', 0.005, 'true',
	't.cinf_assessment_factors_json ~ ''"(25A|3D|99)"''', '["3B","25A"]'),
('malformed_json', 'ssd_assessment_factors', 'cinf_assessment_factors_json', 0.003, 'true',
	'NOT (t.cinf_assessment_factors_json ~ ''^\[.*\]$'' AND t.cinf_assessment_factors_json !~ '''''''')', '[''3B'',''4B'']'),
('malformed_json', 'ssd_contacts', 'cont_contact_outcome_json', 0.003, 'true',
	't.cont_contact_outcome_json !~ ''\}$''', '{"NEW_REFERRAL_FLAG":"Y","EXISTING_REF'),
('malformed_json', 'ssd_s47_enquiry', 's47e_s47_outcome_json', 0.005, 'true',
	't.s47e_s47_outcome_json !~ ''\}$''', '{"NFA_FLAG":"N","LEGAL_ACTION_FLAG":"N","CP_CONF'),
('orphan_id', 'ssd_contacts', 'cont_person_id', 0.0015, 'true',
	'NOT EXISTS (SELECT 1 FROM {schema}.ssd_person x WHERE x.pers_person_id = t.cont_person_id)', 'a contact-only child missing from ssd_person'),
('orphan_id', 'ssd_cin_assessments', 'cina_referral_id', 0.002, 'true',
	'NOT EXISTS (SELECT 1 FROM {schema}.ssd_cin_episodes x WHERE x.cine_referral_id = t.cina_referral_id)', 'a referral id that no referral has'),
('orphan_id', 'ssd_cp_visits', 'cppv_cp_plan_id', 0.002, 'true',
	'NOT EXISTS (SELECT 1 FROM {schema}.ssd_cp_plans x WHERE x.cppl_cp_plan_id = t.cppv_cp_plan_id)', 'a plan id that no CP plan has'),
('orphan_id', 'ssd_cla_reviews', 'clar_cla_id', 0.002, 'true',
	'NOT EXISTS (SELECT 1 FROM {schema}.ssd_cla_episodes x WHERE x.clae_cla_id = t.clar_cla_id)', 'a cla id that no episode has'),
('orphan_id', 'ssd_involvements', 'invo_professional_id', 0.003, 'true',
	'NOT EXISTS (SELECT 1 FROM {schema}.ssd_professionals x WHERE x.prof_professional_id = t.invo_professional_id)', 'a professional id that ssd_professionals lacks'),
('duplicate_id', 'ssd_contacts', 'cont_contact_id', 0.002, 'true',
	't.cont_contact_id IN (SELECT x.cont_contact_id FROM {schema}.ssd_contacts x GROUP BY 1 HAVING count(*) > 1)', 'the same contact row twice (both rows count)'),
('na_flag', 'ssd_cp_visits', 'cppv_cp_visit_seen', 0.01, 'true',
	't.cppv_cp_visit_seen = ''NA''', 'NA'),
('na_flag', 'ssd_cla_visits', 'clav_cla_visit_seen', 0.01, 'true',
	't.clav_cla_visit_seen = ''NA''', 'NA'),
('na_flag', 'ssd_cla_reviews', 'clar_cla_review_cancelled', 0.01, 'true',
	't.clar_cla_review_cancelled = ''NA''', 'NA'),
('na_flag', 'ssd_missing', 'miss_missing_rhi_offered', 0.01, 'true',
	't.miss_missing_rhi_offered = ''NA''', 'NA'),
('na_flag', 'ssd_professionals', 'prof_agency_worker_flag', 0.02, 'true',
	't.prof_agency_worker_flag = ''NA''', 'NA');

-- A uniform draw in [0, 1) for an entity number and a salt (the generator's only source of
-- randomness).
CREATE FUNCTION @extschema@.generator_uniform(key bigint, salt bigint) RETURNS float8
AS 'MODULE_PATHNAME', 'skpi_generator_uniform'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.generator_uniform(bigint, bigint) IS
	'uniform draw in [0, 1) from hashint8extended(key, salt): the low 53 bits over 2^53; the source of randomness of generate_ssd';

-- The dates of one referral episode of a family (see src/generate.c).
CREATE TYPE @extschema@._generator_link_timing AS (nfa bool, has_a bool, a_start int, a_auth int,
	s47 bool, s47_start int, s47_end int, icpc bool, icpc_date int, cp_start int, cp_end int,
	cin_start int, cin_end int, cla_start int, cla_len int, cla_exit text, lag int, close int,
	has_next bool, next_ty text, next_r int, cat text, need text, u_src float8);
COMMENT ON TYPE @extschema@._generator_link_timing IS
	'the dates of one referral episode of a generated family, as day offsets from the window start (generate_ssd)';
CREATE FUNCTION @extschema@._generator_link(chain int, j int, ty text, r int, q float8, salt bigint,
											wk0 int, fy int, p_a float8, p_icpc float8)
RETURNS @extschema@._generator_link_timing
AS 'MODULE_PATHNAME', 'skpi_generator_link'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._generator_link(int, int, text, int, float8, bigint, int, int, float8, float8) IS
	'the model of one referral episode of generate_ssd: its dates by type (A, N, D, P, L) and the start and type of the next one';

-- The factor list of one generated assessment (see src/generate.c).
CREATE FUNCTION @extschema@._generator_factors(assessment bigint, salt bigint, with_24a bool)
RETURNS text
AS 'MODULE_PATHNAME', 'skpi_generator_factors'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._generator_factors(bigint, bigint, bool) IS
	'the inside of the SSD factor list of one assessment generated by generate_ssd ("1B","3B","16A"; empty when none)';

-- The description text generate_ssd writes in place of a code (dirty kind 'description'), by
-- skpi.code_map field, with the code it stands for.
CREATE TABLE @extschema@.generator_code_descriptions (
	field text NOT NULL,
	raw_value text NOT NULL,
	code text NOT NULL,
	PRIMARY KEY (field, raw_value)
);
COMMENT ON TABLE @extschema@.generator_code_descriptions IS
	'description text that generate_ssd writes instead of a DfE code, by code_map field (legal_status, rne, rec, cp_category, cl_accommodation, cl_activity), with the code it stands for';

INSERT INTO @extschema@.generator_code_descriptions VALUES
('legal_status', 'Interim care order', 'C1'),
('legal_status', 'Full care order', 'C2'),
('legal_status', 'Placement order granted', 'E1'),
('legal_status', 'Single period of accommodation under section 20', 'V2'),
('legal_status', 'Under police protection and in local authority accommodation', 'L1'),
('legal_status', 'Under an emergency protection order', 'L2'),
('legal_status', 'Remanded to local authority accommodation or to youth detention accommodation', 'J2'),
('rne', 'Started to be looked after', 'S'),
('rne', 'Change of legal status only', 'L'),
('rne', 'Change of placement and carer(s) only', 'P'),
('rne', 'Change of placement only (same carer(s))', 'T'),
('rne', 'Change of legal status and placement and carer(s) at the same time', 'B'),
('rne', 'Change of legal status and change of placement (same carer(s))', 'U'),
('rec', 'Episode ceases, and new episode begins on same day, for any reason', 'X1'),
('rec', 'Returned home to live with parent(s), relative(s), or other person(s) with parental responsibility', 'E4A'),
('rec', 'Left care to live with parent(s), relative(s), or other person(s) with no parental responsibility', 'E13'),
('rec', 'Adopted - application for an adoption order unopposed', 'E11'),
('rec', 'Adopted - consent dispensed with by the court', 'E12'),
('rec', 'Special guardianship order made to former foster carer(s), who was/are a relative(s) or friend(s)', 'E45'),
('rec', 'Special guardianship order made to carer(s), other than former foster carer(s), who was/are a relative(s) or friend(s)', 'E47'),
('rec', 'Child arrangements order granted', 'E41'),
('rec', 'Aged 18 (or over) and remained with current carers', 'E17'),
('rec', 'Moved into independent living arrangement and no longer looked-after: supportive accommodation', 'E5'),
('rec', 'Moved into independent living arrangement and no longer looked-after: without formalised support', 'E6'),
('rec', 'Period of being looked-after ceased for any other reason', 'E8'),
('rec', 'Accommodation on remand ended', 'E14'),
('cp_category', 'Neglect', 'NEG'),
('cp_category', 'Emotional abuse', 'EMO'),
('cp_category', 'Physical abuse', 'PHY'),
('cp_category', 'Sexual abuse', 'SAB'),
('cp_category', 'Multiple', 'MUL'),
('cl_accommodation', 'With parents or relatives', 'B'),
('cl_accommodation', 'Community home or other form of residential care', 'C'),
('cl_accommodation', 'Semi-independent, transitional accommodation', 'D'),
('cl_accommodation', 'Supported lodgings', 'E'),
('cl_accommodation', 'Ordinary lodgings, without formal support', 'K'),
('cl_accommodation', 'Residence not known', 'R'),
('cl_accommodation', 'No fixed abode/homeless', 'S'),
('cl_accommodation', 'Foyers and similar supported accommodation', 'T'),
('cl_accommodation', 'Independent living', 'U'),
('cl_accommodation', 'Emergency accommodation', 'V'),
('cl_accommodation', 'Bed and breakfast', 'W'),
('cl_accommodation', 'In custody', 'X'),
('cl_accommodation', 'Other accommodation', 'Y'),
('cl_accommodation', 'With former foster carers', 'Z'),
('cl_activity', 'Full time in higher education', 'F1'),
('cl_activity', 'Part time in higher education', 'P1'),
('cl_activity', 'Full time in education other than higher education', 'F2'),
('cl_activity', 'Part time in education other than higher education', 'P2'),
('cl_activity', 'Full time apprenticeship', 'F4'),
('cl_activity', 'Part time apprenticeship', 'P4'),
('cl_activity', 'Full time in training or employment', 'F5'),
('cl_activity', 'Part time in training or employment', 'P5'),
('cl_activity', 'Not in education, training or employment, owing to illness or disability', 'G4'),
('cl_activity', 'Not in education, training or employment, owing to other reasons', 'G5'),
('cl_activity', 'Not in education, training or employment, owing to pregnancy or parenting', 'G6');

-- The generator. Everything below runs in one PL/pgSQL function so that the catalogue rules of
-- sql/install.sql (only listed functions may be PARALLEL UNSAFE) hold.
--
-- Model, per council (all draws are hashint8extended of an entity number under a salt made of
-- the seed, the council and a draw number, so the same seed gives byte-identical rows):
--  * chains: families arriving on a jittered grid per first-referral type (A assessment then
--    closed, N child in need plan, D long-term child in need, P child protection, L looked
--    after), with a burn-in before the window long enough for each stock to be in steady state;
--  * links: up to five referral episodes per family, each after the previous one closed, with a
--    type that depends on the previous one (re-referrals, repeat CP plans, re-entries to care);
--  * children: one to four siblings per family, who share the family's episode dates;
--  * every SSD table is derived set-based from the children's episodes, then censored to what an
--    extract taken on 31 March 2020 would hold (future dates become NULL end dates or vanish).
-- Time is carried as day offsets from the window start w0 (int) until rows are written.
--
-- Two macros keep the statements readable; they are expanded once, before the council loop:
--   U(key, n)  a uniform draw in [0, 1) for entity number key and draw number n
--   WD(d, n)   day offset of the n-th weekday after day offset d (d first moved to a weekday)
--   Q(i, a, key, n)  element i of the low-discrepancy sequence frac(i * a + U(key, n))
CREATE FUNCTION @extschema@.generate_ssd(target_schema text, councils int DEFAULT 1,
										 years int DEFAULT 6, seed int DEFAULT 1)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
SET client_min_messages = warning
SET jit = off
SET default_statistics_target = 10
SET enable_memoize = off
AS $gen$
DECLARE
	w1 constant date := date '2020-03-31';
	w0 date;
	total bigint := 0;
	n bigint;
	c int;
	s text;
	work text[];
	outs text[];
	tabs text[] := ARRAY['ssd_person', 'ssd_family', 'ssd_contacts', 'ssd_cin_episodes',
		'ssd_cin_assessments', 'ssd_assessment_factors', 'ssd_cin_plans', 'ssd_s47_enquiry',
		'ssd_initial_cp_conference', 'ssd_cp_plans', 'ssd_cp_visits', 'ssd_cp_reviews',
		'ssd_cla_episodes', 'ssd_cla_placement', 'ssd_legal_status', 'ssd_cla_reviews',
		'ssd_cla_visits', 'ssd_cla_health', 'ssd_cla_care_plan', 'ssd_care_leavers',
		'ssd_missing', 'ssd_professionals', 'ssd_involvements', 'contact_decisions',
		'children_missing_education'];
	t text;
	i int;
	t0 timestamptz;
	debug bool := coalesce(current_setting('skpi.generate_debug', true), '') <> '';
	cs bigint;
BEGIN
	-- Arguments.
	IF target_schema IS NULL THEN
		RAISE EXCEPTION 'target schema must not be NULL'
			USING ERRCODE = 'null_value_not_allowed',
				  HINT = 'Pass the name of the schema to (re)create the SSD tables in, e.g. ''ssd''.';
	END IF;
	IF target_schema !~ '^[a-z_][a-z0-9_]*$' OR length(target_schema) > 63 THEN
		RAISE EXCEPTION 'invalid target schema name "%"', target_schema
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'The name must be a plain lower-case identifier of at most 63 characters: letters, digits and underscores, not starting with a digit.',
				  HINT = 'Use a name such as ''ssd'' or ''ssd_synthetic''.';
	END IF;
	IF target_schema IN ('pg_catalog', 'information_schema', 'public', '@extschema@')
	   OR target_schema LIKE 'pg\_%' THEN
		RAISE EXCEPTION 'target schema "%" is reserved', target_schema
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Generate into a schema of its own, e.g. ''ssd''.';
	END IF;
	IF councils IS NULL OR years IS NULL THEN
		RAISE EXCEPTION '% must not be NULL', CASE WHEN councils IS NULL THEN 'councils' ELSE 'years' END
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF councils < 1 OR councils > 1000 THEN
		RAISE EXCEPTION 'councils must be between 1 and 1000, not %', coalesce(councils::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF years < 1 OR years > 20 THEN
		RAISE EXCEPTION 'years must be between 1 and 20, not %', coalesce(years::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The data covers the given number of financial years ending 31 March 2020.';
	END IF;
	IF seed IS NULL THEN
		RAISE EXCEPTION 'seed must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- The population of the generated councils goes into the shared reference table: say so
	-- before any work rather than fail at the end.
	IF NOT (has_table_privilege('@extschema@.population', 'INSERT')
			AND has_table_privilege('@extschema@.population', 'DELETE')) THEN
		RAISE EXCEPTION 'generate_ssd needs INSERT and DELETE on @extschema@.population, which % does not have',
			quote_ident(current_user)
			USING ERRCODE = 'insufficient_privilege',
				  HINT = 'Run it as the owner of the extension, or GRANT INSERT, DELETE ON @extschema@.population TO the role.';
	END IF;

	w0 := make_date(2020 - years, 4, 1);

	-- The working tables below hold some 50 MB per council: when this session has not used
	-- temporary tables yet, give them room in memory (temp_buffers can only change before the
	-- first use; the setting lasts until the end of the transaction).
	BEGIN
		PERFORM set_config('temp_buffers', '128MB', true);
	EXCEPTION WHEN OTHERS THEN
		NULL;
	END;

	-- Target tables: SSD names and types, plus area_code. The shapes are made as temporary
	-- tables first; a target table that already has exactly that shape is emptied (so views over
	-- it, such as the report layer's, survive), any other is dropped and created again.
	EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', target_schema);
	FOREACH t IN ARRAY tabs LOOP
		EXECUTE format('DROP TABLE IF EXISTS pg_temp.%I', '_skpi_shape_' || t);
	END LOOP;
	EXECUTE $ddl$
	CREATE TEMP TABLE _skpi_shape_ssd_person (pers_person_id text, pers_dob timestamp, pers_sex text,
		pers_ethnicity text, pers_death_date timestamp, area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_family (fami_family_id text, fami_person_id text, area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_contacts (cont_contact_id text, cont_person_id text,
		cont_contact_date timestamp, cont_contact_source_code text, cont_contact_source_desc text,
		cont_contact_outcome_json text, area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_cin_episodes (cine_referral_id text, cine_person_id text,
		cine_referral_date timestamp, cine_referral_source_code text, cine_referral_nfa varchar(2),
		cine_close_reason text, cine_close_date timestamp, cine_cin_primary_need_code text,
		area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_cin_assessments (cina_assessment_id text, cina_person_id text,
		cina_referral_id text, cina_assessment_start_date timestamp,
		cina_assessment_auth_date timestamp, cina_assessment_outcome_nfa varchar(2), area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_assessment_factors (cinf_assessment_id text,
		cinf_assessment_factors_json text, area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_cin_plans (cinp_cin_plan_id text, cinp_person_id text,
		cinp_cin_plan_start_date timestamp, cinp_cin_plan_end_date timestamp, area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_s47_enquiry (s47e_s47_enquiry_id text, s47e_person_id text,
		s47e_referral_id text, s47e_s47_start_date timestamp, s47e_s47_end_date timestamp,
		s47e_s47_nfa varchar(2), s47e_s47_outcome_json text, area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_initial_cp_conference (icpc_icpc_id text, icpc_s47_enquiry_id text,
		icpc_person_id text, icpc_icpc_date timestamp, icpc_icpc_transfer_in varchar(2),
		icpc_icpc_outcome_cp_flag varchar(2), area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_cp_plans (cppl_cp_plan_id text, cppl_person_id text,
		cppl_cp_plan_start_date timestamp, cppl_cp_plan_end_date timestamp,
		cppl_cp_plan_initial_category text, area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_cp_visits (cppv_cp_visit_id text, cppv_person_id text,
		cppv_cp_plan_id text, cppv_cp_visit_date timestamp, cppv_cp_visit_seen varchar(2),
		area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_cp_reviews (cppr_cp_review_id text, cppr_person_id text,
		cppr_cp_plan_id text, cppr_cp_review_due timestamp, cppr_cp_review_date timestamp,
		area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_cla_episodes (clae_cla_episode_id text, clae_person_id text,
		clae_cla_id text, clae_cla_episode_start_date timestamp, clae_cla_episode_start_reason text,
		clae_cla_episode_ceased_date timestamp, clae_cla_episode_ceased_reason text,
		clae_cla_placement_id text, area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_cla_placement (clap_cla_placement_id text,
		clap_cla_placement_start_date timestamp, clap_cla_placement_end_date timestamp,
		clap_cla_placement_type text, clap_cla_placement_distance float8, area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_legal_status (lega_person_id text, lega_legal_status text,
		lega_legal_status_start_date timestamp, lega_legal_status_end_date timestamp,
		area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_cla_reviews (clar_cla_review_id text, clar_cla_id text,
		clar_cla_review_due_date timestamp, clar_cla_review_date timestamp,
		clar_cla_review_cancelled varchar(2), area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_cla_visits (clav_cla_visit_id text, clav_cla_id text,
		clav_person_id text, clav_cla_visit_date timestamp, clav_cla_visit_seen varchar(2),
		area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_cla_health (clah_health_check_id text, clah_person_id text,
		clah_health_check_type text, clah_health_check_date timestamp,
		clah_health_check_status text, area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_cla_care_plan (lacp_table_id text, lacp_person_id text,
		lacp_cla_care_plan_start_date timestamp, lacp_cla_care_plan_end_date timestamp,
		lacp_cla_care_plan_json text, area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_care_leavers (clea_person_id text, clea_care_leaver_in_touch text,
		clea_care_leaver_latest_contact timestamp, clea_care_leaver_accommodation text,
		clea_care_leaver_accom_suitable varchar(2), clea_care_leaver_activity text,
		area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_missing (miss_table_id text, miss_person_id text,
		miss_missing_episode_start_date timestamp, miss_missing_episode_end_date timestamp,
		miss_missing_episode_type text, miss_missing_rhi_offered varchar(2),
		miss_missing_rhi_accepted varchar(2), area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_professionals (prof_professional_id text,
		prof_agency_worker_flag varchar(2), prof_professional_job_title text,
		prof_professional_caseload integer, prof_full_time_equivalency float8, area_code text);
	CREATE TEMP TABLE _skpi_shape_ssd_involvements (invo_involvements_id text, invo_professional_id text,
		invo_professional_role_id text, invo_person_id text, invo_involvement_start_date timestamp,
		invo_involvement_end_date timestamp, invo_worker_change_reason text, area_code text);
	CREATE TEMP TABLE _skpi_shape_contact_decisions (contact_id text, decided_at timestamp, need_level int,
		area_code text);
	CREATE TEMP TABLE _skpi_shape_children_missing_education (person_id text, start_date timestamp,
		end_date timestamp, area_code text);
	$ddl$;
	FOREACH t IN ARRAY tabs LOOP
		IF to_regclass(format('%I.%I', target_schema, t)) IS NOT NULL
		   AND (SELECT array_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum)
				FROM pg_attribute a
				WHERE a.attrelid = to_regclass(format('%I.%I', target_schema, t)) AND a.attnum > 0
				  AND NOT a.attisdropped)
			   = (SELECT array_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum)
				  FROM pg_attribute a
				  WHERE a.attrelid = to_regclass(format('pg_temp.%I', '_skpi_shape_' || t)) AND a.attnum > 0
					AND NOT a.attisdropped) THEN
			EXECUTE format('TRUNCATE %I.%I', target_schema, t);
		ELSE
			EXECUTE format('DROP TABLE IF EXISTS %I.%I', target_schema, t);
			EXECUTE format('CREATE TABLE %I.%I (LIKE pg_temp.%I)', target_schema, t, '_skpi_shape_' || t);
		END IF;
		EXECUTE format('DROP TABLE pg_temp.%I', '_skpi_shape_' || t);
	END LOOP;
	FOREACH t IN ARRAY tabs LOOP
		EXECUTE format('COMMENT ON TABLE %I.%I IS %L', target_schema, t,
			format('synthetic SSD data written by skpi.generate_ssd(%L, %s, %s, %s)',
				   target_schema, councils, years, seed));
	END LOOP;

	-- Working tables, refilled for every council.
	DROP TABLE IF EXISTS pg_temp.g_par, pg_temp.g_src, pg_temp.g_chain, pg_temp.g_link,
		pg_temp.g_cl, pg_temp.g_con, pg_temp.g_co, pg_temp.g_per, pg_temp.g_chg, pg_temp.g_ep,
		pg_temp.g_clr, pg_temp.g_pers;
	CREATE TEMP TABLE g_par (council int, area text, cs bigint, idb bigint, w0 date, d int,
		fy int, wk0 int, pf float8, m_ref float8, m_cin float8, m_cp float8, m_cla float8,
		m_con float8, p_a float8, p_icpc float8, p_dec float8, p_v2 float8, np int, nsw int,
		npa int, src_code text[], src_desc text[], src_t float8[], src_n float8[]);
	-- Contact sources (CIN census referral source codes) with the share of each source's
	-- contacts that lead to a referral: lo_t (lo_n) are the lower bounds of the source's interval
	-- of [0, 1) when a contact that reached (did not reach) the threshold picks its source; they
	-- go into g_par as arrays for width_bucket().
	CREATE TEMP TABLE g_src AS
	WITH src(ord, code, descr, share, conv) AS (VALUES
		(1, '1A', 'Individual - family member, relative or carer', 0.04, 0.40),
		(2, '1B', 'Individual - acquaintance', 0.01, 0.35),
		(3, '1C', 'Individual - self', 0.01, 0.45),
		(4, '1D', 'Individual - other', 0.01, 0.35),
		(5, '2A', 'Schools', 0.17, 0.77),
		(6, '2B', 'Education services', 0.02, 0.65),
		(7, '3A', 'Health services - GP', 0.03, 0.42),
		(8, '3B', 'Health services - health visitor', 0.03, 0.42),
		(9, '3C', 'Health services - school nurse', 0.01, 0.42),
		(10, '3D', 'Health services - other primary health services', 0.03, 0.42),
		(11, '3E', 'Health services - A&E', 0.03, 0.42),
		(12, '3F', 'Health services - other', 0.04, 0.42),
		(13, '4', 'Housing', 0.02, 0.40),
		(14, '5A', 'LA services - social care', 0.04, 0.60),
		(15, '5B', 'LA services - other internal', 0.03, 0.55),
		(16, '5C', 'LA services - external', 0.04, 0.65),
		(17, '5D', 'LA services - early help', 0.03, 0.70),
		(18, '6', 'Police', 0.30, 0.30),
		(19, '7', 'Other legal agency', 0.03, 0.50),
		(20, '8', 'Other', 0.05, 0.40),
		(21, '9', 'Anonymous', 0.02, 0.25),
		(22, '10', 'Unknown', 0.01, 0.40)),
	w AS (SELECT ord, code, descr,
				 share * conv / sum(share * conv) OVER () AS wt,
				 share * (1 - conv) / sum(share * (1 - conv)) OVER () AS wn
		  FROM src)
	SELECT ord, code, descr,
		   coalesce(sum(wt) OVER (ORDER BY ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::float8 AS lo_t,
		   coalesce(sum(wn) OVER (ORDER BY ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::float8 AS lo_n
	FROM w;
	CREATE TEMP TABLE g_chain (chain int, ty text, t0 int, fam int, dob0 int, q float8);
	CREATE TEMP TABLE g_link (chain int, j int, ty text, r int, fam int, dob0 int, q float8,
		nfa bool, has_a bool, a_start int, a_auth int, s47 bool, s47_start int, s47_end int,
		icpc bool, icpc_date int, cp_start int, cp_end int, cin_start int, cin_end int,
		cla_start int, cla_len int, cla_exit text, lag int, close int, has_next bool,
		next_ty text, next_r int, cat text, need text, u_src float8);
	CREATE TEMP TABLE g_cl (cl bigint, chain int, j int, b int, ty text, pn bigint, dob int,
		bd18 int, r int, nfa bool, has_a bool, a_start int, a_auth int, s47 bool, s47_start int,
		s47_end int, icpc bool, icpc_date int, cp_start int, cp_end int, cin_start int,
		cin_end int, cla_start int, cla_end int, cla_exit text, close int, cat text, need text,
		src int, incl bool);
	CREATE TEMP TABLE g_co (n int, pn bigint, dob int, bd18 int, t1 int, t2 int, t3 int,
		orphan bool, has_con bool);
	CREATE TEMP TABLE g_con (id bigint, pn bigint, dt int, ts timestamp, src int, thr bool,
		json text, dup bool);
	CREATE TEMP TABLE g_per (cla bigint, chain int, j int, pn bigint, dob int, bd18 int, s int,
		e int, ex text, lt int[], ls text[], adopt_pl int);
	CREATE TEMP TABLE g_chg (cla bigint, t int, pl bool, carer bool, ls text, temp bool,
		ptype text, dist float8);
	CREATE TEMP TABLE g_ep (cla bigint, pn bigint, k int, t int, t_end int, pseq int, rne text,
		ls text, ptype text, dist float8, last bool);
	CREATE TEMP TABLE g_clr (cla bigint, pn bigint, dob int);
	CREATE TEMP TABLE g_pers (pn bigint, dob int, fam bigint);

	-- The statements run for every council: work builds the working tables, outs writes the
	-- target tables (their row counts make the return value).
	work := ARRAY[
	-- Family chains: first referral of each family on a jittered grid over the window and a
	-- burn-in before it (rates are families a year for a council of 117,000 children).
	$q$
	INSERT INTO pg_temp.g_chain
	SELECT ty.idx * 200000 + g.n, ty.t, t.t0, f.fam,
		   -- the eldest child is old enough for all siblings (born about 21 months apart) to
		   -- be born by the first referral
		   t.t0 - greatest((f.fam - 1) * 650 + 160, floor(365.25 * CASE WHEN ty.t = 'D'
			   THEN 2 + 14 * U(ty.idx * 200000 + g.n, 104)
			   ELSE ag.lo + (ag.hi - ag.lo) * U(ty.idx * 200000 + g.n, 104) END)::int),
		   q.q1
	FROM pg_temp.g_par p
	CROSS JOIN (VALUES (1, 'A', 850.0, 1500), (2, 'N', 400.0, 2200), (3, 'D', 260.0, 2200),
					   (4, 'P', 190.0, 4000), (5, 'L', 130.0, 6600)) AS ty(idx, t, rate, burn)
	CROSS JOIN LATERAL (SELECT 365.25 / (ty.rate * p.pf * CASE ty.t WHEN 'A' THEN p.m_ref
		WHEN 'P' THEN p.m_cp WHEN 'L' THEN p.m_cla ELSE p.m_cin END) AS sp) sp
	CROSS JOIN LATERAL generate_series(0, floor((p.d + ty.burn) / sp.sp)::int - 1) AS g(n)
	CROSS JOIN LATERAL (SELECT -ty.burn + floor((g.n + U(ty.idx * 200000 + g.n, 101)) * sp.sp)::int AS t0,
		U(ty.idx * 200000 + g.n, 103) AS ua,
		Q(g.n, 0.6180339887498949, ty.idx * 8 + 1, 105) AS q1,
		Q(g.n, 0.7548776662466927, ty.idx, 106) AS q2,
		U(ty.idx * 200000 + g.n, 102) AS u2) t
	CROSS JOIN LATERAL (SELECT t.q1 AS q1) q
	CROSS JOIN LATERAL (SELECT CASE ty.t
		WHEN 'D' THEN 1
		WHEN 'P' THEN CASE WHEN t.q2 < 0.55 THEN 1 WHEN t.q2 < 0.85 THEN 2 WHEN t.q2 < 0.96 THEN 3 ELSE 4 END
		WHEN 'L' THEN CASE WHEN t.q2 < 0.60 THEN 1 WHEN t.q2 < 0.86 THEN 2 ELSE 3 END
		ELSE CASE WHEN t.u2 < 0.62 THEN 1 WHEN t.u2 < 0.87 THEN 2 WHEN t.u2 < 0.96 THEN 3 ELSE 4 END
		END AS fam) f
	CROSS JOIN LATERAL (SELECT
		CASE WHEN t.ua < CASE ty.t WHEN 'P' THEN 0.12 WHEN 'L' THEN 0.20 ELSE 0.08 END THEN 0
			 WHEN t.ua < CASE ty.t WHEN 'P' THEN 0.37 WHEN 'L' THEN 0.38 ELSE 0.26 END THEN 1
			 WHEN t.ua < CASE ty.t WHEN 'P' THEN 0.65 WHEN 'L' THEN 0.58 ELSE 0.52 END THEN 5
			 WHEN t.ua < CASE ty.t WHEN 'P' THEN 0.95 WHEN 'L' THEN 0.90 ELSE 0.88 END THEN 10
			 ELSE 16 END AS lo) ag0
	CROSS JOIN LATERAL (SELECT ag0.lo, CASE ag0.lo WHEN 0 THEN 1 WHEN 1 THEN 5 WHEN 5 THEN 10
		WHEN 10 THEN 16 ELSE 17.99 END AS hi) ag
	$q$
	];
	-- Links with their timing (src/generate.c, skpi_generator_link: the model of an episode):
	-- first the first link of every family, then up to four passes of follow-up links ({cand} is
	-- the set of new links).
	s := $q$
	INSERT INTO pg_temp.g_link (chain, j, ty, r, fam, dob0, q, nfa, has_a, a_start, a_auth, s47,
		s47_start, s47_end, icpc, icpc_date, cp_start, cp_end, cin_start, cin_end, cla_start,
		cla_len, cla_exit, lag, close, has_next, next_ty, next_r, cat, need, u_src)
	SELECT x.chain, x.j, x.ty, x.r, x.fam, x.dob0, x.q, (x.t).*
	FROM (SELECT c.*, @extschema@._generator_link(c.chain, c.j, c.ty, c.r, coalesce(c.q, 0), {cs}, p.wk0, p.fy,
				 p.p_a, p.p_icpc) AS t
		  FROM ({cand}) c CROSS JOIN pg_temp.g_par p
		  OFFSET 0) x
	$q$;
	work := work || replace(s, '{cand}',
		'SELECT chain, 1 AS j, ty, t0 AS r, fam, dob0, q FROM pg_temp.g_chain');
	FOR c IN 2..5 LOOP
		work := work || replace(s, '{cand}', format($q$
		SELECT l.chain, %1$s AS j, l.next_ty AS ty, l.next_r AS r, l.fam, l.dob0, NULL::float8 AS q
		FROM pg_temp.g_link l, pg_temp.g_par p2
		WHERE l.j = %1$s - 1 AND l.has_next AND l.next_r < p2.d$q$, c));
	END LOOP;

	-- Children: each link once per sibling born and under 18 on the referral date; siblings share
	-- the family's dates, cut at their own 18th birthday.
	work := array_append(work, $q$
	INSERT INTO pg_temp.g_cl
	SELECT l.chain::bigint * 32 + l.j * 4 + b.b, l.chain, l.j, b.b, l.ty,
		   10000000 + l.chain::bigint * 4 + b.b, k.dob, k.bd18, l.r, l.nfa, l.has_a, l.a_start,
		   l.a_auth, l.s47 AND l.s47_start < k.bd18, l.s47_start, l.s47_end,
		   l.icpc AND l.icpc_date < k.bd18, l.icpc_date,
		   CASE WHEN l.cp_start < k.bd18 THEN l.cp_start END,
		   CASE WHEN l.cp_start < k.bd18 THEN least(l.cp_end, k.bd18) END,
		   CASE WHEN l.cin_start < k.bd18 THEN l.cin_start END,
		   CASE WHEN l.cin_start < k.bd18 THEN least(l.cin_end, k.bd18) END,
		   CASE WHEN l.cla_start < k.bd18 THEN l.cla_start END,
		   CASE WHEN l.cla_start < k.bd18 THEN least(l.cla_start + l.cla_len, k.bd18) END,
		   CASE WHEN l.cla_start >= k.bd18 THEN NULL
				WHEN l.cla_start + l.cla_len >= k.bd18 THEN '18'
				WHEN l.cla_exit = 'adopt' AND l.cla_start - k.dob > 2900 THEN 'sgo'
				ELSE l.cla_exit END,
		   k.close, l.cat, l.need,
		   width_bucket(l.u_src, p.src_t),
		   l.r < p.d AND k.close >= 0
	FROM pg_temp.g_link l
	CROSS JOIN pg_temp.g_par p
	JOIN (VALUES (0), (1), (2), (3)) AS b(b) ON b.b < l.fam
	CROSS JOIN LATERAL (SELECT l.dob0 + CASE WHEN b.b = 0 THEN 0
		ELSE b.b * 650 + floor((U(l.chain * 4 + b.b, 301) - 0.5) * 300)::int END AS dob OFFSET 0) k0
	CROSS JOIN LATERAL (SELECT k0.dob, ((p.w0 + k0.dob) + interval '18 years')::date - p.w0 AS bd18 OFFSET 0) k1
	CROSS JOIN LATERAL (SELECT k1.dob, k1.bd18,
		CASE WHEN l.ty = 'L' AND l.cla_start < k1.bd18
			 THEN least(l.cla_start + l.cla_len, k1.bd18) + l.lag
			 ELSE least(l.close, k1.bd18) END AS close) k
	WHERE k.dob <= l.r AND l.r < k.bd18 AND (l.close >= 0 OR l.cla_start IS NOT NULL)
	$q$);

	-- Children known only through contacts that did not reach the threshold.
	work := array_append(work, $q$
	INSERT INTO pg_temp.g_co
	SELECT c.n, c.pn, c.dob, c.bd18, c.t1, c.t2, c.t3, c.orphan,
		   (c.t1 >= 0 AND c.t1 < p.d) OR (c.t2 >= 0 AND c.t2 < p.d) OR (c.t3 >= 0 AND c.t3 < p.d)
	FROM pg_temp.g_par p
	CROSS JOIN LATERAL (
	SELECT g.n, 20000000 + g.n AS pn, b.dob, b.bd18,
		   CASE WHEN t.t1 < b.bd18 THEN t.t1 END AS t1,
		   CASE WHEN t.nc >= 2 AND t.t2 < b.bd18 THEN t.t2 END AS t2,
		   CASE WHEN t.nc >= 3 AND t.t3 < b.bd18 THEN t.t3 END AS t3,
		   U(g.n, 605) < 0.003 AS orphan
	FROM (SELECT 365.25 / (3900 * p.pf * p.m_con) AS sp) sp
	CROSS JOIN LATERAL generate_series(0, floor((p.d + 400) / sp.sp)::int - 1) AS g(n)
	CROSS JOIN LATERAL (SELECT t0.t1, t0.ua, t0.nc, t0.t1 + t0.g2 AS t2, t0.t1 + t0.g2 + t0.g3 AS t3
		FROM (SELECT -400 + floor((g.n + U(g.n, 601)) * sp.sp)::int AS t1, U(g.n, 603) AS ua,
					 CASE WHEN U(g.n, 602) < 0.75 THEN 1 WHEN U(g.n, 602) < 0.93 THEN 2 ELSE 3 END AS nc,
					 20 + floor(U(g.n::bigint * 4 + 2, 606) * 400)::int AS g2,
					 20 + floor(U(g.n::bigint * 4 + 3, 606) * 400)::int AS g3 OFFSET 0) t0) t
	CROSS JOIN LATERAL (SELECT CASE WHEN t.ua < 0.08 THEN 0 WHEN t.ua < 0.26 THEN 1
		WHEN t.ua < 0.52 THEN 5 WHEN t.ua < 0.88 THEN 10 ELSE 16 END AS lo) ag0
	CROSS JOIN LATERAL (SELECT ag0.lo, CASE ag0.lo WHEN 0 THEN 1 WHEN 1 THEN 5 WHEN 5 THEN 10
		WHEN 10 THEN 16 ELSE 17.99 END AS hi) ag
	CROSS JOIN LATERAL (SELECT b0.dob, ((p.w0 + b0.dob) + interval '18 years')::date - p.w0 AS bd18
		FROM (SELECT t.t1 - floor(365.25 * (ag.lo + (ag.hi - ag.lo) * U(g.n, 604)))::int AS dob OFFSET 0) b0) b
	) c
	$q$);

	-- Contacts: one per referral (on the day or the day before), contacts about children with an
	-- open case, and contacts that did not reach the threshold.
	work := array_append(work, $q$
	INSERT INTO pg_temp.g_con
	SELECT x.id, x.pn, x.dt,
		   (p.w0 + x.dt) + (480 + floor(U(x.id, 402) * 600)::int) * interval '1 minute',
		   x.src, x.thr,
		   CASE WHEN U(x.id, 403) < 0.003 THEN left(x.json, 30 + floor(U(x.id, 404) * 30)::int)
				ELSE x.json END,
		   U(x.id, 405) < 0.001
	FROM pg_temp.g_par p
	CROSS JOIN LATERAL (
		SELECT c.cl AS id, c.pn, c.r - (U(c.cl, 401) < 0.3)::int AS dt, c.src, true AS thr,
			   CASE WHEN c.ty = 'P' OR (c.ty = 'L' AND c.s47)
					THEN '{"NEW_REFERRAL_FLAG":"Y","EXISTING_REFERRAL_FLAG":"N","CP_ENQUIRY_FLAG":"Y","NFA_FLAG":"N","ADVICE_FLAG":"N"}'
					ELSE '{"NEW_REFERRAL_FLAG":"Y","EXISTING_REFERRAL_FLAG":"N","CP_ENQUIRY_FLAG":"N","NFA_FLAG":"N","ADVICE_FLAG":"N"}' END AS json
		FROM pg_temp.g_cl c WHERE c.incl AND c.r < p.d
		UNION ALL
		SELECT 2000000000 + c.cl * 8 + i.i, c.pn,
			   w.lo + floor((i.i - 1 + U(c.cl * 8 + i.i, 411)) * (w.hi - w.lo) / w.n)::int,
			   width_bucket(U(c.cl * 8 + i.i, 412), p.src_t),
			   true,
			   '{"NEW_REFERRAL_FLAG":"N","EXISTING_REFERRAL_FLAG":"Y","CP_ENQUIRY_FLAG":"N","NFA_FLAG":"N","ADVICE_FLAG":"N"}'
		FROM pg_temp.g_cl c
		CROSS JOIN LATERAL (SELECT greatest(c.r + 30, 0) AS lo, least(c.close, p.d - 1, c.bd18 - 1) AS hi) w0
		CROSS JOIN LATERAL (SELECT w0.lo, w0.hi,
			least(7, floor(greatest(w0.hi - w0.lo, 0) / 1400.0 + U(c.cl, 410)))::int AS n) w
		JOIN (VALUES (1), (2), (3), (4), (5), (6), (7)) AS i(i) ON i.i <= w.n
		WHERE c.incl AND w.n > 0
		UNION ALL
		SELECT 4000000000 + o.n::bigint * 4 + v.i, o.pn, v.t,
			   width_bucket(U(o.n::bigint * 4 + v.i, 607), p.src_n),
			   false,
			   CASE WHEN U(o.n::bigint * 4 + v.i, 608) < 0.6
					THEN '{"NEW_REFERRAL_FLAG":"N","EXISTING_REFERRAL_FLAG":"N","CP_ENQUIRY_FLAG":"N","NFA_FLAG":"Y","ADVICE_FLAG":"N"}'
					ELSE '{"NEW_REFERRAL_FLAG":"N","EXISTING_REFERRAL_FLAG":"N","CP_ENQUIRY_FLAG":"N","NFA_FLAG":"N","ADVICE_FLAG":"Y"}' END
		FROM pg_temp.g_co o
		CROSS JOIN LATERAL (VALUES (1, o.t1), (2, o.t2), (3, o.t3)) AS v(i, t)
		WHERE o.has_con AND v.t IS NOT NULL
	) x (id, pn, dt, src, thr, json)
	WHERE x.dt >= 0 AND x.dt < p.d
	$q$);

	-- Children who appear in an extract table, with their family.
	work := array_append(work, $q$
	INSERT INTO pg_temp.g_clr
	SELECT DISTINCT ON (c.pn) c.cl, c.pn, c.dob
	FROM pg_temp.g_cl c, pg_temp.g_par p
	WHERE c.cla_exit = '18' AND c.cla_end - c.cla_start >= 91 AND c.bd18 + 30 < p.d
	  AND ((p.w0 + c.dob) + interval '25 years')::date - p.w0 >= 0
	ORDER BY c.pn, c.cl
	$q$);
	work := array_append(work, $q$
	INSERT INTO pg_temp.g_pers
	SELECT y.pn, min(y.dob), min(y.fam)
	FROM (SELECT c.pn, c.dob, 5000000000 + c.chain AS fam FROM pg_temp.g_cl c WHERE c.incl
		  UNION ALL SELECT r.pn, r.dob, 5000000000 + r.cla / 32 FROM pg_temp.g_clr r
		  UNION ALL SELECT o.pn, o.dob, 6000000000 + o.n FROM pg_temp.g_co o
		  WHERE NOT o.orphan AND o.has_con) y
	GROUP BY y.pn
	$q$);
	-- Periods of care with their legal status timeline (lt: day offsets, ls: statuses).
	work := array_append(work, $q$
	INSERT INTO pg_temp.g_per
	SELECT c.cl, c.chain, c.j, c.pn, c.dob, c.bd18, c.cla_start, c.cla_end,
		   CASE WHEN z.adopt AND z.te1 >= c.cla_end - 30 THEN 'sgo' ELSE x.ex END,
		   ARRAY(SELECT a.t FROM unnest(x.lt || CASE WHEN z.adopt AND z.te1 < c.cla_end - 30 THEN ARRAY[z.te1] ELSE '{}'::int[] END)
				 WITH ORDINALITY AS a(t, o) WHERE a.o = 1 OR a.t < c.cla_end ORDER BY a.o),
		   ARRAY(SELECT a.s FROM unnest(x.lt || CASE WHEN z.adopt AND z.te1 < c.cla_end - 30 THEN ARRAY[z.te1] ELSE '{}'::int[] END,
										x.ls || CASE WHEN z.adopt AND z.te1 < c.cla_end - 30 THEN ARRAY['E1'] ELSE '{}'::text[] END)
				 WITH ORDINALITY AS a(t, s, o) WHERE a.o = 1 OR a.t < c.cla_end ORDER BY a.o),
		   CASE WHEN z.adopt AND z.te1 < c.cla_end - 30
				THEN greatest(z.te1 + 1, c.cla_end - 60 - floor(U(c.cl, 507) * 150)::int) END
	FROM pg_temp.g_cl c
	CROSS JOIN pg_temp.g_par p
	CROSS JOIN LATERAL (SELECT U(c.cl, 501) AS u, p.p_v2 - CASE WHEN c.cla_start >= p.fy THEN 0.03 ELSE 0 END AS pv2,
		c.cla_start + 60 + floor(U(c.cl, 503) * 240)::int AS tconv,
		c.cla_start + 1 + floor(U(c.cl, 503) * 7)::int AS tepo,
		150 + floor(U(c.cl, 504) * 250)::int AS c1len OFFSET 0) a
	CROSS JOIN LATERAL (SELECT CASE WHEN a.u < a.pv2 THEN CASE WHEN U(c.cl, 502) < 0.3 THEN 'V2C' ELSE 'V2' END
		WHEN a.u < a.pv2 + 0.10 THEN 'EPO'
		WHEN a.u < a.pv2 + 0.12 AND c.cla_start - c.dob >= 3650 THEN 'J'
		ELSE 'C1' END AS path OFFSET 0) b
	CROSS JOIN LATERAL (SELECT CASE b.path
		WHEN 'V2' THEN ARRAY[c.cla_start]
		WHEN 'V2C' THEN ARRAY[c.cla_start, a.tconv, a.tconv + a.c1len]
		WHEN 'EPO' THEN ARRAY[c.cla_start, a.tepo, a.tepo + a.c1len]
		WHEN 'J' THEN ARRAY[c.cla_start]
		ELSE ARRAY[c.cla_start, c.cla_start + a.c1len] END AS lt,
		CASE b.path
		WHEN 'V2' THEN ARRAY['V2'] WHEN 'V2C' THEN ARRAY['V2', 'C1', 'C2']
		WHEN 'EPO' THEN ARRAY[CASE WHEN U(c.cl, 505) < 0.4 THEN 'L1' ELSE 'L2' END, 'C1', 'C2']
		WHEN 'J' THEN ARRAY['J2'] ELSE ARRAY['C1', 'C2'] END AS ls,
		CASE WHEN b.path IN ('V2', 'J') AND c.cla_exit = 'adopt' THEN 'home'
			 WHEN b.path = 'J' AND c.cla_exit <> '18' THEN 'remand'
			 ELSE c.cla_exit END AS ex OFFSET 0) x
	CROSS JOIN LATERAL (SELECT x.ex = 'adopt' AS adopt,
		greatest(x.lt[array_length(x.lt, 1)] + 30, c.cla_end - 200 - floor(U(c.cl, 506) * 200)::int) AS te1) z
	WHERE c.cla_start IS NOT NULL
	$q$);

	-- Change points of each period overlapping the window: start, legal status changes (some
	-- with a placement move), placement moves (early ones more often), temporary placements and
	-- the return from them, and the adoptive placement.
	work := array_append(work, $q$
	INSERT INTO pg_temp.g_chg
	SELECT x.cla, x.t, x.pl, x.carer, x.ls, x.temp,
		   CASE WHEN NOT x.pl THEN NULL
				WHEN x.kind = 'adopt' THEN CASE WHEN U(x.key, 521) < 0.7 THEN 'A5' ELSE 'A6' END
				WHEN x.temp THEN CASE WHEN U(x.key, 521) < 0.3 THEN 'T0' WHEN U(x.key, 521) < 0.4 THEN 'T1'
					WHEN U(x.key, 521) < 0.6 THEN 'T2' WHEN U(x.key, 521) < 0.8 THEN 'T3' ELSE 'T4' END
				WHEN x.t - x.dob >= 5844 THEN CASE WHEN U(x.key, 521) < 0.35 THEN 'H5'
					WHEN U(x.key, 521) < 0.50 THEN 'K2'
					WHEN U(x.key, 521) < 0.88 THEN 'U' || (4 + floor(U(x.key, 522) * 3)::int)
					WHEN U(x.key, 521) < 0.93 THEN 'U' || (1 + floor(U(x.key, 522) * 3)::int) ELSE 'P2' END
				ELSE CASE WHEN U(x.key, 521) < 0.22 THEN 'U' || (1 + floor(U(x.key, 522) * 3)::int)
					WHEN U(x.key, 521) < 0.80 THEN 'U' || (4 + floor(U(x.key, 522) * 3)::int)
					WHEN U(x.key, 521) < 0.88 THEN 'K2' WHEN U(x.key, 521) < 0.92 THEN 'P1'
					WHEN U(x.key, 521) < 0.94 THEN 'S1' WHEN U(x.key, 521) < 0.96 THEN 'R2'
					WHEN U(x.key, 521) < 0.98 THEN 'Z1' ELSE 'K1' END END,
		   CASE WHEN NOT x.pl THEN NULL WHEN U(x.key, 523) < 0.03 THEN 999.9
				ELSE round((CASE WHEN U(x.key, 524) < 0.40 THEN 0.1 + 4.9 * U(x.key, 525)
					WHEN U(x.key, 524) < 0.85 THEN 5 + 15 * U(x.key, 525)
					WHEN U(x.key, 524) < 0.96 THEN 20 + 30 * U(x.key, 525)
					ELSE 50 + 130 * U(x.key, 525) END)::numeric, 1)::float8 END
	FROM pg_temp.g_par p
	CROSS JOIN LATERAL (
		SELECT e.cla, e.cla * 64 AS key, e.s AS t, true AS pl, true AS carer, e.ls[1] AS ls,
			   false AS temp, 'start' AS kind, e.dob
		FROM pg_temp.g_per e WHERE e.s < p.d AND e.e >= 0
		UNION ALL
		SELECT e.cla, e.cla * 64 + 1 + a.o, a.t, U(e.cla * 8 + a.o, 511) < 0.3, U(e.cla * 8 + a.o, 512) < 0.7,
			   a.s, false, 'legal', e.dob
		FROM pg_temp.g_per e
		CROSS JOIN LATERAL unnest(e.lt, e.ls) WITH ORDINALITY AS a(t, s, o)
		WHERE e.s < p.d AND e.e >= 0 AND a.o > 1
		UNION ALL
		SELECT m.cla, m.cla * 64 + 8 + m.i, m.t, true, m.carer, NULL, m.temp, 'move', m.dob
		FROM (SELECT e.cla, e.dob, i.i, greatest(e.s + 1, CASE WHEN i.i <= k.k1
					 THEN e.s + floor((i.i + 0.8 * (U(e.cla * 16 + i.i, 515) - 0.5)) * k.l1 / (k.k1 + 1))::int
					 ELSE e.s + 365 + floor((i.i - k.k1 + 0.8 * (U(e.cla * 16 + i.i, 515) - 0.5)) * (e.e - e.s - 365) / (k.k2 + 1))::int END) AS t,
					 U(e.cla * 16 + i.i, 516) < 0.8 AS carer, U(e.cla * 16 + i.i, 517) < 0.05 AS temp
			  FROM pg_temp.g_per e
			  CROSS JOIN LATERAL (SELECT least(365, e.e - e.s) AS l1,
				  CASE WHEN e.e - e.s <= 30 THEN 0 WHEN U(e.cla, 513) < 0.45 THEN 0 WHEN U(e.cla, 513) < 0.75 THEN 1
					   WHEN U(e.cla, 513) < 0.92 THEN 2 ELSE 3 END AS k1,
				  least(8, floor(0.3 * greatest(0, e.e - e.s - 365) / 365.0 + U(e.cla, 514)))::int AS k2) k
			  CROSS JOIN LATERAL generate_series(1, k.k1 + k.k2) AS i(i)
			  WHERE e.s < p.d AND e.e >= 0) m
		UNION ALL
		SELECT m.cla, m.cla * 64 + 24 + m.i, m.t + 1 + floor(U(m.cla * 16 + m.i, 518) * 14)::int, true,
			   U(m.cla * 16 + m.i, 519) < 0.5, NULL, false, 'return', m.dob
		FROM (SELECT e.cla, e.dob, i.i, greatest(e.s + 1, CASE WHEN i.i <= k.k1
					 THEN e.s + floor((i.i + 0.8 * (U(e.cla * 16 + i.i, 515) - 0.5)) * k.l1 / (k.k1 + 1))::int
					 ELSE e.s + 365 + floor((i.i - k.k1 + 0.8 * (U(e.cla * 16 + i.i, 515) - 0.5)) * (e.e - e.s - 365) / (k.k2 + 1))::int END) AS t
			  FROM pg_temp.g_per e
			  CROSS JOIN LATERAL (SELECT least(365, e.e - e.s) AS l1,
				  CASE WHEN e.e - e.s <= 30 THEN 0 WHEN U(e.cla, 513) < 0.45 THEN 0 WHEN U(e.cla, 513) < 0.75 THEN 1
					   WHEN U(e.cla, 513) < 0.92 THEN 2 ELSE 3 END AS k1,
				  least(8, floor(0.3 * greatest(0, e.e - e.s - 365) / 365.0 + U(e.cla, 514)))::int AS k2) k
			  CROSS JOIN LATERAL generate_series(1, k.k1 + k.k2) AS i(i)
			  WHERE e.s < p.d AND e.e >= 0 AND U(e.cla * 16 + i.i, 517) < 0.05) m
		UNION ALL
		SELECT e.cla, e.cla * 64 + 40, e.adopt_pl, true, true, NULL, false, 'adopt', e.dob
		FROM pg_temp.g_per e WHERE e.s < p.d AND e.e >= 0 AND e.adopt_pl IS NOT NULL
	) x
	JOIN pg_temp.g_per e ON e.cla = x.cla
	WHERE x.t >= e.s AND x.t < e.e AND x.t < p.d AND (x.t > e.s OR x.kind = 'start')
	$q$);

	-- Episodes: change points on the same day merged; reason for new episode from what changed.
	work := array_append(work, $q$
	INSERT INTO pg_temp.g_ep
	SELECT z.cla, z.pn, z.k, z.t, z.t_end, z.pseq,
		   CASE WHEN z.k = 1 THEN 'S'
				WHEN z.ls IS DISTINCT FROM z.prev_ls THEN CASE WHEN z.pl AND z.carer THEN 'B' WHEN z.pl THEN 'U' ELSE 'L' END
				WHEN z.carer THEN 'P' ELSE 'T' END,
		   z.ls, z.ptype, z.dist, z.t_end IS NULL OR z.k = z.nk
	FROM (
		SELECT y.*, lag(y.ls) OVER (PARTITION BY y.cla ORDER BY y.t) AS prev_ls
		FROM (
			SELECT g.cla, e.pn, g.t, g.pl, g.carer, g.ptype, g.dist,
				   row_number() OVER w AS k, count(*) OVER (PARTITION BY g.cla) AS nk,
				   coalesce(lead(g.t) OVER w, CASE WHEN e.e < p.d THEN e.e END) AS t_end,
				   count(*) FILTER (WHERE g.pl) OVER w AS pseq,
				   (SELECT a.s FROM unnest(e.lt, e.ls) AS a(t, s) WHERE a.t <= g.t ORDER BY a.t DESC LIMIT 1) AS ls
			FROM (SELECT h.cla, h.t, bool_or(h.pl) AS pl, bool_or(h.carer) AS carer,
						 max(h.ptype) AS ptype, max(h.dist) AS dist
				  FROM pg_temp.g_chg h GROUP BY h.cla, h.t) g
			JOIN pg_temp.g_per e ON e.cla = g.cla
			CROSS JOIN pg_temp.g_par p
			WINDOW w AS (PARTITION BY g.cla ORDER BY g.t)) y) z
	$q$);
	work := array_append(work, $q$
	DELETE FROM @extschema@.population x USING pg_temp.g_par p WHERE x.area_code = p.area
	$q$);
	-- Target tables. Ids are numbers as text, unique per council (council x 10^10 + a number).
	outs := ARRAY[
	$q$
	INSERT INTO {s}.ssd_person
	SELECT (p.idb + x.pn)::text,
		   CASE WHEN U(x.pn, 622) < 0.002 THEN timestamp '1900-01-01'
				WHEN U(x.pn, 622) < 0.004 THEN NULL
				ELSE (p.w0 + x.dob)::timestamp END,
		   CASE WHEN U(x.pn, 620) < 0.51 THEN 'M' WHEN U(x.pn, 620) < 0.997 THEN 'F' ELSE 'U' END,
		   CASE WHEN e.u < 0.740 THEN 'WBRI' WHEN e.u < 0.745 THEN 'WIRI' WHEN e.u < 0.775 THEN 'WOTH'
				WHEN e.u < 0.780 THEN 'WROM' WHEN e.u < 0.810 THEN 'MWBC' WHEN e.u < 0.820 THEN 'MWBA'
				WHEN e.u < 0.830 THEN 'MWAS' WHEN e.u < 0.850 THEN 'MOTH' WHEN e.u < 0.870 THEN 'AIND'
				WHEN e.u < 0.900 THEN 'APKN' WHEN e.u < 0.905 THEN 'ABAN' WHEN e.u < 0.915 THEN 'AOTH'
				WHEN e.u < 0.925 THEN 'BCRB' WHEN e.u < 0.935 THEN 'BAFR' WHEN e.u < 0.940 THEN 'BOTH'
				WHEN e.u < 0.942 THEN 'CHNE' WHEN e.u < 0.952 THEN 'OOTH' WHEN e.u < 0.957 THEN 'REFU'
				ELSE 'NOBT' END,
		   CASE WHEN U(x.pn, 623) < 0.0005 THEN (p.w0 + (p.d - 1 - floor(U(x.pn, 624) * 300)::int))::timestamp END,
		   p.area
	FROM pg_temp.g_par p
	CROSS JOIN pg_temp.g_pers x
	CROSS JOIN LATERAL (SELECT U(x.pn, 621) AS u) e
	$q$,
	$q$
	INSERT INTO {s}.ssd_family
	SELECT (p.idb + y.fam)::text, (p.idb + y.pn)::text, p.area
	FROM pg_temp.g_par p CROSS JOIN pg_temp.g_pers y
	WHERE y.fam < 6000000000
	$q$,
	$q$
	INSERT INTO {s}.ssd_contacts
	SELECT (p.idb + x.id)::text, (p.idb + x.pn)::text, x.ts, p.src_code[x.src], p.src_desc[x.src],
		   x.json, p.area
	FROM pg_temp.g_par p
	CROSS JOIN (SELECT * FROM pg_temp.g_con UNION ALL SELECT * FROM pg_temp.g_con WHERE dup) x
	$q$,
	$q$
	INSERT INTO {s}.contact_decisions
	SELECT (p.idb + x.id)::text,
		   CASE WHEN k.k = 0 THEN x.ts + (20 + floor(U(x.id, 421) * 280)::int) * interval '1 minute'
				ELSE (p.w0 + WD(x.dt, k.k))::timestamp + (540 + floor(U(x.id, 421) * 480)::int) * interval '1 minute' END,
		   CASE WHEN x.thr THEN CASE WHEN U(x.id, 422) < 0.97 THEN 4 ELSE 3 END
				WHEN U(x.id, 422) < 0.15 THEN 1 WHEN U(x.id, 422) < 0.60 THEN 2
				WHEN U(x.id, 422) < 0.97 THEN 3 ELSE 4 END,
		   p.area
	FROM pg_temp.g_par p
	CROSS JOIN pg_temp.g_con x
	CROSS JOIN LATERAL (SELECT CASE
		WHEN U(x.id, 420) < p.p_dec + CASE WHEN x.dt >= p.fy THEN 0.25 ELSE 0 END
		THEN (U(x.id, 423) < 0.4)::int ELSE 2 + floor(U(x.id, 423) * 5)::int END AS k) k
	$q$,
	$q$
	INSERT INTO {s}.ssd_cin_episodes
	SELECT (p.idb + c.cl)::text, (p.idb + c.pn)::text, (p.w0 + c.r)::timestamp, p.src_code[c.src],
		   CASE WHEN c.nfa THEN 'Y' ELSE 'N' END,
		   CASE WHEN c.close < p.d THEN CASE c.ty
				WHEN 'A' THEN CASE WHEN c.nfa OR U(c.cl, 431) < 0.6 THEN 'RC8' ELSE 'RC9' END
				WHEN 'N' THEN CASE WHEN U(c.cl, 431) < 0.70 THEN 'RC7' WHEN U(c.cl, 431) < 0.85 THEN 'RC9'
								   WHEN U(c.cl, 431) < 0.95 THEN 'RC5' ELSE 'RC3' END
				WHEN 'D' THEN CASE WHEN U(c.cl, 431) < 0.8 THEN 'RC7' ELSE 'RC6' END
				WHEN 'P' THEN CASE WHEN U(c.cl, 431) < 0.85 THEN 'RC7' ELSE 'RC5' END
				ELSE CASE c.cla_exit WHEN 'adopt' THEN 'RC1' WHEN 'sgo' THEN 'RC4' WHEN 'cao' THEN 'RC3'
								   WHEN '18' THEN 'RC6' ELSE 'RC7' END END END,
		   CASE WHEN c.close < p.d THEN (p.w0 + c.close)::timestamp
				WHEN U(c.cl, 430) < 0.05 THEN timestamp '1900-01-01' END,
		   c.need, p.area
	FROM pg_temp.g_par p CROSS JOIN pg_temp.g_cl c
	WHERE c.incl
	$q$,
	$q$
	INSERT INTO {s}.ssd_cin_assessments
	SELECT (p.idb + c.cl)::text, (p.idb + c.pn)::text,
		   (p.idb + CASE WHEN U(c.cl, 435) < 0.002 THEN 9000000000 ELSE 0 END + c.cl)::text,
		   (p.w0 + c.a_start)::timestamp,
		   CASE WHEN c.a_auth < p.d THEN (p.w0 + c.a_auth)::timestamp
				WHEN U(c.cl, 436) < 0.10 THEN timestamp '1900-01-01' END,
		   CASE WHEN c.ty = 'A' THEN 'Y' ELSE 'N' END, p.area
	FROM pg_temp.g_par p CROSS JOIN pg_temp.g_cl c
	WHERE c.incl AND c.has_a AND c.a_start < p.d AND c.a_auth >= 0
	$q$,
	$q$
	INSERT INTO {s}.ssd_assessment_factors
	SELECT (p.idb + f.cl)::text,
		   CASE WHEN U(f.cl, 466) < 0.003 THEN CASE
					WHEN U(f.cl, 467) < 0.4 THEN '[' || replace(f.codes, '"', '''') || ']'
					WHEN U(f.cl, 467) < 0.7 THEN '[' || f.codes
					ELSE f.codes || ']' END
				WHEN U(f.cl, 468) < 0.03 THEN '[' || lower(replace(f.codes, ',', ', ')) || ']'
				ELSE '[' || f.codes || ']' END,
		   p.area
	FROM pg_temp.g_par p
	CROSS JOIN LATERAL (
		-- the factors (src/generate.c, skpi_generator_factors)
		SELECT c.cl, @extschema@._generator_factors(c.cl, {cs}, c.a_auth >= p.fy) AS codes
		FROM pg_temp.g_cl c
		WHERE c.incl AND c.has_a AND c.a_auth >= 0 AND c.a_auth < p.d
		OFFSET 0
	) f0
	CROSS JOIN LATERAL (SELECT f0.cl, CASE WHEN f0.codes = '' AND U(f0.cl, 469) < 0.25 THEN '"21"'
		ELSE f0.codes END AS codes) f
	WHERE f.codes <> ''
	$q$,
	$q$
	INSERT INTO {s}.ssd_cin_plans
	SELECT (p.idb + c.cl)::text, (p.idb + c.pn)::text, (p.w0 + c.cin_start)::timestamp,
		   CASE WHEN c.cin_end < p.d THEN (p.w0 + CASE WHEN U(c.cl, 470) < 0.003
				THEN c.cin_start - 1 - floor(U(c.cl, 471) * 30)::int ELSE c.cin_end END)::timestamp END,
		   p.area
	FROM pg_temp.g_par p CROSS JOIN pg_temp.g_cl c
	WHERE c.incl AND c.cin_start < p.d AND c.cin_end >= 0
	$q$,
	$q$
	INSERT INTO {s}.ssd_s47_enquiry
	SELECT (p.idb + c.cl)::text, (p.idb + c.pn)::text, (p.w0 + c.r)::timestamp,
		   (p.w0 + c.s47_start)::timestamp,
		   CASE WHEN c.s47_end < p.d THEN (p.w0 + c.s47_end)::timestamp END,
		   CASE WHEN x.nfa THEN 'Y' ELSE 'N' END,
		   CASE WHEN U(c.cl, 476) < 0.005 THEN left(x.json, 30 + floor(U(c.cl, 477) * 30)::int) ELSE x.json END,
		   p.area
	FROM pg_temp.g_par p CROSS JOIN pg_temp.g_cl c
	CROSS JOIN LATERAL (SELECT NOT c.icpc AND (c.ty = 'A' OR U(c.cl, 475) < 0.4) AS nfa OFFSET 0) n
	CROSS JOIN LATERAL (SELECT n.nfa,
		'{"NFA_FLAG":"' || CASE WHEN n.nfa THEN 'Y' ELSE 'N' END
		|| '","LEGAL_ACTION_FLAG":"' || CASE WHEN c.ty = 'L' THEN 'Y' ELSE 'N' END
		|| '","PROV_OF_SERVICES_FLAG":"' || CASE WHEN n.nfa THEN 'N' ELSE 'Y' END
		|| '","CP_CONFERENCE_FLAG":"' || CASE WHEN c.icpc THEN 'Y' ELSE 'N' END || '"}' AS json) x
	WHERE c.incl AND c.s47 AND c.s47_start < p.d AND c.s47_end >= 0
	$q$,
	$q$
	INSERT INTO {s}.ssd_initial_cp_conference
	SELECT (p.idb + c.cl)::text, (p.idb + c.cl)::text, (p.idb + c.pn)::text,
		   (p.w0 + c.icpc_date)::timestamp,
		   CASE WHEN U(c.cl, 478) < 0.02 THEN 'Y' ELSE 'N' END,
		   CASE WHEN c.cp_start IS NOT NULL THEN 'Y' ELSE 'N' END, p.area
	FROM pg_temp.g_par p CROSS JOIN pg_temp.g_cl c
	WHERE c.incl AND c.icpc AND c.icpc_date >= 0 AND c.icpc_date < p.d
	$q$,
	$q$
	INSERT INTO {s}.ssd_cp_plans
	SELECT (p.idb + c.cl)::text, (p.idb + c.pn)::text, (p.w0 + c.cp_start)::timestamp,
		   CASE WHEN c.cp_end < p.d THEN (p.w0 + CASE WHEN U(c.cl, 480) < 0.002
				THEN c.cp_start - 1 - floor(U(c.cl, 481) * 30)::int ELSE c.cp_end END)::timestamp END,
		   CASE WHEN U(c.cl, 482) < 0.02 THEN CASE c.cat WHEN 'NEG' THEN 'Neglect'
				WHEN 'EMO' THEN 'Emotional abuse' WHEN 'PHY' THEN 'Physical abuse'
				WHEN 'SAB' THEN 'Sexual abuse' ELSE 'Multiple' END ELSE c.cat END,
		   p.area
	FROM pg_temp.g_par p CROSS JOIN pg_temp.g_cl c
	WHERE c.incl AND c.cp_start < p.d AND c.cp_end >= 0
	$q$,
	$q$
	INSERT INTO {s}.ssd_cp_visits
	SELECT (p.idb + c.cl * 128 + i.i)::text, (p.idb + c.pn)::text,
		   (p.idb + CASE WHEN U(c.cl * 128 + i.i, 488) < 0.002 THEN 9000000000 ELSE 0 END + c.cl)::text,
		   CASE WHEN U(c.cl * 128 + i.i, 487) < 0.002 THEN timestamp '1900-01-01'
				ELSE (p.w0 + v.t)::timestamp END,
		   CASE WHEN U(c.cl * 128 + i.i, 486) < 0.01 THEN 'NA'
				WHEN U(c.cl * 128 + i.i, 486) < 0.07 THEN 'N' ELSE 'Y' END,
		   p.area
	FROM pg_temp.g_par p CROSS JOIN pg_temp.g_cl c
	CROSS JOIN LATERAL generate_series(greatest(0, (0 - c.cp_start) / 12 - 1),
		least(127, (least(c.cp_end, p.d) - c.cp_start) / 12)) AS i(i)
	CROSS JOIN LATERAL (SELECT c.cp_start + 1 + 12 * i.i + floor(4 * U(c.cl * 128 + i.i, 485))::int AS t) v
	WHERE c.incl AND c.cp_start < p.d AND c.cp_end >= 0
	  AND v.t >= 0 AND v.t < p.d AND v.t < c.cp_end
	$q$,
	$q$
	INSERT INTO {s}.ssd_cp_reviews
	SELECT (p.idb + r.cl * 8 + r.i)::text, (p.idb + r.pn)::text, (p.idb + r.cl)::text,
		   (p.w0 + r.due)::timestamp,
		   CASE WHEN r.act < p.d THEN (p.w0 + r.act)::timestamp END, p.area
	FROM pg_temp.g_par p
	CROSS JOIN LATERAL (
		SELECT y.*, lag(y.act) OVER (PARTITION BY y.cl ORDER BY y.i) AS prev_act
		FROM (SELECT x.cl, x.pn, x.i, x.cp_end,
					 x.cp_start + 89 + 181 * x.i - (sum(x.e) OVER w - x.e)::int AS due,
					 x.cp_start + 89 + 181 * x.i - (sum(x.e) OVER w)::int AS act
			  FROM (SELECT c.cl, c.pn, c.cp_start, c.cp_end, i.i,
						   CASE WHEN U(c.cl * 8 + i.i, 490) < 0.93 THEN floor(U(c.cl * 8 + i.i, 491) * 10)::int
								ELSE -1 - floor(U(c.cl * 8 + i.i, 491) * 30)::int END AS e
					FROM pg_temp.g_cl c CROSS JOIN generate_series(0, 7) AS i(i)
					WHERE c.incl AND c.cp_start < p.d AND c.cp_end >= 0) x
			  WINDOW w AS (PARTITION BY x.cl ORDER BY x.i)) y) r
	WHERE r.act < r.cp_end AND r.act >= 0
	  AND (r.act < p.d OR r.prev_act IS NULL OR r.prev_act < p.d)
	$q$
	];
	outs := outs || ARRAY[
	$q$
	INSERT INTO {s}.ssd_cla_episodes
	SELECT (p.idb + x.cla * 32 + x.k)::text, (p.idb + x.pn)::text, (p.idb + x.cla)::text,
		   (p.w0 + x.t)::timestamp,
		   CASE WHEN U(x.cla * 32 + x.k, 531) < 0.02 THEN CASE x.rne
				WHEN 'S' THEN 'Started to be looked after' WHEN 'L' THEN 'Change of legal status only'
				WHEN 'P' THEN 'Change of placement and carer(s) only'
				WHEN 'T' THEN 'Change of placement only (same carer(s))'
				WHEN 'B' THEN 'Change of legal status and placement and carer(s) at the same time'
				ELSE 'Change of legal status and change of placement (same carer(s))' END
				ELSE x.rne END,
		   (p.w0 + x.t_end)::timestamp,
		   CASE WHEN x.t_end IS NULL THEN NULL
				WHEN U(x.cla * 32 + x.k, 532) < 0.02 THEN CASE WHEN NOT x.last
					THEN 'Episode ceases, and new episode begins on same day, for any reason'
					ELSE (SELECT d.raw_value FROM @extschema@.generator_code_descriptions d
						  WHERE d.field = 'rec' AND d.code = x.rec) END
				WHEN NOT x.last THEN 'X1' ELSE x.rec END,
		   (p.idb + x.cla * 32 + x.pseq)::text, p.area
	FROM pg_temp.g_par p
	CROSS JOIN LATERAL (
		SELECT ep.*, CASE per.ex
			WHEN 'home' THEN CASE WHEN U(per.cla, 533) < 0.85 THEN 'E4A' ELSE 'E13' END
			WHEN 'sgo' THEN CASE WHEN U(per.cla, 533) < 0.6 THEN 'E45' ELSE 'E47' END
			WHEN 'cao' THEN 'E41'
			WHEN 'adopt' THEN CASE WHEN U(per.cla, 533) < 0.6 THEN 'E11' ELSE 'E12' END
			WHEN '18' THEN CASE WHEN U(per.cla, 533) < 0.25 THEN 'E17' WHEN U(per.cla, 533) < 0.65 THEN 'E5'
								WHEN U(per.cla, 533) < 0.80 THEN 'E6' ELSE 'E8' END
			WHEN 'remand' THEN 'E14'
			ELSE 'E8' END AS rec
		FROM pg_temp.g_ep ep JOIN pg_temp.g_per per ON per.cla = ep.cla) x
	$q$,
	$q$
	INSERT INTO {s}.ssd_cla_placement
	SELECT (p.idb + x.cla * 32 + x.pseq)::text, (p.w0 + x.s)::timestamp, (p.w0 + x.e)::timestamp,
		   x.ptype, x.dist, p.area
	FROM pg_temp.g_par p
	CROSS JOIN LATERAL (
		SELECT ep.cla, ep.pseq, min(ep.t) AS s,
			   CASE WHEN bool_or(ep.t_end IS NULL) THEN NULL ELSE max(ep.t_end) END AS e,
			   (array_agg(ep.ptype ORDER BY ep.k))[1] AS ptype,
			   (array_agg(ep.dist ORDER BY ep.k))[1] AS dist
		FROM pg_temp.g_ep ep GROUP BY ep.cla, ep.pseq) x
	$q$,
	$q$
	INSERT INTO {s}.ssd_legal_status
	SELECT (p.idb + e.pn)::text,
		   CASE WHEN U(e.cla * 8 + a.o, 535) < 0.03
				THEN (SELECT d.raw_value FROM @extschema@.generator_code_descriptions d
					  WHERE d.field = 'legal_status' AND d.code = a.s)
				ELSE a.s END,
		   (p.w0 + a.t)::timestamp,
		   (p.w0 + CASE WHEN a.o < array_length(e.lt, 1) THEN e.lt[a.o + 1]
						WHEN e.e < p.d THEN e.e END)::timestamp,
		   p.area
	FROM pg_temp.g_par p
	CROSS JOIN pg_temp.g_per e
	CROSS JOIN LATERAL unnest(e.lt, e.ls) WITH ORDINALITY AS a(t, s, o)
	WHERE e.s < p.d AND e.e >= 0 AND a.t < p.d
	$q$,
	$q$
	INSERT INTO {s}.ssd_cla_reviews
	SELECT (p.idb + r.cla * 64 + r.i)::text,
		   (p.idb + CASE WHEN U(r.cla * 64 + r.i, 538) < 0.002 THEN 9000000000 ELSE 0 END + r.cla)::text,
		   (p.w0 + r.due)::timestamp,
		   CASE WHEN r.act >= p.d THEN NULL
				WHEN U(r.cla * 64 + r.i, 537) < 0.003 THEN timestamp '1900-01-01'
				ELSE (p.w0 + r.act)::timestamp END,
		   CASE WHEN U(r.cla * 64 + r.i, 536) < 0.01 THEN 'NA'
				WHEN U(r.cla * 64 + r.i, 536) < 0.04 THEN 'Y' ELSE 'N' END,
		   p.area
	FROM pg_temp.g_par p
	CROSS JOIN LATERAL (
		SELECT y.*, lag(y.act) OVER (PARTITION BY y.cla ORDER BY y.i) AS prev_act
		FROM (SELECT x.cla, x.e, x.i,
					 x.s + 26 + CASE WHEN x.i >= 1 THEN 89 + 181 * (x.i - 1) ELSE 0 END - (sum(x.x) OVER w - x.x)::int AS due,
					 x.s + 26 + CASE WHEN x.i >= 1 THEN 89 + 181 * (x.i - 1) ELSE 0 END - (sum(x.x) OVER w)::int AS act
			  FROM (SELECT e.cla, e.s, e.e, i.i,
						   CASE WHEN U(e.cla * 64 + i.i, 530) < 0.92 THEN floor(U(e.cla * 64 + i.i, 534) * 10)::int
								ELSE -1 - floor(U(e.cla * 64 + i.i, 534) * 30)::int END AS x
					FROM pg_temp.g_per e
					CROSS JOIN LATERAL generate_series(0, least(63, (least(e.e, p.d) - e.s) / 181 + 2)) AS i(i)
					WHERE e.s < p.d AND e.e >= 0) x
			  WINDOW w AS (PARTITION BY x.cla ORDER BY x.i)) y) r
	WHERE r.act < r.e AND r.act >= 0 AND (r.act < p.d OR r.prev_act IS NULL OR r.prev_act < p.d)
	$q$,
	$q$
	INSERT INTO {s}.ssd_cla_visits
	SELECT (p.idb + x.id)::text, (p.idb + x.cla)::text, (p.idb + x.pn)::text, (p.w0 + x.t)::timestamp,
		   CASE WHEN U(x.id, 541) < 0.01 THEN 'NA' WHEN U(x.id, 541) < 0.05 THEN 'N' ELSE 'Y' END,
		   p.area
	FROM pg_temp.g_par p
	CROSS JOIN LATERAL (
		SELECT e.cla * 256 + i.i AS id, e.cla, e.pn, e.e,
			   CASE WHEN i.i <= 12 THEN e.s + 30 * i.i + floor(16 * (U(e.cla * 256 + i.i, 540) - 0.5))::int
					ELSE e.s + 365 + 75 * (i.i - 12) + floor(28 * (U(e.cla * 256 + i.i, 540) - 0.5))::int END AS t
		FROM pg_temp.g_per e
		CROSS JOIN LATERAL generate_series(greatest(1, CASE WHEN e.s < -365 THEN 12 + (-365 - e.s) / 75 - 1 ELSE 1 END),
			least(255, CASE WHEN least(e.e, p.d) - e.s <= 365 THEN (least(e.e, p.d) - e.s) / 30 + 1
							ELSE 13 + (least(e.e, p.d) - e.s - 365) / 75 END)) AS i(i)
		WHERE e.s < p.d AND e.e >= 0
		UNION ALL
		SELECT 8000000000 + ep.cla * 32 + ep.pseq, ep.cla, ep.pn, per.e,
			   ep.t + CASE WHEN U(ep.cla * 32 + ep.pseq, 542) < 0.92 THEN floor(U(ep.cla * 32 + ep.pseq, 543) * 6)::int
						   ELSE 8 + floor(U(ep.cla * 32 + ep.pseq, 543) * 14)::int END
		FROM pg_temp.g_ep ep JOIN pg_temp.g_per per ON per.cla = ep.cla
		WHERE ep.ptype IS NOT NULL) x
	WHERE x.t >= 0 AND x.t < p.d AND x.t < x.e
	$q$,
	$q$
	INSERT INTO {s}.ssd_cla_health
	SELECT (p.idb + e.cla * 64 + i.i * 2 + k.k)::text, (p.idb + e.pn)::text,
		   CASE k.k WHEN 0 THEN 'Health assessment' ELSE 'Dental check' END,
		   (p.w0 + h.t)::timestamp,
		   CASE WHEN U(e.cla * 64 + i.i * 2 + k.k, 546) < 0.92 THEN 'Completed'
				WHEN U(e.cla * 64 + i.i * 2 + k.k, 546) < 0.96 THEN 'Refused' ELSE 'Not completed' END,
		   p.area
	FROM pg_temp.g_par p
	CROSS JOIN pg_temp.g_per e
	CROSS JOIN LATERAL generate_series(greatest(0, -e.s / 365 - 1), least(30, (least(e.e, p.d) - e.s) / 365)) AS i(i)
	CROSS JOIN (VALUES (0), (1)) AS k(k)
	CROSS JOIN LATERAL (SELECT CASE k.k
		WHEN 0 THEN e.s + 365 * i.i + CASE WHEN i.i = 0 THEN 10 + floor(U(e.cla * 64 + i.i * 2, 545) * 25)::int
			ELSE floor(U(e.cla * 64 + i.i * 2, 545) * 40)::int - 30 END
		ELSE e.s + 120 + 365 * i.i + floor(U(e.cla * 64 + i.i * 2 + 1, 545) * 60)::int END AS t) h
	WHERE e.s < p.d AND e.e >= 0 AND h.t >= 0 AND h.t < p.d AND h.t < e.e AND h.t >= e.s
	$q$,
	$q$
	INSERT INTO {s}.ssd_cla_care_plan
	SELECT (p.idb + e.cla * 32 + i.i)::text, (p.idb + e.pn)::text, (p.w0 + c.s)::timestamp,
		   CASE WHEN c.e < p.d THEN (p.w0 + c.e)::timestamp END,
		   '{"REMAINCARE":"' || CASE WHEN e.ex IN ('18', 'other') THEN 'Y' ELSE 'N' END
		   || '","RETURN1M":"N","RETURN6M":"' || CASE WHEN e.ex = 'home' THEN 'Y' ELSE 'N' END
		   || '","RETURNEVENT":"N","LIVEWITHFAM":"' || CASE WHEN e.ex IN ('sgo', 'cao') THEN 'Y' ELSE 'N' END
		   || '","ADOPTION":"' || CASE WHEN e.ex = 'adopt' THEN 'Y' ELSE 'N' END
		   || '","OTHERPLAN":"' || CASE WHEN e.ex = 'remand' THEN 'Y' ELSE 'N' END || '"}',
		   p.area
	FROM pg_temp.g_par p
	CROSS JOIN pg_temp.g_per e
	CROSS JOIN LATERAL generate_series(greatest(0, -e.s / 365 - 1), least(30, (least(e.e, p.d) - e.s) / 365)) AS i(i)
	CROSS JOIN LATERAL (SELECT e.s + 365 * i.i + floor(U(e.cla * 32 + i.i, 547) * 10)::int AS s OFFSET 0) c0
	CROSS JOIN LATERAL (SELECT c0.s, CASE WHEN c0.s + 365 < e.e THEN c0.s + 365 ELSE e.e END AS e) c
	WHERE e.s < p.d AND e.e >= 0 AND c.s < p.d AND c.s < e.e AND c.e >= 0
	$q$,
	$q$
	INSERT INTO {s}.ssd_care_leavers
	SELECT (p.idb + r.pn)::text, y.in_touch,
		   CASE WHEN U(y.key, 561) < 0.005 THEN timestamp '1900-01-01' ELSE (p.w0 + y.t)::timestamp END,
		   CASE WHEN y.accom IS NULL THEN NULL
				WHEN U(y.key, 562) < 0.03 THEN (SELECT d.raw_value FROM @extschema@.generator_code_descriptions d
												WHERE d.field = 'cl_accommodation' AND d.code = left(y.accom, 1))
				ELSE y.accom END,
		   CASE WHEN y.accom IS NULL THEN NULL WHEN right(y.accom, 1) = '1' THEN 'Y' ELSE 'N' END,
		   CASE WHEN y.activ IS NULL THEN NULL
				WHEN U(y.key, 563) < 0.03 THEN (SELECT d.raw_value FROM @extschema@.generator_code_descriptions d
												WHERE d.field = 'cl_activity' AND d.code = y.activ)
				ELSE y.activ END,
		   p.area
	FROM pg_temp.g_par p
	CROSS JOIN pg_temp.g_clr r
	CROSS JOIN LATERAL (SELECT ((p.w0 + r.dob) + interval '18 years')::date - p.w0 AS bd18,
		CASE WHEN U(r.cla, 551) < 0.75 THEN 21 ELSE 25 END AS upto,
		U(r.cla, 552) AS p1, U(r.cla, 553) AS p2, U(r.cla, 554) AS p3 OFFSET 0) b
	CROSS JOIN LATERAL generate_series(0, 30) AS i(i)
	CROSS JOIN LATERAL (SELECT r.cla * 64 + i.i AS key,
		b.bd18 + 30 + 91 * i.i + floor(U(r.cla * 64 + i.i, 550) * 30)::int - 15 AS t OFFSET 0) x
	CROSS JOIN LATERAL (SELECT x.key, x.t,
		U(x.key, 555) < 0.75 + 0.20 * b.p1 AS touch,
		U(x.key, 557) < 0.80 + 0.18 * b.p2 AS suit,
		U(x.key, 559) < 0.47 + 0.28 * b.p3 AS eet, U(x.key, 556) AS u6, U(x.key, 558) AS u8,
		U(x.key, 560) AS u0 OFFSET 0) z
	CROSS JOIN LATERAL (SELECT z.key, z.t,
		CASE WHEN z.touch THEN 'YES' WHEN z.u6 < 0.55 THEN 'NO' WHEN z.u6 < 0.75 THEN 'REFU'
			 WHEN z.u6 < 0.90 THEN 'NREQ' ELSE 'RHOM' END AS in_touch,
		CASE WHEN NOT z.touch THEN NULL
			 WHEN z.suit THEN CASE WHEN z.u8 < 0.15 THEN 'B' WHEN z.u8 < 0.25 AND z.t - r.dob < 7670 THEN 'Z'
				WHEN z.u8 < 0.45 THEN 'D' WHEN z.u8 < 0.55 THEN 'E' WHEN z.u8 < 0.85 THEN 'U'
				WHEN z.u8 < 0.90 THEN 'C' WHEN z.u8 < 0.95 THEN 'T' ELSE 'Y' END || '1'
			 ELSE CASE WHEN z.u8 < 0.12 THEN 'W' WHEN z.u8 < 0.37 THEN 'S' WHEN z.u8 < 0.52 THEN 'V'
				WHEN z.u8 < 0.67 THEN 'X' WHEN z.u8 < 0.80 THEN 'K' WHEN z.u8 < 0.90 THEN 'R' ELSE 'Y' END || '2'
			 END AS accom,
		CASE WHEN NOT z.touch THEN NULL
			 WHEN z.eet THEN CASE WHEN z.u0 < 0.8 THEN 'F' ELSE 'P' END
				|| CASE WHEN U(z.key, 564) < 0.15 THEN '1' WHEN U(z.key, 564) < 0.40 THEN '2'
						WHEN U(z.key, 564) < 0.50 THEN '4' ELSE '5' END
			 ELSE CASE WHEN z.u0 < 0.25 THEN 'G4' WHEN z.u0 < 0.80 THEN 'G5' ELSE 'G6' END END AS activ) y
	WHERE y.t >= 0 AND y.t < p.d
	  AND y.t <= ((p.w0 + r.dob) + b.upto * interval '1 year')::date - p.w0
	$q$,
	$q$
	INSERT INTO {s}.ssd_missing
	SELECT (p.idb + x.id)::text, (p.idb + x.pn)::text, x.st,
		   CASE WHEN x.en >= (p.w0 + p.d)::timestamp THEN NULL
				WHEN U(x.id, 573) < 0.005 THEN x.st - (1 + floor(U(x.id, 574) * 48)::int) * interval '1 hour'
				ELSE x.en END,
		   CASE WHEN U(x.id, 575) < 0.85 THEN 'Missing' ELSE 'Away' END,
		   x.offered,
		   CASE WHEN x.offered = 'Y' AND U(x.id, 577) < 0.55 THEN 'Y' ELSE 'N' END,
		   p.area
	FROM pg_temp.g_par p
	CROSS JOIN LATERAL (
		SELECT y.id, y.pn, (p.w0 + y.t)::timestamp + floor(U(y.id, 570) * 1440)::int * interval '1 minute' AS st,
			   (p.w0 + y.t)::timestamp + floor(U(y.id, 570) * 1440)::int * interval '1 minute'
			   + CASE WHEN U(y.id, 571) < 0.70 THEN 1 + floor(U(y.id, 572) * 23)
					  WHEN U(y.id, 571) < 0.95 THEN 24 + floor(U(y.id, 572) * 48)
					  ELSE 72 + floor(U(y.id, 572) * 168) END::int * interval '1 hour' AS en,
			   CASE WHEN U(y.id, 576) < 0.01 THEN 'NA' WHEN U(y.id, 576) < 0.91 THEN 'Y' ELSE 'N' END AS offered
		FROM (
			SELECT 3000000000 + e.cla * 32 + i.i AS id, e.pn,
				   w.lo + floor((i.i - 1 + U(e.cla * 32 + i.i, 567)) * (w.hi - w.lo) / w.n)::int AS t
			FROM pg_temp.g_per e
			CROSS JOIN LATERAL (SELECT greatest(e.s, ((p.w0 + e.dob) + interval '11 years')::date - p.w0, 0) AS lo,
				least(e.e, p.d) AS hi) w0
			CROSS JOIN LATERAL (SELECT w0.lo, w0.hi,
				least(31, floor(greatest(0, w0.hi - w0.lo) * 3.5 / 365.0 + U(e.cla, 566)))::int AS n) w
			CROSS JOIN LATERAL generate_series(1, w.n) AS i(i)
			WHERE e.s < p.d AND e.e >= 0 AND U(e.cla, 565) < 0.12 AND w.n > 0
			UNION ALL
			SELECT 1000000000 + c.cl * 8 + i.i, c.pn, c.r - 60 + floor(U(c.cl * 8 + i.i, 569) * 240)::int
			FROM pg_temp.g_cl c
			JOIN (VALUES (1), (2), (3), (4)) AS i(i) ON i.i <= 1 + floor(U(c.cl, 568) * 4)::int
			WHERE c.incl AND c.cla_start IS NULL AND c.r - c.dob >= 4018 AND U(c.cl, 567) < 0.10
		) y
		WHERE y.t >= 0 AND y.t < p.d) x
	$q$
	];

	outs := outs || ARRAY[
	$q$
	INSERT INTO {s}.ssd_involvements
	SELECT (p.idb + x.id)::text,
		   (p.idb + CASE WHEN U(x.id, 704) < 0.003 THEN p.np + 1000 + floor(U(x.id, 705) * 1000)::int
						 ELSE x.prof END)::text,
		   x.role, (p.idb + x.pn)::text,
		   (p.w0 + x.s)::timestamp,
		   CASE WHEN x.e IS NULL THEN CASE WHEN U(x.id, 708) < 0.05 THEN timestamp '1900-01-01' END
				WHEN U(x.id, 709) < 0.003 THEN (p.w0 + x.s - 1 - floor(U(x.id, 710) * 30)::int)::timestamp
				ELSE (p.w0 + x.e)::timestamp END,
		   x.reason, p.area
	FROM pg_temp.g_par p
	CROSS JOIN LATERAL (
		-- allocated social workers for each referral episode (siblings share them), changed on
		-- longer episodes (the ending involvement carries the reason)
		SELECT c.cl * 16 + i.i AS id, 1 + floor(U(c.chain::bigint * 64 + c.j * 8 + i.i, 702) * p.nsw)::int AS prof,
			   'SW' AS role, c.pn,
			   c.r + i.i * (least(c.close, p.d) - c.r) / (m.m + 1) AS s,
			   CASE WHEN i.i < m.m THEN c.r + (i.i + 1) * (least(c.close, p.d) - c.r) / (m.m + 1)
					WHEN c.close < p.d THEN c.close END AS e,
			   CASE WHEN i.i < m.m THEN CASE
					WHEN U(c.chain::bigint * 64 + c.j * 8 + i.i, 706) < 0.35 THEN 'Worker left the authority'
					WHEN U(c.chain::bigint * 64 + c.j * 8 + i.i, 706) < 0.65 THEN 'Case transferred to another team'
					WHEN U(c.chain::bigint * 64 + c.j * 8 + i.i, 706) < 0.80 THEN 'Workload reallocation'
					WHEN U(c.chain::bigint * 64 + c.j * 8 + i.i, 706) < 0.90 THEN 'Worker on long-term leave'
					ELSE 'Change of worker requested' END END AS reason
		FROM pg_temp.g_cl c
		CROSS JOIN LATERAL (SELECT least(7, floor((least(c.close, p.d) - c.r)
			/ (250 + 200 * U(c.chain::bigint * 8 + c.j, 701))))::int AS m) m
		JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7)) AS i(i) ON i.i <= m.m
		WHERE c.incl
		UNION ALL
		-- personal advisers of care leavers, from 18 to 21
		SELECT 8000000000 + r.cla, p.nsw + 1 + floor(U(r.cla, 707) * p.npa)::int, 'PA', r.pn,
			   ((p.w0 + r.dob) + interval '18 years')::date - p.w0,
			   CASE WHEN ((p.w0 + r.dob) + interval '21 years')::date - p.w0 < p.d
					THEN ((p.w0 + r.dob) + interval '21 years')::date - p.w0 END,
			   NULL
		FROM pg_temp.g_clr r) x
	WHERE (x.e IS NULL OR x.e >= 0) AND x.s < p.d
	$q$,
	$q$
	INSERT INTO {s}.ssd_professionals
	SELECT (p.idb + g.i)::text,
		   CASE WHEN U(g.i, 711) < 0.02 THEN 'NA'
				WHEN U(g.i, 712) < CASE WHEN g.i <= p.nsw THEN 0.16 WHEN g.i <= p.nsw + p.npa THEN 0.05 ELSE 0.02 END
				THEN 'Y' ELSE 'N' END,
		   CASE WHEN g.i <= p.nsw THEN CASE WHEN U(g.i, 713) < 0.65 THEN 'Social Worker'
					WHEN U(g.i, 713) < 0.90 THEN 'Senior Social Worker' ELSE 'Advanced Practitioner' END
				WHEN g.i <= p.nsw + p.npa THEN 'Personal Adviser'
				WHEN U(g.i, 713) < 0.6 THEN 'Team Manager' ELSE 'Independent Reviewing Officer' END,
		   coalesce(cl.n, 0)::int,
		   CASE WHEN U(g.i, 714) < 0.78 THEN 1.0 WHEN U(g.i, 714) < 0.88 THEN 0.8
				WHEN U(g.i, 714) < 0.95 THEN 0.6 ELSE 0.5 END,
		   p.area
	FROM pg_temp.g_par p
	CROSS JOIN LATERAL generate_series(1, p.np) AS g(i)
	-- caseload: the involvements still open on 31 March 2020 (the last worker of each open
	-- episode, the adviser of each care leaver not yet 21), as written to ssd_involvements
	LEFT JOIN (
		SELECT x.prof, count(*) AS n
		FROM (SELECT CASE WHEN U(o.id, 704) < 0.003 THEN NULL ELSE o.prof END AS prof
			  FROM pg_temp.g_par p2
			  CROSS JOIN LATERAL (
				SELECT c.cl * 16 + m.m AS id,
					   1 + floor(U(c.chain::bigint * 64 + c.j * 8 + m.m, 702) * p2.nsw)::int AS prof
				FROM pg_temp.g_cl c
				CROSS JOIN LATERAL (SELECT least(7, floor((least(c.close, p2.d) - c.r)
					/ (250 + 200 * U(c.chain::bigint * 8 + c.j, 701))))::int AS m) m
				WHERE c.incl AND c.close >= p2.d
				UNION ALL
				SELECT 8000000000 + r.cla, p2.nsw + 1 + floor(U(r.cla, 707) * p2.npa)::int
				FROM pg_temp.g_clr r
				WHERE ((p2.w0 + r.dob) + interval '18 years')::date - p2.w0 < p2.d
				  AND ((p2.w0 + r.dob) + interval '21 years')::date - p2.w0 >= p2.d) o) x
		GROUP BY x.prof) cl ON cl.prof = g.i
	$q$,
	$q$
	INSERT INTO {s}.children_missing_education
	SELECT (p.idb + x.pn)::text, (p.w0 + x.s)::timestamp,
		   CASE WHEN x.s + x.len < p.d THEN (p.w0 + x.s + x.len)::timestamp END, p.area
	FROM pg_temp.g_par p
	CROSS JOIN LATERAL (
		SELECT c.pn, c.r + floor(U(c.cl, 802) * 120)::int AS s, 15 + floor(U(c.cl, 803) * 200)::int AS len
		FROM pg_temp.g_cl c
		WHERE c.incl AND c.r - c.dob BETWEEN 1826 AND 5843 AND U(c.cl, 801) < 0.06
		UNION ALL
		SELECT o.pn, o.t1 + floor(U(o.n, 805) * 60)::int, 15 + floor(U(o.n, 806) * 200)::int
		FROM pg_temp.g_co o
		WHERE NOT o.orphan AND o.has_con AND o.t1 - o.dob BETWEEN 1826 AND 5843 AND U(o.n, 804) < 0.03) x
	WHERE x.s >= 0 AND x.s < p.d
	$q$,
	-- ONS-like mid-year estimates: about 117,000 children 0-17 for a council of size factor 1,
	-- growing slowly; they depend on the council number only.
	$q$
	INSERT INTO @extschema@.population (area_code, mid_year, age_from, age_to, population)
	SELECT p.area, y.y, a.a, a.a,
		   round(p.pf * (6350 + 20 * a.a) * (1 + 0.004 * (y.y - 2019))
				 * (1 + 0.02 * ((hashint8extended(y.y * 32 + a.a, p.council * 7919 + 17) & 9007199254740991)::float8
								/ 9007199254740992 - 0.5)))::bigint
	FROM pg_temp.g_par p
	CROSS JOIN generate_series(extract(year FROM p.w0)::int, 2020) AS y(y)
	CROSS JOIN generate_series(0, 17) AS a(a)
	$q$
	];

	-- Expand the macros and name the target schema.
	work := work || outs;
	-- Decimal literals are float8 (the draws are float8; numeric would be converted per row).
	FOR c IN 1..array_length(work, 1) LOOP
		work[c] := regexp_replace(work[c], '\m([0-9]+\.[0-9]+)\M', '\1::pg_catalog.float8', 'g');
	END LOOP;
	FOR c IN 1..array_length(work, 1) LOOP
		work[c] := regexp_replace(work[c], '\mQ\(([^(),]+),([^(),]+),([^(),]+),([^(),]+)\)',
			'(((\1) * (\2) + U(\3, \4)) - floor((\1) * (\2) + U(\3, \4)))', 'g');
		work[c] := regexp_replace(regexp_replace(replace(work[c], '{s}', format('%I', target_schema)),
			'\mU\(([^(),]+),\s*([0-9]+)\)',
			'@extschema@.generator_uniform((\1)::pg_catalog.int8, {cs} # \2)', 'g'),
			'\mWD\(([^(),]+),([^(),]+)\)',
			'((\1) + CASE WHEN ((p.wk0 + (\1)) % 7 + 7) % 7 >= 5 THEN 7 - ((p.wk0 + (\1)) % 7 + 7) % 7 ELSE 0 END + (\2) + 2 * ((CASE WHEN ((p.wk0 + (\1)) % 7 + 7) % 7 >= 5 THEN 0 ELSE ((p.wk0 + (\1)) % 7 + 7) % 7 END + (\2)) / 5))', 'g');
	END LOOP;

	FOR c IN 1..councils LOOP
		TRUNCATE pg_temp.g_par, pg_temp.g_chain, pg_temp.g_link, pg_temp.g_cl, pg_temp.g_con,
			pg_temp.g_co, pg_temp.g_per, pg_temp.g_chg, pg_temp.g_ep, pg_temp.g_clr, pg_temp.g_pers;
		-- Council parameters: council 1 is the seed report's council; the others vary a little.
		-- They depend on the council number only, not on the seed.
		INSERT INTO pg_temp.g_par
		SELECT c, 'X1' || lpad(c::text, 7, '0'),
			   hashint8extended(c, seed::bigint), c::bigint * 10000000000, w0, w1 - w0 + 1,
			   date '2019-04-01' - w0, extract(isodow FROM w0)::int - 1,
			   CASE WHEN c = 1 THEN 1 ELSE 0.90 + 0.20 * v[1] END,
			   CASE WHEN c = 1 THEN 1 ELSE 0.85 + 0.30 * v[2] END,
			   CASE WHEN c = 1 THEN 1 ELSE 0.85 + 0.30 * v[3] END,
			   CASE WHEN c = 1 THEN 1 ELSE 0.80 + 0.40 * v[4] END,
			   CASE WHEN c = 1 THEN 1 ELSE 0.80 + 0.40 * v[5] END,
			   CASE WHEN c = 1 THEN 1 ELSE 0.85 + 0.30 * v[6] END,
			   CASE WHEN c = 1 THEN 0.81 ELSE 0.74 + 0.14 * v[7] END,
			   CASE WHEN c = 1 THEN 0.76 ELSE 0.68 + 0.16 * v[8] END,
			   CASE WHEN c = 1 THEN 0.50 ELSE 0.40 + 0.20 * v[9] END,
			   0.22,
			   round(300 * CASE WHEN c = 1 THEN 1 ELSE (0.90 + 0.20 * v[1]) * (0.85 + 0.30 * v[2]) END),
			   round(190 * CASE WHEN c = 1 THEN 1 ELSE (0.90 + 0.20 * v[1]) * (0.85 + 0.30 * v[2]) END),
			   round(24 * CASE WHEN c = 1 THEN 1 ELSE (0.90 + 0.20 * v[1]) * (0.85 + 0.30 * v[2]) END),
			   (SELECT array_agg(code ORDER BY ord) FROM pg_temp.g_src),
			   (SELECT array_agg(descr ORDER BY ord) FROM pg_temp.g_src),
			   (SELECT array_agg(lo_t ORDER BY ord) FROM pg_temp.g_src),
			   (SELECT array_agg(lo_n ORDER BY ord) FROM pg_temp.g_src)
		FROM (SELECT array_agg((hashint8extended(c, 9000 + g.k) & 9007199254740991)::float8
							   / 9007199254740992 ORDER BY g.k) AS v
			  FROM generate_series(1, 9) AS g(k)) q;
		cs := hashint8extended(c, seed::bigint);
		FOR i IN 1..array_length(work, 1) LOOP
			t0 := clock_timestamp();
			-- the council's salt goes in as a constant, so that each draw's salt folds at plan time
			EXECUTE replace(work[i], '{cs}', '(' || cs::text || ')::pg_catalog.int8');
			GET DIAGNOSTICS n = ROW_COUNT;
			-- The statements that write to the target schema or to skpi.population come last.
			IF i > array_length(work, 1) - array_length(outs, 1) THEN
				total := total + n;
			END IF;
			IF debug THEN
				RAISE WARNING 'council % statement % (% rows): % ms', c, i, n,
					round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 1);
			END IF;
		END LOOP;
	END LOOP;
	FOREACH t IN ARRAY tabs LOOP
		EXECUTE format('ANALYZE %I.%I', target_schema, t);
	END LOOP;
	IF debug THEN
		FOR i IN 1..array_length(work, 1) LOOP
			RAISE WARNING 'statement %: %', i, work[i];
		END LOOP;
		RETURN total;
	END IF;
	DROP TABLE pg_temp.g_par, pg_temp.g_src, pg_temp.g_chain, pg_temp.g_link, pg_temp.g_cl,
		pg_temp.g_con, pg_temp.g_co, pg_temp.g_per, pg_temp.g_chg, pg_temp.g_ep,
		pg_temp.g_clr;
	RETURN total;
END
$gen$;
COMMENT ON FUNCTION @extschema@.generate_ssd(text, int, int, int) IS
	'creates (or replaces) the SSD tables in target_schema and fills them with deterministic synthetic data for the given number of councils and financial years ending 31 March 2020 (same seed, same rows); writes skpi.population for those councils; returns the number of rows written';
