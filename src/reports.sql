
-- ============================================================================================
-- reports: the report layer over Standard Safeguarding Dataset tables (build_reports,
-- refresh_reports, schedule_refresh), the code map's shipped rows and the RAG rule.
-- ============================================================================================

-- DfE codes and the descriptions that SSD extracts carry instead of them, per SSD column
-- (field). Each DfE code maps to itself; councils add their own descriptions.
INSERT INTO @extschema@.code_map (field, raw_value, code) VALUES
	-- legal status (SSDA903 LS)
	('legal_status', 'C1', 'C1'), ('legal_status', 'C2', 'C2'), ('legal_status', 'D1', 'D1'),
	('legal_status', 'E1', 'E1'), ('legal_status', 'J1', 'J1'), ('legal_status', 'J2', 'J2'),
	('legal_status', 'J3', 'J3'), ('legal_status', 'L1', 'L1'), ('legal_status', 'L2', 'L2'),
	('legal_status', 'L3', 'L3'), ('legal_status', 'V2', 'V2'), ('legal_status', 'V3', 'V3'),
	('legal_status', 'V4', 'V4'),
	('legal_status', 'Interim care order', 'C1'),
	('legal_status', 'Section 38', 'C1'),
	('legal_status', 'Full care order', 'C2'),
	('legal_status', 'Care order', 'C2'),
	('legal_status', 'Section 31', 'C2'),
	('legal_status', 'Freeing order', 'D1'),
	('legal_status', 'Freeing order granted', 'D1'),
	('legal_status', 'Placement order', 'E1'),
	('legal_status', 'Placement order granted', 'E1'),
	('legal_status', 'Remanded to local authority accommodation or to youth detention accommodation', 'J1'),
	('legal_status', 'Placed in local authority accommodation under PACE', 'J2'),
	('legal_status', 'Sentenced to CRO/YRO with residence requirement', 'J3'),
	('legal_status', 'Police protection', 'L1'),
	('legal_status', 'Under police protection and in local authority accommodation', 'L1'),
	('legal_status', 'Emergency protection order', 'L2'),
	('legal_status', 'Under an emergency protection order', 'L2'),
	('legal_status', 'EPO', 'L2'),
	('legal_status', 'Child assessment order', 'L3'),
	('legal_status', 'Under child assessment order and in local authority accommodation', 'L3'),
	('legal_status', 'Section 20', 'V2'),
	('legal_status', 'S20', 'V2'),
	('legal_status', 'Voluntary accommodation', 'V2'),
	('legal_status', 'Single period of accommodation under section 20', 'V2'),
	('legal_status', 'Accommodated under an agreed series of short-term breaks, when individual episodes of care are recorded', 'V3'),
	('legal_status', 'Accommodated under an agreed series of short-term breaks, when agreements are recorded', 'V4'),
	-- reason for new episode (SSDA903 RNE)
	('rne', 'S', 'S'), ('rne', 'L', 'L'), ('rne', 'P', 'P'), ('rne', 'T', 'T'), ('rne', 'B', 'B'),
	('rne', 'U', 'U'),
	('rne', 'Started to be looked after', 'S'),
	('rne', 'Change of legal status only', 'L'),
	('rne', 'Change of placement and carer(s) only', 'P'),
	('rne', 'Change of placement (but same carer(s)) only', 'T'),
	('rne', 'Change of legal status and placement and carer(s) at the same time', 'B'),
	('rne', 'Change of legal status and change of placement (but same carer(s)) at the same time', 'U'),
	('rne', 'Change of placement only (same carer(s))', 'T'),
	('rne', 'Change of legal status and change of placement (same carer(s))', 'U'),
	-- reason episode ceased (SSDA903 REC; E4 before its split into E4A and E4B)
	('rec', 'X1', 'X1'), ('rec', 'E11', 'E11'), ('rec', 'E12', 'E12'), ('rec', 'E13', 'E13'),
	('rec', 'E14', 'E14'), ('rec', 'E15', 'E15'), ('rec', 'E16', 'E16'), ('rec', 'E17', 'E17'),
	('rec', 'E2', 'E2'), ('rec', 'E3', 'E3'), ('rec', 'E4', 'E4'), ('rec', 'E4A', 'E4A'),
	('rec', 'E4B', 'E4B'), ('rec', 'E41', 'E41'), ('rec', 'E45', 'E45'), ('rec', 'E46', 'E46'),
	('rec', 'E47', 'E47'), ('rec', 'E48', 'E48'), ('rec', 'E5', 'E5'), ('rec', 'E6', 'E6'),
	('rec', 'E7', 'E7'), ('rec', 'E8', 'E8'), ('rec', 'E9', 'E9'),
	('rec', 'Episode ceases, and new episode begins on same day, for any reason', 'X1'),
	('rec', 'Adopted - application for an adoption order unopposed', 'E11'),
	('rec', 'Adopted - consent dispensed with by the court', 'E12'),
	('rec', 'Left care to live with parent(s), relative(s), or other person(s) with no parental responsibility', 'E13'),
	('rec', 'Accommodation on remand ended', 'E14'),
	('rec', 'Age assessment determined child is aged 18 or over and E5, E6 and E7 do not apply', 'E15'),
	('rec', 'Child moved abroad', 'E16'),
	('rec', 'Aged 18 (or over) and remained with current carers (inc under staying put arrangements)', 'E17'),
	('rec', 'Aged 18 (or over) and remained with current carers', 'E17'),
	('rec', 'Died', 'E2'),
	('rec', 'Care taken over by another local authority in the UK', 'E3'),
	('rec', 'Returned home to live with parent(s), relative(s), or other person(s) with parental responsibility as part of the care planning process', 'E4A'),
	('rec', 'Returned home to live with parent(s), relative(s), or other person(s) with parental responsibility which was not part of the current care planning process', 'E4B'),
	('rec', 'Returned home to live with parent(s), relative(s), or other person(s) with parental responsibility', 'E4A'),
	('rec', 'Residence order (or child arrangement order which sets out with whom the child is to live) granted', 'E41'),
	('rec', 'Child arrangements order granted', 'E41'),
	('rec', 'Special guardianship order made to former foster carer(s), who was/are a relative(s) or friend(s)', 'E45'),
	('rec', 'Special guardianship order made to former foster carer(s), other than relative(s) or friend(s)', 'E46'),
	('rec', 'Special guardianship order made to carer(s), other than former foster carer(s), who was/are a relative(s) or friend(s)', 'E47'),
	('rec', 'Special guardianship order made to carer(s), other than former foster carer(s), other than relative(s) or friend(s)', 'E48'),
	('rec', 'Moved into independent living arrangement and no longer looked-after: supportive accommodation providing formalised advice/support arrangements', 'E5'),
	('rec', 'Moved into independent living arrangement and no longer looked-after: accommodation providing no formalised advice/support arrangements', 'E6'),
	('rec', 'Moved into independent living arrangement and no longer looked-after: supportive accommodation', 'E5'),
	('rec', 'Moved into independent living arrangement and no longer looked-after: without formalised support', 'E6'),
	('rec', 'Transferred to residential care funded by adult social care services', 'E7'),
	('rec', 'Period of being looked-after ceased for any other reason', 'E8'),
	('rec', 'Sentenced to custody', 'E9'),
	-- initial category of abuse of a child protection plan (CIN census)
	('cp_category', 'NEG', 'NEG'), ('cp_category', 'PHY', 'PHY'), ('cp_category', 'EMO', 'EMO'),
	('cp_category', 'SAB', 'SAB'), ('cp_category', 'MUL', 'MUL'),
	('cp_category', 'Neglect', 'NEG'),
	('cp_category', 'Physical abuse', 'PHY'), ('cp_category', 'Physical', 'PHY'),
	('cp_category', 'Emotional abuse', 'EMO'), ('cp_category', 'Emotional', 'EMO'),
	('cp_category', 'Sexual abuse', 'SAB'), ('cp_category', 'Sexual', 'SAB'),
	('cp_category', 'Multiple', 'MUL'), ('cp_category', 'Multiple categories', 'MUL'),
	-- care leaver in touch (SSDA903 IN_TOUCH)
	('in_touch', 'YES', 'YES'), ('in_touch', 'NO', 'NO'), ('in_touch', 'DIED', 'DIED'),
	('in_touch', 'REFU', 'REFU'), ('in_touch', 'NREQ', 'NREQ'), ('in_touch', 'RHOM', 'RHOM'),
	('in_touch', 'Y', 'YES'), ('in_touch', 'N', 'NO'),
	('in_touch', 'In touch', 'YES'), ('in_touch', 'Not in touch', 'NO'),
	('in_touch', 'Young person has died', 'DIED'),
	('in_touch', 'Refuses contact', 'REFU'),
	('in_touch', 'Young person refuses contact', 'REFU'),
	('in_touch', 'No longer required', 'NREQ'),
	('in_touch', 'Local authority no longer requires contact', 'NREQ'),
	('in_touch', 'Returned home', 'RHOM'),
	('in_touch', 'Returned home to live with parents for 6 months or more', 'RHOM'),
	-- care leaver accommodation (SSDA903 ACCOM): the type letter; suffix 1 suitable, 2 not;
	-- 0 information not known
	('cl_accommodation', '0', '0'),
	('cl_accommodation', 'B', 'B'), ('cl_accommodation', 'B1', 'B'), ('cl_accommodation', 'B2', 'B'),
	('cl_accommodation', 'C', 'C'), ('cl_accommodation', 'C1', 'C'), ('cl_accommodation', 'C2', 'C'),
	('cl_accommodation', 'D', 'D'), ('cl_accommodation', 'D1', 'D'), ('cl_accommodation', 'D2', 'D'),
	('cl_accommodation', 'E', 'E'), ('cl_accommodation', 'E1', 'E'), ('cl_accommodation', 'E2', 'E'),
	('cl_accommodation', 'G', 'G'), ('cl_accommodation', 'G1', 'G'), ('cl_accommodation', 'G2', 'G'),
	('cl_accommodation', 'H', 'H'), ('cl_accommodation', 'H1', 'H'), ('cl_accommodation', 'H2', 'H'),
	('cl_accommodation', 'K', 'K'), ('cl_accommodation', 'K1', 'K'), ('cl_accommodation', 'K2', 'K'),
	('cl_accommodation', 'R', 'R'), ('cl_accommodation', 'R1', 'R'), ('cl_accommodation', 'R2', 'R'),
	('cl_accommodation', 'S', 'S'), ('cl_accommodation', 'S2', 'S'),
	('cl_accommodation', 'T', 'T'), ('cl_accommodation', 'T1', 'T'), ('cl_accommodation', 'T2', 'T'),
	('cl_accommodation', 'U', 'U'), ('cl_accommodation', 'U1', 'U'), ('cl_accommodation', 'U2', 'U'),
	('cl_accommodation', 'V', 'V'), ('cl_accommodation', 'V1', 'V'), ('cl_accommodation', 'V2', 'V'),
	('cl_accommodation', 'W', 'W'), ('cl_accommodation', 'W1', 'W'), ('cl_accommodation', 'W2', 'W'),
	('cl_accommodation', 'X', 'X'), ('cl_accommodation', 'X2', 'X'),
	('cl_accommodation', 'Y', 'Y'), ('cl_accommodation', 'Y1', 'Y'), ('cl_accommodation', 'Y2', 'Y'),
	('cl_accommodation', 'Z', 'Z'), ('cl_accommodation', 'Z1', 'Z'), ('cl_accommodation', 'Z2', 'Z'),
	('cl_accommodation', 'With parents or relatives', 'B'),
	('cl_accommodation', 'Community home or other form of residential care', 'C'),
	('cl_accommodation', 'Semi-independent, transitional accommodation and self-contained accommodation', 'D'),
	('cl_accommodation', 'Semi-independent, transitional accommodation', 'D'),
	('cl_accommodation', 'Supported lodgings', 'E'),
	('cl_accommodation', 'Gone abroad', 'G'),
	('cl_accommodation', 'Deported', 'H'),
	('cl_accommodation', 'Ordinary lodgings, without formal support', 'K'),
	('cl_accommodation', 'Residence not known', 'R'),
	('cl_accommodation', 'No fixed abode / homeless', 'S'),
	('cl_accommodation', 'No fixed abode/homeless', 'S'),
	('cl_accommodation', 'Foyers and similar supported accommodation', 'T'),
	('cl_accommodation', 'Independent living', 'U'),
	('cl_accommodation', 'Emergency accommodation', 'V'),
	('cl_accommodation', 'Bed and breakfast', 'W'),
	('cl_accommodation', 'In custody', 'X'),
	('cl_accommodation', 'Other accommodation', 'Y'),
	('cl_accommodation', 'With former foster carers', 'Z'),
	('cl_accommodation', 'Staying put', 'Z'),
	-- suitability of a care leaver's accommodation, as Y or N
	('cl_accom_suitable', 'Y', 'Y'), ('cl_accom_suitable', 'N', 'N'),
	('cl_accom_suitable', 'Yes', 'Y'), ('cl_accom_suitable', 'No', 'N'),
	('cl_accom_suitable', '1', 'Y'), ('cl_accom_suitable', '2', 'N'),
	('cl_accom_suitable', 'Suitable', 'Y'), ('cl_accom_suitable', 'Unsuitable', 'N'),
	('cl_accom_suitable', 'Not suitable', 'N'),
	-- care leaver activity (SSDA903 ACTIV; F3/P3 in older data; 0 information not known)
	('cl_activity', '0', '0'),
	('cl_activity', 'F1', 'F1'), ('cl_activity', 'P1', 'P1'), ('cl_activity', 'F2', 'F2'),
	('cl_activity', 'P2', 'P2'), ('cl_activity', 'F3', 'F3'), ('cl_activity', 'P3', 'P3'),
	('cl_activity', 'F4', 'F4'), ('cl_activity', 'P4', 'P4'), ('cl_activity', 'F5', 'F5'),
	('cl_activity', 'P5', 'P5'), ('cl_activity', 'G4', 'G4'), ('cl_activity', 'G5', 'G5'),
	('cl_activity', 'G6', 'G6'),
	('cl_activity', 'Full time in higher education', 'F1'),
	('cl_activity', 'Part time in higher education', 'P1'),
	('cl_activity', 'Full time in education other than higher education', 'F2'),
	('cl_activity', 'Part time in education other than higher education', 'P2'),
	('cl_activity', 'Full time apprenticeship', 'F4'),
	('cl_activity', 'Part time apprenticeship', 'P4'),
	('cl_activity', 'Full time training or employment', 'F5'),
	('cl_activity', 'Part time training or employment', 'P5'),
	('cl_activity', 'Full time in training or employment', 'F5'),
	('cl_activity', 'Part time in training or employment', 'P5'),
	('cl_activity', 'Not in education, employment or training - illness or disability', 'G4'),
	('cl_activity', 'Not in education, employment or training - other reasons', 'G5'),
	('cl_activity', 'Not in education, employment or training - pregnancy or parenting', 'G6'),
	('cl_activity', 'Not in education, training or employment, owing to illness or disability', 'G4'),
	('cl_activity', 'Not in education, training or employment, owing to other reasons', 'G5'),
	('cl_activity', 'Not in education, training or employment, owing to pregnancy or parenting', 'G6'),
	-- type of a missing episode (ssd_missing)
	('missing_type', 'MISSING', 'MISSING'), ('missing_type', 'AWAY', 'AWAY'),
	('missing_type', 'M', 'MISSING'), ('missing_type', 'A', 'AWAY'),
	('missing_type', 'Absent', 'AWAY'),
	('missing_type', 'Away from placement without authorisation', 'AWAY');

SELECT @extschema@._make_reference_table('@extschema@.code_map', ARRAY['field', 'raw_value']);

