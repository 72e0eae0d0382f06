-- ============================================================================================
-- measures: every measure of the scorecard (docs/scorecard.md) as one SELECT per theme.
-- build_reports() finds the functions named _theme_<theme>, runs each on the target schema and
-- makes the SELECT it returns a materialized view <target>.<theme> in the long measure shape.
-- The definition choices a council can change live in report_settings (windows, timeliness
-- start column, code lists) and contact_sources (agency of each contact source code); the trio
-- grouping is toxic_trio_codes, description-to-code mappings are code_map. They are read when the
-- views are refreshed, so an edit takes effect at the next refresh_reports().
-- ============================================================================================

-- True when value is a valid setting of that kind (int, number, interval, codes, text, regex,
-- choice:a|b|c).
CREATE FUNCTION @extschema@._setting_valid(kind text, value text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF kind = 'int' THEN
		PERFORM value::int;
	ELSIF kind = 'number' THEN
		PERFORM value::float8;
	ELSIF kind = 'interval' THEN
		RETURN value::interval > interval '0';
	ELSIF kind = 'codes' THEN
		RETURN value !~ '[^A-Za-z0-9 ,_&/-]';
	ELSIF kind = 'text' THEN
		RETURN true;
	ELSIF kind = 'regex' THEN
		PERFORM '' ~ value;
	ELSIF kind LIKE 'choice:%' THEN
		RETURN value = ANY (string_to_array(substr(kind, 8), '|'));
	ELSE
		RETURN false;
	END IF;
	RETURN true;
EXCEPTION WHEN data_exception THEN
	RETURN false;
END
$$;

-- Definition choices of the measures, one row per setting.
CREATE TABLE @extschema@.report_settings (
	name text PRIMARY KEY,
	value text NOT NULL,
	kind text NOT NULL,
	description text NOT NULL,
	CONSTRAINT report_settings_value_valid CHECK (@extschema@._setting_valid(kind, value))
);
COMMENT ON TABLE @extschema@.report_settings IS
	'definition choices of the report measures (windows, thresholds, timeliness start column, code lists as comma-separated codes); edit value and run refresh_reports(); kind says what value must parse as';

INSERT INTO @extschema@.report_settings (name, value, kind, description) VALUES
	-- front door
	('contact_threshold_need_level', '4', 'int',
	 'a contact reaches the social care threshold when it led to a referral (new, existing or CP enquiry flag) or, where contact_decisions is supplied, its need_level is at least this'),
	('contact_decision_working_days', '1', 'int',
	 'a contact decision is timely within this many working days of the contact date (the seed''s "24 hours")'),
	('rereferral_window', '12 months', 'interval',
	 'a referral is a re-referral when the same child had a referral this long before or less (DfE: 12 months)'),
	-- assessments and factors
	('assessment_timeliness_start', 'start_date', 'choice:start_date|referral_date',
	 'column timeliness of an assessment counts from: its start_date (DfE CIN census) or the referral_date (Working Together)'),
	('assessment_working_days', '45', 'int',
	 'an assessment is timely when authorised within this many working days of its start'),
	('repeat_assessment_window', '12 months', 'interval',
	 'an assessment is a repeat when the same child had another assessment authorised this long before or less'),
	('factor_excluded_codes', '21', 'codes',
	 'factor codes that do not make an assessment one "with factors" and are left out of the rank table (21: no factors identified)'),
	('cse_factor_codes', '11A', 'codes',
	 'factor codes that flag child sexual exploitation'),
	('cce_factor_codes', '24A', 'codes',
	 'factor codes that flag child criminal exploitation / county lines'),
	-- child protection
	('icpc_working_days', '15', 'int',
	 'an ICPC is timely when held within this many working days of the strategy discussion that started the section 47 enquiry'),
	('cp_repeat_window', '2 years', 'interval',
	 'a new CP plan is a repeat "within" when an earlier plan of the child ended this long before its start or less (or is still open)'),
	('cp_sibling_group_days', '7', 'int',
	 'children of one family whose CP plans start this many days apart or less (chained) form one sibling group'),
	('cp_sibling_group_size', '3', 'int',
	 'a sibling group counts when it has at least this many children'),
	('cp_long_plan', '2 years', 'interval',
	 'a CP plan ending in the period counts as long when it lasted at least this'),
	('cp_visit_working_days', '10', 'int',
	 'local timescale for CP visits: a child on a plan at the period end is in time when seen within this many working days (or the plan is younger than that)'),
	-- children in need
	('cin_plan_long', '6 months', 'interval',
	 'a CIN plan open at the period end counts as long when open for more than this'),
	('cin_nfa_close_reasons', 'RC8,RC9', 'codes',
	 'CIN episode close reasons that mean no further action (RC8 closed after assessment, RC9 closed after assessment and referred to early help)'),
	('cin_outcome_days', '0', 'int',
	 'a CIN episode closed in the period stepped up to CP (or care) when a CP plan (or a period of care) started during it or up to this many days after its close'),
	-- looked after
	('cla_short_break_legal_statuses', 'V3,V4', 'codes',
	 'legal statuses of short breaks: episodes with these are left out of every looked-after measure'),
	('s20_legal_statuses', 'V2', 'codes',
	 'legal statuses counted as section 20 accommodation'),
	('cla_visit_days', '42', 'int',
	 'a looked-after child is visited in time when seen within this many days before the period end'),
	('cla_first_visit_days', '7', 'int',
	 'a child who has not been seen since coming into care is in time for this many days after the start of care'),
	('cla_health_check_types', 'HEALTH ASSESSMENT,INITIAL HEALTH ASSESSMENT,REVIEW HEALTH ASSESSMENT,ANNUAL HEALTH ASSESSMENT,IHA,RHA', 'codes',
	 'health check types (upper-case, trimmed) that count as a health assessment'),
	('cla_health_check_not_done', 'REFUSED,NOT COMPLETED,CANCELLED,DNA,NOT DONE', 'codes',
	 'health check statuses (upper-case, trimmed) that mean the assessment did not take place'),
	('cla_health_window', '12 months', 'interval',
	 'a health assessment counts when it took place this long before the period end or less; the denominator is children looked after continuously for at least this long'),
	('cla_stability_window', '12 months', 'interval',
	 'short-term stability counts placements in this window ending at the period end (the financial year for a year period)'),
	('cla_placements_threshold', '3', 'int',
	 'short-term stability: a child with at least this many placements in the window counts'),
	('cla_new_placement_reasons', 'S,P,B', 'codes',
	 'reasons for new episode that start a new placement'),
	('cla_temporary_placement_types', 'T0,T1,T2,T3,T4', 'codes',
	 'placement types of temporary placements, which do not count for stability'),
	('cla_same_carer_reasons', 'L,T,U', 'codes',
	 'reasons for new episode that keep the child with the same carer (long-term stability)'),
	('cla_long_term_in_care', '2 years 6 months', 'interval',
	 'long-term stability denominator: looked after continuously for at least this long at the period end'),
	('cla_long_term_same_carer', '2 years', 'interval',
	 'long-term stability numerator: with the same carer for at least this long'),
	('cla_long_term_max_age', '15', 'int',
	 'long-term stability counts children aged this or younger at the period end'),
	('cla_adoption_placement_types', 'A3,A4,A5,A6', 'codes',
	 'placement types of placements for adoption (long-term stability adds the previous placement)'),
	('cla_distance_miles', '20', 'number',
	 'a placement counts as distant when more than this many miles from home'),
	('neet_activity_codes', 'G4,G5,G6', 'codes',
	 'activity codes meaning not in education, employment or training'),
	-- care leavers
	('eet_activity_codes', 'F1,P1,F2,P2,F3,P3,F4,P4,F5,P5', 'codes',
	 'activity codes meaning in education, employment or training'),
	('care_leaver_age_from', '19', 'int',
	 'youngest age of the care leaver cohort (the seed: 18)'),
	('care_leaver_age_to', '21', 'int',
	 'oldest age of the care leaver cohort'),
	('care_leaver_in_touch_codes', 'YES', 'codes',
	 'in-touch codes that mean the local authority is in touch'),
	('care_leaver_excluded_codes', 'DIED', 'codes',
	 'in-touch codes that take the young person out of the cohort'),
	('care_leaver_birthday_before', '3 months', 'interval',
	 'national method: a status counts when recorded this long before the birthday or less'),
	('care_leaver_birthday_after', '1 month', 'interval',
	 'national method: a status counts when recorded this long after the birthday or less'),
	('bnb_accommodation_codes', 'W', 'codes',
	 'care-leaver accommodation types that are bed and breakfast'),
	('bnb_age_from', '18', 'int',
	 'youngest age of care leavers counted in bed and breakfast'),
	('bnb_age_to', '25', 'int',
	 'oldest age of care leavers counted in bed and breakfast'),
	-- missing
	('missing_types', 'MISSING,AWAY', 'codes',
	 'missing_type values counted as incidents (MISSING: whereabouts unknown, AWAY: known but not authorised)'),
	-- workforce
	('social_worker_job_title', 'social work|practitioner', 'regex',
	 'professionals whose job title matches this regular expression (case-insensitive) are social workers; their open involvements at the period end are their caseload');

SELECT @extschema@._make_reference_table('@extschema@.report_settings', ARRAY['name']);

-- The value of a report setting; error for an unknown name.
CREATE FUNCTION @extschema@.report_setting(setting_name text) RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v text;
BEGIN
	SELECT s.value INTO v FROM @extschema@.report_settings s WHERE s.name = setting_name;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown report setting "%"', setting_name
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The settings are the rows of skpi.report_settings.';
	END IF;
	RETURN v;
END
$$;
COMMENT ON FUNCTION @extschema@.report_setting(text) IS
	'value (text) of a row of skpi.report_settings; error 22023 for an unknown name';

-- A code-list setting as an array of upper-case trimmed codes.
CREATE FUNCTION @extschema@._setting_codes(setting_name text) RETURNS text[]
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT coalesce(array_agg(upper(btrim(c))) FILTER (WHERE btrim(c) <> ''), '{}')
	FROM unnest(string_to_array(@extschema@.report_setting(setting_name), ',')) AS c
$$;

-- Agency of each contact (referral) source code, for the front-door breakdown.
CREATE TABLE @extschema@.contact_sources (
	source_code text PRIMARY KEY,
	agency text NOT NULL,
	description text
);
COMMENT ON TABLE @extschema@.contact_sources IS
	'agency that each contact source code belongs to (CIN census referral sources); the front-door measures break contacts down by agency; codes not listed are reported under their own code';
INSERT INTO @extschema@.contact_sources (source_code, agency, description) VALUES
	('1A', 'individual', 'family member, relative or carer'),
	('1B', 'individual', 'acquaintance (including neighbours and child minders)'),
	('1C', 'individual', 'self'),
	('1D', 'individual', 'other (including strangers, MPs, councillors)'),
	('2A', 'schools', 'schools'),
	('2B', 'education services', 'education services'),
	('3A', 'health', 'GP'),
	('3B', 'health', 'health visitor'),
	('3C', 'health', 'school nurse'),
	('3D', 'health', 'other primary health services'),
	('3E', 'health', 'A&E'),
	('3F', 'health', 'other health services'),
	('4', 'housing', 'LA housing or housing association'),
	('5A', 'LA services', 'social care (e.g. adult social care)'),
	('5B', 'LA services', 'other internal (e.g. youth justice)'),
	('5C', 'LA services', 'external (e.g. another local authority)'),
	('5D', 'LA services', 'early help'),
	('6', 'police', 'police'),
	('7', 'other legal agency', 'courts, probation, immigration, CAFCASS, prison'),
	('8', 'other', 'children''s centres, independent providers, voluntary organisations'),
	('9', 'anonymous', 'anonymous'),
	('10', 'unknown', 'unknown');
SELECT @extschema@._make_reference_table('@extschema@.contact_sources', ARRAY['source_code']);

-- What every measure is: theme, order on the scorecard, label, unit, polarity, definition.
CREATE TABLE @extschema@.measure_catalogue (
	measure text PRIMARY KEY,
	theme text NOT NULL,
	position int NOT NULL,
	label text NOT NULL,
	unit text NOT NULL,
	polarity text NOT NULL CHECK (polarity IN ('higher', 'lower', 'neither')),
	definition text NOT NULL,
	UNIQUE (theme, position)
);
COMMENT ON TABLE @extschema@.measure_catalogue IS
	'every measure id of the report views: its theme (view), order and label on the scorecard, unit, polarity (higher or lower is better, or neither) and the definition used';

INSERT INTO @extschema@.measure_catalogue (measure, theme, position, label, unit, polarity, definition) VALUES
	('contacts', 'front_door', 1, 'Contacts', 'count', 'neither',
	 'contacts received in the period (contact_date); breakdown by agency (contact_sources), and "average per month" for quarters and years'),
	('contacts_threshold_met_pct', 'front_door', 2, 'Contacts reaching the social care threshold (%)', 'percent', 'higher',
	 'share of contacts in the period that led to a referral (new, existing or CP enquiry flag) or, with contact_decisions, reached need level report_settings.contact_threshold_need_level; breakdown by agency'),
	('contacts_decided_1wd_pct', 'front_door', 3, 'Contacts decided within 1 working day (%)', 'percent', 'higher',
	 'share of decided contacts in the period decided within contact_decision_working_days working days (needs contact_decisions)'),
	('referrals', 'front_door', 4, 'Referrals', 'count', 'neither',
	 'referrals (CIN episodes) with a referral date in the period'),
	('rereferrals_12m_pct', 'front_door', 5, 'Re-referrals within 12 months (%)', 'percent', 'lower',
	 'share of referrals in the period made within rereferral_window of the same child''s previous referral (repeat_within)'),
	('assessments_authorised', 'assessments', 1, 'Assessments authorised', 'count', 'neither',
	 'child and family assessments authorised in the period'),
	('assessments_45wd_pct', 'assessments', 2, 'Assessments authorised within 45 working days (%)', 'percent', 'higher',
	 'share of assessments authorised in the period within assessment_working_days working days of assessment_timeliness_start'),
	('assessments_repeat_12m_pct', 'assessments', 3, 'Repeat assessments within 12 months (%)', 'percent', 'lower',
	 'share of assessments authorised in the period whose child had another assessment authorised within repeat_assessment_window before (repeat_within)'),
	('assessments_with_factors', 'assessments', 4, 'Assessments with risk factors', 'count', 'neither',
	 'assessments authorised in the period with at least one factor code outside factor_excluded_codes'),
	('trio_any', 'assessments', 5, 'Toxic trio: any factor for anyone (%)', 'percent', 'neither',
	 'share of assessments with factors where any toxic-trio element is recorded for anyone (trio_of, i.e. toxic_trio over the assessment''s codes, and trio_any; grouping toxic_trio_codes)'),
	('trio_all', 'assessments', 6, 'Toxic trio: all three for anyone (%)', 'percent', 'neither',
	 'share of assessments with factors where all three toxic-trio elements are recorded (trio_all)'),
	('trio_all_parent', 'assessments', 7, 'Toxic trio: all three for the parent/carer (%)', 'percent', 'neither',
	 'share of assessments with factors where all three elements are recorded for the parent/carer (trio_all(t, ''parent/carer''))'),
	('risk_factor_pct', 'assessments', 8, 'Risk factors (% of assessments with factors)', 'percent', 'neither',
	 'for each factor code (breakdown relates-to: factor (code)), share of assessments with factors that record it (rank_table, ranks)'),
	('cse_children', 'assessments', 9, 'Children flagged for child sexual exploitation', 'count', 'neither',
	 'children with an assessment authorised in the period recording a cse_factor_codes factor'),
	('cce_children', 'assessments', 10, 'Children flagged for criminal exploitation / county lines', 'count', 'neither',
	 'children with an assessment authorised in the period recording a cce_factor_codes factor'),
	('s47_started', 'child_protection', 1, 'Section 47 enquiries started', 'count', 'neither',
	 'section 47 enquiries with a start date in the period'),
	('strategy_discussions', 'child_protection', 2, 'Strategy discussions', 'count', 'neither',
	 'strategy discussions in the period: the SSD records each as the start of a section 47 enquiry'),
	('s47_to_icpc_pct', 'child_protection', 3, 'Section 47 enquiries leading to an ICPC (%)', 'percent', 'higher',
	 'share of section 47 enquiries ending in the period that have an ICPC or an outcome CP_CONFERENCE_FLAG'),
	('icpc_15wd_pct', 'child_protection', 4, 'ICPCs within 15 working days (%)', 'percent', 'higher',
	 'share of ICPCs held in the period (transfers-in excluded) within icpc_working_days working days of the strategy discussion (section 47 start)'),
	('cp_open', 'child_protection', 5, 'Children subject to a CP plan', 'count', 'neither',
	 'CP plans open at the end of the period (open_counts)'),
	('cp_rate_per_10k', 'child_protection', 6, 'Children subject to a CP plan per 10,000', 'per 10,000', 'neither',
	 'cp_open per 10,000 children aged 0-17 (rate_per_10k, population_at)'),
	('cp_new', 'child_protection', 7, 'New CP plans', 'count', 'neither',
	 'CP plans starting in the period'),
	('cp_new_sibling_groups_3plus', 'child_protection', 8, 'New CP plans for sibling groups of 3+', 'count', 'neither',
	 'sibling groups (one family, plan starts chained within cp_sibling_group_days, spell_number) of at least cp_sibling_group_size children whose first plan starts in the period'),
	('cp_repeat_2y_pct', 'child_protection', 9, 'Repeat CP plans within 2 years (%)', 'percent', 'lower',
	 'share of plans starting in the period whose child had an earlier plan ending within cp_repeat_window before, or still open (repeat_within)'),
	('cp_second_or_subsequent_pct', 'child_protection', 10, 'Second or subsequent CP plans (%)', 'percent', 'lower',
	 'share of plans starting in the period whose child had any earlier plan (previous_end)'),
	('cp_repeat_over_2y_pct', 'child_protection', 11, 'Repeat CP plans after more than 2 years (%)', 'percent', 'lower',
	 'share of plans starting in the period that are second or subsequent but not within cp_repeat_window'),
	('cp_ended_2y_plus_pct', 'child_protection', 12, 'CP plans ending that lasted 2 years or more (%)', 'percent', 'lower',
	 'share of plans ending in the period that lasted at least cp_long_plan'),
	('cp_visits_in_time_pct', 'child_protection', 13, 'CP visits within timescale (%)', 'percent', 'higher',
	 'share of plans open at the period end whose child was seen within cp_visit_working_days working days before it (or the plan is younger than that)'),
	('cp_reviews_on_time_pct', 'child_protection', 14, 'CP reviews on time (%)', 'percent', 'higher',
	 'share of CP reviews due in the period held on or before the due date'),
	('cin_open', 'children_in_need', 1, 'Children in need', 'count', 'neither',
	 'children with a CIN episode (referral not NFA) open at the end of the period; overlapping episodes of a child merged with spell_number (open_counts)'),
	('cin_rate_per_10k', 'children_in_need', 2, 'Children in need per 10,000', 'per 10,000', 'neither',
	 'cin_open per 10,000 children aged 0-17 (rate_per_10k)'),
	('cin_plans_over_6m_pct', 'children_in_need', 3, 'CIN plans open more than 6 months (%)', 'percent', 'lower',
	 'share of CIN plans open at the period end that started more than cin_plan_long before it'),
	('cin_closed', 'children_in_need', 4, 'CIN episodes closed, by outcome', 'count', 'neither',
	 'CIN episodes closed in the period by outcome: to care / stepped up to CP (a period of care / CP plan started during the episode or within cin_outcome_days of its close), no further action (NFA flag or cin_nfa_close_reasons), other'),
	('cla_open', 'looked_after', 1, 'Children looked after', 'count', 'neither',
	 'looked-after episodes (short breaks excluded) open at the end of the period (open_counts)'),
	('cla_rate_per_10k', 'looked_after', 2, 'Children looked after per 10,000', 'per 10,000', 'neither',
	 'cla_open per 10,000 children aged 0-17 (rate_per_10k)'),
	('cla_started', 'looked_after', 3, 'Children starting to be looked after', 'count', 'neither',
	 'children with a period of care (episodes chained by spell_number) starting in the period'),
	('cla_ceased', 'looked_after', 4, 'Children ceasing to be looked after', 'count', 'neither',
	 'children with a period of care ending in the period'),
	('cla_s20_started_pct', 'looked_after', 5, 'Section 20 share of children starting care (%)', 'percent', 'lower',
	 'share of children starting care in the period whose legal status at the start of care is in s20_legal_statuses'),
	('cla_s20_open_pct', 'looked_after', 6, 'Section 20 share of children looked after (%)', 'percent', 'lower',
	 'share of children looked after at the period end on a legal status in s20_legal_statuses'),
	('cla_care_plan_pct', 'looked_after', 7, 'Children looked after with a care plan (%)', 'percent', 'higher',
	 'share of children looked after at the period end with a care plan open then'),
	('cla_visits_in_time_pct', 'looked_after', 8, 'Children looked after visited in timescale (%)', 'percent', 'higher',
	 'share of children looked after at the period end seen within cla_visit_days before it (or in care for no more than cla_first_visit_days)'),
	('cla_health_assessment_pct', 'looked_after', 9, 'Health assessment in the last 12 months (%)', 'percent', 'higher',
	 'share of children looked after continuously for cla_health_window at the period end with a health assessment in that window'),
	('cla_pep_pct', 'looked_after', 10, 'Personal education plan in place (%)', 'percent', 'higher',
	 'personal education plans are not part of the SSD: reported as unavailable'),
	('cla_reviews_on_time_pct', 'looked_after', 11, 'Looked-after reviews on time (%)', 'percent', 'higher',
	 'share of looked-after reviews due in the period (not cancelled) held on or before the due date'),
	('cla_3plus_placements_pct', 'looked_after', 12, 'Short-term stability: 3 or more placements (%)', 'percent', 'lower',
	 'share of children looked after at the period end with cla_placements_threshold or more placements in the cla_stability_window to the period end (placement open at the window start plus new placements, temporary ones excluded)'),
	('cla_long_term_stability_pct', 'looked_after', 13, 'Long-term stability (%)', 'percent', 'higher',
	 'of children looked after at the period end aged cla_long_term_max_age or less and in care continuously for cla_long_term_in_care, share with the same carer (spell_number over L/T/U episodes) for cla_long_term_same_carer, adoptive placements counted with the previous one'),
	('cla_placed_20mi_pct', 'looked_after', 14, 'Placed more than 20 miles from home (%)', 'percent', 'lower',
	 'share of children looked after at the period end with a known placement distance more than cla_distance_miles'),
	('cla_16_17_neet_pct', 'looked_after', 15, 'Looked after aged 16-17 not in education, employment or training (%)', 'percent', 'lower',
	 'share of children looked after at the period end aged 16 or 17 whose latest ssd_care_leavers status by then records an activity, with the activity in neet_activity_codes'),
	('care_leavers_in_touch_pct', 'care_leavers', 1, 'Care leavers in touch (%)', 'percent', 'higher',
	 'breakdown national: care leavers whose birthday at ages care_leaver_age_from..to falls in the period, with the status recorded nearest it (care_leaver_birthday_before/after); local: care leavers in that age range at the period end, with the status that held then'),
	('care_leavers_suitable_accom_pct', 'care_leavers', 2, 'Care leavers in suitable accommodation (%)', 'percent', 'higher',
	 'as care_leavers_in_touch_pct, counting accommodation recorded as suitable'),
	('care_leavers_eet_pct', 'care_leavers', 3, 'Care leavers in education, employment or training (%)', 'percent', 'higher',
	 'as care_leavers_in_touch_pct, counting activity in eet_activity_codes'),
	('care_leavers_bnb', 'care_leavers', 4, 'Care leavers in bed and breakfast', 'count', 'lower',
	 'care leavers aged bnb_age_from..bnb_age_to at the period end whose status then has an accommodation in bnb_accommodation_codes'),
	('missing_children', 'missing', 1, 'Children missing', 'count', 'lower',
	 'children with a missing incident starting in the period; breakdown care (looked after on the start date) or home'),
	('missing_incidents', 'missing', 2, 'Missing incidents', 'count', 'lower',
	 'missing incidents (missing_types) starting in the period, from home or from care'),
	('missing_rhi_offered_pct', 'missing', 3, 'Return home interviews offered (%)', 'percent', 'higher',
	 'share of incidents starting in the period with a return home interview offered'),
	('missing_rhi_accepted_pct', 'missing', 4, 'Return home interviews accepted (%)', 'percent', 'higher',
	 'share of incidents starting in the period with an interview offered where it was accepted'),
	('children_missing_education', 'missing', 5, 'Children missing education', 'count', 'lower',
	 'children missing education at the period end (open_counts; needs children_missing_education)'),
	('sw_agency_pct', 'workforce', 1, 'Agency social workers (%)', 'percent', 'lower',
	 'share of social workers (job title matching social_worker_job_title) with a caseload at the period end who are agency workers'),
	('caseload_mean', 'workforce', 2, 'Average caseload per social worker', 'children', 'lower',
	 'mean number of children with an open involvement per social worker with a caseload at the period end'),
	('caseload_median', 'workforce', 3, 'Median caseload per social worker', 'children', 'lower',
	 'median of the same caseloads'),
	('children_per_worker', 'workforce', 4, 'Children per social worker (FTE)', 'ratio', 'lower',
	 'children with an open social-worker involvement at the period end per full-time equivalent of those workers'),
	('sw_changes', 'workforce', 5, 'Changes of social worker', 'count', 'lower',
	 'social-worker involvements starting in the period for a child who had an earlier one (previous_end)');

-- Keys of the month, financial quarter and financial year that contain d (none when d is NULL).
-- Inlined into the theme queries, so every name is qualified.
CREATE FUNCTION @extschema@._period_keys(d date) RETURNS TABLE (period_type text, period_start date)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT v.period_type, v.period_start
	FROM (VALUES ('month'::text, pg_catalog.date_trunc('month', d::timestamp)::date),
				 ('quarter'::text, pg_catalog.date_trunc('quarter', d::timestamp)::date),
				 ('year'::text, @extschema@.fiscal_year_start(d))) AS v(period_type, period_start)
	WHERE d IS NOT NULL
$$;

-- The dates of the ascending array snaps that a row from start_date to end_date may be open on
-- (start_date <= d < end_date): a slice found by binary search instead of a filter over every
-- date, so callers need only open_on. An end before the start gives every date from the start
-- on, so that open_on still raises for it. Inlined into the theme queries, so every name is qualified.
CREATE FUNCTION @extschema@._snaps_between(snaps date[], start_date date, end_date date) RETURNS date[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT snaps[pg_catalog.width_bucket(start_date - 1, snaps) + 1 :
				 CASE WHEN end_date IS NULL OR end_date < start_date THEN pg_catalog.cardinality(snaps)
					  ELSE pg_catalog.width_bucket(end_date - 1, snaps) END]
$$;
COMMENT ON FUNCTION @extschema@._snaps_between(date[], date, date) IS
	'the dates d of the ascending array snaps with start_date <= d < end_date (every d >= start_date when end_date is NULL or before start_date); NULL when start_date is NULL';

-- Children aged 0-17 in an area from the latest mid-year estimate on or before on_date (the
-- earliest estimate when none is that old); NULL when the area has no estimate.
CREATE FUNCTION @extschema@.population_at(area_code text, on_date date) RETURNS bigint
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT sum(p.population)::bigint
	FROM @extschema@.population p
	WHERE p.area_code = population_at.area_code
	  AND p.mid_year = coalesce(
			(SELECT max(q.mid_year) FROM @extschema@.population q
			 WHERE q.area_code = population_at.area_code AND make_date(q.mid_year, 6, 30) <= on_date),
			(SELECT min(q.mid_year) FROM @extschema@.population q
			 WHERE q.area_code = population_at.area_code))
$$;
COMMENT ON FUNCTION @extschema@.population_at(text, date) IS
	'children aged 0-17 in the area (skpi.population) from the latest mid-year estimate (30 June) on or before on_date, the earliest estimate when none is that old; NULL without estimates';

-- Wraps a theme body (CTEs ending with r) into the full SELECT of the long measure shape.
-- Shared CTEs: p (report periods), ends (distinct period ends per area), snaps (the period ends
-- of an area as an ascending array, for open_counts), cfg (the settings, one row; materialized,
-- as a single reference would let the planner inline it and read the settings for every row),
-- pop (children aged 0-17 per area and period end), av (optional inputs). r has (area_code,
-- period_type, period_start, measure, breakdown, numerator, denominator, value, unit) with unit
-- NULL for the measure's catalogue unit. Counts and shares are taken per month first where a
-- quarter or year is the sum of its months (_share_final of the summed {true, non-NULL} counts
-- is the share() of the rows).
CREATE FUNCTION @extschema@._theme_sql(target_schema text, body text) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT replace($q$
WITH p AS (
	SELECT rp.area_code::text AS area_code, rp.period_type::text AS period_type,
		   rp.period_label::text AS period_label, rp.period_start::date AS period_start,
		   rp.period_end::date AS period_end
	FROM {t}.report_periods rp
),
ends AS (SELECT DISTINCT p.area_code, p.period_end FROM p),
snaps AS (
	SELECT p.area_code, array_agg(DISTINCT p.period_end ORDER BY p.period_end) AS snaps
	FROM p GROUP BY p.area_code
),
cfg AS MATERIALIZED (
	SELECT
		@extschema@.report_setting('contact_threshold_need_level')::int AS contact_threshold_need_level,
		@extschema@.report_setting('contact_decision_working_days')::int AS contact_decision_working_days,
		@extschema@.report_setting('rereferral_window')::interval AS rereferral_window,
		@extschema@.report_setting('assessment_timeliness_start') AS assessment_timeliness_start,
		@extschema@.report_setting('assessment_working_days')::int AS assessment_working_days,
		@extschema@.report_setting('repeat_assessment_window')::interval AS repeat_assessment_window,
		@extschema@._setting_codes('factor_excluded_codes') AS factor_excluded_codes,
		@extschema@._setting_codes('cse_factor_codes') AS cse_factor_codes,
		@extschema@._setting_codes('cce_factor_codes') AS cce_factor_codes,
		@extschema@.report_setting('icpc_working_days')::int AS icpc_working_days,
		@extschema@.report_setting('cp_repeat_window')::interval AS cp_repeat_window,
		@extschema@.report_setting('cp_sibling_group_days')::int AS cp_sibling_group_days,
		@extschema@.report_setting('cp_sibling_group_size')::int AS cp_sibling_group_size,
		@extschema@.report_setting('cp_long_plan')::interval AS cp_long_plan,
		@extschema@.report_setting('cp_visit_working_days')::int AS cp_visit_working_days,
		@extschema@.report_setting('cin_plan_long')::interval AS cin_plan_long,
		@extschema@._setting_codes('cin_nfa_close_reasons') AS cin_nfa_close_reasons,
		@extschema@.report_setting('cin_outcome_days')::int AS cin_outcome_days,
		@extschema@._setting_codes('cla_short_break_legal_statuses') AS cla_short_break_legal_statuses,
		@extschema@._setting_codes('s20_legal_statuses') AS s20_legal_statuses,
		@extschema@.report_setting('cla_visit_days')::int AS cla_visit_days,
		@extschema@.report_setting('cla_first_visit_days')::int AS cla_first_visit_days,
		@extschema@._setting_codes('cla_health_check_types') AS cla_health_check_types,
		@extschema@._setting_codes('cla_health_check_not_done') AS cla_health_check_not_done,
		@extschema@.report_setting('cla_health_window')::interval AS cla_health_window,
		@extschema@.report_setting('cla_stability_window')::interval AS cla_stability_window,
		@extschema@.report_setting('cla_placements_threshold')::int AS cla_placements_threshold,
		@extschema@._setting_codes('cla_new_placement_reasons') AS cla_new_placement_reasons,
		@extschema@._setting_codes('cla_temporary_placement_types') AS cla_temporary_placement_types,
		@extschema@._setting_codes('cla_same_carer_reasons') AS cla_same_carer_reasons,
		@extschema@.report_setting('cla_long_term_in_care')::interval AS cla_long_term_in_care,
		@extschema@.report_setting('cla_long_term_same_carer')::interval AS cla_long_term_same_carer,
		@extschema@.report_setting('cla_long_term_max_age')::int AS cla_long_term_max_age,
		@extschema@._setting_codes('cla_adoption_placement_types') AS cla_adoption_placement_types,
		@extschema@.report_setting('cla_distance_miles')::float8 AS cla_distance_miles,
		@extschema@._setting_codes('neet_activity_codes') AS neet_activity_codes,
		@extschema@._setting_codes('eet_activity_codes') AS eet_activity_codes,
		@extschema@.report_setting('care_leaver_age_from')::int AS care_leaver_age_from,
		@extschema@.report_setting('care_leaver_age_to')::int AS care_leaver_age_to,
		@extschema@._setting_codes('care_leaver_in_touch_codes') AS care_leaver_in_touch_codes,
		@extschema@._setting_codes('care_leaver_excluded_codes') AS care_leaver_excluded_codes,
		@extschema@.report_setting('care_leaver_birthday_before')::interval AS care_leaver_birthday_before,
		@extschema@.report_setting('care_leaver_birthday_after')::interval AS care_leaver_birthday_after,
		@extschema@._setting_codes('bnb_accommodation_codes') AS bnb_accommodation_codes,
		@extschema@.report_setting('bnb_age_from')::int AS bnb_age_from,
		@extschema@.report_setting('bnb_age_to')::int AS bnb_age_to,
		@extschema@._setting_codes('missing_types') AS missing_types,
		@extschema@.report_setting('social_worker_job_title') AS social_worker_job_title
),
pop AS (
	SELECT e.area_code, e.period_end, @extschema@.population_at(e.area_code, e.period_end) AS population
	FROM ends e
),
av AS (
	SELECT coalesce(bool_or(i.available) FILTER (WHERE i.input = 'contact_decisions'), false) AS contact_decisions,
		   coalesce(bool_or(i.available) FILTER (WHERE i.input = 'children_missing_education'), false) AS children_missing_education
	FROM {t}.inputs_available i
),
$q$ || body || $q$
SELECT p.area_code, p.period_type, p.period_label, p.period_start, p.period_end,
	   r.measure::text AS measure, r.breakdown::text AS breakdown,
	   r.numerator::numeric AS numerator, r.denominator::numeric AS denominator,
	   r.value::numeric AS value, coalesce(r.unit, c.unit)::text AS unit, c.polarity::text AS polarity
FROM r
JOIN p USING (area_code, period_type, period_start)
JOIN @extschema@.measure_catalogue c ON c.measure = r.measure
$q$, '{t}', quote_ident(target_schema))
$$;

-- --------------------------------------------------------------------------------------------
-- Front door: contacts and referrals (scorecard groups 1-4).
-- --------------------------------------------------------------------------------------------
CREATE FUNCTION @extschema@._theme_front_door(target_schema text) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $f$
	SELECT @extschema@._theme_sql(target_schema, $q$
con AS (
	SELECT c.area_code, c.contact_date, c.decided_at, upper(btrim(c.source_code)) AS source_code,
		   (c.new_referral OR c.existing_referral OR c.cp_enquiry
			OR coalesce(c.need_level >= cfg.contact_threshold_need_level, false)) AS met,
		   CASE WHEN c.decided_at IS NOT NULL
				THEN @extschema@.working_days_between(c.contact_date, c.decided_at::date)
					 <= cfg.contact_decision_working_days END AS decided_in_time
	FROM {t}.n_contacts c
	CROSS JOIN cfg
	WHERE c.contact_date IS NOT NULL
),
-- Contacts per area, month and source code first, then named by agency (two codes of one agency
-- are two rows here, added up below): quarters and years are sums of their months, so the period
-- keys expand these groups instead of every contact. The month is written as build_reports'
-- statistics on checked_contacts write it: the planner then knows these groups are few and
-- hashes them instead of sorting every contact.
con_m AS (
	SELECT m.area_code, m.month, coalesce(g.agency, nullif(m.source_code, ''), 'unknown') AS source,
		   m.n, m.thr_t, m.thr_n, m.dec_t, m.dec_n
	FROM (SELECT con.area_code, date_trunc('month', con.contact_date::timestamp)::date AS month,
				 con.source_code, count(*) AS n,
				 count(*) FILTER (WHERE con.met) AS thr_t, count(con.met) AS thr_n,
				 count(*) FILTER (WHERE con.decided_in_time) AS dec_t, count(con.decided_in_time) AS dec_n
		  FROM con
		  GROUP BY 1, 2, 3) m
	LEFT JOIN @extschema@.contact_sources g ON g.source_code = m.source_code
),
sources AS (SELECT DISTINCT con_m.area_code, con_m.source FROM con_m),
-- Contacts per period, overall and per agency, with a zero row for every agency in every period,
-- in one grouping pass.
con_g AS (
	SELECT x.area_code, x.period_type, x.period_start, x.source, GROUPING(x.source) AS all_sources,
		   sum(x.n)::bigint AS n,
		   @extschema@._share_final(ARRAY[sum(x.thr_t), sum(x.thr_n)]::bigint[]) AS thr,
		   @extschema@._share_final(ARRAY[sum(x.dec_t), sum(x.dec_n)]::bigint[]) AS dec
	FROM (SELECT m.area_code, k.period_type, k.period_start, m.source, m.n, m.thr_t, m.thr_n, m.dec_t, m.dec_n
		  FROM con_m m CROSS JOIN LATERAL @extschema@._period_keys(m.month) k
		  UNION ALL
		  SELECT p.area_code, p.period_type, p.period_start, s.source, 0, 0, 0, 0, 0
		  FROM p JOIN sources s ON s.area_code = p.area_code) x
	GROUP BY x.period_start, x.period_type, x.area_code, GROUPING SETS ((), (x.source))
),
con_all AS (SELECT * FROM con_g WHERE all_sources = 1),
con_src AS (SELECT * FROM con_g WHERE all_sources = 0),
ref AS (
	SELECT rf.area_code, rf.referral_date,
		   CASE WHEN rf.person_id IS NOT NULL THEN
				@extschema@.repeat_within(rf.referral_date, rf.referral_date, cfg.rereferral_window)
					OVER (PARTITION BY rf.person_id, rf.area_code ORDER BY rf.referral_date) END AS rereferral
	FROM {t}.n_referrals rf CROSS JOIN cfg
	WHERE rf.referral_date IS NOT NULL
),
ref_m AS (
	SELECT ref.area_code, date_trunc('month', ref.referral_date)::date AS month, count(*) AS n,
		   count(*) FILTER (WHERE ref.rereferral) AS rr_t, count(ref.rereferral) AS rr_n
	FROM ref
	GROUP BY 1, 2
),
ref_all AS (
	SELECT m.area_code, k.period_type, k.period_start, sum(m.n)::bigint AS n,
		   @extschema@._share_final(ARRAY[sum(m.rr_t), sum(m.rr_n)]::bigint[]) AS rr
	FROM ref_m m CROSS JOIN LATERAL @extschema@._period_keys(m.month) k
	GROUP BY 3, 2, 1
),
r AS (
	SELECT p.area_code, p.period_type, p.period_start, 'contacts' AS measure, '' AS breakdown,
		   coalesce(a.n, 0) AS numerator, NULL::bigint AS denominator, coalesce(a.n, 0)::numeric AS value, NULL AS unit
	FROM p LEFT JOIN con_all a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'contacts', 'average per month',
		   coalesce(a.n, 0), m.months, coalesce(a.n, 0)::numeric / m.months, 'per month'
	FROM p LEFT JOIN con_all a USING (area_code, period_type, period_start)
	CROSS JOIN LATERAL (SELECT CASE p.period_type WHEN 'quarter' THEN 3 ELSE 12 END AS months) m
	WHERE p.period_type <> 'month'
	UNION ALL
	SELECT a.area_code, a.period_type, a.period_start, 'contacts', a.source, a.n, NULL, a.n, NULL
	FROM con_src a
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'contacts_threshold_met_pct', '',
		   coalesce((a.thr).numerator, 0), coalesce((a.thr).denominator, 0), (a.thr).pct::numeric, NULL
	FROM p LEFT JOIN con_all a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT a.area_code, a.period_type, a.period_start, 'contacts_threshold_met_pct', a.source,
		   (a.thr).numerator, (a.thr).denominator, (a.thr).pct::numeric, NULL
	FROM con_src a
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'contacts_decided_1wd_pct', '',
		   coalesce((a.dec).numerator, 0), coalesce((a.dec).denominator, 0), (a.dec).pct::numeric, NULL
	FROM p CROSS JOIN av LEFT JOIN con_all a USING (area_code, period_type, period_start)
	WHERE av.contact_decisions
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'contacts_decided_1wd_pct',
		   'unavailable: contact_decisions is not supplied', NULL, NULL, NULL, NULL
	FROM p CROSS JOIN av WHERE NOT av.contact_decisions
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'referrals', '',
		   coalesce(a.n, 0), NULL, coalesce(a.n, 0), NULL
	FROM p LEFT JOIN ref_all a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'rereferrals_12m_pct', '',
		   coalesce((a.rr).numerator, 0), coalesce((a.rr).denominator, 0), (a.rr).pct::numeric, NULL
	FROM p LEFT JOIN ref_all a USING (area_code, period_type, period_start)
)
$q$)
$f$;
COMMENT ON FUNCTION @extschema@._theme_front_door(text) IS
	'SELECT of the front_door report view (contacts, threshold, decisions, referrals, re-referrals) over the normalised views of the target schema';

-- --------------------------------------------------------------------------------------------
-- Assessments and risk factors (scorecard groups 5-9).
-- --------------------------------------------------------------------------------------------
CREATE FUNCTION @extschema@._theme_assessments(target_schema text) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $f$
	SELECT @extschema@._theme_sql(target_schema, $q$
asm AS (
	SELECT a.area_code, a.assessment_id, a.person_id, a.auth_date,
		   @extschema@.working_days_between(
				CASE cfg.assessment_timeliness_start WHEN 'referral_date' THEN a.referral_date ELSE a.start_date END,
				a.auth_date) <= cfg.assessment_working_days AS in_time,
		   CASE WHEN a.person_id IS NOT NULL THEN
				@extschema@.repeat_within(a.auth_date, a.auth_date, cfg.repeat_assessment_window)
					OVER (PARTITION BY a.person_id, a.area_code ORDER BY a.auth_date) END AS repeat
	FROM {t}.n_assessments a CROSS JOIN cfg
	WHERE a.auth_date IS NOT NULL
),
-- Counts per area and month first; a quarter or year is the sum of its months.
asm_m AS (
	SELECT asm.area_code, date_trunc('month', asm.auth_date)::date AS month, count(*) AS n,
		   count(*) FILTER (WHERE asm.in_time) AS in_time_t, count(asm.in_time) AS in_time_n,
		   count(*) FILTER (WHERE asm.repeat) AS repeat_t, count(asm.repeat) AS repeat_n
	FROM asm GROUP BY 1, 2
),
asm_all AS (
	SELECT m.area_code, k.period_type, k.period_start, sum(m.n)::bigint AS n,
		   @extschema@._share_final(ARRAY[sum(m.in_time_t), sum(m.in_time_n)]::bigint[]) AS in_time,
		   @extschema@._share_final(ARRAY[sum(m.repeat_t), sum(m.repeat_n)]::bigint[]) AS repeat
	FROM asm_m m CROSS JOIN LATERAL @extschema@._period_keys(m.month) k
	GROUP BY 3, 2, 1
),
fac AS (
	SELECT a.area_code, a.assessment_id, a.person_id, a.auth_date, f.codes,
		   -- the codes are distinct and sorted already: only the few with an excluded code are rebuilt
		   CASE WHEN f.codes && cfg.factor_excluded_codes
				THEN ARRAY(SELECT c FROM unnest(f.codes) AS c WHERE c <> ALL (cfg.factor_excluded_codes) ORDER BY c)
				ELSE f.codes END AS kept
	FROM asm a
	JOIN {t}.n_assessment_factors f ON f.area_code = a.area_code AND f.assessment_id = a.assessment_id
	CROSS JOIN cfg
),
trio AS (
	SELECT x.area_code, x.month, count(*) AS n,
		   count(*) FILTER (WHERE x.t_any) AS any_t, count(x.t_any) AS any_n,
		   count(*) FILTER (WHERE x.t_all) AS all_t, count(x.t_all) AS all_n,
		   count(*) FILTER (WHERE x.t_parent) AS parent_t, count(x.t_parent) AS parent_n
	FROM (SELECT fac.area_code, date_trunc('month', fac.auth_date)::date AS month,
				 @extschema@.trio_any(t.t) AS t_any, @extschema@.trio_all(t.t) AS t_all,
				 @extschema@.trio_all(t.t, 'parent/carer') AS t_parent
		  FROM fac CROSS JOIN LATERAL (SELECT @extschema@.trio_of(fac.kept) AS t OFFSET 0) t
		  WHERE cardinality(fac.kept) > 0) x
	GROUP BY 1, 2
),
trio_k AS (
	SELECT m.area_code, k.period_type, k.period_start, sum(m.n)::bigint AS n,
		   @extschema@._share_final(ARRAY[sum(m.any_t), sum(m.any_n)]::bigint[]) AS t_any,
		   @extschema@._share_final(ARRAY[sum(m.all_t), sum(m.all_n)]::bigint[]) AS t_all,
		   @extschema@._share_final(ARRAY[sum(m.parent_t), sum(m.parent_n)]::bigint[]) AS t_parent
	FROM trio m CROSS JOIN LATERAL @extschema@._period_keys(m.month) k
	GROUP BY 3, 2, 1
),
-- Rank tables per month, merged into each period (an assessment is in one month, so the
-- union is exact): every (factor, assessment) pair is added once, not once per period type.
rank_m AS (
	SELECT fac.area_code, date_trunc('month', fac.auth_date)::date AS month,
		   @extschema@.rank_table(af.label, fac.assessment_id) AS ranking
	FROM fac
	CROSS JOIN LATERAL unnest(fac.kept) AS u(code)
	-- each label built once, not once per code of every assessment (OFFSET 0 keeps it below the join)
	JOIN (SELECT f.code, f.relates_to || ': ' || f.factor || ' (' || f.code || ')' AS label
		  FROM @extschema@.assessment_factors f OFFSET 0) af ON af.code = u.code
	GROUP BY 2, 1
),
rank_in AS (
	SELECT m.area_code, k.period_type, k.period_start, @extschema@._rank_table_merge(m.ranking) AS ranking
	FROM rank_m m CROSS JOIN LATERAL @extschema@._period_keys(m.month) k
	GROUP BY 3, 2, 1
),
flagged AS (
	SELECT fac.area_code, k.period_type, k.period_start,
		   count(DISTINCT fac.person_id) FILTER (WHERE fac.codes && cfg.cse_factor_codes) AS cse,
		   count(DISTINCT fac.person_id) FILTER (WHERE fac.codes && cfg.cce_factor_codes) AS cce
	FROM fac CROSS JOIN cfg
	CROSS JOIN LATERAL @extschema@._period_keys(fac.auth_date) k
	-- only assessments with a CSE or CCE factor count; the others need no period keys
	WHERE fac.codes && (cfg.cse_factor_codes || cfg.cce_factor_codes)
	GROUP BY 3, 2, 1
),
r AS (
	SELECT p.area_code, p.period_type, p.period_start, 'assessments_authorised' AS measure, '' AS breakdown,
		   coalesce(a.n, 0) AS numerator, NULL::bigint AS denominator, coalesce(a.n, 0)::numeric AS value, NULL AS unit
	FROM p LEFT JOIN asm_all a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'assessments_45wd_pct', '',
		   coalesce((a.in_time).numerator, 0), coalesce((a.in_time).denominator, 0), (a.in_time).pct::numeric, NULL
	FROM p LEFT JOIN asm_all a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'assessments_repeat_12m_pct', '',
		   coalesce((a.repeat).numerator, 0), coalesce((a.repeat).denominator, 0), (a.repeat).pct::numeric, NULL
	FROM p LEFT JOIN asm_all a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'assessments_with_factors', '',
		   coalesce(a.n, 0), NULL, coalesce(a.n, 0), NULL
	FROM p LEFT JOIN trio_k a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, m.measure, '',
		   coalesce((m.s).numerator, 0), coalesce((m.s).denominator, 0), (m.s).pct::numeric, NULL
	FROM p LEFT JOIN trio_k a USING (area_code, period_type, period_start)
	CROSS JOIN LATERAL (VALUES ('trio_any', a.t_any), ('trio_all', a.t_all), ('trio_all_parent', a.t_parent)) AS m(measure, s)
	UNION ALL
	SELECT ri.area_code, ri.period_type, ri.period_start, 'risk_factor_pct', x.item,
		   x.units, ta.n, x.pct::numeric, NULL
	FROM rank_in ri
	JOIN trio_k ta USING (area_code, period_type, period_start)
	CROSS JOIN LATERAL @extschema@.ranks(ri.ranking) x
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'cse_children', '',
		   coalesce(a.cse, 0), NULL, coalesce(a.cse, 0), NULL
	FROM p LEFT JOIN flagged a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'cce_children', '',
		   coalesce(a.cce, 0), NULL, coalesce(a.cce, 0), NULL
	FROM p LEFT JOIN flagged a USING (area_code, period_type, period_start)
)
$q$)
$f$;
COMMENT ON FUNCTION @extschema@._theme_assessments(text) IS
	'SELECT of the assessments report view (timeliness, repeats, toxic trio, risk-factor ranks, exploitation flags) over the normalised views of the target schema';

-- --------------------------------------------------------------------------------------------
-- Child protection (scorecard groups 10-15).
-- --------------------------------------------------------------------------------------------
CREATE FUNCTION @extschema@._theme_child_protection(target_schema text) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $f$
	SELECT @extschema@._theme_sql(target_schema, $q$
s47 AS (
	SELECT s.area_code, s.start_date, s.end_date,
		   (i.s47_id IS NOT NULL OR coalesce(s.cp_conference, false)) AS to_icpc
	FROM {t}.n_s47 s
	LEFT JOIN (SELECT DISTINCT i.area_code, i.s47_id FROM {t}.n_icpc i WHERE i.s47_id IS NOT NULL) i
		ON i.area_code = s.area_code AND i.s47_id = s.s47_id
),
s47_started AS (
	SELECT s47.area_code, k.period_type, k.period_start, count(*) AS n
	FROM s47 CROSS JOIN LATERAL @extschema@._period_keys(s47.start_date) k
	GROUP BY 3, 2, 1
),
s47_ended AS (
	SELECT s47.area_code, k.period_type, k.period_start, @extschema@.share(s47.to_icpc) AS s
	FROM s47 CROSS JOIN LATERAL @extschema@._period_keys(s47.end_date) k
	GROUP BY 3, 2, 1
),
icpc AS (
	SELECT i.area_code, k.period_type, k.period_start,
		   @extschema@.share(@extschema@.working_days_between(s.start_date, i.icpc_date) <= cfg.icpc_working_days) AS s
	FROM {t}.n_icpc i
	CROSS JOIN cfg
	LEFT JOIN {t}.n_s47 s ON s.area_code = i.area_code AND s.s47_id = i.s47_id
	CROSS JOIN LATERAL @extschema@._period_keys(i.icpc_date) k
	WHERE NOT coalesce(i.transfer_in, false)
	GROUP BY 3, 2, 1
),
cp_stock AS (
	SELECT x.area_code, u.period_end, u.n
	FROM (SELECT c.area_code, @extschema@.open_counts(c.start_date, c.end_date, s.snaps) AS counts
		  FROM {t}.n_cp_plans c JOIN snaps s ON s.area_code = c.area_code
		  GROUP BY c.area_code) x
	JOIN snaps s ON s.area_code = x.area_code
	CROSS JOIN LATERAL unnest(s.snaps, x.counts) AS u(period_end, n)
),
cp AS (
	SELECT c.area_code, c.plan_id, c.person_id, c.start_date, c.end_date,
		   @extschema@.repeat_within(c.start_date, c.end_date, cfg.cp_repeat_window) OVER w AS repeat_within,
		   @extschema@.previous_end(c.start_date, c.end_date) OVER w IS NOT NULL AS subsequent
	FROM {t}.n_cp_plans c CROSS JOIN cfg
	WHERE c.start_date IS NOT NULL AND c.person_id IS NOT NULL
	WINDOW w AS (PARTITION BY c.person_id, c.area_code ORDER BY c.start_date)
),
cp_started AS (
	SELECT cp.area_code, k.period_type, k.period_start, count(*) AS n,
		   @extschema@.share(cp.repeat_within) AS rep,
		   @extschema@.share(cp.subsequent) AS subsequent,
		   @extschema@.share(cp.subsequent AND NOT cp.repeat_within) AS rep_over
	FROM cp CROSS JOIN LATERAL @extschema@._period_keys(cp.start_date) k
	GROUP BY 3, 2, 1
),
cp_ended AS (
	SELECT c.area_code, k.period_type, k.period_start,
		   @extschema@.share(c.end_date >= c.start_date + cfg.cp_long_plan) AS s
	FROM {t}.n_cp_plans c CROSS JOIN cfg
	CROSS JOIN LATERAL @extschema@._period_keys(c.end_date) k
	GROUP BY 3, 2, 1
),
fam_starts AS (
	SELECT DISTINCT f.area_code, f.family_id, c.person_id, c.start_date
	FROM {t}.n_cp_plans c
	JOIN {t}.n_family f ON f.area_code = c.area_code AND f.person_id = c.person_id
	WHERE c.start_date IS NOT NULL AND f.family_id IS NOT NULL
),
fam_groups AS (
	SELECT x.area_code, min(x.start_date) AS first_start
	FROM (SELECT fs.*, @extschema@.spell_number(fs.start_date, fs.start_date, cfg.cp_sibling_group_days)
					OVER (PARTITION BY fs.family_id, fs.area_code ORDER BY fs.start_date) AS grp
		  FROM fam_starts fs CROSS JOIN cfg) x
	CROSS JOIN cfg
	GROUP BY x.family_id, x.grp, x.area_code, cfg.cp_sibling_group_size
	HAVING count(DISTINCT x.person_id) >= cfg.cp_sibling_group_size
),
sib AS (
	SELECT g.area_code, k.period_type, k.period_start, count(*) AS n
	FROM fam_groups g CROSS JOIN LATERAL @extschema@._period_keys(g.first_start) k
	GROUP BY 3, 2, 1
),
-- A child's visits (seen) as a sorted array: width_bucket(d, dates) of them fall on or before d.
child_cp_visits AS (
	SELECT v.area_code, v.person_id, array_agg(v.visit_date ORDER BY v.visit_date) AS dates
	FROM {t}.n_cp_visits v WHERE v.seen AND v.visit_date IS NOT NULL GROUP BY 2, 1
),
cp_visits AS (
	SELECT c.area_code, d.period_end,
		   @extschema@.share(@extschema@.working_days_between(
				CASE WHEN k.k > 0 AND cv.dates[k.k] >= c.start_date THEN cv.dates[k.k] ELSE c.start_date END,
				d.period_end) <= cfg.cp_visit_working_days) AS s
	FROM {t}.n_cp_plans c
	CROSS JOIN cfg
	JOIN snaps s ON s.area_code = c.area_code
	LEFT JOIN child_cp_visits cv ON cv.area_code = c.area_code AND cv.person_id = c.person_id
	CROSS JOIN LATERAL unnest(@extschema@._snaps_between(s.snaps, c.start_date, c.end_date)) AS d(period_end)
	CROSS JOIN LATERAL (SELECT coalesce(width_bucket(d.period_end, cv.dates), 0) AS k) k
	WHERE @extschema@.open_on(c.start_date, c.end_date, d.period_end)
	GROUP BY 2, 1
),
cp_reviews AS (
	SELECT v.area_code, k.period_type, k.period_start,
		   @extschema@.share(coalesce(v.review_date <= v.due_date, false)) AS s
	FROM {t}.n_cp_reviews v CROSS JOIN LATERAL @extschema@._period_keys(v.due_date) k
	GROUP BY 3, 2, 1
),
r AS (
	SELECT p.area_code, p.period_type, p.period_start, 's47_started' AS measure, '' AS breakdown,
		   coalesce(a.n, 0) AS numerator, NULL::bigint AS denominator, coalesce(a.n, 0)::numeric AS value, NULL AS unit
	FROM p LEFT JOIN s47_started a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'strategy_discussions', '',
		   coalesce(a.n, 0), NULL, coalesce(a.n, 0), NULL
	FROM p LEFT JOIN s47_started a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 's47_to_icpc_pct', '',
		   coalesce((a.s).numerator, 0), coalesce((a.s).denominator, 0), (a.s).pct::numeric, NULL
	FROM p LEFT JOIN s47_ended a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'icpc_15wd_pct', '',
		   coalesce((a.s).numerator, 0), coalesce((a.s).denominator, 0), (a.s).pct::numeric, NULL
	FROM p LEFT JOIN icpc a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'cp_open', '',
		   coalesce(a.n, 0), NULL, coalesce(a.n, 0), NULL
	FROM p LEFT JOIN cp_stock a USING (area_code, period_end)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'cp_rate_per_10k',
		   CASE WHEN pop.population > 0 THEN '' ELSE 'unavailable: no population estimate for ' || p.area_code END,
		   coalesce(a.n, 0), pop.population,
		   CASE WHEN pop.population > 0 THEN @extschema@.rate_per_10k(coalesce(a.n, 0), pop.population)::numeric END, NULL
	FROM p JOIN pop USING (area_code, period_end) LEFT JOIN cp_stock a USING (area_code, period_end)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'cp_new', '',
		   coalesce(a.n, 0), NULL, coalesce(a.n, 0), NULL
	FROM p LEFT JOIN cp_started a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'cp_new_sibling_groups_3plus', '',
		   coalesce(a.n, 0), NULL, coalesce(a.n, 0), NULL
	FROM p LEFT JOIN sib a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, m.measure, '',
		   coalesce((m.s).numerator, 0), coalesce((m.s).denominator, 0), (m.s).pct::numeric, NULL
	FROM p LEFT JOIN cp_started a USING (area_code, period_type, period_start)
	CROSS JOIN LATERAL (VALUES ('cp_repeat_2y_pct', a.rep), ('cp_second_or_subsequent_pct', a.subsequent),
							   ('cp_repeat_over_2y_pct', a.rep_over)) AS m(measure, s)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'cp_ended_2y_plus_pct', '',
		   coalesce((a.s).numerator, 0), coalesce((a.s).denominator, 0), (a.s).pct::numeric, NULL
	FROM p LEFT JOIN cp_ended a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'cp_visits_in_time_pct', '',
		   coalesce((a.s).numerator, 0), coalesce((a.s).denominator, 0), (a.s).pct::numeric, NULL
	FROM p LEFT JOIN cp_visits a USING (area_code, period_end)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'cp_reviews_on_time_pct', '',
		   coalesce((a.s).numerator, 0), coalesce((a.s).denominator, 0), (a.s).pct::numeric, NULL
	FROM p LEFT JOIN cp_reviews a USING (area_code, period_type, period_start)
)
$q$)
$f$;
COMMENT ON FUNCTION @extschema@._theme_child_protection(text) IS
	'SELECT of the child_protection report view (section 47, ICPC timeliness, CP plans and rate, sibling groups, repeats, durations, visits, reviews) over the normalised views of the target schema';

-- --------------------------------------------------------------------------------------------
-- Children in need (scorecard groups 16-17).
-- --------------------------------------------------------------------------------------------
CREATE FUNCTION @extschema@._theme_children_in_need(target_schema text) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $f$
	SELECT @extschema@._theme_sql(target_schema, $q$
cin_spells AS (
	SELECT x.area_code, min(x.referral_date) AS start_date,
		   CASE WHEN bool_or(x.close_date IS NULL) THEN NULL ELSE max(x.close_date) END AS end_date
	FROM (SELECT rf.area_code, rf.person_id, rf.referral_date, rf.close_date,
				 @extschema@.spell_number(rf.referral_date, rf.close_date)
					OVER (PARTITION BY rf.person_id, rf.area_code ORDER BY rf.referral_date) AS spell
		  FROM {t}.n_referrals rf
		  WHERE rf.referral_date IS NOT NULL AND rf.person_id IS NOT NULL AND NOT coalesce(rf.nfa, false)) x
	GROUP BY x.person_id, x.spell, x.area_code
),
cin_stock AS (
	SELECT x.area_code, u.period_end, u.n
	FROM (SELECT c.area_code, @extschema@.open_counts(c.start_date, c.end_date, s.snaps) AS counts
		  FROM cin_spells c JOIN snaps s ON s.area_code = c.area_code
		  GROUP BY c.area_code) x
	JOIN snaps s ON s.area_code = x.area_code
	CROSS JOIN LATERAL unnest(s.snaps, x.counts) AS u(period_end, n)
),
plans_long AS (
	SELECT c.area_code, d.period_end, @extschema@.share(c.start_date < d.period_end - cfg.cin_plan_long) AS s
	FROM {t}.n_cin_plans c
	JOIN snaps s ON s.area_code = c.area_code
	CROSS JOIN LATERAL unnest(@extschema@._snaps_between(s.snaps, c.start_date, c.end_date)) AS d(period_end)
	CROSS JOIN cfg
	WHERE @extschema@.open_on(c.start_date, c.end_date, d.period_end)
	GROUP BY 2, 1
),
closed AS (
	SELECT rf.area_code, rf.referral_id, rf.person_id, rf.referral_date, rf.close_date,
		   coalesce(rf.nfa, false) OR coalesce(upper(btrim(rf.close_reason)) = ANY (cfg.cin_nfa_close_reasons), false) AS nfa,
		   rf.close_date + cfg.cin_outcome_days AS outcome_until
	FROM {t}.n_referrals rf CROSS JOIN cfg
	WHERE rf.close_date IS NOT NULL
),
to_care AS (
	SELECT DISTINCT c.area_code, c.referral_id
	FROM closed c
	JOIN {t}.n_cla_episodes e ON e.area_code = c.area_code AND e.person_id = c.person_id
		AND e.start_date >= c.referral_date AND e.start_date <= c.outcome_until
	CROSS JOIN cfg
	WHERE NOT coalesce(e.legal_status = ANY (cfg.cla_short_break_legal_statuses), false)
),
to_cp AS (
	SELECT DISTINCT c.area_code, c.referral_id
	FROM closed c
	JOIN {t}.n_cp_plans cp ON cp.area_code = c.area_code AND cp.person_id = c.person_id
		AND cp.start_date >= c.referral_date AND cp.start_date <= c.outcome_until
),
outcomes AS (
	SELECT m.area_code, k.period_type, k.period_start, m.outcome, sum(m.n)::bigint AS n
	FROM (SELECT c.area_code, date_trunc('month', c.close_date)::date AS month,
				 CASE WHEN tc.referral_id IS NOT NULL THEN 'to care'
					  WHEN tp.referral_id IS NOT NULL THEN 'stepped up to CP'
					  WHEN c.nfa THEN 'no further action'
					  ELSE 'other' END AS outcome,
				 count(*) AS n
		  FROM closed c
		  LEFT JOIN to_care tc ON tc.area_code = c.area_code AND tc.referral_id = c.referral_id
		  LEFT JOIN to_cp tp ON tp.area_code = c.area_code AND tp.referral_id = c.referral_id
		  GROUP BY 1, 2, 3) m
	CROSS JOIN LATERAL @extschema@._period_keys(m.month) k
	GROUP BY 3, 2, 4, 1
),
r AS (
	SELECT p.area_code, p.period_type, p.period_start, 'cin_open' AS measure, '' AS breakdown,
		   coalesce(a.n, 0) AS numerator, NULL::bigint AS denominator, coalesce(a.n, 0)::numeric AS value, NULL AS unit
	FROM p LEFT JOIN cin_stock a USING (area_code, period_end)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'cin_rate_per_10k',
		   CASE WHEN pop.population > 0 THEN '' ELSE 'unavailable: no population estimate for ' || p.area_code END,
		   coalesce(a.n, 0), pop.population,
		   CASE WHEN pop.population > 0 THEN @extschema@.rate_per_10k(coalesce(a.n, 0), pop.population)::numeric END, NULL
	FROM p JOIN pop USING (area_code, period_end) LEFT JOIN cin_stock a USING (area_code, period_end)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'cin_plans_over_6m_pct', '',
		   coalesce((a.s).numerator, 0), coalesce((a.s).denominator, 0), (a.s).pct::numeric, NULL
	FROM p LEFT JOIN plans_long a USING (area_code, period_end)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'cin_closed', o.outcome,
		   coalesce(a.n, 0), NULL, coalesce(a.n, 0), NULL
	FROM p
	CROSS JOIN (VALUES ('no further action'), ('stepped up to CP'), ('to care'), ('other')) AS o(outcome)
	LEFT JOIN outcomes a USING (area_code, period_type, period_start, outcome)
)
$q$)
$f$;
COMMENT ON FUNCTION @extschema@._theme_children_in_need(text) IS
	'SELECT of the children_in_need report view (children in need and rate, long CIN plans, outcomes of closed episodes) over the normalised views of the target schema';

-- --------------------------------------------------------------------------------------------
-- Children looked after (scorecard groups 18-22).
-- --------------------------------------------------------------------------------------------
CREATE FUNCTION @extschema@._theme_looked_after(target_schema text) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $f$
	SELECT @extschema@._theme_sql(target_schema, $q$
cla_e AS (
	SELECT e.area_code, e.person_id, e.start_date, e.end_date, e.rne, e.legal_status,
		   e.placement_type, e.placement_distance, pe.dob,
		   @extschema@.spell_number(e.start_date, e.end_date) OVER w AS poc,
		   @extschema@.spell_number(e.start_date, e.end_date, 0,
									coalesce(e.rne = ANY (cfg.cla_same_carer_reasons), false)) OVER w AS carer
	FROM {t}.n_cla_episodes e
	CROSS JOIN cfg
	LEFT JOIN {t}.n_person pe ON pe.area_code = e.area_code AND pe.person_id = e.person_id
	WHERE e.start_date IS NOT NULL AND e.person_id IS NOT NULL
	  AND NOT coalesce(e.legal_status = ANY (cfg.cla_short_break_legal_statuses), false)
	WINDOW w AS (PARTITION BY e.person_id, e.area_code ORDER BY e.start_date)
),
-- Every episode with its period of care, its carer spell and the child's whole episode history
-- as arrays, so that the period-end measures need no join.
cla AS (
	SELECT c.*,
		   min(c.start_date) OVER wp AS poc_start,
		   CASE WHEN bool_or(c.end_date IS NULL) OVER wp THEN NULL ELSE max(c.end_date) OVER wp END AS poc_end,
		   min(c.start_date) OVER (PARTITION BY c.person_id, c.area_code, c.carer) AS carer_start,
		   array_agg(c.start_date) OVER wc AS ep_start, array_agg(c.poc) OVER wc AS ep_poc,
		   array_agg(c.carer) OVER wc AS ep_carer,
		   -- placements (for stability), in start order: new placements' starts, and the episodes
		   -- that are not temporary placements
		   coalesce(array_agg(c.start_date) FILTER (WHERE c.new_placement AND NOT c.temporary) OVER wc, '{}') AS new_starts,
		   coalesce(array_agg(c.start_date) FILTER (WHERE NOT c.temporary) OVER wc, '{}') AS nt_start,
		   coalesce(array_agg(c.end_date) FILTER (WHERE NOT c.temporary) OVER wc, '{}') AS nt_end
	FROM (SELECT e.*, coalesce(e.rne = ANY (cfg.cla_new_placement_reasons), false) AS new_placement,
				 coalesce(e.placement_type = ANY (cfg.cla_temporary_placement_types), false) AS temporary
		  FROM cla_e e CROSS JOIN cfg) c
	WINDOW wp AS (PARTITION BY c.person_id, c.area_code, c.poc),
		   wc AS (PARTITION BY c.person_id, c.area_code ORDER BY c.start_date
				  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
),
cla_stock AS (
	SELECT x.area_code, u.period_end, u.n
	FROM (SELECT c.area_code, @extschema@.open_counts(c.start_date, c.end_date, s.snaps) AS counts
		  FROM cla c JOIN snaps s ON s.area_code = c.area_code
		  GROUP BY c.area_code) x
	JOIN snaps s ON s.area_code = x.area_code
	CROSS JOIN LATERAL unnest(s.snaps, x.counts) AS u(period_end, n)
),
started AS (
	SELECT x.area_code, x.period_type, x.period_start, count(*) AS n, @extschema@.share(x.s20) AS s20
	FROM (SELECT DISTINCT ON (c.person_id, k.period_start, k.period_type, c.area_code)
				 c.area_code, k.period_type, k.period_start, c.legal_status = ANY (cfg.s20_legal_statuses) AS s20
		  FROM cla c CROSS JOIN cfg
		  CROSS JOIN LATERAL @extschema@._period_keys(c.start_date) k
		  WHERE c.start_date = c.poc_start
		  ORDER BY c.person_id, k.period_start, k.period_type, c.area_code, c.start_date) x
	GROUP BY 3, 2, 1
),
ceased AS (
	SELECT x.area_code, k.period_type, k.period_start, count(DISTINCT x.person_id) AS n
	FROM (SELECT DISTINCT c.area_code, c.person_id, c.poc_end FROM cla c WHERE c.poc_end IS NOT NULL) x
	CROSS JOIN LATERAL @extschema@._period_keys(x.poc_end) k
	GROUP BY 3, 2, 1
),
-- What the casework measures need of each child, one array or row per child.
-- (Sorted arrays: width_bucket(d, dates) is the number of dates on or before d.)
child_visits AS (
	SELECT v.area_code, v.person_id, array_agg(v.visit_date ORDER BY v.visit_date) AS dates
	FROM {t}.n_cla_visits v WHERE v.seen AND v.visit_date IS NOT NULL GROUP BY 2, 1
),
child_health AS (
	SELECT h.area_code, h.person_id, array_agg(h.check_date ORDER BY h.check_date) AS dates
	FROM {t}.n_cla_health h CROSS JOIN cfg
	WHERE h.check_date IS NOT NULL AND upper(btrim(h.check_type)) = ANY (cfg.cla_health_check_types)
	  AND NOT coalesce(upper(btrim(h.status)) = ANY (cfg.cla_health_check_not_done), false)
	GROUP BY 2, 1
),
-- Care plans in start order with the latest end among them so far ('infinity' while one is
-- open): a plan is open on d when the last plan started by d has that end after d.
child_plans AS (
	SELECT x.area_code, x.person_id, array_agg(x.start_date ORDER BY x.start_date) AS starts,
		   array_agg(x.max_end ORDER BY x.start_date) AS max_ends
	FROM (SELECT p.area_code, p.person_id, p.start_date,
				 max(coalesce(p.end_date, 'infinity')) OVER (PARTITION BY p.person_id, p.area_code ORDER BY p.start_date
															  ROWS UNBOUNDED PRECEDING) AS max_end
		  FROM {t}.n_cla_care_plan p WHERE p.start_date IS NOT NULL) x
	GROUP BY 2, 1
),
child_activity AS (
	SELECT l.area_code, l.person_id, array_agg(l.latest_contact) AS dates, array_agg(l.activity) AS activities
	FROM {t}.n_care_leavers l GROUP BY 2, 1
),
cla_child AS (
	SELECT c.*, coalesce(cv.dates, '{}') AS visit_dates, coalesce(ch.dates, '{}') AS health_dates,
		   coalesce(cp.starts, '{}') AS plan_starts, coalesce(cp.max_ends, '{}') AS plan_max_ends,
		   ca.dates AS activity_dates, ca.activities
	FROM cla c
	LEFT JOIN child_visits cv ON cv.area_code = c.area_code AND cv.person_id = c.person_id
	LEFT JOIN child_health ch ON ch.area_code = c.area_code AND ch.person_id = c.person_id
	LEFT JOIN child_plans cp ON cp.area_code = c.area_code AND cp.person_id = c.person_id
	LEFT JOIN child_activity ca ON ca.area_code = c.area_code AND ca.person_id = c.person_id
),
-- Children looked after at each period end: the episode open then, with what is known of it
-- (k*: how many of the child's sorted dates fall on or before a day).
cla_at AS (
	SELECT c.area_code, d.period_end, c.legal_status, c.placement_distance, ag.age,
		   kp.k > 0 AND @extschema@.open_on(c.plan_starts[kp.k], nullif(c.plan_max_ends[kp.k], 'infinity'), d.period_end) AS care_plan,
		   CASE WHEN kv.k > 0 AND c.visit_dates[kv.k] >= c.poc_start
				THEN d.period_end - c.visit_dates[kv.k] <= cfg.cla_visit_days
				ELSE d.period_end - c.poc_start <= cfg.cla_first_visit_days END AS visited,
		   c.poc_start, c.carer_start, c.placement_type,
		   CASE WHEN c.placement_type = ANY (cfg.cla_adoption_placement_types) THEN
				(SELECT min(x.s) FROM unnest(c.ep_start, c.ep_poc, c.ep_carer) AS x(s, q, k)
				 WHERE x.q = c.poc AND x.k = c.carer - 1) END AS prev_carer_start,
		   CASE WHEN c.poc_start <= d.period_end - cfg.cla_health_window THEN
				kh.k > 0 AND c.health_dates[kh.k] > d.period_end - cfg.cla_health_window END AS health_check,
		   -- placements in the stability window: new placements starting in it, plus the placement
		   -- open on the day before it
		   width_bucket(d.period_end, c.new_starts) - width_bucket(w.window_start - 1, c.new_starts)
		   + CASE WHEN kt.k > 0 AND @extschema@.open_on(c.nt_start[kt.k], c.nt_end[kt.k], w.window_start - 1)
				  THEN 1 ELSE 0 END AS placements,
		   -- the activity of the latest care-leaver status dated on or before the period end
		   CASE WHEN ag.age BETWEEN 16 AND 17 THEN
				(SELECT x.a FROM unnest(c.activity_dates, c.activities) AS x(d, a)
				 WHERE x.d IS NULL OR x.d <= d.period_end ORDER BY x.d DESC NULLS LAST, x.a LIMIT 1) END AS activity
	FROM cla_child c
	CROSS JOIN cfg
	JOIN snaps s ON s.area_code = c.area_code
	CROSS JOIN LATERAL unnest(@extschema@._snaps_between(s.snaps, c.start_date, c.end_date)) AS d(period_end)
	CROSS JOIN LATERAL (SELECT (d.period_end + 1 - cfg.cla_stability_window)::date AS window_start) w
	CROSS JOIN LATERAL (SELECT CASE WHEN c.dob <= d.period_end THEN @extschema@.age_at(c.dob, d.period_end) END AS age) ag
	CROSS JOIN LATERAL (SELECT width_bucket(d.period_end, c.plan_starts) AS k) kp
	CROSS JOIN LATERAL (SELECT width_bucket(d.period_end, c.visit_dates) AS k) kv
	CROSS JOIN LATERAL (SELECT width_bucket(d.period_end, c.health_dates) AS k) kh
	CROSS JOIN LATERAL (SELECT width_bucket(w.window_start - 1, c.nt_start) AS k) kt
	WHERE @extschema@.open_on(c.start_date, c.end_date, d.period_end)
),
at_end AS (
	SELECT a.area_code, a.period_end,
		   @extschema@.share(a.legal_status = ANY (cfg.s20_legal_statuses)) AS s20,
		   @extschema@.share(a.placement_distance > cfg.cla_distance_miles) AS far,
		   @extschema@.share(a.care_plan) AS care_plan,
		   @extschema@.share(a.visited) AS visits,
		   @extschema@.share(a.health_check) FILTER (WHERE a.poc_start <= a.period_end - cfg.cla_health_window) AS health,
		   @extschema@.share(a.placements >= cfg.cla_placements_threshold) AS placements,
		   @extschema@.share(CASE WHEN a.placement_type = ANY (cfg.cla_adoption_placement_types)
								  THEN coalesce(a.prev_carer_start, a.carer_start) ELSE a.carer_start END
							 <= a.period_end - cfg.cla_long_term_same_carer)
			   FILTER (WHERE a.age <= cfg.cla_long_term_max_age
						 AND a.poc_start <= a.period_end - cfg.cla_long_term_in_care) AS long_term,
		   @extschema@.share(a.activity = ANY (cfg.neet_activity_codes))
			   FILTER (WHERE a.age BETWEEN 16 AND 17 AND a.activity IS NOT NULL) AS neet
	FROM cla_at a CROSS JOIN cfg
	GROUP BY 2, 1
),
reviews AS (
	SELECT v.area_code, k.period_type, k.period_start,
		   @extschema@.share(coalesce(v.review_date <= v.due_date, false)) AS s
	FROM {t}.n_cla_reviews v CROSS JOIN LATERAL @extschema@._period_keys(v.due_date) k
	WHERE NOT coalesce(v.cancelled, false)
	GROUP BY 3, 2, 1
),
r AS (
	SELECT p.area_code, p.period_type, p.period_start, 'cla_open' AS measure, '' AS breakdown,
		   coalesce(a.n, 0) AS numerator, NULL::bigint AS denominator, coalesce(a.n, 0)::numeric AS value, NULL AS unit
	FROM p LEFT JOIN cla_stock a USING (area_code, period_end)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'cla_rate_per_10k',
		   CASE WHEN pop.population > 0 THEN '' ELSE 'unavailable: no population estimate for ' || p.area_code END,
		   coalesce(a.n, 0), pop.population,
		   CASE WHEN pop.population > 0 THEN @extschema@.rate_per_10k(coalesce(a.n, 0), pop.population)::numeric END, NULL
	FROM p JOIN pop USING (area_code, period_end) LEFT JOIN cla_stock a USING (area_code, period_end)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'cla_started', '',
		   coalesce(a.n, 0), NULL, coalesce(a.n, 0), NULL
	FROM p LEFT JOIN started a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'cla_ceased', '',
		   coalesce(a.n, 0), NULL, coalesce(a.n, 0), NULL
	FROM p LEFT JOIN ceased a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'cla_s20_started_pct', '',
		   coalesce((a.s20).numerator, 0), coalesce((a.s20).denominator, 0), (a.s20).pct::numeric, NULL
	FROM p LEFT JOIN started a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, m.measure, '',
		   coalesce((m.s).numerator, 0), coalesce((m.s).denominator, 0), (m.s).pct::numeric, NULL
	FROM p
	LEFT JOIN at_end a USING (area_code, period_end)
	CROSS JOIN LATERAL (VALUES ('cla_s20_open_pct', a.s20), ('cla_care_plan_pct', a.care_plan),
							   ('cla_visits_in_time_pct', a.visits), ('cla_health_assessment_pct', a.health),
							   ('cla_3plus_placements_pct', a.placements), ('cla_long_term_stability_pct', a.long_term),
							   ('cla_placed_20mi_pct', a.far), ('cla_16_17_neet_pct', a.neet)) AS m(measure, s)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'cla_pep_pct',
		   'unavailable: personal education plans are not part of the SSD', NULL, NULL, NULL, NULL
	FROM p
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'cla_reviews_on_time_pct', '',
		   coalesce((a.s).numerator, 0), coalesce((a.s).denominator, 0), (a.s).pct::numeric, NULL
	FROM p LEFT JOIN reviews a USING (area_code, period_type, period_start)
)
$q$)
$f$;
COMMENT ON FUNCTION @extschema@._theme_looked_after(text) IS
	'SELECT of the looked_after report view (CLA and rate, starters and leavers, section 20, casework, stability, distance, NEET) over the normalised views of the target schema';

-- --------------------------------------------------------------------------------------------
-- Care leavers (scorecard group 23): national (birthday) and local (period-end) methods.
-- --------------------------------------------------------------------------------------------
CREATE FUNCTION @extschema@._theme_care_leavers(target_schema text) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $f$
	SELECT @extschema@._theme_sql(target_schema, $q$
-- The SSD keeps a care leaver's statuses, one per latest-contact date (an extract may have only
-- the latest): one undated status at most per young person.
status AS (
	SELECT DISTINCT ON (c.person_id, c.latest_contact, c.area_code)
		   c.area_code, c.person_id, c.latest_contact,
		   c.in_touch = ANY (cfg.care_leaver_in_touch_codes) AS in_touch,
		   c.accom_suitable AS suitable,
		   c.activity = ANY (cfg.eet_activity_codes) AS eet,
		   c.accommodation = ANY (cfg.bnb_accommodation_codes) AS bnb,
		   coalesce(c.in_touch = ANY (cfg.care_leaver_excluded_codes), false) AS excluded
	FROM {t}.n_care_leavers c CROSS JOIN cfg
	ORDER BY c.person_id, c.latest_contact, c.area_code, c.in_touch, c.accommodation, c.activity
),
-- Each status holds from its date until the next one; an undated status holds before the first
-- dated one, and without one the status before it is not known.
segments AS (
	SELECT x.area_code, x.person_id, coalesce(x.latest_contact, '-infinity') AS valid_from,
		   lead(x.latest_contact) OVER (PARTITION BY x.person_id, x.area_code ORDER BY x.latest_contact NULLS FIRST) AS valid_to,
		   true AS known, x.in_touch, x.suitable, x.eet, x.bnb, x.excluded
	FROM status x
	UNION ALL
	SELECT x.area_code, x.person_id, '-infinity', min(x.latest_contact), false, NULL, NULL, NULL, NULL, false
	FROM status x GROUP BY x.person_id, x.area_code HAVING bool_and(x.latest_contact IS NOT NULL)
),
-- Care leavers at each period end with the status that held then.
cl_at AS (
	SELECT g.area_code, d.period_end, g.known, g.in_touch, g.suitable, g.eet, g.bnb,
		   CASE WHEN pe.dob <= d.period_end THEN @extschema@.age_at(pe.dob, d.period_end) END AS age
	FROM segments g
	JOIN {t}.n_person pe ON pe.area_code = g.area_code AND pe.person_id = g.person_id
	JOIN snaps s ON s.area_code = g.area_code
	CROSS JOIN LATERAL unnest(@extschema@._snaps_between(s.snaps, g.valid_from, g.valid_to)) AS d(period_end)
	WHERE pe.dob IS NOT NULL AND NOT g.excluded AND (pe.death_date IS NULL OR pe.death_date > d.period_end)
	  AND @extschema@.open_on(g.valid_from, g.valid_to, d.period_end)
),
local AS (
	SELECT a.area_code, a.period_end,
		   @extschema@.share(coalesce(a.known AND a.in_touch, false)) AS in_touch,
		   @extschema@.share(coalesce(a.known AND a.suitable, false)) AS suitable,
		   @extschema@.share(coalesce(a.known AND a.eet, false)) AS eet
	FROM cl_at a CROSS JOIN cfg
	WHERE a.age BETWEEN cfg.care_leaver_age_from AND cfg.care_leaver_age_to
	GROUP BY 2, 1
),
bnb AS (
	SELECT a.area_code, a.period_end, count(*) FILTER (WHERE a.known AND a.bnb) AS n
	FROM cl_at a CROSS JOIN cfg
	WHERE a.age BETWEEN cfg.bnb_age_from AND cfg.bnb_age_to
	GROUP BY 2, 1
),
-- National method: the 19th, 20th and 21st birthdays (the day age_at turns), and the status
-- recorded nearest each birthday within the window around it.
birthdays AS (
	SELECT y.area_code, y.person_id, pe.death_date, y.died_by,
		   CASE WHEN @extschema@.age_at(pe.dob, d.d) < g.age THEN d.d + 1 ELSE d.d END AS birthday
	FROM (SELECT x.area_code, x.person_id, min(coalesce(x.latest_contact, '-infinity')) FILTER (WHERE x.excluded) AS died_by
		  FROM status x GROUP BY 2, 1) y
	JOIN {t}.n_person pe ON pe.area_code = y.area_code AND pe.person_id = y.person_id
	CROSS JOIN cfg
	CROSS JOIN LATERAL generate_series(cfg.care_leaver_age_from, cfg.care_leaver_age_to) AS g(age)
	CROSS JOIN LATERAL (SELECT (pe.dob + make_interval(years => g.age))::date AS d) d
	WHERE pe.dob IS NOT NULL
),
around AS (
	SELECT DISTINCT ON (b.person_id, b.birthday, b.area_code)
		   b.area_code, b.birthday, x.latest_contact IS NOT NULL AS recorded, x.in_touch, x.suitable, x.eet
	FROM birthdays b
	CROSS JOIN cfg
	LEFT JOIN status x ON x.area_code = b.area_code AND x.person_id = b.person_id
		AND x.latest_contact >= b.birthday - cfg.care_leaver_birthday_before
		AND x.latest_contact <= b.birthday + cfg.care_leaver_birthday_after
	WHERE (b.death_date IS NULL OR b.death_date > b.birthday) AND NOT coalesce(b.died_by <= b.birthday, false)
	ORDER BY b.person_id, b.birthday, b.area_code, abs(x.latest_contact - b.birthday), x.latest_contact DESC
),
national AS (
	SELECT b.area_code, k.period_type, k.period_start,
		   @extschema@.share(coalesce(b.recorded AND b.in_touch, false)) AS in_touch,
		   @extschema@.share(coalesce(b.recorded AND b.suitable, false)) AS suitable,
		   @extschema@.share(coalesce(b.recorded AND b.eet, false)) AS eet
	FROM around b
	CROSS JOIN LATERAL @extschema@._period_keys(b.birthday) k
	GROUP BY 3, 2, 1
),
r AS (
	SELECT p.area_code, p.period_type, p.period_start, m.measure, 'local' AS breakdown,
		   coalesce((m.s).numerator, 0) AS numerator, coalesce((m.s).denominator, 0) AS denominator,
		   (m.s).pct::numeric AS value, NULL AS unit
	FROM p LEFT JOIN local a USING (area_code, period_end)
	CROSS JOIN LATERAL (VALUES ('care_leavers_in_touch_pct', a.in_touch), ('care_leavers_suitable_accom_pct', a.suitable),
							   ('care_leavers_eet_pct', a.eet)) AS m(measure, s)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, m.measure, 'national',
		   coalesce((m.s).numerator, 0), coalesce((m.s).denominator, 0), (m.s).pct::numeric, NULL
	FROM p LEFT JOIN national a USING (area_code, period_type, period_start)
	CROSS JOIN LATERAL (VALUES ('care_leavers_in_touch_pct', a.in_touch), ('care_leavers_suitable_accom_pct', a.suitable),
							   ('care_leavers_eet_pct', a.eet)) AS m(measure, s)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'care_leavers_bnb', '',
		   coalesce(a.n, 0), NULL, coalesce(a.n, 0), NULL
	FROM p LEFT JOIN bnb a USING (area_code, period_end)
)
$q$)
$f$;
COMMENT ON FUNCTION @extschema@._theme_care_leavers(text) IS
	'SELECT of the care_leavers report view (in touch, suitable accommodation, education/employment/training by national and local method, bed and breakfast) over the normalised views of the target schema';

-- --------------------------------------------------------------------------------------------
-- Missing from home and care, children missing education (scorecard group 24).
-- --------------------------------------------------------------------------------------------
CREATE FUNCTION @extschema@._theme_missing(target_schema text) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $f$
	SELECT @extschema@._theme_sql(target_schema, $q$
inc AS (
	SELECT m.area_code, m.missing_id, m.person_id, m.start_date, m.rhi_offered, m.rhi_accepted,
		   CASE WHEN bool_or(e.person_id IS NOT NULL) THEN 'care' ELSE 'home' END AS place
	FROM {t}.n_missing m CROSS JOIN cfg
	LEFT JOIN {t}.n_cla_episodes e ON e.area_code = m.area_code AND e.person_id = m.person_id
		AND e.start_date <= m.start_date AND @extschema@.open_on(e.start_date, e.end_date, m.start_date)
		AND NOT coalesce(e.legal_status = ANY (cfg.cla_short_break_legal_statuses), false)
	WHERE m.start_date IS NOT NULL AND upper(m.missing_type) = ANY (cfg.missing_types)
	GROUP BY m.missing_id, m.person_id, m.start_date, m.rhi_offered, m.rhi_accepted, m.area_code
),
inc_place AS (
	SELECT inc.area_code, k.period_type, k.period_start, inc.place,
		   count(DISTINCT inc.person_id) AS children, count(*) AS incidents
	FROM inc CROSS JOIN LATERAL @extschema@._period_keys(inc.start_date) k
	GROUP BY 3, 2, 4, 1
),
rhi AS (
	SELECT inc.area_code, k.period_type, k.period_start,
		   @extschema@.share(inc.rhi_offered) AS offered,
		   @extschema@.share(inc.rhi_accepted) FILTER (WHERE inc.rhi_offered) AS accepted
	FROM inc CROSS JOIN LATERAL @extschema@._period_keys(inc.start_date) k
	GROUP BY 3, 2, 1
),
cme_stock AS (
	SELECT x.area_code, u.period_end, u.n
	FROM (SELECT c.area_code, @extschema@.open_counts(c.start_date, c.end_date, s.snaps) AS counts
		  FROM {t}.n_children_missing_education c JOIN snaps s ON s.area_code = c.area_code
		  GROUP BY c.area_code) x
	JOIN snaps s ON s.area_code = x.area_code
	CROSS JOIN LATERAL unnest(s.snaps, x.counts) AS u(period_end, n)
),
r AS (
	SELECT p.area_code, p.period_type, p.period_start, 'missing_children' AS measure, pl.place AS breakdown,
		   coalesce(a.children, 0) AS numerator, NULL::bigint AS denominator, coalesce(a.children, 0)::numeric AS value,
		   NULL AS unit
	FROM p CROSS JOIN (VALUES ('home'), ('care')) AS pl(place)
	LEFT JOIN inc_place a USING (area_code, period_type, period_start, place)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'missing_incidents', pl.place,
		   coalesce(a.incidents, 0), NULL, coalesce(a.incidents, 0), NULL
	FROM p CROSS JOIN (VALUES ('home'), ('care')) AS pl(place)
	LEFT JOIN inc_place a USING (area_code, period_type, period_start, place)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'missing_rhi_offered_pct', '',
		   coalesce((a.offered).numerator, 0), coalesce((a.offered).denominator, 0), (a.offered).pct::numeric, NULL
	FROM p LEFT JOIN rhi a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'missing_rhi_accepted_pct', '',
		   coalesce((a.accepted).numerator, 0), coalesce((a.accepted).denominator, 0), (a.accepted).pct::numeric, NULL
	FROM p LEFT JOIN rhi a USING (area_code, period_type, period_start)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'children_missing_education', '',
		   coalesce(a.n, 0), NULL, coalesce(a.n, 0), NULL
	FROM p CROSS JOIN av LEFT JOIN cme_stock a USING (area_code, period_end)
	WHERE av.children_missing_education
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'children_missing_education',
		   'unavailable: children_missing_education is not supplied', NULL, NULL, NULL, NULL
	FROM p CROSS JOIN av WHERE NOT av.children_missing_education
)
$q$)
$f$;
COMMENT ON FUNCTION @extschema@._theme_missing(text) IS
	'SELECT of the missing report view (children and incidents missing from home and from care, return home interviews, children missing education) over the normalised views of the target schema';

-- --------------------------------------------------------------------------------------------
-- Workforce (scorecard group 25).
-- --------------------------------------------------------------------------------------------
CREATE FUNCTION @extschema@._theme_workforce(target_schema text) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $f$
	SELECT @extschema@._theme_sql(target_schema, $q$
sw AS (
	SELECT pr.area_code, pr.professional_id, pr.agency_worker, coalesce(pr.fte, 1) AS fte
	FROM {t}.n_professionals pr CROSS JOIN cfg
	WHERE pr.job_title ~* cfg.social_worker_job_title
),
inv AS (
	SELECT i.area_code, i.professional_id, i.person_id, i.start_date, i.end_date
	FROM {t}.n_involvements i
	JOIN sw ON sw.area_code = i.area_code AND sw.professional_id = i.professional_id
	WHERE i.start_date IS NOT NULL AND i.person_id IS NOT NULL
),
-- A worker's involvements with one child merged where they overlap or follow on, so that a
-- child counts once in a caseload; likewise a child's involvements with any social worker.
-- Nearly every (child, worker) pair has one involvement, its own spell: as in {dedup}, only
-- the pairs whose key hash occurs more than once (_duplicates) are sorted and merged (a hash
-- shared by two pairs only sends their rows through the merge, which keeps them apart).
inv_pair AS (
	SELECT inv.*, hashtextextended(inv.person_id::text, hashtextextended(inv.professional_id::text,
		   hashtextextended(inv.area_code::text, 0))) AS h
	FROM inv
),
pair_dup AS (SELECT @extschema@._duplicates(i.h) AS a FROM inv_pair i),
worker_child AS (
	SELECT i.area_code, i.professional_id, i.start_date, i.end_date
	FROM inv_pair i
	WHERE @extschema@._sorted_has((SELECT d.a FROM pair_dup d), i.h) IS FALSE
	UNION ALL
	SELECT x.area_code, x.professional_id, min(x.start_date) AS start_date,
		   CASE WHEN bool_or(x.end_date IS NULL) THEN NULL ELSE max(x.end_date) END AS end_date
	FROM (SELECT i.*, @extschema@.spell_number(i.start_date, i.end_date)
					OVER (PARTITION BY i.person_id, i.professional_id, i.area_code ORDER BY i.start_date) AS spell
		  FROM inv_pair i
		  WHERE @extschema@._sorted_has((SELECT d.a FROM pair_dup d), i.h) IS NOT FALSE) x
	GROUP BY x.person_id, x.professional_id, x.spell, x.area_code
),
-- Each involvement with its spell among the child's social-worker involvements and whether it
-- follows an earlier one (a change of worker): one sort for both.
inv_child AS (
	SELECT inv.area_code, inv.person_id, inv.start_date, inv.end_date,
		   @extschema@.spell_number(inv.start_date, inv.end_date) OVER w AS spell,
		   @extschema@.previous_end(inv.start_date, inv.end_date) OVER w IS NOT NULL AS changed
	FROM inv
	WINDOW w AS (PARTITION BY inv.person_id, inv.area_code ORDER BY inv.start_date)
),
child_spells AS (
	SELECT x.area_code, min(x.start_date) AS start_date,
		   CASE WHEN bool_or(x.end_date IS NULL) THEN NULL ELSE max(x.end_date) END AS end_date
	FROM inv_child x
	GROUP BY x.person_id, x.spell, x.area_code
),
loads AS (
	SELECT x.area_code, u.period_end, x.professional_id, u.n AS children
	FROM (SELECT w.area_code, w.professional_id,
				 @extschema@.open_counts(w.start_date, w.end_date, s.snaps) AS counts
		  FROM worker_child w JOIN snaps s ON s.area_code = w.area_code
		  GROUP BY w.professional_id, w.area_code) x
	JOIN snaps s ON s.area_code = x.area_code
	CROSS JOIN LATERAL unnest(s.snaps, x.counts) AS u(period_end, n)
	WHERE u.n > 0
),
load_stats AS (
	SELECT l.area_code, l.period_end, count(*) AS workers, sum(l.children) AS children,
		   avg(l.children) AS mean, percentile_cont(0.5) WITHIN GROUP (ORDER BY l.children) AS median,
		   sum(sw.fte) AS fte, @extschema@.share(sw.agency_worker) AS agency
	FROM loads l JOIN sw ON sw.area_code = l.area_code AND sw.professional_id = l.professional_id
	GROUP BY 2, 1
),
distinct_children AS (
	SELECT x.area_code, u.period_end, u.n
	FROM (SELECT c.area_code, @extschema@.open_counts(c.start_date, c.end_date, s.snaps) AS counts
		  FROM child_spells c JOIN snaps s ON s.area_code = c.area_code
		  GROUP BY c.area_code) x
	JOIN snaps s ON s.area_code = x.area_code
	CROSS JOIN LATERAL unnest(s.snaps, x.counts) AS u(period_end, n)
),
changes AS (
	SELECT m.area_code, k.period_type, k.period_start, sum(m.n)::bigint AS n
	FROM (SELECT c.area_code, date_trunc('month', c.start_date)::date AS month,
				 count(*) FILTER (WHERE c.changed) AS n
		  FROM inv_child c GROUP BY 1, 2) m
	CROSS JOIN LATERAL @extschema@._period_keys(m.month) k
	GROUP BY 3, 2, 1
),
r AS (
	SELECT p.area_code, p.period_type, p.period_start, 'sw_agency_pct' AS measure, '' AS breakdown,
		   coalesce((a.agency).numerator, 0)::numeric AS numerator, coalesce((a.agency).denominator, 0)::numeric AS denominator,
		   (a.agency).pct::numeric AS value, NULL AS unit
	FROM p LEFT JOIN load_stats a USING (area_code, period_end)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'caseload_mean', '',
		   coalesce(a.children, 0), coalesce(a.workers, 0), a.mean, NULL
	FROM p LEFT JOIN load_stats a USING (area_code, period_end)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'caseload_median', '',
		   NULL, coalesce(a.workers, 0), a.median::numeric, NULL
	FROM p LEFT JOIN load_stats a USING (area_code, period_end)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'children_per_worker', '',
		   coalesce(d.n, 0), a.fte::numeric,
		   CASE WHEN a.fte > 0 THEN coalesce(d.n, 0) / a.fte::numeric END, NULL
	FROM p LEFT JOIN load_stats a USING (area_code, period_end) LEFT JOIN distinct_children d USING (area_code, period_end)
	UNION ALL
	SELECT p.area_code, p.period_type, p.period_start, 'sw_changes', '',
		   coalesce(a.n, 0), NULL, coalesce(a.n, 0), NULL
	FROM p LEFT JOIN changes a USING (area_code, period_type, period_start)
)
$q$)
$f$;
COMMENT ON FUNCTION @extschema@._theme_workforce(text) IS
	'SELECT of the workforce report view (agency share, caseloads, children per worker, changes of social worker) over the normalised views of the target schema';