-- Red, amber or green for a value against a target (definitions.md §8).
CREATE FUNCTION @extschema@.rag(value float8, target float8, amber_margin float8, polarity text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF polarity IS NULL THEN
		RAISE EXCEPTION 'polarity must not be NULL'
			USING ERRCODE = '22004', HINT = 'Use higher, lower or neither.';
	END IF;
	IF polarity NOT IN ('higher', 'lower', 'neither') THEN
		RAISE EXCEPTION 'unknown polarity %', quote_literal(polarity)
			USING ERRCODE = '22023', HINT = 'Use higher, lower or neither.';
	END IF;
	IF amber_margin < 0 THEN
		RAISE EXCEPTION 'amber margin % is negative', amber_margin
			USING ERRCODE = '22023', HINT = 'The margin is a distance from the target: use 0 or more.';
	END IF;
	IF value = 'NaN' OR target = 'NaN' OR amber_margin = 'NaN' THEN
		RAISE EXCEPTION 'rag of value %, target %, margin % is undefined', value, target, amber_margin
			USING ERRCODE = '22023', HINT = 'NaN is not a value that can meet or miss a target: pass NULL for a missing value.';
	END IF;
	IF value IS NULL OR target IS NULL OR polarity = 'neither' THEN
		RETURN NULL;
	END IF;
	IF polarity = 'higher' THEN
		RETURN CASE WHEN value >= target THEN 'green'
					WHEN value >= target - coalesce(amber_margin, 0) THEN 'amber'
					ELSE 'red' END;
	END IF;
	RETURN CASE WHEN value <= target THEN 'green'
				WHEN value <= target + coalesce(amber_margin, 0) THEN 'amber'
				ELSE 'red' END;
END
$$;
COMMENT ON FUNCTION @extschema@.rag(float8, float8, float8, text) IS
	'green when value meets the target in the direction of polarity (higher or lower is better), amber when it misses by no more than amber_margin (NULL margin = 0), else red; NULL when value or target is NULL or polarity is neither; unknown polarity, a negative margin or a NaN argument raise 22023, a NULL polarity 22004';

-- The top-level fields keys of a JSON object, as json_to_record reads them into text columns,
-- or NULL (never an error) when the text is not a JSON object that the json type accepts
-- (src/reports.c). Escapes of U+0000 and of surrogates, and nesting deeper than 1,000 levels,
-- make it not one (reading such a value would fail later).
CREATE FUNCTION @extschema@._json_fields(j text, keys text[]) RETURNS text[]
AS 'MODULE_PATHNAME', 'skpi_json_fields'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._json_fields(text, text[]) IS
	'values of the top-level fields keys of a JSON object (strings unescaped, other values as written, the last of repeated keys, NULL when absent or null), or NULL when the text is not a valid JSON object (never an error); reads the outcome flags of SSD extracts';

-- The values that occur more than once, sorted and each once ('{}' when none; NULLs skipped):
-- {dedup} of _report_expand runs it over a 64-bit hash of each row's keys (src/reports.c).
CREATE FUNCTION @extschema@._duplicates_add(internal, bigint) RETURNS internal
AS 'MODULE_PATHNAME', 'skpi_duplicates_add'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._duplicates_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'skpi_duplicates_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._duplicates_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'skpi_duplicates_serialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._duplicates_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'skpi_duplicates_deserialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._duplicates_final(internal) RETURNS bigint[]
AS 'MODULE_PATHNAME', 'skpi_duplicates_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE @extschema@._duplicates(bigint) (
	SFUNC = @extschema@._duplicates_add,
	STYPE = internal,
	FINALFUNC = @extschema@._duplicates_final,
	FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = @extschema@._duplicates_combine,
	SERIALFUNC = @extschema@._duplicates_serialize,
	DESERIALFUNC = @extschema@._duplicates_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@._duplicates(bigint) IS
	'the values that occur more than once, sorted, each once (an empty array when there are none; NULLs are skipped); finds the duplicated keys of SSD extracts';

-- Membership in _duplicates' result: {dedup} tests every row's key hash against it.
CREATE FUNCTION @extschema@._sorted_has(bigint[], bigint) RETURNS boolean
AS 'MODULE_PATHNAME', 'skpi_sorted_has'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._sorted_has(bigint[], bigint) IS
	'whether the value is in the array, by binary search; the array must be one-dimensional, without NULLs and in strictly ascending order (as _duplicates returns it), which is checked once per array';

-- The SSD tables and columns the report layer reads (inputs.md); optional marks the inputs
-- from outside the SSD that are used when present.
CREATE FUNCTION @extschema@._ssd_inputs()
RETURNS TABLE (table_name text, column_name text, optional boolean)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT t.table_name, c.column_name, t.optional
FROM (VALUES
	('ssd_person', false, ARRAY['pers_person_id', 'pers_dob', 'pers_sex', 'pers_ethnicity', 'pers_death_date']),
	('ssd_family', false, ARRAY['fami_family_id', 'fami_person_id']),
	('ssd_contacts', false, ARRAY['cont_contact_id', 'cont_person_id', 'cont_contact_date',
		'cont_contact_source_code', 'cont_contact_source_desc', 'cont_contact_outcome_json']),
	('ssd_cin_episodes', false, ARRAY['cine_referral_id', 'cine_person_id', 'cine_referral_date',
		'cine_referral_source_code', 'cine_referral_nfa', 'cine_close_reason', 'cine_close_date',
		'cine_cin_primary_need_code']),
	('ssd_cin_assessments', false, ARRAY['cina_assessment_id', 'cina_person_id', 'cina_referral_id',
		'cina_assessment_start_date', 'cina_assessment_auth_date', 'cina_assessment_outcome_nfa']),
	('ssd_assessment_factors', false, ARRAY['cinf_assessment_id', 'cinf_assessment_factors_json']),
	('ssd_cin_plans', false, ARRAY['cinp_cin_plan_id', 'cinp_person_id', 'cinp_cin_plan_start_date',
		'cinp_cin_plan_end_date']),
	('ssd_s47_enquiry', false, ARRAY['s47e_s47_enquiry_id', 's47e_person_id', 's47e_referral_id',
		's47e_s47_start_date', 's47e_s47_end_date', 's47e_s47_nfa', 's47e_s47_outcome_json']),
	('ssd_initial_cp_conference', false, ARRAY['icpc_icpc_id', 'icpc_s47_enquiry_id', 'icpc_person_id',
		'icpc_icpc_date', 'icpc_icpc_transfer_in', 'icpc_icpc_outcome_cp_flag']),
	('ssd_cp_plans', false, ARRAY['cppl_cp_plan_id', 'cppl_person_id', 'cppl_cp_plan_start_date',
		'cppl_cp_plan_end_date', 'cppl_cp_plan_initial_category']),
	('ssd_cp_visits', false, ARRAY['cppv_cp_visit_id', 'cppv_person_id', 'cppv_cp_plan_id',
		'cppv_cp_visit_date', 'cppv_cp_visit_seen']),
	('ssd_cp_reviews', false, ARRAY['cppr_cp_review_id', 'cppr_person_id', 'cppr_cp_plan_id',
		'cppr_cp_review_due', 'cppr_cp_review_date']),
	('ssd_cla_episodes', false, ARRAY['clae_cla_episode_id', 'clae_person_id', 'clae_cla_id',
		'clae_cla_episode_start_date', 'clae_cla_episode_start_reason', 'clae_cla_episode_ceased_date',
		'clae_cla_episode_ceased_reason', 'clae_cla_placement_id']),
	('ssd_cla_placement', false, ARRAY['clap_cla_placement_id', 'clap_cla_placement_start_date',
		'clap_cla_placement_end_date', 'clap_cla_placement_type', 'clap_cla_placement_distance']),
	('ssd_legal_status', false, ARRAY['lega_person_id', 'lega_legal_status', 'lega_legal_status_start_date',
		'lega_legal_status_end_date']),
	('ssd_cla_reviews', false, ARRAY['clar_cla_review_id', 'clar_cla_id', 'clar_cla_review_due_date',
		'clar_cla_review_date', 'clar_cla_review_cancelled']),
	('ssd_cla_visits', false, ARRAY['clav_cla_visit_id', 'clav_cla_id', 'clav_person_id',
		'clav_cla_visit_date', 'clav_cla_visit_seen']),
	('ssd_cla_health', false, ARRAY['clah_health_check_id', 'clah_person_id', 'clah_health_check_type',
		'clah_health_check_date', 'clah_health_check_status']),
	('ssd_cla_care_plan', false, ARRAY['lacp_table_id', 'lacp_person_id', 'lacp_cla_care_plan_start_date',
		'lacp_cla_care_plan_end_date']),
	('ssd_care_leavers', false, ARRAY['clea_person_id', 'clea_care_leaver_in_touch',
		'clea_care_leaver_latest_contact', 'clea_care_leaver_accommodation',
		'clea_care_leaver_accom_suitable', 'clea_care_leaver_activity']),
	('ssd_missing', false, ARRAY['miss_table_id', 'miss_person_id', 'miss_missing_episode_start_date',
		'miss_missing_episode_end_date', 'miss_missing_episode_type', 'miss_missing_rhi_offered',
		'miss_missing_rhi_accepted']),
	('ssd_professionals', false, ARRAY['prof_professional_id', 'prof_agency_worker_flag',
		'prof_professional_job_title', 'prof_professional_caseload', 'prof_full_time_equivalency']),
	('ssd_involvements', false, ARRAY['invo_involvements_id', 'invo_professional_id',
		'invo_professional_role_id', 'invo_person_id', 'invo_involvement_start_date',
		'invo_involvement_end_date', 'invo_worker_change_reason']),
	('contact_decisions', true, ARRAY['contact_id', 'decided_at', 'need_level']),
	('children_missing_education', true, ARRAY['person_id', 'start_date', 'end_date'])
	) AS t(table_name, optional, columns)
CROSS JOIN LATERAL unnest(t.columns) AS c(column_name)
$$;
COMMENT ON FUNCTION @extschema@._ssd_inputs() IS
	'the SSD tables and columns that build_reports reads (inputs.md); optional = true for the inputs from outside the SSD used when present';

-- Expands a view template of _report_templates(): the macros {id:x} (an id as text, untouched
-- so that the planner keeps the column's statistics for joins), {t:x} (trimmed text, '' as
-- NULL), {c:x} (trimmed upper-case code), {d:x} (date, before 1901 as NULL), {f:x} (Y/N flag;
-- a bare Y or N, the usual value, is read without trimming and upper-casing it),
-- {ts:x} (a timestamp in words), {person:x} (whether person x of the row's council has a
-- usable row in ssd_person: _key_has on person_keys, false for a NULL id), {raw:x} (a timestamp
-- quoted in full, or 'is NULL': the value a missing_date rule lists), {fl:x} (JSON list of
-- plain strings), {map:field} (the code map of a field, one row per upper-case raw value),
-- {dedup:keys|order} (the rows of CTE s with copies, the number of rows of s with the same
-- keys, and copy_no, the row's place among them in order), then the names {src}, {tgt}, {area}
-- and {decisions} in one pass (so that no name is read as a macro).
--
-- {dedup} finds the keys that occur more than once and sorts only their rows: sorting every
-- row for row_number() was most of the cost of the normalisation. It looks for them among
-- 64-bit hashes of the keys with _duplicates (an array sorted once; a hash aggregate with a
-- group per key spilled to disk and cost three times as much); a hash shared by different
-- keys only sends their rows through the exact numbering below, which gives each of them
-- copy_no 1 of copies 1. Rows with a NULL key go with the duplicates, so they are numbered as
-- PARTITION BY would. The other rows are kept by _sorted_has, a binary search of that array,
-- which is an initplan's result: parallel workers can scan and check the source rows with it
-- (a hashed NOT IN subplan over the CTE kept every row in the leader; as NOT EXISTS the
-- planner, expecting many duplicates, often sorted every row for a merge join). CTE s is NOT
-- MATERIALIZED: each branch scans the source table again (its filters on the keys run before
-- the rest of the row is worked out), which is cheaper than writing every normalised row to a
-- temporary file and reading it back four times.
CREATE FUNCTION @extschema@._report_expand(template text, source_schema text, target_schema text,
										   area text, decisions text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	ws constant text := '[ \t\n\r]*';
	plain text := '"[^"\\\x01-\x1f]*"';
	list text;
	s text := template;
	parts text[];
	names text[];
	out text;
	i int;
	dm text[];
BEGIN
	list := '^' || ws || '\[' || ws || '(' || plain || ws || '(,' || ws || plain || ws || ')*)?\]' || ws || '$';

	s := regexp_replace(s, '\{id:([^{}]+)\}', '(\1)::text', 'g');
	s := regexp_replace(s, '\{t:([^{}]+)\}', 'NULLIF(btrim((\1)::text), '''')', 'g');
	s := regexp_replace(s, '\{c:([^{}]+)\}', 'NULLIF(upper(btrim((\1)::text)), '''')', 'g');
	s := regexp_replace(s, '\{d:([^{}]+)\}',
						'(CASE WHEN (\1)::timestamp >= ''1901-01-01''::timestamp THEN (\1)::timestamp::date END)', 'g');
	s := regexp_replace(s, '\{f:([^{}]+)\}',
						'(CASE (\1)::text WHEN ''Y'' THEN true WHEN ''N'' THEN false ELSE CASE upper(btrim((\1)::text)) WHEN ''Y'' THEN true WHEN ''N'' THEN false END END)', 'g');
	s := regexp_replace(s, '\{raw:([^{}]+)\}',
						'coalesce(quote_literal(to_char(\1, ''YYYY-MM-DD HH24:MI:SS'')), ''is NULL'')', 'g');
	s := regexp_replace(s, '\{person:([^{}]+)\}',
						'coalesce(@extschema@._key_has((SELECT pk.keys FROM {tgt}.person_keys pk), ({area})::text, (\1)::text), false)', 'g');
	s := regexp_replace(s, '\{ts:([^{}]+)\}',
						'(CASE WHEN (\1)::time = ''00:00'' THEN to_char(\1, ''YYYY-MM-DD'') ELSE to_char(\1, ''YYYY-MM-DD HH24:MI:SS'') END)', 'g');
	FOR dm IN SELECT x FROM regexp_matches(s, '\{dedup:([^{}|]+)\|([^{}|]+)\}', 'g') AS x LOOP
		IF dm[1] !~ '^s\.[a-z_][a-z0-9_]*(, s\.[a-z_][a-z0-9_]*)*$' THEN
			RAISE EXCEPTION 'the keys of {dedup:%|%} are not columns of s', dm[1], dm[2] USING ERRCODE = 'XX000';
		END IF;
		s := replace(s, '{dedup:' || dm[1] || '|' || dm[2] || '}', format($d$WITH dup AS (SELECT @extschema@._duplicates(%3$s) AS a FROM s)
	SELECT s.*, 1::bigint AS copy_no, 1::bigint AS copies FROM s
	WHERE (%1$s) IS NOT NULL AND NOT @extschema@._sorted_has((SELECT d.a FROM dup d), %3$s)
	UNION ALL
	SELECT s.*, row_number() OVER (PARTITION BY %1$s ORDER BY %2$s), count(*) OVER (PARTITION BY %1$s)
	FROM s WHERE NOT ((%1$s) IS NOT NULL) OR @extschema@._sorted_has((SELECT d.a FROM dup d), %3$s)$d$, dm[1], dm[2],
			(SELECT string_agg('hashtextextended((' || x.key || ')::text, ', '' ORDER BY x.n DESC) || '0' || repeat(')', count(*)::int)
			 FROM unnest(string_to_array(dm[1], ', ')) WITH ORDINALITY AS x(key, n))));
	END LOOP;
	s := regexp_replace(s, '\{map:([a-z_]+)\}',
						'(SELECT upper(btrim(cm.raw_value)) AS raw, min(upper(btrim(cm.code))) AS code FROM @extschema@.code_map cm WHERE cm.field = ''\1'' GROUP BY 1)', 'g');
	s := regexp_replace(s, '\{fl:([^{}]+)\}',
						'((\1) ~ ' || replace(quote_literal(list), '\', '\\') || ')', 'g');

	parts := regexp_split_to_array(s, '\{(src|tgt|area|decisions)\}');
	names := ARRAY(SELECT m[1] FROM regexp_matches(s, '\{(src|tgt|area|decisions)\}', 'g') AS m);
	out := parts[1];
	FOR i IN 1 .. coalesce(array_length(names, 1), 0) LOOP
		out := out || CASE names[i]
						  WHEN 'src' THEN quote_ident(source_schema)
						  WHEN 'tgt' THEN quote_ident(target_schema)
						  WHEN 'area' THEN area
						  ELSE decisions END
				   || parts[i + 1];
	END LOOP;
	RETURN out;
END
$$;
COMMENT ON FUNCTION @extschema@._report_expand(text, text, text, text, text) IS
	'expands the macros and names of a report view template (see _report_templates)';

-- The normalisation layer: for each SSD table, a materialized view checked_<name> with every
-- source row, its normalised columns, the data-quality rule that keeps it out of the measures
-- (dq_rule, dq_detail; NULL when none) and whether it is used (usable); the view n_<name> is
-- the usable rows. Materialized, the normalisation runs once per refresh, not once per use.
-- Templates are expanded by _report_expand(); needs is NULL (always), '+<input>' (only when
-- the optional input exists) or '-<input>' (only when it does not). Views are created in ord
-- order, each n_ view right after its checked_ view. usable is a CASE, not a boolean expression
-- of dq, so that the planner expects half the rows of n_ views rather than almost none (which
-- would make it pick nested loops). The CTE c that works out dq ends with OFFSET 0, a fence
-- that keeps the planner from copying the dq expression (and the subqueries in it) into each of
-- the four columns that read it.
CREATE FUNCTION @extschema@._report_templates()
RETURNS TABLE (ord int, name text, source_table text, id_column text, needs text, template text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $templates$
VALUES
(1, 'person', 'ssd_person', 'person_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.pers_person_id} AS person_id, {d:t.pers_dob} AS dob,
		{c:t.pers_sex} AS sex, {t:t.pers_ethnicity} AS ethnicity, {d:t.pers_death_date} AS death_date,
		t.pers_dob::text AS raw_dob
	FROM {src}.ssd_person t
), k AS (
	{dedup:s.area_code, s.person_id|s.dob, s.death_date, s.sex, s.ethnicity}
), c AS (
	SELECT k.*, CASE
		WHEN btrim(coalesce(k.person_id, '')) = '' THEN ARRAY['missing_id', 'pers_person_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with pers_person_id %L', k.copy_no, k.copies, k.person_id)]
		WHEN k.dob IS NULL THEN ARRAY['missing_dob', format('pers_dob %s (the person is kept; measures that need an age leave them out)', coalesce(quote_literal(k.raw_dob), 'is NULL')), 'kept']
		END AS dq
	FROM k
	OFFSET 0
)
SELECT c.area_code, c.person_id, c.dob, c.sex, c.ethnicity, c.death_date,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL OR c.dq[3] = 'kept' THEN true ELSE false END AS usable
FROM c
$v$),
(2, 'family', 'ssd_family', 'family_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.fami_family_id} AS family_id, {id:t.fami_person_id} AS person_id, {person:t.fami_person_id} AS has_person
	FROM {src}.ssd_family t
), k AS (
	{dedup:s.area_code, s.family_id, s.person_id|s.person_id}
), c AS (
	SELECT k.*, CASE
		WHEN btrim(coalesce(k.family_id, '')) = '' THEN ARRAY['missing_id', 'fami_family_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with fami_family_id %L and fami_person_id %L', k.copy_no, k.copies, k.family_id, k.person_id)]
		WHEN NOT k.has_person THEN ARRAY['orphan', format('fami_person_id %s has no usable row in ssd_person', coalesce(quote_literal(k.person_id), 'NULL'))]
		END AS dq
	FROM k
	OFFSET 0
)
SELECT c.area_code, c.family_id, c.person_id,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL THEN true ELSE false END AS usable
FROM c
$v$),
(3, 'contacts', 'ssd_contacts', 'contact_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT x.*, @extschema@._json_fields(x.raw_json, '{NEW_REFERRAL_FLAG,EXISTING_REFERRAL_FLAG,CP_ENQUIRY_FLAG,OUTCOME_NEW_REFERRAL_FLAG,OUTCOME_EXISTING_REFERRAL_FLAG,OUTCOME_CP_ENQUIRY_FLAG}') AS flags
	FROM (
		SELECT {area} AS area_code, {id:t.cont_contact_id} AS contact_id, {id:t.cont_person_id} AS person_id, {person:t.cont_person_id} AS has_person,
			{d:t.cont_contact_date} AS contact_date, {c:t.cont_contact_source_code} AS source_code,
			{t:t.cont_contact_source_desc} AS source_desc, {t:t.cont_contact_outcome_json} AS raw_json,
			(t.cont_contact_date)::timestamp AS contact_date_ts
		FROM {src}.ssd_contacts t
	) x
), k AS (
	{dedup:s.area_code, s.contact_id|s.contact_date, s.person_id, s.source_code, s.source_desc, s.raw_json}
), c AS (
	SELECT k.*, CASE
		WHEN btrim(coalesce(k.contact_id, '')) = '' THEN ARRAY['missing_id', 'cont_contact_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with cont_contact_id %L', k.copy_no, k.copies, k.contact_id)]
		WHEN k.contact_date IS NULL THEN ARRAY['missing_date', format('cont_contact_date %s', {raw:k.contact_date_ts})]
		WHEN NOT k.has_person THEN ARRAY['orphan', format('cont_person_id %s has no usable row in ssd_person', coalesce(quote_literal(k.person_id), 'NULL'))]
		WHEN k.raw_json IS NOT NULL AND k.flags IS NULL THEN ARRAY['malformed_json', format('cont_contact_outcome_json %L is not a JSON object (the contact is kept with NULL outcome flags)', left(k.raw_json, 100)), 'kept']
		END AS dq
	FROM k
	OFFSET 0
)
SELECT c.area_code, c.contact_id, c.person_id, c.contact_date, c.source_code, c.source_desc,
	{f:coalesce(c.flags[1], c.flags[4])} AS new_referral, {f:coalesce(c.flags[2], c.flags[5])} AS existing_referral,
	{f:coalesce(c.flags[3], c.flags[6])} AS cp_enquiry,
	d.decided_at, d.need_level,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL OR c.dq[3] = 'kept' THEN true ELSE false END AS usable
FROM c
LEFT JOIN {decisions} d ON d.area_code = c.area_code AND d.contact_id = c.contact_id
$v$),
(4, 'referrals', 'ssd_cin_episodes', 'referral_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.cine_referral_id} AS referral_id, {id:t.cine_person_id} AS person_id, {person:t.cine_person_id} AS has_person,
		{d:t.cine_referral_date} AS referral_date, {c:t.cine_referral_source_code} AS source_code,
		{f:t.cine_referral_nfa} AS nfa, {c:t.cine_close_reason} AS close_reason,
		{d:t.cine_close_date} AS close_date, {c:t.cine_cin_primary_need_code} AS primary_need_code,
		(t.cine_close_date)::timestamp AS close_date_ts, (t.cine_referral_date)::timestamp AS referral_date_ts
	FROM {src}.ssd_cin_episodes t
), k AS (
	{dedup:s.area_code, s.referral_id|s.referral_date, s.person_id, s.close_date, s.source_code, s.nfa, s.close_reason, s.primary_need_code}
), c AS (
	SELECT k.*, CASE
		WHEN btrim(coalesce(k.referral_id, '')) = '' THEN ARRAY['missing_id', 'cine_referral_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with cine_referral_id %L', k.copy_no, k.copies, k.referral_id)]
		WHEN k.referral_date IS NULL THEN ARRAY['missing_date', format('cine_referral_date %s', {raw:k.referral_date_ts})]
		WHEN NOT k.has_person THEN ARRAY['orphan', format('cine_person_id %s has no usable row in ssd_person', coalesce(quote_literal(k.person_id), 'NULL'))]
		WHEN k.close_date_ts < k.referral_date_ts AND k.close_date IS NOT NULL THEN ARRAY['end_before_start', format('cine_close_date %s is before cine_referral_date %s', {ts:k.close_date_ts}, {ts:k.referral_date_ts})]
		END AS dq
	FROM k
	OFFSET 0
)
SELECT c.area_code, c.referral_id, c.person_id, c.referral_date, c.source_code, c.nfa,
	c.close_reason, c.close_date, c.primary_need_code,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL THEN true ELSE false END AS usable
FROM c
$v$),
(5, 'assessments', 'ssd_cin_assessments', 'assessment_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.cina_assessment_id} AS assessment_id, {id:t.cina_person_id} AS person_id, {person:t.cina_person_id} AS has_person,
		{id:t.cina_referral_id} AS referral_id, {d:t.cina_assessment_start_date} AS start_date,
		{d:t.cina_assessment_auth_date} AS auth_date, {f:t.cina_assessment_outcome_nfa} AS outcome_nfa,
		(t.cina_assessment_auth_date)::timestamp AS auth_date_ts, (t.cina_assessment_start_date)::timestamp AS start_date_ts
	FROM {src}.ssd_cin_assessments t
), k AS (
	{dedup:s.area_code, s.assessment_id|s.start_date, s.person_id, s.auth_date, s.referral_id, s.outcome_nfa}
), c AS (
	SELECT k.*, CASE
		WHEN btrim(coalesce(k.assessment_id, '')) = '' THEN ARRAY['missing_id', 'cina_assessment_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with cina_assessment_id %L', k.copy_no, k.copies, k.assessment_id)]
		WHEN k.start_date IS NULL THEN ARRAY['missing_date', format('cina_assessment_start_date %s', {raw:k.start_date_ts})]
		WHEN NOT k.has_person THEN ARRAY['orphan', format('cina_person_id %s has no usable row in ssd_person', coalesce(quote_literal(k.person_id), 'NULL'))]
		WHEN k.auth_date_ts < k.start_date_ts AND k.auth_date IS NOT NULL THEN ARRAY['end_before_start', format('cina_assessment_auth_date %s is before cina_assessment_start_date %s', {ts:k.auth_date_ts}, {ts:k.start_date_ts})]
		WHEN k.referral_id IS NOT NULL AND r.referral_id IS NULL THEN ARRAY['orphan', format('cina_referral_id %L has no usable row in ssd_cin_episodes (the assessment is kept with referral_date NULL)', k.referral_id), 'kept']
		END AS dq, r.referral_date
	FROM k
	LEFT JOIN {tgt}.n_referrals r ON r.area_code = k.area_code AND r.referral_id = k.referral_id
	OFFSET 0
)
SELECT c.area_code, c.assessment_id, c.person_id, c.referral_id, c.start_date, c.auth_date,
	c.outcome_nfa, c.referral_date,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL OR c.dq[3] = 'kept' THEN true ELSE false END AS usable
FROM c
$v$),
(6, 'assessment_factors', 'ssd_assessment_factors', 'assessment_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT x.*, {fl:x.raw_json} AS list_ok
	FROM (
		SELECT {area} AS area_code, {id:t.cinf_assessment_id} AS assessment_id,
			{t:t.cinf_assessment_factors_json} AS raw_json
		FROM {src}.ssd_assessment_factors t
	) x
), k AS (
	{dedup:s.area_code, s.assessment_id|s.raw_json}
), v AS (
	-- the sorted codes in one C call; NULL when the list is malformed or has an unknown code
	SELECT k.*, CASE WHEN k.list_ok THEN @extschema@._factor_codes_sorted(k.raw_json) END AS sorted
	FROM k
), u AS (
	SELECT v.*,
		CASE WHEN v.sorted IS NOT NULL THEN '{}'::text[]
			 WHEN v.list_ok THEN ARRAY(
			SELECT DISTINCT x.code
			FROM (SELECT upper(btrim(m[1], E' \t\n\r')) AS code
				  FROM regexp_matches(v.raw_json, '"([^"]*)"', 'g') AS m) x
			WHERE NOT EXISTS (SELECT 1 FROM @extschema@.assessment_factors f WHERE f.code = x.code)
			ORDER BY x.code) END AS unknown_codes
	FROM v
), c AS (
	SELECT u.*, CASE
		WHEN btrim(coalesce(u.assessment_id, '')) = '' THEN ARRAY['missing_id', 'cinf_assessment_id is empty']
		WHEN u.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with cinf_assessment_id %L', u.copy_no, u.copies, u.assessment_id)]
		WHEN a.assessment_id IS NULL THEN ARRAY['orphan', format('cinf_assessment_id %L has no usable row in ssd_cin_assessments', u.assessment_id)]
		WHEN u.raw_json IS NOT NULL AND NOT u.list_ok THEN ARRAY['malformed_json', format('cinf_assessment_factors_json %L is not a JSON list of factor codes', left(u.raw_json, 100))]
		WHEN cardinality(u.unknown_codes) > 0 THEN ARRAY['unknown_code', format('cinf_assessment_factors_json %L has codes that are not in skpi.assessment_factors: %s', left(u.raw_json, 100), array_to_string(u.unknown_codes, ', '))]
		END AS dq
	FROM u LEFT JOIN {tgt}.n_assessments a ON a.area_code = u.area_code AND a.assessment_id = u.assessment_id
	OFFSET 0
)
SELECT c.area_code, c.assessment_id,
	CASE WHEN c.dq IS NOT NULL THEN NULL
		 WHEN c.raw_json IS NULL THEN '{}'::text[]
		 WHEN c.sorted IS NOT NULL THEN c.sorted
		 -- not reached while the regular expression and factor_codes agree; if they did not,
		 -- factor_codes raises its error here instead of a row passing without codes
		 ELSE ARRAY(SELECT d.x FROM (SELECT DISTINCT x FROM unnest(@extschema@.factor_codes(c.raw_json)) AS x) d
					ORDER BY d.x COLLATE "C")
		 END AS codes,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL THEN true ELSE false END AS usable
FROM c
$v$),
(7, 'cin_plans', 'ssd_cin_plans', 'plan_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.cinp_cin_plan_id} AS plan_id, {id:t.cinp_person_id} AS person_id, {person:t.cinp_person_id} AS has_person,
		{d:t.cinp_cin_plan_start_date} AS start_date, {d:t.cinp_cin_plan_end_date} AS end_date,
		(t.cinp_cin_plan_end_date)::timestamp AS end_date_ts, (t.cinp_cin_plan_start_date)::timestamp AS start_date_ts
	FROM {src}.ssd_cin_plans t
), k AS (
	{dedup:s.area_code, s.plan_id|s.start_date, s.person_id, s.end_date}
), c AS (
	SELECT k.*, CASE
		WHEN btrim(coalesce(k.plan_id, '')) = '' THEN ARRAY['missing_id', 'cinp_cin_plan_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with cinp_cin_plan_id %L', k.copy_no, k.copies, k.plan_id)]
		WHEN k.start_date IS NULL THEN ARRAY['missing_date', format('cinp_cin_plan_start_date %s', {raw:k.start_date_ts})]
		WHEN NOT k.has_person THEN ARRAY['orphan', format('cinp_person_id %s has no usable row in ssd_person', coalesce(quote_literal(k.person_id), 'NULL'))]
		WHEN k.end_date_ts < k.start_date_ts AND k.end_date IS NOT NULL THEN ARRAY['end_before_start', format('cinp_cin_plan_end_date %s is before cinp_cin_plan_start_date %s', {ts:k.end_date_ts}, {ts:k.start_date_ts})]
		END AS dq
	FROM k
	OFFSET 0
)
SELECT c.area_code, c.plan_id, c.person_id, c.start_date, c.end_date,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL THEN true ELSE false END AS usable
FROM c
$v$),
(8, 's47', 'ssd_s47_enquiry', 's47_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT x.*, @extschema@._json_fields(x.raw_json, '{CP_CONFERENCE_FLAG,OUTCOME_CP_CONFERENCE_FLAG}') AS flags
	FROM (
		SELECT {area} AS area_code, {id:t.s47e_s47_enquiry_id} AS s47_id, {id:t.s47e_person_id} AS person_id, {person:t.s47e_person_id} AS has_person,
			{id:t.s47e_referral_id} AS referral_id, {d:t.s47e_s47_start_date} AS start_date,
			{d:t.s47e_s47_end_date} AS end_date, {f:t.s47e_s47_nfa} AS nfa,
			{t:t.s47e_s47_outcome_json} AS raw_json,
			(t.s47e_s47_end_date)::timestamp AS end_date_ts, (t.s47e_s47_start_date)::timestamp AS start_date_ts
		FROM {src}.ssd_s47_enquiry t
	) x
), k AS (
	{dedup:s.area_code, s.s47_id|s.start_date, s.person_id, s.end_date, s.referral_id, s.nfa, s.raw_json}
), c AS (
	SELECT k.*, CASE
		WHEN btrim(coalesce(k.s47_id, '')) = '' THEN ARRAY['missing_id', 's47e_s47_enquiry_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with s47e_s47_enquiry_id %L', k.copy_no, k.copies, k.s47_id)]
		WHEN k.start_date IS NULL THEN ARRAY['missing_date', format('s47e_s47_start_date %s', {raw:k.start_date_ts})]
		WHEN NOT k.has_person THEN ARRAY['orphan', format('s47e_person_id %s has no usable row in ssd_person', coalesce(quote_literal(k.person_id), 'NULL'))]
		WHEN k.end_date_ts < k.start_date_ts AND k.end_date IS NOT NULL THEN ARRAY['end_before_start', format('s47e_s47_end_date %s is before s47e_s47_start_date %s', {ts:k.end_date_ts}, {ts:k.start_date_ts})]
		WHEN k.raw_json IS NOT NULL AND k.flags IS NULL THEN ARRAY['malformed_json', format('s47e_s47_outcome_json %L is not a JSON object (the enquiry is kept with cp_conference NULL)', left(k.raw_json, 100)), 'kept']
		END AS dq
	FROM k
	OFFSET 0
)
SELECT c.area_code, c.s47_id, c.person_id, c.referral_id, c.start_date, c.end_date, c.nfa,
	{f:coalesce(c.flags[1], c.flags[2])} AS cp_conference,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL OR c.dq[3] = 'kept' THEN true ELSE false END AS usable
FROM c
$v$),
(9, 'icpc', 'ssd_initial_cp_conference', 'icpc_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.icpc_icpc_id} AS icpc_id, {id:t.icpc_s47_enquiry_id} AS s47_id,
		{id:t.icpc_person_id} AS person_id, {person:t.icpc_person_id} AS has_person, {d:t.icpc_icpc_date} AS icpc_date,
		{f:t.icpc_icpc_transfer_in} AS transfer_in, {f:t.icpc_icpc_outcome_cp_flag} AS outcome_cp,
		(t.icpc_icpc_date)::timestamp AS icpc_date_ts
	FROM {src}.ssd_initial_cp_conference t
), k AS (
	{dedup:s.area_code, s.icpc_id|s.icpc_date, s.person_id, s.s47_id, s.transfer_in, s.outcome_cp}
), c AS (
	SELECT k.*, CASE
		WHEN btrim(coalesce(k.icpc_id, '')) = '' THEN ARRAY['missing_id', 'icpc_icpc_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with icpc_icpc_id %L', k.copy_no, k.copies, k.icpc_id)]
		WHEN k.icpc_date IS NULL THEN ARRAY['missing_date', format('icpc_icpc_date %s', {raw:k.icpc_date_ts})]
		WHEN NOT k.has_person THEN ARRAY['orphan', format('icpc_person_id %s has no usable row in ssd_person', coalesce(quote_literal(k.person_id), 'NULL'))]
		WHEN k.s47_id IS NOT NULL AND e.s47_id IS NULL THEN ARRAY['orphan', format('icpc_s47_enquiry_id %L has no usable row in ssd_s47_enquiry', k.s47_id)]
		END AS dq
	FROM k
	LEFT JOIN {tgt}.n_s47 e ON e.area_code = k.area_code AND e.s47_id = k.s47_id
	OFFSET 0
)
SELECT c.area_code, c.icpc_id, c.s47_id, c.person_id, c.icpc_date, c.transfer_in, c.outcome_cp,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL THEN true ELSE false END AS usable
FROM c
$v$),
(10, 'cp_plans', 'ssd_cp_plans', 'plan_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.cppl_cp_plan_id} AS plan_id, {id:t.cppl_person_id} AS person_id, {person:t.cppl_person_id} AS has_person,
		{d:t.cppl_cp_plan_start_date} AS start_date, {d:t.cppl_cp_plan_end_date} AS end_date,
		{c:t.cppl_cp_plan_initial_category} AS raw_category,
		(t.cppl_cp_plan_end_date)::timestamp AS end_date_ts, (t.cppl_cp_plan_start_date)::timestamp AS start_date_ts
	FROM {src}.ssd_cp_plans t
), k AS (
	{dedup:s.area_code, s.plan_id|s.start_date, s.person_id, s.end_date, s.raw_category}
), c AS (
	SELECT k.*, m.code AS initial_category, CASE
		WHEN btrim(coalesce(k.plan_id, '')) = '' THEN ARRAY['missing_id', 'cppl_cp_plan_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with cppl_cp_plan_id %L', k.copy_no, k.copies, k.plan_id)]
		WHEN k.start_date IS NULL THEN ARRAY['missing_date', format('cppl_cp_plan_start_date %s', {raw:k.start_date_ts})]
		WHEN NOT k.has_person THEN ARRAY['orphan', format('cppl_person_id %s has no usable row in ssd_person', coalesce(quote_literal(k.person_id), 'NULL'))]
		WHEN k.end_date_ts < k.start_date_ts AND k.end_date IS NOT NULL THEN ARRAY['end_before_start', format('cppl_cp_plan_end_date %s is before cppl_cp_plan_start_date %s', {ts:k.end_date_ts}, {ts:k.start_date_ts})]
		WHEN k.raw_category IS NOT NULL AND m.code IS NULL THEN ARRAY['unknown_code', format('cppl_cp_plan_initial_category %L is not in skpi.code_map (field cp_category)', k.raw_category)]
		END AS dq
	FROM k
	LEFT JOIN {map:cp_category} m ON m.raw = k.raw_category
), o AS (
	SELECT c.*,
		@extschema@.previous_end(CASE WHEN c.dq IS NULL THEN c.start_date END, CASE WHEN c.dq IS NULL THEN c.end_date END)
			OVER (PARTITION BY c.area_code, c.person_id ORDER BY CASE WHEN c.dq IS NULL THEN c.start_date END, c.plan_id) AS prev_end
	FROM c
), f AS (
	SELECT o.*, coalesce(o.dq, CASE WHEN o.prev_end > o.start_date THEN ARRAY['overlap', format('starts %s while an earlier child protection plan of cppl_person_id %L %s', to_char(o.start_date, 'YYYY-MM-DD'), o.person_id, CASE WHEN o.prev_end = 'infinity' THEN 'is still open' ELSE 'ends ' || to_char(o.prev_end, 'YYYY-MM-DD') END)] END) AS rule
	FROM o
)
SELECT f.area_code, f.plan_id, f.person_id, f.start_date, f.end_date, f.initial_category,
	f.rule[1] AS dq_rule, f.rule[2] AS dq_detail, CASE WHEN f.rule IS NULL THEN true ELSE false END AS usable
FROM f
$v$),
(11, 'cp_visits', 'ssd_cp_visits', 'visit_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.cppv_cp_visit_id} AS visit_id, {id:t.cppv_person_id} AS person_id, {person:t.cppv_person_id} AS has_person,
		{id:t.cppv_cp_plan_id} AS plan_id, {d:t.cppv_cp_visit_date} AS visit_date,
		{f:t.cppv_cp_visit_seen} AS seen, (t.cppv_cp_visit_date)::timestamp AS visit_date_ts
	FROM {src}.ssd_cp_visits t
), k AS (
	{dedup:s.area_code, s.visit_id|s.visit_date, s.person_id, s.plan_id, s.seen}
), c AS (
	SELECT k.*, CASE
		WHEN btrim(coalesce(k.visit_id, '')) = '' THEN ARRAY['missing_id', 'cppv_cp_visit_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with cppv_cp_visit_id %L', k.copy_no, k.copies, k.visit_id)]
		WHEN k.visit_date IS NULL THEN ARRAY['missing_date', format('cppv_cp_visit_date %s', {raw:k.visit_date_ts})]
		WHEN NOT k.has_person THEN ARRAY['orphan', format('cppv_person_id %s has no usable row in ssd_person', coalesce(quote_literal(k.person_id), 'NULL'))]
		WHEN pl.plan_id IS NULL THEN ARRAY['orphan', format('cppv_cp_plan_id %s has no usable row in ssd_cp_plans', coalesce(quote_literal(k.plan_id), 'NULL'))]
		END AS dq
	FROM k
	LEFT JOIN {tgt}.n_cp_plans pl ON pl.area_code = k.area_code AND pl.plan_id = k.plan_id
	OFFSET 0
)
SELECT c.area_code, c.visit_id, c.person_id, c.plan_id, c.visit_date, c.seen,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL THEN true ELSE false END AS usable
FROM c
$v$),
(12, 'cp_reviews', 'ssd_cp_reviews', 'review_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.cppr_cp_review_id} AS review_id, {id:t.cppr_person_id} AS person_id, {person:t.cppr_person_id} AS has_person,
		{id:t.cppr_cp_plan_id} AS plan_id, {d:t.cppr_cp_review_due} AS due_date,
		{d:t.cppr_cp_review_date} AS review_date
	FROM {src}.ssd_cp_reviews t
), k AS (
	{dedup:s.area_code, s.review_id|s.review_date, s.due_date, s.person_id, s.plan_id}
), c AS (
	SELECT k.*, CASE
		WHEN btrim(coalesce(k.review_id, '')) = '' THEN ARRAY['missing_id', 'cppr_cp_review_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with cppr_cp_review_id %L', k.copy_no, k.copies, k.review_id)]
		WHEN NOT k.has_person THEN ARRAY['orphan', format('cppr_person_id %s has no usable row in ssd_person', coalesce(quote_literal(k.person_id), 'NULL'))]
		WHEN pl.plan_id IS NULL THEN ARRAY['orphan', format('cppr_cp_plan_id %s has no usable row in ssd_cp_plans', coalesce(quote_literal(k.plan_id), 'NULL'))]
		END AS dq
	FROM k
	LEFT JOIN {tgt}.n_cp_plans pl ON pl.area_code = k.area_code AND pl.plan_id = k.plan_id
	OFFSET 0
)
SELECT c.area_code, c.review_id, c.person_id, c.plan_id, c.due_date, c.review_date,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL THEN true ELSE false END AS usable
FROM c
$v$),
(13, 'legal_status', 'ssd_legal_status', 'person_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.lega_person_id} AS person_id, {person:t.lega_person_id} AS has_person, {c:t.lega_legal_status} AS raw_status,
		{d:t.lega_legal_status_start_date} AS start_date, {d:t.lega_legal_status_end_date} AS end_date,
		(t.lega_legal_status_end_date)::timestamp AS end_date_ts, (t.lega_legal_status_start_date)::timestamp AS start_date_ts
	FROM {src}.ssd_legal_status t
), c AS (
	SELECT s.*, m.code AS legal_status, CASE
		WHEN s.start_date IS NULL THEN ARRAY['missing_date', format('lega_legal_status_start_date %s', {raw:s.start_date_ts})]
		WHEN NOT s.has_person THEN ARRAY['orphan', format('lega_person_id %s has no usable row in ssd_person', coalesce(quote_literal(s.person_id), 'NULL'))]
		WHEN s.end_date_ts < s.start_date_ts AND s.end_date IS NOT NULL THEN ARRAY['end_before_start', format('lega_legal_status_end_date %s is before lega_legal_status_start_date %s', {ts:s.end_date_ts}, {ts:s.start_date_ts})]
		WHEN s.raw_status IS NOT NULL AND m.code IS NULL THEN ARRAY['unknown_code', format('lega_legal_status %L is not in skpi.code_map (field legal_status)', s.raw_status)]
		END AS dq
	FROM s
	LEFT JOIN {map:legal_status} m ON m.raw = s.raw_status
	OFFSET 0
)
SELECT c.area_code, c.person_id, c.legal_status, c.start_date, c.end_date,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL THEN true ELSE false END AS usable
FROM c
$v$),
(14, 'cla_placements', 'ssd_cla_placement', 'placement_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.clap_cla_placement_id} AS placement_id,
		{d:t.clap_cla_placement_start_date} AS start_date, {d:t.clap_cla_placement_end_date} AS end_date,
		{c:t.clap_cla_placement_type} AS placement_type,
		CASE WHEN t.clap_cla_placement_distance::float8 >= 0 AND t.clap_cla_placement_distance::float8 < 999.9
			 THEN t.clap_cla_placement_distance::float8 END AS distance,
		(t.clap_cla_placement_end_date)::timestamp AS end_date_ts, (t.clap_cla_placement_start_date)::timestamp AS start_date_ts
	FROM {src}.ssd_cla_placement t
), k AS (
	{dedup:s.area_code, s.placement_id|s.start_date, s.end_date, s.placement_type, s.distance}
), c AS (
	SELECT k.*, CASE
		WHEN btrim(coalesce(k.placement_id, '')) = '' THEN ARRAY['missing_id', 'clap_cla_placement_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with clap_cla_placement_id %L', k.copy_no, k.copies, k.placement_id)]
		WHEN k.start_date IS NULL THEN ARRAY['missing_date', format('clap_cla_placement_start_date %s', {raw:k.start_date_ts})]
		WHEN k.end_date_ts < k.start_date_ts AND k.end_date IS NOT NULL THEN ARRAY['end_before_start', format('clap_cla_placement_end_date %s is before clap_cla_placement_start_date %s', {ts:k.end_date_ts}, {ts:k.start_date_ts})]
		END AS dq
	FROM k
	OFFSET 0
)
SELECT c.area_code, c.placement_id, c.start_date, c.end_date, c.placement_type, c.distance,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL THEN true ELSE false END AS usable
FROM c
$v$),
(15, 'cla_episodes', 'ssd_cla_episodes', 'episode_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.clae_cla_episode_id} AS episode_id, {id:t.clae_person_id} AS person_id, {person:t.clae_person_id} AS has_person,
		{id:t.clae_cla_id} AS cla_id, {d:t.clae_cla_episode_start_date} AS start_date,
		{c:t.clae_cla_episode_start_reason} AS raw_rne, {d:t.clae_cla_episode_ceased_date} AS end_date,
		{c:t.clae_cla_episode_ceased_reason} AS raw_rec, {id:t.clae_cla_placement_id} AS placement_id,
		(t.clae_cla_episode_ceased_date)::timestamp AS end_date_ts, (t.clae_cla_episode_start_date)::timestamp AS start_date_ts
	FROM {src}.ssd_cla_episodes t
), k AS (
	{dedup:s.area_code, s.episode_id|s.start_date, s.person_id, s.end_date, s.cla_id, s.raw_rne, s.raw_rec, s.placement_id}
), c AS (
	SELECT k.*, mn.code AS rne, mc.code AS rec, CASE
		WHEN btrim(coalesce(k.episode_id, '')) = '' THEN ARRAY['missing_id', 'clae_cla_episode_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with clae_cla_episode_id %L', k.copy_no, k.copies, k.episode_id)]
		WHEN k.start_date IS NULL THEN ARRAY['missing_date', format('clae_cla_episode_start_date %s', {raw:k.start_date_ts})]
		WHEN NOT k.has_person THEN ARRAY['orphan', format('clae_person_id %s has no usable row in ssd_person', coalesce(quote_literal(k.person_id), 'NULL'))]
		WHEN k.end_date_ts < k.start_date_ts AND k.end_date IS NOT NULL THEN ARRAY['end_before_start', format('clae_cla_episode_ceased_date %s is before clae_cla_episode_start_date %s', {ts:k.end_date_ts}, {ts:k.start_date_ts})]
		WHEN k.raw_rne IS NOT NULL AND mn.code IS NULL THEN ARRAY['unknown_code', format('clae_cla_episode_start_reason %L is not in skpi.code_map (field rne)', k.raw_rne)]
		WHEN k.raw_rec IS NOT NULL AND mc.code IS NULL THEN ARRAY['unknown_code', format('clae_cla_episode_ceased_reason %L is not in skpi.code_map (field rec)', k.raw_rec)]
		END AS dq
	FROM k
	LEFT JOIN {map:rne} mn ON mn.raw = k.raw_rne
	LEFT JOIN {map:rec} mc ON mc.raw = k.raw_rec
), o AS (
	SELECT c.*,
		@extschema@.previous_end(CASE WHEN c.dq IS NULL THEN c.start_date END, CASE WHEN c.dq IS NULL THEN c.end_date END)
			OVER (PARTITION BY c.area_code, c.person_id ORDER BY CASE WHEN c.dq IS NULL THEN c.start_date END, c.episode_id) AS prev_end
	FROM c
), f AS (
	SELECT o.*, coalesce(o.dq, CASE WHEN o.prev_end > o.start_date THEN ARRAY['overlap', format('starts %s while an earlier episode of clae_person_id %L %s', to_char(o.start_date, 'YYYY-MM-DD'), o.person_id, CASE WHEN o.prev_end = 'infinity' THEN 'is still open' ELSE 'ends ' || to_char(o.prev_end, 'YYYY-MM-DD') END)] END) AS rule
	FROM o
), ls AS (
	SELECT DISTINCT ON (f.area_code, f.episode_id) f.area_code, f.episode_id, l.legal_status
	FROM f JOIN {tgt}.n_legal_status l
		ON l.area_code = f.area_code AND l.person_id = f.person_id
		   AND @extschema@.open_on(l.start_date, l.end_date, f.start_date)
	WHERE f.rule IS NULL
	ORDER BY f.area_code, f.episode_id, l.start_date DESC, l.legal_status
)
SELECT f.area_code, f.episode_id, f.person_id, f.cla_id, f.start_date, f.rne, f.end_date, f.rec,
	f.placement_id, pl.placement_type, pl.distance AS placement_distance, ls.legal_status,
	f.rule[1] AS dq_rule, f.rule[2] AS dq_detail, CASE WHEN f.rule IS NULL THEN true ELSE false END AS usable
FROM f
LEFT JOIN {tgt}.n_cla_placements pl ON pl.area_code = f.area_code AND pl.placement_id = f.placement_id
LEFT JOIN ls ON ls.area_code = f.area_code AND ls.episode_id = f.episode_id AND f.rule IS NULL
$v$),
(16, 'cla_reviews', 'ssd_cla_reviews', 'review_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.clar_cla_review_id} AS review_id, {id:t.clar_cla_id} AS cla_id,
		{d:t.clar_cla_review_due_date} AS due_date, {d:t.clar_cla_review_date} AS review_date,
		{f:t.clar_cla_review_cancelled} AS cancelled
	FROM {src}.ssd_cla_reviews t
), k AS (
	{dedup:s.area_code, s.review_id|s.review_date, s.due_date, s.cla_id, s.cancelled}
), e AS (
	SELECT DISTINCT ON (n.area_code, n.cla_id) n.area_code, n.cla_id, n.person_id
	FROM {tgt}.n_cla_episodes n
	WHERE n.cla_id IS NOT NULL
	ORDER BY n.area_code, n.cla_id, n.start_date, n.episode_id
), c AS (
	SELECT k.*, e.person_id, CASE
		WHEN btrim(coalesce(k.review_id, '')) = '' THEN ARRAY['missing_id', 'clar_cla_review_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with clar_cla_review_id %L', k.copy_no, k.copies, k.review_id)]
		WHEN e.cla_id IS NULL THEN ARRAY['orphan', format('clar_cla_id %s has no usable row in ssd_cla_episodes', coalesce(quote_literal(k.cla_id), 'NULL'))]
		END AS dq
	FROM k LEFT JOIN e ON e.area_code = k.area_code AND e.cla_id = k.cla_id
	OFFSET 0
)
SELECT c.area_code, c.review_id, c.cla_id, c.person_id, c.due_date, c.review_date, c.cancelled,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL THEN true ELSE false END AS usable
FROM c
$v$),
(17, 'cla_visits', 'ssd_cla_visits', 'visit_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.clav_cla_visit_id} AS visit_id, {id:t.clav_cla_id} AS cla_id,
		{id:t.clav_person_id} AS person_id, {person:t.clav_person_id} AS has_person, {d:t.clav_cla_visit_date} AS visit_date,
		{f:t.clav_cla_visit_seen} AS seen, (t.clav_cla_visit_date)::timestamp AS visit_date_ts
	FROM {src}.ssd_cla_visits t
), k AS (
	{dedup:s.area_code, s.visit_id|s.visit_date, s.person_id, s.cla_id, s.seen}
), e AS (
	SELECT DISTINCT n.area_code, n.cla_id FROM {tgt}.n_cla_episodes n WHERE n.cla_id IS NOT NULL
), c AS (
	SELECT k.*, CASE
		WHEN btrim(coalesce(k.visit_id, '')) = '' THEN ARRAY['missing_id', 'clav_cla_visit_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with clav_cla_visit_id %L', k.copy_no, k.copies, k.visit_id)]
		WHEN k.visit_date IS NULL THEN ARRAY['missing_date', format('clav_cla_visit_date %s', {raw:k.visit_date_ts})]
		WHEN NOT k.has_person THEN ARRAY['orphan', format('clav_person_id %s has no usable row in ssd_person', coalesce(quote_literal(k.person_id), 'NULL'))]
		WHEN k.cla_id IS NOT NULL AND e.cla_id IS NULL THEN ARRAY['orphan', format('clav_cla_id %L has no usable row in ssd_cla_episodes', k.cla_id)]
		END AS dq
	FROM k
	LEFT JOIN e ON e.area_code = k.area_code AND e.cla_id = k.cla_id
	OFFSET 0
)
SELECT c.area_code, c.visit_id, c.cla_id, c.person_id, c.visit_date, c.seen,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL THEN true ELSE false END AS usable
FROM c
$v$),
(18, 'cla_health', 'ssd_cla_health', 'health_check_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.clah_health_check_id} AS health_check_id, {id:t.clah_person_id} AS person_id, {person:t.clah_person_id} AS has_person,
		{c:t.clah_health_check_type} AS check_type, {d:t.clah_health_check_date} AS check_date,
		{c:t.clah_health_check_status} AS status, (t.clah_health_check_date)::timestamp AS check_date_ts
	FROM {src}.ssd_cla_health t
), k AS (
	{dedup:s.area_code, s.health_check_id|s.check_date, s.person_id, s.check_type, s.status}
), c AS (
	SELECT k.*, CASE
		WHEN btrim(coalesce(k.health_check_id, '')) = '' THEN ARRAY['missing_id', 'clah_health_check_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with clah_health_check_id %L', k.copy_no, k.copies, k.health_check_id)]
		WHEN k.check_date IS NULL THEN ARRAY['missing_date', format('clah_health_check_date %s', {raw:k.check_date_ts})]
		WHEN NOT k.has_person THEN ARRAY['orphan', format('clah_person_id %s has no usable row in ssd_person', coalesce(quote_literal(k.person_id), 'NULL'))]
		END AS dq
	FROM k
	OFFSET 0
)
SELECT c.area_code, c.health_check_id, c.person_id, c.check_type, c.check_date, c.status,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL THEN true ELSE false END AS usable
FROM c
$v$),
(19, 'cla_care_plan', 'ssd_cla_care_plan', 'care_plan_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.lacp_table_id} AS care_plan_id, {id:t.lacp_person_id} AS person_id, {person:t.lacp_person_id} AS has_person,
		{d:t.lacp_cla_care_plan_start_date} AS start_date, {d:t.lacp_cla_care_plan_end_date} AS end_date,
		(t.lacp_cla_care_plan_end_date)::timestamp AS end_date_ts, (t.lacp_cla_care_plan_start_date)::timestamp AS start_date_ts
	FROM {src}.ssd_cla_care_plan t
), k AS (
	{dedup:s.area_code, s.care_plan_id|s.start_date, s.person_id, s.end_date}
), c AS (
	SELECT k.*, CASE
		WHEN btrim(coalesce(k.care_plan_id, '')) = '' THEN ARRAY['missing_id', 'lacp_table_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with lacp_table_id %L', k.copy_no, k.copies, k.care_plan_id)]
		WHEN k.start_date IS NULL THEN ARRAY['missing_date', format('lacp_cla_care_plan_start_date %s', {raw:k.start_date_ts})]
		WHEN NOT k.has_person THEN ARRAY['orphan', format('lacp_person_id %s has no usable row in ssd_person', coalesce(quote_literal(k.person_id), 'NULL'))]
		WHEN k.end_date_ts < k.start_date_ts AND k.end_date IS NOT NULL THEN ARRAY['end_before_start', format('lacp_cla_care_plan_end_date %s is before lacp_cla_care_plan_start_date %s', {ts:k.end_date_ts}, {ts:k.start_date_ts})]
		END AS dq
	FROM k
	OFFSET 0
)
SELECT c.area_code, c.care_plan_id, c.person_id, c.start_date, c.end_date,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL THEN true ELSE false END AS usable
FROM c
$v$),
(20, 'care_leavers', 'ssd_care_leavers', 'person_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.clea_person_id} AS person_id, {person:t.clea_person_id} AS has_person, {c:t.clea_care_leaver_in_touch} AS raw_in_touch,
		{d:t.clea_care_leaver_latest_contact} AS latest_contact,
		{c:t.clea_care_leaver_accommodation} AS raw_accommodation,
		{c:t.clea_care_leaver_accom_suitable} AS raw_suitable, {c:t.clea_care_leaver_activity} AS raw_activity
	FROM {src}.ssd_care_leavers t
), k AS (
	SELECT s.*,
		CASE WHEN s.latest_contact IS NULL THEN 1
			 ELSE row_number() OVER (PARTITION BY s.area_code, s.person_id, s.latest_contact
									 ORDER BY s.raw_in_touch, s.raw_accommodation, s.raw_suitable, s.raw_activity)
			 END AS copy_no,
		count(*) OVER (PARTITION BY s.area_code, s.person_id, s.latest_contact) AS copies
	FROM s
), c AS (
	SELECT k.*, mt.code AS in_touch, ma.code AS accommodation, mv.code AS activity,
		CASE ms.code WHEN 'Y' THEN true WHEN 'N' THEN false
			 ELSE CASE WHEN k.raw_accommodation ~ '^[A-Z]1$' THEN true
					   WHEN k.raw_accommodation ~ '^[A-Z]2$' THEN false END
			 END AS accom_suitable,
		CASE
		WHEN btrim(coalesce(k.person_id, '')) = '' THEN ARRAY['missing_id', 'clea_person_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with clea_person_id %L and clea_care_leaver_latest_contact %s', k.copy_no, k.copies, k.person_id, to_char(k.latest_contact, 'YYYY-MM-DD'))]
		WHEN NOT k.has_person THEN ARRAY['orphan', format('clea_person_id %L has no usable row in ssd_person', k.person_id)]
		WHEN k.raw_in_touch IS NOT NULL AND mt.code IS NULL THEN ARRAY['unknown_code', format('clea_care_leaver_in_touch %L is not in skpi.code_map (field in_touch)', k.raw_in_touch)]
		WHEN k.raw_accommodation IS NOT NULL AND ma.code IS NULL THEN ARRAY['unknown_code', format('clea_care_leaver_accommodation %L is not in skpi.code_map (field cl_accommodation)', k.raw_accommodation)]
		WHEN k.raw_activity IS NOT NULL AND mv.code IS NULL THEN ARRAY['unknown_code', format('clea_care_leaver_activity %L is not in skpi.code_map (field cl_activity)', k.raw_activity)]
		END AS dq
	FROM k
	LEFT JOIN {map:in_touch} mt ON mt.raw = k.raw_in_touch
	LEFT JOIN {map:cl_accommodation} ma ON ma.raw = k.raw_accommodation
	LEFT JOIN {map:cl_accom_suitable} ms ON ms.raw = k.raw_suitable
	LEFT JOIN {map:cl_activity} mv ON mv.raw = k.raw_activity
	OFFSET 0
)
SELECT c.area_code, c.person_id, c.in_touch, c.latest_contact, c.accommodation, c.accom_suitable,
	c.activity, c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL THEN true ELSE false END AS usable
FROM c
$v$),
(21, 'missing', 'ssd_missing', 'missing_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.miss_table_id} AS missing_id, {id:t.miss_person_id} AS person_id, {person:t.miss_person_id} AS has_person,
		{d:t.miss_missing_episode_start_date} AS start_date, {d:t.miss_missing_episode_end_date} AS end_date,
		{c:t.miss_missing_episode_type} AS raw_type, {f:t.miss_missing_rhi_offered} AS rhi_offered,
		{f:t.miss_missing_rhi_accepted} AS rhi_accepted,
		(t.miss_missing_episode_end_date)::timestamp AS end_date_ts, (t.miss_missing_episode_start_date)::timestamp AS start_date_ts
	FROM {src}.ssd_missing t
), k AS (
	{dedup:s.area_code, s.missing_id|s.start_date, s.person_id, s.end_date, s.raw_type, s.rhi_offered, s.rhi_accepted}
), c AS (
	SELECT k.*, m.code AS missing_type, CASE
		WHEN btrim(coalesce(k.missing_id, '')) = '' THEN ARRAY['missing_id', 'miss_table_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with miss_table_id %L', k.copy_no, k.copies, k.missing_id)]
		WHEN k.start_date IS NULL THEN ARRAY['missing_date', format('miss_missing_episode_start_date %s', {raw:k.start_date_ts})]
		WHEN NOT k.has_person THEN ARRAY['orphan', format('miss_person_id %s has no usable row in ssd_person', coalesce(quote_literal(k.person_id), 'NULL'))]
		WHEN k.end_date_ts < k.start_date_ts AND k.end_date IS NOT NULL THEN ARRAY['end_before_start', format('miss_missing_episode_end_date %s is before miss_missing_episode_start_date %s', {ts:k.end_date_ts}, {ts:k.start_date_ts})]
		WHEN k.raw_type IS NOT NULL AND m.code IS NULL THEN ARRAY['unknown_code', format('miss_missing_episode_type %L is not in skpi.code_map (field missing_type)', k.raw_type)]
		END AS dq
	FROM k
	LEFT JOIN {map:missing_type} m ON m.raw = k.raw_type
	OFFSET 0
)
SELECT c.area_code, c.missing_id, c.person_id, c.start_date, c.end_date, c.missing_type,
	c.rhi_offered, c.rhi_accepted, c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL THEN true ELSE false END AS usable
FROM c
$v$),
(22, 'professionals', 'ssd_professionals', 'professional_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.prof_professional_id} AS professional_id,
		{f:t.prof_agency_worker_flag} AS agency_worker, {t:t.prof_professional_job_title} AS job_title,
		t.prof_professional_caseload::int AS caseload, t.prof_full_time_equivalency::float8 AS fte
	FROM {src}.ssd_professionals t
), k AS (
	{dedup:s.area_code, s.professional_id|s.job_title, s.agency_worker, s.caseload, s.fte}
), c AS (
	SELECT k.*, CASE
		WHEN btrim(coalesce(k.professional_id, '')) = '' THEN ARRAY['missing_id', 'prof_professional_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with prof_professional_id %L', k.copy_no, k.copies, k.professional_id)]
		END AS dq
	FROM k
	OFFSET 0
)
SELECT c.area_code, c.professional_id, c.agency_worker, c.job_title, c.caseload, c.fte,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL THEN true ELSE false END AS usable
FROM c
$v$),
(23, 'involvements', 'ssd_involvements', 'involvement_id', NULL, $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.invo_involvements_id} AS involvement_id,
		{id:t.invo_professional_id} AS professional_id, {id:t.invo_professional_role_id} AS role_id,
		{id:t.invo_person_id} AS person_id, {person:t.invo_person_id} AS has_person, {d:t.invo_involvement_start_date} AS start_date,
		{d:t.invo_involvement_end_date} AS end_date, {t:t.invo_worker_change_reason} AS change_reason,
		(t.invo_involvement_end_date)::timestamp AS end_date_ts, (t.invo_involvement_start_date)::timestamp AS start_date_ts
	FROM {src}.ssd_involvements t
), k AS (
	{dedup:s.area_code, s.involvement_id|s.start_date, s.person_id, s.professional_id, s.end_date, s.role_id, s.change_reason}
), c AS (
	SELECT k.*, CASE
		WHEN btrim(coalesce(k.involvement_id, '')) = '' THEN ARRAY['missing_id', 'invo_involvements_id is empty']
		WHEN k.copy_no > 1 THEN ARRAY['duplicate_id', format('copy %s of %s rows with invo_involvements_id %L', k.copy_no, k.copies, k.involvement_id)]
		WHEN k.start_date IS NULL THEN ARRAY['missing_date', format('invo_involvement_start_date %s', {raw:k.start_date_ts})]
		WHEN NOT k.has_person THEN ARRAY['orphan', format('invo_person_id %s has no usable row in ssd_person', coalesce(quote_literal(k.person_id), 'NULL'))]
		WHEN w.professional_id IS NULL THEN ARRAY['orphan', format('invo_professional_id %s has no usable row in ssd_professionals', coalesce(quote_literal(k.professional_id), 'NULL'))]
		WHEN k.end_date_ts < k.start_date_ts AND k.end_date IS NOT NULL THEN ARRAY['end_before_start', format('invo_involvement_end_date %s is before invo_involvement_start_date %s', {ts:k.end_date_ts}, {ts:k.start_date_ts})]
		END AS dq
	FROM k
	LEFT JOIN {tgt}.n_professionals w ON w.area_code = k.area_code AND w.professional_id = k.professional_id
	OFFSET 0
)
SELECT c.area_code, c.involvement_id, c.professional_id, c.role_id, c.person_id, c.start_date,
	c.end_date, c.change_reason, c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL THEN true ELSE false END AS usable
FROM c
$v$),
(24, 'children_missing_education', 'children_missing_education', 'person_id', '+children_missing_education', $v$
WITH s AS NOT MATERIALIZED (
	SELECT {area} AS area_code, {id:t.person_id} AS person_id, {person:t.person_id} AS has_person, {d:t.start_date} AS start_date,
		{d:t.end_date} AS end_date,
		(t.end_date)::timestamp AS end_date_ts, (t.start_date)::timestamp AS start_date_ts
	FROM {src}.children_missing_education t
), c AS (
	SELECT s.*, CASE
		WHEN s.start_date IS NULL THEN ARRAY['missing_date', format('start_date %s', {raw:s.start_date_ts})]
		WHEN NOT s.has_person THEN ARRAY['orphan', format('person_id %s has no usable row in ssd_person', coalesce(quote_literal(s.person_id), 'NULL'))]
		WHEN s.end_date_ts < s.start_date_ts AND s.end_date IS NOT NULL THEN ARRAY['end_before_start', format('end_date %s is before start_date %s', {ts:s.end_date_ts}, {ts:s.start_date_ts})]
		END AS dq
	FROM s
	OFFSET 0
)
SELECT c.area_code, c.person_id, c.start_date, c.end_date,
	c.dq[1] AS dq_rule, c.dq[2] AS dq_detail, CASE WHEN c.dq IS NULL THEN true ELSE false END AS usable
FROM c
$v$),
(24, 'children_missing_education', 'children_missing_education', 'person_id', '-children_missing_education', $v$
SELECT NULL::text AS area_code, NULL::text AS person_id, NULL::date AS start_date, NULL::date AS end_date,
	NULL::text AS dq_rule, NULL::text AS dq_detail, NULL::boolean AS usable
WHERE false
$v$)
$templates$;
COMMENT ON FUNCTION @extschema@._report_templates() IS
	'the view templates of the normalisation layer that build_reports creates (one checked_<name> view per SSD table)';

-- Comments of the objects that build_reports creates: object is a normalisation view's base
-- name (its n_ and checked_ views share column comments), a report object's name, 'theme' for
-- the columns every theme view has, or '*' for a column name's default.
CREATE FUNCTION @extschema@._report_comments()
RETURNS TABLE (object text, column_name text, comment text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
VALUES
	('*', 'area_code', 'council: the source''s area_code, or ''local'' when the SSD tables have no area_code column'),
	('*', 'person_id', 'the child or young person (ssd_person.pers_person_id)'),
	('*', 'start_date', 'start date (timestamps truncated to dates; dates before 1901 read as NULL)'),
	('*', 'end_date', 'end date, NULL while open'),
	('*', 'dq_rule', 'data-quality rule the row breaks (missing_id, duplicate_id, missing_date, missing_dob, orphan, end_before_start, unknown_code, malformed_json, overlap), NULL when none'),
	('*', 'dq_detail', 'the offending values, in words'),
	('*', 'usable', 'true when the row is in the n_ view that measures read (rows breaking missing_dob, malformed_json of contacts and section 47 enquiries, or an orphan referral of an assessment, are kept with the unreadable value NULL)'),
	('person', NULL, 'ssd_person'),
	('person', 'dob', 'date of birth; NULL when missing or before 1901 (listed in data_quality under missing_dob)'),
	('person', 'sex', 'recorded sex, upper-case'),
	('person', 'ethnicity', 'ethnicity code'),
	('person', 'death_date', 'date of death'),
	('family', NULL, 'ssd_family (sibling groups)'),
	('family', 'family_id', 'family or sibling group'),
	('contacts', NULL, 'ssd_contacts with the outcome flags read from cont_contact_outcome_json and the optional contact_decisions'),
	('contacts', 'contact_id', 'contact'),
	('contacts', 'contact_date', 'date the contact was received'),
	('contacts', 'source_code', 'agency source code, upper-case'),
	('contacts', 'source_desc', 'agency source as described in the extract'),
	('contacts', 'new_referral', 'outcome flag NEW_REFERRAL_FLAG (Y true, N false, else NULL)'),
	('contacts', 'existing_referral', 'outcome flag EXISTING_REFERRAL_FLAG'),
	('contacts', 'cp_enquiry', 'outcome flag CP_ENQUIRY_FLAG'),
	('contacts', 'decided_at', 'when the front door decided the contact (contact_decisions; NULL when that input is absent)'),
	('contacts', 'need_level', 'threshold level 1-4 reached (contact_decisions; NULL when that input is absent)'),
	('referrals', NULL, 'ssd_cin_episodes: referrals and the children in need episodes they open'),
	('referrals', 'referral_id', 'referral (cine_referral_id)'),
	('referrals', 'referral_date', 'date of the referral'),
	('referrals', 'source_code', 'referral source code, upper-case'),
	('referrals', 'nfa', 'referral led to no further action'),
	('referrals', 'close_reason', 'reason the children in need episode closed (RC code), upper-case'),
	('referrals', 'close_date', 'date the children in need episode closed, NULL while open'),
	('referrals', 'primary_need_code', 'primary need code (N1-N9), upper-case'),
	('assessments', NULL, 'ssd_cin_assessments: child and family assessments'),
	('assessments', 'assessment_id', 'assessment'),
	('assessments', 'referral_id', 'referral the assessment belongs to'),
	('assessments', 'start_date', 'date the assessment started'),
	('assessments', 'auth_date', 'date the assessment was authorised, NULL while open'),
	('assessments', 'outcome_nfa', 'assessment outcome was no further action'),
	('assessments', 'referral_date', 'date of the assessment''s referral (NULL when the referral is unknown)'),
	('assessment_factors', NULL, 'ssd_assessment_factors: factor codes recorded at the end of an assessment'),
	('assessment_factors', 'assessment_id', 'assessment'),
	('assessment_factors', 'codes', 'factor codes parsed with skpi.factor_codes: upper-case, distinct, sorted'),
	('cin_plans', NULL, 'ssd_cin_plans: children in need plans'),
	('cin_plans', 'plan_id', 'children in need plan'),
	('s47', NULL, 'ssd_s47_enquiry: section 47 enquiries'),
	('s47', 's47_id', 'section 47 enquiry'),
	('s47', 'referral_id', 'referral the enquiry belongs to'),
	('s47', 'start_date', 'date of the strategy discussion that started the enquiry'),
	('s47', 'nfa', 'enquiry led to no further action'),
	('s47', 'cp_conference', 'outcome key CP_CONFERENCE_FLAG of s47e_s47_outcome_json: an initial conference was to be held (NULL when the JSON is malformed)'),
	('icpc', NULL, 'ssd_initial_cp_conference: initial child protection conferences'),
	('icpc', 'icpc_id', 'initial child protection conference'),
	('icpc', 's47_id', 'section 47 enquiry that led to the conference (NULL for transfers in)'),
	('icpc', 'icpc_date', 'date of the conference'),
	('icpc', 'transfer_in', 'conference for a child transferred in from another council'),
	('icpc', 'outcome_cp', 'the conference made the child subject to a child protection plan'),
	('cp_plans', NULL, 'ssd_cp_plans: child protection plans'),
	('cp_plans', 'plan_id', 'child protection plan'),
	('cp_plans', 'initial_category', 'initial category of abuse through skpi.code_map field cp_category: NEG, PHY, EMO, SAB or MUL'),
	('cp_visits', NULL, 'ssd_cp_visits: visits to children on child protection plans'),
	('cp_visits', 'visit_id', 'visit'),
	('cp_visits', 'plan_id', 'child protection plan visited under'),
	('cp_visits', 'visit_date', 'date of the visit'),
	('cp_visits', 'seen', 'the child was seen'),
	('cp_reviews', NULL, 'ssd_cp_reviews: child protection review conferences'),
	('cp_reviews', 'review_id', 'review conference'),
	('cp_reviews', 'plan_id', 'child protection plan reviewed'),
	('cp_reviews', 'due_date', 'date the review was due'),
	('cp_reviews', 'review_date', 'date the review was held, NULL if not yet held'),
	('legal_status', NULL, 'ssd_legal_status: legal statuses of looked-after children'),
	('legal_status', 'legal_status', 'legal status through skpi.code_map field legal_status (C1, C2, D1, E1, J1-J3, L1-L3, V2-V4)'),
	('cla_placements', NULL, 'ssd_cla_placement: placements of looked-after children'),
	('cla_placements', 'placement_id', 'placement'),
	('cla_placements', 'placement_type', 'placement type code, upper-case'),
	('cla_placements', 'distance', 'miles from home to placement; NULL when unknown (999.9 in the SSD)'),
	('cla_episodes', NULL, 'ssd_cla_episodes: episodes of care of looked-after children, with their placement and legal status'),
	('cla_episodes', 'episode_id', 'episode of care'),
	('cla_episodes', 'cla_id', 'period of care (looked-after record) the episode belongs to'),
	('cla_episodes', 'start_date', 'date the episode started'),
	('cla_episodes', 'rne', 'reason for new episode through skpi.code_map field rne (S, L, P, T, B, U)'),
	('cla_episodes', 'end_date', 'date the episode ceased, NULL while open'),
	('cla_episodes', 'rec', 'reason episode ceased through skpi.code_map field rec (X1, E11, ...)'),
	('cla_episodes', 'placement_id', 'placement of the episode'),
	('cla_episodes', 'placement_type', 'placement type code (from ssd_cla_placement)'),
	('cla_episodes', 'placement_distance', 'miles from home to placement; NULL when unknown'),
	('cla_episodes', 'legal_status', 'the child''s legal status open on the episode start date (from ssd_legal_status)'),
	('cla_reviews', NULL, 'ssd_cla_reviews: reviews of looked-after children'),
	('cla_reviews', 'review_id', 'review'),
	('cla_reviews', 'cla_id', 'period of care reviewed'),
	('cla_reviews', 'person_id', 'the child (through the period of care in ssd_cla_episodes)'),
	('cla_reviews', 'due_date', 'date the review was due'),
	('cla_reviews', 'review_date', 'date the review was held, NULL if not yet held'),
	('cla_reviews', 'cancelled', 'the review was cancelled'),
	('cla_visits', NULL, 'ssd_cla_visits: visits to looked-after children'),
	('cla_visits', 'visit_id', 'visit'),
	('cla_visits', 'cla_id', 'period of care visited under'),
	('cla_visits', 'visit_date', 'date of the visit'),
	('cla_visits', 'seen', 'the child was seen'),
	('cla_health', NULL, 'ssd_cla_health: health checks of looked-after children'),
	('cla_health', 'health_check_id', 'health check'),
	('cla_health', 'check_type', 'type of health check, upper-case'),
	('cla_health', 'check_date', 'date of the health check'),
	('cla_health', 'status', 'status of the health check, upper-case'),
	('cla_care_plan', NULL, 'ssd_cla_care_plan: care plans of looked-after children'),
	('cla_care_plan', 'care_plan_id', 'care plan (lacp_table_id)'),
	('care_leavers', NULL, 'ssd_care_leavers: statuses of care leavers, one row per young person and latest contact date (several when the extract keeps their history)'),
	('care_leavers', 'in_touch', 'in touch through skpi.code_map field in_touch (YES, NO, DIED, REFU, NREQ, RHOM)'),
	('care_leavers', 'latest_contact', 'date of the latest contact with the young person'),
	('care_leavers', 'accommodation', 'accommodation type letter through skpi.code_map field cl_accommodation (W bed and breakfast, ...)'),
	('care_leavers', 'accom_suitable', 'accommodation is suitable (skpi.code_map field cl_accom_suitable, else the code''s suffix: 1 suitable, 2 not)'),
	('care_leavers', 'activity', 'main activity through skpi.code_map field cl_activity (F1-F5 and P1-P5 in education, employment or training; G4-G6 not)'),
	('missing', NULL, 'ssd_missing: missing and away-from-placement incidents'),
	('missing', 'missing_id', 'incident (miss_table_id)'),
	('missing', 'missing_type', 'MISSING (whereabouts unknown) or AWAY (known but not authorised), through skpi.code_map field missing_type'),
	('missing', 'rhi_offered', 'a return home interview was offered'),
	('missing', 'rhi_accepted', 'the return home interview was accepted'),
	('professionals', NULL, 'ssd_professionals: social workers and other professionals'),
	('professionals', 'professional_id', 'professional'),
	('professionals', 'agency_worker', 'agency (not employed) worker'),
	('professionals', 'job_title', 'job title'),
	('professionals', 'caseload', 'number of cases held'),
	('professionals', 'fte', 'full-time equivalence'),
	('involvements', NULL, 'ssd_involvements: allocations of professionals to children'),
	('involvements', 'involvement_id', 'involvement'),
	('involvements', 'professional_id', 'professional allocated'),
	('involvements', 'role_id', 'role of the professional'),
	('involvements', 'change_reason', 'reason the worker changed'),
	('children_missing_education', NULL, 'optional input children_missing_education (empty when the source has no such table)'),
	('data_quality', NULL, 'one row per source row that breaks a data-quality rule: excluded from the measures, except rows kept with the unreadable value NULL (missing_dob; malformed_json of contacts and section 47 enquiries; an assessment whose referral is unknown), which say so in detail'),
	('data_quality', 'source_table', 'table of the source schema the row comes from'),
	('data_quality', 'source_id', 'id of the row in that table (person_id for ssd_legal_status, ssd_care_leavers and children_missing_education)'),
	('data_quality', 'rule', 'rule broken: missing_id, duplicate_id (copies after the first), missing_date, missing_dob, orphan, end_before_start, unknown_code, malformed_json, overlap'),
	('data_quality', 'detail', 'the offending values, in words'),
	('inputs_available', NULL, 'optional inputs from outside the SSD and whether the source schema has them (when it did at build_reports)'),
	('inputs_available', 'input', 'optional input: contact_decisions or children_missing_education'),
	('inputs_available', 'available', 'the source schema has the table'),
	('person_keys', NULL, 'the keys (area_code, person_id) of the usable rows of ssd_person as one value of skpi._key_set, which the checks of orphans read, as of the last refresh_reports'),
	('person_keys', 'keys', 'the key set (read with skpi._key_has)'),
	('report_periods', NULL, 'every month, financial quarter and financial year wholly inside each council''s days from its first contact (first referral when there are no contacts) to its last contact or referral: the periods measures are computed for, as of the last refresh_reports'),
	('report_periods', 'period_type', 'month, quarter (financial) or year (financial)'),
	('report_periods', 'period_label', 'label as skpi.periods gives it: Apr 2019, 2019/20 Q1, 2019/20'),
	('report_periods', 'period_start', 'first day of the period'),
	('report_periods', 'period_end', 'last day of the period'),
	('theme', 'period_type', 'month, quarter (financial) or year (financial)'),
	('theme', 'period_label', 'Apr 2019, 2019/20 Q1 or 2019/20'),
	('theme', 'period_start', 'first day of the period'),
	('theme', 'period_end', 'last day of the period; stocks are counted at the end of this day'),
	('theme', 'measure', 'measure id (stable; see the README''s list of measures)'),
	('theme', 'breakdown', 'breakdown of the measure (empty string when none; ''unavailable: <reason>'' when an optional input is absent)'),
	('theme', 'numerator', 'numerator (for a count, the count itself)'),
	('theme', 'denominator', 'denominator (population for a rate per 10,000; NULL for a count)'),
	('theme', 'value', 'value of the measure in its unit'),
	('theme', 'unit', 'count, percent, per 10,000, days, ratio, ...'),
	('theme', 'polarity', 'higher or lower is better, or neither'),
	('theme', 'england', 'England value from skpi.comparators for the measure and period'),
	('theme', 'stat_neighbours', 'statistical-neighbour average from skpi.comparators for the measure and period'),
	('theme', 'target', 'local target from skpi.targets (the period''s row, else the ''*'' row)'),
	('theme', 'rag', 'green, amber or red against the target (skpi.rag); NULL without a target'),
	('theme_rows', NULL, 'every theme view''s rows as its query computed them at the last refresh_reports (the themes side by side in parallel workers); each theme view copies its own from here. Not for reading while a refresh runs: it is locked until the refresh ends'),
	('theme_rows', 'started', 'when the theme''s query started'),
	('theme_rows', 'finished', 'when the theme''s query produced the row'),
	('measures', NULL, 'every measure of every theme: the single place dashboards read'),
	('measures', 'theme', 'theme (the report view the row comes from)'),
	('published', NULL, 'measures fit for publication: small counts suppressed (primary: counts from 1 to min_count - 1; secondary: the smallest other non-zero cell of a breakdown or of a quarter or year with its months or quarters, so that no total reveals a suppressed cell)'),
	('published', 'suppressed', 'the cell is suppressed: numerator, denominator, value and rag are NULL'),
	('suppression', NULL, 'cells of published that refresh_reports suppressed (reason primary or secondary)'),
	('suppression', 'reason', 'primary (a small count) or secondary (hides a primary cell from a total)'),
	('report_build', NULL, 'how build_reports built this schema; refresh_reports reads it'),
	('report_build', 'source_schema', 'schema of the SSD tables'),
	('report_build', 'built_at', 'when build_reports ran'),
	('report_build', 'min_count', 'published suppresses counts from 1 to min_count - 1'),
	('report_build', 'themes', 'theme report views, in refresh order'),
	('report_build', 'area_column', 'the SSD tables have an area_code column (several councils)'),
	('report_build', 'normalised', 'materialized views of the normalisation layer, in refresh order')
$$;
COMMENT ON FUNCTION @extschema@._report_comments() IS
	'comments of the views, tables and columns that build_reports creates';

-- SQL condition (on the measure columns of alias a) that a cell is a small count: a count,
-- numerator or denominator from 1 to min_count - 1 (min_count is an SQL expression).
CREATE FUNCTION @extschema@._small_cell_sql(a text, min_count text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT format('(%1$I.value IS NOT NULL AND ((%1$I.numerator > 0 AND %1$I.numerator < %2$s)'
			  ' OR (%1$I.denominator > 0 AND %1$I.denominator < %2$s)'
			  ' OR (%1$I.unit = ''count'' AND %1$I.value > 0 AND %1$I.value < %2$s)))', a, min_count)
$$;
COMMENT ON FUNCTION @extschema@._small_cell_sql(text, text) IS
	'SQL condition that a report cell is a small count, for primary suppression';

-- The report themes: functions skpi._theme_<theme>(text) returning text.
CREATE FUNCTION @extschema@._report_themes() RETURNS TABLE (theme text, function_name text)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT substr(p.proname, 8), p.proname::text
FROM pg_proc p
WHERE p.pronamespace = (SELECT n.oid FROM pg_namespace n WHERE n.nspname = '@extschema@')
  AND p.proname LIKE '\_theme\_%'
  AND p.pronargs = 1 AND p.proargtypes[0] = 'text'::regtype AND p.prorettype = 'text'::regtype
ORDER BY 1
$$;
COMMENT ON FUNCTION @extschema@._report_themes() IS
	'report themes: every function skpi._theme_<theme>(target_schema text) returning the SELECT of its measures';

-- The SELECT of a theme view: the measures of skpi._theme_<theme> with their comparators,
-- target and RAG rating.
CREATE FUNCTION @extschema@._theme_query(target_schema text, theme text) RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	fn text;
	q text;
BEGIN
	SELECT x.function_name INTO fn FROM @extschema@._report_themes() x WHERE x.theme = _theme_query.theme;
	IF fn IS NULL THEN
		RAISE EXCEPTION 'unknown report theme %', quote_literal(theme) USING ERRCODE = '22023',
			HINT = 'A theme is a function skpi._theme_<name>(text) returning text.';
	END IF;
	EXECUTE format('SELECT @extschema@.%I($1)', fn) INTO q USING target_schema;
	IF q IS NULL THEN
		RAISE EXCEPTION 'theme % returned no query', theme USING ERRCODE = '22004';
	END IF;
	RETURN format($q$SELECT m.area_code::text AS area_code, m.period_type::text AS period_type,
			m.period_label::text AS period_label, m.period_start::date AS period_start,
			m.period_end::date AS period_end, m.measure::text AS measure,
			coalesce(m.breakdown::text, '') AS breakdown, m.numerator::numeric AS numerator,
			m.denominator::numeric AS denominator, m.value::numeric AS value, m.unit::text AS unit,
			m.polarity::text AS polarity, e.value AS england, sn.value AS stat_neighbours,
			tg.target, @extschema@.rag(m.value::float8, tg.target, tg.amber_margin, m.polarity::text) AS rag
		FROM (%s) AS m
		LEFT JOIN @extschema@.comparators e
			ON e.indicator = m.measure AND e.period_label = m.period_label AND e.comparator = 'england'
		LEFT JOIN @extschema@.comparators sn
			ON sn.indicator = m.measure AND sn.period_label = m.period_label AND sn.comparator = 'stat_neighbours'
		LEFT JOIN LATERAL (
			SELECT x.target, x.amber_margin FROM @extschema@.targets x
			WHERE x.indicator = m.measure AND x.period_label IN (m.period_label, '*')
			ORDER BY x.period_label = '*' LIMIT 1) AS tg ON true$q$, q);
END
$$;
COMMENT ON FUNCTION @extschema@._theme_query(text, text) IS
	'the SELECT of theme view theme of target_schema: its measures with comparators, target and RAG';

-- The rows of a theme view, computed by its query, with when the query started and when it
-- produced each row. theme_rows calls it once per theme; its cost has the planner run those
-- calls side by side in parallel workers (a Parallel Append): each is seconds to minutes of
-- work, and only reads. reads: the relations the theme query reads, named so that they are
-- dependencies of theme_rows (pg_dump restores their rows first); not otherwise used.
CREATE FUNCTION @extschema@._theme_rows(target_schema text, theme text, reads regclass[])
RETURNS TABLE (area_code text, period_type text, period_label text, period_start date, period_end date,
			   measure text, breakdown text, numerator numeric, denominator numeric, value numeric,
			   unit text, polarity text, england float8, stat_neighbours float8, target float8, rag text,
			   started timestamptz, finished timestamptz)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
COST 1000000000 ROWS 100000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t0 timestamptz := clock_timestamp();
BEGIN
	RETURN QUERY EXECUTE format('SELECT q.*, %L::timestamptz, pg_catalog.clock_timestamp() FROM (%s) AS q',
								t0, @extschema@._theme_query(target_schema, theme));
END
$$;
COMMENT ON FUNCTION @extschema@._theme_rows(text, text, regclass[]) IS
	'rows of theme view theme of target_schema as its query computes them, with when the query started and when it produced the row; reads names the relations it reads (recorded as dependencies)';

-- Relation kinds the SSD inputs may be (tables, views, ...).
CREATE FUNCTION @extschema@._source_relation(nsp oid, rel text) RETURNS oid
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT k.oid FROM pg_class k
WHERE k.relnamespace = nsp AND k.relname = rel AND k.relkind IN ('r', 'v', 'm', 'f', 'p')
$$;
COMMENT ON FUNCTION @extschema@._source_relation(oid, text) IS
	'the table or view rel of schema nsp, or NULL';

-- Whether relation rel has a column col.
CREATE FUNCTION @extschema@._has_column(rel oid, col text) RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT EXISTS (SELECT 1 FROM pg_attribute a
			   WHERE a.attrelid = rel AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped)
$$;
COMMENT ON FUNCTION @extschema@._has_column(oid, text) IS
	'true when relation rel has a column named col';

-- Builds the report layer of target_schema over the SSD tables of source_schema.
CREATE FUNCTION @extschema@.build_reports(source_schema text, target_schema text, min_count int,
										  only_themes text[] DEFAULT NULL)
RETURNS int
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $build$
DECLARE
	src_oid oid;
	tgt_oid oid;
	missing text;
	n_tables int;
	n_area int;
	have_decisions boolean;
	have_cme boolean;
	area text;
	decisions text;
	prev_themes text[] := '{}';
	themes text[];
	normalised text[];
	reserved constant text[] := ARRAY['data_quality', 'inputs_available', 'report_periods', 'measures',
									  'published', 'suppression', 'report_build', 'theme_rows',
									  'person_keys'];
	costliest constant text[] := ARRAY['looked_after', 'assessments', 'workforce', 'child_protection',
									   'children_in_need', 'front_door', 'care_leavers', 'missing'];
	t record;
	a record;
	q text;
	cols text;
	layer_reads text;
	keys text[];
	note text;
	ti int;
BEGIN
	IF source_schema IS NULL OR target_schema IS NULL OR min_count IS NULL THEN
		RAISE EXCEPTION 'build_reports arguments must not be NULL' USING ERRCODE = '22004';
	END IF;
	IF min_count < 1 THEN
		RAISE EXCEPTION 'min_count % is below 1', min_count USING ERRCODE = '22023',
			HINT = 'published suppresses counts from 1 to min_count - 1: 6 is the DfE rule, 1 suppresses nothing.';
	END IF;
	IF octet_length(source_schema) > 63 OR octet_length(target_schema) > 63 THEN
		RAISE EXCEPTION 'schema name too long: %', quote_ident(CASE WHEN octet_length(source_schema) > 63
																  THEN source_schema ELSE target_schema END)
			USING ERRCODE = '42622', HINT = 'PostgreSQL names have at most 63 bytes.';
	END IF;
	SELECT n.oid INTO src_oid FROM pg_namespace n WHERE n.nspname = source_schema;
	IF src_oid IS NULL THEN
		RAISE EXCEPTION 'source schema % does not exist', quote_ident(source_schema) USING ERRCODE = '3F000',
			HINT = 'Pass the schema that holds the SSD tables (ssd_person, ssd_contacts, ...), or fill one with skpi.generate_ssd().';
	END IF;
	IF target_schema = source_schema OR target_schema IN ('@extschema@', 'pg_catalog', 'information_schema', 'pg_temp')
	   OR target_schema LIKE 'pg\_%' THEN
		RAISE EXCEPTION 'cannot build reports in schema %', quote_ident(target_schema) USING ERRCODE = '22023',
			HINT = 'Give the reports a schema of their own, such as kpi.';
	END IF;

	-- Every SSD table and column must be there; the optional inputs are used when present.
	SELECT string_agg(DISTINCT i.table_name, ', ') INTO missing
	FROM @extschema@._ssd_inputs() i
	WHERE NOT i.optional AND @extschema@._source_relation(src_oid, i.table_name) IS NULL;
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION 'schema % lacks SSD tables: %', quote_ident(source_schema), missing USING ERRCODE = '42P01',
			HINT = 'The report layer reads the Standard Safeguarding Dataset tables of inputs.md; a council without them creates views with those names over its own tables.';
	END IF;
	SELECT string_agg(i.table_name || '.' || i.column_name, ', ' ORDER BY i.table_name, i.column_name) INTO missing
	FROM @extschema@._ssd_inputs() i
	WHERE @extschema@._source_relation(src_oid, i.table_name) IS NOT NULL
	  AND NOT @extschema@._has_column(@extschema@._source_relation(src_oid, i.table_name), i.column_name);
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION 'tables of schema % lack columns: %', quote_ident(source_schema), missing USING ERRCODE = '42703',
			HINT = 'Column names are those of the SSD (inputs.md).';
	END IF;
	have_decisions := @extschema@._source_relation(src_oid, 'contact_decisions') IS NOT NULL;
	have_cme := @extschema@._source_relation(src_oid, 'children_missing_education') IS NOT NULL;

	-- Several councils when every SSD table has an area_code column, else one called 'local'.
	SELECT count(*), count(*) FILTER (WHERE @extschema@._has_column(@extschema@._source_relation(src_oid, x.table_name), 'area_code'))
	INTO n_tables, n_area
	FROM (SELECT DISTINCT i.table_name FROM @extschema@._ssd_inputs() i WHERE NOT i.optional) x;
	IF n_area = n_tables THEN
		area := 't.area_code::text';
		SELECT string_agg(x.table_name, ', ') INTO missing
		FROM (VALUES ('contact_decisions', have_decisions), ('children_missing_education', have_cme)) AS x(table_name, present)
		WHERE x.present AND NOT @extschema@._has_column(@extschema@._source_relation(src_oid, x.table_name), 'area_code');
		IF missing IS NOT NULL THEN
			RAISE EXCEPTION 'optional inputs of schema % lack an area_code column: %', quote_ident(source_schema), missing
				USING ERRCODE = '42703', HINT = 'The SSD tables have area_code (several councils): give these tables the column too.';
		END IF;
	ELSE
		area := '''local''::text';
		IF n_area > 0 THEN
			RAISE WARNING 'only % of the % SSD tables of schema % have an area_code column: reporting them as one council, local',
				n_area, n_tables, quote_ident(source_schema);
		END IF;
	END IF;
	-- The first decision of each contact (copy 1 of {dedup}, which sorts only the contacts with
	-- several).
	decisions := CASE WHEN have_decisions THEN
		@extschema@._report_expand(
			'(WITH s AS NOT MATERIALIZED (SELECT {area} AS area_code, t.contact_id::text AS contact_id,'
			' t.decided_at::timestamp AS decided_at, t.need_level::int AS need_level'
			' FROM {src}.contact_decisions t),'
			' k AS ({dedup:s.area_code, s.contact_id|s.decided_at, s.need_level})'
			' SELECT k.area_code, k.contact_id, k.decided_at, k.need_level FROM k WHERE k.copy_no = 1)',
			source_schema, target_schema, area, NULL)
		ELSE '(SELECT NULL::text AS area_code, NULL::text AS contact_id, NULL::timestamp AS decided_at,'
			 ' NULL::int AS need_level WHERE false)' END;

	SELECT string_agg(quote_ident(x), ', ') INTO missing
	FROM unnest(only_themes) x
	WHERE x IS NULL OR x NOT IN (SELECT y.theme FROM @extschema@._report_themes() y);
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION 'unknown report themes: %', missing USING ERRCODE = '22023',
			HINT = 'A theme is a function skpi._theme_<name>(text) returning text; NULL builds every theme.';
	END IF;
	SELECT array_agg(x.theme ORDER BY x.theme) INTO themes
	FROM @extschema@._report_themes() x
	WHERE only_themes IS NULL OR x.theme = ANY (only_themes);
	themes := coalesce(themes, '{}');
	SELECT string_agg(x, ', ') INTO missing
	FROM unnest(themes) x
	WHERE x = ANY (reserved) OR x LIKE 'n\_%' OR x LIKE 'checked\_%';
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION 'theme names clash with report objects: %', missing USING ERRCODE = '42P07',
			HINT = 'Rename the functions skpi._theme_<name>: n_*, checked_* and the names of report objects are taken.';
	END IF;

	-- The target schema: created, or emptied of an earlier build's objects (never CASCADE, so
	-- that objects of the council's own that use them stop the rebuild with an error).
	SELECT n.oid INTO tgt_oid FROM pg_namespace n WHERE n.nspname = target_schema;
	IF tgt_oid IS NULL THEN
		EXECUTE format('CREATE SCHEMA %I', target_schema);
	ELSE
		IF @extschema@._source_relation(tgt_oid, 'report_build') IS NOT NULL THEN
			EXECUTE format('SELECT themes FROM %I.report_build', target_schema) INTO prev_themes;
		END IF;
		EXECUTE format('DROP VIEW IF EXISTS %I.published', target_schema);
		EXECUTE format('DROP VIEW IF EXISTS %I.measures', target_schema);
		FOR t IN SELECT DISTINCT x FROM unnest(coalesce(prev_themes, '{}') || themes) x LOOP
			IF EXISTS (SELECT 1 FROM pg_class k WHERE k.relnamespace = tgt_oid AND k.relname = t.x AND k.relkind = 'm') THEN
				EXECUTE format('DROP MATERIALIZED VIEW %I.%I', target_schema, t.x);
			END IF;
		END LOOP;
		EXECUTE format('DROP MATERIALIZED VIEW IF EXISTS %I.theme_rows', target_schema);
		EXECUTE format('DROP TABLE IF EXISTS %I.suppression', target_schema);
		EXECUTE format('DROP TABLE IF EXISTS %I.report_build', target_schema);
		-- a view in schemas built before it became a materialized view
		IF EXISTS (SELECT 1 FROM pg_class k WHERE k.relnamespace = tgt_oid AND k.relname = 'report_periods'
				   AND k.relkind = 'v') THEN
			EXECUTE format('DROP VIEW %I.report_periods', target_schema);
		ELSE
			EXECUTE format('DROP MATERIALIZED VIEW IF EXISTS %I.report_periods', target_schema);
		END IF;
		EXECUTE format('DROP VIEW IF EXISTS %I.data_quality', target_schema);
		EXECUTE format('DROP VIEW IF EXISTS %I.inputs_available', target_schema);
		FOR t IN SELECT DISTINCT x.ord, x.name FROM @extschema@._report_templates() x ORDER BY x.ord DESC LOOP
			IF t.name = 'person' THEN
				EXECUTE format('DROP MATERIALIZED VIEW IF EXISTS %I.person_keys', target_schema);
			END IF;
			EXECUTE format('DROP VIEW IF EXISTS %I.%I', target_schema, 'n_' || t.name);
			IF EXISTS (SELECT 1 FROM pg_class k WHERE k.relnamespace = tgt_oid AND k.relname = 'checked_' || t.name
					   AND k.relkind = 'v') THEN
				EXECUTE format('DROP VIEW %I.%I', target_schema, 'checked_' || t.name);
			ELSE
				EXECUTE format('DROP MATERIALIZED VIEW IF EXISTS %I.%I', target_schema, 'checked_' || t.name);
			END IF;
		END LOOP;
	END IF;

	-- Normalisation layer: checked_ materialized views (filled by refresh_reports, in this
	-- order) and n_ views of their usable rows. Like report_periods, they are left alone by
	-- autovacuum: every refresh writes them anew (no dead rows) and analyses them itself, and
	-- autovacuum's pass over the rows of the last refresh only competes with the next one.
	normalised := '{}';
	FOR t IN
		SELECT x.* FROM @extschema@._report_templates() x
		WHERE x.needs IS NULL
		   OR x.needs = CASE WHEN have_cme THEN '+' ELSE '-' END || 'children_missing_education'
		ORDER BY x.ord
	LOOP
		EXECUTE format('CREATE MATERIALIZED VIEW %I.%I WITH (autovacuum_enabled = false) AS ', target_schema, 'checked_' || t.name)
			|| @extschema@._report_expand(t.template, source_schema, target_schema, area, decisions)
			|| ' WITH NO DATA';
		normalised := normalised || ('checked_' || t.name);
		SELECT string_agg(quote_ident(x.attname), ', ' ORDER BY x.attnum) INTO cols
		FROM pg_attribute x
		WHERE x.attrelid = format('%I.%I', target_schema, 'checked_' || t.name)::regclass
		  AND x.attnum > 0 AND NOT x.attisdropped AND x.attname NOT IN ('dq_rule', 'dq_detail', 'usable');
		EXECUTE format('CREATE VIEW %I.%I WITH (security_invoker = true) AS SELECT %s FROM %I.%I WHERE usable',
					   target_schema, 'n_' || t.name, cols, target_schema, 'checked_' || t.name);
		-- The usable persons' keys as one value, built once per refresh: the orphan checks of
		-- the views after it ({person:x} of _report_expand) search it in their scans, in
		-- parallel workers, where a join with n_person was done by the leader of each refresh.
		-- Stored out of line and uncompressed: every process that reads it reads all of it.
		IF t.name = 'person' THEN
			EXECUTE format('CREATE MATERIALIZED VIEW %I.person_keys WITH (autovacuum_enabled = false) AS SELECT @extschema@._key_set(p.area_code, p.person_id) AS keys FROM %I.n_person p WITH NO DATA',
						   target_schema, target_schema);
			EXECUTE format('ALTER MATERIALIZED VIEW %I.person_keys ALTER COLUMN keys SET STORAGE EXTERNAL', target_schema);
			normalised := normalised || 'person_keys'::text;
		END IF;
	END LOOP;
	-- The front-door theme counts contacts per council, month and source code (con_m in
	-- _theme_front_door). Without statistics on that month the planner takes each day for a
	-- group of its own, expects a group per contact and sorts every contact to count them; with
	-- them it hashes the few groups. Built by the ANALYZE of each refresh.
	IF 'checked_contacts' = ANY (normalised) THEN
		EXECUTE format('CREATE STATISTICS %I.checked_contacts_month ON (pg_catalog.date_trunc(''month'', contact_date::pg_catalog.timestamp)::pg_catalog.date) FROM %I.checked_contacts',
					   target_schema, target_schema);
	END IF;

	SELECT string_agg(format('SELECT area_code, %L::text AS source_table, %I AS source_id, dq_rule AS rule, dq_detail AS detail FROM %I.%I WHERE dq_rule IS NOT NULL',
							 x.source_table, x.id_column, target_schema, 'checked_' || x.name),
					  E'\nUNION ALL ' ORDER BY x.ord) INTO q
	FROM (SELECT DISTINCT y.ord, y.name, y.source_table, y.id_column FROM @extschema@._report_templates() y) x;
	EXECUTE format('CREATE VIEW %I.data_quality WITH (security_invoker = true) AS ', target_schema) || q;

	EXECUTE format('CREATE VIEW %I.inputs_available AS SELECT x.input, x.available FROM (VALUES (%L::text, %L::boolean), (%L::text, %L::boolean)) AS x(input, available)',
				   target_schema, 'contact_decisions', have_decisions, 'children_missing_education', have_cme);

	-- Materialized, refreshed after the normalisation layer it reads: every theme view reads it,
	-- and as a view its span was worked out again from every contact and referral for each.
	EXECUTE format($q$CREATE MATERIALIZED VIEW %1$I.report_periods WITH (autovacuum_enabled = false) AS
		WITH span AS (
			-- from the first contact (the referrals of an extract go back to cases opened long
			-- before it, in months without front-door data) to the last contact or referral
			SELECT d.area_code, coalesce(min(d.day) FILTER (WHERE d.contact), min(d.day)) AS first_day,
				   max(d.day) AS last_day
			FROM (SELECT area_code, contact_date AS day, true AS contact FROM %1$I.n_contacts
				  UNION ALL SELECT area_code, referral_date, false FROM %1$I.n_referrals) d
			GROUP BY d.area_code
		)
		SELECT s.area_code, u.period_type, p.label AS period_label, p.period_start, p.period_end
		FROM span s
		CROSS JOIN (VALUES ('month'::text), ('quarter'), ('year')) AS u(period_type)
		CROSS JOIN LATERAL @extschema@.periods(s.first_day, s.last_day, u.period_type) p
		WHERE p.period_start >= s.first_day AND p.period_end <= s.last_day
		WITH NO DATA$q$, target_schema);
	normalised := normalised || 'report_periods'::text;

	-- Every theme's rows, computed side by side: one call of _theme_rows per theme, which the
	-- planner runs in parallel workers, the costliest first (by a refresh of 150 councils) so
	-- that the workers finish together. Every relation of the normalisation layer is named as
	-- read, to be a dependency (a theme query's own reads are hidden in _theme_rows).
	SELECT string_agg(format('%L::regclass', format('%I.%I', target_schema, x)), ', ' ORDER BY o) INTO layer_reads
	FROM unnest(normalised) WITH ORDINALITY AS u(x, o);
	SELECT string_agg(format('SELECT %L::text AS theme, r.* FROM @extschema@._theme_rows(%L, %L, ARRAY[%s]) AS r',
							 x, target_schema, x, layer_reads),
					  E'\nUNION ALL ' ORDER BY array_position(costliest, x) NULLS LAST, x) INTO q
	FROM unnest(themes) x;
	EXECUTE format('CREATE MATERIALIZED VIEW %I.theme_rows WITH (autovacuum_enabled = false) AS ', target_schema)
		|| coalesce(q, format('SELECT NULL::text AS theme, r.* FROM @extschema@._theme_rows(%L, NULL, ARRAY[%s]) AS r',
							  target_schema, layer_reads))
		|| ' WITH NO DATA';

	-- One materialized view per theme, filled by refresh_reports from theme_rows.
	FOR ti IN 1 .. coalesce(array_length(themes, 1), 0) LOOP
		PERFORM @extschema@._theme_query(target_schema, themes[ti]);
		EXECUTE format($q$CREATE MATERIALIZED VIEW %1$I.%2$I AS
			SELECT area_code, period_type, period_label, period_start, period_end, measure, breakdown,
				numerator, denominator, value, unit, polarity, england, stat_neighbours, target, rag
			FROM %1$I.theme_rows WHERE theme = %3$L
			WITH NO DATA$q$, target_schema, themes[ti], themes[ti]);
		EXECUTE format('CREATE UNIQUE INDEX %I ON %I.%I (area_code, period_type, period_label, measure, breakdown)',
					   themes[ti] || '_cell', target_schema, themes[ti]);
	END LOOP;

	-- measures (every theme) and published (suppressed).
	IF coalesce(array_length(themes, 1), 0) = 0 THEN
		q := 'SELECT NULL::text AS theme, NULL::text AS area_code, NULL::text AS period_type, NULL::text AS period_label,'
			 ' NULL::date AS period_start, NULL::date AS period_end, NULL::text AS measure, NULL::text AS breakdown,'
			 ' NULL::numeric AS numerator, NULL::numeric AS denominator, NULL::numeric AS value, NULL::text AS unit,'
			 ' NULL::text AS polarity, NULL::float8 AS england, NULL::float8 AS stat_neighbours, NULL::float8 AS target,'
			 ' NULL::text AS rag WHERE false';
	ELSE
		SELECT string_agg(format('SELECT %L::text AS theme, area_code, period_type, period_label, period_start,'
								 ' period_end, measure, breakdown, numerator, denominator, value, unit, polarity,'
								 ' england, stat_neighbours, target, rag FROM %I.%I', x, target_schema, x),
						  E'\nUNION ALL ' ORDER BY x) INTO q
		FROM unnest(themes) x;
	END IF;
	EXECUTE format('CREATE VIEW %I.measures AS ', target_schema) || q;

	EXECUTE format('CREATE TABLE %I.report_build (source_schema text NOT NULL, built_at timestamptz NOT NULL,'
				   ' min_count int NOT NULL, themes text[] NOT NULL, area_column boolean NOT NULL,'
				   ' normalised text[] NOT NULL)', target_schema);
	EXECUTE format('INSERT INTO %I.report_build VALUES ($1, now(), $2, $3, $4, $5)', target_schema)
		USING source_schema, min_count, themes, n_area = n_tables, normalised;
	EXECUTE format('CREATE TABLE %I.suppression (area_code text, period_type text, period_label text, measure text,'
				   ' breakdown text, reason text NOT NULL,'
				   ' PRIMARY KEY (area_code, period_type, period_label, measure, breakdown))', target_schema);
	EXECUTE format($q$CREATE VIEW %1$I.published AS
		SELECT m.theme, m.area_code, m.period_type, m.period_label, m.period_start, m.period_end, m.measure,
			m.breakdown, CASE WHEN x.suppressed THEN NULL ELSE m.numerator END AS numerator,
			CASE WHEN x.suppressed THEN NULL ELSE m.denominator END AS denominator,
			CASE WHEN x.suppressed THEN NULL ELSE m.value END AS value, m.unit, m.polarity, m.england,
			m.stat_neighbours, m.target, CASE WHEN x.suppressed THEN NULL ELSE m.rag END AS rag, x.suppressed
		FROM %1$I.measures m
		LEFT JOIN %1$I.suppression s
			ON s.area_code = m.area_code AND s.period_type = m.period_type AND s.period_label = m.period_label
			   AND s.measure = m.measure AND s.breakdown = m.breakdown
		CROSS JOIN LATERAL (SELECT s.reason IS NOT NULL OR coalesce(%2$s, false) AS suppressed) x$q$,
		target_schema, @extschema@._small_cell_sql('m', format('(SELECT b.min_count FROM %I.report_build b)', target_schema)));

	-- Comments on every view, table and column.
	SELECT n.oid INTO tgt_oid FROM pg_namespace n WHERE n.nspname = target_schema;
	FOR t IN
		SELECT k.oid, k.relname, k.relkind FROM pg_class k
		WHERE k.relnamespace = tgt_oid AND k.relkind IN ('v', 'm', 'r')
	LOOP
		IF t.relname ~ '^(n|checked)_' THEN
			keys := ARRAY[regexp_replace(t.relname, '^(n|checked)_', '')];
			note := (SELECT x.comment FROM @extschema@._report_comments() x
					 WHERE x.object = keys[1] AND x.column_name IS NULL);
			note := CASE WHEN t.relname LIKE 'n\_%'
						 THEN format('usable rows of %s, normalised for the measures (checked_%s and data_quality list the rows left out)', note, keys[1])
						 ELSE format('every row of %s with its normalised columns and the data-quality rule that keeps it out of the measures, as of the last refresh_reports', note) END;
		ELSIF t.relname = ANY (themes) THEN
			keys := ARRAY['theme'];
			note := format('report view of theme %s: one row per council, period, measure and breakdown, with comparators, target and RAG%s',
						   t.relname,
						   coalesce(': ' || obj_description(format('@extschema@.%I(text)', '_theme_' || t.relname)::regprocedure, 'pg_proc'), ''));
		ELSE
			keys := CASE t.relname
						WHEN 'measures' THEN ARRAY['measures', 'theme']
						WHEN 'theme_rows' THEN ARRAY['theme_rows', 'measures', 'theme']
						WHEN 'published' THEN ARRAY['published', 'measures', 'theme']
						WHEN 'suppression' THEN ARRAY['suppression', 'theme']
						WHEN 'report_periods' THEN ARRAY['report_periods', 'theme']
						ELSE ARRAY[t.relname::text] END;
			note := (SELECT x.comment FROM @extschema@._report_comments() x
					 WHERE x.object = keys[1] AND x.column_name IS NULL);
		END IF;
		CONTINUE WHEN note IS NULL;
		EXECUTE format('COMMENT ON %s %I.%I IS %L',
					   CASE t.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
					   target_schema, t.relname, note);
		FOR a IN
			WITH cm AS MATERIALIZED (SELECT * FROM @extschema@._report_comments())
			SELECT x.attname,
				(SELECT cm.comment FROM cm JOIN unnest(keys || '*'::text) WITH ORDINALITY AS k(key, pos) ON k.key = cm.object
				 WHERE cm.column_name = x.attname ORDER BY k.pos LIMIT 1) AS note
			FROM pg_attribute x
			WHERE x.attrelid = t.oid AND x.attnum > 0 AND NOT x.attisdropped
		LOOP
			CONTINUE WHEN a.note IS NULL;
			EXECUTE format('COMMENT ON COLUMN %I.%I.%I IS %L', target_schema, t.relname, a.attname, a.note);
		END LOOP;
	END LOOP;

	-- A reporting role, when it exists, reads the report views and nothing else.
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kpi_reader') THEN
		EXECUTE format('GRANT USAGE ON SCHEMA %I TO kpi_reader', target_schema);
		EXECUTE format('GRANT SELECT ON %I.measures, %I.published, %I.inputs_available TO kpi_reader',
					   target_schema, target_schema, target_schema);
		FOR ti IN 1 .. coalesce(array_length(themes, 1), 0) LOOP
			EXECUTE format('GRANT SELECT ON %I.%I TO kpi_reader', target_schema, themes[ti]);
		END LOOP;
	END IF;

	PERFORM 1 FROM @extschema@.refresh_reports(target_schema);
	RETURN coalesce(array_length(themes, 1), 0);
END
$build$;
COMMENT ON FUNCTION @extschema@.build_reports(text, text, int, text[]) IS
	'build_reports(source_schema, target_schema) with the suppression threshold of published (counts from 1 to min_count - 1 are suppressed; 6 by default) and the themes to build (NULL: every function skpi._theme_<name>)';

CREATE FUNCTION @extschema@.build_reports(source_schema text DEFAULT 'ssd', target_schema text DEFAULT 'kpi')
RETURNS int
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$ SELECT @extschema@.build_reports(source_schema, target_schema, 6, NULL) $$;
COMMENT ON FUNCTION @extschema@.build_reports(text, text) IS
	'creates (or replaces) in target_schema the report layer over the SSD tables of source_schema: normalised views n_*, checked_*, person_keys, data_quality, inputs_available, report_periods, theme_rows (every theme''s rows, its queries run side by side), one materialized view per theme, measures and published (counts 1-5 suppressed); returns the number of theme views';

-- Refreshes the theme views of a report schema and recomputes the suppressed cells.
CREATE FUNCTION @extschema@.refresh_reports(target_schema text DEFAULT 'kpi')
RETURNS TABLE (view_name text, rows bigint, seconds float8)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
-- the normalised views are analysed for the theme queries' join plans only: a small sample
-- does (ANALYZE of every view at the default 100 took a third of a refresh)
SET default_statistics_target = 10
AS $refresh$
DECLARE
	tgt_oid oid;
	themes text[];
	normalised text[];
	mc int;
	th text;
	populated boolean;
	t0 timestamptz;
	n bigint;
	small text;
	merge_setting text;
	tuple_cost_setting text;
	work_mem_setting text;
	leader_setting text;
	theme_names text[];
	theme_counts bigint[];
	theme_seconds float8[];
BEGIN
	IF target_schema IS NULL THEN
		RAISE EXCEPTION 'target_schema must not be NULL' USING ERRCODE = '22004';
	END IF;
	SELECT k.oid INTO tgt_oid FROM pg_namespace k WHERE k.nspname = target_schema;
	IF tgt_oid IS NULL THEN
		RAISE EXCEPTION 'schema % does not exist', quote_ident(target_schema) USING ERRCODE = '3F000',
			HINT = 'Build the reports first: SELECT skpi.build_reports(source_schema, target_schema).';
	END IF;
	IF @extschema@._source_relation(tgt_oid, 'report_build') IS NULL THEN
		RAISE EXCEPTION 'schema % holds no reports', quote_ident(target_schema) USING ERRCODE = '22023',
			HINT = 'Build the reports first: SELECT skpi.build_reports(source_schema, target_schema).';
	END IF;
	EXECUTE format('SELECT b.themes, b.min_count, b.normalised FROM %I.report_build b', target_schema)
		INTO themes, mc, normalised;
	-- One refresh of a schema at a time (readers are not blocked).
	EXECUTE format('LOCK TABLE %I.suppression IN SHARE ROW EXCLUSIVE MODE', target_schema);

	-- The normalisation layer first, in dependency order (each reads the n_ views before it),
	-- then analysed so that the theme queries are planned on real row counts. Only analysts
	-- with rights on the SSD read these: a plain refresh makes them wait, never see a gap.
	-- Planned without merge joins: the planner costs the sort of every source row for a merge
	-- anti-join with the few duplicate ids ({dedup} in _report_expand) below a hash anti-join,
	-- and that sort is what {dedup} is there to avoid.
	merge_setting := current_setting('enable_mergejoin');
	tuple_cost_setting := current_setting('parallel_tuple_cost');
	PERFORM set_config('enable_mergejoin', 'off', true);
	-- Each source row costs microseconds of parsing and checking ({dedup}, _json_fields, the
	-- code maps), far more than the planner's few operator costs; at the default
	-- parallel_tuple_cost it keeps the scans serial. Lowered, they run in parallel workers and
	-- the leader joins and writes the rows: a fifth off the layer at 15 councils.
	PERFORM set_config('parallel_tuple_cost', '0.001', true);
	-- The layer's joins are foreign-key checks of every source row (the persons are looked up
	-- in person_keys instead) and the leader hashes the parent table: with work_mem alone, a
	-- national n_referrals (7M rows) is split into batches and every child row is written to
	-- temporary files and read back. As PostgreSQL does when it validates a foreign key, these
	-- few big joins get maintenance_work_mem when that is larger; the theme queries, with many
	-- smaller nodes, keep work_mem.
	work_mem_setting := current_setting('work_mem');
	IF pg_catalog.pg_size_bytes(current_setting('maintenance_work_mem'))
	   > pg_catalog.pg_size_bytes(work_mem_setting) THEN
		PERFORM set_config('work_mem', current_setting('maintenance_work_mem'), true);
	END IF;
	FOREACH th IN ARRAY normalised LOOP
		t0 := clock_timestamp();
		IF @extschema@._source_relation(tgt_oid, th) IS NULL THEN
			RAISE EXCEPTION 'report view %.% is missing', quote_ident(target_schema), quote_ident(th)
				USING ERRCODE = '42P01', HINT = 'Rebuild the reports with skpi.build_reports.';
		END IF;
		EXECUTE format('REFRESH MATERIALIZED VIEW %I.%I', target_schema, th);
		EXECUTE format('ANALYZE %I.%I', target_schema, th);
		EXECUTE format('SELECT count(*) FROM %I.%I', target_schema, th) INTO n;
		view_name := th;
		rows := n;
		seconds := extract(epoch FROM clock_timestamp() - t0);
		RETURN NEXT;
	END LOOP;
	PERFORM set_config('enable_mergejoin', merge_setting, true);
	PERFORM set_config('parallel_tuple_cost', tuple_cost_setting, true);
	PERFORM set_config('work_mem', work_mem_setting, true);

	-- Every theme's query at once: theme_rows runs them side by side, each in a parallel worker
	-- (see _theme_rows), while this session only collects their rows (taking a theme itself, it
	-- would leave the workers' finished rows waiting); with no worker to be had it runs them one
	-- after another. A theme's seconds below are its query's, then its view's copy.
	t0 := clock_timestamp();
	IF @extschema@._source_relation(tgt_oid, 'theme_rows') IS NULL THEN
		RAISE EXCEPTION 'report view %.% is missing', quote_ident(target_schema), 'theme_rows'
			USING ERRCODE = '42P01', HINT = 'Rebuild the reports with skpi.build_reports.';
	END IF;
	leader_setting := current_setting('parallel_leader_participation');
	PERFORM set_config('parallel_leader_participation', 'off', true);
	EXECUTE format('REFRESH MATERIALIZED VIEW %I.theme_rows', target_schema);
	PERFORM set_config('parallel_leader_participation', leader_setting, true);
	EXECUTE format('SELECT coalesce(array_agg(x.theme), ''{}''), coalesce(array_agg(x.n), ''{}''), coalesce(array_agg(x.s), ''{}'')
		FROM (SELECT r.theme, count(*) AS n, extract(epoch FROM max(r.finished) - min(r.started))::float8 AS s
			  FROM %I.theme_rows r GROUP BY r.theme) x', target_schema)
		INTO theme_names, theme_counts, theme_seconds;
	view_name := 'theme_rows';
	rows := (SELECT coalesce(sum(x), 0) FROM unnest(theme_counts) x);
	seconds := extract(epoch FROM clock_timestamp() - t0);
	RETURN NEXT;

	-- Theme views, concurrently once populated: readers keep the old rows until commit.
	FOREACH th IN ARRAY themes LOOP
		t0 := clock_timestamp();
		SELECT k.relispopulated INTO populated
		FROM pg_class k WHERE k.relnamespace = tgt_oid AND k.relname = th AND k.relkind = 'm';
		IF populated IS NULL THEN
			RAISE EXCEPTION 'report view %.% is missing', quote_ident(target_schema), quote_ident(th)
				USING ERRCODE = '42P01', HINT = 'Rebuild the reports with skpi.build_reports.';
		END IF;
		EXECUTE format('REFRESH MATERIALIZED VIEW %s %I.%I', CASE WHEN populated THEN 'CONCURRENTLY' ELSE '' END,
					   target_schema, th);
		view_name := th;
		rows := coalesce(theme_counts[array_position(theme_names, th)], 0);
		seconds := coalesce(theme_seconds[array_position(theme_names, th)], 0)
				   + extract(epoch FROM clock_timestamp() - t0);
		RETURN NEXT;
	END LOOP;

	-- Suppressed cells: primary (small counts), then secondary: while a group's suppressed
	-- cells could be worked out from its published cells, the smallest other cell of the group
	-- is suppressed too. A group (the breakdowns of a measure in a period; a quarter with its
	-- months; a year with its quarters, when the quarter or year itself is there) is unsafe
	-- when it has exactly one suppressed cell, when its suppressed cells add up to less than
	-- min_count, or when they are all small counts that add up to their least or most
	-- possible total (all 1, or all min_count - 1). Sizes are numerators (counts for counts);
	-- a zero cell is never picked (a reader who knows the rule would know it is 0).
	t0 := clock_timestamp();
	small := @extschema@._small_cell_sql('m', mc::text);
	-- The cells that can be picked or hide something, with their groups worked out once and the
	-- primary ones marked: _secondary_suppression reads them once and runs the passes in memory
	-- (src/suppression.c). Each pass looks at the groups that gained a suppressed cell in the
	-- pass before (the first, at those with a primary cell): a group's safety depends on its own
	-- cells only.
	IF to_regclass('pg_temp._skpi_cells') IS NOT NULL THEN
		DROP TABLE pg_temp._skpi_cells;
	END IF;
	EXECUTE format($q$CREATE TEMP TABLE _skpi_cells ON COMMIT DROP AS
		SELECT m.area_code, m.period_type, m.period_label, m.period_start, m.measure, m.breakdown,
			coalesce(m.numerator, m.value) AS size,
			NOT coalesce(m.numerator, m.value) > 0 AS zero,
			coalesce(%2$s, false) AS prim,
			CASE m.period_type WHEN 'month' THEN @extschema@.fiscal_period(m.period_start)
							   WHEN 'quarter' THEN m.period_label END AS quarter_group,
			CASE m.period_type WHEN 'quarter' THEN @extschema@.fiscal_year(m.period_start)
							   WHEN 'year' THEN m.period_label END AS year_group
		FROM %1$I.measures m
		WHERE m.value IS NOT NULL$q$, target_schema, small);
	EXECUTE format('DELETE FROM %I.suppression', target_schema);
	EXECUTE format($q$INSERT INTO %1$I.suppression (area_code, period_type, period_label, measure, breakdown, reason)
		SELECT DISTINCT c.area_code, c.period_type, c.period_label, c.measure, c.breakdown, 'primary'
		FROM pg_temp._skpi_cells c WHERE c.prim
		ON CONFLICT DO NOTHING$q$, target_schema);
	EXECUTE format($q$INSERT INTO %1$I.suppression (area_code, period_type, period_label, measure, breakdown, reason)
		SELECT s.area_code, s.period_type, s.period_label, s.measure, s.breakdown, 'secondary'
		FROM @extschema@._secondary_suppression('pg_temp._skpi_cells'::regclass, %2$s) s
		ON CONFLICT DO NOTHING$q$, target_schema, mc);
	DROP TABLE pg_temp._skpi_cells;
	EXECUTE format('SELECT count(*) FROM %I.suppression', target_schema) INTO n;
	view_name := 'suppression';
	rows := n;
	seconds := extract(epoch FROM clock_timestamp() - t0);
	RETURN NEXT;
END
$refresh$;
COMMENT ON FUNCTION @extschema@.refresh_reports(text) IS
	'refreshes the report views of target_schema in dependency order, in one transaction: the normalisation layer (checked_*), then every theme''s query side by side in parallel workers (theme_rows), then every theme view from it (concurrently once populated, so readers never see an empty or half-built view), then the suppressed cells of published; returns rows and seconds per view (for a theme view, its query''s seconds plus its copy''s)';

-- Schedules refresh_reports(target_schema) with pg_cron.
CREATE FUNCTION @extschema@.schedule_refresh(cron text, target_schema text DEFAULT 'kpi') RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	tgt_oid oid;
	job bigint;
BEGIN
	IF cron IS NULL OR target_schema IS NULL THEN
		RAISE EXCEPTION 'schedule_refresh arguments must not be NULL' USING ERRCODE = '22004';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
		RAISE EXCEPTION 'pg_cron is not installed in database %', quote_ident(current_database())
			USING ERRCODE = '0A000',
			HINT = format('Install the postgresql-15-cron package, set shared_preload_libraries = ''pg_cron'' and cron.database_name = %L in postgresql.conf, restart the server, then run CREATE EXTENSION pg_cron in that database.',
						  current_database());
	END IF;
	IF cron !~ '^[[:space:]]*[^[:space:]]+([[:space:]]+[^[:space:]]+){4}[[:space:]]*$' THEN
		RAISE EXCEPTION 'invalid cron schedule %', quote_literal(cron) USING ERRCODE = '22023',
			DETAIL = 'pg_cron 1.4 takes five fields: minute, hour, day of month, month, day of week.',
			HINT = 'For example ''0 6 * * *'' refreshes every day at 06:00.';
	END IF;
	SELECT k.oid INTO tgt_oid FROM pg_namespace k WHERE k.nspname = target_schema;
	IF tgt_oid IS NULL OR @extschema@._source_relation(tgt_oid, 'report_build') IS NULL THEN
		RAISE EXCEPTION 'schema % holds no reports', quote_ident(target_schema) USING ERRCODE = '22023',
			HINT = 'Build the reports first: SELECT skpi.build_reports(source_schema, target_schema).';
	END IF;
	EXECUTE 'SELECT cron.schedule($1, $2, $3)' INTO job
		USING 'skpi_refresh ' || target_schema, cron,
			  format('SELECT * FROM @extschema@.refresh_reports(%L)', target_schema);
	RETURN job;
END
$$;
COMMENT ON FUNCTION @extschema@.schedule_refresh(text, text) IS
	'schedules SELECT skpi.refresh_reports(target_schema) with pg_cron (five-field cron syntax) as job ''skpi_refresh <target_schema>'' (scheduling again replaces it); returns the pg_cron job id; 0A000 with a hint when pg_cron is not installed';

-- Removes the pg_cron job of schedule_refresh.
CREATE FUNCTION @extschema@.unschedule_refresh(target_schema text DEFAULT 'kpi') RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	found boolean;
BEGIN
	IF target_schema IS NULL THEN
		RAISE EXCEPTION 'target_schema must not be NULL' USING ERRCODE = '22004';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
		RAISE EXCEPTION 'pg_cron is not installed in database %', quote_ident(current_database())
			USING ERRCODE = '0A000', HINT = 'Nothing can be scheduled without pg_cron.';
	END IF;
	EXECUTE 'SELECT EXISTS (SELECT 1 FROM cron.job WHERE jobname = $1 AND username = current_user)'
		INTO found USING 'skpi_refresh ' || target_schema;
	IF found THEN
		EXECUTE 'SELECT cron.unschedule($1)' USING 'skpi_refresh ' || target_schema;
	END IF;
	RETURN found;
END
$$;
COMMENT ON FUNCTION @extschema@.unschedule_refresh(text) IS
	'removes the pg_cron job that schedule_refresh made for target_schema; false when there was none';
